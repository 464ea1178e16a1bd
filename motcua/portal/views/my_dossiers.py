"""The applicant's own dossiers (SPEC §1): the list, one dossier with its timeline, and the supplement.

Every dossier is read through the dossiers selectors scoped to the user: another person's code
answers 404, like a code that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.documents.models import Document, DocumentKind
from motcua.dossiers.forms import FormKind
from motcua.dossiers.lifecycle import Status, status_label
from motcua.dossiers.models import Apology, Dossier, SupplementRequest
from motcua.dossiers.selectors import dossier_documents, dossier_events, dossier_list_for
from motcua.dossiers.services.forms import counter_forms
from motcua.dossiers.services.review import dossier_submit_supplement
from motcua.feedback.selectors import dossier_ratings
from motcua.portal.citizen import (
    applicant_required,
    attached,
    dossier_or_404,
    event_details,
    event_label,
    file_names,
    upload_summary,
    uploads_apply,
)
from motcua.portal.forms import SupplementForm, error_summary

PER_PAGE = 20


@applicant_required
def my_dossiers(request: HttpRequest) -> HttpResponse:
    dossiers = dossier_list_for(user=request.user)  # type: ignore[arg-type]
    page = Paginator(dossiers, PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"dossier": d, "status_label": status_label(d.status)} for d in page]
    return render(request, "portal/my_dossiers/list.html", {"page": page, "rows": rows})


@applicant_required
def my_dossier(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_or_404(request, code)
    events = [
        {"at": e.at, "label": event_label(e.action), "details": event_details(e.action, e.data)}
        for e in dossier_events(dossier=dossier)
    ]
    context = {
        "dossier": dossier,
        "status_label": status_label(dossier.status),
        "events": events,
        "components": _components(dossier),
        "supplement": _open_supplement(dossier),
        "results": _results(dossier),
        "apology": Apology.objects.filter(dossier=dossier).first(),
        "apology_letter": _apology_letter(dossier),
        "rated": dossier.status == Status.RETURNED and dossier_ratings(dossier=dossier).exists(),
    }
    return render(request, "portal/my_dossiers/detail.html", context)


def _file_url(dossier: Dossier, document: Document) -> str:
    return reverse("api:dossier_document", kwargs={"code": dossier.code, "document_id": document.pk})


def _results(dossier: Dossier) -> list[dict[str, Any]]:
    """The signed results issued on the dossier: a download link and the public verification page each."""
    if dossier.status not in (Status.RESOLVED, Status.RETURNED):
        return []
    documents = dossier_documents(dossier=dossier).filter(kind=DocumentKind.RESULT, revoked=False)
    return [
        {
            "document": document,
            "url": _file_url(dossier, document),
            "verify_url": reverse("portal:verify", args=[document.result_code]) if document.result_code else "",
        }
        for document in documents
    ]


def _apology_letter(dossier: Dossier) -> str:
    """The link to the apology letter (Mẫu 04) once it is printed, else ""."""
    for item in counter_forms(dossier):
        if item.kind == FormKind.APOLOGY and item.document is not None:
            return _file_url(dossier, item.document)
    return ""


def _components(dossier: Dossier) -> list[dict[str, Any]]:
    items = list(dossier.components.select_related("component"))
    names = file_names(i for item in items for i in item.files)
    return [{"name": item.component.name, "files": [names.get(str(i), str(i)) for i in item.files]} for item in items]


def _open_supplement(dossier: Dossier) -> SupplementRequest | None:
    if dossier.status != Status.AWAITING_SUPPLEMENT:
        return None
    return dossier.supplement_requests.filter(supplied_at__isnull=True).order_by("-requested_at").first()


@applicant_required
def supplement(request: HttpRequest, code: str) -> HttpResponse:
    """Send what the officer asked for: files per component and a note."""
    dossier = dossier_or_404(request, code)
    if dossier.status != Status.AWAITING_SUPPLEMENT:
        messages.info(request, _("This dossier is not waiting for a supplement."))
        return redirect("portal:my-dossier", code=dossier.code)
    components = list(dossier.procedure_version.components.all())
    files: dict[str, list[int]] = request.session.get(_session_key(dossier), {})
    form = SupplementForm(request.POST if request.method == "POST" else None)
    errors: dict[str, str] = {}
    problem = ""
    if request.method == "POST":
        errors = uploads_apply(request=request, components=components, files=files)
        request.session[_session_key(dossier)] = files  # files that passed stay even when another one failed
        if not errors and form.is_valid():
            if request.POST.get("action") != "send":
                return redirect("portal:supplement", code=dossier.code)
            problem = _supplement_send(request, dossier, form.cleaned_data["note"], files)
            if not problem:
                return redirect("portal:my-dossier", code=dossier.code)
    rows = attached(components, files, errors)
    summary = upload_summary(rows) + error_summary(form) + ([("#file-0", problem)] if problem else [])
    context = {"dossier": dossier, "supplement_request": _open_supplement(dossier), "form": form, "rows": rows}
    template = "portal/my_dossiers/supplement.html"
    return render(request, template, {**context, "errors": summary}, status=422 if summary else 200)


def _session_key(dossier: Dossier) -> str:
    return f"portal.supplement.{dossier.pk}"


def _supplement_send(request: HttpRequest, dossier: Dossier, note: str, files: dict[str, list[int]]) -> str:
    """Submit the supplement; the reason it was refused, or "" when it went through."""
    if not any(files.values()):
        return _("Attach at least one file.")
    try:
        dossier_submit_supplement(
            dossier=dossier,
            actor=request.user,  # type: ignore[arg-type]
            note=note,
            files={code: [str(i) for i in ids] for code, ids in files.items() if ids},
        )
    except DomainError as exc:
        return str(exc.message)
    request.session.pop(_session_key(dossier), None)
    messages.success(request, _("Your supplement was sent to the officer."))
    return ""

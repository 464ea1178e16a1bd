"""Certified electronic copies at the counter (chứng thực bản sao điện tử từ bản chính; SPEC §3.5).

The page looks the owner up by ID number, takes the scan of the original and hands it to the
documents service, which digitizes, certifies, numbers, signs and files the copy. It lists this year's
entries of the certification books of the officer's units. An entry of another unit is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from motcua.accounts.models import CitizenProfile
from motcua.accounts.roles import Role
from motcua.backoffice.forms_certification import (
    FEE_FIRST_PAGE,
    FEE_MAX,
    FEE_NEXT_PAGE,
    CertificationForm,
    certification_fee,
)
from motcua.backoffice.forms_counter import ApplicantLookupForm
from motcua.backoffice.views.common import staff_user
from motcua.backoffice.views.counter import counter_officer_required
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.documents.certification import certified_copy_issue
from motcua.documents.models import CertificationEntry
from motcua.documents.results import verification_url
from motcua.documents.selectors import stored_file_read
from motcua.documents.storage import FileIntegrityError
from motcua.organizations.models import Unit
from motcua.organizations.selectors import active_memberships

BOOK_SHOWN = 200


def _units(request: HttpRequest) -> list[Unit]:
    memberships = active_memberships(staff_user(request), Role.COUNTER_OFFICER).select_related("unit")
    return sorted({m.unit for m in memberships}, key=lambda unit: unit.name)


def _entries(units: list[Unit]) -> QuerySet[CertificationEntry]:
    return CertificationEntry.objects.filter(unit__in=units).select_related("unit", "document", "certified_by")


@counter_officer_required
def certification(request: HttpRequest) -> HttpResponse:
    """GET: the form (with the owner looked up by ?id_number=) and this year's book; POST: certify."""
    units = _units(request)
    if request.method == "POST":
        return _certify(request, units)
    lookup = ApplicantLookupForm(request.GET if "id_number" in request.GET else None)
    initial: dict[str, Any] = {}
    profile = None
    if lookup.is_valid():
        number = lookup.cleaned_data["id_number"]
        profile = CitizenProfile.objects.filter(id_number=number).first()
        initial = {"id_number": number}
    form = CertificationForm(initial=initial, units=units)
    return _page(request, units, form, lookup=lookup, profile=profile)


def _certify(request: HttpRequest, units: list[Unit]) -> HttpResponse:
    form = CertificationForm(request.POST, request.FILES, units=units)
    if not form.is_valid():
        return _page(request, units, form, status=422)
    owner = CitizenProfile.objects.filter(id_number=form.cleaned_data["id_number"]).first()
    if owner is None:
        form.add_error(
            "id_number",
            _("No citizen profile has this ID number: the certified copy is filed in the owner's data vault."),
        )
        return _page(request, units, form, status=422)
    scans = [(upload.name or "scan", upload.read()) for upload in form.cleaned_data["scans"]]
    try:
        document = certified_copy_issue(
            unit=form.chosen_unit(),
            officer=staff_user(request),
            scans=scans,
            owner=owner,
            title=form.cleaned_data["title"],
            original=form.original(),
            requester_name=form.cleaned_data["requester_name"].strip(),
        )
    except DomainError as error:
        form.refuse(error)  # nothing was written: no number taken, no file kept
        return _page(request, units, form, status=422)
    entry = document.certification
    messages.success(
        request, _("Certified: number %(number)s, book %(book)s.") % {"number": entry.number, "book": entry.book}
    )
    return redirect("backoffice:counter-certification-entry", pk=entry.pk)


def _page(
    request: HttpRequest,
    units: list[Unit],
    form: CertificationForm,
    *,
    lookup: ApplicantLookupForm | None = None,
    profile: CitizenProfile | None = None,
    status: int = 200,
) -> HttpResponse:
    year = clock.local_today().year
    context = {
        "form": form,
        "lookup": lookup or ApplicantLookupForm(),
        "profile": profile,
        "year": year,
        "entries": list(_entries(units).filter(year=year).order_by("unit__name", "-number")[:BOOK_SHOWN]),
        "fee_first": FEE_FIRST_PAGE,
        "fee_next": FEE_NEXT_PAGE,
        "fee_max": FEE_MAX,
    }
    return render(request, "backoffice/counter/certification.html", context, status=status)


def _entry_or_404(request: HttpRequest, pk: int) -> CertificationEntry:
    entry = _entries(_units(request)).select_related("document__stored_file").filter(pk=pk).first()
    if entry is None:
        raise Http404(pk)
    return entry


@counter_officer_required
def certification_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """One certified copy: its book number, the fee, the download and verification links."""
    entry = _entry_or_404(request, pk)
    code = entry.document.result_code or ""
    context = {
        "entry": entry,
        "fee": certification_fee(entry.pages),
        "code": code,
        "verify_url": verification_url(code) if code else "",
    }
    return render(request, "backoffice/counter/certification_entry.html", context)


@counter_officer_required
def certification_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed certified copy (PDF), never bytes that differ from the recorded fingerprint."""
    entry = _entry_or_404(request, pk)
    stored = entry.document.stored_file
    try:
        content = stored_file_read(stored)
    except FileIntegrityError:
        return HttpResponse(_("The stored file no longer matches its fingerprint; it cannot be served."), status=500)
    response = HttpResponse(content, content_type=stored.mime)
    response["Content-Disposition"] = f'inline; filename="{entry.document.result_code or entry.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

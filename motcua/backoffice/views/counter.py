"""The counter (Bộ phận Một cửa): receive a dossier while the applicant waits, print its form, return results.

Pages work without JavaScript. Every page needs a counter officer who passed the second factor;
a dossier outside the officer's units is a 404, like a missing one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, Final

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.accounts.decorators import staff_verified_required
from motcua.accounts.models import CitizenProfile, OrganizationProfile
from motcua.accounts.roles import Role
from motcua.backoffice.forms_counter import (
    ApplicantLookupForm,
    CounterIntakeForm,
    FeeCollectForm,
    OrganizationLookupForm,
    ProcedureSearchForm,
    ReturnFindForm,
    ReturnResultForm,
    prefill,
    prefill_organization,
)
from motcua.backoffice.views.common import dossier_or_404, staff_user
from motcua.backoffice.views.documents import documents_context
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.selectors import procedure_search, procedure_version_get
from motcua.core.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied
from motcua.documents.services import stored_file_create
from motcua.dossiers.forms import FormKind
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.selectors import dossier_documents, dossier_for_idempotency_key
from motcua.dossiers.services.counter import counter_form_print, counter_intake
from motcua.dossiers.services.fees import NO_COLLECTION, fee_lines_pay
from motcua.dossiers.services.forms import TRIGGERS, counter_forms
from motcua.dossiers.services.privacy import personal_data_access_log
from motcua.dossiers.services.processing import dossier_return_result
from motcua.organizations.selectors import active_memberships

View = Callable[..., HttpResponse]
SEARCH_LIMIT = 30


def counter_officer_required(view: View) -> View:
    """Staff past the second factor who work at a counter; anyone else is refused (403)."""

    @staff_verified_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not active_memberships(request.user, Role.COUNTER_OFFICER).exists():
            raise DjangoPermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@counter_officer_required
def counter_home(request: HttpRequest) -> HttpResponse:
    """Choose the procedure of a new dossier, or find a dossier whose result is to be returned."""
    form = ProcedureSearchForm(request.GET or None)
    found = None
    if form.is_valid() and form.cleaned_data["q"]:
        units = active_memberships(request.user, Role.COUNTER_OFFICER).values_list("unit__code", flat=True)
        found = list(procedure_search(q=form.cleaned_data["q"], unit=_single(units))[:SEARCH_LIMIT])
    context = {"form": form, "found": found, "return_form": ReturnFindForm()}
    return render(request, "backoffice/counter/home.html", context)


def _single(codes: Any) -> str | None:
    """The officer's unit when he works at one; officers of several see every procedure."""
    distinct = set(codes)
    return distinct.pop() if len(distinct) == 1 else None


def _version_or_404(procedure_code: str) -> ProcedureVersion:
    try:
        return procedure_version_get(code=procedure_code)
    except NotFound:
        raise Http404(procedure_code) from None


@counter_officer_required
def intake(request: HttpRequest, procedure_code: str) -> HttpResponse:
    """The checklist of one procedure: GET shows it (prefilled by ID number), POST registers and decides."""
    version = _version_or_404(procedure_code)
    if request.method == "POST":
        return _intake_post(request, version)
    lookup = ApplicantLookupForm(request.GET if "id_number" in request.GET else None)
    org_lookup = OrganizationLookupForm(request.GET if "tax_code" in request.GET else None)
    initial: dict[str, Any] = {"idempotency_key": uuid.uuid4().hex}
    profile = organization = None
    if lookup.is_valid():
        number = lookup.cleaned_data["id_number"]
        profile = CitizenProfile.objects.filter(id_number=number).first()
        initial |= prefill(profile, number)
    if org_lookup.is_valid():
        tax_code = org_lookup.cleaned_data["tax_code"]
        organization = OrganizationProfile.objects.filter(tax_code=tax_code).first()
        initial |= prefill_organization(organization, tax_code)
    form = CounterIntakeForm(initial=initial, version=version, user=staff_user(request))
    context = {"org_lookup": org_lookup, "organization": organization}
    return _intake_page(request, version, form, lookup=lookup, profile=profile, extra=context)


def _intake_post(request: HttpRequest, version: ProcedureVersion) -> HttpResponse:
    user = staff_user(request)
    earlier = dossier_for_idempotency_key(caller=user, key=request.POST.get("idempotency_key", ""))
    if earlier is not None:  # a second click on the same form: show what the first one did
        return redirect("backoffice:counter-dossier", code=earlier.code)
    data, upload_errors = _store_uploads(request, version)
    form = CounterIntakeForm(data, version=version, user=user)
    valid = form.is_valid()
    for field, message in upload_errors.items():
        form.add_error(field, message)
    if not valid or upload_errors:
        return _intake_page(request, version, form, status=422)
    key = form.cleaned_data["idempotency_key"]
    try:
        result = counter_intake(
            officer=user,
            data=form.intake_input(),
            decision=form.counter_decision(),
            idempotency_key=key,
            scans=form.scans(),
        )
    except Conflict as error:
        # Two clicks raced: the other one registered the dossier; show it.
        raced = dossier_for_idempotency_key(caller=user, key=key) if error.code == "idempotency_conflict" else None
        if raced is None:
            form.refuse(error)
            return _intake_page(request, version, form, status=409)
        return redirect("backoffice:counter-dossier", code=raced.code)
    except DomainError as error:
        form.refuse(error)  # nothing was written: show why next to the field
        return _intake_page(request, version, form, status=422)
    for warning in result.warnings:
        messages.warning(request, warning)
    messages.success(request, _("Dossier %(code)s registered.") % {"code": result.dossier.code})
    return redirect("backoffice:counter-dossier", code=result.dossier.code)


def _store_uploads(request: HttpRequest, version: ProcedureVersion) -> tuple[Any, dict[str, str]]:
    """Store each scan at once, so a form shown again with errors keeps it (its id in the row's `kept`)."""
    data = request.POST.copy()
    errors: dict[str, str] = {}
    files: MultiValueDict = request.FILES
    for index in range(version.components.count()):
        upload = files.get(f"c{index}_file")
        if upload is None:
            continue
        try:
            stored = stored_file_create(
                content=upload.read(), filename=upload.name or "scan", uploaded_by=staff_user(request)
            )
        except InvalidInput as error:
            errors[f"c{index}_file"] = str(error.message)
            continue
        kept = [part for part in data.get(f"c{index}_kept", "").split(",") if part]
        data[f"c{index}_kept"] = ",".join([*kept, str(stored.pk)])
    return data, errors


def _intake_page(
    request: HttpRequest,
    version: ProcedureVersion,
    form: CounterIntakeForm,
    *,
    lookup: ApplicantLookupForm | None = None,
    profile: CitizenProfile | None = None,
    status: int = 200,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    fees = [fee for fee in version.fees.all() if fee.channel in (None, Channel.DIRECT)]
    context = {
        "version": version,
        "form": form,
        "rows": form.rows(),
        "lookup": lookup or ApplicantLookupForm(),
        "profile": profile,
        "fees": fees,
        "org_lookup": OrganizationLookupForm(),
        **(extra or {}),
    }
    return render(request, "backoffice/counter/intake.html", context, status=status)


@counter_officer_required
def dossier_forms(request: HttpRequest, code: str) -> HttpResponse:
    """The dossier just received: its code, dates and forms, each a link to the A5 PDF, and its fees."""
    user = staff_user(request)
    dossier = dossier_or_404(user, code)
    return _dossier_page(request, dossier)


def _dossier_page(
    request: HttpRequest, dossier: Dossier, fee_form: FeeCollectForm | None = None, status: int = 200
) -> HttpResponse:
    personal_data_access_log(user=staff_user(request), dossier=dossier, purpose="backoffice: counter forms")
    fees = list(dossier.fee_lines.select_related("paid_by"))
    unpaid = [line for line in fees if line.paid_at is None]
    collectable = bool(unpaid) and dossier.status not in NO_COLLECTION
    context = {
        "dossier": dossier,
        "forms": counter_forms(dossier),
        "documents": list(dossier_documents(dossier=dossier)),
        "fees": fees,
        # A refused form is shown with its errors even when nothing is left to collect.
        "fee_form": fee_form if fee_form is not None else FeeCollectForm(unpaid=unpaid) if collectable else None,
        **documents_context(dossier),
    }
    return render(request, "backoffice/counter/dossier.html", context, status=status)


# Where a refusal of the fee service is shown on the form.
_FEE_FIELDS: Final = {"lines": "lines", "method": "method", "receipt_number": "receipt_number"}


@counter_officer_required
@require_POST
def fees_collect(request: HttpRequest, code: str) -> HttpResponse:
    """Record the fees paid at the counter, with the method and the receipt number."""
    user = staff_user(request)
    dossier = dossier_or_404(user, code)
    unpaid = list(dossier.fee_lines.filter(paid_at__isnull=True))
    form = FeeCollectForm(request.POST, unpaid=unpaid)
    if not form.is_valid():
        return _dossier_page(request, dossier, form, status=422)
    try:
        paid = fee_lines_pay(
            dossier=dossier,
            officer=user,
            line_ids=form.cleaned_data["lines"],
            method=form.cleaned_data["method"],
            receipt_number=form.cleaned_data["receipt_number"],
        )
    except DomainError as error:
        form.add_error(_FEE_FIELDS.get(error.field or ""), str(error.message))
        status = 409 if isinstance(error, Conflict) else 403 if isinstance(error, PermissionDenied) else 422
        return _dossier_page(request, dossier, form, status=status)
    messages.success(request, _("%(count)d fee(s) collected.") % {"count": len(paid)})
    return redirect("backoffice:counter-dossier", code=dossier.code)


@counter_officer_required
@require_POST
def form_print(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    """Print a form the automatic printing has not produced (yet)."""
    user = staff_user(request)
    dossier = dossier_or_404(user, code)
    if kind not in TRIGGERS:  # the tracking book, or no form at all
        raise Http404(kind)
    try:
        printed = counter_form_print(dossier=dossier, kind=FormKind(kind), officer=user)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("backoffice:counter-dossier", code=dossier.code)
    if printed is None:
        messages.error(request, _("The form could not be printed. Try again in a moment."))
    return redirect("backoffice:counter-dossier", code=dossier.code)


@counter_officer_required
def return_find(request: HttpRequest) -> HttpResponse:
    """Find a dossier by its code to hand its result over."""
    form = ReturnFindForm(request.GET or None)
    if not form.is_valid():
        return render(request, "backoffice/counter/return.html", {"find": form}, status=422 if form.is_bound else 200)
    try:
        dossier = dossier_or_404(staff_user(request), form.cleaned_data["code"])
    except Http404:
        form.add_error("code", _("No dossier with this code among your units' dossiers."))
        return render(request, "backoffice/counter/return.html", {"find": form}, status=404)
    return _return_page(request, dossier, ReturnResultForm(initial={"receiver_name": dossier.applicant_display_name}))


@counter_officer_required
@require_POST
def return_result(request: HttpRequest, code: str) -> HttpResponse:
    """Record who collected the result; the dossier becomes `returned`."""
    user = staff_user(request)
    dossier = dossier_or_404(user, code)
    form = ReturnResultForm(request.POST)
    if not form.is_valid():
        return _return_page(request, dossier, form, status=422)
    try:
        dossier_return_result(
            dossier=dossier,
            officer=user,
            receiver_name=form.cleaned_data["receiver_name"].strip(),
            receiver_id_number=form.cleaned_data["receiver_id_number"],
            note=form.service_note(),
        )
    except DomainError as error:
        form.add_error(None, str(error.message))
        return _return_page(request, dossier, form, status=409 if isinstance(error, Conflict) else 422)
    messages.success(request, _("Result of dossier %(code)s returned.") % {"code": dossier.code})
    return redirect("backoffice:counter-dossier", code=dossier.code)


def _return_page(request: HttpRequest, dossier: Dossier, form: ReturnResultForm, status: int = 200) -> HttpResponse:
    personal_data_access_log(user=staff_user(request), dossier=dossier, purpose="backoffice: counter return")
    context = {
        "find": ReturnFindForm(initial={"code": dossier.code}),
        "dossier": dossier,
        "form": form,
        "ready": dossier.status == Status.RESOLVED,
    }
    return render(request, "backoffice/counter/return.html", context, status=status)

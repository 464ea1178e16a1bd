"""The online filing wizard (SPEC §3.3): unit and return method, applicant and e-forms, files, review.

Each step's GET shows its form filled from the session state; its POST validates, saves the state
and redirects to the next step (post/redirect/get). Nothing is written to the dossier tables
before the final submit, which calls the intake service with the filing's idempotency key.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.models import CitizenProfile, OrganizationProfile, User
from motcua.accounts.roles import AccountKind
from motcua.catalog.models import Component, OnlineLevel, ProcedureVersion
from motcua.catalog.rules import components_always_required
from motcua.catalog.selectors import procedure_version_get
from motcua.core.errors import DomainError, NotFound
from motcua.documents.models import VaultDocument
from motcua.documents.vault import vault_owner_for_user
from motcua.dossiers.document_selectors import vault_proposals
from motcua.dossiers.forms.barcodes import qr_code, tracking_url
from motcua.dossiers.models import Channel
from motcua.dossiers.services.intake import dossier_intake
from motcua.portal.citizen import applicant_required, attached, dossier_or_404, upload_summary, uploads_apply
from motcua.portal.filing_state import (
    FilingState,
    competent_units,
    intake_input,
    new_key,
    problem_link,
    receiving_units,
    required_missing,
    review_summary,
)
from motcua.portal.forms import (
    EForm,
    OrganizationApplicantForm,
    PersonApplicantForm,
    ReceivingForm,
    error_summary,
    json_values,
)

STEPS = (
    (1, "portal:filing-start", gettext_lazy("Unit and return of the result")),
    (2, "portal:filing-applicant", gettext_lazy("Applicant and declaration")),
    (3, "portal:filing-components", gettext_lazy("Documents")),
    (4, "portal:filing-review", gettext_lazy("Review and submit")),
)
StepView = Callable[[HttpRequest, ProcedureVersion, FilingState], HttpResponse]


def _version(code: str) -> ProcedureVersion:
    try:
        version = procedure_version_get(code=code)
    except NotFound:
        raise Http404(code) from None
    if version.online_level == OnlineLevel.NONE:
        raise Http404(code)
    return version


def wizard_step(number: int) -> Callable[[StepView], Callable[..., HttpResponse]]:
    """Load the procedure and the filing; send the citizen back to the first step not done yet."""

    def decorate(view: StepView) -> Callable[..., HttpResponse]:
        @applicant_required
        @wraps(view)
        def wrapper(request: HttpRequest, procedure_code: str) -> HttpResponse:
            version = _version(procedure_code)
            code = version.procedure.code
            state = FilingState.load(request.session, code)
            if state.dossier_code:
                if number == 4 and request.method == "POST":  # the same submission again (double click)
                    return redirect("portal:filing-receipt", code=state.dossier_code)
                state = FilingState(procedure=code)
                state.save(request.session)
            if number > state.next_step():
                return redirect(STEPS[state.next_step() - 1][1], procedure_code=code)
            return view(request, version, state)

        return wrapper

    return decorate


def _page(
    request: HttpRequest,
    template: str,
    version: ProcedureVersion,
    state: FilingState,
    step: int,
    context: dict[str, Any],
    *,
    failed: bool = False,
) -> HttpResponse:
    steps = [
        {"number": n, "url_name": name, "label": label, "open": n <= state.next_step()} for n, name, label in STEPS
    ]
    context = {"version": version, "step": step, "steps": steps, "code": version.procedure.code, **context}
    return render(request, template, context, status=422 if failed else 200)


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@wizard_step(1)
def filing_start(request: HttpRequest, version: ProcedureVersion, state: FilingState) -> HttpResponse:
    units = receiving_units(version)
    only = units[0].code if len(units) == 1 else ""
    initial = {
        "receiving_unit": state.receiving_unit or only,
        "handling_unit": state.handling_unit,
        "return_method": state.return_method or "counter",
    }
    form = ReceivingForm(
        _posted(request),
        units=units,
        handlers=competent_units(version),
        postal_allowed=version.postal_allowed,
        initial=initial,
    )
    if form.is_bound and form.is_valid():
        state.receiving_unit = form.cleaned_data["receiving_unit"]
        state.handling_unit = form.cleaned_data.get("handling_unit") or ""
        state.return_method = form.cleaned_data["return_method"]
        state.save(request.session)
        return redirect("portal:filing-applicant", procedure_code=state.procedure)
    context = {"form": form, "units": units, "errors": error_summary(form)}
    return _page(request, "portal/filing/units.html", version, state, 1, context, failed=form.is_bound)


@wizard_step(2)
def filing_applicant(request: HttpRequest, version: ProcedureVersion, state: FilingState) -> HttpResponse:
    user: Any = request.user
    form_class = OrganizationApplicantForm if user.kind == AccountKind.ORGANIZATION else PersonApplicantForm
    form = form_class(_posted(request), initial=state.applicant or _profile_initial(user))
    eforms = _eforms(request, version, state, dict(form.initial))
    valid = [form.is_valid(), *(eform.is_valid() for _c, eform in eforms)] if form.is_bound else [False]
    if all(valid):
        state.applicant = {"kind": form.kind, **json_values(form.cleaned_data)}
        state.form_data = {component.code: json_values(eform.cleaned_data) for component, eform in eforms}
        state.save(request.session)
        return redirect("portal:filing-components", procedure_code=state.procedure)
    context = {"form": form, "eforms": eforms, "errors": error_summary(form, *(e for _c, e in eforms))}
    return _page(request, "portal/filing/applicant.html", version, state, 2, context, failed=form.is_bound)


def _eforms(
    request: HttpRequest, version: ProcedureVersion, state: FilingState, applicant: dict[str, Any]
) -> list[tuple[Component, EForm]]:
    """One e-form per component that has a schema, filled from the state or prefilled from the applicant."""
    eforms = []
    for index, component in enumerate(version.components.all()):
        schema = component.form_schema
        if isinstance(schema, dict):
            initial = state.form_data.get(component.code) or _eform_initial(schema, applicant)
            eforms.append((component, EForm(_posted(request), schema=schema, prefix=f"tp{index}", initial=initial)))
    return eforms


def _profile_initial(user: User) -> dict[str, Any]:
    """The applicant as the account's profile knows him, to be checked and corrected by hand."""
    contact = {"email": user.email, "phone": user.phone}
    if user.kind == AccountKind.ORGANIZATION:
        org = OrganizationProfile.objects.filter(user=user).first()
        if org is None:
            return contact
        names = {"name": org.name, "tax_code": org.tax_code, "representative": org.representative}
        return {**names, "address": org.address, "phone": org.phone or user.phone, "email": org.email or user.email}
    person = CitizenProfile.objects.filter(user=user).first()
    if person is None:
        return {"full_name": user.full_name, **contact}
    return {
        "full_name": person.full_name,
        "id_number": person.id_number,
        "date_of_birth": person.date_of_birth,
        "address": person.address,
        "phone": person.phone or user.phone,
        "email": person.email or user.email,
    }


def _eform_initial(schema: dict[str, Any], applicant: dict[str, Any]) -> dict[str, Any]:
    """Schema defaults, then the applicant's details for properties named like them (full_name, address…)."""
    properties = schema.get("properties") or {}
    defaults = {
        name: prop["default"] for name, prop in properties.items() if isinstance(prop, dict) and "default" in prop
    }
    return {**defaults, **{name: applicant[name] for name in properties if applicant.get(name)}}


@wizard_step(3)
def filing_components(request: HttpRequest, version: ProcedureVersion, state: FilingState) -> HttpResponse:
    components = list(version.components.all())
    proposals = vault_proposals(owner=vault_owner_for_user(request.user), components=components)  # type: ignore[arg-type]
    errors: dict[str, str] = {}
    if request.method == "POST":
        errors = uploads_apply(request=request, components=components, files=state.files)
        errors.update(_vault_choices(request, components, proposals, state))
        state.components_done = False
        if not errors and request.POST.get("action") == "continue":
            missing = required_missing(components, state.files, state.vault)
            errors = {c.code: _required_message(c, proposals) for c in missing}
            state.components_done = not errors
        state.save(request.session)  # files that passed stay attached even when another one failed
        if not errors:
            next_name = "portal:filing-review" if state.components_done else "portal:filing-components"
            return redirect(next_name, procedure_code=state.procedure)
    rows = attached(components, state.files, errors)
    # Only what every applicant must bring is demanded; papers of a situation are offered as optional.
    always = {c.code for c in components_always_required(components, channel=Channel.ONLINE)}
    for row in rows:
        row["required"] = row["component"].code in always
        row["vault"] = proposals.get(row["component"].code, [])
        row["vault_chosen"] = state.vault.get(row["component"].code)
    context = {"rows": rows, "errors": upload_summary(rows)}
    return _page(request, "portal/filing/components.html", version, state, 3, context, failed=bool(errors))


def _vault_choices(
    request: HttpRequest, components: list[Component], proposals: dict[str, list[VaultDocument]], state: FilingState
) -> dict[str, str]:
    """Apply the posted `vault-<n>` choices (a proposed vault document instead of a file, or none)."""
    errors: dict[str, str] = {}
    for index, component in enumerate(components):
        offered = {str(vault_document.pk) for vault_document in proposals.get(component.code, [])}
        value = request.POST.get(f"vault-{index}")
        if value is None:
            if component.code in state.vault and str(state.vault[component.code]) not in offered:
                del state.vault[component.code]  # no longer usable (expired, revoked, unshared)
            continue
        if not value:
            state.vault.pop(component.code, None)
        elif value in offered:
            state.vault[component.code] = int(value)
        else:
            errors[component.code] = _("Choose one of the documents offered from your data vault.")
    return errors


def _required_message(component: Component, proposals: dict[str, list[VaultDocument]]) -> str:
    if proposals.get(component.code):
        return _("This document is required: attach a file or choose one from your data vault.")
    return _("This document is required: attach a file.")


@wizard_step(4)
def filing_review(request: HttpRequest, version: ProcedureVersion, state: FilingState) -> HttpResponse:
    problems: list[tuple[str, str]] = []
    if request.method == "POST":
        try:
            result = dossier_intake(caller=request.user, data=intake_input(state), idempotency_key=state.key)  # type: ignore[arg-type]
        except DomainError as exc:
            problems = [problem_link(exc, state)]
            if exc.code == "idempotency_conflict":  # the key went with another request: start a fresh one
                state.key = new_key()
                state.save(request.session)
        else:
            state.dossier_code = result.dossier.code or ""
            state.save(request.session)
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect("portal:filing-receipt", code=state.dossier_code)
    context = {"review": review_summary(version, state), "errors": problems}
    return _page(request, "portal/filing/review.html", version, state, 4, context, failed=bool(problems))


@applicant_required
def filing_receipt(request: HttpRequest, code: str) -> HttpResponse:
    dossier = dossier_or_404(request, code)
    url = tracking_url(settings.PUBLIC_BASE_URL, dossier.code or "")
    # segno draws the symbol from the URL alone and escapes the title: safe to inline.
    qr = mark_safe(qr_code(url).svg_inline(scale=4, border=2, title=_("QR code of the tracking page")))  # noqa: S308
    return render(request, "portal/filing/receipt.html", {"dossier": dossier, "tracking_url": url, "qr": qr})

"""Forms of the counter pages: find the procedure, look up the applicant, the checklist, return a result.

They only read and shape what the officer typed; the intake and return services decide. The
checklist has one row per component of the procedure version, its fields named by row number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.accounts.identity import IdentityError, normalize_digits, validate_id_number, validate_tax_code
from motcua.accounts.models import CitizenProfile, OrganizationProfile, User
from motcua.backoffice.labels import PAYMENT_METHODS
from motcua.backoffice.templatetags.backoffice import vnd
from motcua.catalog.models import Component, ProcedureVersion
from motcua.catalog.rules import components_always_required
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.documents.models import StoredFile
from motcua.dossiers.models import ApplicantKind, Channel, FeeLine, ReturnMethod
from motcua.dossiers.services.counter import CounterDecision, Decision
from motcua.dossiers.services.fees import CASH, RECEIPT_NUMBER_MAX
from motcua.dossiers.services.intake import ApplicantInput, ComponentInput, IntakeInput

TEXT_MAX: Final = 2000
COUNT_MAX: Final = 99
# Where a service's refusal (its `field`) is shown on the intake form.
SERVICE_FIELDS: Final = {
    "applicant.full_name": "full_name",
    "applicant.id_number": "id_number",
    "applicant.email": "email",
    "applicant.name": "org_name",
    "applicant.tax_code": "tax_code",
    "applicant.kind": "applicant_kind",
    "return_method": "return_method",
    "reason": "reason",
    "missing": "missing_other",
}


def _textarea(label: Any, *, help_text: Any = "", rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _count(label: str) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=COUNT_MAX, initial=0)


def checked_id_number(value: str, *, date_of_birth: date | None = None) -> str:
    """The ID number without spaces or dots, or a ValidationError saying what is wrong with it."""
    number = normalize_digits(value or "")
    try:
        validate_id_number(number, date_of_birth=date_of_birth, today=clock.local_today())
    except IdentityError as error:
        raise forms.ValidationError(error.message) from None
    return number


def checked_tax_code(value: str) -> str:
    """The tax code without spaces or dots, or a ValidationError saying what is wrong with it."""
    number = normalize_digits(value or "")
    try:
        validate_tax_code(number)
    except IdentityError as error:
        raise forms.ValidationError(error.message) from None
    return number


class ServerRequiredInput(forms.TextInput):
    """Required for a person only: the server checks it, the browser must not block an organization's form."""

    def use_required_attribute(self, initial: Any) -> bool:
        return False


class ProcedureSearchForm(forms.Form):
    q = forms.CharField(label=_("Procedure name or code"), required=False, max_length=200)


class ApplicantLookupForm(forms.Form):
    """The ID number on the applicant's card: a known citizen's details are filled in from his profile."""

    id_number = forms.CharField(
        label=_("Applicant's personal ID number"), max_length=20, help_text=_("12 digits, as on the citizen ID card.")
    )

    def __init__(self, data: Any = None) -> None:
        # Its own ids: the intake form below has an `id_number` field too, and a label must find its input.
        super().__init__(data, auto_id="lookup-%s")

    def clean_id_number(self) -> str:
        return checked_id_number(self.cleaned_data["id_number"])


class OrganizationLookupForm(forms.Form):
    """The tax code of an organization applying: a known organization's details are filled in."""

    tax_code = forms.CharField(
        label=_("Organization's tax code"),
        max_length=14,
        help_text=_("10 digits, or 10 digits, a hyphen and 3 digits for a branch."),
    )

    def __init__(self, data: Any = None) -> None:
        super().__init__(data, auto_id="org-lookup-%s")

    def clean_tax_code(self) -> str:
        return checked_tax_code(self.cleaned_data["tax_code"])


@dataclass(frozen=True)
class ComponentRow:
    """One line of the checklist: the component and its fields."""

    component: Component
    originals: forms.BoundField
    copies: forms.BoundField
    missing: forms.BoundField
    file: forms.BoundField
    kept: forms.BoundField
    kept_files: list[StoredFile]
    required: bool  # every applicant must bring it (not only in a situation)


class CounterIntakeForm(forms.Form):
    """The applicant, the papers received (originals and copies per component, scans) and the decision."""

    label = _("Receive the dossier")

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    applicant_kind = forms.ChoiceField(
        label=_("The applicant is"),
        choices=ApplicantKind.choices,
        initial=ApplicantKind.PERSON,
        required=False,  # a person unless said otherwise
        widget=forms.RadioSelect,
    )
    org_name = forms.CharField(label=_("Organization's name"), max_length=255, required=False)
    tax_code = forms.CharField(
        label=_("Tax code"), max_length=14, required=False, help_text=_("For an organization: 10 or 10-3 digits.")
    )
    representative = forms.CharField(label=_("Legal representative"), max_length=200, required=False)
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        help_text=_("For an organization: the person submitting (optional)."),
        widget=ServerRequiredInput,
    )
    id_number = forms.CharField(
        label=_("Personal ID number"),
        max_length=20,
        help_text=_("12 digits. Optional for an organization."),
        widget=ServerRequiredInput,
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    address = forms.CharField(label=_("Address"), max_length=500, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    return_method = forms.ChoiceField(
        label=_("Receive the result"),
        choices=ReturnMethod.choices,
        initial=ReturnMethod.COUNTER,
        widget=forms.RadioSelect,
    )
    decision = forms.ChoiceField(label=_("Decision on the dossier"), choices=[(d.value, d.value) for d in Decision])
    missing_other = _textarea(
        _("Other papers missing"), help_text=_("For a supplement request: one paper per line, with what to fix.")
    )
    note = _textarea(_("Guidance to the applicant"), help_text=_("Printed on the supplement request (Mẫu 02)."))
    reason = _textarea(_("Reason for refusal"), help_text=_("Printed on the refusal slip (Mẫu 03)."))

    def __init__(self, data: Any = None, *, version: ProcedureVersion, user: User, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.version, self.user = version, user
        if self.is_bound and self.data.get("applicant_kind") == ApplicantKind.ORGANIZATION:
            # An organization is known by its name and tax code; the person submitting is optional.
            self.fields["full_name"].required = self.fields["id_number"].required = False
        self.components = list(version.components.order_by("order", "pk"))
        # The intake service's own rule: situational groups ("Trường hợp …") are not enforced.
        self.required_codes = {c.code for c in components_always_required(self.components, channel=Channel.DIRECT)}
        for index, component in enumerate(self.components):
            self._add_component_fields(index, component)

    def _add_component_fields(self, index: int, component: Component) -> None:
        paper = {"paper": component.name[:80]}
        self.fields[f"c{index}_originals"] = _count(_("%(paper)s: originals received") % paper)
        self.fields[f"c{index}_copies"] = _count(_("%(paper)s: copies received") % paper)
        self.fields[f"c{index}_missing"] = forms.BooleanField(label=_("%(paper)s: missing") % paper, required=False)
        self.fields[f"c{index}_file"] = forms.FileField(label=_("%(paper)s: scan") % paper, required=False)
        self.fields[f"c{index}_kept"] = forms.CharField(required=False, widget=forms.HiddenInput, max_length=500)

    def rows(self) -> list[ComponentRow]:
        return [
            ComponentRow(
                component=component,
                originals=self[f"c{index}_originals"],
                copies=self[f"c{index}_copies"],
                missing=self[f"c{index}_missing"],
                file=self[f"c{index}_file"],
                kept=self[f"c{index}_kept"],
                kept_files=self.kept_files(index),
                required=component.code in self.required_codes,
            )
            for index, component in enumerate(self.components)
        ]

    def kept_files(self, index: int) -> list[StoredFile]:
        """Scans uploaded with an earlier, refused submission of this form (by this officer only)."""
        raw = str(self.data.get(f"c{index}_kept", "") if self.is_bound else "")
        ids = [int(part) for part in raw.split(",") if part.strip().isdigit()]
        if not ids:
            return []
        return list(StoredFile.objects.filter(pk__in=ids, uploaded_by=self.user).order_by("pk"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["applicant_kind"] = data.get("applicant_kind") or ApplicantKind.PERSON
        organization = data["applicant_kind"] == ApplicantKind.ORGANIZATION
        self._check_applicant(data, organization=organization)
        decision = data.get("decision")
        if decision == Decision.REFUSE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for the refusal: it is printed for the applicant."))
        if decision == Decision.SUPPLEMENT and not self.missing_list():
            self.add_error("missing_other", _("Tick the missing papers or list them here."))
        if decision == Decision.ACCEPT:
            self._check_required_received()
        return data

    def _check_applicant(self, data: dict[str, Any], *, organization: bool) -> None:
        """An organization needs its name and tax code; an ID number given is checked in either case."""
        for name in ("org_name", "tax_code") if organization else ():
            if not (data.get(name) or "").strip():
                self.add_error(name, _("This field is required."))
        if organization and (data.get("tax_code") or "").strip():
            try:
                data["tax_code"] = checked_tax_code(data["tax_code"])
            except forms.ValidationError as error:
                self.add_error("tax_code", error)
        if (data.get("id_number") or "").strip():
            try:
                data["id_number"] = checked_id_number(data["id_number"], date_of_birth=data.get("date_of_birth"))
            except forms.ValidationError as error:
                self.add_error("id_number", error)

    def _check_required_received(self) -> None:
        for index, component in enumerate(self.components):
            if component.code in self.required_codes and not self._received(index):
                self.add_error(f"c{index}_originals", _("Required: this paper has not been received."))

    def _received(self, index: int) -> bool:
        counts = (self.cleaned_data.get(f"c{index}_originals") or 0) + (self.cleaned_data.get(f"c{index}_copies") or 0)
        return bool(counts or self.kept_files(index))

    def missing_list(self) -> list[str]:
        ticked = [c.name for i, c in enumerate(self.components) if self.cleaned_data.get(f"c{i}_missing")]
        typed = [line.strip() for line in (self.cleaned_data.get("missing_other") or "").splitlines()]
        return [*ticked, *(line for line in typed if line)]

    def scans(self) -> dict[str, list[StoredFile]]:
        return {c.code: files for i, c in enumerate(self.components) if (files := self.kept_files(i))}

    def intake_input(self) -> IntakeInput:
        data = self.cleaned_data
        organization = data["applicant_kind"] == ApplicantKind.ORGANIZATION
        applicant = ApplicantInput(
            kind=ApplicantKind(data["applicant_kind"]),
            full_name=(data.get("full_name") or "").strip(),
            id_number=data.get("id_number") or "",
            date_of_birth=data.get("date_of_birth"),
            address=data.get("address", ""),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            name=(data.get("org_name") or "").strip() if organization else "",
            tax_code=data.get("tax_code", "") if organization else "",
            representative=(data.get("representative") or "").strip() if organization else "",
        )
        components = [
            ComponentInput(
                code=c.code, originals=data.get(f"c{i}_originals") or 0, copies=data.get(f"c{i}_copies") or 0
            )
            for i, c in enumerate(self.components)
        ]
        return IntakeInput(
            procedure=self.version.procedure.code,
            applicant=applicant,
            channel="direct",
            return_method=data["return_method"],
            components=components,
        )

    def counter_decision(self) -> CounterDecision:
        data = self.cleaned_data
        return CounterDecision(
            decision=Decision(data["decision"]),
            reason=(data.get("reason") or "").strip(),
            missing=self.missing_list(),
            note=(data.get("note") or "").strip(),
        )

    def refuse(self, error: DomainError) -> None:
        """Show a service's refusal next to the field it names, else at the top of the form."""
        field = SERVICE_FIELDS.get(error.field or "")
        self.add_error(field, str(error.message))


def prefill(profile: CitizenProfile | None, id_number: str) -> dict[str, Any]:
    """Initial applicant fields: from the citizen's profile when we know him, else just the ID number."""
    if profile is None:
        return {"id_number": id_number}
    return {
        "id_number": profile.id_number,
        "full_name": profile.full_name,
        "date_of_birth": profile.date_of_birth,
        "address": profile.address,
        "phone": profile.phone,
        "email": profile.email,
    }


def prefill_organization(organization: OrganizationProfile | None, tax_code: str) -> dict[str, Any]:
    """Initial applicant fields for an organization: from its profile when we know it, else just the tax code."""
    initial: dict[str, Any] = {"applicant_kind": ApplicantKind.ORGANIZATION, "tax_code": tax_code}
    if organization is None:
        return initial
    return initial | {
        "org_name": organization.name,
        "representative": organization.representative,
        "address": organization.address,
        "phone": organization.phone,
        "email": organization.email,
    }


class ReturnFindForm(forms.Form):
    code = forms.CharField(label=_("Dossier code"), max_length=60, help_text=_("As printed on the receipt (Mẫu 01)."))


class ReturnResultForm(forms.Form):
    """Who collected the result, and whether the originals kept for checking went back to them (SPEC §3.6)."""

    label = _("Return the result")

    receiver_name = forms.CharField(label=_("Name of the person collecting"), max_length=200)
    receiver_id_number = forms.CharField(label=_("Their personal ID number"), max_length=20)
    originals_returned = forms.BooleanField(label=_("The originals kept for checking were handed back"), required=False)
    note = _textarea(_("Note"))

    def clean_receiver_id_number(self) -> str:
        return checked_id_number(self.cleaned_data["receiver_id_number"])

    def service_note(self) -> str:
        """The note recorded with the return event: the officer's, and the originals' return."""
        note = (self.cleaned_data.get("note") or "").strip()
        if self.cleaned_data.get("originals_returned"):
            # Recorded in the event log in the administration's language, like the printed forms.
            note = f"Đã trả lại bản chính giấy tờ. {note}".strip()
        return note


class FeeCollectForm(forms.Form):
    """Fees the applicant pays at the counter: which unpaid lines, how, and the receipt number (SPEC §3.7)."""

    label = _("Collect fees")

    lines = forms.TypedMultipleChoiceField(label=_("Fees paid now"), coerce=int, widget=forms.CheckboxSelectMultiple)
    method = forms.ChoiceField(label=_("Payment method"), choices=list(PAYMENT_METHODS.items()), initial=CASH)
    receipt_number = forms.CharField(
        label=_("Receipt number"),
        required=False,
        max_length=RECEIPT_NUMBER_MAX,
        help_text=_(
            "Required for a cash payment: the number printed on the receipt (biên lai) given to the applicant."
        ),
    )

    def __init__(self, *args: Any, unpaid: list[FeeLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lines"].choices = [  # type: ignore[attr-defined]
            (line.pk, f"{line.name or line.code or _('Fee to collect')} — {vnd(line.amount)} đ") for line in unpaid
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["receipt_number"] = (cleaned.get("receipt_number") or "").strip()
        if cleaned.get("method") == CASH and not cleaned["receipt_number"]:
            self.add_error("receipt_number", _("Enter the receipt number of a cash payment."))
        return cleaned

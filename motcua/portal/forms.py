"""Forms of the citizen pages: tracking, the filing wizard (with e-forms drawn from JSON Schema),
the supplement and the verification upload. Checks only the shape of the input; the services decide."""

from __future__ import annotations

import contextlib
import re
from datetime import date
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from motcua.accounts.identity import IdentityError, normalize_digits, validate_id_number, validate_tax_code
from motcua.documents.validation import PDF, sniff_mime
from motcua.dossiers.models import ReturnMethod
from motcua.organizations.models import Unit

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def _date_field(**kwargs: Any) -> forms.DateField:
    # A native date picker where the browser has one; typed dd/mm/yyyy is accepted too.
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    return forms.DateField(widget=widget, input_formats=DATE_FORMATS, **kwargs)


def _text(label: Any, *, autocomplete: str, required: bool = True, max_length: int = 200) -> forms.CharField:
    widget = forms.TextInput(attrs={"autocomplete": autocomplete})
    return forms.CharField(label=label, required=required, max_length=max_length, widget=widget)


def error_summary(*forms_: forms.Form | None) -> list[tuple[str, str]]:
    """(link, message) for every error of the bound forms, for the summary at the top of a page."""
    items = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        first = next(iter(form), None)
        items += [(f"#{field_anchor(first)}" if first else "", str(error)) for error in form.non_field_errors()]
        items += [(f"#{field_anchor(bound)}", f"{bound.label}: {error}") for bound in form for error in bound.errors]
    return items


def field_anchor(bound: forms.BoundField) -> str:
    # Radio buttons sit in a fieldset: the link goes to the first one, which can take focus.
    return f"{bound.auto_id}_0" if bound.use_fieldset else bound.id_for_label


class TrackingForm(forms.Form):
    code = forms.CharField(
        label=_("Dossier code"),
        max_length=60,
        help_text=_("As printed on your receipt, for example 000.00.21.H99-250909-0001."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()


class ReceivingForm(forms.Form):
    """Step 1: where the dossier is received, who resolves it when that is not plain, how the result comes back."""

    receiving_unit = forms.ChoiceField(label=_("Unit that receives your dossier"))
    handling_unit = forms.ChoiceField(
        label=_("Unit competent to resolve it"),
        required=False,
        help_text=_("Needed only when the receiving unit does not resolve this procedure itself."),
    )
    return_method = forms.ChoiceField(label=_("How you want to receive the result"), widget=forms.RadioSelect)

    def __init__(
        self, *args: Any, units: list[Unit], handlers: list[Unit], postal_allowed: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.handler_codes = {u.code for u in handlers}
        unit_field = cast(forms.ChoiceField, self.fields["receiving_unit"])
        unit_field.choices = [("", _("Choose a unit")), *((u.code, u.name) for u in units)]
        if len(handlers) > 1:
            handler_field = cast(forms.ChoiceField, self.fields["handling_unit"])
            handler_field.choices = [("", _("The receiving unit")), *((u.code, u.name) for u in handlers)]
        else:
            del self.fields["handling_unit"]  # nothing to choose: the intake service finds it
        methods = [m for m in ReturnMethod if postal_allowed or m != ReturnMethod.POST]
        cast(forms.ChoiceField, self.fields["return_method"]).choices = [(m.value, m.label) for m in methods]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        receiving = cleaned.get("receiving_unit")
        undecided = "handling_unit" in self.fields and not cleaned.get("handling_unit")
        if undecided and receiving and receiving not in self.handler_codes:
            self.add_error("handling_unit", _("This unit does not resolve the procedure itself: choose who does."))
        return cleaned


class PersonApplicantForm(forms.Form):
    """Step 2 for a citizen: the applicant as the dossier will record him (prefilled from the profile)."""

    kind = "person"
    full_name = _text(_("Full name"), autocomplete="name")
    id_number = forms.CharField(
        label=_("Personal ID number"),
        max_length=20,
        help_text=_("The 12 digits of your citizen ID card."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    date_of_birth = _date_field(label=_("Date of birth"), required=False)
    address = _text(_("Address"), autocomplete="street-address", max_length=500)
    phone = _text(_("Phone"), autocomplete="tel", required=False, max_length=30)
    email = forms.EmailField(label=_("Email"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "id_number" in cleaned:
            id_number = normalize_digits(cleaned["id_number"])
            try:
                validate_id_number(id_number, date_of_birth=cleaned.get("date_of_birth"))
            except IdentityError as exc:
                self.add_error("id_number", str(exc.message))
            else:
                cleaned["id_number"] = id_number
        return cleaned


class OrganizationApplicantForm(forms.Form):
    """Step 2 for an organization account: the organization as the dossier will record it."""

    kind = "organization"
    name = _text(_("Organization name"), autocomplete="organization", max_length=300)
    tax_code = forms.CharField(
        label=_("Tax code"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    representative = _text(_("Legal representative"), autocomplete="name")
    address = _text(_("Address"), autocomplete="street-address", max_length=500)
    phone = _text(_("Phone"), autocomplete="tel", required=False, max_length=30)
    email = forms.EmailField(label=_("Email"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def clean_tax_code(self) -> str:
        value = normalize_digits(self.cleaned_data["tax_code"])
        try:
            return validate_tax_code(value)
        except IdentityError as exc:
            raise forms.ValidationError(str(exc.message)) from None


def json_values(cleaned: dict[str, Any]) -> dict[str, Any]:
    """Cleaned data as JSON (for the session and the dossier): dates as ISO text, blanks left out."""
    values: dict[str, Any] = {}
    for name, value in cleaned.items():
        if value is None or value == "":
            continue
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = float(value)
        values[name] = value
    return values


class EForm(forms.Form):
    """A component's e-form drawn from its JSON Schema: string, number, integer, date, enum, boolean.

    Labels come from `title`, help from `description`, required fields from `required`. Fields come
    in `propertyOrder` order where given (PostgreSQL's jsonb does not keep the order of keys).
    """

    def __init__(self, *args: Any, schema: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.title = str(schema.get("title") or "")
        required = set(schema.get("required") or [])
        for name, prop in schema_properties(schema.get("properties") or {}):
            field = schema_field(name, prop, required=name in required)
            if field is not None:
                self.fields[name] = field


def schema_properties(properties: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    items = [(name, prop) for name, prop in properties.items() if isinstance(prop, dict)]
    return sorted(items, key=lambda item: item[1].get("propertyOrder", 10**6))


def schema_field(name: str, prop: dict[str, Any], *, required: bool) -> forms.Field | None:
    """The form field for one JSON Schema property, or None for a kind the simple form does not draw."""
    kind = prop.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    common: dict[str, Any] = {
        "label": prop.get("title") or name,
        "required": required,
        "help_text": prop.get("description", ""),
    }
    choices = schema_choices(prop)
    if choices is not None:
        lookup = {str(value): value for value, _label in choices}
        options = [("", _("Choose…")), *((str(value), str(label)) for value, label in choices)]
        return forms.TypedChoiceField(choices=options, coerce=lookup.__getitem__, empty_value=None, **common)
    if kind == "boolean":
        return forms.BooleanField(**common)
    if kind in ("integer", "number"):
        field_class = forms.IntegerField if kind == "integer" else forms.DecimalField
        return field_class(min_value=prop.get("minimum"), max_value=prop.get("maximum"), **common)
    if kind == "string":
        return _string_field(prop, common)
    return None


def schema_choices(prop: dict[str, Any]) -> list[tuple[Any, Any]] | None:
    if isinstance(prop.get("enum"), list):
        names = prop.get("enumNames") or prop.get("x-enumNames") or prop["enum"]
        return list(zip(prop["enum"], names, strict=False))
    options = prop.get("oneOf") or prop.get("anyOf")
    if isinstance(options, list) and options and all(isinstance(o, dict) and "const" in o for o in options):
        return [(o["const"], o.get("title") or o["const"]) for o in options]
    return None


def _string_field(prop: dict[str, Any], common: dict[str, Any]) -> forms.Field:
    if prop.get("format") == "date":
        return _date_field(**common)
    if prop.get("format") == "email":
        return forms.EmailField(max_length=prop.get("maxLength"), **common)
    validators = []
    pattern = prop.get("pattern")
    if isinstance(pattern, str):
        # A broken pattern in the catalog must not break the page; the other rules still apply.
        with contextlib.suppress(re.error):
            validators.append(RegexValidator(re.compile(pattern)))
    max_length = prop.get("maxLength")
    long_text = (max_length or 0) > 300 or prop.get("format") == "textarea"
    widget = forms.Textarea(attrs={"rows": 4}) if long_text else forms.TextInput
    return forms.CharField(
        max_length=max_length, min_length=prop.get("minLength"), validators=validators, widget=widget, **common
    )


class SupplementForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the officer"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=_("Result file (PDF)"),
        help_text=_("The signed PDF you received. It is checked here and not kept."),
        widget=forms.FileInput(attrs={"accept": ".pdf,application/pdf"}),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > settings.DOCUMENTS_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large to verify."))
        content = upload.read()
        if sniff_mime(content) != PDF:
            raise forms.ValidationError(_("Upload the result as a PDF file."))
        return content

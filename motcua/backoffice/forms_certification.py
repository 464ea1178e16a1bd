"""The counter's certified electronic copy form (chứng thực bản sao điện tử từ bản chính; SPEC §3.5).

The officer checks the original, scans it, types what it is and whose it is; the documents service
digitizes, certifies, numbers in the unit's yearly book, signs and files the copy in the owner's vault.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Final, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.backoffice.forms_counter import checked_id_number
from motcua.core.errors import DomainError
from motcua.documents.certification import OriginalFacts
from motcua.organizations.models import Unit

# Lệ phí chứng thực bản sao từ bản chính (Thông tư 226/2016/TT-BTC, Điều 4.1.a): 2.000 đồng/trang;
# from the third page 1.000 đồng/trang; at most 200.000 đồng per copy.
FEE_FIRST_PAGES: Final = 2
FEE_FIRST_PAGE: Final = Decimal(2000)
FEE_NEXT_PAGE: Final = Decimal(1000)
FEE_MAX: Final = Decimal(200000)
SCANS_MAX: Final = 30
# Where a service refusal (its `field`) is shown on the form.
SERVICE_FIELDS: Final = {"title": "title", "scans": "scans", "file": "scans"}


def certification_fee(pages: int) -> Decimal:
    """The charge for one certified copy of `pages` pages of the original."""
    pages = max(pages, 1)
    first = min(pages, FEE_FIRST_PAGES)
    return min(FEE_FIRST_PAGE * first + FEE_NEXT_PAGE * (pages - first), FEE_MAX)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """The pages of the scan: one or several files (PDF or images), in order."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.tif,.tiff"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if len(files) > SCANS_MAX:
            raise forms.ValidationError(_("At most %(count)d files per copy.") % {"count": SCANS_MAX})
        return [single(item, initial) for item in files]


class CertificationForm(forms.Form):
    """The original being certified, its owner and the scan of its pages."""

    label = _("Certify the copy")

    unit = forms.ChoiceField(label=_("Certifying unit"))
    id_number = forms.CharField(
        label=_("Owner's personal ID number"),
        max_length=20,
        help_text=_("12 digits. The certified copy is filed in this person's data vault."),
    )
    requester_name = forms.CharField(
        label=_("Name of the person requesting"),
        max_length=255,
        required=False,
        help_text=_("Leave empty when the owner requests it."),
    )
    title = forms.CharField(label=_("Document certified"), max_length=255, help_text=_("E.g. Giấy khai sinh."))
    number = forms.CharField(label=_("Number of the original"), max_length=60, required=False)
    issuer = forms.CharField(label=_("Issued by"), max_length=255, required=False)
    issued_on = forms.DateField(
        label=_("Issued on"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    scans = MultipleFileField(
        label=_("Scan of the original"), help_text=_("Every page, in order: PDF, JPEG, PNG or TIFF.")
    )

    def __init__(self, data: Any = None, files: Any = None, *, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(data, files, **kwargs)
        self.units = {unit.code: unit for unit in units}
        field = cast(forms.ChoiceField, self.fields["unit"])
        field.choices = [(unit.code, unit.name) for unit in units]
        if len(units) == 1:
            field.initial = units[0].code

    def clean_id_number(self) -> str:
        return checked_id_number(self.cleaned_data["id_number"])

    def chosen_unit(self) -> Unit:
        return self.units[self.cleaned_data["unit"]]

    def original(self) -> OriginalFacts:
        data = self.cleaned_data
        return OriginalFacts(
            number=data.get("number", "").strip(),
            issuer=data.get("issuer", "").strip(),
            issued_on=data.get("issued_on"),
        )

    def refuse(self, error: DomainError) -> None:
        self.add_error(SERVICE_FIELDS.get(error.field or ""), str(error.message))

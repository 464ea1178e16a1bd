from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.organizations.models import Counter, Unit
from motcua.queueing.models import PriorityReason, ServiceArea

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
]


class KioskForm(forms.Form):
    label = _("Take a number")
    priority_reason = forms.ChoiceField(
        label=_("Priority"),
        choices=[("", _("No priority")), *PriorityReason.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    area = forms.ModelChoiceField(label=_("Service"), queryset=ServiceArea.objects.none())

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = ServiceArea.objects.filter(unit=unit, is_active=True)  # type: ignore[attr-defined]


class TransferForm(forms.Form):
    label = _("Transfer")
    area = forms.ModelChoiceField(label=_("To service area"), queryset=ServiceArea.objects.none(), required=False)
    target_counter = forms.ModelChoiceField(label=_("To counter"), queryset=Counter.objects.none(), required=False)

    def __init__(self, *args: Any, counter: Counter, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = ServiceArea.objects.filter(unit_id=counter.unit_id, is_active=True)  # type: ignore[attr-defined]
        self.fields["target_counter"].queryset = Counter.objects.filter(  # type: ignore[attr-defined]
            unit_id=counter.unit_id, is_active=True
        ).exclude(pk=counter.pk)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("area") and not data.get("target_counter"):
            raise forms.ValidationError(_("Choose a service area or a counter."))
        return data


class LinkForm(forms.Form):
    label = _("Link to a dossier")
    ticket = forms.IntegerField(widget=forms.HiddenInput)
    dossier_code = forms.CharField(label=_("Dossier code"), max_length=60)


class StatsForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), to_field_name="code")
    date = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    weekday = forms.TypedChoiceField(label=_("Day type for the advisor"), choices=WEEKDAYS, coerce=int)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]

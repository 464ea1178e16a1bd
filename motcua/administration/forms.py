"""Forms of the administration pages. They check types and shapes; the services check the rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from motcua.accounts.roles import Role
from motcua.core.errors import DomainError
from motcua.organizations.models import Counter, Unit, UnitKind
from motcua.organizations.services import MembershipTransfer
from motcua.queueing.models import ServiceArea
from motcua.workcalendar.models import CalendarOverride
from motcua.workflow.routing import StepKind, UnitRelation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AdminForm(forms.Form):
    """A form with a label (for the error summary) that shows a service's refusal next to its field."""

    label: Any = ""

    def refuse(self, error: DomainError, fields: dict[str, str] | None = None) -> None:
        name = (fields or {}).get(error.field or "", error.field)
        self.add_error(name if name in self.fields else None, str(error.message))


def _unit_choice(units: QuerySet[Unit], **kwargs: Any) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(queryset=units.filter(active_until__isnull=True).order_by("code"), **kwargs)


class UnitRenameForm(AdminForm):
    label = _("Rename the unit")
    new_name = forms.CharField(label=_("New name"), max_length=255)
    new_short_name = forms.CharField(label=_("New short name"), max_length=100, required=False)
    decision = forms.CharField(
        label=_("Decision"), max_length=100, help_text=_("Number and date, e.g. 123/QĐ-UBND ngày 01/07/2025.")
    )
    effective_on = forms.DateField(label=_("Effective on"), widget=DATE)


class UnitRecodeForm(AdminForm):
    label = _("Change the identifier code")
    new_code = forms.CharField(
        label=_("New identifier code"), max_length=35, help_text=_("QCVN 102 form, e.g. 000.00.06.H56.")
    )
    decision = forms.CharField(label=_("Decision"), max_length=100)
    effective_on = forms.DateField(label=_("Effective on"), widget=DATE)


class UnitMergeForm(AdminForm):
    label = _("Merge the unit into another")
    into = forms.ModelChoiceField(label=_("Merge into"), queryset=Unit.objects.none())
    decision = forms.CharField(label=_("Decision"), max_length=100)
    effective_on = forms.DateField(label=_("Effective on"), widget=DATE)
    memberships = forms.ChoiceField(
        label=_("Staff of the merged unit"),
        choices=[
            (MembershipTransfer.END, _("End their roles")),
            (MembershipTransfer.MOVE, _("Give them the same roles in the unit merged into")),
        ],
        widget=forms.RadioSelect,
        initial=MembershipTransfer.END,
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = units.filter(active_until__isnull=True).exclude(pk=unit.pk).order_by("code")  # type: ignore[attr-defined]


class UnitChildForm(AdminForm):
    label = _("Add a unit under this one")
    name = forms.CharField(label=_("Name"), max_length=255)
    short_name = forms.CharField(label=_("Short name"), max_length=100, required=False)
    code = forms.CharField(
        label=_("Identifier code"),
        max_length=35,
        help_text=_("Below this unit's code, in QCVN 102 form (000.00.06.H56) or QĐ 20 form (H56.06)."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices, initial=UnitKind.OFFICE)
    decision = forms.CharField(
        label=_("Decision"),
        max_length=100,
        required=False,
        help_text=_("The decision that set the unit up, if any, e.g. 123/QĐ-UBND ngày 01/07/2025."),
    )


class CounterForm(AdminForm):
    label = _("Counter")
    name = forms.CharField(label=_("Name"), max_length=255)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)


class ServiceAreaForm(AdminForm):
    """A line of the unit's kiosk; the counters offered are the unit's own open ones (and those already listed)."""

    label = _("Save the service area")
    letter = forms.CharField(
        label=_("Letter"),
        max_length=1,
        help_text=_("One capital letter, A to Z: the area's ticket numbers start with it (A001, A002…)."),
        widget=forms.TextInput(attrs={"size": 2, "autocapitalize": "characters", "autocomplete": "off"}),
    )
    name = forms.CharField(label=_("Name"), max_length=150, help_text=_("Shown on the kiosk button, e.g. Hộ tịch."))
    procedure_fields = forms.CharField(
        label=_("Procedure fields"),
        max_length=300,
        required=False,
        help_text=_("Shown under the name on the kiosk, e.g. Hộ tịch, chứng thực."),
    )
    counters = forms.ModelMultipleChoiceField(
        label=_("Counters that call it"),
        queryset=Counter.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every counter of the unit calls this area."),
    )
    position = forms.IntegerField(
        label=_("Position on the kiosk"), min_value=0, max_value=32767, initial=0, help_text=_("Smaller comes first.")
    )
    is_active = forms.BooleanField(label=_("Active (shown on the kiosk)"), required=False, initial=True)

    def __init__(self, *args: Any, unit: Unit, area: ServiceArea | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offered = Q(is_active=True)
        if area is not None:
            offered |= Q(pk__in=area.counters.values("pk"))
        self.fields["counters"].queryset = Counter.objects.filter(offered, unit=unit).order_by("name")  # type: ignore[attr-defined]


class StaffUserForm(AdminForm):
    label = _("Create a staff account")
    username = forms.CharField(label=_("User name"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Give it to the person in private; he sets up his authenticator app at first login."),
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    roles = forms.MultipleChoiceField(label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.filter(active_until__isnull=True).order_by("code")  # type: ignore[attr-defined]


class GrantForm(AdminForm):
    label = _("Give a role")
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.filter(active_until__isnull=True).order_by("code")  # type: ignore[attr-defined]


class ImportForm(AdminForm):
    label = _("Import procedures")
    file = forms.FileField(
        label=_("Catalog file"), help_text=_("LayThuTuc JSON (.json) or a workbook (.xlsx) in the export layout.")
    )


STEP_KINDS = [
    (StepKind.RECEPTION, _("Reception")),
    (StepKind.PROCESSING, _("Processing")),
    (StepKind.RETURN, _("Return of the result")),
]
UNIT_RELATIONS = [
    (UnitRelation.RECEIVING, _("The receiving unit (counter)")),
    (UnitRelation.HANDLING, _("The handling unit")),
    (UnitRelation.PARENT_OF_HANDLING, _("The unit above the handling unit")),
    (UnitRelation.ABSOLUTE, _("A fixed unit")),
]


class StepForm(forms.Form):
    """One row of the step table."""

    name = forms.CharField(label=_("Step"), max_length=255)
    kind = forms.ChoiceField(label=_("Kind"), choices=STEP_KINDS, initial=StepKind.PROCESSING)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.SPECIALIST)
    unit_relation = forms.ChoiceField(label=_("Where"), choices=UNIT_RELATIONS, initial=UnitRelation.HANDLING)
    unit = forms.ModelChoiceField(label=_("Fixed unit"), queryset=Unit.objects.none(), required=False)
    allotted_hours = forms.DecimalField(label=_("Working hours"), min_value=Decimal(0), max_digits=8, decimal_places=2)

    def __init__(self, *args: Any, units: QuerySet[Unit] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("unit_relation") == UnitRelation.ABSOLUTE and not data.get("unit"):
            self.add_error("unit", _("A step with a fixed unit must name that unit."))
        return data


class BaseStepFormSet(forms.BaseFormSet):
    label = _("Save the process definition")

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        self.units = units
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "units": self.units}

    @property
    def empty_form(self) -> forms.Form:  # type: ignore[override]
        return self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            units=self.units,
            empty_permitted=True,
            use_required_attribute=False,
        )

    def refuse(self, error: DomainError) -> None:
        """A service's refusal of the steps as a whole: shown in the summary and beside the total."""
        self._non_form_errors = self.error_class([str(error.message)], renderer=self.renderer)  # type: ignore[attr-defined]


StepFormSet = cast(
    "type[BaseStepFormSet]",
    forms.formset_factory(StepForm, formset=BaseStepFormSet, extra=1, can_delete=True, min_num=1, validate_min=True),
)


class CalendarOverrideForm(AdminForm):
    label = _("Add a calendar override")
    day = forms.DateField(label=_("Date"), widget=DATE)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (CalendarOverride.Kind.DAY_OFF, _("Extra day off (holiday)")),
            (CalendarOverride.Kind.WORKING_DAY, _("Make-up working day")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=255, help_text=_("Shown in due-date explanations, e.g. “Nghỉ bù Tết Nguyên Đán”.")
    )
    decision_number = forms.CharField(label=_("Decision or notice"), max_length=100, required=False)


class Pkcs12Form(AdminForm):
    label = _("Upload a PKCS#12 file")
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    file = forms.FileField(label=_("PKCS#12 file (.p12, .pfx)"))
    password = forms.CharField(
        label=_("Password of the file"), widget=forms.PasswordInput(attrs={"autocomplete": "off"})
    )
    passphrase_env = forms.CharField(
        label=_("Server variable holding the password"),
        max_length=100,
        help_text=_("The password is not stored in the database: signing reads it from this variable."),
    )
    label_text = forms.CharField(label=_("Label"), max_length=200, required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.filter(active_until__isnull=True).order_by("code")  # type: ignore[attr-defined]


class Pkcs11Form(AdminForm):
    label = _("Register a key on a PKCS#11 token")
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    certificate_pem = forms.CharField(label=_("Certificate (PEM)"), widget=forms.Textarea(attrs={"rows": 6}))
    module = forms.CharField(label=_("PKCS#11 module path"), max_length=500)
    token_label = forms.CharField(label=_("Token label"), max_length=100, required=False)
    key_label = forms.CharField(label=_("Key label"), max_length=100)
    pin_env = forms.CharField(label=_("Server variable holding the PIN"), max_length=100, required=False)
    label_text = forms.CharField(label=_("Label"), max_length=200, required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.filter(active_until__isnull=True).order_by("code")  # type: ignore[attr-defined]

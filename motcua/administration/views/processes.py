"""Process definitions: list per procedure and unit, edit the steps (new version on save), drawn diagram."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.accounts.models import User
from motcua.accounts.roles import Role
from motcua.administration import diagram
from motcua.administration.access import (
    admin_required,
    admin_unit_ids,
    admin_units,
    admin_user,
    is_province_administrator,
)
from motcua.administration.forms import UNIT_RELATIONS, StepFormSet
from motcua.administration.services import admin_change_record
from motcua.catalog.models import Procedure
from motcua.core.errors import DomainError, InvalidInput
from motcua.organizations.models import Unit, UnitKind
from motcua.workflow import services as workflow
from motcua.workflow.models import ProcessDefinition
from motcua.workflow.routing import UnitRelation

PAGE_SIZE = 50


def _definitions(user: User) -> Any:
    definitions = ProcessDefinition.objects.select_related("procedure__current_version", "unit")
    ids = admin_unit_ids(user)
    if ids is None:
        return definitions
    scoped = Q(unit_id__in=sorted(ids))
    if is_province_administrator(user):
        scoped |= Q(unit__isnull=True)
    return definitions.filter(scoped)


def _definition_or_404(request: HttpRequest, pk: int) -> ProcessDefinition:
    definition = _definitions(admin_user(request)).filter(pk=pk).first()
    if definition is None:
        raise Http404
    return definition


class NewDefinitionForm(forms.Form):
    label = gettext_lazy("Start a process definition")
    procedure = forms.CharField(
        label=gettext_lazy("Procedure code"), max_length=30, help_text=gettext_lazy("National code, e.g. 1.001193.")
    )
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit"), queryset=Unit.objects.none())

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.filter(active_until__isnull=True).order_by("code")  # type: ignore[attr-defined]

    def clean_procedure(self) -> Procedure:
        procedure = (
            Procedure.objects.select_related("current_version")
            .filter(code=self.cleaned_data["procedure"].strip())
            .first()
        )
        if procedure is None or procedure.current_version is None:
            raise forms.ValidationError(_("No procedure with this code in the catalog."))
        return procedure


@admin_required
def process_list(request: HttpRequest) -> HttpResponse:
    user = admin_user(request)
    q = request.GET.get("q", "").strip()
    definitions = _definitions(user).filter(active=True)
    if q:
        definitions = definitions.filter(
            Q(procedure__code__icontains=q) | Q(procedure__current_version__name__icontains=q)
        )
    form = NewDefinitionForm(request.POST or None, units=admin_units(user), prefix="new")
    template = None
    if request.method == "POST" and form.is_valid():
        procedure, unit = form.cleaned_data["procedure"], form.cleaned_data["unit"]
        own = _own_definition(procedure, unit)
        if own is not None:
            return redirect("administration:process-edit", pk=own.pk)
        template = workflow.process_definition_template(procedure=procedure, unit=unit)
        if template is None:
            with transaction.atomic():
                definition = workflow.process_definition_for(version=procedure.current_version, unit=unit)
                admin_change_record(
                    by=user,
                    action="process.start",
                    target=definition,
                    unit=unit,
                    after={"version": definition.version},
                )
            return redirect("administration:process-edit", pk=definition.pk)
    status = 422 if form.is_bound and not form.is_valid() else 200
    return _list_page(request, definitions, q, form, template=template, status=status)


def _own_definition(procedure: Procedure, unit: Unit) -> ProcessDefinition | None:
    return ProcessDefinition.objects.filter(procedure=procedure, unit=unit, active=True).order_by("-version").first()


def _list_page(
    request: HttpRequest,
    definitions: Any,
    q: str,
    form: NewDefinitionForm,
    *,
    template: ProcessDefinition | None = None,
    status: int = 200,
) -> HttpResponse:
    """The list (50 a page, the search kept), the start form and, when the unit follows its kind's
    template, the offer to copy that template for the unit."""
    ordered = definitions.order_by("procedure__code", "unit__code", "unit_kind", "pk")
    context = {
        "page": Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page")),
        "q": q,
        "form": form,
        "template": template,
        "template_steps": list(template.steps.order_by("order")) if template else [],
        "template_editable": template is not None and is_province_administrator(admin_user(request)),
    }
    return render(request, "administration/processes.html", context, status=status)


@admin_required
@require_POST
def process_copy(request: HttpRequest) -> HttpResponse:
    """Copy the unit kind's template as the unit's own definition (version 1), then edit it."""
    user = admin_user(request)
    form = NewDefinitionForm(request.POST, units=admin_units(user), prefix="new")
    if form.is_valid():
        procedure, unit = form.cleaned_data["procedure"], form.cleaned_data["unit"]
        template = workflow.process_definition_template(procedure=procedure, unit=unit)
        try:
            if template is None:
                raise InvalidInput(
                    _("There is no template to copy: this unit already has its own definition or none exists."),
                    field="procedure",
                )
            with transaction.atomic():
                copy = workflow.process_definition_copy_template(template=template, unit=unit)
                admin_change_record(
                    by=user,
                    action="process.copy_template",
                    target=copy,
                    unit=unit,
                    before={"template": str(template)},
                    after={"version": copy.version, "steps": [s.name for s in copy.steps.order_by("order")]},
                )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(
                request,
                _("The template was copied as this unit's own process definition (version %(version)d).")
                % {"version": copy.version},
            )
            return redirect("administration:process-edit", pk=copy.pk)
    return _list_page(request, _definitions(user).filter(active=True), "", form, status=422)


def _initial(definition: ProcessDefinition) -> list[dict[str, Any]]:
    return [
        {
            "name": s.name,
            "kind": s.kind,
            "role": s.role,
            "unit_relation": s.unit_relation,
            "unit": s.unit,
            "allotted_hours": s.allotted_hours,
        }
        for s in definition.steps.select_related("unit").order_by("order")
    ]


def _boxes(steps: list[dict[str, Any]], definition: ProcessDefinition) -> list[diagram.Box]:
    relations = dict(UNIT_RELATIONS)
    roles = dict(Role.choices)
    boxes = []
    for n, step in enumerate(steps, start=1):
        relation = step["unit_relation"]
        unit = step.get("unit")
        lane = str(unit) if relation == UnitRelation.ABSOLUTE and unit else str(relations.get(relation, relation))
        boxes.append(
            diagram.Box(
                order=n,
                name=step["name"],
                role=str(roles.get(step["role"], step["role"])),
                lane=lane,
                hours=Decimal(step["allotted_hours"]),
            )
        )
    return boxes


def _total(definition: ProcessDefinition) -> Decimal | None:
    version = definition.procedure.current_version
    return workflow.version_total_hours(version) if version else None


def _page(
    request: HttpRequest, definition: ProcessDefinition, formset: Any, steps: list[dict[str, Any]], status: int = 200
) -> HttpResponse:
    boxes = _boxes(steps, definition)
    title = _("Process diagram: %(procedure)s") % {"procedure": definition.procedure.code}
    description = " → ".join(f"{b.order}. {b.name} ({b.role}, {b.lane}, {b.hours} h)" for b in boxes)
    context = {
        "definition": definition,
        "where": definition.unit or UnitKind(definition.unit_kind).label,
        "formset": formset,
        "boxes": boxes,
        "svg": diagram.svg(boxes, title=title, description=description, hours_label=_("{hours} working hours")),
        "total": _total(definition),
        "allotted": sum((b.hours for b in boxes), Decimal(0)),
        "history": ProcessDefinition.objects.filter(
            procedure=definition.procedure, unit=definition.unit, unit_kind=definition.unit_kind
        ).order_by("-version"),
    }
    return render(request, "administration/process_edit.html", context, status=status)


@admin_required
def process_edit(request: HttpRequest, pk: int) -> HttpResponse:
    definition = _definition_or_404(request, pk)
    units = Unit.objects.filter(active_until__isnull=True).order_by("code")
    if request.method != "POST":
        steps = _initial(definition)
        return _page(request, definition, StepFormSet(initial=steps, prefix="steps", units=units), steps)
    formset = StepFormSet(request.POST, prefix="steps", units=units)
    if formset.is_valid():
        steps = [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        drafts = [workflow.StepDraft(**{k: v for k, v in s.items() if k != "DELETE"}) for s in steps]
        try:
            with transaction.atomic():
                revised = workflow.process_definition_revise(definition=definition, steps=drafts)
                before = {"version": definition.version, "steps": [s["name"] for s in _initial(definition)]}
                after = {"version": revised.version, "steps": [d.name for d in drafts]}
                admin_change_record(
                    by=admin_user(request),
                    action="process.revise",
                    target=revised,
                    unit=revised.unit,
                    before=before,
                    after=after,
                )
        except DomainError as error:
            formset.refuse(error)
        else:
            messages.success(request, _("Saved as version %(version)d.") % {"version": revised.version})
            return redirect("administration:process-edit", pk=revised.pk)
        return _page(request, definition, formset, steps, status=422)
    steps = [
        f.cleaned_data for f in formset.forms if f.is_valid() and f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]
    return _page(request, definition, formset, steps, status=422)

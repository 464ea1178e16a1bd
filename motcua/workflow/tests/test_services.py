"""Choosing, generating and validating process definitions."""

from decimal import Decimal

import pytest

from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.core.errors import InvalidInput
from motcua.organizations.models import Unit, UnitKind
from motcua.workflow.models import ProcessDefinition, StepDefinition
from motcua.workflow.routing import UnitRelation
from motcua.workflow.services import (
    process_definition_for,
    process_definition_validate,
    step_unit,
    version_total_hours,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def version():
    procedure = Procedure.objects.create(code="1.000001")
    version = ProcedureVersion.objects.create(
        procedure=procedure, number=1, name="Thủ tục", processing_time=Decimal(3), processing_time_unit="working_days"
    )
    procedure.current_version = version
    procedure.save()
    return version


@pytest.fixture
def commune():
    province = Unit.objects.create(code="000.00.00.H99", name="UBND tỉnh", kind=UnitKind.PEOPLES_COMMITTEE)
    return Unit.objects.create(code="000.00.21.H99", name="UBND xã", kind=UnitKind.COMMUNE, parent=province)


def test_a_default_definition_is_generated_once_and_reused(version, commune):
    first = process_definition_for(version=version, unit=commune)
    second = process_definition_for(version=version, unit=commune)

    assert first == second
    assert first.generated
    assert [s.allotted_hours for s in first.steps.all()] == [0, 17, 5, 2]
    process_definition_validate(definition=first, version=version)


def test_a_unit_definition_wins_over_the_unit_kind_template(version, commune):
    template = ProcessDefinition.objects.create(procedure=version.procedure, unit_kind=UnitKind.COMMUNE)
    assert process_definition_for(version=version, unit=commune) == template

    own = ProcessDefinition.objects.create(procedure=version.procedure, unit=commune)
    assert process_definition_for(version=version, unit=commune) == own


def test_allotted_hours_must_add_up_to_the_processing_time(version, commune):
    definition = ProcessDefinition.objects.create(procedure=version.procedure, unit=commune)
    StepDefinition.objects.create(
        definition=definition, order=1, name="Thẩm định", role="specialist", allotted_hours=20
    )

    with pytest.raises(InvalidInput, match="24"):
        process_definition_validate(definition=definition, version=version)


def test_an_empty_definition_is_invalid(version, commune):
    definition = ProcessDefinition.objects.create(procedure=version.procedure, unit=commune)

    with pytest.raises(InvalidInput):
        process_definition_validate(definition=definition, version=version)


def test_calendar_day_procedures_are_not_checked_in_working_hours(version):
    version.processing_time_unit = "days"

    assert version_total_hours(version) is None


def test_step_units_relative_to_the_dossier(version, commune):
    definition = process_definition_for(version=version, unit=commune)
    center = Unit.objects.create(code="000.00.01.H99", name="Trung tâm")
    reception, appraisal, *_ = definition.specs()

    assert step_unit(spec=reception, receiving=center, handling=commune) == center
    assert step_unit(spec=appraisal, receiving=center, handling=commune) == commune
    parent = StepDefinition(order=9, name="Phê duyệt tỉnh", role="unit_leader", allotted_hours=0)
    parent.unit_relation = UnitRelation.PARENT_OF_HANDLING
    assert step_unit(spec=parent.spec(), receiving=center, handling=commune) == commune.parent

"""Registering dossiers: one happy path per channel, and every refusal of the intake rules."""

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

import pytest

from motcua.accounts.roles import AccountKind, Role
from motcua.core.clock import VIETNAM
from motcua.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from motcua.dossiers.factories import (
    CounterFactory,
    ProcedureFactory,
    UnitFactory,
    UserFactory,
    applicant,
    intake_input,
    offer,
    register,
    staff,
)
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Channel, Dossier, DossierEvent
from motcua.dossiers.services.intake import ComponentInput, dossier_intake
from motcua.dossiers.services.review import dossier_accept
from motcua.integrations.models import OutboxMessage

pytestmark = pytest.mark.django_db


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=VIETNAM)


def test_counter_intake_is_accepted_at_once_with_code_and_due_time(world, outbox):
    dossier = register(world.officer, world.procedure)

    assert dossier.status == Status.PROCESSING
    assert dossier.channel == Channel.DIRECT
    assert dossier.code == "000.00.21.H99-250909-0001"
    assert dossier.receiving_unit == world.unit
    assert dossier.receiving_counter == world.counter
    assert dossier.accepted_at == local(2025, 9, 9, 9, 0)
    # 5 working days from Tuesday 09:00 → next Tuesday 09:00 (the weekend skipped).
    assert dossier.due_at == local(2025, 9, 16, 9, 0)
    assert [e.action for e in dossier.events.all()] == ["submit", "accept"]
    assert outbox.kinds() == ["dvcqg_sync", "dvcqg_sync", "notify_email"]
    assert outbox.templates() == ["accepted"]


def test_counter_intake_opens_the_appraisal_step_after_recording_reception(world):
    dossier = register(world.officer, world.procedure)

    reception, appraisal = dossier.steps.order_by("pk")
    assert reception.finished_at == dossier.accepted_at
    assert reception.finished_by == world.officer
    assert appraisal.finished_at is None
    assert appraisal.role == Role.SPECIALIST
    assert appraisal.allotted_hours == 28  # 70 % of 40 working hours
    assert appraisal.due_at == local(2025, 9, 12, 15, 0)


def test_online_submission_waits_for_acceptance_without_a_due_time(world, outbox):
    dossier = register(world.citizen, world.procedure, receiving_unit=world.unit.code)

    assert dossier.status == Status.SUBMITTED
    assert dossier.channel == Channel.ONLINE
    assert dossier.owner == world.citizen
    assert dossier.due_at is None
    assert dossier.code  # registered: the national portal needs its MaHoSo
    reception = dossier.steps.get()
    # Decree 118/2025 Art. 17.2.c: the counter decides within 8 working hours.
    assert reception.due_at == local(2025, 9, 10, 9, 0)
    assert outbox.templates() == ["submitted", "reception_alert"]  # the applicant, then the counter


def test_postal_intake_by_a_counter_officer_is_accepted_with_channel_postal(world):
    dossier = register(world.officer, world.procedure, channel="postal")

    assert dossier.channel == Channel.POSTAL
    assert dossier.status == Status.PROCESSING


def test_postal_agent_registers_a_pickup_that_the_counter_accepts_later(world):
    agent = staff(world.unit, Role.POSTAL_AGENT)

    dossier = register(agent, world.procedure, receiving_unit=world.unit.code)

    assert dossier.channel == Channel.POSTAL
    assert dossier.status == Status.SUBMITTED


def test_integration_push_registers_an_online_dossier(world):
    portal = UserFactory(username="dvcqg", kind=AccountKind.INTEGRATION)

    dossier = register(portal, world.procedure, receiving_unit=world.unit.code)

    assert dossier.channel == Channel.ONLINE
    assert dossier.status == Status.SUBMITTED
    assert dossier.submitted_by == portal


def test_organization_applicant_with_valid_tax_code(world):
    organization = applicant(kind="organization", name="Công ty TNHH An Bình", tax_code="0100109106", id_number="")

    dossier = register(world.officer, world.procedure, applicant=organization)

    assert dossier.organization_tax_code == "0100109106"
    assert dossier.applicant_display_name == "Công ty TNHH An Bình"


def test_fee_lines_are_copied_from_the_version(world):
    dossier = register(world.officer, world.procedure)

    assert [(f.name, f.amount) for f in dossier.fee_lines.all()] == [("Lệ phí", Decimal(50000))]


def test_codes_count_per_prefix_per_day(world, clock):
    first = register(world.officer, world.procedure)
    second = register(world.officer, world.procedure)
    clock.move_to(local(2025, 9, 10, 8, 0))
    next_day = register(world.officer, world.procedure)

    assert first.code.endswith("-250909-0001")
    assert second.code.endswith("-250909-0002")
    assert next_day.code == "000.00.21.H99-250910-0001"


def test_2025_profile_prefixes_the_competent_unit_not_the_receiving_one(world):
    center = UnitFactory(code="000.00.01.H99", name="Trung tâm PVHCC")
    counter = CounterFactory(unit=center)
    officer = staff(center, Role.COUNTER_OFFICER, counter=counter)
    offer(world.procedure, center, handles=False)

    dossier = register(officer, world.procedure, handling_unit=world.unit.code)

    assert dossier.receiving_unit == center
    assert dossier.code.startswith("000.00.21.H99-")


def test_2018_profile_prefixes_the_receiving_unit(world, clock):
    clock.move_to(local(2025, 6, 10, 9, 0))
    center = UnitFactory(code="000.00.01.H99", name="Trung tâm PVHCC")
    officer = staff(center, Role.COUNTER_OFFICER, counter=CounterFactory(unit=center))
    offer(world.procedure, center, handles=False)

    dossier = register(officer, world.procedure, handling_unit=world.unit.code)

    assert dossier.code == "000.00.01.H99-250610-0001"


def test_immediate_result_is_due_at_the_close_of_the_same_working_day(world):
    procedure = ProcedureFactory(current__immediate_result=True, current__processing_time=None)
    offer(procedure, world.unit)

    dossier = register(world.officer, procedure)

    assert dossier.due_at == local(2025, 9, 9, 17, 0)


def test_after_15h_rule_counts_from_the_next_working_days_opening(world, clock):
    procedure = ProcedureFactory(current__next_day_after_15h=True, current__processing_time=Decimal(1))
    offer(procedure, world.unit)
    clock.move_to(local(2025, 9, 12, 15, 30))  # Friday afternoon

    dossier = register(world.officer, procedure)

    assert dossier.due_at == local(2025, 9, 15, 17, 0)  # Monday's close


def test_online_time_applies_to_online_dossiers(world):
    procedure = ProcedureFactory(current__online_processing_time=Decimal(2))
    offer(procedure, world.unit)
    dossier = register(world.citizen, procedure, receiving_unit=world.unit.code)

    dossier_accept(dossier=dossier, officer=world.officer)

    dossier.refresh_from_db()
    assert dossier.due_at == local(2025, 9, 11, 9, 0)


def test_unknown_procedure_is_not_found(world):
    with pytest.raises(NotFound):
        dossier_intake(caller=world.officer, data=replace(intake_input(world.procedure), procedure="9.999999"))


def test_procedure_not_offered_at_the_unit_is_refused(world):
    with pytest.raises(InvalidInput) as caught:
        register(world.outsider, world.procedure)

    assert caught.value.field in {"receiving_unit", "handling_unit"}
    assert not Dossier.objects.exists()


def test_non_geographic_procedure_is_received_at_any_counter(world):
    procedure = ProcedureFactory(current__non_geographic=True)
    offer(procedure, world.unit)

    dossier = register(world.outsider, procedure, handling_unit=world.unit.code)

    assert dossier.receiving_unit == world.other_unit
    assert dossier.handling_unit == world.unit


def test_missing_required_components_are_named(world):
    with pytest.raises(InvalidInput) as caught:
        register(world.officer, world.procedure, components=[ComponentInput(code="TP2", files=["x"])])

    assert "TP1" in str(caught.value.message)
    assert "Tờ khai" in str(caught.value.message)


def test_unknown_component_code_is_refused(world):
    with pytest.raises(InvalidInput, match="ZZ9"):
        register(
            world.officer, world.procedure, components=[ComponentInput(code="TP1", copies=1), ComponentInput("ZZ9")]
        )


@pytest.mark.parametrize("id_number", ["12345", "00109001234X", "999090012345", ""])
def test_invalid_id_number_is_refused(world, id_number):
    with pytest.raises(InvalidInput) as caught:
        register(world.officer, world.procedure, applicant=applicant(id_number=id_number))

    assert caught.value.field == "applicant.id_number"


def test_citizen_cannot_file_at_the_counter_channel(world):
    with pytest.raises(InvalidInput):
        register(world.citizen, world.procedure, receiving_unit=world.unit.code, channel="direct")


def test_staff_without_a_counter_role_cannot_register(world):
    with pytest.raises(PermissionDenied):
        register(world.specialist, world.procedure)


def test_counter_officer_cannot_receive_for_a_unit_where_he_has_no_counter(world):
    with pytest.raises(PermissionDenied):
        register(world.outsider, world.procedure, receiving_unit=world.unit.code)


def test_same_idempotency_key_gives_the_same_dossier(world):
    data = intake_input(world.procedure)

    first = dossier_intake(caller=world.officer, data=data, idempotency_key="k-1")
    again = dossier_intake(caller=world.officer, data=data, idempotency_key="k-1")

    assert again.dossier == first.dossier
    assert again.replayed
    assert Dossier.objects.count() == 1
    assert DossierEvent.objects.count() == 2


def test_same_idempotency_key_with_another_body_is_a_conflict(world):
    dossier_intake(caller=world.officer, data=intake_input(world.procedure), idempotency_key="k-1")

    with pytest.raises(Conflict):
        dossier_intake(
            caller=world.officer,
            data=intake_input(world.procedure, applicant=applicant(full_name="Trần Thị Bình")),
            idempotency_key="k-1",
        )


def test_idempotency_keys_belong_to_their_caller(world):
    dossier_intake(caller=world.officer, data=intake_input(world.procedure), idempotency_key="k-1")
    other = staff(world.unit, Role.COUNTER_OFFICER, counter=world.counter)

    second = dossier_intake(caller=other, data=intake_input(world.procedure), idempotency_key="k-1")

    assert not second.replayed
    assert Dossier.objects.count() == 2


def test_same_applicant_and_procedure_on_the_same_day_warns_but_registers(world):
    first = register(world.officer, world.procedure)

    result = dossier_intake(caller=world.officer, data=intake_input(world.procedure))

    assert result.dossier.pk != first.pk
    assert first.code in result.warnings[0]


def test_a_different_day_does_not_warn(world, clock):
    register(world.officer, world.procedure)
    clock.move_to(local(2025, 9, 10, 9, 0))

    assert dossier_intake(caller=world.officer, data=intake_input(world.procedure)).warnings == []


def test_the_receiving_counter_is_alerted_when_an_online_dossier_arrives(world):
    register(world.citizen, world.procedure, receiving_unit=world.unit.code)

    alert = OutboxMessage.objects.get(payload__template="reception_alert")
    assert alert.payload["to"] == ["officer@example.vn"]

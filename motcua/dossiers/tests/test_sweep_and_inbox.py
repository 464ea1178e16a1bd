"""The officer's inbox and the deadline sweep."""

from datetime import datetime

import pytest
from django.core.management import call_command

from motcua.accounts.roles import Role
from motcua.core.clock import VIETNAM
from motcua.dossiers.factories import register, staff
from motcua.dossiers.selectors import dossier_inbox
from motcua.dossiers.services.due import Urgency
from motcua.dossiers.services.processing import dossier_forward
from motcua.dossiers.services.review import dossier_request_supplement
from motcua.dossiers.services.sweep import deadlines_sweep
from motcua.integrations.models import OutboxMessage

pytestmark = pytest.mark.django_db


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=VIETNAM)


def reminders(kind: str = "step"):
    return OutboxMessage.objects.filter(idempotency_key__startswith=f"reminder:{kind}:").order_by("pk")


def test_inbox_lists_the_officers_steps_by_due_time(world, clock):
    later = register(world.officer, world.procedure)
    clock.move_to(local(2025, 9, 8, 9, 0))
    sooner = register(world.officer, world.procedure)

    items = dossier_inbox(officer=world.specialist, now=local(2025, 9, 9, 10, 0))

    assert [item.dossier for item in items] == [sooner, later]
    assert dossier_inbox(officer=world.leader) == []


def test_inbox_colours_early_due_soon_and_overdue(world):
    register(world.officer, world.procedure)  # appraisal due Friday 12 September 15:00

    def state(now):
        return dossier_inbox(officer=world.specialist, now=now)[0].urgency

    assert state(local(2025, 9, 10, 9, 0)) == Urgency.EARLY
    assert state(local(2025, 9, 12, 11, 0)) == Urgency.DUE_SOON
    assert state(local(2025, 9, 12, 15, 1)) == Urgency.OVERDUE


def test_inbox_shows_assigned_steps_only_to_their_assignee(world):
    dossier = register(world.officer, world.procedure)
    deputy = staff(world.unit, Role.UNIT_LEADER)
    dossier_forward(dossier=dossier, officer=world.specialist, assignee=deputy)

    assert [i.dossier for i in dossier_inbox(officer=deputy)] == [dossier]
    assert dossier_inbox(officer=world.leader) == []


def test_inbox_leaves_out_dossiers_waiting_for_the_applicant(world):
    dossier = register(world.officer, world.procedure)
    dossier_request_supplement(dossier=dossier, officer=world.specialist, missing=["x"])

    assert dossier_inbox(officer=world.specialist) == []


def test_counter_officers_see_online_dossiers_waiting_for_reception(world):
    dossier = register(world.citizen, world.procedure, receiving_unit=world.unit.code)

    assert [i.dossier for i in dossier_inbox(officer=world.officer)] == [dossier]


def test_sweep_reminds_the_holder_and_the_leader_of_a_step_due_soon_once_a_day(world, clock):
    register(world.officer, world.procedure)
    clock.move_to(local(2025, 9, 12, 11, 0))  # 4 working hours before the step's due time

    first = deadlines_sweep()
    again = deadlines_sweep()

    assert (first.reminders, again.reminders) == (1, 0)
    message = reminders().get()
    assert message.payload["template"] == "step_due_soon"
    assert sorted(message.payload["to"]) == ["leader@example.vn", "specialist@example.vn"]


def test_sweep_reminds_again_the_next_day_when_overdue(world, clock):
    register(world.officer, world.procedure)
    clock.move_to(local(2025, 9, 12, 11, 0))
    deadlines_sweep()
    clock.move_to(local(2025, 9, 15, 9, 0))

    assert deadlines_sweep().reminders == 1
    assert reminders().last().payload["template"] == "step_overdue"


def test_sweep_prompts_an_apology_on_the_last_day_one_can_be_issued(world, clock):
    register(world.officer, world.procedure)  # due Tuesday 16 September 09:00
    clock.move_to(local(2025, 9, 11, 9, 0))
    assert deadlines_sweep().apology_prompts == 0  # three working days left
    clock.move_to(local(2025, 9, 12, 13, 30))  # 13.5 working hours left

    assert deadlines_sweep().apology_prompts == 1
    prompt = reminders("apology").get()
    assert prompt.payload["template"] == "apology_prompt"
    assert prompt.payload["to"] == ["leader@example.vn"]


def test_sweep_command_reports(world, clock, capsys):
    register(world.officer, world.procedure)
    clock.move_to(local(2025, 9, 15, 9, 0))

    call_command("sweep_deadlines")

    assert "reminders=1" in capsys.readouterr().out

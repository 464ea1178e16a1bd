"""Issuing, calling, serving and transferring tickets; every refusal leaves the queue as it was."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction

from motcua.core.errors import Conflict, InvalidInput, PermissionDenied
from motcua.queueing import selectors, services
from motcua.queueing.models import CounterSession, PriorityReason, Ticket, TicketSequence, TicketStatus


def snapshot() -> list[tuple]:
    """Everything a refusal must leave untouched."""
    tickets = Ticket.objects.order_by("pk").values_list(
        "pk", "status", "counter_id", "officer_id", "called_at", "served_at", "finished_at", "recalls", "dossier_id"
    )
    sessions = CounterSession.objects.order_by("pk").values_list("pk", "counter_id", "officer_id", "closed_at")
    return [*tickets, *sessions, *TicketSequence.objects.values_list("area_id", "day", "last_number")]


def seated(hall, officer=None, counter=None):
    return services.session_open(officer=officer or hall.officer, counter=counter or hall.counter)


def test_numbers_run_per_area_per_day_and_start_again_the_next_day(hall, clock):
    codes = [services.ticket_issue(area=hall.civil).code for _ in range(3)]
    land = services.ticket_issue(area=hall.land).code
    clock.shift(timedelta(days=1))
    next_day = services.ticket_issue(area=hall.civil)

    assert codes == ["A001", "A002", "A003"]
    assert land == "B001"
    assert (next_day.code, str(next_day.day)) == ("A001", "2025-09-10")


class Boom(Exception):
    pass


@transaction.atomic
def _issue_then_crash(hall) -> None:
    services.ticket_issue(area=hall.civil)
    raise Boom


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_issue_gives_its_number_back(hall):
    with pytest.raises(Boom):
        _issue_then_crash(hall)

    assert services.ticket_issue(area=hall.civil).code == "A001"


def test_unknown_priority_reason_or_closed_area_is_refused_and_nothing_is_issued(hall):
    hall.land.is_active = False
    hall.land.save()

    with pytest.raises(InvalidInput):
        services.ticket_issue(area=hall.civil, priority_reason="vip")
    with pytest.raises(InvalidInput):
        services.ticket_issue(area=hall.land)

    assert snapshot() == []


def test_priority_ticket_is_called_before_earlier_ordinary_ones(hall, clock):
    ordinary = services.ticket_issue(area=hall.civil)
    clock.shift(timedelta(minutes=3))
    elderly = services.ticket_issue(area=hall.land, priority_reason=PriorityReason.ELDERLY)
    seated(hall)

    called = services.ticket_call_next(officer=hall.officer, counter=hall.counter)

    assert called.pk == elderly.pk
    assert (called.status, called.counter, called.officer) == (TicketStatus.CALLED, hall.counter, hall.officer)
    assert selectors.people_ahead(Ticket.objects.get(pk=ordinary.pk)) == 0
    services.ticket_finish(officer=hall.officer, counter=hall.counter)
    assert services.ticket_call_next(officer=hall.officer, counter=hall.counter).pk == ordinary.pk


def test_people_ahead_counts_priority_tickets_and_earlier_ones(hall, clock):
    first = services.ticket_issue(area=hall.civil)
    clock.shift(timedelta(minutes=1))
    second = services.ticket_issue(area=hall.civil)
    clock.shift(timedelta(minutes=1))
    pregnant = services.ticket_issue(area=hall.civil, priority_reason=PriorityReason.PREGNANT)

    assert [selectors.people_ahead(t) for t in (first, second, pregnant)] == [1, 2, 0]


def test_a_full_visit_records_every_time_stamp(hall, clock):
    services.ticket_issue(area=hall.civil)
    seated(hall)
    clock.shift(timedelta(minutes=7))
    services.ticket_call_next(officer=hall.officer, counter=hall.counter)
    clock.shift(timedelta(minutes=1))
    recalled = services.ticket_recall(officer=hall.officer, counter=hall.counter)
    clock.shift(timedelta(minutes=1))
    services.ticket_start(officer=hall.officer, counter=hall.counter)
    clock.shift(timedelta(minutes=12))
    done = services.ticket_finish(officer=hall.officer, counter=hall.counter)

    assert recalled.recalls == 1
    assert done.status == TicketStatus.DONE
    assert (done.called_at - done.issued_at) == timedelta(minutes=7)
    assert (done.served_at - done.called_at) == timedelta(minutes=2)
    assert (done.finished_at - done.served_at) == timedelta(minutes=12)
    assert done.announced_at == done.called_at + timedelta(minutes=1)


def test_skip_frees_the_counter(hall):
    services.ticket_issue(area=hall.civil)
    services.ticket_issue(area=hall.civil)
    seated(hall)
    services.ticket_call_next(officer=hall.officer, counter=hall.counter)

    skipped = services.ticket_skip(officer=hall.officer, counter=hall.counter)
    following = services.ticket_call_next(officer=hall.officer, counter=hall.counter)

    assert skipped.status == TicketStatus.SKIPPED
    assert following.code == "A002"


def test_calling_at_a_counter_you_are_not_seated_at_is_refused_and_changes_nothing(hall):
    services.ticket_issue(area=hall.civil)
    seated(hall, hall.officer2, hall.counter2)
    before = snapshot()

    with pytest.raises(PermissionDenied) as refused:
        services.ticket_call_next(officer=hall.officer, counter=hall.counter)
    with pytest.raises(PermissionDenied):
        services.ticket_call_next(officer=hall.officer, counter=hall.counter2)  # someone else's seat

    assert refused.value.code == "not_seated"
    assert snapshot() == before


def test_calling_with_nobody_waiting_is_refused(hall):
    seated(hall)
    before = snapshot()

    with pytest.raises(Conflict) as refused:
        services.ticket_call_next(officer=hall.officer, counter=hall.counter)

    assert refused.value.code == "queue_empty"
    assert snapshot() == before


def test_calling_while_a_citizen_is_at_the_counter_is_refused(hall):
    services.ticket_issue(area=hall.civil)
    services.ticket_issue(area=hall.civil)
    seated(hall)
    services.ticket_call_next(officer=hall.officer, counter=hall.counter)
    before = snapshot()

    with pytest.raises(Conflict):
        services.ticket_call_next(officer=hall.officer, counter=hall.counter)

    assert snapshot() == before


def test_yesterdays_and_other_units_tickets_are_not_called(hall, clock):
    services.ticket_issue(area=hall.civil)
    services.ticket_issue(area=hall.other_area)
    clock.shift(timedelta(days=1))
    seated(hall)

    with pytest.raises(Conflict):
        services.ticket_call_next(officer=hall.officer, counter=hall.counter)


def test_an_area_served_by_named_counters_is_called_only_there(hall):
    hall.land.counters.add(hall.counter2)
    services.ticket_issue(area=hall.land)
    seated(hall)

    with pytest.raises(Conflict):
        services.ticket_call_next(officer=hall.officer, counter=hall.counter)
    seated(hall, hall.officer2, hall.counter2)
    assert services.ticket_call_next(officer=hall.officer2, counter=hall.counter2).code == "B001"


def test_transfer_keeps_the_number_and_the_place(hall, clock):
    first = services.ticket_issue(area=hall.civil)
    clock.shift(timedelta(minutes=5))
    services.ticket_issue(area=hall.land)  # came later
    seated(hall)
    seated(hall, hall.officer2, hall.counter2)
    services.ticket_call_next(officer=hall.officer, counter=hall.counter)

    copy = services.ticket_transfer(officer=hall.officer, counter=hall.counter, area=hall.land)
    called = services.ticket_call_next(officer=hall.officer2, counter=hall.counter2)

    first.refresh_from_db()
    assert first.status == TicketStatus.TRANSFERRED
    assert (copy.code, copy.area, copy.transferred_from) == ("A001", hall.land, first)
    assert called.pk == copy.pk


def test_transfer_to_a_named_counter_is_called_only_there(hall):
    services.ticket_issue(area=hall.civil)
    seated(hall)
    services.ticket_call_next(officer=hall.officer, counter=hall.counter)

    copy = services.ticket_transfer(officer=hall.officer, counter=hall.counter, target_counter=hall.counter2)

    with pytest.raises(Conflict):
        services.ticket_call_next(officer=hall.officer, counter=hall.counter)
    seated(hall, hall.officer2, hall.counter2)
    assert services.ticket_call_next(officer=hall.officer2, counter=hall.counter2).pk == copy.pk


@pytest.mark.parametrize("where", ["other_area", "same_area", "other_counter", "same_counter"])
def test_transfer_to_an_unknown_or_same_place_is_refused_and_changes_nothing(hall, where):
    services.ticket_issue(area=hall.civil)
    seated(hall)
    services.ticket_call_next(officer=hall.officer, counter=hall.counter)
    target = {
        "other_area": {"area": hall.other_area},
        "same_area": {"area": hall.civil},
        "other_counter": {"target_counter": hall.other_counter},
        "same_counter": {"target_counter": hall.counter},
    }[where]
    before = snapshot()

    with pytest.raises(InvalidInput):
        services.ticket_transfer(officer=hall.officer, counter=hall.counter, **target)

    assert snapshot() == before
    assert Ticket.objects.count() == 1


def test_actions_without_a_current_ticket_are_refused(hall):
    seated(hall)
    before = snapshot()

    for action in (services.ticket_recall, services.ticket_skip, services.ticket_start, services.ticket_finish):
        with pytest.raises(Conflict):
            action(officer=hall.officer, counter=hall.counter)

    assert snapshot() == before


def test_only_a_counter_officer_of_the_unit_can_sit_and_only_on_a_free_counter(hall):
    seated(hall)
    before = snapshot()

    with pytest.raises(PermissionDenied):
        services.session_open(officer=hall.outsider, counter=hall.counter2)
    with pytest.raises(Conflict):
        services.session_open(officer=hall.officer2, counter=hall.counter)

    assert snapshot() == before


def test_moving_to_another_counter_closes_the_first_session(hall):
    first = seated(hall)
    second = seated(hall, hall.officer, hall.counter2)

    first.refresh_from_db()
    assert first.closed_at is not None
    assert second.closed_at is None
    assert seated(hall, hall.officer, hall.counter2).pk == second.pk  # opening again is harmless


def test_closing_with_a_citizen_at_the_counter_is_refused(hall):
    services.ticket_issue(area=hall.civil)
    seated(hall)
    services.ticket_call_next(officer=hall.officer, counter=hall.counter)
    before = snapshot()

    with pytest.raises(Conflict):
        services.session_close(officer=hall.officer, counter=hall.counter)

    assert snapshot() == before
    services.ticket_finish(officer=hall.officer, counter=hall.counter)
    assert services.session_close(officer=hall.officer, counter=hall.counter).closed_at is not None


def test_linking_an_unknown_dossier_is_refused_and_changes_nothing(hall):
    services.ticket_issue(area=hall.civil)
    seated(hall)
    ticket = services.ticket_call_next(officer=hall.officer, counter=hall.counter)
    before = snapshot()

    with pytest.raises(InvalidInput):
        services.ticket_link_dossier(
            officer=hall.officer, counter=hall.counter, ticket=ticket, dossier_code="000.00.21.H99-250909-9999"
        )

    assert snapshot() == before


def test_a_ticket_is_linked_to_the_dossier_registered_at_the_counter(hall):
    from motcua.dossiers.factories import ProcedureFactory, offer, register

    procedure = ProcedureFactory(code="2.000815")
    offer(procedure, hall.unit)
    services.ticket_issue(area=hall.civil)
    seated(hall)
    ticket = services.ticket_call_next(officer=hall.officer, counter=hall.counter)
    dossier = register(hall.officer, procedure)

    linked = services.ticket_link_dossier(
        officer=hall.officer, counter=hall.counter, ticket=ticket, dossier_code=dossier.code
    )

    assert linked.dossier == dossier

"""The average wait at the counters (seeds' targets) and the list of feedback overdue for handling.

Waits, August 2025 (tickets issued at 08:00 on 05/08): An Bình's tickets waited 10, 20 and 24
minutes → 18.0 min, above the 15-minute target; a transferred copy (60 min, the original's issue
time) and a ticket never called are left out; Bình Minh's ticket waited 6 minutes, so the
province averages (10 + 20 + 24 + 6) / 4 = 15.0 min, which meets the target; a ticket of
01/09 is in September only.

Feedback, evaluated on 15/09/2025 10:00:
| item | unit | status | due | listed |
|---|---|---|---|---|
| F1 | An Bình | received | answer 10/09 | answer overdue |
| F2 | An Bình | answered | publication 12/09 | publication overdue |
| F3 | An Bình | received | answer 30/09 | no |
| F4 | Bình Minh | information requested | answer 11/09 | answer overdue |
| F5 | An Bình | published (answer 01/09 was due) | — | no |
| F6 | An Bình | rejected | — | no |
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from motcua.accounts.testing import verified_staff_client
from motcua.dashboards.selectors import average_wait
from motcua.feedback.models import Feedback, FeedbackStatus
from motcua.metrics.periods import parse_period
from motcua.metrics.tests.conftest import Province, vn
from motcua.organizations.selectors import unit_subtree
from motcua.queueing.models import ServiceArea, Ticket, TicketStatus

pytestmark = pytest.mark.django_db

NOW = vn(2025, 9, 15, 10, 0)
DASH = reverse("dashboards:dashboard")
OVERDUE = reverse("dashboards:feedback-overdue")


def _tickets(p: Province) -> None:
    area_a = ServiceArea.objects.create(unit=p.a.unit, letter="A", name="Chứng thực")
    area_b = ServiceArea.objects.create(unit=p.b.unit, letter="A", name="Chứng thực")
    issued = vn(2025, 8, 5, 8, 0)

    def ticket(area: ServiceArea, number: int, wait: int | None, day: date = date(2025, 8, 5), **kw: object) -> Ticket:
        at = issued if day == date(2025, 8, 5) else vn(day.year, day.month, day.day, 8, 0)
        return Ticket.objects.create(
            area=area,
            day=day,
            number=number,
            code=f"A{number:03d}",
            issued_at=at,
            called_at=None if wait is None else at + timedelta(minutes=wait),
            status=TicketStatus.WAITING if wait is None else TicketStatus.DONE,
            **kw,
        )

    first = ticket(area_a, 1, 10)
    ticket(area_a, 2, 20)
    ticket(area_a, 3, 24)
    ticket(area_a, 1, 60, transferred_from=first)  # the copy of a transfer: same number and issue time
    ticket(area_a, 4, None)
    ticket(area_b, 1, 6)
    ticket(area_a, 1, 90, day=date(2025, 9, 1))


def test_the_average_wait_of_a_commune_and_of_the_province(province):
    _tickets(province)
    august = parse_period("2025-08", today=NOW.date())

    commune = average_wait(unit_ids=unit_subtree(province.a.unit), period=august, now=NOW)
    whole = average_wait(unit_ids=unit_subtree(province.root), period=august, now=NOW)
    september = average_wait(
        unit_ids=unit_subtree(province.a.unit), period=parse_period("2025-09", today=NOW.date()), now=NOW
    )

    assert (commune.tickets, commune.mean, commune.target, commune.meets_target) == (3, 18.0, 15.0, False)
    assert (whole.tickets, whole.mean, whole.meets_target) == (4, 15.0, True)
    assert (september.tickets, september.mean) == (1, 90.0)


def test_without_tickets_the_wait_has_no_data(province):
    july = parse_period("2025-07", today=NOW.date())
    wait = average_wait(unit_ids=unit_subtree(province.a.unit), period=july, now=NOW)
    assert (wait.tickets, wait.mean, wait.meets_target) == (0, None, None)


def test_a_running_period_counts_the_days_up_to_today(province):
    _tickets(province)
    september = parse_period("2025-09", today=date(2025, 9, 1))
    assert average_wait(unit_ids=unit_subtree(province.a.unit), period=september, now=vn(2025, 9, 1, 9)).tickets == 1
    assert average_wait(unit_ids=unit_subtree(province.a.unit), period=september, now=vn(2025, 8, 31, 9)).tickets == 0


def test_the_dashboard_shows_the_wait_against_the_target_with_a_link(province):
    _tickets(province)
    province.at(NOW)
    controller = verified_staff_client(Client(), province.controller)

    response = controller.get(DASH, {"unit": province.a.unit.code, "period": "2025-08"})

    assert response.status_code == 200
    wait = response.context["wait"]
    assert (wait.tickets, wait.mean, wait.meets_target) == (3, 18.0, False)
    html = response.content.decode()
    assert reverse("queueing:stats") in html
    assert "18,0 phút" in html  # Vietnamese decimal comma
    assert "chưa đạt" in html  # "not met", in words, not only in colour
    empty = controller.get(DASH, {"unit": province.a.unit.code, "period": "2025-07"})
    assert empty.context["wait"].mean is None


def _feedback(p: Province) -> dict[str, Feedback]:
    made = {}
    rows = (
        ("F1", p.a.unit, FeedbackStatus.RECEIVED, vn(2025, 9, 10), None),
        ("F2", p.a.unit, FeedbackStatus.ANSWERED, vn(2025, 9, 20), vn(2025, 9, 12)),
        ("F3", p.a.unit, FeedbackStatus.RECEIVED, vn(2025, 9, 30), None),
        ("F4", p.b.unit, FeedbackStatus.INFO_REQUESTED, vn(2025, 9, 11), None),
        ("F5", p.a.unit, FeedbackStatus.PUBLISHED, vn(2025, 9, 1), vn(2025, 9, 3)),
        ("F6", p.a.unit, FeedbackStatus.REJECTED, vn(2025, 9, 1), None),
    )
    for number, (name, unit, status, answer_due, publish_due) in enumerate(rows, start=1):
        received = vn(2025, 8, number)
        made[name] = Feedback.objects.create(
            code=f"PAKN-2025-{number:05d}",
            category="regulation",
            target_unit=unit,
            title=f"Phản ánh {name}",
            content="Nội dung",
            channel="portal",
            contact_name="Nguyễn Văn An",
            status=status,
            received_at=received,
            answer_due_at=answer_due,
            reject_due_at=received + timedelta(days=2),
            info_due_at=received + timedelta(days=5),
            publish_due_at=publish_due,
        )
    return made


def test_the_controller_lists_the_overdue_feedback_of_the_province(province):
    made = _feedback(province)
    province.at(NOW)
    controller = verified_staff_client(Client(), province.controller)

    response = controller.get(OVERDUE, {"unit": province.root.code})

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(r.feedback.code, r.step) for r in rows] == [
        (made["F1"].code, "answer"),
        (made["F2"].code, "publication"),
        (made["F4"].code, "answer"),
    ]
    assert rows[1].due_at == vn(2025, 9, 12)
    html = response.content.decode()
    assert reverse("feedback:staff-detail", args=[made["F1"].code]) in html
    for name in ("F3", "F5", "F6"):
        assert made[name].code not in html
    # Linked from the dashboards' sub-navigation.
    dash = controller.get(DASH, {"unit": province.root.code, "period": "2025-08"}).content.decode()
    assert f"{OVERDUE}?unit={province.root.code}" in dash


def test_a_leader_sees_the_overdue_feedback_of_his_commune_only(province):
    made = _feedback(province)
    province.at(NOW)
    leader = verified_staff_client(Client(), province.a.leader)

    own = leader.get(OVERDUE)

    assert own.status_code == 200
    assert [r.feedback.code for r in own.context["rows"]] == [made["F1"].code, made["F2"].code]
    assert leader.get(OVERDUE, {"unit": province.b.unit.code}).status_code == 404
    assert leader.get(OVERDUE, {"unit": province.root.code}).status_code == 404


def test_the_overdue_list_refuses_others_and_bad_input(province):
    _feedback(province)
    province.at(NOW)
    officer = verified_staff_client(Client(), province.a.officer)
    assert officer.get(OVERDUE).status_code == 403
    assert Client().get(OVERDUE).status_code == 302
    controller = verified_staff_client(Client(), province.controller)
    before = list(Feedback.objects.order_by("pk").values_list("status", "answer_due_at"))
    assert controller.get(OVERDUE, {"unit": province.root.code, "period": "2025-13"}).status_code == 400
    assert controller.get(OVERDUE, {"unit": "NO-SUCH"}).status_code == 404
    assert controller.get(OVERDUE, {"unit": province.root.code, "page": "abc"}).status_code == 200
    assert list(Feedback.objects.order_by("pk").values_list("status", "answer_due_at")) == before

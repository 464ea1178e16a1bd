"""The TT 01/2018 evaluation of Q2 2025 (Art. 13–15), told through the real services and scored by hand.

Both communes are commune level (index 5: 100 % decided at the desk); the province root is province
level. Certified copies (copy) were made public on the portal on 15/01/2025, birth registrations
(birth) never were: index 6 is 2 for a copy, 1 for a birth. Each procedure takes 5 working days (40 h):
reception 0 h (counter) or 8 h (online), appraisal 28 h, approval 8 h, return 4 h (office 07:00–11:30,
13:30–17:00). Dossiers are accepted at 09:00 at the counter unless said otherwise.

Stories (An Bình unless said; the scores of each step for index 2 in brackets):
- E1 copy 13/05; forwarded 14/05 09:00 by specialist-a (20 h early: 2), approved 14/05 14:00 (5 h
  before its due: 1), returned 15/05 07:30 (1). Early.
- E2 birth 19/05 (due 26/05); forwarded 23/05 by specialist-a2 (late: 0), approved 27/05 (late: 0),
  returned 27/05 10:00 (1). Late.
- E3 copy 03/06; supplements 04/06 → 05/06 and 06/06 → 09/06 (due 16/06); forwarded 10/06 09:00 (2),
  approved 10:00 (1); returned 02/07, after the quarter (not counted). Early: twice supplemented.
- E4 birth filed online 16/06 08:00, accepted 09:00 (the 8 h online reception, 7 h before its due:
  1); supplement 17/06 → 18/06 by the citizen; forwarded 23/06 09:00 (1), approved 10:00 (1),
  returned 14:00 (1). Early, but a complaint about it on 24/06.
- E5 copy 30/06, resolved 03/07: July, not scored in Q2.
- E7 Bình Minh: birth 10/06, supplements 11 → 12/06 and 13 → 16/06 (due 23/06), approved 25/06
  without forwarding (late: 0). Late.
- R filed online 20/05, refused: never accepted, in no index.

| dossier | 1 | 2 | 3 | 4 | 6 | 7 |
|---|---|---|---|---|---|---|
| E1 | 2 | 1 | 2 | 2 | 2 | 2 |
| E2 | 0 | 0 | 2 | 2 | 1 | 0 |
| E3 | 2 | 1 | 0 | 1 | 2 | 2 |
| E4 | 2 | 1 | 1 | 1 | 1 | 0 |
| E7 | 0 | 0 | 0 | 1 | 1 | 0 |

Feedback: F1 to An Bình (about a regulation) 05/05, answered 07/05, published 08/05; F2 the complaint
about E4 (open, in time); F3 to Bình Minh 02/06, answered 04/06, published 05/06; F4 follows F3 up on
20/06: F3 is prolonged. Evaluated on 10/07/2025.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from motcua.accounts.roles import Role
from motcua.catalog.models import ProcedureVersion
from motcua.dossiers.factories import staff
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import processing, review
from motcua.feedback.models import Category, Feedback
from motcua.feedback.services.feedback import (
    FeedbackInput,
    feedback_answer,
    feedback_publish,
    feedback_reject,
    feedback_submit,
)
from motcua.metrics.dossier_timeline import calendar_hours
from motcua.metrics.facts import Count
from motcua.metrics.periods import parse_period
from motcua.metrics.profile import TT01_2018, UnitLevel
from motcua.metrics.tests.conftest import Province, vn
from motcua.metrics.tt01 import score_dossier
from motcua.metrics.tt01_collect import (
    tt01_dossier_facts,
    tt01_officer_results,
    tt01_unit_facts,
    tt01_unit_result,
    tt01_window,
    unit_level,
)
from motcua.organizations.models import Unit, UnitKind

pytestmark = pytest.mark.django_db

D = Decimal
NOW = vn(2025, 7, 10, 10, 0)


def _feedback(p: Province, unit: Unit, category: str, *, dossier: Dossier | None = None, follows: str = ""):
    data = FeedbackInput(
        category=category,
        target_unit=unit.code,
        title="Góp ý",
        content="Nội dung góp ý",
        contact_name="Trần Thị Bình",
        contact_phone="0912345678",
        dossier_code=dossier.code if dossier else "",
        follows_code=follows,
    )
    return feedback_submit(data=data)


def _answered(p: Province, feedback, leader, answered, published) -> None:
    p.at(answered)
    feedback = feedback_answer(feedback=feedback, officer=leader, answer="Đã tiếp thu")
    p.at(published)
    feedback_publish(feedback=feedback, officer=leader)


def _catalog(p: Province) -> None:
    for commune in (p.a, p.b):
        commune.unit.kind = UnitKind.COMMUNE
        commune.unit.save(update_fields=["kind"])
    ProcedureVersion.objects.filter(pk=p.copy.current_version_id).update(
        decision_date=date(2025, 1, 10), publicized_on=date(2025, 1, 15)
    )


def tell_q2(p: Province) -> dict[str, Dossier]:
    """The story of the module docstring; returns the dossiers by name."""
    _catalog(p)
    second = staff(p.a.unit, Role.SPECIALIST, username="specialist-a2")
    d: dict[str, Dossier] = {}

    def forward(name: str, specialist=p.a.specialist) -> None:
        processing.dossier_forward(dossier=d[name], officer=specialist)

    p.at(vn(2025, 5, 5))
    f1 = _feedback(p, p.a.unit, Category.REGULATION)
    _answered(p, f1, p.a.leader, vn(2025, 5, 7), vn(2025, 5, 8))
    p.at(vn(2025, 5, 13))
    d["E1"] = p.direct()
    p.at(vn(2025, 5, 14))
    forward("E1")
    p.at(vn(2025, 5, 14, 14))
    p.resolve(d["E1"])
    p.at(vn(2025, 5, 15, 7, 30))
    p.return_result(d["E1"])
    p.at(vn(2025, 5, 19))
    d["E2"] = p.direct(procedure=p.birth)
    p.at(vn(2025, 5, 20, 8))
    d["R"] = p.online()
    p.at(vn(2025, 5, 20, 10))
    p.refuse(d["R"])
    p.at(vn(2025, 5, 23))
    forward("E2", second)
    p.at(vn(2025, 5, 27))
    p.resolve(d["E2"])
    p.at(vn(2025, 5, 27, 10))
    p.return_result(d["E2"])
    _june(p, d, forward)
    return d


def _june(p: Province, d: dict[str, Dossier], forward) -> None:
    p.at(vn(2025, 6, 2))
    f3 = _feedback(p, p.b.unit, Category.OFFICER_UNIT)
    _answered(p, f3, p.b.leader, vn(2025, 6, 4), vn(2025, 6, 5))
    p.at(vn(2025, 6, 3))
    d["E3"] = p.direct()
    for day, verb in ((4, p.supplement), (5, p.supplied), (6, p.supplement), (9, p.supplied)):
        p.at(vn(2025, 6, day))
        verb(d["E3"])
    p.at(vn(2025, 6, 10))
    forward("E3")
    d["E7"] = p.direct(p.b, p.birth)
    p.at(vn(2025, 6, 10, 10))
    p.resolve(d["E3"])
    for day, verb in ((11, p.supplement), (12, p.supplied), (13, p.supplement), (16, p.supplied)):
        p.at(vn(2025, 6, day))
        verb(d["E7"])
    p.at(vn(2025, 6, 16, 8))
    d["E4"] = p.online(procedure=p.birth)
    p.at(vn(2025, 6, 16, 9))
    p.accept(d["E4"])
    p.at(vn(2025, 6, 17))
    p.supplement(d["E4"])
    p.at(vn(2025, 6, 18))
    review.dossier_submit_supplement(dossier=d["E4"], actor=p.citizen)
    p.at(vn(2025, 6, 20))
    _feedback(p, p.b.unit, Category.OFFICER_UNIT, follows=f3.code)
    p.at(vn(2025, 6, 23))
    forward("E4")
    p.at(vn(2025, 6, 23, 10))
    p.resolve(d["E4"])
    p.at(vn(2025, 6, 23, 14))
    p.return_result(d["E4"])
    p.at(vn(2025, 6, 24))
    _feedback(p, p.a.unit, Category.DOSSIER, dossier=d["E4"])
    p.at(vn(2025, 6, 25))
    p.resolve(d["E7"])
    p.at(vn(2025, 6, 30))
    d["E5"] = p.direct()
    p.at(vn(2025, 7, 2))
    p.return_result(d["E3"])
    p.at(vn(2025, 7, 3))
    p.resolve(d["E5"])
    p.at(NOW)


@pytest.fixture
def q2(province):
    return province, tell_q2(province)


def _window(label: str = "2025-Q2"):
    window = tt01_window(parse_period(label, today=NOW.date()), now=NOW)
    assert window is not None
    return window


# --- per dossier --------------------------------------------------------------------------------


def test_the_facts_of_each_dossier_come_from_its_steps_events_catalog_and_feedback(q2):
    p, d = q2
    facts = {f.dossier.code: f for f in tt01_dossier_facts(unit=p.a.unit, window=_window())}
    # An Bình took part in E1–E5; E7 is Bình Minh's, R was never accepted.
    assert set(facts) == {d[k].code for k in ("E1", "E2", "E3", "E4", "E5")}
    e1, e3, e4 = facts[d["E1"].code], facts[d["E3"].code], facts[d["E4"].code]
    assert e1.officers == ("leader-a", "officer-a", "specialist-a")
    # The counter's reception (0 h) has no deadline: appraisal, approval and return remain.
    assert [(s.officer, s.finished_at is not None) for s in e1.steps] == [
        ("specialist-a", True),
        ("leader-a", True),
        ("officer-a", True),
    ]
    assert {s.unit_code for s in e1.steps} == {p.a.unit.code}
    assert (e3.contacts_to_complete, e3.one_stop_contacted, e3.other_agencies_contacted) == (2, True, 0)
    assert e3.steps[-1].finished_at is None  # returned on 02/07: after the quarter
    assert "citizen" not in e4.officers  # the applicant supplied, but is no officer
    assert e4.steps[0].officer == "officer-a"  # the online reception step, 8 h
    assert (e4.published_posted, e4.published_electronic, e4.verified_complaint) == (True, False, True)
    assert (e1.published_posted, e1.published_electronic, e1.verified_complaint) == (True, True, False)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("E1", {1: 2, 2: 1, 3: 2, 4: 2, 6: 2, 7: 2}),  # early
        ("E2", {1: 0, 2: 0, 3: 2, 4: 2, 6: 1, 7: 0}),  # late
        ("E3", {1: 2, 2: 1, 3: 0, 4: 1, 6: 2, 7: 2}),  # supplement twice, early after the restart
        ("E4", {1: 2, 2: 1, 3: 1, 4: 1, 6: 1, 7: 0}),  # one supplement, a complaint
        ("E5", dict.fromkeys((1, 2, 3, 4, 6, 7))),  # finished in July: not scored in Q2
    ],
)
def test_each_dossier_scores_as_counted_by_hand(q2, name, expected):
    p, d = q2
    window = _window()
    facts = {f.dossier.code: f for f in tt01_dossier_facts(unit=p.a.unit, window=window)}
    scores = score_dossier(
        facts[d[name].code], at=window.end, working_hours_between=calendar_hours(), profile=TT01_2018
    )
    assert scores == expected


# --- per unit ------------------------------------------------------------------------------------


def test_the_unit_facts_of_an_binh(q2):
    p, _d = q2
    window = _window()
    unit = tt01_unit_facts(unit=p.a.unit, window=window, dossiers=tt01_dossier_facts(unit=p.a.unit, window=window))
    assert unit.level == UnitLevel.COMMUNE
    assert (unit.decided_at_one_stop, unit.received_at_one_stop) == (Count(2, 2), Count(2, 2))
    assert (unit.published_posted, unit.published_electronic) == (True, False)  # birth never made public
    assert (unit.feedback_on_time, unit.prolonged_feedback) == (Count(2, 2), False)
    assert unit.online_services == Count(2, 2)
    assert unit.online_dossiers == Count(1, 5)  # E4 of E1–E5
    assert unit.online_unresolved_or_late is False


def test_an_binh_is_good(q2):
    p, _d = q2
    result = tt01_unit_result(unit=p.a.unit, window=_window())
    assert result.dossiers == 4
    assert result.evaluation.indices == {
        1: D("1.5"),  # 2 0 2 2
        2: D("0.8"),  # 1 0 1 1 → 0.75
        3: D("1.3"),  # 2 2 0 1 → 1.25
        4: D("1.5"),  # 2 2 1 1
        5: D(2),  # every procedure decided at the desk
        6: D(1),  # posted, not all on the portal
        7: D("1.0"),  # 2 0 2 0
        8: D(2),  # F1 and F2 on time
        9: D(1),  # 20 % online
    }
    assert result.evaluation.total == D("12.1")
    assert result.evaluation.band.name == "Tốt"


def test_binh_minh_is_weak(q2):
    p, _d = q2
    result = tt01_unit_result(unit=p.b.unit, window=_window())
    assert result.evaluation.indices == {
        1: D("0.0"),
        2: D("0.0"),
        3: D("0.0"),
        4: D("1.0"),
        5: D(2),
        6: D(1),
        7: D("0.0"),
        8: D(0),  # F3 came back (F4): prolonged
        9: D(0),  # no online dossier
    }
    assert (result.evaluation.total, result.evaluation.band.name) == (D(4), "Yếu")


def test_the_province_covers_its_subtree(q2):
    p, _d = q2
    result = tt01_unit_result(unit=p.root, window=_window())
    assert result.dossiers == 5
    assert result.evaluation.indices == {
        1: D("1.2"),  # 2 0 2 2 0
        2: D("0.6"),  # every step of the subtree: 1 0 1 1 0
        3: D("1.0"),
        4: D("1.4"),
        5: D(2),  # province level: 20 % is enough
        6: D(1),
        7: D("0.8"),
        8: D(0),
        9: D(1),  # 1 online of 6: 16.7 %
    }
    assert (result.evaluation.total, result.evaluation.band.name) == (D("9.0"), "Khá")
    assert unit_level(p.root) == UnitLevel.PROVINCE


def test_the_year_2025_is_evaluated_up_to_30_june(q2):
    p, _d = q2
    year = _window("2025")
    assert (year.start, year.end) == (vn(2025, 1, 1, 0), vn(2025, 7, 1, 0))
    assert tt01_unit_result(unit=p.a.unit, window=year).evaluation == (
        tt01_unit_result(unit=p.a.unit, window=_window()).evaluation
    )
    assert tt01_window(parse_period("2025-Q3", today=NOW.date()), now=NOW) is None


def test_a_unit_page_reads_a_few_queries_whatever_the_number_of_dossiers(q2, django_assert_max_num_queries):
    p, _d = q2
    window = _window()
    with django_assert_max_num_queries(25):
        tt01_unit_result(unit=p.root, window=window)


# --- per officer ---------------------------------------------------------------------------------


def test_each_officer_of_the_subtree_is_classified(q2):
    p, _d = q2
    rows = {r.username: r for r in tt01_officer_results(unit=p.root, window=_window())}
    assert set(rows) == {
        "officer-a", "specialist-a", "specialist-a2", "leader-a", "officer-b", "specialist-b", "leader-b",
    }  # fmt: skip
    expected = {
        # username: dossiers, indices 1 2 3 4 7, total, band
        "officer-a": (4, ("1.5", "1.0", "1.3", "1.5", "1.0"), "6.3", "complete"),  # E3's return after June
        "specialist-a": (3, ("2.0", "1.7", "1.0", "1.3", "1.3"), "7.3", "complete"),
        "specialist-a2": (1, ("0.0", "0.0", "2.0", "2.0", "0.0"), "4.0", "mostly"),
        "leader-a": (4, ("1.5", "0.8", "1.3", "1.5", "1.0"), "6.1", "complete"),
        "leader-b": (1, ("0.0", "0.0", "0.0", "1.0", "0.0"), "1.0", "under"),
        # No timed step finished: index 2 has no data and is left out.
        "officer-b": (1, ("0.0", None, "0.0", "1.0", "0.0"), "1.0", "under"),
        "specialist-b": (1, ("0.0", None, "0.0", "1.0", "0.0"), "1.0", "under"),
    }
    for username, (count, indices, total, band) in expected.items():
        row = rows[username]
        got = tuple(None if v is None else str(v) for v in row.evaluation.indices.values())
        assert (row.dossiers, got, str(row.evaluation.total), row.evaluation.band.code) == (
            count,
            indices,
            total,
            band,
        ), username
    assert rows["officer-a"].unit == p.a.unit.name


def test_a_commune_lists_only_its_own_officers(q2):
    p, _d = q2
    rows = tt01_officer_results(unit=p.b.unit, window=_window())
    assert {r.username for r in rows} == {"officer-b", "specialist-b", "leader-b"}
    assert [r.name for r in rows] == sorted((r.name for r in rows), key=str.casefold)


def test_a_complaint_rejected_as_unfounded_does_not_count(q2):
    p, d = q2
    complaint = Feedback.objects.get(dossier=d["E4"])
    feedback_reject(feedback=complaint, officer=p.a.leader, reason="Không đúng sự thật")
    facts = {f.dossier.code: f for f in tt01_dossier_facts(unit=p.a.unit, window=_window())}
    assert facts[d["E4"].code].verified_complaint is False


def test_an_online_dossier_overdue_at_the_end_zeroes_index_9_and_missing_indices_are_left_out(province):
    p = province
    _catalog(p)
    p.at(vn(2025, 6, 2, 8))
    online = p.online()
    p.at(vn(2025, 6, 2, 9))
    p.accept(online)  # due 09/06, never resolved
    p.at(NOW)
    result = tt01_unit_result(unit=p.a.unit, window=_window())
    assert result.dossiers == 0
    assert result.evaluation.indices == {
        1: None,
        2: None,
        3: None,
        4: None,
        5: D(2),
        6: D(1),
        7: None,
        8: D(2),
        9: D(0),
    }
    assert (result.evaluation.total, result.evaluation.band.name) == (D(5), "Yếu")

"""TT 01/2018/TT-VPCP Art. 13–15: the nine indices 2 / 1 / 0, unit and officer totals (SPEC §6.2)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from motcua.metrics.facts import Count
from motcua.metrics.periods import Window
from motcua.metrics.profile import TT01_2018, ProfileError, UnitLevel, band_for, tt01_profile_for
from motcua.metrics.tests import APRIL, dossier, vn, wall_hours
from motcua.metrics.timeliness import Timeliness
from motcua.metrics.tt01 import (
    StepTiming,
    Tt01DossierFacts,
    Tt01UnitFacts,
    evaluate_officer,
    evaluate_unit,
    index3,
    index4,
    index5,
    index6,
    index7,
    index8,
    index9,
    mean_score,
    score_dossier,
    time_points,
)

D = Decimal
Q2_2025 = Window(vn(2025, 4, 1), vn(2025, 7, 1))


# --- each index, 2 / 1 / 0 ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("timeliness", "points"), [(Timeliness.EARLY, 2), (Timeliness.ON_TIME, 1), (Timeliness.LATE, 0)]
)
def test_indices_1_and_2_shorter_equal_longer(timeliness, points):
    assert time_points(timeliness) == points


@pytest.mark.parametrize(("contacts", "points"), [(0, 2), (1, 1), (2, 0), (5, 0)])
def test_index_3_contacts_to_complete_the_dossier(contacts, points):
    assert index3(contacts) == points


@pytest.mark.parametrize(("one_stop", "others", "points"), [(False, 0, 2), (True, 0, 1), (True, 1, 0), (False, 2, 0)])
def test_index_4_agencies_contacted(one_stop, others, points):
    assert index4(one_stop, others) == points


@pytest.mark.parametrize(
    ("posted", "electronic", "points"), [(True, True, 2), (True, False, 1), (False, True, 1), (False, False, 0)]
)
def test_index_6_publicity(posted, electronic, points):
    assert index6(posted, electronic) == points


@pytest.mark.parametrize(
    ("timeliness", "complaint", "points"),
    [
        (Timeliness.EARLY, False, 2),
        (Timeliness.ON_TIME, False, 1),
        (Timeliness.LATE, False, 0),  # neither early nor on time: 0 (our reading)
        (Timeliness.EARLY, True, 0),
        (Timeliness.ON_TIME, True, 0),
    ],
)
def test_index_7_conduct(timeliness, complaint, points):
    assert index7(timeliness, complaint) == points


def unit(**counts) -> Tt01UnitFacts:
    return Tt01UnitFacts("U1", counts.pop("level", UnitLevel.PROVINCE), **counts)


@pytest.mark.parametrize(
    ("level", "decided", "received", "points"),
    [
        (UnitLevel.PROVINCE, Count(2, 10), Count(), 2),  # 20 % decided at the one-stop: exactly enough
        (UnitLevel.PROVINCE, Count(1, 10), Count(10, 10), 1),  # 10 %, but all received and returned there
        (UnitLevel.PROVINCE, Count(1, 10), Count(9, 10), 0),
        (UnitLevel.MINISTRY, Count(2, 10), Count(9, 10), 2),
        (UnitLevel.DISTRICT, Count(5, 10), Count(), 2),  # district: 50 %
        (UnitLevel.DISTRICT, Count(4, 10), Count(10, 10), 1),
        (UnitLevel.COMMUNE, Count(10, 10), Count(), 2),  # commune: 100 %
        (UnitLevel.COMMUNE, Count(9, 10), Count(10, 10), 1),
        (UnitLevel.COMMUNE, Count(), Count(), None),  # nothing to judge: no data
    ],
)
def test_index_5_one_stop_organisation(level, decided, received, points):
    facts = unit(level=level, decided_at_one_stop=decided, received_at_one_stop=received)
    assert index5(facts, TT01_2018) == points


@pytest.mark.parametrize(
    ("handled", "prolonged", "points"),
    [
        (Count(), False, 2),  # no feedback at all
        (Count(10, 10), False, 2),
        (Count(9, 10), False, 1),  # 90 %
        (Count(8, 10), False, 0),
        (Count(10, 10), True, 0),  # a prolonged feedback
    ],
)
def test_index_8_feedback(handled, prolonged, points):
    assert index8(unit(feedback_on_time=handled, prolonged_feedback=prolonged), TT01_2018) == points


@pytest.mark.parametrize(
    ("services", "dossiers", "late", "points"),
    [
        (Count(2, 10), Count(30, 100), False, 2),  # 20 % of eligible procedures, 30 % online
        (Count(2, 10), Count(29, 100), False, 1),
        (Count(2, 10), Count(15, 100), False, 1),
        (Count(2, 10), Count(14, 100), False, 0),
        (Count(0, 10), Count(50, 100), False, 0),  # no level 3/4 service
        (Count(2, 10), Count(50, 100), True, 0),  # an online dossier unresolved or late
        (Count(1, 10), Count(40, 100), False, 1),  # 10 % of procedures but 40 % online: 1 (our reading)
        (Count(0, 0), Count(40, 100), False, None),
        (Count(2, 10), Count(0, 0), False, None),
    ],
)
def test_index_9_online_services(services, dossiers, late, points):
    facts = unit(online_services=services, online_dossiers=dossiers, online_unresolved_or_late=late)
    assert index9(facts, TT01_2018) == points


def test_an_index_score_is_the_mean_to_one_decimal_rounded_half_up():
    assert mean_score([2, 1, 1, 1]) == D("1.3")  # 1.25 → 1.3
    assert mean_score([2, 2, 1]) == D("1.7")  # 1.666…
    assert mean_score([None, 2]) == D("2.0")  # only scored dossiers count
    assert mean_score([None]) is None


# --- a unit and its officers in Q2 2025 ---------------------------------------------------------

DUE = vn(2025, 4, 10, 17)
T1 = Tt01DossierFacts(
    dossier("T1", accepted=vn(2025, 4, 1, 8), due=DUE, finished=vn(2025, 4, 8, 10)),  # early
    officers=("lan",),
    steps=(
        StepTiming("U1", "lan", vn(2025, 4, 3, 17), vn(2025, 4, 2, 10)),  # 31 h early → 2
        StepTiming("U2", "minh", vn(2025, 4, 8, 17), vn(2025, 4, 8, 10)),  # 7 h before → 1
    ),
)
T2 = Tt01DossierFacts(
    dossier("T2", accepted=vn(2025, 4, 1, 8), due=DUE, finished=vn(2025, 4, 10, 12)),  # on time
    officers=("lan", "hoa"),
    steps=(StepTiming("U1", "lan", vn(2025, 4, 5, 17), vn(2025, 4, 5, 17)),),  # at the due time → 1
    contacts_to_complete=1,
    one_stop_contacted=True,
    published_electronic=False,
)
T3 = Tt01DossierFacts(
    dossier("T3", accepted=vn(2025, 4, 1, 8), due=DUE, finished=vn(2025, 4, 11, 9)),  # late
    officers=("hoa",),
    steps=(StepTiming("U1", "hoa", vn(2025, 4, 6, 17), vn(2025, 4, 7, 8)),),  # late → 0
    contacts_to_complete=2,
    other_agencies_contacted=1,
    published_posted=False,
    published_electronic=False,
)
T4 = Tt01DossierFacts(
    dossier("T4", accepted=vn(2025, 4, 1, 8), due=DUE, finished=vn(2025, 4, 8, 10)),  # early, but a complaint
    officers=("lan",),
    steps=(StepTiming("U1", "lan", vn(2025, 4, 3, 17), vn(2025, 4, 2, 10)),),  # early → 2
    contacts_to_complete=1,
    verified_complaint=True,
)
T5 = Tt01DossierFacts(dossier("T5", accepted=vn(2025, 6, 25, 8), due=vn(2025, 7, 5, 17)), officers=("lan",))  # open
T6 = Tt01DossierFacts(  # finished in March
    dossier("T6", accepted=vn(2025, 3, 1, 8), due=vn(2025, 3, 10, 17), finished=vn(2025, 3, 20, 8)), officers=("lan",)
)
DOSSIERS = (T1, T2, T3, T4, T5, T6)

U1 = Tt01UnitFacts(
    "U1",
    UnitLevel.PROVINCE,
    decided_at_one_stop=Count(3, 10),  # 30 % ≥ 20 % → 2
    published_posted=True,
    published_electronic=True,  # → 2
    feedback_on_time=Count(19, 20),  # 95 % → 1
    online_services=Count(3, 10),
    online_dossiers=Count(40, 100),  # 30 % and 40 % → 2
)


def test_scores_of_one_dossier():
    scores = score_dossier(T2, at=Q2_2025.end, working_hours_between=wall_hours, profile=TT01_2018)
    assert scores == {1: 1, 2: 1, 3: 1, 4: 1, 6: 1, 7: 1}


def test_index_2_of_a_dossier_is_its_slowest_unit_unless_one_unit_is_asked_for():
    args = {"at": Q2_2025.end, "working_hours_between": wall_hours, "profile": TT01_2018}
    assert score_dossier(T1, **args)[2] == 1  # U1 early (2), U2 on time (1)
    assert score_dossier(T1, unit="U1", **args)[2] == 2
    assert score_dossier(T1, unit="U2", **args)[2] == 1
    assert score_dossier(T1, unit="U3", **args)[2] is None  # U3 held no step


def test_a_dossier_open_at_the_period_end_is_not_scored_yet():
    scores = score_dossier(T5, at=Q2_2025.end, working_hours_between=wall_hours, profile=TT01_2018)
    assert set(scores.values()) == {None}


def test_unit_evaluation():
    result = evaluate_unit(DOSSIERS, U1, window=Q2_2025, working_hours_between=wall_hours)
    # Finished in Q2: T1 T2 T3 T4 (T5 open, T6 in March).
    assert result.indices == {
        1: D("1.3"),  # 2 1 0 2 → 1.25
        2: D("1.3"),  # U1's steps: 2 1 0 2
        3: D("1.0"),  # 2 1 0 1
        4: D("1.3"),  # 2 1 0 2
        5: D(2),
        6: D(2),
        7: D("0.8"),  # 2 1 0 0 → 0.75
        8: D(1),
        9: D(2),
    }
    # 1.3 + 1.3 + 1.0 + 1.3 + 2 + 2 + 0.8 + 1 + 2 = 12.7: Tốt (12–< 15).
    assert result.total == D("12.7")
    assert result.band.name == "Tốt"


def test_a_unit_index_without_data_is_left_out_of_the_total():
    # No dossier finished in the quarter: indices 1–4 and 7 have no data (Art. 15.4.b); 2 + 2 + 1 + 2 = 7.
    result = evaluate_unit((T5, T6), U1, window=Q2_2025, working_hours_between=wall_hours)
    assert [i for i, v in result.indices.items() if v is None] == [1, 2, 3, 4, 7]
    assert (result.total, result.band.name) == (D(7), "Trung bình")


def test_officer_evaluation():
    lan = evaluate_officer(DOSSIERS, "lan", window=Q2_2025, working_hours_between=wall_hours)
    # Lan's finished dossiers: T1 T2 T4.
    assert lan.indices == {
        1: D("1.7"),  # 2 1 2 → 1.666…
        2: D("1.7"),  # her steps: 2 1 2
        3: D("1.3"),  # 2 1 1 → 1.333…
        4: D("1.7"),  # 2 1 2
        7: D("1.0"),  # 2 1 0
    }
    assert lan.total == D("7.4")
    assert lan.band.name == "Hoàn thành 100% nhiệm vụ"
    hoa = evaluate_officer(DOSSIERS, "hoa", window=Q2_2025, working_hours_between=wall_hours)
    # Hoa: T2 (no step of hers: no index 2) and T3. 0.5 + 0.0 + 0.5 + 0.5 + 0.5 = 2.0.
    assert hoa.indices == {1: D("0.5"), 2: D("0.0"), 3: D("0.5"), 4: D("0.5"), 7: D("0.5")}
    assert (hoa.total, hoa.band.name) == (D("2.0"), "Hoàn thành dưới 70% nhiệm vụ")


@pytest.mark.parametrize(
    ("total", "band"),
    [
        ("18", "Xuất sắc"),
        ("15", "Xuất sắc"),
        ("14.9", "Tốt"),
        ("12", "Tốt"),
        ("11.9", "Khá"),
        ("9", "Khá"),
        ("8.9", "Trung bình"),
        ("6", "Trung bình"),
        ("5.9", "Yếu"),
        ("0", "Yếu"),
    ],
)
def test_unit_bands(total, band):
    assert band_for(TT01_2018.unit_bands, D(total)).name == band


@pytest.mark.parametrize(
    ("total", "band"),
    [
        ("10", "Hoàn thành 100% nhiệm vụ"),
        ("5", "Hoàn thành 100% nhiệm vụ"),
        ("4.9", "Hoàn thành từ 70% đến dưới 100% nhiệm vụ"),
        ("3.5", "Hoàn thành từ 70% đến dưới 100% nhiệm vụ"),
        ("3.4", "Hoàn thành dưới 70% nhiệm vụ"),
        ("0", "Hoàn thành dưới 70% nhiệm vụ"),
    ],
)
def test_officer_classification(total, band):
    assert band_for(TT01_2018.officer_bands, D(total)).name == band


def test_the_2018_evaluation_stops_when_decree_118_starts():
    assert tt01_profile_for(vn(2025, 6, 30).date()) is TT01_2018
    with pytest.raises(ProfileError):
        tt01_profile_for(vn(2025, 7, 1).date())
    with pytest.raises(ProfileError):
        evaluate_unit(DOSSIERS, U1, window=APRIL, working_hours_between=wall_hours)  # April 2026

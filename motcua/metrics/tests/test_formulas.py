"""The 766 index on hand-computed cases (SPEC §6.1). Ratios in %, 2 decimals; scores 2 decimals."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from motcua.dossiers.lifecycle import Status
from motcua.metrics.facts import Channel, Count, FeedbackFacts, MetricsError, Outcome, ProcedureCounts
from motcua.metrics.formulas import (
    ChannelSplit,
    Context,
    UnitPeriodFacts,
    dossiers_behind,
    index_766,
    score_metric,
)
from motcua.metrics.profile import DEFAULT_766, MetricSpec
from motcua.metrics.tests import APRIL, dossier, payment, supplement, vn, wall_hours

D = Decimal
CTX = Context(APRIL, wall_hours, DEFAULT_766)


def spec(code: str) -> MetricSpec:
    return DEFAULT_766.metric(code)


# --- scoring one metric -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "numerator", "denominator", "ratio", "score"),
    [
        # Full marks only at 100 %: ratio × max / 100.
        ("2.1", 3, 4, "75.00", "15.00"),  # 75 × 20 / 100
        ("2.1", 2, 3, "66.67", "13.33"),  # 66.666… → 66.67; 66.67 × 20 / 100 = 13.334
        ("1.4", 1, 1, "100.00", "6.00"),
        ("1.4", 0, 7, "0.00", "0.00"),
        # CLGQ: full marks at ≥ 50 %; below, ratio × 12 / 50.
        ("3.3", 2, 5, "40.00", "9.60"),  # 40 × 12 / 50
        ("3.3", 1, 2, "50.00", "12.00"),
        ("3.3", 4, 5, "80.00", "12.00"),
        ("3.3", 1, 3, "33.33", "8.00"),  # 33.33 × 12 / 50 = 7.9992 → 8.00
        # 4.2 and 4.3: full marks at ≥ 80 %.
        ("4.2", 3, 5, "60.00", "3.00"),  # 60 × 4 / 80
        ("4.2", 4, 5, "80.00", "4.00"),
        ("4.2", 79, 100, "79.00", "3.95"),  # 79 × 4 / 80
        ("4.3", 1, 3, "33.33", "0.83"),  # 33.33 × 2 / 80 = 0.83325
        ("4.3", 9, 10, "90.00", "2.00"),
        # 5.4: full marks at ≥ 90 %.
        ("5.4", 17, 20, "85.00", "5.67"),  # 85 × 6 / 90 = 5.666…
        ("5.4", 9, 10, "90.00", "6.00"),
        ("5.4", 19, 20, "95.00", "6.00"),
    ],
)
def test_a_metric_scores_ratio_times_max_over_its_threshold(code, numerator, denominator, ratio, score):
    result = score_metric(spec(code), Count(numerator, denominator))
    assert (result.numerator, result.denominator) == (numerator, denominator)
    assert (result.ratio, result.score) == (D(ratio), D(score))
    assert result.max == spec(code).max_score


def test_a_zero_denominator_is_no_data_not_zero_points():
    result = score_metric(spec("4.1"), Count(0, 0))
    assert (result.ratio, result.score, result.has_data) == (None, None, False)
    assert result.name == "Tỷ lệ hồ sơ có cấp kết quả điện tử"


def test_the_ratio_is_rounded_half_up():
    # 1/8 = 12.5 % exactly; 1/800 = 0.125 % → 0.13 (half up, not half even).
    assert score_metric(spec("1.4"), Count(1, 800)).ratio == D("0.13")


# --- a whole unit in April 2026 -----------------------------------------------------------------

# Every flag a dossier could carry towards the digitization and payment metrics, all True.
EVERYTHING = {
    "eligible_full_online": True,
    "e_result": True,
    "components_digitized": True,
    "result_digitized": True,
    "reused_from_vault_or_registry": True,
    "synced_to_personal_store": True,
    "used_population_data": True,
    "has_fee": True,
    "paid_online": True,
    "synced_to_dvcqg": True,
}

# Timeliness (766 rule) at 01/05 00:00 in the comments; `wall_hours`: 8 clock hours = one working day.
DOSSIERS = (
    # Early: finished 57 h before the due time.
    dossier("A1", accepted=vn(2026, 4, 1, 8), due=vn(2026, 4, 10, 17), finished=vn(2026, 4, 8, 10),
            channel=Channel.ONLINE, outcome=Outcome.APPROVED, **EVERYTHING),
    # On time: 5 h before. Complaint about it.
    dossier("A2", accepted=vn(2026, 4, 2, 8), due=vn(2026, 4, 10, 17), finished=vn(2026, 4, 10, 12),
            eligible_full_online=True, components_digitized=True, result_digitized=True, has_fee=True,
            synced_to_dvcqg=True, complaint=True),
    # Late against the due time before the apology (10/04 17:00). Negative rating. No result file.
    dossier("A3", accepted=vn(2026, 4, 2, 8), due=vn(2026, 4, 15, 17), due_at_before_apology=vn(2026, 4, 10, 17),
            finished=vn(2026, 4, 13, 10), channel=Channel.ONLINE, eligible_full_online=True,
            components_digitized=True, synced_to_dvcqg=True, negative_rating=True),
    # Two supplement requests: late for the 766 index although finished early. Complaint.
    dossier("A4", accepted=vn(2026, 4, 1, 8), due=vn(2026, 4, 14, 17), finished=vn(2026, 4, 8, 10),
            channel=Channel.POSTAL, e_result=True, components_digitized=True, result_digitized=True,
            synced_to_dvcqg=True, complaint=True,
            pauses=(supplement(vn(2026, 4, 2, 8), vn(2026, 4, 3, 8)),
                    supplement(vn(2026, 4, 6, 8), vn(2026, 4, 7, 8)))),
    # Refused after acceptance, early; not a decision with a result (not in 4.1 / 4.2).
    dossier("A5", accepted=vn(2026, 4, 6, 8), due=vn(2026, 4, 17, 17), finished=vn(2026, 4, 7, 9),
            status=Status.REFUSED, synced_to_dvcqg=True),
    # Withdrawn, early; online, eligible, no e-result; not synced.
    dossier("A6", accepted=vn(2026, 4, 6, 8), due=vn(2026, 4, 17, 17), finished=vn(2026, 4, 8, 9),
            status=Status.WITHDRAWN, channel=Channel.ONLINE, eligible_full_online=True),
    # Carried over from March, early (31 h); decided in April with an e-result and files.
    dossier("A7", accepted=vn(2026, 3, 25, 8), due=vn(2026, 4, 3, 17), finished=vn(2026, 4, 2, 10),
            e_result=True, components_digitized=True, result_digitized=True, synced_to_dvcqg=True),
    # In progress, in time (due 05/05). Online, eligible, no result yet. Reused data, population data.
    dossier("A8", accepted=vn(2026, 4, 28, 8), due=vn(2026, 5, 5, 17), channel=Channel.ONLINE,
            eligible_full_online=True, reused_from_vault_or_registry=True, used_population_data=True,
            synced_to_dvcqg=True),
    # In progress, overdue (due 30/04 17:00). Fee paid online.
    dossier("A9", accepted=vn(2026, 4, 24, 8), due=vn(2026, 4, 30, 17), has_fee=True, paid_online=True,
            synced_to_dvcqg=True),
    # Awaiting payment since 29/04 10:00, before its due time 29/04 17:00: in time. Certified e-copy.
    dossier("A10", accepted=vn(2026, 4, 27, 8), due=vn(2026, 4, 29, 17), status=Status.AWAITING_PAYMENT,
            pauses=(payment(vn(2026, 4, 29, 10)),), has_fee=True, synced_to_dvcqg=True,
            is_certification=True, e_certified_copy=True),
    # Finished in March: in no April figure.
    dossier("A11", accepted=vn(2026, 3, 20, 8), due=vn(2026, 4, 3, 17), finished=vn(2026, 3, 30, 10), **EVERYTHING),
    # Refused at reception, never accepted: in no figure.
    dossier("A12", accepted=None, finished=vn(2026, 4, 2, 9), status=Status.REFUSED, **EVERYTHING),
    # Certification, same-day, on time (6 h before), denied: no e-copy; files for components and reply.
    dossier("A13", accepted=vn(2026, 4, 15, 8), due=vn(2026, 4, 15, 17), finished=vn(2026, 4, 15, 11),
            outcome=Outcome.DENIED, is_certification=True, components_digitized=True, result_digitized=True,
            synced_to_dvcqg=True),
)  # fmt: skip

PROCEDURES = ProcedureCounts(
    published_on_time=Count(9, 10),
    updated_on_time=Count(3, 4),
    full_content=Count(10, 10),
    fee_integrated=Count(4, 5),
    online_payment=Count(2, 5),
    population_data=Count(0, 0),  # no data
)

# 15 working days = 120 h, 2 = 16 h, 5 = 40 h with `wall_hours`.
FEEDBACK = (
    # On time (answered after 96 h, published 12 h later), liked: satisfied.
    FeedbackFacts(vn(2026, 4, 1, 8), answered_at=vn(2026, 4, 5, 8), published_at=vn(2026, 4, 5, 20), likes=3),
    # Answered after 121 h: late.
    FeedbackFacts(vn(2026, 4, 2, 8), answered_at=vn(2026, 4, 7, 9), published_at=vn(2026, 4, 7, 10)),
    # Rejected as out of scope after 12 h: on time, but more dislikes than likes.
    FeedbackFacts(vn(2026, 4, 3, 8), rejected_at=vn(2026, 4, 3, 20), dislikes=1),
    # More information asked after 48 h > 40 h: late.
    FeedbackFacts(vn(2026, 4, 6, 8), info_requested_at=vn(2026, 4, 8, 8), answered_at=vn(2026, 4, 9, 8),
                  published_at=vn(2026, 4, 9, 9)),
    # Answered on time, answer never published (448 h by 01/05): late.
    FeedbackFacts(vn(2026, 4, 10, 8), answered_at=vn(2026, 4, 12, 8)),
    # Open at the period end after 64 h ≤ 120 h: on time, satisfied.
    FeedbackFacts(vn(2026, 4, 28, 8)),
    # On time, but complained again: not satisfied.
    FeedbackFacts(vn(2026, 4, 20, 8), answered_at=vn(2026, 4, 22, 8), published_at=vn(2026, 4, 22, 10),
                  re_complained=True),
    # Received in March: not in April.
    FeedbackFacts(vn(2026, 3, 30, 8)),
    # Open since 01/04 00:00, 720 h by the period end: late.
    FeedbackFacts(vn(2026, 4, 1)),
)  # fmt: skip

UNIT = UnitPeriodFacts(DOSSIERS, PROCEDURES, FEEDBACK)

# (numerator, denominator, ratio, score), each computed by hand in the comment.
EXPECTED = {
    "1.1": (9, 10, "90.00", "5.40"),  # 90 × 6 / 100
    "1.2": (3, 4, "75.00", "3.00"),  # 75 × 4 / 100
    "1.3": (10, 10, "100.00", "2.00"),
    # Accepted in April: A1–A6, A8–A10, A13 = 10; all synced but A6.
    "1.4": (9, 10, "90.00", "5.40"),
    # In scope: those 10 + A7 carried over = 11. Good: A1 A2 A5 A6 A7 A13 (finished early / on time)
    # + A8 A10 (in time) = 8; bad: A3 (apology), A4 (two supplements), A9 (overdue).
    "2.1": (8, 11, "72.73", "14.55"),  # 72.7272… → 72.73; × 20 / 100 = 14.546
    # Eligible, accepted in April: A1 A2 A3 A6 A8; online with an e-result: A1 only. 20 × 12 / 50.
    "3.3": (1, 5, "20.00", "4.80"),
    "3.5": (4, 5, "80.00", "1.60"),  # SPEC default: full marks at 100 % → 80 × 2 / 100
    "3.5b": (2, 5, "40.00", "0.80"),
    # With a fee, accepted in April: A1 A2 A9 A10; paid online: A1 A9.
    "3.6": (2, 4, "50.00", "3.00"),
    # Decided in April: A1 A2 A3 A4 A7 A13; A13 denied → 5; e-result: A1 A4 A7.
    "4.1": (3, 5, "60.00", "3.60"),
    # Decided in April: 6; files for components and result: all but A3. 83.33 ≥ 80 → full marks.
    "4.2": (5, 6, "83.33", "4.00"),
    # Certification dossiers accepted in April: A10 (e-copy), A13 (none).
    "4.2b": (1, 2, "50.00", "1.00"),
    "4.3": (2, 10, "20.00", "0.50"),  # A1 A8; 20 × 2 / 80
    "4.4": (1, 10, "10.00", "0.40"),  # A1; 10 × 4 / 100
    "4.5b": (2, 10, "20.00", "0.40"),  # A1 A8
    # Feedback received in April: 8. On time: #1 #3 #6 #7.
    "5.2": (4, 8, "50.00", "3.00"),
    # Satisfied: on time, not disliked, not complained again: #1 #6.
    "5.3": (2, 8, "25.00", "1.50"),
    # 11 in scope − 3 overdue (A3 A4 A9) − 3 complained / rated negative (A2 A3 A4) = 5.
    "5.4": (5, 11, "45.45", "3.03"),  # 45.4545… → 45.45; × 6 / 90 = 3.03
}


@pytest.fixture(scope="module")
def april():
    return index_766(UNIT, window=APRIL, working_hours_between=wall_hours)


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_every_metric_of_the_crafted_unit(april, code):
    numerator, denominator, ratio, score = EXPECTED[code]
    result = april.metric(code)
    assert (result.numerator, result.denominator, result.ratio, result.score) == (
        numerator,
        denominator,
        D(ratio),
        D(score),
    )


def test_a_metric_without_data_is_left_out_of_its_group(april):
    assert april.metric("4.5a").score is None
    mdsh = april.group("MDSH")
    # 3.60 + 4.00 + 1.00 + 0.50 + 0.40 + 0.40 = 9.90, out of 22 − 2 (4.5a) = 20.
    assert (mdsh.score, mdsh.available_max, mdsh.max) == (D("9.90"), D(20), D(22))


@pytest.mark.parametrize(
    ("group", "score"),
    [
        ("CKMB", "15.80"),  # 5.40 + 3.00 + 2.00 + 5.40
        ("TDGQ", "14.55"),
        ("CLGQ", "4.80"),
        ("TTTT", "5.40"),  # 1.60 + 0.80 + 3.00
        ("MDHL", "7.53"),  # 3.00 + 1.50 + 3.03
    ],
)
def test_group_scores_of_the_crafted_unit(april, group, score):
    assert april.group(group).score == D(score)
    assert april.group(group).available_max == april.group(group).max


def test_total_percent_and_band_of_the_crafted_unit(april):
    # 15.80 + 14.55 + 4.80 + 5.40 + 9.90 + 7.53 = 57.98 out of 98 available (100 − 4.5a's 2).
    assert (april.score, april.available_max, april.max) == (D("57.98"), D(98), D(100))
    # 57.98 × 100 / 98 = 59.1632… → 59.16: Trung bình (50–< 70).
    assert april.percent == D("59.16")
    assert april.band is not None
    assert april.band.name == "Trung bình"
    assert april.profile_key == "766-2022"


def test_the_channel_split_is_reported_beside_clgq(april):
    # Accepted in April: online A1 A3 A6 A8; direct A2 A5 A9 A10 A13; postal A4.
    assert april.channels == ChannelSplit(online=4, direct=5, postal=1)
    assert april.channels.total == 10


def test_the_dossiers_behind_2_1_can_be_listed():
    population, numerator = dossiers_behind("2.1", DOSSIERS, CTX)
    assert [d.code for d in population] == ["A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "A9", "A10", "A13"]
    assert [d.code for d in numerator] == ["A1", "A2", "A5", "A6", "A7", "A8", "A10", "A13"]


# --- no data at group and total level -----------------------------------------------------------


def test_a_unit_with_nothing_to_measure_has_no_score_and_no_band():
    result = index_766(UnitPeriodFacts(), window=APRIL, working_hours_between=wall_hours)
    assert all(g.score is None for g in result.groups)
    assert (result.score, result.percent, result.band, result.available_max) == (None, None, None, D(0))


def test_a_unit_without_feedback_is_rated_on_the_rest():
    # One dossier finished early, no flag set: 2.1 = 100 % → 20; 5.4 = 100 % → 6; the other dossier
    # metrics 0 % or no data. Scored: CKMB 1.4 (0 of 6), TDGQ 20 of 20, MDSH 4.1 4.2 4.3 4.4 4.5b
    # (0 of 18), MDHL 5.4 (6 of 6); CLGQ, TTTT and the procedure and feedback metrics have no data.
    alone = dossier("B1", accepted=vn(2026, 4, 1, 8), due=vn(2026, 4, 10, 17), finished=vn(2026, 4, 8, 10))
    result = index_766(UnitPeriodFacts((alone,)), window=APRIL, working_hours_between=wall_hours)
    assert result.group("MDHL").score == D(6)
    assert result.group("MDHL").available_max == D(6)
    assert result.group("CLGQ").score is None
    assert result.group("TTTT").score is None
    # 4.1 and 4.2: decided in April, with has_result (default) and no e-result or files → 0 of 6 and 0 of 4.
    assert result.group("MDSH").available_max == D(6 + 4 + 2 + 4 + 2)
    # Total 26 of 6 + 20 + 18 + 6 = 50 available → 52.00 %: Trung bình.
    assert (result.score, result.available_max, result.percent) == (D(26), D(50), D("52.00"))


def test_5_4_adds_the_two_shares_and_stops_at_zero():
    # Two overdue dossiers, each also complained about: 100 % − (100 % + 100 %) → 0, not −100.
    overdue = [dossier(f"C{i}", accepted=vn(2026, 4, 1, 8), due=vn(2026, 4, 2, 17), complaint=True) for i in range(2)]
    result = index_766(UnitPeriodFacts(tuple(overdue)), window=APRIL, working_hours_between=wall_hours)
    assert (result.metric("5.4").numerator, result.metric("5.4").ratio) == (0, D("0.00"))
    assert result.metric("5.4").score == D("0.00")


def test_5_4_full_marks_at_90_percent():
    # 10 dossiers in time, one overdue among them: 100 − 10 = 90 % → 6 of 6.
    good = [dossier(f"G{i}", accepted=vn(2026, 4, 20, 8), due=vn(2026, 5, 20, 17)) for i in range(9)]
    late = dossier("L", accepted=vn(2026, 4, 1, 8), due=vn(2026, 4, 2, 17))
    result = index_766(UnitPeriodFacts((*good, late)), window=APRIL, working_hours_between=wall_hours)
    assert (result.metric("5.4").ratio, result.metric("5.4").score) == (D("90.00"), D("6.00"))


@pytest.mark.parametrize(
    ("percent", "band"),
    [
        ("100", "Xuất sắc"),
        ("90", "Xuất sắc"),
        ("89.99", "Tốt"),
        ("80", "Tốt"),
        ("79.99", "Khá"),
        ("70", "Khá"),
        ("69.99", "Trung bình"),
        ("50", "Trung bình"),
        ("49.99", "Yếu"),
        ("0", "Yếu"),
    ],
)
def test_rating_bands(percent, band):
    assert DEFAULT_766.band(D(percent)).name == band


# --- profiles are data --------------------------------------------------------------------------


def test_a_profile_can_change_a_threshold():
    # practice.md §3.3 gives 3.5 full marks at ≥ 80 %; a profile saying so scores 4/5 = 80 % at 2 of 2.
    metrics = tuple(dataclasses.replace(m, full_marks_at=D(80)) if m.code == "3.5" else m for m in DEFAULT_766.metrics)
    profile = dataclasses.replace(DEFAULT_766, key="766-test", metrics=metrics)
    result = index_766(UNIT, window=APRIL, working_hours_between=wall_hours, profile=profile)
    assert result.metric("3.5").score == D("2.00")


def test_a_profile_metric_without_a_formula_is_refused():
    unknown = MetricSpec("9.9", "Không có", "CKMB", D(0))
    profile = dataclasses.replace(DEFAULT_766, metrics=(*DEFAULT_766.metrics, unknown))
    with pytest.raises(MetricsError):
        index_766(UNIT, window=APRIL, working_hours_between=wall_hours, profile=profile)

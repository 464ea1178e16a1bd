"""Biểu II.06a (SPEC §6.3): columns (3)–(13) on crafted and on generated dossiers; the identities."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.dossiers.lifecycle import Status
from motcua.metrics.facts import Channel, DossierFacts, PauseKind
from motcua.metrics.formulas import Context, dossiers_behind
from motcua.metrics.profile import DEFAULT_766
from motcua.metrics.report_06a import (
    EMPTY_ROW,
    GroupBy,
    IdentityError,
    Row06a,
    check_identities,
    report_06a,
    row_for,
)
from motcua.metrics.tests import APRIL, dossier, payment, supplement, vn, wall_hours

GD, TP = "G03-GD10", "G03-TP01"
DUE = vn(2026, 4, 10, 17)

# Timeliness at 01/05 00:00 without the 766 rule on repeated supplements.
DOSSIERS = (
    # Education: received online, finished early (33 h before).
    dossier("E1", accepted=vn(2026, 4, 1, 8), due=DUE, finished=vn(2026, 4, 9, 8), channel=Channel.ONLINE,
            field_code=GD, unit_code="U1"),
    # Received at the counter, on time (7 h before).
    dossier("E2", accepted=vn(2026, 4, 2, 8), due=DUE, finished=vn(2026, 4, 10, 10), field_code=GD, unit_code="U1"),
    # Carried over from March, finished late in April.
    dossier("E3", accepted=vn(2026, 3, 30, 8), due=vn(2026, 4, 3, 17), finished=vn(2026, 4, 6, 9), field_code=GD,
            unit_code="U2"),
    # By post, still in progress and in time.
    dossier("E4", accepted=vn(2026, 4, 28, 8), due=vn(2026, 5, 5, 17), channel=Channel.POSTAL, field_code=GD,
            unit_code="U2"),
    # Carried over, still in progress and overdue.
    dossier("E5", accepted=vn(2026, 3, 16, 8), due=vn(2026, 4, 20, 17), field_code=GD, unit_code="U2"),
    # Online, withdrawn while waiting for a supplement: judged at the request, 32 h before the due time.
    dossier("E6", accepted=vn(2026, 4, 1, 8), due=vn(2026, 4, 3, 17), finished=vn(2026, 4, 20, 10),
            status=Status.WITHDRAWN, channel=Channel.ONLINE, pauses=(supplement(vn(2026, 4, 2, 9)),),
            field_code=GD, unit_code="U1"),
    # Two supplement requests, finished early: early in 06a (the 766 rule does not apply here).
    dossier("E7", accepted=vn(2026, 4, 1, 8), due=vn(2026, 4, 14, 17), finished=vn(2026, 4, 8, 10),
            pauses=(supplement(vn(2026, 4, 2, 8), vn(2026, 4, 3, 8)), supplement(vn(2026, 4, 6, 8), vn(2026, 4, 7, 8))),
            field_code=GD, unit_code="U1"),
    # Finished in March: no row for its field.
    dossier("E8", accepted=vn(2026, 3, 2, 8), due=vn(2026, 3, 10, 17), finished=vn(2026, 3, 9, 8),
            field_code="G03-XX01", unit_code="U3"),
    # Never accepted.
    dossier("E9", accepted=None, finished=vn(2026, 4, 2, 9), status=Status.REFUSED, field_code=GD, unit_code="U1"),
    # Justice: online, awaiting payment since before its due time: in progress, in time.
    dossier("J1", accepted=vn(2026, 4, 27, 8), due=vn(2026, 4, 29, 17), status=Status.AWAITING_PAYMENT,
            channel=Channel.ONLINE, pauses=(payment(vn(2026, 4, 29, 10)),), field_code=TP, unit_code="U1"),
    # At the counter, late against the due time before the apology.
    dossier("J2", accepted=vn(2026, 4, 2, 8), due=vn(2026, 4, 15, 17), due_at_before_apology=DUE,
            finished=vn(2026, 4, 13, 10), field_code=TP, unit_code="U2"),
)  # fmt: skip

#                      (3) (4) (5) (6) (7) (8) (9) (10) (11) (12) (13)
ROW_GD = Row06a(7, 2, 3, 2, 5, 3, 1, 1, 2, 1, 1)  # E1–E7
ROW_TP = Row06a(2, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0)  # J1 J2


def test_rows_by_field():
    report = report_06a(
        DOSSIERS, window=APRIL, working_hours_between=wall_hours, labels={GD: "Giáo dục và Đào tạo", TP: "Tư pháp"}
    )
    assert [(line.number, line.key, line.label) for line in report.lines] == [
        (1, GD, "Giáo dục và Đào tạo"),
        (2, TP, "Tư pháp"),
    ]  # G03-XX01 had nothing in April: no row
    assert [line.row for line in report.lines] == [ROW_GD, ROW_TP]
    assert report.total == Row06a(9, 3, 4, 2, 6, 3, 1, 2, 3, 2, 1)


def test_rows_by_unit():
    report = report_06a(DOSSIERS, window=APRIL, working_hours_between=wall_hours, group_by=GroupBy.UNIT)
    rows = {line.key: line.row for line in report.lines}
    # U1: E1 E2 E6 E7 J1; U2: E3 E4 E5 J2.
    assert rows["U1"] == Row06a(5, 3, 2, 0, 4, 3, 1, 0, 1, 1, 0)
    assert rows["U2"] == Row06a(4, 0, 2, 2, 2, 0, 0, 2, 2, 1, 1)
    assert set(rows) == {"U1", "U2"}
    assert report.total == Row06a(9, 3, 4, 2, 6, 3, 1, 2, 3, 2, 1)


def test_identities_hold_on_the_crafted_rows():
    for row in (ROW_GD, ROW_TP, ROW_GD + ROW_TP, EMPTY_ROW):
        check_identities(row)  # raises if not


@pytest.mark.parametrize(
    ("row", "broken"),
    [
        (Row06a(8, 2, 3, 2, 5, 3, 1, 1, 2, 1, 1), "(3) = (4)+(5)+(6); (3) = (7)+(11)"),
        (Row06a(7, 2, 3, 2, 5, 3, 1, 0, 2, 1, 1), "(7) = (8)+(9)+(10)"),
        (Row06a(7, 2, 3, 2, 5, 3, 1, 1, 2, 2, 1), "(11) = (12)+(13)"),
        (Row06a(7, 3, 3, 2, 5, 3, 1, 1, 2, 1, 1), "(3) = (4)+(5)+(6)"),
    ],
)
def test_a_row_that_does_not_add_up_names_the_broken_identities(row, broken):
    with pytest.raises(IdentityError) as caught:
        check_identities(row)
    with translation.override("en"):
        assert str(caught.value.message) == f"Biểu II.06a row does not add up: {broken}."


def test_the_06a_population_is_the_2_1_population():
    # (3) counts what 2.1 divides by; early + on time + within time is 2.1's numerator except for E7,
    # which the 766 index counts late for its two supplement requests.
    row = row_for(DOSSIERS, window=APRIL, working_hours_between=wall_hours)
    population, numerator = dossiers_behind("2.1", DOSSIERS, Context(APRIL, wall_hours, DEFAULT_766))
    assert row.received == len(population) == 9
    assert row.early + row.on_time + row.within_time == len(numerator) + 1


# --- generated dossiers ------------------------------------------------------------------------

BASE = vn(2026, 3, 1)
_hours = st.integers(min_value=0, max_value=24 * 92)  # March to May


@st.composite
def dossiers(draw: st.DrawFn, code: str = "H") -> DossierFacts:
    """Any consistent dossier accepted (or not) between March and May 2026."""
    accepted = BASE + timedelta(hours=draw(_hours))
    due = accepted + timedelta(hours=draw(st.integers(1, 600)))
    pauses = tuple(
        (supplement if kind is PauseKind.SUPPLEMENT else payment)(
            accepted + timedelta(hours=start), accepted + timedelta(hours=start + length) if length else None
        )
        for kind, start, length in draw(
            st.lists(st.tuples(st.sampled_from(PauseKind), st.integers(0, 500), st.integers(0, 200)), max_size=3)
        )
    )
    finished = draw(st.none() | st.integers(0, 1500).map(lambda h: accepted + timedelta(hours=h)))
    done = st.sampled_from([Status.RESOLVED, Status.RETURNED, Status.REFUSED, Status.WITHDRAWN, Status.STOPPED])
    status = draw(done if finished else st.sampled_from([Status.PROCESSING, Status.AWAITING_SUPPLEMENT]))
    apology = draw(st.booleans())
    return dossier(
        code,
        accepted=accepted if draw(st.integers(0, 9)) else None,
        due=due + timedelta(days=3) if apology else due,
        due_at_before_apology=due if apology else None,
        finished=finished,
        status=status,
        channel=draw(st.sampled_from(Channel)),
        pauses=pauses,
        field_code=draw(st.sampled_from([GD, TP])),
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(dossiers(), max_size=25))
def test_identities_hold_on_generated_dossiers(facts):
    report = report_06a(facts, window=APRIL, working_hours_between=wall_hours)
    for line in report.lines:
        check_identities(line.row)
    check_identities(report.total)
    population, numerator = dossiers_behind("2.1", facts, Context(APRIL, wall_hours, DEFAULT_766))
    assert report.total.received == len(population)
    good = report.total.early + report.total.on_time + report.total.within_time
    repeated = sum(d.supplement_count > 1 for d in population)
    # 2.1's numerator is 06a's "good" minus the good ones the repeated-supplement rule turns late.
    assert len(numerator) <= good <= len(numerator) + repeated

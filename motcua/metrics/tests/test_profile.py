"""The default 766 profile is SPEC §6.1 as data; facts refuse to contradict themselves."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import translation

from motcua.dossiers.lifecycle import Status
from motcua.metrics.facts import Channel, Count, DossierFacts, FactsError, FeedbackFacts
from motcua.metrics.profile import DEFAULT_766, ProfileError, profile_766_for, round_half_up
from motcua.metrics.tests import dossier, supplement, vn

D = Decimal


def test_groups_and_maxima_are_those_of_spec_6_1():
    assert [(g.code, g.name, g.max_score) for g in DEFAULT_766.groups] == [
        ("CKMB", "Công khai, minh bạch", 18),
        ("TDGQ", "Tiến độ giải quyết", 20),
        ("CLGQ", "Dịch vụ công trực tuyến", 12),
        ("TTTT", "Thanh toán trực tuyến", 10),
        ("MDSH", "Số hóa hồ sơ", 22),
        ("MDHL", "Mức độ hài lòng", 18),
    ]
    assert DEFAULT_766.max_score == 100
    maxima = {m.code: m.max_score for m in DEFAULT_766.metrics}
    assert maxima == {
        "1.1": 6, "1.2": 4, "1.3": 2, "1.4": 6, "2.1": 20, "3.3": 12, "3.5": 2, "3.5b": 2, "3.6": 6,
        "4.1": 6, "4.2": 4, "4.2b": 2, "4.3": 2, "4.4": 4, "4.5b": 2, "4.5a": 2, "5.2": 6, "5.3": 6, "5.4": 6,
    }  # fmt: skip


def test_thresholds_of_the_default_profile():
    thresholds = {m.code: m.full_marks_at for m in DEFAULT_766.metrics if m.full_marks_at != 100}
    assert thresholds == {"3.3": 50, "4.2": 80, "4.3": 80, "5.4": 90}


def test_official_names_keep_their_diacritics():
    assert DEFAULT_766.metric("2.1").name == "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn"
    assert DEFAULT_766.metric("4.3").name == "Tỷ lệ tái sử dụng dữ liệu số hóa"
    assert [b.name for b in DEFAULT_766.bands] == ["Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu"]


def test_the_766_profile_is_in_force_since_the_index_went_live():
    assert profile_766_for(date(2022, 8, 1)) is DEFAULT_766
    assert profile_766_for(date(2026, 4, 1)) is DEFAULT_766
    with pytest.raises(ProfileError):
        profile_766_for(date(2022, 7, 31))


def test_a_profile_whose_metrics_do_not_add_up_to_the_group_is_refused():
    metrics = tuple(dataclasses.replace(m, max_score=D(5)) if m.code == "1.1" else m for m in DEFAULT_766.metrics)
    with pytest.raises(ProfileError) as caught:
        dataclasses.replace(DEFAULT_766, metrics=metrics)
    with translation.override("en"):
        assert str(caught.value.message) == "The metric maxima of group CKMB do not add up to its maximum."


@pytest.mark.parametrize(("value", "places", "expected"), [("0.125", 2, "0.13"), ("1.25", 1, "1.3"), ("2.5", 0, "3")])
def test_rounding_is_half_up(value, places, expected):
    assert round_half_up(D(value), places) == D(expected)


# --- facts ---------------------------------------------------------------------------------------

ACCEPTED = vn(2026, 4, 1, 8)
DUE = vn(2026, 4, 10, 17)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"received_at": datetime(2026, 4, 1, 8)}, "received_at must be a timezone-aware datetime."),
        ({"due_at": None}, "Accepted dossier X has no due time."),
        ({"received_at": vn(2026, 4, 2)}, "Dossier X was accepted before it was received."),
        ({"finished_at": vn(2026, 4, 5)}, "Dossier X: a finish time goes with a finished status."),
        ({"status": Status.RESOLVED}, "Dossier X: a finish time goes with a finished status."),
        (
            {"status": Status.RESOLVED, "finished_at": vn(2026, 3, 31)},
            "Dossier X finished before it was accepted.",
        ),
        ({"due_at_before_apology": vn(2026, 4, 11)}, "Dossier X: an apology can only move the due time later."),
        ({"pauses": (supplement(vn(2026, 3, 31)),), "supplement_count": 1},
         "Dossier X: the clock cannot stop before acceptance."),
        ({"pauses": (supplement(vn(2026, 4, 2)),)}, "Dossier X has more supplement pauses than supplement requests."),
    ],
)  # fmt: skip
def test_contradictory_dossier_facts_are_refused(changes, message):
    base = {"code": "X", "channel": Channel.DIRECT, "status": Status.PROCESSING, "received_at": ACCEPTED,
            "accepted_at": ACCEPTED, "due_at": DUE}  # fmt: skip
    with pytest.raises(FactsError) as caught:
        DossierFacts(**{**base, **changes})
    with translation.override("en"):
        assert str(caught.value.message) == message


def test_the_index_due_time_is_the_one_before_the_apology():
    facts = dossier(accepted=ACCEPTED, due=vn(2026, 4, 15, 17), due_at_before_apology=DUE)
    assert facts.index_due_at == DUE
    assert dossier(accepted=ACCEPTED, due=DUE).index_due_at == DUE


def test_other_contradictions_are_refused():
    with pytest.raises(FactsError):
        Count(3, 2)
    with pytest.raises(FactsError):
        Count(-1, 2)
    with pytest.raises(FactsError):
        FeedbackFacts(vn(2026, 4, 2), answered_at=vn(2026, 4, 1))
    with pytest.raises(FactsError):
        supplement(vn(2026, 4, 2), vn(2026, 4, 1))

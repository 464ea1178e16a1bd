"""766 metrics 5.2, 5.3, 5.4 from ratings and feedback: July 2025 at An Bình, counted by hand.

Dossiers (certified copies, accepted 01/07 09:00 at the counter, due 08/07 09:00):

| dossier | story | overdue | complaint or negative rating |
|---|---|---|---|
| D1 | resolved, returned 02/07 | no | no |
| D2 | resolved, returned 02/07, tablet rating with "not yet satisfied" on attitude | no | yes |
| D3 | resolved, returned 02/07, all "very satisfied" | no | no |
| D4 | resolved, returned 02/07, feedback about it (G4) | no | yes |
| D5 | resolved 10/07 (late), returned, negative rating | yes | yes |
| D6 | resolved, returned 02/07, feedback about it rejected as out of scope (G6) | no | no |

5.4 = (6 − 1 overdue − 3 complained) / 6 = 33.33 % → 33.33 × 6 / 90 = 2.22.

Feedback to An Bình received in July (working days, 8 h a day; no holiday in July 2025):

| item | received | handled | 5.2 on time | 5.3 good |
|---|---|---|---|---|
| G4 | 03/07 09:00 | answered, published 04/07 | yes | yes |
| G6 | 03/07 09:00 | rejected 04/07 (1 wd ≤ 2) | yes | yes |
| F1 | 01/07 09:00 | answered 10/07 (7 wd), published 11/07 (1 wd); 2 likes; F6 follows it up (Aug) | yes | no |
| F2 | 01/07 09:00 | answered 25/07 (18 wd > 15) | no | no |
| F3 | 01/07 09:00 | answered, published 03/07; 1 like, 2 dislikes | yes | no: disliked |
| F4 | 01/07 09:00 | answered 02/07, published 10/07 (6 wd > 2) | no | no |
| F5 | 01/07 09:00 | never answered (evaluated 15/09) | no | no |

5.2 = 4 / 7 = 57.14 % → 3.43; 5.3 = 2 / 7 = 28.57 % → 1.71. Bình Minh has nothing: no data.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from motcua.accounts.roles import AccountKind
from motcua.dossiers.factories import UserFactory
from motcua.dossiers.models import Dossier
from motcua.feedback.models import Criterion, Level, RatingChannel
from motcua.feedback.services import feedback as fb
from motcua.feedback.services.ratings import rating_create
from motcua.feedback.tests.conftest import vn
from motcua.metrics.periods import parse_period
from motcua.metrics.recompute import metrics_check
from motcua.metrics.services import index_766_from_dossiers, index_766_maintained

pytestmark = pytest.mark.django_db

NOW = vn(2025, 9, 15, 10, 0)
JULY = parse_period("2025-07", today=NOW.date())


def _levels(level: str, **overrides: str) -> dict[str, str]:
    return {**{c.value: level for c in Criterion if c != Criterion.OTHER}, **overrides}


def _item(p, *, received, dossier=None, title="Phản ánh") -> fb.Feedback:
    data = fb.FeedbackInput(
        category="dossier" if dossier else "officer_unit",
        target_unit=p.a.unit.code,
        title=title,
        content="Nội dung",
        contact_name="Lê Văn C",
        contact_phone="0900000000",
        dossier_code=dossier.code if dossier else "",
    )
    return fb.feedback_submit(data=data, received_at=received)


def _answer(p, item, at, published=None):
    item = fb.feedback_answer(feedback=item, officer=p.a.specialist, answer="Trả lời", at=at)
    return fb.feedback_publish(feedback=item, officer=p.a.leader, at=published) if published else item


def _votes(item, likes: int, dislikes: int) -> None:
    for satisfied in [True] * likes + [False] * dislikes:
        fb.feedback_vote(feedback=item, voter=UserFactory(kind=AccountKind.CITIZEN), satisfied=satisfied)


def _dossiers(p) -> list[Dossier]:
    p.at(vn(2025, 7, 1))
    dossiers = [p.direct() for _ in range(6)]
    p.at(vn(2025, 7, 2))
    for i, dossier in enumerate(dossiers):
        if i != 4:
            p.resolve(dossier)
            p.return_result(Dossier.objects.get(pk=dossier.pk))
    p.at(vn(2025, 7, 10))
    p.resolve(dossiers[4])
    p.return_result(Dossier.objects.get(pk=dossiers[4].pk))
    return list(Dossier.objects.filter(pk__in=[d.pk for d in dossiers]).order_by("pk"))


def tell_the_story(p) -> dict[str, object]:
    d = _dossiers(p)
    tablet = {"channel": RatingChannel.COUNTER_TABLET, "officer": p.a.officer}
    rating_create(dossier=d[1], answers=_levels(Level.SATISFIED, attitude=Level.NOT_SATISFIED), **tablet)
    rating_create(dossier=d[2], answers=_levels(Level.VERY_SATISFIED), **tablet)
    rating_create(dossier=d[4], answers=_levels(Level.NOT_SATISFIED), **tablet)
    g4 = _answer(p, _item(p, received=vn(2025, 7, 3), dossier=d[3]), vn(2025, 7, 4), vn(2025, 7, 4, 10))
    g6 = _item(p, received=vn(2025, 7, 3), dossier=d[5])
    fb.feedback_reject(feedback=g6, officer=p.a.officer, reason="Khiếu nại", at=vn(2025, 7, 4))
    f1 = _answer(p, _item(p, received=vn(2025, 7, 1)), vn(2025, 7, 10), vn(2025, 7, 11))
    _votes(f1, 2, 0)
    _answer(p, _item(p, received=vn(2025, 7, 1)), vn(2025, 7, 25))
    _votes(_answer(p, _item(p, received=vn(2025, 7, 1)), vn(2025, 7, 3), vn(2025, 7, 3, 10)), 1, 2)
    _answer(p, _item(p, received=vn(2025, 7, 1)), vn(2025, 7, 2), vn(2025, 7, 10))
    _item(p, received=vn(2025, 7, 1), title="F5")
    fb.feedback_submit(data=fb.FeedbackInput(**{**_item_data(p), "follows_code": f1.code}), received_at=vn(2025, 8, 5))
    p.at(NOW)
    return {"g4": g4, "dossiers": d}


def _item_data(p) -> dict[str, str]:
    return {
        "category": "officer_unit",
        "target_unit": p.a.unit.code,
        "title": "Vẫn chưa hài lòng",
        "content": "Trả lời chưa thỏa đáng",
        "contact_name": "Lê Văn C",
        "contact_phone": "0900000000",
    }


def _figures(result, code: str) -> tuple[int, int, Decimal | None, Decimal | None]:
    m = result.metric(code)
    return m.numerator, m.denominator, m.ratio, m.score


def test_satisfaction_metrics_counted_by_hand(province):
    tell_the_story(province)

    maintained = index_766_maintained(unit=province.a.unit, period=JULY, now=NOW)
    raw = index_766_from_dossiers(unit=province.a.unit, period=JULY, now=NOW)

    assert _figures(maintained, "5.2") == (4, 7, Decimal("57.14"), Decimal("3.43"))
    assert _figures(maintained, "5.3") == (2, 7, Decimal("28.57"), Decimal("1.71"))
    assert _figures(maintained, "5.4") == (2, 6, Decimal("33.33"), Decimal("2.22"))
    for code in ("5.2", "5.3", "5.4", "2.1"):
        assert _figures(raw, code) == _figures(maintained, code)
    assert metrics_check() == []


def test_the_province_counts_its_communes_and_an_empty_commune_has_no_data(province):
    tell_the_story(province)

    root = index_766_maintained(unit=province.root, period=JULY, now=NOW)
    empty = index_766_maintained(unit=province.b.unit, period=JULY, now=NOW)

    assert _figures(root, "5.2")[:2] == (4, 7)
    for code in ("5.2", "5.3", "5.4"):
        assert _figures(empty, code) == (0, 0, None, None)
    assert empty.group("MDHL").score is None


def test_rejecting_a_complaint_later_moves_5_4_and_the_check_still_holds(province):
    story = tell_the_story(province)
    g4 = story["g4"]
    assert index_766_maintained(unit=province.a.unit, period=JULY, now=NOW).metric("5.4").numerator == 2

    # G4 was published, so it cannot be rejected; a new complaint about D1 arrives and is rejected.
    d1 = story["dossiers"][0]  # type: ignore[index]
    late = _item(province, received=NOW, dossier=d1)
    assert index_766_maintained(unit=province.a.unit, period=JULY, now=NOW).metric("5.4").numerator == 1
    fb.feedback_reject(feedback=late, officer=province.a.officer, reason="Ngoài phạm vi", at=NOW)

    assert index_766_maintained(unit=province.a.unit, period=JULY, now=NOW).metric("5.4").numerator == 2
    assert g4.status == "published"
    assert metrics_check() == []

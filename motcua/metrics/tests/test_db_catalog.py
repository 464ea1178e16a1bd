"""The procedure metrics of the 766 index from the catalog in the database, October 2025, by hand.

The test province (conftest) offers the certified copy and the birth registration at both
communes: in force, a 50 000 đ fee, no steps nor subjects recorded (not full content), no
decision dates, no dossier in October. Added here (October 2025 has no holiday):

- P1, offered at An Bình: v1 published, decided 01/10, effective 15/10, publicized 08/10, full
  content, a 10 000 đ fee, population data (1.1 and 1.2 on time); v2 a draft decided 20/10
  (ignored).
- P2, offered at Bình Minh: v1 superseded, decided 10/10, effective 16/10 (1.1 deadline 09/10:
  late), publicized 20/10 (deadline 17/10: late); v2 published, decided 01/08, no fee, no steps.
- P3, offered at the province: v1 abolished (not in force), decided 06/10, effective 20/10
  (deadline 13/10), publicized 06/10: on time for 1.1 and 1.2.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from motcua.catalog.factories import ComponentFactory, FeeFactory, ProcedureVersionFactory
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.dossiers.factories import offer
from motcua.metrics.periods import parse_period
from motcua.metrics.services import index_766_from_dossiers, index_766_maintained
from motcua.metrics.tests.conftest import Province, vn

pytestmark = pytest.mark.django_db

NOW = vn(2025, 11, 5, 10, 0)
CODES = ("1.1", "1.2", "1.3", "3.5", "3.5b", "4.5a")


def _catalog(p: Province) -> None:
    full = {
        "steps": "Bước 1: nộp hồ sơ. Bước 2: nhận kết quả.",
        "subjects": "Công dân Việt Nam",
        "competent_bodies": [{"name": "UBND xã An Bình", "code": "000.00.21.H99"}],
    }
    p1 = Procedure.objects.create(code="1.000001")
    v1 = ProcedureVersionFactory(
        procedure=p1,
        decision_date=date(2025, 10, 1),
        effective_from=date(2025, 10, 15),
        publicized_on=date(2025, 10, 8),
        population_data=True,
        **full,
    )
    ComponentFactory(version=v1)
    FeeFactory(version=v1, amount=D(10000))
    ProcedureVersionFactory(
        procedure=p1,
        number=2,
        status=ProcedureVersion.Status.DRAFT,
        decision_date=date(2025, 10, 20),
        effective_from=date(2025, 10, 21),
        make_current=False,
    )
    offer(p1, p.a.unit)

    p2 = Procedure.objects.create(code="1.000002")
    ProcedureVersionFactory(
        procedure=p2,
        status=ProcedureVersion.Status.SUPERSEDED,
        decision_date=date(2025, 10, 10),
        effective_from=date(2025, 10, 16),
        publicized_on=date(2025, 10, 20),
        make_current=False,
    )
    ProcedureVersionFactory(
        procedure=p2,
        number=2,
        decision_date=date(2025, 8, 1),
        effective_from=date(2025, 8, 20),
        publicized_on=date(2025, 8, 4),
    )
    offer(p2, p.b.unit)

    p3 = Procedure.objects.create(code="1.000003")
    ProcedureVersionFactory(
        procedure=p3,
        status=ProcedureVersion.Status.ABOLISHED,
        decision_date=date(2025, 10, 6),
        effective_from=date(2025, 10, 20),
        publicized_on=date(2025, 10, 6),
        **full,
    )
    offer(p3, p.root)


# code → (numerator, denominator, ratio, score)
EXPECTED = {
    "a": {
        "1.1": (1, 1, D("100.00"), D("6.00")),
        "1.2": (1, 1, D("100.00"), D("4.00")),
        "1.3": (1, 3, D("33.33"), D("0.67")),  # P1 of P1, copy, birth
        "3.5": (0, 3, D("0.00"), D("0.00")),  # no dossier in October
        "3.5b": (0, 3, D("0.00"), D("0.00")),
        "4.5a": (1, 3, D("33.33"), D("0.67")),
    },
    "b": {
        "1.1": (0, 1, D("0.00"), D("0.00")),
        "1.2": (0, 1, D("0.00"), D("0.00")),
        "1.3": (0, 3, D("0.00"), D("0.00")),
        "3.5": (0, 2, D("0.00"), D("0.00")),  # P2's version in force has no fee
        "3.5b": (0, 2, D("0.00"), D("0.00")),
        "4.5a": (0, 3, D("0.00"), D("0.00")),
    },
    "root": {
        "1.1": (2, 3, D("66.67"), D("4.00")),  # P1, P3 on time; P2 late
        "1.2": (2, 3, D("66.67"), D("2.67")),
        "1.3": (1, 4, D("25.00"), D("0.50")),  # P3 abolished: not in force
        "3.5": (0, 3, D("0.00"), D("0.00")),
        "3.5b": (0, 3, D("0.00"), D("0.00")),
        "4.5a": (1, 4, D("25.00"), D("0.50")),
    },
}


@pytest.mark.parametrize("which", ["a", "b", "root"])
def test_the_procedure_metrics_of_october_are_the_ones_counted_by_hand(province, which):
    _catalog(province)
    unit = {"a": province.a.unit, "b": province.b.unit, "root": province.root}[which]
    period = parse_period("2025-10", today=NOW.date())

    maintained = index_766_maintained(unit=unit, period=period, now=NOW)

    for code in CODES:
        m = maintained.metric(code)
        assert (m.numerator, m.denominator, m.ratio, m.score) == EXPECTED[which][code], code
    assert maintained == index_766_from_dossiers(unit=unit, period=period, now=NOW)


def test_without_offerings_the_procedure_metrics_have_no_data(province):
    _catalog(province)
    lonely = type(province.root).objects.create(code="000.00.99.H99", name="Xã mới", parent=province.root)
    period = parse_period("2025-10", today=NOW.date())

    result = index_766_maintained(unit=lonely, period=period, now=NOW)

    for code in CODES:
        assert (result.metric(code).ratio, result.metric(code).score) == (None, None), code
    assert result == index_766_from_dossiers(unit=lonely, period=period, now=NOW)


def test_september_has_no_publication_and_p1_is_not_in_force_yet(province):
    """P2 v2 was decided 01/08 with its deadline 08/08: neither in September; nothing decided then."""
    _catalog(province)
    period = parse_period("2025-09", today=NOW.date())

    result = index_766_maintained(unit=province.root, period=period, now=NOW)

    assert result.metric("1.1").ratio is None
    assert result.metric("1.2").ratio is None
    # P1 takes effect on 15/10: not in force in September; P2 v2, the copy and the birth are.
    assert (result.metric("1.3").numerator, result.metric("1.3").denominator) == (0, 3)

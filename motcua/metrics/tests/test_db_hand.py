"""August 2025 at the commune An Bình, told through the real services and counted by hand.

Every dossier is a certified copy (5 working days = 40 working hours; office 07:00–11:30,
13:30–17:00), accepted at 09:00 unless said otherwise, so each due time is a week later at 09:00.

| dossier | story | 06a (period Aug) | 766 2.1 |
|---|---|---|---|
| D1 | accepted 29/07, resolved 01/08 (16 h before its due 05/08) | carried over, early | good |
| D2 | accepted 23/07 (due 30/07), resolved 04/08 | carried over, late | late |
| D3 | accepted 04/08 (due 11/08), resolved 11/08 08:00 (1 h before) | on time | good |
| D4 | filed online 29/08, accepted 10:00 | online, in progress within time | good |
| D5 | accepted 11/08 (due 18/08), never resolved | in progress, overdue | overdue |
| D6 | accepted 05/08, supplements 06→07/08, 08→11/08 (due 18/08), resolved 15/08 (8 h early) | early | late: 2 asked |
| D7 | accepted 25/08, payment asked 26/08, paid online 05/09 | in progress within time (clock stopped) | good |
| D8 | accepted 12/08 (due 19/08), apology 14/08 → new due 26/08, resolved 21/08 | late (apology or not) | late |
| D9 | accepted 13/08, withdrawn 14/08 | early | good |
| D10 | accepted 18/08 (due 25/08), supplement 19/08, stopped 29/08 | early: judged when the clock stopped | good |
| D11 | filed online 06/08, refused | in no index | — |
| D12 | Bình Minh: by post 20/08 (due 27/08), resolved 27/08 09:00, returned 28/08 | on time | good |
| D13 | filed online 29/08, accepted 03/09 | September | — |

Also: D6 reused a vault document; D3 got a signed electronic result; every national-portal message
was delivered except D5's; the procedure lists a result type and its fee (50 000 đ) is due on
every dossier. Evaluated on 15/09/2025.
"""

from __future__ import annotations

from datetime import date

import pytest

from motcua.accounts.services import citizen_profile_upsert
from motcua.catalog.models import ResultType
from motcua.core import clock
from motcua.documents.models import Document, DocumentKind, StoredFile, VaultSource
from motcua.documents.vault import vault_add
from motcua.dossiers.factories import ID_NUMBER, intake_input
from motcua.dossiers.services.intake import ComponentInput, dossier_intake
from motcua.integrations.models import OutboxMessage
from motcua.integrations.outbox import outbox_deliver_due
from motcua.metrics.aggregates import metrics_refresh
from motcua.metrics.facts import MetricsError
from motcua.metrics.periods import parse_period
from motcua.metrics.report_06a import GroupBy
from motcua.metrics.services import (
    index_766_from_dossiers,
    index_766_maintained,
    index_answer,
    metric_dossiers,
    report_06a_from_dossiers,
    report_06a_maintained,
)
from motcua.metrics.tests.conftest import Province, vn

pytestmark = pytest.mark.django_db

NOW = vn(2025, 9, 15, 10, 0)
AUGUST = "2025-08"


def _result_document(code: str) -> None:
    stored = StoredFile.objects.create(sha256="a" * 64, size=10, mime="application/pdf", storage_key="aa/aaaa")
    Document.objects.create(
        kind=DocumentKind.RESULT, stored_file=stored, dossier_code=code, name="Bản sao", signed=True, signed_at=NOW
    )


def _vault_copy() -> int:
    """A document in the applicant's vault (digitized earlier), which D6 takes instead of the paper."""
    owner = citizen_profile_upsert(id_number=ID_NUMBER, full_name="Nguyễn Văn An")
    stored = StoredFile.objects.create(sha256="b" * 64, size=10, mime="application/pdf", storage_key="bb/bbbb")
    document = Document.objects.create(
        kind=DocumentKind.DIGITIZED_COPY, stored_file=stored, dossier_code="", name="Giấy khai sinh", signed=True
    )
    return vault_add(owner=owner, document=document, title="Giấy khai sinh", source=VaultSource.COUNTER_DIGITIZATION).pk


def tell_august(p: Province) -> dict[str, object]:
    """The story of the module docstring; returns the dossiers by name."""
    ResultType.objects.create(version=p.copy.current_version, code="KQ1", name="Bản sao được chứng thực")
    d: dict[str, object] = {}
    p.at(vn(2025, 7, 23))
    d["D2"] = p.direct()
    p.at(vn(2025, 7, 29))
    d["D1"] = p.direct()
    p.at(vn(2025, 8, 1))
    p.resolve(d["D1"])
    p.at(vn(2025, 8, 4))
    d["D3"] = p.direct()
    p.at(vn(2025, 8, 4, 9, 30))
    p.resolve(d["D2"])
    p.at(vn(2025, 8, 5))
    reused = intake_input(
        p.copy, components=[ComponentInput(code="TP1", originals=1, files=["f1"], vault_document=_vault_copy())]
    )
    d["D6"] = dossier_intake(caller=p.a.officer, data=reused).dossier
    p.at(vn(2025, 8, 6))
    p.supplement(d["D6"])
    d["D11"] = p.online()
    p.at(vn(2025, 8, 6, 10, 0))
    p.refuse(d["D11"])
    p.at(vn(2025, 8, 7))
    p.supplied(d["D6"])
    p.at(vn(2025, 8, 8))
    p.supplement(d["D6"])
    p.at(vn(2025, 8, 11, 8, 0))
    p.resolve(d["D3"])
    p.at(vn(2025, 8, 11))
    p.supplied(d["D6"])
    d["D5"] = p.direct()
    p.at(vn(2025, 8, 12))
    d["D8"] = p.direct()
    p.at(vn(2025, 8, 13))
    d["D9"] = p.direct()
    p.at(vn(2025, 8, 14))
    p.apologize(d["D8"], new_due_at=vn(2025, 8, 26))
    p.withdraw(d["D9"])
    p.at(vn(2025, 8, 15))
    p.resolve(d["D6"])
    p.at(vn(2025, 8, 18))
    d["D10"] = p.direct()
    p.at(vn(2025, 8, 19))
    p.supplement(d["D10"])
    p.at(vn(2025, 8, 20))
    d["D12"] = p.postal(p.b)
    p.at(vn(2025, 8, 21))
    p.resolve(d["D8"])
    p.at(vn(2025, 8, 25))
    d["D7"] = p.direct()
    p.at(vn(2025, 8, 26))
    p.payment(d["D7"])
    p.at(vn(2025, 8, 27))
    p.resolve(d["D12"])
    p.at(vn(2025, 8, 28))
    p.return_result(d["D12"])
    p.at(vn(2025, 8, 29))
    p.stop(d["D10"])
    d["D4"] = p.online()
    p.at(vn(2025, 8, 29, 10, 0))
    p.accept(d["D4"])
    p.at(vn(2025, 8, 29, 15, 0))
    d["D13"] = p.online()
    p.at(vn(2025, 9, 3))
    p.accept(d["D13"])
    p.at(vn(2025, 9, 5))
    p.paid(d["D7"], method="online")
    p.at(NOW)
    OutboxMessage.objects.filter(reference=d["D5"].code).update(failed_at=clock.now())  # type: ignore[attr-defined]
    outbox_deliver_due(limit=1000)
    _result_document(d["D3"].code)  # type: ignore[attr-defined]
    metrics_refresh()  # the periodic run: national-portal deliveries and documents
    return d


def metric(code: str, numerator: int, denominator: int, ratio: float | None, score: float | None, maximum: int):
    return {
        "code": code,
        "numerator": numerator,
        "denominator": denominator,
        "ratio": ratio,
        "score": score,
        "max": maximum,
    }


NO_DATA = (0, 0, None, None)

# By hand: 8 dossiers received in August (D3–D10), 2 carried over (D1, D2); 7 finished in August.
EXPECTED_A = {
    "1.1": (*NO_DATA, 6),
    "1.2": (*NO_DATA, 4),
    "1.3": (0, 2, 0.0, 0.0, 2),  # both procedures in force, neither lists its steps
    "1.4": (7, 8, 87.5, 5.25, 6),  # all synced but D5
    "2.1": (6, 10, 60.0, 12.0, 20),  # D1, D3, D9, D10 finished well; D4, D7 in time
    "3.3": (0, 8, 0.0, 0.0, 12),  # D4 is online but has no electronic result
    "3.5": (1, 2, 50.0, 1.0, 2),  # both list a fee; only the copy has synced dossiers with fees
    "3.5b": (1, 2, 50.0, 1.0, 2),  # the copy: D7 paid online
    "3.6": (1, 8, 12.5, 0.75, 6),  # D7 paid online
    "4.1": (1, 5, 20.0, 1.2, 6),  # decided: D1, D2, D3, D6, D8; e-result: D3
    "4.2": (1, 5, 20.0, 1.0, 4),  # 20 % of the 80 % threshold → 1 of 4
    "4.2b": (0, 8, 0.0, 0.0, 2),
    "4.3": (1, 8, 12.5, 0.31, 2),  # D6 reused: 12.5 × 2 / 80 = 0.3125
    "4.4": (0, 8, 0.0, 0.0, 4),
    "4.5b": (0, 8, 0.0, 0.0, 2),
    "4.5a": (0, 2, 0.0, 0.0, 2),  # neither declares population data
    "5.2": (*NO_DATA, 6),
    "5.3": (*NO_DATA, 6),
    "5.4": (6, 10, 60.0, 4.0, 6),  # 100 % − 40 % overdue − 0 % complaints; 60 × 6 / 90
}
# Groups with data: 5.25 + 12 + 0 + 2.75 + 2.51 + 4 = 26.51 of 78 → 33.99 % → Yếu.
EXPECTED_GROUPS_A = {"CKMB": 5.25, "TDGQ": 12.0, "CLGQ": 0.0, "TTTT": 2.75, "MDSH": 2.51, "MDHL": 4.0}


def test_the_766_index_of_august_is_the_one_counted_by_hand(province):
    tell_august(province)
    period = parse_period(AUGUST, today=NOW.date())

    answer = index_answer(
        unit=province.a.unit, period=period, result=index_766_maintained(unit=province.a.unit, period=period, now=NOW)
    )

    metrics = {m["code"]: m for g in answer["groups"] for m in g["metrics"]}
    for code, (numerator, denominator, ratio, score, maximum) in EXPECTED_A.items():
        assert {k: v for k, v in metrics[code].items() if k != "name"} == metric(
            code, numerator, denominator, ratio, score, maximum
        ), code
    assert {g["code"]: g["score"] for g in answer["groups"]} == EXPECTED_GROUPS_A
    assert (answer["unit"], answer["period"], answer["score"], answer["max"], answer["band"]) == (
        "000.00.21.H99",
        "2025-08",
        33.99,
        100,
        "Yếu",
    )
    raw = index_766_from_dossiers(unit=province.a.unit, period=period, now=NOW)
    assert index_answer(unit=province.a.unit, period=period, result=raw) == answer


def test_the_province_adds_the_postal_dossier_of_binh_minh(province):
    tell_august(province)
    period = parse_period(AUGUST, today=NOW.date())

    result = index_766_maintained(unit=province.root, period=period, now=NOW)

    assert (result.metric("2.1").numerator, result.metric("2.1").denominator) == (7, 11)
    assert (result.channels.online, result.channels.direct, result.channels.postal) == (1, 7, 1)
    assert result == index_766_from_dossiers(unit=province.root, period=period, now=NOW)


def test_the_06a_of_august_by_field_is_the_one_counted_by_hand(province):
    tell_august(province)

    report = report_06a_maintained(unit=province.a.unit, first=date(2025, 8, 1), last=date(2025, 8, 31), now=NOW)

    [line] = report.lines
    assert (line.number, line.key, line.label) == (1, "G09-CT01", "Chứng thực")
    #                          (3) (4) (5) (6) (7) (8) (9) (10) (11) (12) (13)
    assert line.row.columns() == (10, 1, 7, 2, 7, 4, 1, 2, 3, 2, 1)
    assert report.total == line.row
    assert report == report_06a_from_dossiers(
        unit=province.a.unit, first=date(2025, 8, 1), last=date(2025, 8, 31), now=NOW
    )


def test_the_06a_by_unit_has_a_row_per_commune_and_the_identities_hold(province):
    tell_august(province)

    report = report_06a_maintained(
        unit=province.root, first=date(2025, 8, 1), last=date(2025, 8, 31), group_by=GroupBy.UNIT, now=NOW
    )

    assert [(line.key, line.label) for line in report.lines] == [
        ("000.00.21.H99", "UBND xã An Bình"),
        ("000.00.22.H99", "UBND xã Bình Minh"),
    ]
    assert report.lines[1].row.columns() == (1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0)
    total = report.total
    assert (
        total.received == total.online + total.direct_postal + total.carried_over == total.resolved + total.in_progress
    )
    assert total.resolved == total.early + total.on_time + total.late
    assert total.in_progress == total.within_time + total.overdue


def test_september_carries_over_what_august_left_open(province):
    tell_august(province)

    report = report_06a_maintained(unit=province.a.unit, first=date(2025, 9, 1), last=date(2025, 9, 14), now=NOW)

    # Carried over: D4, D5, D7; received: D13 (online); finished: none; D5 overdue, D7 paid and running again.
    assert report.total.columns()[:4] == (4, 1, 0, 3)
    assert report.total.resolved == 0
    assert report == report_06a_from_dossiers(
        unit=province.a.unit, first=date(2025, 9, 1), last=date(2025, 9, 14), now=NOW
    )


def test_due_times_of_the_story_are_the_calendars(province):
    d = tell_august(province)
    for name, due in (
        ("D1", vn(2025, 8, 5)),
        ("D3", vn(2025, 8, 11)),
        ("D5", vn(2025, 8, 18)),
        ("D6", vn(2025, 8, 18)),
    ):
        d[name].refresh_from_db()  # type: ignore[attr-defined]
        assert d[name].due_at == due, name  # type: ignore[attr-defined]
    d["D8"].refresh_from_db()  # type: ignore[attr-defined]
    assert (d["D8"].due_at_before_apology, d["D8"].due_at) == (vn(2025, 8, 19), vn(2025, 8, 26))  # type: ignore[attr-defined]


def test_the_dossiers_behind_2_1_are_the_ones_named_by_hand(province):
    d = tell_august(province)
    period = parse_period(AUGUST, today=NOW.date())

    population, numerator = metric_dossiers(unit=province.a.unit, period=period, code="2.1", now=NOW)

    def codes(*names: str) -> list[str]:
        return sorted(d[name].code for name in names)  # type: ignore[attr-defined]

    assert population == codes("D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8", "D9", "D10")
    assert numerator == codes("D1", "D3", "D4", "D7", "D9", "D10")
    with pytest.raises(MetricsError):
        metric_dossiers(unit=province.a.unit, period=period, code="1.1", now=NOW)

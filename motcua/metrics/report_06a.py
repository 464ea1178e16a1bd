"""Biểu II.06a/VPCP/KSTT (TT 01/2020/TT-VPCP; SPEC §6.3): dossiers received and resolved, by field or unit.

Columns (practice.md §4.1): received (3) total, (4) online, (5) direct + postal — both accepted in
the period — (6) carried over from the previous period; resolved (7) total, (8) early, (9) on
time, (10) late; in progress at the period end (11) total, (12) within time, (13) overdue.
Identities: (3) = (4)+(5)+(6) = (7)+(11); (7) = (8)+(9)+(10); (11) = (12)+(13).

Each column is counted on its own from the facts, so `check_identities` is a real check of the
classification (and of any row read back from storage), not a tautology.

Choices (SPEC §4.4 over the form's header notes): a dossier refused, stopped or withdrawn after
acceptance is resolved at that time and classified by it like any other; one waiting for a
supplement or a payment at the period end is in progress, judged when its clock stopped. The 766
rule on repeated supplements does not apply here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import astuple, dataclass, fields
from decimal import Decimal
from enum import StrEnum
from typing import Final

from django.utils.translation import gettext_lazy as _

from motcua.metrics.facts import Channel, DossierFacts, MetricsError
from motcua.metrics.periods import Window
from motcua.metrics.timeliness import (
    ONE_WORKING_DAY,
    Timeliness,
    WorkingHoursBetween,
    carried_over,
    classify,
    finished_in,
    in_scope,
    received_in,
)


class IdentityError(MetricsError):
    """A 06a row whose columns do not add up."""

    code = "report_identity"


class GroupBy(StrEnum):
    """Rows by field (lĩnh vực) or by unit (đơn vị)."""

    FIELD = "field"
    UNIT = "unit"


@dataclass(frozen=True)
class Row06a:
    """One row of Biểu II.06a: columns (3)–(13) in order."""

    received: int  # (3)
    online: int  # (4)
    direct_postal: int  # (5)
    carried_over: int  # (6)
    resolved: int  # (7)
    early: int  # (8)
    on_time: int  # (9)
    late: int  # (10)
    in_progress: int  # (11)
    within_time: int  # (12)
    overdue: int  # (13)

    def columns(self) -> tuple[int, ...]:
        """Columns (3) to (13)."""
        return astuple(self)

    def __add__(self, other: Row06a) -> Row06a:
        return Row06a(*(a + b for a, b in zip(self.columns(), other.columns(), strict=True)))


EMPTY_ROW: Final = Row06a(*(0 for _ in fields(Row06a)))

# (name, left side, right side) as column numbers (3)–(13).
IDENTITIES: Final = (
    ("(3) = (4)+(5)+(6)", (3,), (4, 5, 6)),
    ("(3) = (7)+(11)", (3,), (7, 11)),
    ("(7) = (8)+(9)+(10)", (7,), (8, 9, 10)),
    ("(11) = (12)+(13)", (11,), (12, 13)),
)


def check_identities(row: Row06a) -> None:
    """Raise IdentityError naming every broken identity of SPEC §6.3; return None if all hold."""
    column = dict(zip(range(3, 14), row.columns(), strict=True))
    broken = [name for name, left, right in IDENTITIES if sum(column[c] for c in left) != sum(column[c] for c in right)]
    if broken:
        raise IdentityError(_("Biểu II.06a row does not add up: %(identities)s."), identities="; ".join(broken))


@dataclass(frozen=True)
class Line06a:
    """A numbered row: (1) TT, (2) the field or unit, then the columns."""

    number: int
    key: str
    label: str
    row: Row06a


@dataclass(frozen=True)
class Report06a:
    """The rows of a period, sorted by key, and their total."""

    group_by: GroupBy
    window: Window
    lines: tuple[Line06a, ...]
    total: Row06a


def row_for(
    dossiers: Iterable[DossierFacts],
    *,
    window: Window,
    working_hours_between: WorkingHoursBetween,
    early_margin_hours: Decimal = ONE_WORKING_DAY,
) -> Row06a:
    """The 06a columns of `dossiers` over `window`, each column counted independently."""
    scope = [d for d in dossiers if d.accepted and in_scope(d, window)]
    new = [d for d in scope if received_in(d, window)]
    counts = Counter(
        classify(d, at=window.end, working_hours_between=working_hours_between, early_margin_hours=early_margin_hours)
        for d in scope
    )
    return Row06a(
        received=len(scope),
        online=sum(d.channel == Channel.ONLINE for d in new),
        direct_postal=sum(d.channel in (Channel.DIRECT, Channel.POSTAL) for d in new),
        carried_over=sum(carried_over(d, window) for d in scope),
        resolved=sum(finished_in(d, window) for d in scope),
        early=counts[Timeliness.EARLY],
        on_time=counts[Timeliness.ON_TIME],
        late=counts[Timeliness.LATE],
        in_progress=sum(d.finished_at is None or d.finished_at >= window.end for d in scope),
        within_time=counts[Timeliness.IN_TIME],
        overdue=counts[Timeliness.OVERDUE],
    )


def _field_key(d: DossierFacts) -> str:
    return d.field_code


def _unit_key(d: DossierFacts) -> str:
    return d.unit_code


def report_06a(
    dossiers: Iterable[DossierFacts],
    *,
    window: Window,
    working_hours_between: WorkingHoursBetween,
    group_by: GroupBy = GroupBy.FIELD,
    labels: Mapping[str, str] | None = None,
    early_margin_hours: Decimal = ONE_WORKING_DAY,
) -> Report06a:
    """Biểu II.06a over `window`, one row per field code or unit code (labels: code → display name)."""
    key: Callable[[DossierFacts], str] = (
        (lambda d: d.field_code) if group_by is GroupBy.FIELD else (lambda d: d.unit_code)
    )
    groups: dict[str, list[DossierFacts]] = {}
    for d in dossiers:
        groups.setdefault(key(d), []).append(d)
    rows = {
        code: row_for(
            groups[code],
            window=window,
            working_hours_between=working_hours_between,
            early_margin_hours=early_margin_hours,
        )
        for code in sorted(groups)
    }
    # A field or unit with nothing received, carried over or pending in the period has no row.
    shown = [(code, row) for code, row in rows.items() if row.received]
    lines = []
    for number, (code, row) in enumerate(shown, start=1):
        check_identities(row)
        lines.append(Line06a(number, code, (labels or {}).get(code, code), row))
    total = sum((line.row for line in lines), EMPTY_ROW)
    return Report06a(group_by, window, tuple(lines), total)

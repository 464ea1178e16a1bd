"""Inline SVG bars, drawn server-side from the same numbers the tables beside them show."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from motcua.queueing.rules import bar_width

ROW_HEIGHT = 22
FULL_WIDTH = 240


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    width: int
    y: int


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    height: int
    full: int = FULL_WIDTH


def bars(rows: Sequence[Any], field: str) -> Chart:
    """One horizontal bar per row for `row.<field>` (None and 0 draw nothing; the value is written beside)."""
    values = [getattr(row, field) for row in rows]
    largest = max((v for v in values if v), default=None)
    drawn = [
        Bar(label=row.label, value=value, width=bar_width(value, largest, full=FULL_WIDTH), y=index * ROW_HEIGHT)
        for index, (row, value) in enumerate(zip(rows, values, strict=True))
    ]
    return Chart(bars=drawn, height=max(ROW_HEIGHT, len(drawn) * ROW_HEIGHT))

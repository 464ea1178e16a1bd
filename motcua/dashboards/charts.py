"""Server-side chart geometry for inline SVG (SPEC §3.10: pictures first, values beside them).

The templates draw what these return; every chart also has a table or text with the numbers, and
shapes carry patterns and labels, so nothing is told by colour alone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

GAUGE_R: Final = 40.0
GAUGE_CX: Final = 50.0
GAUGE_CY: Final = 50.0
BAR_LEFT: Final = 200.0
BAR_PLOT: Final = 300.0


def _point(fraction: float) -> tuple[float, float]:
    angle = math.pi * (1 - fraction)
    return GAUGE_CX + GAUGE_R * math.cos(angle), GAUGE_CY - GAUGE_R * math.sin(angle)


@dataclass(frozen=True)
class Gauge:
    """A half-circle gauge: the track, and the arc up to `fraction` (None: no data)."""

    fraction: float | None
    track: str
    arc: str


def gauge(value: Decimal | float | None, maximum: Decimal | float) -> Gauge:
    x0, y0 = _point(0)
    x1, y1 = _point(1)
    track = f"M {x0:.2f} {y0:.2f} A {GAUGE_R:.0f} {GAUGE_R:.0f} 0 0 1 {x1:.2f} {y1:.2f}"
    if value is None or not maximum:
        return Gauge(None, track, "")
    fraction = max(0.0, min(1.0, float(value) / float(maximum)))
    x, y = _point(fraction)
    arc = f"M {x0:.2f} {y0:.2f} A {GAUGE_R:.0f} {GAUGE_R:.0f} 0 0 1 {x:.2f} {y:.2f}" if fraction > 0 else ""
    return Gauge(fraction, track, arc)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    text: str
    width: float  # 0–100, % of the plot width
    y: float
    note: str = ""

    @property
    def px(self) -> float:
        """The bar's length in the 600-wide drawing (labels take the first 200)."""
        return round(self.width * BAR_PLOT / 100, 2)

    @property
    def text_x(self) -> float:
        return round(BAR_LEFT + self.px + 6, 2)


def bars(
    items: Sequence[tuple[str, float | None, str, str]], *, maximum: float = 100.0, row: float = 28.0
) -> list[Bar]:
    """Horizontal bars: (label, value, value as text, note) → geometry; value None → no bar."""
    out = []
    for number, (label, value, text, note) in enumerate(items):
        width = 0.0 if value is None or not maximum else max(0.0, min(100.0, value * 100.0 / maximum))
        out.append(Bar(label, value, text, round(width, 2), number * row, note))
    return out


@dataclass(frozen=True)
class LinePoint:
    label: str
    value: float | None
    text: str
    x: float
    y: float | None
    show_label: bool = True  # with many points, only every n-th is labelled (the table has them all)


@dataclass(frozen=True)
class Line:
    points: list[LinePoint]
    path: str  # polyline through the points with data
    width: float
    height: float
    ticks: list[tuple[float, str]]  # (y, label) of the horizontal grid lines

    @property
    def right(self) -> float:
        return self.width - 30

    @property
    def label_y(self) -> float:
        return self.height - 12


def line(
    items: Sequence[tuple[str, float | None, str]], *, maximum: float = 100.0, width: float = 600, height: float = 200
) -> Line:
    """A line chart with the x axis divided evenly between the items; gaps where value is None."""
    left, right, top, bottom = 40.0, 30.0, 20.0, 30.0
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(1, len(items) - 1) if len(items) > 1 else 0.0
    maximum = maximum or 1.0
    every = max(1, math.ceil(len(items) / 12))
    points = []
    for number, (label, value, text) in enumerate(items):
        x = left + number * step if len(items) > 1 else left + plot_w / 2
        y = None if value is None else top + plot_h * (1 - max(0.0, min(value, maximum)) / maximum)
        shown = number % every == 0 or number == len(items) - 1
        points.append(LinePoint(label, value, text, round(x, 2), None if y is None else round(y, 2), shown))
    segments: list[str] = []
    pen_up = True
    for p in points:
        if p.y is None:
            pen_up = True
            continue
        segments.append(f"{'M' if pen_up else 'L'} {p.x:.2f} {p.y:.2f}")
        pen_up = False
    ticks = [(round(top + plot_h * (1 - f), 2), f"{maximum * f:g}") for f in (0, 0.25, 0.5, 0.75, 1)]
    return Line(points, " ".join(segments), width, height, ticks)

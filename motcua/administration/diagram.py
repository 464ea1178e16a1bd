"""The drawn diagram of a process definition: an inline SVG built on the server from the steps.

Pure: steps in, markup out. One lane (column) per place a step runs — the receiving counter, the
handling unit, its parent, each fixed unit — so hand-overs between agencies show as arrows that
cross lanes. Boxes go down in step order; each says the step, role, unit and allotted time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

LANE_WIDTH, BOX_WIDTH, BOX_HEIGHT, ROW_GAP, TOP = 230, 200, 78, 34, 44


@dataclass(frozen=True)
class Box:
    """One step as drawn."""

    order: int
    name: str
    role: str
    lane: str
    hours: Decimal


def lanes_of(boxes: Sequence[Box]) -> list[str]:
    """The lanes in the order they first appear."""
    return list(dict.fromkeys(b.lane for b in boxes))


def _hours(hours: Decimal) -> str:
    text = f"{hours.normalize():f}"
    return text.replace(".", ",")


def _wrap(text: str, width: int = 26) -> list[str]:
    """Up to two lines of about `width` characters (SVG text does not wrap by itself)."""
    lines: list[str] = [""]
    for word in text.split():
        if lines[-1] and len(lines[-1]) + 1 + len(word) > width:
            if len(lines) == 2:
                lines[-1] = lines[-1].rstrip() + "…"
                break
            lines.append("")
        lines[-1] = f"{lines[-1]} {word}".strip()
    return lines


def svg(boxes: Sequence[Box], *, title: str, description: str, hours_label: str) -> SafeString:
    """The diagram; `hours_label` is a format with {hours}, e.g. "{hours} giờ làm việc"."""
    lanes = lanes_of(boxes)
    width = max(1, len(lanes)) * LANE_WIDTH
    height = TOP + len(boxes) * (BOX_HEIGHT + ROW_GAP) + 10
    parts = [_lane(n, name, height) for n, name in enumerate(lanes)]
    centres: list[tuple[float, float]] = []
    for row, box in enumerate(boxes):
        x = lanes.index(box.lane) * LANE_WIDTH + (LANE_WIDTH - BOX_WIDTH) / 2
        y = TOP + row * (BOX_HEIGHT + ROW_GAP)
        parts.append(_box(box, x, y, hours_label))
        centres.append((x + BOX_WIDTH / 2, y))
    for (x1, y1), (x2, y2) in pairwise(centres):
        parts.append(_arrow(x1, y1 + BOX_HEIGHT, x2, y2))
    return format_html(
        '<svg class="process-diagram" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" '
        'role="img" aria-labelledby="diagram-title diagram-desc"><title id="diagram-title">{t}</title>'
        '<desc id="diagram-desc">{d}</desc><defs><marker id="arrowhead" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#1d3557"/>'
        "</marker></defs>{body}</svg>",
        w=width,
        h=height,
        t=title,
        d=description,
        body=SafeString("".join(parts)),
    )


def _lane(n: int, name: str, height: int) -> str:
    x = n * LANE_WIDTH
    fill = "#f1f5f9" if n % 2 == 0 else "#ffffff"
    return format_html(
        '<g class="lane"><rect x="{}" y="0" width="{}" height="{}" fill="{}" stroke="#94a3b8"/>'
        '<text x="{}" y="24" text-anchor="middle" font-size="13" font-weight="bold" fill="#1e293b">{}</text></g>',
        x,
        LANE_WIDTH,
        height,
        fill,
        x + LANE_WIDTH / 2,
        _wrap(name, 30)[0],
    )


def _box(box: Box, x: float, y: float, hours_label: str) -> str:
    lines = [f"{box.order}. {line}" if i == 0 else line for i, line in enumerate(_wrap(box.name))]
    text = format_html_join(
        "",
        '<tspan x="{}" dy="{}">{}</tspan>',
        ((x + 10, 0 if i == 0 else 15, line) for i, line in enumerate(lines)),
    )
    return format_html(
        '<g class="step"><rect x="{x}" y="{y}" width="{w}" height="{h}" rx="6" fill="#ffffff" stroke="#1d3557" '
        'stroke-width="1.5"/><text y="{ty}" font-size="12" font-weight="bold" fill="#0f172a">{text}</text>'
        '<text x="{tx}" y="{ry}" font-size="11" fill="#334155">{role}</text>'
        '<text x="{tx}" y="{hy}" font-size="11" fill="#334155">{hours}</text></g>',
        x=x,
        y=y,
        w=BOX_WIDTH,
        h=BOX_HEIGHT,
        ty=y + 18,
        text=text,
        tx=x + 10,
        ry=y + 50,
        role=box.role,
        hy=y + 66,
        hours=hours_label.format(hours=_hours(box.hours)),
    )


def _arrow(x1: float, y1: float, x2: float, y2: float) -> str:
    if x1 == x2:
        path = f"M{x1} {y1} L{x2} {y2 - 2}"
    else:
        middle = (y1 + y2) / 2
        path = f"M{x1} {y1} L{x1} {middle} L{x2} {middle} L{x2} {y2 - 2}"
    return format_html(
        '<path d="{}" fill="none" stroke="#1d3557" stroke-width="1.5" marker-end="url(#arrowhead)"/>', path
    )

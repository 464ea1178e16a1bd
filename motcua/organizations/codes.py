"""Unit identifier codes (SPEC §4.1). Pure: no Django models, no HTTP.

Two written forms name the same tree of organisations:

* **QCVN 102** (TT 10/2016/TT-BTTTT, cited by TT 01/2018/TT-VPCP Art. 19): `V1V2V3.Z1Z2.Y1Y2.MX1X2`,
  read right to left. `MX1X2` is the level-1 code (province or ministry), `Y1Y2` the level-2 unit,
  `Z1Z2` level 3, `V1V2V3` level 4. A level that is not used is written as zeros, so
  `000.00.00.H56` is the province itself and `000.00.06.H56` its level-2 unit 06.
* **QĐ 20/2020/QĐ-TTg Art. 4**: groups written left to right from the level-1 code and separated by
  dots (`H56.06`), at most 35 characters of `A–Z 0–9 .`.

Both reduce to a *path*: the level-1 code followed by one group per lower level, e.g. ("H56", "06").
Comparing paths lets a child be checked against its parent whatever form each is written in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from django.utils.translation import gettext as _

MAX_LENGTH: Final = 35
# QĐ 20/2020 Art. 4(2): M is a letter from A to Y, X1 and X2 are digits.
LEVEL1: Final = re.compile(r"[A-Y][0-9]{2}")
_GROUP: Final = re.compile(r"[A-Z0-9]+")
_ALLOWED: Final = re.compile(r"[A-Z0-9.]+")
# QCVN 102 segments as written, left to right: V1V2V3, Z1Z2, Y1Y2 (digits); MX1X2 comes last.
_QCVN_WIDTHS: Final = (3, 2, 2)


class CodeForm(StrEnum):
    QCVN102 = "qcvn102"
    LEFT_TO_RIGHT = "qd20"


class UnitCodeError(ValueError):
    """A unit code that breaks the format; `message` says which part is wrong (translatable)."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class UnitCode:
    """A parsed unit code: its form, the segments as written and the path from level 1 down."""

    raw: str
    form: CodeForm
    segments: tuple[str, ...]
    path: tuple[str, ...]

    @property
    def level1(self) -> str:
        """The level-1 code `MX1X2`: the province (H…) or ministry (G…) the unit belongs to."""
        return self.path[0]

    @property
    def level(self) -> int:
        """1 for the province/ministry itself, 2 for its direct units, and so on."""
        return len(self.path)


def parse_unit_code(code: str) -> UnitCode:
    """Parse `code` in either form, or raise UnitCodeError naming the first thing that is wrong."""
    if not code:
        raise UnitCodeError(_("The unit code is empty."))
    if len(code) > MAX_LENGTH:
        raise UnitCodeError(_("A unit code has at most %(max)d characters.") % {"max": MAX_LENGTH})
    if not _ALLOWED.fullmatch(code):
        raise UnitCodeError(_("A unit code may contain only capital letters A–Z, digits 0–9 and dots."))
    # A QCVN 102 code starts with digits (V1V2V3); a QĐ 20 code starts with its level-1 letter.
    if code[0].isdigit():
        return _parse_qcvn102(code)
    return _parse_left_to_right(code)


def validate_unit_code(code: str) -> UnitCode:
    """Same as parse_unit_code; the name reads better where the result is not needed."""
    return parse_unit_code(code)


def normalize_unit_code(code: str) -> str:
    """What people type → what we store: surrounding spaces dropped, letters in capitals."""
    return code.strip().upper()


def _parse_qcvn102(code: str) -> UnitCode:
    segments = tuple(code.split("."))
    if len(segments) != 4:
        raise UnitCodeError(_("A QCVN 102 code has four segments separated by dots, like 000.00.06.H56."))
    for position, (segment, width) in enumerate(zip(segments, _QCVN_WIDTHS, strict=False), start=1):
        if len(segment) != width or not segment.isdigit():
            raise UnitCodeError(_digits_message(position, width))
    if not LEVEL1.fullmatch(segments[3]):
        raise UnitCodeError(_("Segment 4 (the level-1 code) must be a letter A–Y followed by two digits, like H56."))
    lower = (segments[2], segments[1], segments[0])  # levels 2, 3, 4
    used = next((index for index, group in enumerate(lower) if int(group) == 0), len(lower))
    # A level exists only under the level above it: once a level is zeros, deeper ones must be too.
    for index in range(used, len(lower)):
        if int(lower[index]) != 0:
            raise UnitCodeError(
                _("Level %(level)d is set but level %(above)d is zero: a unit belongs to the level above it.")
                % {"level": index + 2, "above": used + 2}
            )
    path = (segments[3], *lower[:used])
    return UnitCode(raw=code, form=CodeForm.QCVN102, segments=segments, path=path)


def _digits_message(position: int, width: int) -> Any:
    if width == 3:
        return _("Segment %(position)d must be three digits.") % {"position": position}
    return _("Segment %(position)d must be two digits.") % {"position": position}


def _parse_left_to_right(code: str) -> UnitCode:
    groups = tuple(code.split("."))
    if not LEVEL1.fullmatch(groups[0]):
        raise UnitCodeError(
            _("The first group (the level-1 code) must be a letter A–Y followed by two digits, like H56.")
        )
    for position, group in enumerate(groups[1:], start=2):
        if not _GROUP.fullmatch(group):
            raise UnitCodeError(
                _("Group %(position)d is empty: groups are separated by single dots.") % {"position": position}
            )
    return UnitCode(raw=code, form=CodeForm.LEFT_TO_RIGHT, segments=groups, path=groups)


def format_code(path: tuple[str, ...], form: CodeForm) -> str:
    """Write a path in the given form; QCVN 102 holds four levels with fixed-width numeric groups."""
    if form is CodeForm.LEFT_TO_RIGHT:
        return ".".join(path)
    lower = list(path[1:])
    if len(lower) > 3:
        raise UnitCodeError(_("A QCVN 102 code has at most four levels."))
    widths = (2, 2, 3)  # levels 2, 3, 4
    padded = []
    for group, width in zip(lower + ["0"] * (3 - len(lower)), widths, strict=True):
        if not group.isdigit() or len(group) > width:
            raise UnitCodeError(_("This unit cannot be written as a QCVN 102 code: its groups are not short numbers."))
        padded.append(group.zfill(width))
    return f"{padded[2]}.{padded[1]}.{padded[0]}.{path[0]}"


def parent_code_of(code: str) -> str | None:
    """The code of the unit one level up, in the same form; None for a level-1 code."""
    parsed = parse_unit_code(code)
    if parsed.level == 1:
        return None
    return format_code(parsed.path[:-1], parsed.form)


def is_under(child: str, parent: str) -> bool:
    """True when `child` lies strictly below `parent` in the code tree (any depth, either form)."""
    child_path, parent_path = parse_unit_code(child).path, parse_unit_code(parent).path
    return len(child_path) > len(parent_path) and child_path[: len(parent_path)] == parent_path


def check_code_under(child: str, parent: str) -> None:
    """Raise UnitCodeError unless `child` is a code below `parent` (same level-1 code, deeper path).

    Levels may be skipped (an office coded at level 3 directly under the province's committee) because
    real trees are not always as deep as the codes; what matters is that the parent's path is a prefix.
    """
    child_code, parent_code = parse_unit_code(child), parse_unit_code(parent)
    if child_code.level1 != parent_code.level1:
        raise UnitCodeError(
            _("The code %(child)s belongs to %(child_l1)s, but the parent unit belongs to %(parent_l1)s.")
            % {"child": child, "child_l1": child_code.level1, "parent_l1": parent_code.level1}
        )
    if not is_under(child, parent):
        raise UnitCodeError(
            _("The code %(child)s is not below the parent's code %(parent)s.") % {"child": child, "parent": parent}
        )


def rebase_code(code: str, old_parent: str, new_parent: str) -> str:
    """The code `code` gets when its ancestor `old_parent` is renumbered `new_parent` (form kept)."""
    parsed, old = parse_unit_code(code), parse_unit_code(old_parent)
    if parsed.path[: old.level] != old.path:
        raise UnitCodeError(_("The code %(code)s is not below %(parent)s.") % {"code": code, "parent": old_parent})
    new_path = parse_unit_code(new_parent).path + parsed.path[old.level :]
    return format_code(new_path, parsed.form)

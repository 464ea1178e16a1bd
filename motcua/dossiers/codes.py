"""Dossier codes (SPEC §4.1): `<unit identifier>-YYMMDD-XXXX`. Pure: formats, parses, picks the profile.

Which unit prefixes the code is law, and the law changed: TT 01/2018 Art. 19 used the receiving
unit; Decree 118/2025 Art. 28 uses the unit competent to resolve (for an inter-agency group: the
receiving counter's unit for direct filing, the national portal for online filing). The profiles
are effective-dated data so older history keeps the codes it was given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Final

from motcua.core.clock import VIETNAM


class PrefixFrom(StrEnum):
    RECEIVING = "receiving"
    HANDLING = "handling"


@dataclass(frozen=True)
class CodeProfile:
    """One legal format of the dossier code, in force from `effective_from` (local date)."""

    name: str
    effective_from: date
    prefix_from: PrefixFrom
    min_digits: int = 4


PROFILE_2018: Final = CodeProfile("2018", date(2019, 1, 6), PrefixFrom.RECEIVING)  # TT 01/2018 in force
PROFILE_2025: Final = CodeProfile("2025", date(2025, 7, 1), PrefixFrom.HANDLING)  # Decree 118/2025
PROFILES: Final = (PROFILE_2018, PROFILE_2025)

_CODE = re.compile(r"^(?P<prefix>[A-Z0-9.]{1,35})-(?P<day>\d{6})-(?P<number>\d{4,})$")


@dataclass(frozen=True)
class ParsedCode:
    prefix: str
    day: date
    number: int


@dataclass(frozen=True)
class PrefixInputs:
    """What decides the prefix: the units' identifier codes and how the dossier came in."""

    receiving: str
    handling: str
    inter_agency: bool = False
    online: bool = False
    portal: str | None = None  # the national portal's identifier, when configured


def local_day(instant: datetime) -> date:
    """The Vietnamese calendar date of an aware instant: codes carry the local date."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime")
    return instant.astimezone(VIETNAM).date()


def profile_for(day: date, profiles: tuple[CodeProfile, ...] = PROFILES) -> CodeProfile:
    """The profile in force on `day`: the latest whose start is not after it (the first before all)."""
    ordered = sorted(profiles, key=lambda p: p.effective_from)
    chosen = ordered[0]
    for profile in ordered:
        if profile.effective_from <= day:
            chosen = profile
    return chosen


def prefix_for(profile: CodeProfile, units: PrefixInputs) -> str:
    """The unit identifier that starts the code under `profile`."""
    if profile.prefix_from == PrefixFrom.RECEIVING:
        return units.receiving
    if units.inter_agency:
        # Decree 118/2025 Art. 28.2.a: a linked group is coded where it was filed.
        return units.portal if units.online and units.portal else units.receiving
    return units.handling


def format_code(prefix: str, day: date, number: int, *, min_digits: int = 4) -> str:
    """`000.00.06.H56-231027-0361`; numbers past 9999 simply grow a digit."""
    if number < 1:
        raise ValueError("sequence numbers start at 1")
    return f"{prefix}-{day:%y%m%d}-{number:0{min_digits}d}"


def parse_code(code: str) -> ParsedCode | None:
    """The parts of a well-formed code, or None."""
    match = _CODE.match(code.strip().upper())
    if match is None:
        return None
    digits = match["day"]
    try:
        # Dossier codes exist since 2018: YY is always 20YY.
        day = date(2000 + int(digits[:2]), int(digits[2:4]), int(digits[4:]))
    except ValueError:
        return None
    return ParsedCode(prefix=match["prefix"], day=day, number=int(match["number"]))


def is_valid_code(code: str) -> bool:
    return parse_code(code) is not None

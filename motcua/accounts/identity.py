"""Personal ID numbers and tax codes: format and consistency rules. Pure: no models, no HTTP.

**Citizen ID number** (số định danh cá nhân, printed on the CCCD / căn cước card), Circular
59/2021/TT-BCA Art. 7 (which kept the structure of Circular 07/2016/TT-BCA), as we read it:
twelve digits `PPP G YY RRRRRR` where

* `PPP` is the code of the province where the birth was registered, `001`–`096` (the GSO province
  codes with a leading zero: 001 Hà Nội … 079 TP Hồ Chí Minh … 096 Cà Mau; not every number in
  the range is used, we check only the range);
* `G` encodes century of birth and gender: 0/1 = 1900–1999 male/female, 2/3 = 2000–2099,
  4/5 = 2100–2199, 6/7 = 2200–2299, 8/9 = 2300–2399; an even digit is male, an odd one female;
* `YY` is the last two digits of the year of birth;
* `RRRRRR` is a random number.

So `001` `0` `90` `012345` is a man born in 1990 whose birth was registered in Hà Nội. The old
9-digit identity cards (CMND) are not accepted: they stopped being valid at the end of 2024.

**Tax code** (mã số thuế): ten digits, or ten digits, a hyphen and three digits (`0100109106-001`)
for a dependent unit (branch). The tenth digit is a check digit, as commonly documented from the
tax authority's rules: N10 = 10 − (31·N1 + 29·N2 + 23·N3 + 19·N4 + 17·N5 + 13·N6 + 7·N7 + 5·N8 + 3·N9)
mod 11; when that gives 10 the nine digits are never issued. From 2025-07-01 (Circular 86/2024/TT-BTC)
an individual's tax code is his 12-digit personal ID number, so those are accepted too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Final

from django.utils.translation import gettext as _

_ID_NUMBER: Final = re.compile(r"[0-9]{12}")
_TAX_CODE: Final = re.compile(r"([0-9]{10})(?:-([0-9]{3}))?")
TAX_WEIGHTS: Final = (31, 29, 23, 19, 17, 13, 7, 5, 3)


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"


class IdentityError(ValueError):
    """An ID number or tax code that breaks the rules; `message` says which one (translated)."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class IdNumber:
    """What a personal ID number says about its holder."""

    value: str
    province_code: str
    gender: Gender
    birth_year: int


def parse_id_number(value: str) -> IdNumber:
    """Read a 12-digit personal ID number, or raise IdentityError saying what is wrong."""
    if not _ID_NUMBER.fullmatch(value):
        raise IdentityError(_("A personal ID number has exactly 12 digits."))
    province = value[:3]
    if not 1 <= int(province) <= 96:
        raise IdentityError(_("The first three digits (the province of birth registration) must be 001 to 096."))
    marker = int(value[3])
    century_start = 1900 + 100 * (marker // 2)
    return IdNumber(
        value=value,
        province_code=province,
        gender=Gender.MALE if marker % 2 == 0 else Gender.FEMALE,
        birth_year=century_start + int(value[4:6]),
    )


def validate_id_number(
    value: str,
    *,
    date_of_birth: date | None = None,
    gender: Gender | str | None = None,
    today: date | None = None,
) -> IdNumber:
    """Check the format and, when given, that the date of birth, gender and today agree with it."""
    parsed = parse_id_number(value)
    if date_of_birth is not None and date_of_birth.year != parsed.birth_year:
        raise IdentityError(
            _("The ID number says the holder was born in %(year)d, not in %(given)d.")
            % {"year": parsed.birth_year, "given": date_of_birth.year}
        )
    if gender and Gender(gender) != parsed.gender:
        raise IdentityError(_("The fourth digit of the ID number does not match the gender given."))
    if today is not None and parsed.birth_year > today.year:
        raise IdentityError(_("The ID number gives a year of birth in the future."))
    return parsed


def tax_check_digit(first_nine: str) -> int | None:
    """The tenth digit for these nine, or None when no valid code starts with them."""
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, TAX_WEIGHTS, strict=True))
    check = 10 - total % 11
    return None if check == 10 else check


def validate_tax_code(value: str) -> str:
    """Check a tax code (10 digits, 10-3 for a branch, or a 12-digit personal ID number); return it."""
    if _ID_NUMBER.fullmatch(value):
        parse_id_number(value)
        return value
    match = _TAX_CODE.fullmatch(value)
    if match is None:
        raise IdentityError(
            _("A tax code has 10 digits, or 10 digits, a hyphen and 3 digits for a branch, or 12 digits for a person.")
        )
    main, branch = match.groups()
    if tax_check_digit(main[:9]) != int(main[9]):
        raise IdentityError(_("The tax code's check digit (the tenth) is wrong: please check the number."))
    if branch == "000":
        raise IdentityError(_("A branch number runs from 001 to 999."))
    return value


def normalize_digits(value: str) -> str:
    """What people type → what we check: spaces and dots that group digits are dropped."""
    return re.sub(r"[\s.]", "", value)

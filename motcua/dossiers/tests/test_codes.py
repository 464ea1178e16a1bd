"""Dossier codes: the pure format and profiles, and the gap-free per-day sequence."""

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.dossiers import codes
from motcua.dossiers.codes import PROFILE_2018, PROFILE_2025, PrefixInputs, format_code, parse_code, profile_for


def test_code_has_unit_local_date_and_four_digits():
    assert format_code("000.00.06.H56", date(2023, 10, 27), 361) == "000.00.06.H56-231027-0361"


def test_numbers_beyond_9999_grow_a_digit():
    assert format_code("000.00.06.H56", date(2023, 10, 27), 10000) == "000.00.06.H56-231027-10000"


def test_local_day_is_the_vietnamese_date():
    # 18:30 UTC on the 26th is 01:30 on the 27th in Hà Nội.
    assert codes.local_day(datetime(2023, 10, 26, 18, 30, tzinfo=UTC)) == date(2023, 10, 27)


@given(
    prefix=st.from_regex(r"[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Y][0-9]{2}", fullmatch=True),
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    number=st.integers(min_value=1, max_value=10**6),
)
def test_format_and_parse_round_trip(prefix, day, number):
    parsed = parse_code(format_code(prefix, day, number))

    assert parsed == codes.ParsedCode(prefix=prefix, day=day, number=number)


@pytest.mark.parametrize("bad", ["", "000.00.06.H56-231027-036", "000.00.06.H56-231327-0001", "x y-231027-0001"])
def test_malformed_codes_do_not_parse(bad):
    assert parse_code(bad) is None


def test_profile_2018_before_july_2025_and_2025_from_then():
    assert profile_for(date(2025, 6, 30)) is PROFILE_2018
    assert profile_for(date(2025, 7, 1)) is PROFILE_2025
    assert profile_for(date(2010, 1, 1)) is PROFILE_2018  # older history keeps the first profile


def test_2018_prefix_is_the_receiving_unit_and_2025_the_competent_one():
    units = PrefixInputs(receiving="000.00.01.H99", handling="000.00.21.H99")

    assert codes.prefix_for(PROFILE_2018, units) == "000.00.01.H99"
    assert codes.prefix_for(PROFILE_2025, units) == "000.00.21.H99"


def test_2025_inter_agency_group_is_coded_where_it_was_filed():
    direct = PrefixInputs(receiving="000.00.01.H99", handling="000.00.21.H99", inter_agency=True)
    online = PrefixInputs(
        receiving="000.00.01.H99", handling="000.00.21.H99", inter_agency=True, online=True, portal="000.00.00.G22"
    )

    assert codes.prefix_for(PROFILE_2025, direct) == "000.00.01.H99"
    assert codes.prefix_for(PROFILE_2025, online) == "000.00.00.G22"

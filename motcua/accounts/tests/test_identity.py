from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.accounts.identity import (
    Gender,
    IdentityError,
    normalize_digits,
    parse_id_number,
    tax_check_digit,
    validate_id_number,
    validate_tax_code,
)


@pytest.mark.parametrize(
    ("value", "province", "gender", "year"),
    [
        ("001090012345", "001", Gender.MALE, 1990),
        ("079190012345", "079", Gender.FEMALE, 1990),
        ("096203004567", "096", Gender.MALE, 2003),
        ("001305000001", "001", Gender.FEMALE, 2005),
        ("038099999999", "038", Gender.MALE, 1999),
    ],
)
def test_id_number_tells_province_gender_and_year(value, province, gender, year):
    parsed = parse_id_number(value)

    assert (parsed.province_code, parsed.gender, parsed.birth_year) == (province, gender, year)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("", "exactly 12 digits"),
        ("12345678901", "exactly 12 digits"),
        ("1234567890123", "exactly 12 digits"),
        ("00109001234a", "exactly 12 digits"),
        ("123456789", "exactly 12 digits"),  # an old CMND
        ("000090012345", "001 to 096"),
        ("097090012345", "001 to 096"),
        ("999090012345", "001 to 096"),
    ],
)
def test_malformed_id_numbers_are_refused(value, problem):
    with pytest.raises(IdentityError, match=problem):
        parse_id_number(value)


def test_id_number_must_agree_with_the_date_of_birth():
    validate_id_number("001090012345", date_of_birth=date(1990, 5, 17))

    with pytest.raises(IdentityError, match="born in 1990, not in 1991"):
        validate_id_number("001090012345", date_of_birth=date(1991, 5, 17))
    # Same last two digits, wrong century: 2 means 2000–2099.
    with pytest.raises(IdentityError, match="born in 2090, not in 1990"):
        validate_id_number("001290012345", date_of_birth=date(1990, 5, 17))


def test_id_number_must_agree_with_the_gender():
    validate_id_number("001190012345", gender="female")

    with pytest.raises(IdentityError, match="gender"):
        validate_id_number("001190012345", gender=Gender.MALE)


def test_id_number_cannot_give_a_birth_year_in_the_future():
    with pytest.raises(IdentityError, match="future"):
        validate_id_number("001240012345", today=date(2026, 1, 1))


@given(
    province=st.integers(min_value=1, max_value=96),
    born=st.dates(min_value=date(1900, 1, 1), max_value=date(2399, 12, 31)),
    gender=st.sampled_from(Gender),
    rest=st.integers(min_value=0, max_value=999_999),
)
def test_any_well_formed_id_number_agrees_with_the_birth_it_encodes(province, born, gender, rest):
    marker = (born.year - 1900) // 100 * 2 + (1 if gender is Gender.FEMALE else 0)
    value = f"{province:03d}{marker}{born.year % 100:02d}{rest:06d}"

    parsed = validate_id_number(value, date_of_birth=born, gender=gender)

    assert (parsed.birth_year, parsed.gender) == (born.year, gender)


@pytest.mark.parametrize(
    "code",
    [
        "0100109106",  # Viettel
        "0300588569",  # Vinamilk
        "0101248141",  # FPT
        "0100109106-001",  # a branch
        "0100109106-999",
        "001090012345",  # from 2025 a person's tax code is his ID number
    ],
)
def test_valid_tax_codes_are_accepted(code):
    assert validate_tax_code(code) == code


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("0100109107", "check digit"),
        ("0300588560", "check digit"),
        ("0100109106-000", "001 to 999"),
        ("0100109106-01", "10 digits"),
        ("0100109106001", "10 digits"),
        ("010010910", "10 digits"),
        ("01001091O6", "10 digits"),
        ("999090012345", "001 to 096"),
    ],
)
def test_invalid_tax_codes_are_refused(code, problem):
    with pytest.raises(IdentityError, match=problem):
        validate_tax_code(code)


@given(st.integers(min_value=0, max_value=999_999_999), st.integers(min_value=0, max_value=9))
def test_exactly_one_tenth_digit_completes_nine_digits_unless_none_can(prefix, last):
    first_nine = f"{prefix:09d}"
    check = tax_check_digit(first_nine)
    code = f"{first_nine}{last}"

    if check == last:
        assert validate_tax_code(code) == code
    else:
        with pytest.raises(IdentityError):
            validate_tax_code(code)


def test_normalize_drops_grouping_spaces_and_dots():
    assert normalize_digits(" 001 090 012.345 ") == "001090012345"

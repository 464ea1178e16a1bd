import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.organizations.codes import (
    CodeForm,
    UnitCodeError,
    check_code_under,
    format_code,
    is_under,
    parent_code_of,
    parse_unit_code,
    rebase_code,
)


@pytest.mark.parametrize(
    ("code", "form", "path", "level"),
    [
        ("000.00.00.H56", CodeForm.QCVN102, ("H56",), 1),
        ("000.00.06.H56", CodeForm.QCVN102, ("H56", "06"), 2),
        ("000.12.06.H56", CodeForm.QCVN102, ("H56", "06", "12"), 3),
        ("001.12.06.H56", CodeForm.QCVN102, ("H56", "06", "12", "001"), 4),
        ("000.00.01.G14", CodeForm.QCVN102, ("G14", "01"), 2),
        ("H56", CodeForm.LEFT_TO_RIGHT, ("H56",), 1),
        ("H56.06", CodeForm.LEFT_TO_RIGHT, ("H56", "06"), 2),
        ("H55.242", CodeForm.LEFT_TO_RIGHT, ("H55", "242"), 2),
        ("A00.1.B2.XYZ", CodeForm.LEFT_TO_RIGHT, ("A00", "1", "B2", "XYZ"), 4),
    ],
)
def test_valid_codes_parse_to_their_path_and_level(code, form, path, level):
    parsed = parse_unit_code(code)

    assert (parsed.form, parsed.path, parsed.level, parsed.level1) == (form, path, level, path[0])


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("", "empty"),
        ("000.00.06.h56", "capital letters"),
        ("000.00.06.H56 ", "capital letters"),
        ("000-00-06-H56", "capital letters"),
        ("00.00.06.H56", "Segment 1 must be three digits"),
        ("000.0.06.H56", "Segment 2 must be two digits"),
        ("000.00.6.H56", "Segment 3 must be two digits"),
        ("000.00.AB.H56", "Segment 3 must be two digits"),
        ("000.00.06.Z56", "Segment 4"),
        ("000.00.06.H5", "Segment 4"),
        ("000.00.06.56H", "Segment 4"),
        ("000.00.06", "four segments"),
        ("000.00.06.H56.01", "four segments"),
        ("000.05.00.H56", "Level 3 is set but level 2 is zero"),
        ("001.00.06.H56", "Level 4 is set but level 3 is zero"),
        ("Z56.06", "first group"),
        ("H5.06", "first group"),
        ("H56..06", "Group 2 is empty"),
        ("H56.06.", "Group 3 is empty"),
        ("H56." + "1" * 32, "at most 35"),
    ],
)
def test_invalid_codes_say_what_is_wrong(code, problem):
    with pytest.raises(UnitCodeError, match=problem):
        parse_unit_code(code)


@pytest.mark.parametrize(
    ("code", "parent"),
    [
        ("000.00.00.H56", None),
        ("000.00.06.H56", "000.00.00.H56"),
        ("000.12.06.H56", "000.00.06.H56"),
        ("001.12.06.H56", "000.12.06.H56"),
        ("H56", None),
        ("H56.06", "H56"),
        ("H56.06.12", "H56.06"),
    ],
)
def test_parent_code_is_one_level_up_in_the_same_form(code, parent):
    assert parent_code_of(code) == parent


def test_a_level_2_unit_is_under_its_province():
    check_code_under("000.00.06.H56", "000.00.00.H56")
    check_code_under("000.12.06.H56", "000.00.00.H56")  # levels may be skipped
    check_code_under("H56.06", "000.00.00.H56")  # the two forms describe the same tree


def test_a_unit_of_another_province_is_not_under():
    with pytest.raises(UnitCodeError, match="belongs to H57"):
        check_code_under("000.00.06.H57", "000.00.00.H56")


@pytest.mark.parametrize(
    ("child", "parent"),
    [("000.00.06.H56", "000.00.07.H56"), ("000.00.06.H56", "000.00.06.H56"), ("000.00.00.H56", "000.00.06.H56")],
)
def test_siblings_self_and_ancestors_are_not_under(child, parent):
    assert not is_under(child, parent)
    with pytest.raises(UnitCodeError, match="is not below"):
        check_code_under(child, parent)


def test_rebase_moves_a_descendant_with_its_ancestor():
    assert rebase_code("000.03.06.H56", "000.00.06.H56", "000.00.07.H56") == "000.03.07.H56"
    assert rebase_code("H56.06.03", "H56.06", "H56.11") == "H56.11.03"


def test_format_refuses_what_qcvn_102_cannot_hold():
    with pytest.raises(UnitCodeError):
        format_code(("H56", "1", "2", "3", "4"), CodeForm.QCVN102)
    with pytest.raises(UnitCodeError):
        format_code(("H56", "ABC"), CodeForm.QCVN102)


level1_codes = st.from_regex(r"[A-Y][0-9]{2}", fullmatch=True)


@st.composite
def qcvn_paths(draw):
    """A path QCVN 102 can hold: a level-1 code, then up to two 2-digit groups and a 3-digit one."""
    path = [draw(level1_codes)]
    for width in (2, 2, 3):
        if not draw(st.booleans()):
            break
        path.append(f"{draw(st.integers(min_value=1, max_value=10**width - 1)):0{width}d}")
    return tuple(path)


@given(qcvn_paths())
def test_any_qcvn_path_formats_and_parses_back(path):
    code = format_code(path, CodeForm.QCVN102)

    parsed = parse_unit_code(code)
    assert parsed.path == path
    assert parsed.level == len(path)


@given(qcvn_paths())
def test_every_code_is_under_its_parent_code(path):
    code = format_code(path, CodeForm.QCVN102)
    parent = parent_code_of(code)

    if parent is None:
        assert len(path) == 1
    else:
        check_code_under(code, parent)
        assert parse_unit_code(parent).level == len(path) - 1


@given(
    st.tuples(level1_codes, st.lists(st.from_regex(r"[A-Z0-9]{1,4}", fullmatch=True), max_size=6)).map(
        lambda t: ".".join((t[0], *t[1]))
    )
)
def test_any_left_to_right_code_parses_and_its_parent_is_a_prefix(code):
    parsed = parse_unit_code(code)

    assert parsed.form is CodeForm.LEFT_TO_RIGHT
    parent = parent_code_of(code)
    assert parent is None or code.startswith(parent + ".")


@given(st.text(max_size=40))
def test_parsing_arbitrary_text_either_succeeds_or_raises_a_code_error(text):
    try:
        parsed = parse_unit_code(text)
    except UnitCodeError:
        return  # any other exception fails the test
    assert len(text) <= 35
    assert parsed.level >= 1

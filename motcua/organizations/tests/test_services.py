from datetime import date

import pytest

from motcua.accounts.factories import StaffUserFactory, UserFactory
from motcua.accounts.roles import Role
from motcua.core.errors import InvalidInput
from motcua.organizations.factories import CounterFactory, MembershipFactory, UnitFactory
from motcua.organizations.models import Membership, Position, UnitHistory, UnitKind
from motcua.organizations.selectors import unit_current
from motcua.organizations.services import (
    MembershipTransfer,
    counter_create,
    membership_end,
    membership_grant,
    unit_create,
    unit_merge,
    unit_recode,
    unit_rename,
)

pytestmark = pytest.mark.django_db

DECISION = "123/QĐ-UBND ngày 20/6/2025"
JULY_1 = date(2025, 7, 1)


def test_unit_create_derives_level_province_and_search_key_and_records_history(root, admin_user):
    unit = unit_create(code=" 000.00.06.h99 ", name="Sở  Tư pháp", kind=UnitKind.DEPARTMENT, parent=root, by=admin_user)

    assert (unit.code, unit.name, unit.level, unit.province.code) == ("000.00.06.H99", "Sở Tư pháp", 2, "H99")
    assert unit.name_folded == "so tu phap"
    (history,) = unit.history.all()
    assert (history.change, history.new_code, history.recorded_by) == ("created", "000.00.06.H99", admin_user)


@pytest.mark.parametrize(
    ("code", "field", "message"),
    [
        ("000.00.6.H99", "code", "Segment 3 must be two digits"),
        ("000.00.00.H99", "code", "already exists"),
        ("000.00.06.H57", "code", "Unknown level-1 code H57"),
        ("000.00.06.H29", "code", "belongs to H29"),
    ],
)
def test_unit_create_refuses_bad_codes_naming_the_field(root, code, field, message):
    with pytest.raises(InvalidInput, match=message) as refused:
        unit_create(code=code, name="Sở Mẫu", parent=root)

    assert refused.value.field == field


def test_unit_create_refuses_a_code_not_below_the_parent(root):
    department = unit_create(code="000.00.06.H99", name="Sở Tư pháp", parent=root)

    with pytest.raises(InvalidInput, match="not below the parent"):
        unit_create(code="000.01.07.H99", name="Phòng lạc chỗ", parent=department)


def test_unit_create_refuses_a_blank_name(root):
    with pytest.raises(InvalidInput) as refused:
        unit_create(code="000.00.06.H99", name="   ", parent=root)

    assert refused.value.field == "name"


def test_rename_keeps_the_old_name_in_history(root, admin_user):
    unit = UnitFactory(code="000.00.06.H99", name="Sở Thông tin và Truyền thông")

    unit_rename(unit=unit, new_name="Sở Khoa học và Công nghệ", decision=DECISION, effective_on=JULY_1, by=admin_user)

    unit.refresh_from_db()
    assert (unit.name, unit.name_folded) == ("Sở Khoa học và Công nghệ", "so khoa hoc va cong nghe")
    renamed = unit.history.get(change=UnitHistory.Change.RENAMED)
    assert (renamed.old_name, renamed.new_name, renamed.decision, renamed.effective_on) == (
        "Sở Thông tin và Truyền thông",
        "Sở Khoa học và Công nghệ",
        DECISION,
        JULY_1,
    )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"new_name": "Sở Mẫu số 0"}, "new_name"),
        ({"decision": "  "}, "decision"),
        ({"effective_on": date(2999, 1, 1)}, "effective_on"),
    ],
)
def test_rename_refuses_same_name_missing_decision_or_future_date(root, kwargs, field):
    unit = UnitFactory(name="Sở Mẫu số 0")
    arguments = {"new_name": "Sở mới", "decision": DECISION, "effective_on": JULY_1, **kwargs}

    with pytest.raises(InvalidInput) as refused:
        unit_rename(unit=unit, by=None, **arguments)

    assert refused.value.field == field
    assert not unit.history.filter(change=UnitHistory.Change.RENAMED).exists()


def test_recode_renumbers_active_descendants_with_a_history_row_each(root, admin_user):
    department = UnitFactory(code="000.00.06.H99")
    office = UnitFactory(code="000.01.06.H99", parent=department)

    unit_recode(unit=department, new_code="000.00.16.H99", decision=DECISION, effective_on=JULY_1, by=admin_user)

    department.refresh_from_db()
    office.refresh_from_db()
    assert (department.code, office.code) == ("000.00.16.H99", "000.01.16.H99")
    assert office.history.get(change=UnitHistory.Change.RECODED).old_code == "000.01.06.H99"


def test_recode_refuses_a_code_in_use(root):
    UnitFactory(code="000.00.07.H99")
    unit = UnitFactory(code="000.00.06.H99")

    with pytest.raises(InvalidInput, match="already exists"):
        unit_recode(unit=unit, new_code="000.00.07.H99", decision=DECISION, effective_on=JULY_1, by=None)


def test_merge_sets_successor_end_date_history_and_closes_counters(root, admin_user):
    commune_a, commune_b = UnitFactory(code="000.00.31.H99"), UnitFactory(code="000.00.32.H99")
    new_commune = UnitFactory(code="000.00.40.H99")
    counter = CounterFactory(unit=commune_a)

    unit_merge(units=[commune_a, commune_b], into=new_commune, decision=DECISION, effective_on=JULY_1, by=admin_user)

    for old in (commune_a, commune_b):
        old.refresh_from_db()
        assert (old.successor, old.active_until, old.is_active) == (new_commune, date(2025, 6, 30), False)
        merged = old.history.get(change=UnitHistory.Change.MERGED)
        assert (merged.successor, merged.decision, merged.old_code) == (new_commune, DECISION, old.code)
        assert unit_current(old) == new_commune
    counter.refresh_from_db()
    assert not counter.is_active


def test_merge_ends_memberships_by_default(root):
    old_unit, new_unit = UnitFactory(), UnitFactory()
    membership = MembershipFactory(unit=old_unit)

    unit_merge(units=[old_unit], into=new_unit, decision=DECISION, effective_on=JULY_1, by=None)

    membership.refresh_from_db()
    assert membership.active_until == date(2025, 6, 30)
    assert not Membership.objects.filter(unit=new_unit).exists()


def test_merge_can_move_memberships_to_the_new_unit(root):
    old_unit, new_unit = UnitFactory(), UnitFactory()
    MembershipFactory(unit=old_unit, role=Role.SPECIALIST, title="Chuyên viên", position=Position.HEAD)

    unit_merge(
        units=[old_unit],
        into=new_unit,
        decision=DECISION,
        effective_on=JULY_1,
        by=None,
        memberships=MembershipTransfer.MOVE,
    )

    moved = Membership.objects.get(unit=new_unit)
    assert (moved.role, moved.title, moved.position, moved.active_from) == (
        Role.SPECIALIST,
        "Chuyên viên",
        Position.OFFICER,
        JULY_1,
    )


def test_merge_refuses_itself_a_unit_below_and_units_with_active_children(root):
    department = UnitFactory(code="000.00.06.H99")
    office = UnitFactory(code="000.01.06.H99", parent=department)
    other = UnitFactory(code="000.00.07.H99")

    with pytest.raises(InvalidInput, match="into itself"):
        unit_merge(units=[other], into=other, decision=DECISION, effective_on=JULY_1, by=None)
    with pytest.raises(InvalidInput, match="below it"):
        unit_merge(units=[department], into=office, decision=DECISION, effective_on=JULY_1, by=None)
    with pytest.raises(InvalidInput, match="active units below it"):
        unit_merge(units=[department], into=other, decision=DECISION, effective_on=JULY_1, by=None)


def test_merged_units_cannot_be_renamed_or_merged_again(root):
    old_unit, new_unit = UnitFactory(), UnitFactory()
    unit_merge(units=[old_unit], into=new_unit, decision=DECISION, effective_on=JULY_1, by=None)

    with pytest.raises(InvalidInput, match="no longer active"):
        unit_rename(unit=old_unit, new_name="Tên mới", decision=DECISION, effective_on=JULY_1, by=None)
    with pytest.raises(InvalidInput, match="no longer active"):
        unit_merge(units=[old_unit], into=UnitFactory(), decision=DECISION, effective_on=JULY_1, by=None)


def test_counter_names_are_unique_among_a_units_open_counters(root):
    unit = UnitFactory()
    counter_create(unit=unit, name="Quầy số 1", address="Số 1 Trần Phú")

    with pytest.raises(InvalidInput) as refused:
        counter_create(unit=unit, name="Quầy số 1")

    assert refused.value.field == "name"


def test_membership_grant_records_the_public_details(root):
    counter = CounterFactory()
    officer = StaffUserFactory()

    membership = membership_grant(
        user=officer,
        unit=counter.unit,
        role=Role.COUNTER_OFFICER,
        counter=counter,
        position=Position.DEPUTY,
        title="Phó Giám đốc",
        field_of_work="Hộ tịch",
        work_phone="0912 345 678",
    )

    assert (membership.counter, membership.position, membership.work_phone) == (
        counter,
        Position.DEPUTY,
        "0912 345 678",
    )


def test_membership_grant_refuses_wrong_grants(root):
    counter, other_unit = CounterFactory(), UnitFactory()
    officer = StaffUserFactory()
    membership_grant(user=officer, unit=counter.unit, role=Role.COUNTER_OFFICER, counter=counter, position="head")

    cases = [
        ({"user": UserFactory()}, "user"),
        ({"role": "king"}, "role"),
        ({"unit": other_unit}, "counter"),
        ({"user": StaffUserFactory(), "role": Role.UNIT_LEADER, "position": Position.HEAD}, "position"),
        ({}, "role"),  # the same role twice
    ]
    for overrides, field in cases:
        arguments = {"user": officer, "unit": counter.unit, "role": Role.COUNTER_OFFICER, "counter": counter}
        with pytest.raises(InvalidInput) as refused:
            membership_grant(**{**arguments, **overrides})
        assert refused.value.field == field, overrides


def test_membership_end_records_the_last_day_and_refuses_twice(root):
    membership = MembershipFactory()

    membership_end(membership=membership, last_day=date(2025, 12, 31))

    membership.refresh_from_db()
    assert membership.active_until == date(2025, 12, 31)
    with pytest.raises(InvalidInput, match="already ended"):
        membership_end(membership=membership)

from datetime import date, timedelta

import pytest

from motcua.accounts.factories import StaffUserFactory, UserFactory
from motcua.accounts.roles import Role
from motcua.core import clock
from motcua.organizations.factories import CounterFactory, MembershipFactory, UnitFactory
from motcua.organizations.models import Counter, Membership, Unit
from motcua.organizations.selectors import (
    restrict,
    unit_current,
    unit_subtree,
    units_for_user,
)
from motcua.organizations.services import membership_end, unit_merge

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(root):
    """root ─ justice (06) ─ civil status office (01.06) ─ team (001.01.06)
    └ health (07)"""
    justice = UnitFactory(code="000.00.06.H99", name="Sở Tư pháp")
    office = UnitFactory(code="000.01.06.H99", name="Phòng Hộ tịch", parent=justice)
    team = UnitFactory(code="001.01.06.H99", name="Tổ một cửa", parent=office)
    health = UnitFactory(code="000.00.07.H99", name="Sở Y tế")
    return {"root": root, "justice": justice, "office": office, "team": team, "health": health}


def test_subtree_holds_the_unit_and_everything_below_in_one_query(tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        ids = unit_subtree(tree["justice"])

    assert ids == {tree["justice"].pk, tree["office"].pk, tree["team"].pk}
    assert unit_subtree(tree["team"]) == {tree["team"].pk}
    assert unit_subtree(tree["root"]) == set(Unit.objects.values_list("pk", flat=True))


def test_a_membership_gives_its_unit_and_the_units_below(tree):
    officer = MembershipFactory(unit=tree["office"]).user

    assert set(units_for_user(officer)) == {tree["office"], tree["team"]}


def test_officer_of_another_unit_sees_nothing_of_ours(tree):
    ours = CounterFactory(unit=tree["justice"])
    theirs = CounterFactory(unit=tree["health"])
    health_officer = MembershipFactory(unit=tree["health"]).user

    visible = restrict(Counter.objects.all(), health_officer, unit_field="unit")

    assert list(visible) == [theirs]
    assert ours not in visible


def test_role_filter_keeps_only_units_where_the_user_has_that_role(tree):
    user = MembershipFactory(unit=tree["justice"], role=Role.SPECIALIST).user
    MembershipFactory(user=user, unit=tree["health"], role=Role.UNIT_LEADER)

    assert set(units_for_user(user, role=Role.UNIT_LEADER)) == {tree["health"]}
    assert tree["health"] in units_for_user(user, role=[Role.UNIT_LEADER, Role.SPECIALIST])
    assert not units_for_user(user, role=Role.CONTROLLER).exists()


def test_ended_and_not_yet_started_memberships_give_nothing(tree):
    ended = MembershipFactory(unit=tree["justice"])
    membership_end(membership=ended)
    future = MembershipFactory(unit=tree["health"], active_from=clock.local_today() + timedelta(days=1))

    assert not units_for_user(ended.user).exists()
    assert not units_for_user(future.user).exists()


def test_citizens_anonymous_and_inactive_users_see_nothing(tree):
    from django.contrib.auth.models import AnonymousUser

    inactive = MembershipFactory(unit=tree["justice"], user=StaffUserFactory(is_active=False)).user

    for user in (UserFactory(), AnonymousUser(), inactive):
        assert not restrict(Unit.objects.all(), user, unit_field="pk").exists()


def test_superuser_sees_everything(tree):
    admin = StaffUserFactory(is_superuser=True)

    assert restrict(Unit.objects.all(), admin, unit_field="pk").count() == Unit.objects.count()


def test_restrict_accepts_several_unit_fields(tree):
    officer = MembershipFactory(unit=tree["health"]).user
    Membership.objects.create(user=StaffUserFactory(), unit=tree["justice"], role=Role.SPECIALIST)

    # Memberships whose unit is in scope, or whose counter's unit is: two paths to a unit.
    visible = restrict(Membership.objects.all(), officer, unit_field=("unit", "counter__unit"))

    assert {m.unit for m in visible} == {tree["health"]}


def test_staff_of_the_successor_see_the_merged_units(tree):
    commune_a, commune_b = UnitFactory(code="000.00.31.H99"), UnitFactory(code="000.00.32.H99")
    new_commune = UnitFactory(code="000.00.40.H99")
    officer = MembershipFactory(unit=new_commune).user
    unit_merge(units=[commune_a, commune_b], into=new_commune, decision="1/QĐ", effective_on=date(2025, 7, 1), by=None)

    assert set(units_for_user(officer)) == {new_commune, commune_a, commune_b}
    commune_a.refresh_from_db()
    assert unit_current(commune_a) == new_commune


def test_unit_current_follows_a_chain_of_merges(tree):
    first, second, third = UnitFactory(), UnitFactory(), UnitFactory()
    unit_merge(units=[first], into=second, decision="1/QĐ", effective_on=date(2021, 1, 1), by=None)
    unit_merge(units=[second], into=third, decision="2/QĐ", effective_on=date(2025, 7, 1), by=None)

    first.refresh_from_db()
    assert unit_current(first) == third
    assert unit_current(third) == third

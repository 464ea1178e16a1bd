"""factory_boy factories for the government tree, in the demo province H99 (loaded by migration).

`UnitFactory()` makes a level-2 unit (000.00.NN.H99) under the province's People's Committee
(000.00.00.H99, created on first use). For deeper trees pass `parent=` and `code=` yourself.
"""

from __future__ import annotations

import factory

from motcua.accounts.factories import StaffUserFactory
from motcua.accounts.roles import Role
from motcua.core.text import fold
from motcua.organizations.codes import parse_unit_code
from motcua.organizations.models import Counter, Membership, Position, Province, Unit, UnitKind

DEMO_PROVINCE = "H99"


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = DEMO_PROVINCE
    name = "Tỉnh Mẫu (dữ liệu minh họa)"
    is_demo = True


class RootUnitFactory(factory.django.DjangoModelFactory):
    """The province's People's Committee, the root of the demo tree."""

    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = f"000.00.00.{DEMO_PROVINCE}"
    name = "Ủy ban nhân dân Tỉnh Mẫu"
    short_name = "UBND tỉnh"
    name_folded = factory.LazyAttribute(lambda u: fold(f"{u.name} {u.short_name}"))
    kind = UnitKind.PEOPLES_COMMITTEE
    level = 1
    province = factory.SubFactory(ProvinceFactory)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"000.00.{n % 98 + 1:02d}.{DEMO_PROVINCE}")
    name = factory.Sequence(lambda n: f"Sở Mẫu số {n}")
    short_name = ""
    name_folded = factory.LazyAttribute(lambda u: fold(f"{u.name} {u.short_name}"))
    kind = UnitKind.DEPARTMENT
    level = factory.LazyAttribute(lambda u: parse_unit_code(u.code).level)
    parent = factory.SubFactory(RootUnitFactory)
    province = factory.SubFactory(ProvinceFactory)


class CounterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Counter

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"Bộ phận Một cửa số {n}")
    address = "Số 1 đường Trần Phú"
    phone = "0203 3800 000"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(StaffUserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = Role.COUNTER_OFFICER
    position = Position.OFFICER

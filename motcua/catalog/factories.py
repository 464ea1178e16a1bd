"""factory_boy factories for the catalog.

`ProcedureVersionFactory()` makes a published version that is its procedure's current one, with
the folded search text filled in as the import service would. For realistic content import
records with `procedure_import` instead (see tests/data/procedures_sample.json).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import factory

from motcua.catalog import rules
from motcua.catalog.models import (
    Component,
    Fee,
    Field,
    Offering,
    OnlineLevel,
    Procedure,
    ProcedureVersion,
    ResultType,
    TimeUnit,
)
from motcua.core.text import fold
from motcua.organizations.factories import UnitFactory


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Field
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"G{n % 100:02d}-HT{n % 100:02d}")
    name = "Hộ tịch"
    name_folded = factory.LazyAttribute(lambda f: fold(f.name))


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"1.{900000 + n:06d}")


def _make_current(version: ProcedureVersion, create: bool, extracted: Any, **kwargs: Any) -> None:
    # The import service makes each new version current; factories do the same unless told not to.
    if create and extracted is not False:
        version.procedure.current_version = version
        version.procedure.save(update_fields=["current_version"])


class ProcedureVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcedureVersion
        skip_postgeneration_save = True

    procedure = factory.SubFactory(ProcedureFactory)
    number = 1
    name = "Thủ tục đăng ký khai sinh"
    field = factory.SubFactory(FieldFactory)
    search_text = factory.LazyAttribute(
        lambda v: rules.search_text(name=v.name, code=v.procedure.code, field_name=v.field.name if v.field else "")
    )
    levels = factory.LazyFunction(lambda: ["Cấp xã"])
    level_codes = factory.LazyAttribute(lambda v: rules.level_codes(tuple(v.levels)))
    channels = factory.LazyFunction(lambda: [{"channel": 1, "times": []}, {"channel": 2, "times": []}])
    processing_time = Decimal(3)
    processing_time_unit = TimeUnit.WORKING_DAYS
    online_level = OnlineLevel.PARTIAL
    make_current = factory.PostGeneration(_make_current)


class ComponentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Component

    version = factory.SubFactory(ProcedureVersionFactory)
    code = factory.LazyAttributeSequence(lambda c, n: f"{c.version.procedure.code}.TP{n + 1}")
    is_local_code = True
    case = "Giấy tờ phải nộp"
    name = "Tờ khai đăng ký khai sinh theo mẫu"
    originals = 1
    copies = 0
    order = factory.Sequence(lambda n: n)


class FeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fee

    version = factory.SubFactory(ProcedureVersionFactory)
    name = "Lệ phí"
    amount = Decimal(8000)
    channel = 1


class ResultTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResultType

    version = factory.SubFactory(ProcedureVersionFactory)
    code = factory.Sequence(lambda n: f"KQ.G15.{n:06d}")
    name = "Giấy khai sinh"


class OfferingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offering

    procedure = factory.SubFactory(ProcedureFactory)
    unit = factory.SubFactory(UnitFactory)

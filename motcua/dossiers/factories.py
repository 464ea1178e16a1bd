"""Test data for dossiers: units, staff, procedures with components and fees, and dossiers made
through the real services (so they carry their codes, steps and events)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import factory

from motcua.accounts.models import User
from motcua.accounts.roles import AccountKind, Role
from motcua.catalog.models import Component, Fee, Offering, OnlineLevel, Procedure, ProcedureVersion
from motcua.dossiers.models import Dossier
from motcua.dossiers.services.intake import ApplicantInput, ComponentInput, IntakeInput, dossier_intake
from motcua.organizations.models import Counter, Membership, Unit

# A valid 12-digit ID: Hà Nội (001), a man born in 1990.
ID_NUMBER = "001090012345"


class UnitFactory(factory.django.DjangoModelFactory[Unit]):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"000.{n // 100 % 100:02d}.{n % 100:02d}.H99")
    name = factory.Sequence(lambda n: f"Đơn vị {n}")


class CounterFactory(factory.django.DjangoModelFactory[Counter]):
    class Meta:
        model = Counter

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"Quầy {n}")


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")
    full_name = factory.Sequence(lambda n: f"Người dùng {n}")
    kind = AccountKind.CITIZEN


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory, kind=AccountKind.STAFF)
    unit = factory.SubFactory(UnitFactory)
    role = Role.SPECIALIST


def staff(unit: Unit, role: str, *, counter: Counter | None = None, username: str | None = None) -> User:
    """A staff member holding `role` at `unit` (and at `counter`)."""
    user = UserFactory.create(kind=AccountKind.STAFF, **({"username": username} if username else {}))
    MembershipFactory.create(user=user, unit=unit, role=role, counter=counter)
    return user


class ProcedureVersionFactory(factory.django.DjangoModelFactory[ProcedureVersion]):
    class Meta:
        model = ProcedureVersion

    procedure = factory.SubFactory("motcua.dossiers.factories.ProcedureFactory", current=False)
    number = 1
    name = factory.Sequence(lambda n: f"Thủ tục thử nghiệm {n}")
    processing_time = Decimal(5)
    processing_time_unit = "working_days"
    online_level = OnlineLevel.FULL
    postal_allowed = True


def _with_current_version(procedure: Procedure, create: bool, extracted: Any, **kwargs: Any) -> None:
    """A published version with one required and one optional component and a fee, made current."""
    if not create or extracted is False:
        return
    version = ProcedureVersionFactory.create(procedure=procedure, **kwargs)
    Component.objects.create(version=version, code="TP1", name="Tờ khai", required=True, originals=1, order=1)
    Component.objects.create(version=version, code="TP2", name="Giấy tờ kèm theo", required=False, order=2)
    Fee.objects.create(version=version, code="LP1", name="Lệ phí", amount=Decimal(50000))
    procedure.current_version = version
    procedure.save(update_fields=["current_version"])


class ProcedureFactory(factory.django.DjangoModelFactory[Procedure]):
    """`ProcedureFactory(current__immediate_result=True)` sets fields of the current version."""

    class Meta:
        model = Procedure
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"9.{n:06d}")
    current = factory.PostGeneration(_with_current_version)


def offer(procedure: Procedure, unit: Unit, *, receives: bool = True, handles: bool = True) -> Offering:
    return Offering.objects.create(procedure=procedure, unit=unit, receives=receives, handles=handles)


def applicant(**overrides: Any) -> ApplicantInput:
    values: dict[str, Any] = {
        "full_name": "Nguyễn Văn An",
        "id_number": ID_NUMBER,
        "address": "12 Phố Huế, Hà Nội",
        "phone": "0912345678",
        "email": "an@example.vn",
    }
    return ApplicantInput(**{**values, **overrides})


def intake_input(procedure: Procedure, **overrides: Any) -> IntakeInput:
    values: dict[str, Any] = {
        "procedure": procedure.code,
        "applicant": applicant(),
        "components": [ComponentInput(code="TP1", originals=1, files=["f1"])],
    }
    return IntakeInput(**{**values, **overrides})


def register(caller: User, procedure: Procedure, **overrides: Any) -> Dossier:
    """A dossier registered through the intake service by `caller`."""
    return dossier_intake(caller=caller, data=intake_input(procedure, **overrides)).dossier

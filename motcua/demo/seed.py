"""Load the demo province idempotently: units, counters, staff, a citizen, the catalog, offerings.

Every step looks rows up by their natural key (unit code, username, procedure code) and only
creates or updates what differs, so `seed_demo` can run on every `make run`.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.models import User
from motcua.accounts.roles import AccountKind, Role
from motcua.accounts.services import citizen_profile_upsert
from motcua.catalog.models import Offering, Procedure
from motcua.core.text import fold
from motcua.demo import province as demo
from motcua.organizations.models import Counter, Membership, Position, Province, Unit, UnitKind
from motcua.organizations.services import unit_search_key

Say = Callable[[str], None]

# A fixed, documented TOTP secret for the demo staff (hex, as django-otp stores it) so the
# README can tell testers how to log in. Production devices get random keys at enrolment.
DEMO_TOTP_KEY_HEX = "3132333435363738393031323334353637383930"


def catalog_file() -> Path:
    """The 30 real procedures: shipped with the repo, falling back to shared/ beside it."""
    shipped = Path(__file__).resolve().parent / "data" / "procedures.json"
    if shipped.exists():
        return shipped
    return Path(settings.BASE_DIR).parent / "shared" / "data" / "procedures.json"


@transaction.atomic
def seed_structure(say: Say) -> dict[str, Unit]:
    province, _ = Province.objects.update_or_create(code=demo.PROVINCE_CODE, defaults={"name": demo.PROVINCE_NAME})
    units: dict[str, Unit] = {}
    for spec in demo.UNITS:
        parent = units.get(spec.parent) if spec.parent else None
        level = 1 if parent is None else parent.level + 1
        unit, _ = Unit.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "short_name": spec.short_name,
                "kind": spec.kind,
                "level": level,
                "name_folded": unit_search_key(spec.name, spec.short_name),
                "parent": parent,
                "province": province,
                "phone": f"0222.38{spec.code[7:9]}.{level}00",
                "address": f"Số {int(spec.code[7:9]) + 1} đường Trần Hưng Đạo, {spec.short_name}",
            },
        )
        units[spec.code] = unit
    for unit in units.values():
        if unit.kind in (UnitKind.COMMUNE, UnitKind.SERVICE_CENTER):
            Counter.objects.get_or_create(
                unit=unit,
                name=f"Bộ phận Một cửa {unit.short_name}",
                defaults={"address": unit.address, "phone": unit.phone},
            )
    say(f"  {len(units)} units, {Counter.objects.filter(unit__in=units.values()).count()} counters")
    return units


@transaction.atomic
def seed_users(units: dict[str, Unit], say: Say) -> list[demo.DemoUser]:
    for spec in demo.DEMO_USERS:
        user = _user(spec.username, spec.full_name, spec.kind, spec.password)
        if spec.role and spec.unit:
            unit = units[spec.unit]
            counter = unit.counters.first() if spec.counter else None
            Membership.objects.update_or_create(
                user=user,
                unit=unit,
                role=spec.role,
                active_until=None,
                defaults={
                    "counter": counter,
                    "position": spec.position,
                    "title": spec.title,
                    "field_of_work": spec.field_of_work,
                    "work_phone": unit.phone,
                },
            )
        if spec.kind == AccountKind.STAFF:
            TOTPDevice.objects.update_or_create(
                user=user, name="demo", defaults={"key": DEMO_TOTP_KEY_HEX, "confirmed": True}
            )
    _seed_commune_officers(units)
    citizen = User.objects.get(username="demo-citizen")
    citizen_profile_upsert(
        user=citizen,
        id_number="001190012345",
        full_name=citizen.full_name,
        date_of_birth=date(1990, 1, 15),
        gender="female",
        address="Số 12 đường Lê Lợi, phường Hòa Bình, tỉnh An Lạc",
        phone="0912345678",
        email="mai.do@example.vn",
    )
    say(f"  {len(demo.DEMO_USERS)} demo users")
    return list(demo.DEMO_USERS)


def _user(username: str, full_name: str, kind: str, password: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username)
    user.full_name, user.kind, user.is_active = full_name, kind, True
    if not user.check_password(password):
        user.set_password(password)
    user.save()
    return user


def _seed_commune_officers(units: dict[str, Unit]) -> None:
    communes = [u for u in units.values() if u.kind == UnitKind.COMMUNE and u.code != demo.DEMO_COMMUNE]
    for index, (unit, name) in enumerate(zip(communes, demo.COMMUNE_OFFICERS, strict=False)):
        user = _user(f"canbo{index + 1:02d}", name, AccountKind.STAFF, f"MotCua-canbo{index + 1:02d}-2026")
        Membership.objects.update_or_create(
            user=user,
            unit=unit,
            role=Role.COUNTER_OFFICER,
            active_until=None,
            defaults={
                "counter": unit.counters.first(),
                "position": Position.HEAD if index % 2 else Position.OFFICER,
                "title": "Công chức Bộ phận Một cửa",
                "field_of_work": "Tiếp nhận và trả kết quả",
                "work_phone": unit.phone,
            },
        )


def seed_catalog(say: Say) -> None:
    from motcua.catalog.services import procedure_import

    records = json.loads(catalog_file().read_text(encoding="utf-8"))
    summary = procedure_import(records=records)
    say(f"  catalog: {summary}")


@transaction.atomic
def seed_offerings(units: dict[str, Unit], say: Say) -> None:
    communes = [u for u in units.values() if u.kind == UnitKind.COMMUNE]
    center = units[demo.SERVICE_CENTER]
    count = 0
    for procedure in Procedure.objects.select_related("current_version__field"):
        version = procedure.current_version
        if version is None:
            continue
        levels = " ".join(fold(level) for level in version.levels)
        if "cap xa" in levels:
            for unit in communes:
                count += _offer(procedure, unit, receives=True, handles=True)
        if "cap tinh" in levels or "cap xa" not in levels:
            field = fold(version.field.name) if version.field else ""
            department = units[demo.DEPARTMENT_BY_FIELD.get(field, demo.DEFAULT_DEPARTMENT)]
            count += _offer(procedure, department, receives=False, handles=True)
        # The provincial service centre receives every procedure (non-geographic reception).
        count += _offer(procedure, center, receives=True, handles=False)
    say(f"  {count} new offerings")


def _offer(procedure: Procedure, unit: Unit, *, receives: bool, handles: bool) -> int:
    _, created = Offering.objects.update_or_create(
        procedure=procedure, unit=unit, defaults={"receives": receives, "handles": handles}
    )
    return int(created)


def seed_all(say: Say, *, history: bool = True) -> list[demo.DemoUser]:
    from motcua.demo.history import DEMO_SEED, seed_history
    from motcua.feedback.demo import seed_demo_feedback
    from motcua.queueing.demo import seed_demo_queue

    units = seed_structure(say)
    users = seed_users(units, say)
    seed_catalog(say)
    seed_offerings(units, say)
    seed_demo_queue(days=28 if history else 0, say=say)  # service areas, counters, four weeks of tickets
    if history:
        seed_history(say)
        seed_demo_feedback(random.Random(DEMO_SEED))  # noqa: S311 - demo ratings and feedback, not secrets
    return users

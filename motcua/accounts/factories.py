"""factory_boy factories for accounts. Staff users get the password `STAFF_PASSWORD`."""

from __future__ import annotations

from datetime import date

import factory

from motcua.accounts.identity import tax_check_digit
from motcua.accounts.models import CitizenProfile, OrganizationProfile, User
from motcua.accounts.roles import AccountKind

STAFF_PASSWORD = "correct-horse-battery-staple"  # noqa: S105 - test data


def valid_tax_code(n: int) -> str:
    """The n-th valid 10-digit tax code starting 0100 (prefixes without a valid check digit are skipped)."""
    prefix = 10_000_000 + n * 11
    while (check := tax_check_digit(f"{prefix:09d}")) is None:
        prefix += 1
    return f"{prefix:09d}{check}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")
    kind = AccountKind.CITIZEN
    password = factory.django.Password(STAFF_PASSWORD)


class StaffUserFactory(UserFactory):
    username = factory.Sequence(lambda n: f"staff{n}")
    full_name = factory.Sequence(lambda n: f"Trần Thị {n}")
    kind = AccountKind.STAFF


class CitizenProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CitizenProfile

    # Hà Nội (001), a man born in 1990, a running number.
    id_number = factory.Sequence(lambda n: f"001090{n:06d}")
    full_name = factory.Sequence(lambda n: f"Lê Văn {n}")
    date_of_birth = date(1990, 5, 17)
    gender = "male"


class OrganizationProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganizationProfile

    tax_code = factory.Sequence(lambda n: valid_tax_code(n))
    name = factory.Sequence(lambda n: f"Công ty TNHH Mẫu {n}")
    representative = "Phạm Văn Đại"

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from motcua.accounts.factories import CitizenProfileFactory, OrganizationProfileFactory, UserFactory
from motcua.accounts.models import CitizenProfile, OrganizationProfile
from motcua.accounts.services import citizen_profile_upsert, organization_profile_upsert
from motcua.core.errors import InvalidInput

pytestmark = pytest.mark.django_db


def test_citizen_upsert_creates_then_updates_by_id_number():
    created = citizen_profile_upsert(
        id_number="001 090 012345", full_name="Nguyễn Văn An", date_of_birth=date(1990, 5, 17), phone="0912345678"
    )
    updated = citizen_profile_upsert(id_number="001090012345", full_name="Nguyễn Văn An", address="Số 1 Trần Phú")

    assert created.pk == updated.pk
    assert (updated.id_number, updated.phone, updated.address) == ("001090012345", "0912345678", "Số 1 Trần Phú")
    assert updated.date_of_birth == date(1990, 5, 17)  # a blank field in a later form does not erase it


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"id_number": "12345"}, "id_number"),
        ({"date_of_birth": date(1991, 1, 1)}, "id_number"),
        ({"gender": "female"}, "id_number"),
        ({"full_name": " "}, "full_name"),
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_citizen_upsert_refuses_inconsistent_input(kwargs, field):
    arguments = {"id_number": "001090012345", "full_name": "Nguyễn Văn An", "date_of_birth": date(1990, 5, 17)}

    with pytest.raises(InvalidInput) as refused:
        citizen_profile_upsert(**{**arguments, **kwargs})

    assert refused.value.field == field
    assert not CitizenProfile.objects.exists()


def test_a_verified_identity_is_not_overwritten_by_typed_input():
    citizen_profile_upsert(
        id_number="001090012345", full_name="Nguyễn Văn An", date_of_birth=date(1990, 5, 17), verified=True
    )

    profile = citizen_profile_upsert(id_number="001090012345", full_name="Nguyen Van Anh", phone="0987654321")

    assert (profile.full_name, profile.phone) == ("Nguyễn Văn An", "0987654321")
    assert profile.verified_at is not None


def test_an_id_number_links_to_one_account_only():
    first, second = UserFactory(), UserFactory()
    citizen_profile_upsert(id_number="001090012345", full_name="Nguyễn Văn An", user=first)

    with pytest.raises(InvalidInput, match="another account"):
        citizen_profile_upsert(id_number="001090012345", full_name="Nguyễn Văn An", user=second)
    with pytest.raises(InvalidInput, match="another profile"):
        citizen_profile_upsert(id_number="001190012345", full_name="Trần Thị Bình", user=first)


def test_organization_upsert_validates_the_tax_code_and_updates_by_it():
    created = organization_profile_upsert(tax_code="0100109106", name="Tập đoàn Mẫu", representative="Phạm Văn Đại")
    updated = organization_profile_upsert(tax_code="0100109106", name="Tập đoàn Mẫu (tên mới)")

    assert created.pk == updated.pk
    assert (updated.name, updated.representative) == ("Tập đoàn Mẫu (tên mới)", "Phạm Văn Đại")
    with pytest.raises(InvalidInput, match="check digit") as refused:
        organization_profile_upsert(tax_code="0100109107", name="Sai mã")
    assert refused.value.field == "tax_code"
    assert OrganizationProfile.objects.count() == 1


def test_models_validate_through_the_pure_rules():
    with pytest.raises(ValidationError) as citizen_error:
        CitizenProfileFactory.build(id_number="001090012345", date_of_birth=date(1985, 1, 1)).full_clean()
    with pytest.raises(ValidationError) as organization_error:
        OrganizationProfileFactory.build(tax_code="0100109107").full_clean()

    assert "id_number" in citizen_error.value.message_dict
    assert "tax_code" in organization_error.value.message_dict
    CitizenProfileFactory.build().full_clean()
    OrganizationProfileFactory.build().full_clean()

"""The catalog admin pages open on imported data (for a superuser past the second factor)."""

import pytest

from motcua.accounts.factories import StaffUserFactory
from motcua.accounts.testing import verified_staff_client
from motcua.catalog.models import Component, Procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    return verified_staff_client(client, StaffUserFactory(username="catalog-admin", is_staff=True, is_superuser=True))


@pytest.mark.parametrize("model", ["field", "procedure", "procedureversion", "component", "offering"])
def test_the_change_lists_open(admin_client, imported, model):
    assert admin_client.get(f"/quan-tri/django/catalog/{model}/").status_code == 200


def test_a_version_opens_with_its_components_read_only(admin_client, imported):
    version = Procedure.objects.get(code="2.000815").current_version
    component = Component.objects.filter(version=version).first()

    assert admin_client.get(f"/quan-tri/django/catalog/procedureversion/{version.pk}/change/").status_code == 200
    assert admin_client.get(f"/quan-tri/django/catalog/component/{component.pk}/change/").status_code == 200

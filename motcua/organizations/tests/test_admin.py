import pytest

from motcua.accounts.factories import StaffUserFactory
from motcua.accounts.testing import verified_staff_client
from motcua.organizations.models import Unit, UnitHistory

pytestmark = pytest.mark.django_db

ADD = "/quan-tri/django/organizations/unit/add/"


@pytest.fixture
def admin_client(client):
    # The admin site requires the second factor (OTPAdminSite), like every staff page.
    return verified_staff_client(client, StaffUserFactory(is_staff=True, is_superuser=True))


def form(**overrides):
    return {"code": "000.00.06.H99", "name": "Sở Tư pháp", "kind": "department", **overrides} | {
        "history-TOTAL_FORMS": "0",
        "history-INITIAL_FORMS": "0",
    }


def test_adding_a_unit_in_the_admin_goes_through_the_service(admin_client, root):
    response = admin_client.post(ADD, form(parent=root.pk))

    assert response.status_code == 302
    unit = Unit.objects.get(code="000.00.06.H99")
    assert (unit.level, unit.province.code, unit.name_folded) == (2, "H99", "so tu phap")
    assert unit.history.get().change == UnitHistory.Change.CREATED


def test_the_admin_shows_code_errors_on_the_form(admin_client, root):
    admin_client.cookies["django_language"] = "en"  # pages follow the language switch, not the browser
    response = admin_client.post(ADD, form(code="000.00.6.H99", parent=root.pk))

    assert response.status_code == 200
    assert "Segment 3 must be two digits" in response.content.decode()
    assert not Unit.objects.filter(name="Sở Tư pháp").exists()


def test_code_and_name_are_read_only_once_the_unit_exists(admin_client, root):
    page = admin_client.get(f"/quan-tri/django/organizations/unit/{root.pk}/change/").content.decode()

    assert 'name="code"' not in page
    assert 'name="name"' not in page

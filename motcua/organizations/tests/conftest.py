import pytest
from django.utils import translation

from motcua.accounts.factories import StaffUserFactory
from motcua.organizations.factories import RootUnitFactory


@pytest.fixture
def root(db):
    """The demo province's People's Committee, 000.00.00.H99."""
    return RootUnitFactory()


@pytest.fixture
def admin_user(db):
    return StaffUserFactory(username="admin-user", full_name="Quản trị viên")


@pytest.fixture(autouse=True)
def _english_messages():
    """Assertions read the English msgids; test_translations checks the Vietnamese."""
    with translation.override("en"):
        yield

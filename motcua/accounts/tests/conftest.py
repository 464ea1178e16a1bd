import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    """Assertions read the English msgids; test_translations checks the Vietnamese."""
    with translation.override("en"):
        yield

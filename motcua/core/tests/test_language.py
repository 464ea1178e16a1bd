import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_pages_stay_vietnamese_for_an_english_browser(client):
    response = client.get("/", headers={"accept-language": "en-US,en;q=0.9"})

    assert response.headers["Content-Language"] == "vi"


def test_the_language_switch_turns_pages_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get("/")

    assert response.headers["Content-Language"] == "en"


def test_the_api_follows_accept_language(client):
    response = client.get("/api/v1/no-such-endpoint", headers={"accept-language": "en"})

    assert response.headers["Content-Language"] == "en"

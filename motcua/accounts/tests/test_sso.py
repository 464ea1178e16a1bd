"""Login with the national SSO against the OIDC simulator, over real HTTP (SPEC §7.1)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.test import Client

from motcua.accounts.factories import UserFactory
from motcua.accounts.models import CitizenProfile, User
from motcua.accounts.services import citizen_profile_upsert
from simulators.oidc.testing import running_provider

pytestmark = pytest.mark.django_db

CALLBACK = "http://testserver/tai-khoan/vneid/ve/"


@pytest.fixture(scope="module")
def simulator():
    with running_provider() as running:
        yield running


@pytest.fixture
def provider(simulator, settings):
    simulator.control("normal")
    settings.OIDC_PROVIDER_URL = simulator.url
    settings.OIDC_CLIENT_ID = "motcua-test"
    return simulator


def _authorize(client: Client, *, sub: str = "vneid-002", next_url: str = "") -> str:
    """Start the login and choose an identity at the provider; returns the callback URL."""
    start = client.get("/tai-khoan/vneid/", {"next": next_url} if next_url else {})
    assert start.status_code == 302
    location = start["Location"]
    query = {name: values[0] for name, values in parse_qs(urlsplit(location).query).items()}
    assert query["code_challenge_method"] == "S256"
    assert query["redirect_uri"] == CALLBACK
    page = httpx.get(location)
    assert page.status_code == 200
    assert "Nguyễn Văn An" in page.text
    answer = httpx.post(location.split("?")[0], data={**query, "sub": sub})
    assert answer.status_code == 302
    return answer.headers["Location"]


def test_first_login_creates_a_verified_citizen_and_logs_in(provider):
    client = Client()
    callback = _authorize(client, next_url="/ho-so-cua-toi/")
    response = client.get(callback)
    assert response.status_code == 302
    assert response["Location"] == "/ho-so-cua-toi/"
    profile = CitizenProfile.objects.get(id_number="001090012346")
    assert profile.full_name == "Nguyễn Văn An"
    assert profile.verified_at is not None
    assert profile.user is not None
    assert profile.user.kind == "citizen"
    assert not profile.user.has_usable_password()
    assert client.session["_auth_user_id"] == str(profile.user.pk)


def test_second_login_reuses_the_account(provider):
    for _ in range(2):
        client = Client()
        assert client.get(_authorize(client)).status_code == 302
    assert User.objects.filter(username="vneid-001090012346").count() == 1


def test_existing_account_of_that_id_number_is_the_one_logged_in(provider):
    citizen = UserFactory()
    citizen_profile_upsert(id_number="001090012346", full_name="Nguyen Van An", user=citizen)
    client = Client()
    client.get(_authorize(client))
    assert client.session["_auth_user_id"] == str(citizen.pk)
    assert CitizenProfile.objects.get(user=citizen).full_name == "Nguyễn Văn An"  # the verified name wins


def test_a_tampered_state_is_refused_and_nobody_is_logged_in(provider):
    client = Client()
    callback = _authorize(client)
    response = client.get(callback.replace("state=", "state=x"))
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
    assert not CitizenProfile.objects.exists()


def test_a_callback_is_good_once(provider):
    client = Client()
    callback = _authorize(client)
    assert client.get(callback).status_code == 302
    client.logout()
    assert client.get(callback).status_code == 400


@pytest.mark.parametrize("mode", ["bad_signature", "wrong_audience", "expired"])
def test_an_id_token_that_does_not_verify_is_refused(provider, mode):
    client = Client()
    callback = _authorize(client)
    provider.control(mode)
    response = client.get(callback)
    assert response.status_code == 400
    assert "Không thể xác minh phản hồi" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not CitizenProfile.objects.exists()


def test_cancelled_at_the_provider(provider):
    client = Client()
    start = client.get("/tai-khoan/vneid/")
    query = {name: values[0] for name, values in parse_qs(urlsplit(start["Location"]).query).items()}
    answer = httpx.post(start["Location"].split("?")[0], data={**query, "deny": "1"})
    response = client.get(answer.headers["Location"])
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_provider_down_is_a_clear_503(provider):
    provider.control("down")
    response = Client().get("/tai-khoan/vneid/")
    assert response.status_code == 503


def test_sso_is_off_without_a_provider(settings):
    settings.OIDC_PROVIDER_URL = ""
    assert Client().get("/tai-khoan/vneid/").status_code == 404
    assert "vneid" not in Client().get("/tai-khoan/dang-nhap/").content.decode()


def test_login_page_shows_the_button_when_configured(provider):
    assert "/tai-khoan/vneid/" in Client().get("/tai-khoan/dang-nhap/").content.decode()

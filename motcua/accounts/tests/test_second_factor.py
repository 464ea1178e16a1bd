import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.factories import STAFF_PASSWORD, StaffUserFactory, UserFactory
from motcua.accounts.testing import confirmed_device, current_code, verified_staff_client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("motcua.accounts.tests.urls")]

LOGIN = "/tai-khoan/dang-nhap/"
VERIFY = "/tai-khoan/xac-thuc/"
SETUP = "/tai-khoan/xac-thuc/thiet-lap/"


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    # django-otp makes you wait after a wrong code; the throttling test turns it back on.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def log_in(client, user, next_url="/staff-only/"):
    return client.post(f"{LOGIN}?next={next_url}", {"username": user.username, "password": STAFF_PASSWORD})


def test_staff_login_goes_to_the_code_page_then_where_he_was_going(client):
    staff = StaffUserFactory()
    device = confirmed_device(staff)

    response = log_in(client, staff)

    assert response.status_code == 302
    assert response.url == f"{VERIFY}?next=%2Fstaff-only%2F"
    assert client.get("/staff-only/").url.startswith(VERIFY)
    response = client.post(VERIFY, {"token": current_code(device), "next": "/staff-only/"})
    assert response.url == "/staff-only/"
    assert client.get("/staff-only/").content == b"staff only"


def test_a_wrong_code_is_refused_and_the_right_one_then_accepted(client):
    staff = StaffUserFactory()
    device = confirmed_device(staff)
    log_in(client, staff)
    good = current_code(device)
    wrong = f"{(int(good) + 500_000) % 1_000_000:06d}"

    refused = client.post(VERIFY, {"token": wrong, "next": "/staff-only/"})

    assert refused.status_code == 422
    assert "error-summary" in refused.content.decode()
    assert client.get("/staff-only/").status_code == 302
    assert client.post(VERIFY, {"token": good, "next": "/staff-only/"}).status_code == 302
    assert client.get("/staff-only/").status_code == 200


def test_a_code_is_accepted_only_once(client):
    staff = StaffUserFactory()
    device = confirmed_device(staff)
    code = current_code(device)
    log_in(client, staff)
    client.post(VERIFY, {"token": code})
    client.logout()

    log_in(client, staff)

    assert client.post(VERIFY, {"token": code}).status_code == 422


def test_wrong_codes_are_throttled(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    staff = StaffUserFactory()
    device = confirmed_device(staff)
    log_in(client, staff)
    client.post(VERIFY, {"token": "000000" if current_code(device) != "000000" else "111111"})

    client.cookies["django_language"] = "en"  # pages follow the language switch, not the browser
    response = client.post(VERIFY, {"token": current_code(device)})

    assert response.status_code == 422
    assert "Too many wrong codes" in response.content.decode()


def test_first_login_enrols_an_authenticator_app_with_a_server_drawn_qr_code(client):
    staff = StaffUserFactory()
    log_in(client, staff)

    assert client.get(VERIFY).url.startswith(SETUP)
    page = client.get(SETUP).content.decode()
    device = TOTPDevice.objects.get(user=staff)
    assert not device.confirmed
    assert "<svg" in page
    secret = re.search(r'id="otp-secret">([A-Z2-7 ]+)<', page).group(1)
    assert len(secret.replace(" ", "")) == 32
    assert client.post(SETUP, {"token": "12345"}).status_code == 422  # five digits

    response = client.post(SETUP, {"token": current_code(device), "next": "/staff-only/"})

    assert response.url == "/staff-only/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/staff-only/").status_code == 200


def test_setup_page_reloads_reuse_the_pending_device(client):
    staff = StaffUserFactory()
    log_in(client, staff)
    client.get(SETUP)
    client.get(SETUP)

    assert TOTPDevice.objects.filter(user=staff).count() == 1


def test_a_confirmed_device_cannot_be_replaced_from_the_setup_page(client):
    staff = StaffUserFactory()
    confirmed_device(staff)
    log_in(client, staff)

    response = client.get(SETUP)

    assert response.url.startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=staff).count() == 1


def test_citizens_are_not_asked_for_a_code(client):
    citizen = UserFactory()

    response = client.post(LOGIN, {"username": citizen.username, "password": STAFF_PASSWORD})

    assert response.url == reverse("portal:home")
    assert client.get(VERIFY).url == reverse("portal:home")


def test_staff_page_sends_anonymous_users_to_log_in_and_refuses_citizens(client):
    assert client.get("/staff-only/").url == f"{LOGIN}?next=/staff-only/"
    client.force_login(UserFactory())
    assert client.get("/staff-only/").status_code == 403


def test_the_next_url_must_stay_on_this_site(client):
    staff = StaffUserFactory()
    device = confirmed_device(staff)
    client.force_login(staff)

    response = client.post(VERIFY, {"token": current_code(device), "next": "https://evil.example/"})

    assert response.url == reverse("portal:home")


def test_the_helper_logs_staff_in_through_the_real_flow(client):
    staff = StaffUserFactory()

    verified_staff_client(client, staff, password=STAFF_PASSWORD)

    assert client.get("/staff-only/").status_code == 200
    verified_staff_client(client, staff)  # twice in the same time step works too


def test_staff_session_is_verified_only_after_the_code(client):
    # `user.is_verified()` is what the API's session auth (motcua/api/auth.py) requires of staff.
    staff = StaffUserFactory()
    client.force_login(staff)
    assert not client.get("/").wsgi_request.user.is_verified()

    verified_staff_client(client, staff)

    assert client.get("/").wsgi_request.user.is_verified()

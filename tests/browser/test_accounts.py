"""Logging in through the real pages: citizens with a password, staff with a password and a TOTP code."""

import pytest

from motcua.accounts.models import User
from motcua.accounts.testing import confirmed_device, current_code
from tests.browser.harness import axe_check, enter_code, login_citizen, login_staff, screenshot, submit_login

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]


def test_wrong_password_shows_an_error_summary(page):
    page.goto("/tai-khoan/dang-nhap/")
    axe_check(page)

    submit_login(page, "demo-citizen", "not-the-password")

    summary = page.get_by_role("alert")
    assert "Có thông tin cần sửa" in summary.inner_text()
    assert page.locator("#id_username").input_value() == "demo-citizen"
    axe_check(page)
    screenshot(page, "login-error", full_page=False)


def test_citizen_logs_in_without_a_second_factor(page):
    login_citizen(page, "demo-citizen", "MotCua-demo-citizen-2026")

    assert page.get_by_role("button", name="Đăng xuất (demo-citizen)").is_visible()


def test_staff_wrong_code_is_refused_with_a_summary_and_the_right_code_gets_in(page):
    device = confirmed_device(User.objects.get(username="demo-counter"))
    page.goto("/tai-khoan/dang-nhap/")
    submit_login(page, "demo-counter", "MotCua-demo-counter-2026")
    assert "/tai-khoan/xac-thuc/" in page.url

    enter_code(page, f"{(int(current_code(device)) + 500_000) % 1_000_000:06d}")

    assert "/tai-khoan/xac-thuc/" in page.url
    assert "Có thông tin cần sửa" in page.get_by_role("alert").inner_text()
    assert page.locator("#id_token").get_attribute("aria-invalid") == "true"
    axe_check(page)
    screenshot(page, "staff-code-error", full_page=False)

    enter_code(page, current_code(confirmed_device(device.user)))

    assert "/tai-khoan/xac-thuc/" not in page.url
    assert page.get_by_role("button", name="Đăng xuất (demo-counter)").is_visible()


def test_login_staff_helper_passes_the_code_page(page):
    device = confirmed_device(User.objects.get(username="demo-specialist"))

    login_staff(page, "demo-specialist", "MotCua-demo-specialist-2026", device)

    assert page.get_by_role("button", name="Đăng xuất (demo-specialist)").is_visible()


def test_sso_button_is_hidden_until_a_provider_is_configured(page, settings):
    page.goto("/tai-khoan/dang-nhap/")
    assert page.get_by_role("link", name="Đăng nhập bằng VNeID / SSO").count() == 0

    settings.OIDC_PROVIDER_URL = "http://127.0.0.1:9/oidc"  # shown without contacting it; the flow is in test_sso.py
    page.goto("/tai-khoan/dang-nhap/?next=/thu-tuc/")

    button = page.get_by_role("link", name="Đăng nhập bằng VNeID / SSO")
    assert button.get_attribute("href") == "/tai-khoan/vneid/?next=%2Fthu-tuc%2F"
    axe_check(page)
    screenshot(page, "login-sso", full_page=False)

"""Logging in with the national SSO in the browser: our button → the provider (the OIDC simulator,
over real HTTP) → back on the portal as the citizen the provider vouched for (SPEC §7.1)."""

from __future__ import annotations

import pytest

from simulators.oidc.testing import running_provider
from tests.browser.harness import axe_check

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]


@pytest.fixture
def provider(settings):
    with running_provider() as running:
        settings.OIDC_PROVIDER_URL = running.url
        yield running


def test_citizen_logs_in_with_vneid_and_lands_where_he_was_going(page, provider):
    page.goto("/tai-khoan/dang-nhap/?next=/ho-so-cua-toi/")
    axe_check(page)

    page.get_by_role("link", name="Đăng nhập bằng VNeID / SSO").click()
    assert page.url.startswith(provider.url)
    page.get_by_role("button", name="Đỗ Thị Mai — 001190012345").click()

    page.wait_for_url("**/ho-so-cua-toi/")
    assert page.get_by_role("button", name="Đăng xuất (demo-citizen)").is_visible()  # the demo citizen's own account
    axe_check(page)


def test_cancelled_login_explains_and_offers_the_way_back(page, provider):
    page.goto("/tai-khoan/dang-nhap/")
    page.get_by_role("link", name="Đăng nhập bằng VNeID / SSO").click()
    page.get_by_role("button", name="Từ chối").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Đăng nhập bằng VNeID / SSO chưa hoàn tất"
    assert page.get_by_role("link", name="Thử lại").is_visible()
    axe_check(page)

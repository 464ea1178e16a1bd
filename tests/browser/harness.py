"""What a browser journey uses: accessibility and weight checks, screenshots, logins, the network guard.

Fixtures (`page`, `new_context`, `demo`, …) live in conftest.py; tests import these helpers:

    from tests.browser.harness import axe_check, login_staff, screenshot
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from playwright.sync_api import BrowserContext, FilePayload, Page, Request

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 360, "height": 740}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = frozenset({"serious", "critical"})
CITIZEN_PAGE_BUDGET = 200 * 1024  # bytes transferred for one cold page load (issue #5, "Quality")
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
LOCAL_SCHEMES = frozenset({"data", "blob", "about"})  # never touch the network


# --- the network guard ---------------------------------------------------------------------------


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.scheme in {"http", "https", "ws", "wss"} and (parts.hostname or "") in LOCAL_HOSTS


@dataclass
class NetworkLog:
    """Every URL the pages of one browser context asked for, and the JavaScript errors they raised."""

    urls: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def non_local(self) -> list[str]:
        return [url for url in self.urls if not is_local(url)]

    def problems(self) -> list[str]:
        found = [f"non-local request: {url}" for url in self.non_local()]
        return found + [f"JavaScript error: {error}" for error in self.page_errors]


def watch(context: BrowserContext) -> NetworkLog:
    """Record the context's requests and page errors; abort anything bound off the machine at once."""
    log = NetworkLog()

    def on_request(request: Request) -> None:
        log.urls.append(request.url)

    context.on("request", on_request)
    context.on("page", lambda page: page.on("pageerror", lambda error: log.page_errors.append(str(error))))
    # Recorded above (so the test fails), then aborted here instead of waiting for a DNS timeout.
    context.route(lambda url: not is_local(url), lambda route: route.abort("blockedbyclient"))
    return log


# --- checks --------------------------------------------------------------------------------------


@cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def axe_check(page: Page) -> None:
    """Run axe-core (from node_modules, injected: no CDN) with WCAG 2.1 A/AA; fail on serious or critical."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=_axe_source())
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    blocking = [v for v in results["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    if blocking:
        pytest.fail(f"axe: {len(blocking)} serious/critical violation(s) on {page.url}\n{_describe(blocking)}")


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {json.dumps(node['target'], ensure_ascii=False)}: {node['html'][:160]}")
            if summary := node.get("failureSummary"):
                lines.append("      " + summary.replace("\n", "\n      "))
    return "\n".join(lines)


def page_weight(page: Page, path: str) -> int:
    """Bytes transferred (headers + bodies as sent) to load `path` until the network is idle.

    Measure in a fresh context (the `page` fixture is one) so nothing comes from the browser cache.
    """
    finished: list[Request] = []

    def on_finished(request: Request) -> None:
        finished.append(request)

    page.on("requestfinished", on_finished)
    page.goto(path, wait_until="networkidle")
    page.remove_listener("requestfinished", on_finished)
    total = 0
    for request in finished:
        sizes = request.sizes()
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    return total


def assert_no_horizontal_scroll(page: Page) -> None:
    # Measured once the page has loaded its stylesheets: before that, an unstyled table is wider than any phone.
    page.wait_for_load_state("load")
    width, viewport = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport, f"{page.url} scrolls sideways: {width}px of content in a {viewport}px viewport"


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Save docs/screenshots/<name>.png (for the README)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page, animations="disabled", caret="hide")
    return path


# --- logging in through the real pages -----------------------------------------------------------
# Fields are found by id, not label, so the helpers work in either language.


def login_citizen(page: Page, username: str, password: str) -> None:
    """Log in on the login page; ends wherever the login redirected to."""
    page.goto("/tai-khoan/dang-nhap/")
    submit_login(page, username, password)
    assert "/tai-khoan/dang-nhap/" not in page.url, f"login refused for {username}"


def login_staff(page: Page, username: str, password: str, device: TOTPDevice) -> None:
    """Log in, then pass the TOTP page with the code the officer's authenticator app shows now."""
    from motcua.accounts.testing import confirmed_device, current_code

    page.goto("/tai-khoan/dang-nhap/")
    submit_login(page, username, password)
    assert "/tai-khoan/xac-thuc/" in page.url, f"{username} was not asked for a code (at {page.url})"
    for _attempt in range(2):  # the 30-second step may turn between computing and checking the code
        enter_code(page, current_code(device))
        if "/tai-khoan/xac-thuc/" not in page.url:
            return
        time.sleep(0.05)
        device = confirmed_device(device.user)
    pytest.fail(f"second factor refused for {username}")


def submit_login(page: Page, username: str, password: str) -> None:
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("#id_password").press("Enter")


def enter_code(page: Page, code: str) -> None:
    page.locator("#id_token").fill(code)
    with page.expect_navigation():
        page.locator("#id_token").press("Enter")


# --- journeys: several people, each in their own browser, on one dossier ------------------------

DEMO_COMMUNE = "000.00.21.H99"  # Ủy ban nhân dân phường Hòa Bình: demo-counter, -specialist, -leader
CITIZEN_ID_NUMBER = "001190012345"  # demo-citizen's profile
JOURNEY_TIMEOUT = 30_000  # ms; a journey's pages render documents (PDF) and share two cores with other work


def vi(msgid: str) -> str:
    """The Vietnamese text a page shows for an English msgid (so tests follow the catalogs)."""
    from django.utils import translation

    with translation.override("vi"):
        return translation.gettext(msgid)


def status_text(status: str) -> str:
    """The Vietnamese label of a dossier status, as both the portal and the back office show it."""
    from django.utils import translation

    from motcua.dossiers.lifecycle import status_label

    with translation.override("vi"):
        return status_label(status)


def demo_password(username: str) -> str:
    return f"MotCua-{username}-2026"


def staff_page(new_context: Any, username: str) -> Page:
    """A demo officer logged in (password and TOTP) in a browser of their own."""
    from motcua.accounts.models import User
    from motcua.accounts.testing import confirmed_device

    page = new_context().new_page()
    page.set_default_timeout(JOURNEY_TIMEOUT)
    login_staff(page, username, demo_password(username), confirmed_device(User.objects.get(username=username)))
    return page


def open_action(page: Page, action: str) -> None:
    """Unfold an action's panel on the back-office dossier page (it fails when the action is not offered)."""
    panel = page.locator(f"#{action}-panel")
    panel.locator("summary").click()
    assert panel.get_attribute("open") is not None, f"the {action} panel did not open"


def submit_action(page: Page, action: str) -> None:
    with page.expect_navigation():
        page.locator(f"#{action}-form button[type=submit]").click()


def sample_pdf(name: str = "giay-to.pdf") -> FilePayload:
    """A small, real PDF for an upload field (`set_input_files`)."""
    from motcua.documents.tests import samples

    return {"name": name, "mimeType": "application/pdf", "buffer": samples.pdf_bytes()}

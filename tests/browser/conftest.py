"""The real-browser harness: Debian's Chromium driven by Playwright against pytest-django's live server.

A journey asks for `page` (a fresh, watched browser context per test) and, for data, `demo`; the checks
and login helpers are in harness.py. Every request any page makes is recorded, and the test fails if
one of them left the machine or a page threw a JavaScript error: the system must work on government
networks without internet (SPEC §5.1).

The suite is skipped, with the reason, when Chromium, Playwright, axe-core (`npm ci`) or the compiled
Vietnamese catalog (`make messages`) is missing; MOTCUA_REQUIRE_BROWSER=1 turns that skip into a
failure (for CI). Run it apart from the rest: `pytest -m browser -p no:xdist` (one Chromium is faster
than two on two cores).
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest
from django.core.management import call_command

from tests.browser.harness import AXE_JS, CHROMIUM, CHROMIUM_ARGS, DESKTOP, ROOT, NetworkLog, watch

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright

# The journeys read the pages in Vietnamese, so the shell's compiled catalog must be there.
SHELL_CATALOG = ROOT / "motcua" / "core" / "locale" / "vi" / "LC_MESSAGES" / "django.mo"


def _missing_tool() -> str | None:
    """Why this machine cannot run the browser suite, or None when it can."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium; `make install` does it)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is missing (`uv sync` installs the dev group)"
    if not AXE_JS.exists():
        return f"{AXE_JS.relative_to(ROOT)} is missing (run `npm ci` at the repository root)"
    if not SHELL_CATALOG.exists():
        return "the Vietnamese catalogs are not compiled (run `make messages`)"
    return None


_LOGS = pytest.StashKey[list[NetworkLog]]()


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    if reason := _missing_tool():
        if os.environ.get("MOTCUA_REQUIRE_BROWSER") == "1":
            pytest.fail(f"the browser suite must run but cannot: {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running on this thread for as long as it lives, which
    # trips Django's async-safety check on every ORM call made here (seeding, TOTP codes, the flush
    # between tests). The live server answers in its own thread, without a loop, so it is still checked.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as driver:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    # Debian's Chromium: Playwright never downloads a browser build here.
    chromium = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """After the test body: fail the test itself if one of its pages went off the machine or threw."""
    result = yield
    logs: list[NetworkLog] = item.stash.get(_LOGS, [])
    if problems := [problem for log in logs for problem in log.problems()]:
        pytest.fail("\n".join(problems), pytrace=False)
    return result


@pytest.fixture
def new_context(request: pytest.FixtureRequest, browser: Browser, live_server: Any) -> Iterator[Callable]:
    """Make watched browser contexts on the live server: `new_context(java_script_enabled=False)`."""
    contexts: list[BrowserContext] = []
    logs = request.node.stash.setdefault(_LOGS, [])

    def make(**options: Any) -> BrowserContext:
        # A Vietnamese browser, as most citizens have; the English switch is tested on its own.
        context = browser.new_context(
            **{"viewport": DESKTOP, "locale": "vi-VN", "base_url": live_server.url, **options}
        )
        context.set_default_timeout(10_000)
        logs.append(watch(context))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def context(new_context: Callable[..., BrowserContext]) -> BrowserContext:
    return new_context()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def demo(transactional_db: None) -> None:
    """The demo province: units, counters, staff with TOTP devices, demo-citizen, the 30 procedures."""
    call_command("seed_demo", no_history=True, stdout=io.StringIO())


@pytest.fixture
def commune_signs(demo: None, settings: Any, tmp_path: Any) -> None:
    """The demo commune holds a development signing certificate, and its root is trusted (results get signed)."""
    from motcua.core import clock
    from motcua.documents import pki
    from motcua.documents.management.commands.create_dev_pki import _ensure_identity
    from motcua.organizations.models import Unit
    from tests.browser.harness import DEMO_COMMUNE

    directory = tmp_path / "pki"
    settings.DOCUMENTS_PKI_PASSPHRASE = "motcua-browser-tests"
    settings.DOCUMENTS_TRUST_ROOTS = [str(directory / pki.ROOT_CERT_FILE)]
    root = pki.root_ca_load_or_create(
        directory=directory, passphrase=settings.DOCUMENTS_PKI_PASSPHRASE, organization="Tỉnh An Lạc", now=clock.now()
    )
    unit = Unit.objects.get(code=DEMO_COMMUNE)
    _ensure_identity(unit=unit, root=root, directory=directory, passphrase=settings.DOCUMENTS_PKI_PASSPHRASE)

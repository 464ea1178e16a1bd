"""The harness checks itself: the network guard and axe must catch what they are there to catch."""

import pytest

from tests.browser.harness import axe_check, is_local, watch

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://localhost:8000/static/motcua/site.css", True),
        ("http://127.0.0.1:41234/", True),
        ("data:image/png;base64,AAAA", True),
        ("blob:http://localhost:8000/1234", True),
        ("https://unpkg.com/htmx.org", False),
        ("https://fonts.googleapis.com/css2?family=Roboto", False),
        ("http://localhost.example.com/", False),
        ("//cdn.example.com/x.js", False),
    ],
)
def test_is_local(url, local):
    assert is_local(url) is local


def test_guard_records_and_blocks_a_request_to_another_host(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    log = watch(context)  # not the `page` fixture: this test expects the failure the fixture would raise
    page = context.new_page()
    page.goto("/static/motcua/site.css")

    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.set_content('<img src="https://cdn.example.com/logo.png" alt="logo">')
    page.wait_for_timeout(200)
    context.close()

    assert log.non_local() == ["https://cdn.example.com/logo.png"]
    assert failed == ["https://cdn.example.com/logo.png"]
    assert log.problems() == ["non-local request: https://cdn.example.com/logo.png"]


def test_axe_fails_on_an_unlabelled_field_and_low_contrast(page):
    page.set_content(
        '<html lang="vi"><head><title>t</title></head><body><main>'
        '<input type="text"><p style="color:#bbb;background:#fff">chữ mờ</p></main></body></html>'
    )

    with pytest.raises(pytest.fail.Exception, match=r"(?s)(?=.*\] label:)(?=.*\] color-contrast:)"):
        axe_check(page)

"""Ratings and feedback in a real browser: the demo citizen rates a returned dossier; a visitor sends a
feedback and, once an officer has answered and a leader published it, finds it in the public list."""

from __future__ import annotations

import pytest

from tests.browser.harness import CITIZEN_ID_NUMBER, DEMO_COMMUNE, axe_check, demo_password, login_citizen, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]


def _returned_dossier_of_demo_citizen() -> str:
    """A dossier received at the demo commune's counter for demo-citizen, resolved and returned."""
    from motcua.accounts.models import User
    from motcua.catalog.models import Offering
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.services import processing
    from motcua.dossiers.services.intake import ApplicantInput, ComponentInput, IntakeInput, dossier_intake

    officer = User.objects.get(username="demo-counter")
    offering = (
        Offering.objects.filter(unit__code=DEMO_COMMUNE, receives=True, handles=True)
        .select_related("procedure__current_version")
        .order_by("pk")
        .first()
    )
    assert offering is not None
    version = offering.procedure.current_version
    data = IntakeInput(
        procedure=offering.procedure.code,
        applicant=ApplicantInput(
            full_name="Đỗ Thị Mai", id_number=CITIZEN_ID_NUMBER, address="Hòa Bình", phone="0912000111"
        ),
        components=[ComponentInput(code=c.code, originals=1) for c in version.components.all()],
    )
    dossier = dossier_intake(caller=officer, data=data).dossier
    Dossier.objects.filter(pk=dossier.pk).update(owner=User.objects.get(username="demo-citizen"))
    leader = User.objects.get(username="demo-leader")
    processing.dossier_resolve(
        dossier=Dossier.objects.get(pk=dossier.pk), officer=leader, outcome="approved", reason=""
    )
    processing.dossier_return_result(dossier=Dossier.objects.get(pk=dossier.pk), officer=officer)
    return dossier.code or ""


def test_the_demo_citizen_rates_a_returned_dossier(page):
    from motcua.feedback.models import Rating

    code = _returned_dossier_of_demo_citizen()
    login_citizen(page, "demo-citizen", demo_password("demo-citizen"))
    page.goto(f"/y-kien/danh-gia/{code}/")
    axe_check(page)

    with page.expect_navigation():
        page.get_by_role("button", name="Gửi đánh giá").click()  # nothing chosen yet
    assert page.locator(".error-summary").is_visible()
    assert "Đánh giá chung về việc giải quyết hồ sơ" in page.locator(".error-summary").inner_text()
    assert not Rating.objects.exists()
    axe_check(page)

    for group in page.locator("fieldset").all():
        radios = group.locator("input[type=radio][value=satisfied]")
        if radios.count():
            radios.first.check()
    page.locator("input[name=attitude][value=very_satisfied]").check()
    page.locator("textarea[name=comment]").fill("Cán bộ hướng dẫn tận tình.")
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi đánh giá").click()

    assert "/y-kien/cam-on/" in page.url
    assert page.get_by_role("heading", name="Cảm ơn bạn đã đánh giá").is_visible()
    rating = Rating.objects.get(dossier__code=code)
    assert rating.answers["attitude"] == "very_satisfied"
    assert not rating.negative
    screenshot(page, "rating-thanks", full_page=False)


def test_a_visitor_sends_feedback_and_reads_the_published_answer(page):
    from motcua.accounts.models import User
    from motcua.feedback.models import Feedback
    from motcua.feedback.services import feedback as fb

    page.goto("/y-kien/gui/")
    axe_check(page)
    page.locator("input[name=category][value=officer_unit]").check()
    page.locator("select[name=target_unit]").select_option(DEMO_COMMUNE)
    page.locator("#id_title").fill("Thời gian chờ tại quầy")
    page.locator("#id_content").fill("Sáng thứ Hai phải chờ hơn một giờ.")
    page.locator("#id_contact_name").fill("Phạm Văn Khách")
    page.locator("#id_contact_phone").fill("0912345000")
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi", exact=True).click()

    assert "/y-kien/da-gui/" in page.url
    item = Feedback.objects.get()
    assert item.code in page.locator("main").inner_text()
    answered = fb.feedback_answer(
        feedback=item, officer=User.objects.get(username="demo-specialist"), answer="Đã bố trí thêm một quầy."
    )
    fb.feedback_publish(feedback=answered, officer=User.objects.get(username="demo-leader"))

    page.goto("/y-kien/")
    axe_check(page)
    text = page.locator("main").inner_text()
    assert "Đã bố trí thêm một quầy." in text
    assert "Phạm Văn Khách" not in text
    assert "0912345000" not in text
    screenshot(page, "feedback-published", full_page=False)

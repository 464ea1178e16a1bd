"""The apology journey (issue #5 items 3 and 6): a dossier close to its due time, Mẫu 04, a new return time.

The specialist sees the dossier's due time and how it was counted, issues the apology with a new
return time (the letter, Mẫu 04, is printed as a PDF), and the citizen sees the new time, the reason
and the letter on their own dossier page.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from motcua.accounts.models import User
from motcua.catalog.models import Procedure
from motcua.core import clock
from motcua.documents.services import stored_file_create
from motcua.documents.tests import samples
from motcua.dossiers.models import Dossier
from motcua.dossiers.services.due import working_hours_due
from motcua.dossiers.services.intake import ApplicantInput, ComponentInput, IntakeInput, dossier_intake
from motcua.dossiers.services.review import dossier_accept
from tests.browser.harness import (
    CITIZEN_ID_NUMBER,
    DEMO_COMMUNE,
    JOURNEY_TIMEOUT,
    axe_check,
    demo_password,
    login_citizen,
    open_action,
    screenshot,
    staff_page,
    status_text,
    submit_action,
    vi,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]

PROCEDURE = "1.004873"
HOURS_LEFT = Decimal(12)  # a day and a half of work: the apology must come at least one working day ahead


def _dossier_close_to_its_due_time() -> Dossier:
    """demo-citizen's online dossier, accepted by the counter, due in HOURS_LEFT working hours."""
    citizen = User.objects.get(username="demo-citizen")
    version = Procedure.objects.get(code=PROCEDURE).current_version
    assert version is not None
    scan = stored_file_create(content=samples.pdf_bytes(), filename="to-khai.pdf", uploaded_by=citizen)
    data = IntakeInput(
        procedure=PROCEDURE,
        applicant=ApplicantInput(full_name="Đỗ Thị Mai", id_number=CITIZEN_ID_NUMBER, address="Số 12 đường Lê Lợi"),
        receiving_unit=DEMO_COMMUNE,
        components=[ComponentInput(code=c.code, files=[str(scan.pk)]) for c in version.components.all()],
    )
    dossier = dossier_intake(caller=citizen, data=data).dossier
    dossier = dossier_accept(dossier=dossier, officer=User.objects.get(username="demo-counter"))
    # Time has passed since the acceptance (test data: the service computed the due time from today).
    Dossier.objects.filter(pk=dossier.pk).update(due_at=working_hours_due(start=clock.now(), hours=HOURS_LEFT))
    return Dossier.objects.get(pk=dossier.pk)


def _shown(moment: datetime) -> str:
    return moment.astimezone(clock.VIETNAM).strftime("%H:%M %d/%m/%Y")


def test_the_officer_apologizes_with_a_new_time_and_the_citizen_sees_it(page, new_context):
    dossier = _dossier_close_to_its_due_time()
    old_due = dossier.due_at
    assert old_due is not None
    new_due = (old_due + timedelta(days=3)).astimezone(clock.VIETNAM).replace(second=0, microsecond=0)

    specialist = staff_page(new_context, "demo-specialist")
    specialist.goto(f"/can-bo/ho-so/{dossier.code}/")
    expect(specialist.locator(".dossier-head .status")).to_have_text(status_text("processing"))
    due = specialist.get_by_role("region", name=vi("Due time"))
    expect(due.locator(".due-line")).to_contain_text(_shown(old_due))
    axe_check(specialist)

    open_action(specialist, "apologize")
    specialist.locator("#id_apologize-new_due_at").fill(new_due.strftime("%Y-%m-%dT%H:%M"))
    specialist.locator("#id_apologize-reason").fill("Cần xác minh thông tin cư trú với Công an phường.")
    screenshot(specialist, "journey-apology-form")
    submit_action(specialist, "apologize")

    expect(specialist.locator("[role=status] .messages")).to_contain_text(vi("Apologize and reschedule"))
    expect(due.locator(".due-line")).to_contain_text(_shown(new_due))
    apology = due.locator(".apology")
    expect(apology).to_contain_text(_shown(new_due))
    expect(apology).to_contain_text(_shown(old_due))
    expect(apology).to_contain_text("Cần xác minh thông tin cư trú")
    expect(specialist.get_by_role("region", name=vi("Timeline"))).to_contain_text(vi("Apologize and reschedule"))
    # The letter (Mẫu 04) is among the dossier's files, as a PDF.
    files = specialist.get_by_role("region", name=vi("Files of the dossier"))
    letter = files.get_by_role("link", name=re.compile("04"))
    expect(letter).to_have_count(1)
    response = specialist.request.get(letter.get_attribute("href") or "")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    axe_check(specialist)

    # A second apology is not offered: the return date is rescheduled once.
    expect(specialist.locator("#apologize-panel")).to_have_count(0)

    # The citizen sees the new time, the reason and the letter.
    page.set_default_timeout(JOURNEY_TIMEOUT)
    login_citizen(page, "demo-citizen", demo_password("demo-citizen"))
    page.goto("/ho-so-cua-toi/")
    card = page.locator(".dossier-list li").filter(has_text=dossier.code)
    expect(card).to_contain_text(new_due.strftime("%H:%M %d/%m/%Y"))  # the list shows the new time already
    axe_check(page)
    card.get_by_role("link", name=dossier.code).locator(".code").click()
    notice = page.get_by_role("region", name=vi("Apology for the delay and new return time"))
    expect(notice).to_contain_text(new_due.strftime("%H:%M %d/%m/%Y"))
    expect(notice).to_contain_text(_shown(old_due))
    expect(notice).to_contain_text("Cần xác minh thông tin cư trú")
    expect(page.locator("dd .status")).to_have_text(status_text("processing"))
    letter = notice.get_by_role("link", name=vi("Apology letter (Mẫu 04, PDF)"))
    response = page.request.get(letter.get_attribute("href") or "")
    assert response.status == 200
    assert response.body().startswith(b"%PDF")
    axe_check(page)
    screenshot(page, "journey-apology-citizen")

    # The public tracking page shows the new due time too (no personal data there).
    page.goto(f"/tra-cuu/{dossier.code}/")
    expect(page.locator("main")).to_contain_text(new_due.strftime("%d/%m/%Y"))
    expect(page.locator("main")).not_to_contain_text("Đỗ Thị Mai")
    axe_check(page)

"""My dossiers: only one's own, with a timeline; the supplement asked for by an officer, sent online."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from motcua.dossiers.factories import register
from motcua.dossiers.lifecycle import Action, Status, status_label
from motcua.dossiers.services.review import dossier_request_supplement
from motcua.portal.citizen import EVENT_LABELS
from motcua.portal.tests.citizen_world import START, URLS, citizen_world, fake_pdf, pdf_upload

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]


@pytest.fixture
def world(db):
    with time_machine.travel(START, tick=False):
        yield citizen_world()


@pytest.fixture
def dossier(world):
    return register(world.citizen, world.procedure, receiving_unit=world.unit.code)


@pytest.fixture
def awaiting(world, dossier):
    return dossier_request_supplement(
        dossier=dossier, officer=world.officer, missing=["Bản sao giấy khai sinh của mẹ"], note="Ảnh chụp bị mờ"
    )


def label(action: Action) -> str:
    with translation.override("vi"):
        return str(EVENT_LABELS[action])


def test_the_list_shows_my_dossiers_with_status_and_not_anyone_elses(client, world, dossier):
    theirs = register(world.other_citizen, world.procedure, receiving_unit=world.unit.code)
    client.force_login(world.citizen)

    html = client.get(reverse("portal:my-dossiers")).content.decode()

    assert dossier.code in html
    assert theirs.code not in html
    assert status_label(Status.SUBMITTED) in html


def test_the_detail_shows_the_timeline_components_and_status(client, world, dossier):
    client.force_login(world.citizen)

    response = client.get(reverse("portal:my-dossier", kwargs={"code": dossier.code}))

    html = response.content.decode()
    assert response.status_code == 200
    assert label(Action.SUBMIT) in html
    assert "Tờ khai" in html
    assert world.unit.name in html


def test_another_citizens_dossier_is_a_404(client, world, dossier):
    client.force_login(world.other_citizen)

    detail = client.get(reverse("portal:my-dossier", kwargs={"code": dossier.code}))
    receipt = client.get(reverse("portal:filing-receipt", kwargs={"code": dossier.code}))
    supplement = client.get(reverse("portal:supplement", kwargs={"code": dossier.code}))

    assert detail.status_code == receipt.status_code == supplement.status_code == 404
    assert "Nguyễn Văn An" not in detail.content.decode()


def test_staff_get_403_on_my_dossiers(client, world):
    client.force_login(world.officer)

    assert client.get(reverse("portal:my-dossiers")).status_code == 403


def test_the_dossier_page_says_what_is_missing_and_links_to_the_supplement(client, world, awaiting):
    client.force_login(world.citizen)

    html = client.get(reverse("portal:my-dossier", kwargs={"code": awaiting.code})).content.decode()

    assert "Bản sao giấy khai sinh của mẹ" in html
    assert "Ảnh chụp bị mờ" in html
    assert reverse("portal:supplement", kwargs={"code": awaiting.code}) in html
    assert label(Action.REQUEST_SUPPLEMENT) in html


def test_the_citizen_sends_the_supplement_with_a_file_and_a_note(client, world, awaiting):
    client.force_login(world.citizen)
    page = reverse("portal:supplement", kwargs={"code": awaiting.code})

    form = client.get(page).content.decode()
    response = client.post(page, {"action": "send", "note": "Đã chụp lại", "file-1": pdf_upload("khai-sinh.pdf")})

    awaiting.refresh_from_db()
    assert "Bản sao giấy khai sinh của mẹ" in form
    assert response.status_code == 302
    assert response.url == reverse("portal:my-dossier", kwargs={"code": awaiting.code})
    assert awaiting.status == Status.SUBMITTED  # asked at reception: back to the reception queue
    assert len(awaiting.components.get(component__code="TP2").files) == 1
    event = awaiting.events.last()
    assert (event.action, event.data["note"]) == (Action.SUBMIT_SUPPLEMENT, "Đã chụp lại")
    assert awaiting.supplement_requests.get().supplied_at is not None


def test_a_supplement_without_any_file_is_refused(client, world, awaiting):
    client.force_login(world.citizen)

    response = client.post(reverse("portal:supplement", kwargs={"code": awaiting.code}), {"action": "send"})

    awaiting.refresh_from_db()
    assert response.status_code == 422
    assert 'class="error-summary"' in response.content.decode()
    assert awaiting.status == Status.AWAITING_SUPPLEMENT


def test_a_refused_supplement_file_keeps_the_good_one_attached(client, world, awaiting):
    client.force_login(world.citizen)
    page = reverse("portal:supplement", kwargs={"code": awaiting.code})

    bad = client.post(page, {"action": "send", "file-0": pdf_upload("ok.pdf"), "file-1": fake_pdf()})
    sent = client.post(page, {"action": "send"})

    awaiting.refresh_from_db()
    assert bad.status_code == 422
    assert "ok.pdf" in bad.content.decode()
    assert 'id="file-1-error"' in bad.content.decode()
    assert sent.status_code == 302
    assert awaiting.status == Status.SUBMITTED
    assert len(awaiting.components.get(component__code="TP1").files) == 2  # the first upload and this one


def test_the_supplement_page_of_a_dossier_not_waiting_for_one_goes_back_to_the_dossier(client, world, dossier):
    client.force_login(world.citizen)

    response = client.get(reverse("portal:supplement", kwargs={"code": dossier.code}))

    assert response.status_code == 302
    assert response.url == reverse("portal:my-dossier", kwargs={"code": dossier.code})

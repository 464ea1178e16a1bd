"""Public tracking by code: where the dossier is and when it is due, never who filed it."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from motcua.dossiers.factories import register
from motcua.dossiers.lifecycle import Status, status_label
from motcua.dossiers.services.review import dossier_accept
from motcua.portal.tests.citizen_world import START, URLS, citizen_world

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]


@pytest.fixture
def world(db):
    with time_machine.travel(START, tick=False):
        yield citizen_world()


@pytest.fixture
def dossier(world):
    dossier = register(world.citizen, world.procedure, receiving_unit=world.unit.code)
    return dossier_accept(dossier=dossier, officer=world.officer)


def test_tracking_shows_procedure_status_and_dates_but_no_personal_data(client, dossier):
    response = client.get(reverse("portal:tracking", kwargs={"code": dossier.code}))

    html = response.content.decode()
    assert response.status_code == 200
    assert dossier.code in html
    assert dossier.procedure_version.name in html
    assert status_label(Status.PROCESSING) in html
    assert "09/09/2025" in html  # received and accepted
    assert "16/09/2025" in html  # due in five working days
    for personal in ("Nguyễn Văn An", "001090012345", "12 Phố Huế", "0912345678", "an@example.vn"):
        assert personal not in html


def test_the_qr_code_address_without_the_final_slash_answers_directly(client, dossier):
    response = client.get(f"/tra-cuu/{dossier.code}")

    assert response.status_code == 200
    assert dossier.code in response.content.decode()


def test_the_code_form_works_without_javascript_and_ignores_case(client, dossier):
    response = client.get(reverse("portal:tracking"), {"code": f"  {dossier.code.lower()} "})

    assert response.status_code == 302
    assert response.url == reverse("portal:tracking", kwargs={"code": dossier.code})


def test_an_unknown_code_is_a_friendly_404_with_the_form_again(client, world):
    response = client.get(reverse("portal:tracking", kwargs={"code": "000.00.21.H99-250909-9999"}))

    html = response.content.decode()
    assert response.status_code == 404
    assert "000.00.21.H99-250909-9999" in html
    assert 'name="code"' in html


def test_an_empty_code_is_an_error_linked_from_the_summary(client, world):
    response = client.get(reverse("portal:tracking"), {"code": ""})

    html = response.content.decode()
    assert response.status_code == 422
    assert 'href="#id_code"' in html
    assert 'id="id_code_error"' in html


def test_the_form_page_has_a_labelled_code_field(client, world):
    html = client.get(reverse("portal:tracking")).content.decode()

    assert 'for="id_code"' in html
    assert 'method="get"' in html

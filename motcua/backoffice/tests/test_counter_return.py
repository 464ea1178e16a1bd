"""Returning a result at the counter: find the dossier by code, record who collected it and the originals."""

from __future__ import annotations

import pytest
from django.urls import reverse

from motcua.accounts.testing import verified_staff_client
from motcua.backoffice.tests.counter_world import ID_NUMBER, clock, officer_client, world
from motcua.dossiers.factories import register
from motcua.dossiers.models import Dossier, Outcome
from motcua.dossiers.services.processing import dossier_resolve

__all__ = ["clock", "officer_client", "world"]  # fixtures

pytestmark = pytest.mark.urls("motcua.backoffice.tests.urls_counter_test")


@pytest.fixture
def resolved(world) -> Dossier:
    dossier = register(world.officer, world.procedure)
    return dossier_resolve(dossier=dossier, officer=world.leader, outcome=Outcome.APPROVED, note="Cấp trích lục")


def find(client, code: str):
    return client.get(reverse("backoffice:counter-return"), {"code": code})


def test_finding_a_resolved_dossier_offers_the_return_form(officer_client, resolved):
    response = find(officer_client, resolved.code.lower())

    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("backoffice:counter-return-result", args=[resolved.code]) in page
    assert 'name="receiver_id_number"' in page


def test_returning_records_the_receiver_and_the_originals(officer_client, resolved):
    response = officer_client.post(
        reverse("backoffice:counter-return-result", args=[resolved.code]),
        {"receiver_name": "Nguyễn Văn An", "receiver_id_number": ID_NUMBER, "originals_returned": "on"},
    )

    dossier = Dossier.objects.get(pk=resolved.pk)
    event = dossier.events.order_by("sequence").last()
    assert response.status_code == 302
    assert dossier.status == "returned"
    assert dossier.returned_at is not None
    assert event.data["receiver"] == {"name": "Nguyễn Văn An", "id_number": ID_NUMBER}
    assert event.data["note"].startswith("Đã trả lại bản chính")


def test_the_receivers_id_number_is_checked(officer_client, resolved):
    response = officer_client.post(
        reverse("backoffice:counter-return-result", args=[resolved.code]),
        {"receiver_name": "Nguyễn Văn An", "receiver_id_number": "999"},
    )

    assert response.status_code == 422
    assert Dossier.objects.get(pk=resolved.pk).status == "resolved"


def test_a_dossier_without_a_result_is_not_offered(officer_client, world):
    dossier = register(world.officer, world.procedure)

    page = find(officer_client, dossier.code).content.decode()

    assert 'name="receiver_name"' not in page


def test_returning_twice_is_refused_and_changes_nothing(officer_client, resolved):
    url = reverse("backoffice:counter-return-result", args=[resolved.code])
    data = {"receiver_name": "Nguyễn Văn An", "receiver_id_number": ID_NUMBER}
    officer_client.post(url, data)
    events = Dossier.objects.get(pk=resolved.pk).events.count()

    again = officer_client.post(url, data)

    assert again.status_code == 409
    assert Dossier.objects.get(pk=resolved.pk).events.count() == events


def test_an_unknown_code_is_not_found(officer_client, world):
    assert find(officer_client, "000.00.21.H99-250909-9999").status_code == 404


def test_another_wards_counter_officer_cannot_find_or_return_it(client, world, resolved):
    outsider = verified_staff_client(client, world.outsider)

    assert find(outsider, resolved.code).status_code == 404
    response = outsider.post(
        reverse("backoffice:counter-return-result", args=[resolved.code]),
        {"receiver_name": "X", "receiver_id_number": ID_NUMBER},
    )
    assert response.status_code == 404
    assert Dossier.objects.get(pk=resolved.pk).status == "resolved"

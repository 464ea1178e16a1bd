"""Organizations as applicants at the counter: tax code lookup, validation, the dossier it makes (issue 5)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from motcua.accounts.models import OrganizationProfile
from motcua.backoffice.tests.counter_world import clock, officer_client, world
from motcua.dossiers.models import Dossier, DossierEvent

__all__ = ["clock", "officer_client", "world"]  # fixtures

pytestmark = pytest.mark.urls("motcua.backoffice.tests.urls_counter_test")

TAX_CODE = "0100109106"  # a valid check digit
KEY = "5a69788796a5b4c3d2e1f00f1e2d3c4b"


def intake_url(world) -> str:
    return reverse("backoffice:counter-intake", args=[world.procedure.code])


def org_form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "idempotency_key": KEY,
        "applicant_kind": "organization",
        "org_name": "Công ty TNHH Bình An",
        "tax_code": "0100 109 106",
        "representative": "Phạm Văn Đức",
        "full_name": "",
        "id_number": "",
        "address": "3 Hùng Vương",
        "return_method": "counter",
        "decision": "accept",
        "c0_originals": "1",
        "c0_copies": "0",
        "c1_originals": "0",
        "c1_copies": "0",
    }
    data.update(changes)
    return data


def test_a_known_organization_is_prefilled_from_its_tax_code(officer_client, world):
    OrganizationProfile.objects.create(
        tax_code=TAX_CODE, name="Công ty TNHH Bình An", representative="Phạm Văn Đức", address="3 Hùng Vương"
    )

    page = officer_client.get(intake_url(world), {"tax_code": TAX_CODE}).content.decode()

    assert 'value="Công ty TNHH Bình An"' in page
    assert 'value="Phạm Văn Đức"' in page
    assert re.search(r'<input type="radio" name="applicant_kind" value="organization"[^>]*checked', page)


def test_a_wrong_tax_code_in_the_lookup_is_shown(officer_client, world):
    page = officer_client.get(intake_url(world), {"tax_code": "0100109107"}).content.decode()

    assert "kiểm tra" in page  # the check digit message in Vietnamese


def test_an_organization_dossier_is_registered_with_its_tax_code(officer_client, world):
    response = officer_client.post(intake_url(world), org_form())

    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert dossier.applicant_kind == "organization"
    assert (dossier.organization_name, dossier.organization_tax_code) == ("Công ty TNHH Bình An", TAX_CODE)
    assert dossier.organization_representative == "Phạm Văn Đức"
    page = officer_client.get(reverse("backoffice:dossier", args=[dossier.code])).content.decode()
    assert TAX_CODE in page


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"tax_code": "0100109107"}, "tax_code"),  # wrong check digit
        ({"tax_code": ""}, "tax_code"),
        ({"org_name": "  "}, "org_name"),
        ({"id_number": "123"}, "id_number"),  # an ID number given is still checked
        ({"applicant_kind": "robot"}, "applicant_kind"),
    ],
)
def test_bad_organization_details_are_refused_and_nothing_is_written(officer_client, world, changes, field):
    response = officer_client.post(intake_url(world), org_form(**changes))

    assert response.status_code == 422
    assert f'id="id_{field}' in response.content.decode()
    assert f"id_{field}-error" in response.content.decode() or f"#id_{field}" in response.content.decode()
    assert not Dossier.objects.exists()
    assert not DossierEvent.objects.exists()


def test_a_person_still_needs_a_name_and_id_number(officer_client, world):
    response = officer_client.post(intake_url(world), org_form(applicant_kind="person"))

    page = response.content.decode()
    assert response.status_code == 422
    assert "#id_full_name" in page
    assert "#id_id_number" in page
    assert not Dossier.objects.exists()

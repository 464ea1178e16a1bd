"""`GET /api/v1/dossiers/{code}/documents`: the dossier's files, each downloaded hash-checked by its people only."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.storage import storages

from motcua.accounts.tokens import api_token_create
from motcua.backoffice.tests.counter_world import clock, legal_forms, world
from motcua.dossiers.factories import intake_input, register
from motcua.dossiers.forms import FormKind
from motcua.dossiers.services.counter import CounterDecision, Decision, counter_intake
from motcua.dossiers.services.forms import dossier_form_issue
from motcua.dossiers.services.review import dossier_accept

__all__ = ["clock", "world"]  # fixtures

pytestmark = pytest.mark.urls("motcua.backoffice.tests.urls_counter_test")


def api(client, user):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user)}"}
    return lambda path: client.get(f"/api/v1{path}", **headers)


@pytest.fixture
def refused(world):
    """A dossier refused at the counter: its code, with Mẫu 03 printed."""
    result = counter_intake(
        officer=world.officer,
        data=intake_input(world.procedure),
        decision=CounterDecision(Decision.REFUSE, reason="Hồ sơ không thuộc thẩm quyền."),
        idempotency_key="refused-1",
    )
    return result.dossier


def test_documents_lists_the_forms_with_their_fingerprint_and_url(client, world, refused):
    [form] = legal_forms(refused.code)

    body = api(client, world.officer)(f"/dossiers/{refused.code}/documents").json()

    assert body["items"] == [
        {
            "id": form.pk,
            "kind": "legal_form",
            "name": "Mẫu 03 – Phiếu từ chối tiếp nhận giải quyết hồ sơ",
            "sha256": form.stored_file.sha256,
            "signed": False,
            "url": f"http://testserver/api/v1/dossiers/{refused.code}/documents/{form.pk}",
        }
    ]


def test_the_url_downloads_the_very_bytes_listed(client, world, refused):
    get = api(client, world.officer)
    [item] = get(f"/dossiers/{refused.code}/documents").json()["items"]

    response = get(item["url"].removeprefix("http://testserver/api/v1"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert hashlib.sha256(response.content).hexdigest() == item["sha256"]
    assert response.content.startswith(b"%PDF")


def test_receipt_refusal_and_supplement_are_all_listed(client, world, clock):
    accepted = register(world.officer, world.procedure)
    dossier_form_issue(dossier=accepted, kind=FormKind.RECEIPT)
    supplement = counter_intake(
        officer=world.officer,
        data=intake_input(world.procedure),
        decision=CounterDecision(Decision.SUPPLEMENT, missing=["Giấy chứng sinh"]),
        idempotency_key="supplement-1",
    ).dossier
    get = api(client, world.officer)

    names = [get(f"/dossiers/{code}/documents").json()["items"][0]["name"] for code in (accepted.code, supplement.code)]

    assert names == [
        "Mẫu 01 – Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        "Mẫu 02 – Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    ]


def test_the_applicant_lists_and_downloads_his_own_forms(client, world):
    dossier = register(world.citizen, world.procedure, channel="online", receiving_unit=world.unit.code)
    dossier_accept(dossier=dossier, officer=world.officer)
    receipt = dossier_form_issue(dossier=dossier, kind=FormKind.RECEIPT)
    get = api(client, world.citizen)

    items = get(f"/dossiers/{dossier.code}/documents").json()["items"]

    assert [item["id"] for item in items] == [receipt.pk]
    assert get(f"/dossiers/{dossier.code}/documents/{receipt.pk}").status_code == 200


def test_another_wards_counter_officer_gets_404(client, world, refused):
    [form] = legal_forms(refused.code)
    get = api(client, world.outsider)

    assert get(f"/dossiers/{refused.code}/documents").status_code == 404
    assert get(f"/dossiers/{refused.code}/documents/{form.pk}").status_code == 404


def test_a_document_of_another_dossier_is_404_under_this_code(client, world, refused):
    other = register(world.officer, world.procedure)
    receipt = dossier_form_issue(dossier=other, kind=FormKind.RECEIPT)

    response = api(client, world.officer)(f"/dossiers/{refused.code}/documents/{receipt.pk}")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_tampered_file_is_never_served(client, world, refused):
    [form] = legal_forms(refused.code)
    storage = storages["default"]
    storage.delete(form.stored_file.storage_key)
    storage.save(form.stored_file.storage_key, _content(b"%PDF-1.7 forged"))

    response = api(client, world.officer)(f"/dossiers/{refused.code}/documents/{form.pk}")

    assert response.status_code == 500
    assert b"forged" not in response.content
    assert "error" in response.json()


def test_anonymous_callers_are_refused(client, refused):
    assert client.get(f"/api/v1/dossiers/{refused.code}/documents").status_code == 401


def _content(data: bytes):
    from django.core.files.base import ContentFile

    return ContentFile(data)

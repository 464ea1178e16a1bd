"""The data vault: proposals for a new dossier, reuse counted once per dossier, owner's sharing, staff access logged."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from motcua.core import clock
from motcua.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from motcua.documents.models import (
    DigitizationStatus,
    DocumentKind,
    VaultAccessLog,
    VaultDocument,
    VaultReuse,
    VaultSource,
)
from motcua.documents.services import document_create, document_revoke, stored_file_create
from motcua.documents.tests import samples
from motcua.documents.vault import (
    vault_add,
    vault_document_for_staff,
    vault_for_owner,
    vault_owner_find,
    vault_owner_for_user,
    vault_propose,
    vault_record_reuse,
    vault_sharing_set,
)

pytestmark = pytest.mark.django_db

FIRST_DOSSIER = "000.00.21.H99-260302-0001"
NEXT_DOSSIER = "000.00.21.H99-260410-0007"
TODAY = date(2026, 4, 10)


def _document(name: str = "Giấy khai sinh", dossier_code: str | None = FIRST_DOSSIER, **fields):
    stored = stored_file_create(content=samples.pdf_bytes(text=name), filename="scan.pdf")
    document = document_create(
        kind=DocumentKind.DIGITIZED_COPY, stored_file=stored, name=name, dossier_code=dossier_code
    )
    for field, value in fields.items():
        setattr(document, field, value)
    document.save()
    return document


def _add(owner, type_code: str, **overrides) -> VaultDocument:
    values = {
        "owner": owner,
        "document": overrides.pop("document", None) or _document(type_code),
        "title": type_code,
        "source": VaultSource.COUNTER_DIGITIZATION,
        "type_code": type_code,
    }
    return vault_add(**{**values, **overrides})


def test_a_document_digitized_for_one_dossier_is_proposed_and_reused_in_the_next(citizen):
    birth = _add(citizen, "KS", number="123/2001", issuer="UBND xã Hòa Bình", issued_on=date(2001, 5, 2))

    [proposed] = vault_propose(owner=citizen, type_codes=["KS"], on=TODAY)
    reused = vault_record_reuse(vault_document=proposed, dossier_code=NEXT_DOSSIER)

    assert proposed == birth
    assert reused.reuse_count == 1
    assert VaultReuse.objects.get().dossier_code == NEXT_DOSSIER


def test_proposals_match_the_type_codes_and_are_usable_on_the_day(citizen, other_citizen):
    expired_id = _add(citizen, "CCCD", issued_on=date(2010, 1, 1), expires_on=date(2025, 1, 1))
    valid_id = _add(citizen, "CCCD", issued_on=date(2025, 1, 2), expires_on=date(2040, 1, 1))
    birth = _add(citizen, "KS")
    _add(citizen, "HK")  # not asked for
    _add(citizen, "KS", document=_document(digitization_status=DigitizationStatus.RUNNING))  # not ready
    _add(citizen, "KS", document=_document(digitization_status=DigitizationStatus.FAILED))
    _add(citizen, "CCCD", issued_on=date(2026, 5, 1))  # not issued yet on the day
    vault_sharing_set(owner=citizen, vault_document=_add(citizen, "KS"), shared=False)
    document_revoke(document=_add(citizen, "KS").document, reason="Thu hồi")
    _add(other_citizen, "KS")

    proposed = vault_propose(owner=citizen, type_codes=["CCCD", "KS", ""], on=TODAY)

    assert proposed == [valid_id, birth]
    assert expired_id not in proposed
    assert vault_propose(owner=citizen, type_codes=[], on=TODAY) == []


def test_proposals_follow_the_order_of_the_components(citizen):
    birth, identity_card = _add(citizen, "KS"), _add(citizen, "CCCD")

    assert vault_propose(owner=citizen, type_codes=["KS", "CCCD"], on=TODAY) == [birth, identity_card]
    assert vault_propose(owner=citizen, type_codes=["CCCD", "KS"], on=TODAY) == [identity_card, birth]


def test_a_reuse_counts_once_per_dossier(citizen, officer):
    birth = _add(citizen, "KS")

    vault_record_reuse(vault_document=birth, dossier_code=NEXT_DOSSIER, staff=officer)
    vault_record_reuse(vault_document=birth, dossier_code=NEXT_DOSSIER, staff=officer)
    again = vault_record_reuse(vault_document=birth, dossier_code="000.00.21.H99-260501-0002")

    assert again.reuse_count == 2
    assert VaultReuse.objects.filter(vault_document=birth).count() == 2
    assert VaultReuse.objects.get(dossier_code=NEXT_DOSSIER).recorded_by == officer


def test_the_dossier_a_document_came_from_is_not_a_reuse_of_it(citizen):
    birth = _add(citizen, "KS")

    assert vault_record_reuse(vault_document=birth, dossier_code=FIRST_DOSSIER).reuse_count == 0
    assert not VaultReuse.objects.exists()


def test_an_unshared_revoked_or_expired_document_cannot_be_reused(citizen):
    unshared = vault_sharing_set(owner=citizen, vault_document=_add(citizen, "KS"), shared=False)
    revoked = _add(citizen, "KS")
    document_revoke(document=revoked.document, reason="Thu hồi")
    expired = _add(citizen, "CCCD", expires_on=clock.local_today() - timedelta(days=1))

    for vault_document in (unshared, revoked, expired):
        with pytest.raises(Conflict):
            vault_record_reuse(vault_document=vault_document, dossier_code=NEXT_DOSSIER)
    assert VaultDocument.objects.filter(reuse_count__gt=0).count() == 0


def test_staff_see_a_vault_document_through_a_dossier_that_uses_it_and_it_is_logged(citizen, officer):
    birth = _add(citizen, "KS")
    vault_record_reuse(vault_document=birth, dossier_code=NEXT_DOSSIER)

    seen = vault_document_for_staff(staff=officer, vault_document=birth, dossier_code=NEXT_DOSSIER)
    vault_document_for_staff(staff=officer, vault_document=birth, dossier_code=FIRST_DOSSIER)  # where it came from

    assert seen.document == birth.document
    log = list(VaultAccessLog.objects.order_by("pk").values_list("staff", "vault_document", "dossier_code"))
    assert log == [(officer.pk, birth.pk, NEXT_DOSSIER), (officer.pk, birth.pk, FIRST_DOSSIER)]


def test_staff_without_a_dossier_link_are_refused_and_nothing_is_logged(citizen, officer):
    birth = _add(citizen, "KS")

    with pytest.raises(PermissionDenied) as refused:
        vault_document_for_staff(staff=officer, vault_document=birth, dossier_code=NEXT_DOSSIER)

    assert refused.value.code == "vault_document_not_linked"
    with pytest.raises(PermissionDenied):
        vault_document_for_staff(staff=officer, vault_document=birth, dossier_code="")
    assert not VaultAccessLog.objects.exists()


def test_a_citizen_cannot_take_the_staff_path(citizen):
    birth = _add(citizen, "KS")

    with pytest.raises(PermissionDenied):
        vault_document_for_staff(staff=citizen.user, vault_document=birth, dossier_code=FIRST_DOSSIER)


def test_when_the_owner_stops_sharing_only_the_dossier_it_came_from_still_sees_it(citizen, officer):
    birth = _add(citizen, "KS")
    vault_record_reuse(vault_document=birth, dossier_code=NEXT_DOSSIER)

    vault_sharing_set(owner=citizen, vault_document=birth, shared=False)

    with pytest.raises(PermissionDenied):
        vault_document_for_staff(staff=officer, vault_document=birth, dossier_code=NEXT_DOSSIER)
    assert vault_document_for_staff(staff=officer, vault_document=birth, dossier_code=FIRST_DOSSIER) == birth


def test_only_the_owner_changes_sharing(citizen, other_citizen):
    birth = _add(citizen, "KS")

    with pytest.raises(NotFound):
        vault_sharing_set(owner=other_citizen, vault_document=birth, shared=False)
    birth.refresh_from_db()
    assert birth.shared


def test_adding_the_same_document_twice_keeps_one_entry(citizen):
    document = _document()

    first = _add(citizen, "KS", document=document)
    second = _add(citizen, "KS", document=document)

    assert first == second
    assert vault_for_owner(citizen).count() == 1


def test_an_expiry_before_the_issue_date_is_refused(citizen):
    with pytest.raises(InvalidInput):
        _add(citizen, "CCCD", issued_on=date(2025, 1, 1), expires_on=date(2024, 1, 1))


def test_organizations_have_vaults_of_their_own(organization, citizen):
    licence = _add(organization, "GPKD", source=VaultSource.REGISTRY)
    _add(citizen, "GPKD")

    assert list(vault_for_owner(organization)) == [licence]
    assert vault_propose(owner=organization, type_codes=["GPKD"], on=TODAY) == [licence]
    assert vault_owner_find(tax_code="0101234567") == organization
    assert vault_owner_find(id_number="001090000001") == citizen
    assert vault_owner_find() is None


def test_the_vault_of_a_logged_in_account(citizen, officer):
    assert vault_owner_for_user(citizen.user) == citizen
    assert vault_owner_for_user(officer) is None


def test_api_lists_only_the_callers_vault(client, citizen, other_citizen):
    mine = _add(citizen, "KS", number="123/2001", issued_on=date(2001, 5, 2))
    _add(other_citizen, "KS")
    client.force_login(citizen.user)

    response = client.get("/api/v1/vault")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [item] = body["items"]
    assert item["id"] == mine.pk
    assert item["type_code"] == "KS"
    assert item["number"] == "123/2001"
    assert item["issued_on"] == "2001-05-02"
    assert item["source"] == "counter_digitization"
    assert item["valid"] is True
    assert item["reuse_count"] == 0


def test_api_vault_needs_a_caller(client, officer):
    assert client.get("/api/v1/vault").status_code == 401
    client.force_login(officer)  # staff without the second factor: not a session the API accepts
    assert client.get("/api/v1/vault").status_code == 401

"""/api/v1/vault (SPEC §3.5): the caller's own data vault. HTTP only: the vault module scopes and decides."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Router, Schema

from motcua.api.auth import AUTHENTICATED
from motcua.core import clock
from motcua.documents.vault import vault_document_usable, vault_for_owner, vault_owner_for_user

router = Router(auth=AUTHENTICATED, tags=["vault"])


class VaultDocumentOut(Schema):
    id: int
    type_code: str
    title: str
    number: str
    issuer: str
    issued_on: date | None
    expires_on: date | None
    source: str
    reuse_count: int
    shared: bool
    valid: bool
    result_code: str | None
    signed: bool
    sha256: str
    added_at: datetime


class VaultListOut(Schema):
    items: list[VaultDocumentOut]
    count: int


@router.get("", response=VaultListOut, summary="The documents in the caller's vault")
def vault_list(request: HttpRequest):
    owner = vault_owner_for_user(request.user)  # type: ignore[arg-type]
    entries = list(vault_for_owner(owner)) if owner is not None else []
    today = clock.local_today()
    items = [
        {
            "id": entry.pk,
            "type_code": entry.type_code,
            "title": entry.title,
            "number": entry.number,
            "issuer": entry.issuer,
            "issued_on": entry.issued_on,
            "expires_on": entry.expires_on,
            "source": entry.source,
            "reuse_count": entry.reuse_count,
            "shared": entry.shared,
            "valid": vault_document_usable(entry, on=today),
            "result_code": entry.document.result_code,
            "signed": entry.document.signed,
            "sha256": entry.document.stored_file.sha256,
            "added_at": entry.created_at.astimezone(clock.VIETNAM),
        }
        for entry in entries
    ]
    return {"items": items, "count": len(items)}

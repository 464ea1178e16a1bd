"""Walking the event chains (SPEC §5.4): the first event whose stored content no longer matches its hash."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from motcua.dossiers import audit
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services.events import event_record


@dataclass(frozen=True)
class ChainBreak:
    dossier: Dossier
    link: audit.BrokenLink


def _chain(dossier: Dossier) -> Iterator[tuple[audit.EventRecord, str, str]]:
    for event in DossierEvent.objects.filter(dossier=dossier).order_by("sequence").iterator():
        yield event_record(event), event.prev_hash, event.hash


def audit_verify(*, dossiers: Iterator[Dossier] | list[Dossier]) -> tuple[int, ChainBreak | None]:
    """Check the dossiers' chains in turn; (how many were intact before, the first break or None)."""
    checked = 0
    for dossier in dossiers:
        link = audit.verify_chain(_chain(dossier))
        if link is not None:
            return checked, ChainBreak(dossier=dossier, link=link)
        checked += 1
    return checked, None

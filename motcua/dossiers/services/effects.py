"""External effects of dossier events, written to the outbox in the action's transaction (SPEC §5.3)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from motcua.dossiers import notifications
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services.steps import open_step
from motcua.dossiers.sync import PROGRESS_ONLY, sync_payload
from motcua.integrations.models import OutboxKind
from motcua.integrations.outbox import outbox_enqueue


def effects_enqueue(
    dossier: Dossier, event: DossierEvent, *, notify: str | None = None, context: dict[str, Any] | None = None
) -> None:
    """The national portal sync of `event` and, when asked, the applicant's e-mail."""
    if dossier.code:  # drafts are not synced
        outbox_enqueue(
            kind=OutboxKind.DVCQG_SYNC,
            # Only a progress update reads the open step: skip that query for full records.
            payload=sync_payload(dossier, event, open_step(dossier) if event.action in PROGRESS_ONLY else None),
            idempotency_key=f"dvcqg:{dossier.pk}:{event.sequence}",
            reference=dossier.code,
        )
    if notify and dossier.applicant_email:
        notify_enqueue(
            dossier,
            template=notify,
            recipients=[dossier.applicant_email],
            key=f"notify:{dossier.pk}:{event.sequence}:{notify}",
            context=context,
        )


def notify_enqueue(
    dossier: Dossier, *, template: str, recipients: Iterable[str], key: str, context: dict[str, Any] | None = None
) -> bool:
    """An e-mail to `recipients`; False when `key` was already used (e.g. today's reminder exists)."""
    addresses = sorted({address for address in recipients if address})
    if not addresses:
        return False
    payload = {"to": addresses, **notifications.render(template, dossier, context), "template": template}
    return outbox_enqueue(
        kind=OutboxKind.NOTIFY_EMAIL, payload=payload, idempotency_key=key, reference=dossier.code or ""
    )

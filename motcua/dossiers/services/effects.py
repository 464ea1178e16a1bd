"""External effects of dossier events, written to the outbox in the action's transaction (SPEC §5.3)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from motcua.core import clock
from motcua.dossiers import notifications
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services.steps import open_step
from motcua.dossiers.sync import PROGRESS_ONLY, rows_memo, sync_payload
from motcua.integrations import outbox
from motcua.integrations.models import OutboxKind, OutboxMessage

# Messages of the current `outbox_batch`, written together when it ends.
_batch: ContextVar[list[OutboxMessage] | None] = ContextVar("outbox_batch", default=None)


@contextmanager
def outbox_batch() -> Iterator[None]:
    """Collect the outbox messages queued inside and insert them in one statement at the end.

    For writes whose keys cannot collide (a new dossier's messages): duplicates are skipped by the
    database (ON CONFLICT DO NOTHING) instead of one savepoint per message. Use inside the
    transaction; if the block raises, nothing is written. The national portal records built inside
    read the dossier's components, fees and supplement requests once (`sync.rows_memo`): nothing
    inside a batch may change them after its first message.
    """
    token = _batch.set([])
    try:
        with rows_memo():
            yield
        messages = _batch.get() or []
        if messages:
            OutboxMessage.objects.bulk_create(messages, ignore_conflicts=True)
            outbox._deliver_after_commit()
    finally:
        _batch.reset(token)


def _enqueue(*, kind: str, payload: dict[str, Any], idempotency_key: str, reference: str) -> bool:
    batch = _batch.get()
    if batch is None:
        return outbox.outbox_enqueue(kind=kind, payload=payload, idempotency_key=idempotency_key, reference=reference)
    batch.append(
        OutboxMessage(
            kind=kind,
            payload=payload,
            idempotency_key=idempotency_key,
            reference=reference,
            next_attempt_at=clock.now(),
        )
    )
    return True


def effects_enqueue(
    dossier: Dossier, event: DossierEvent, *, notify: str | None = None, context: dict[str, Any] | None = None
) -> None:
    """The national portal sync of `event` and, when asked, the applicant's e-mail."""
    if dossier.code:  # drafts are not synced
        _enqueue(
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
    return _enqueue(kind=OutboxKind.NOTIFY_EMAIL, payload=payload, idempotency_key=key, reference=dossier.code or "")

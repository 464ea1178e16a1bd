"""Write external effects in the caller's transaction; deliver them after commit with retries (SPEC §5.3).

A message is claimed in a short transaction (its next attempt pushed out by a lease), sent outside
any transaction, then marked delivered or rescheduled with exponential backoff. A worker that dies
mid-send leaves the lease to expire and the message is retried with the same idempotency key.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Final

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils.module_loading import import_string

from motcua.core import clock
from motcua.integrations.base import DeliveryError, Transport
from motcua.integrations.models import OutboxMessage

logger = logging.getLogger(__name__)

DEFAULT_TRANSPORTS: Final = {
    "notify_email": "motcua.integrations.notify.transport.EmailTransport",
    "dvcqg_sync": "motcua.integrations.dvcqg.transport.RecordOnlyTransport",
}
BACKOFF_BASE: Final = timedelta(minutes=1)
BACKOFF_CAP: Final = timedelta(hours=6)
MAX_ATTEMPTS: Final = 12  # about a day and a half of retries
LEASE: Final = timedelta(minutes=5)


def backoff(attempts: int) -> timedelta:
    """Delay before the next try after `attempts` failures: 1, 2, 4 … minutes, at most 6 hours."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_CAP)


def outbox_enqueue(*, kind: str, payload: dict[str, Any], idempotency_key: str, reference: str = "") -> bool:
    """Add a message in the current transaction; False when the key was already used (no duplicate)."""
    try:
        with transaction.atomic():
            OutboxMessage.objects.create(
                kind=kind,
                payload=payload,
                idempotency_key=idempotency_key,
                reference=reference,
                next_attempt_at=clock.now(),
            )
    except IntegrityError:
        return False
    _deliver_after_commit()
    return True


def _deliver_after_commit() -> None:
    # One delivery task per transaction is enough: it delivers every due message.
    if any(getattr(item[1], "__name__", "") == "_enqueue_delivery" for item in connection.run_on_commit):
        return
    transaction.on_commit(_enqueue_delivery, robust=True)


def _enqueue_delivery() -> None:
    from motcua.integrations.tasks import deliver_outbox  # the task module imports this one

    deliver_outbox.enqueue()


@dataclass
class DeliveryReport:
    delivered: int = 0
    retried: int = 0
    failed: int = 0


def transport_for(kind: str) -> Transport:
    paths = {**DEFAULT_TRANSPORTS, **getattr(settings, "MOTCUA_OUTBOX_TRANSPORTS", {})}
    return import_string(paths[kind])()


def outbox_deliver_due(*, limit: int = 200) -> DeliveryReport:
    """Deliver the messages whose time has come; each one independently of the others."""
    report = DeliveryReport()
    due = OutboxMessage.objects.filter(
        delivered_at__isnull=True, failed_at__isnull=True, next_attempt_at__lte=clock.now()
    ).values_list("pk", flat=True)[:limit]
    for pk in list(due):
        message = _claim(pk)
        if message is not None:
            outcome = _deliver(message)
            setattr(report, outcome, getattr(report, outcome) + 1)
    return report


@transaction.atomic
def _claim(pk: int) -> OutboxMessage | None:
    now = clock.now()
    message = (
        OutboxMessage.objects.select_for_update(skip_locked=True)
        .filter(pk=pk, delivered_at__isnull=True, failed_at__isnull=True, next_attempt_at__lte=now)
        .first()
    )
    if message is None:
        return None  # another worker has it, or delivered it
    message.attempts += 1
    message.next_attempt_at = now + LEASE
    message.save(update_fields=["attempts", "next_attempt_at"])
    return message


def _deliver(message: OutboxMessage) -> str:
    try:
        transport_for(message.kind).send(payload=message.payload, idempotency_key=message.idempotency_key)
    except DeliveryError as exc:
        return _record_failure(message, str(exc), permanent=exc.permanent)
    except Exception as exc:  # a bug or an unexpected library error: retry, keep the reason
        logger.exception("outbox %s failed", message.idempotency_key)
        return _record_failure(message, f"{type(exc).__name__}: {exc}", permanent=False)
    OutboxMessage.objects.filter(pk=message.pk).update(delivered_at=clock.now(), last_error="")
    return "delivered"


def _record_failure(message: OutboxMessage, error: str, *, permanent: bool) -> str:
    now = clock.now()
    if permanent or message.attempts >= MAX_ATTEMPTS:
        OutboxMessage.objects.filter(pk=message.pk).update(failed_at=now, last_error=error[:2000])
        return "failed"
    OutboxMessage.objects.filter(pk=message.pk).update(
        next_attempt_at=now + backoff(message.attempts), last_error=error[:2000]
    )
    return "retried"

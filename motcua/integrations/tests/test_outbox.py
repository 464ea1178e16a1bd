"""Outbox delivery: after commit, with retries and exponential backoff, never twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import pytest
import time_machine
from django.core import mail
from django.db import transaction

from motcua.integrations.base import DeliveryError
from motcua.integrations.models import OutboxMessage
from motcua.integrations.outbox import MAX_ATTEMPTS, backoff, outbox_deliver_due, outbox_enqueue

pytestmark = pytest.mark.django_db
T0 = datetime(2025, 9, 9, 2, 0, tzinfo=UTC)


class FlakyTransport:
    """Fails `failures` times, then records each delivery."""

    failures: ClassVar[int] = 0
    sent: ClassVar[list[str]] = []

    def send(self, *, payload: dict[str, Any], idempotency_key: str) -> None:
        if FlakyTransport.failures > 0:
            FlakyTransport.failures -= 1
            raise DeliveryError("gateway timeout")
        FlakyTransport.sent.append(idempotency_key)


class RejectingTransport:
    def send(self, *, payload: dict[str, Any], idempotency_key: str) -> None:
        raise DeliveryError("address rejected", permanent=True)


@pytest.fixture
def flaky(settings):
    settings.MOTCUA_OUTBOX_TRANSPORTS = {"dvcqg_sync": f"{__name__}.FlakyTransport"}
    FlakyTransport.failures = 0
    FlakyTransport.sent = []
    return FlakyTransport


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@transaction.atomic
def _enqueue_then_crash() -> None:
    outbox_enqueue(kind="dvcqg_sync", payload={}, idempotency_key="k")
    raise RuntimeError("crash after the outbox write")


def test_backoff_doubles_from_a_minute_up_to_six_hours():
    assert [backoff(n) for n in (1, 2, 3)] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert backoff(30) == timedelta(hours=6)


def test_the_same_key_is_enqueued_once(clock):
    assert outbox_enqueue(kind="dvcqg_sync", payload={}, idempotency_key="k")
    assert not outbox_enqueue(kind="dvcqg_sync", payload={"other": 1}, idempotency_key="k")
    assert OutboxMessage.objects.count() == 1


def test_a_message_written_in_a_rolled_back_transaction_never_exists(clock):
    with pytest.raises(RuntimeError):
        _enqueue_then_crash()

    assert not OutboxMessage.objects.exists()


def test_failing_transport_retries_with_backoff_then_delivers_once(clock, flaky):
    flaky.failures = 2
    outbox_enqueue(kind="dvcqg_sync", payload={"service": "DongBoHoSoMC"}, idempotency_key="k")

    assert outbox_deliver_due().retried == 1
    message = OutboxMessage.objects.get()
    assert message.next_attempt_at == T0 + timedelta(minutes=1)
    assert message.last_error == "gateway timeout"
    assert outbox_deliver_due().retried == 0  # not due yet: nothing tried

    clock.shift(timedelta(minutes=1))
    assert outbox_deliver_due().retried == 1
    assert OutboxMessage.objects.get().next_attempt_at == T0 + timedelta(minutes=3)

    clock.shift(timedelta(minutes=2))
    assert outbox_deliver_due().delivered == 1
    clock.shift(timedelta(hours=1))
    assert outbox_deliver_due().delivered == 0
    assert flaky.sent == ["k"]
    message = OutboxMessage.objects.get()
    assert (message.attempts, message.delivered_at) == (3, T0 + timedelta(minutes=3))


def test_a_permanent_error_stops_the_retries(clock, settings):
    settings.MOTCUA_OUTBOX_TRANSPORTS = {"dvcqg_sync": f"{__name__}.RejectingTransport"}
    outbox_enqueue(kind="dvcqg_sync", payload={}, idempotency_key="k")

    assert outbox_deliver_due().failed == 1
    assert OutboxMessage.objects.get().failed_at == T0


def test_retries_give_up_after_the_last_attempt(clock, flaky):
    flaky.failures = MAX_ATTEMPTS + 5
    outbox_enqueue(kind="dvcqg_sync", payload={}, idempotency_key="k")

    for _ in range(MAX_ATTEMPTS):
        outbox_deliver_due()
        clock.shift(timedelta(hours=7))

    message = OutboxMessage.objects.get()
    assert message.attempts == MAX_ATTEMPTS
    assert message.failed_at is not None
    assert flaky.sent == []


def test_a_claimed_message_is_not_sent_by_a_second_worker(clock, flaky):
    outbox_enqueue(kind="dvcqg_sync", payload={}, idempotency_key="k")
    message = OutboxMessage.objects.get()
    # Another worker claimed it a moment ago: its lease pushes the next attempt out.
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=1, next_attempt_at=T0 + timedelta(minutes=5))

    assert outbox_deliver_due().delivered == 0
    assert flaky.sent == []


def test_email_notification_is_sent_with_a_stable_message_id(clock):
    outbox_enqueue(
        kind="notify_email",
        payload={"to": ["an@example.vn"], "subject": "Hồ sơ", "body": "Đã tiếp nhận"},
        idempotency_key="notify:1:2:accepted",
    )

    assert outbox_deliver_due().delivered == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["an@example.vn"]
    assert "notify.1.2.accepted" in mail.outbox[0].extra_headers["Message-ID"]


def test_delivery_runs_after_commit(django_capture_on_commit_callbacks, clock):
    with django_capture_on_commit_callbacks(execute=True):
        outbox_enqueue(kind="dvcqg_sync", payload={}, idempotency_key="a")
        outbox_enqueue(kind="dvcqg_sync", payload={}, idempotency_key="b")

    assert OutboxMessage.objects.filter(delivered_at__isnull=False).count() == 2


def test_the_command_delivers_due_messages(clock, capsys):
    from django.core.management import call_command

    outbox_enqueue(kind="dvcqg_sync", payload={}, idempotency_key="k")

    call_command("deliver_outbox")

    assert "delivered=1" in capsys.readouterr().out

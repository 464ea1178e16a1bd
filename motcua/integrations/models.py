from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OutboxKind(models.TextChoices):
    NOTIFY_EMAIL = "notify_email", _("E-mail notification")
    DVCQG_SYNC = "dvcqg_sync", _("National portal sync")


class OutboxMessage(models.Model):
    """An external effect decided in a transaction and delivered after it commits, with retries (SPEC §5.3)."""

    kind = models.CharField(max_length=30, choices=OutboxKind.choices)
    payload = models.JSONField(default=dict)
    # One message per effect: re-enqueueing the same key is a no-op, delivery passes it on downstream.
    idempotency_key = models.CharField(max_length=200, unique=True)
    # What the message is about (a dossier code), for people reading the queue.
    reference = models.CharField(max_length=100, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["next_attempt_at", "pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(delivered_at__isnull=True, failed_at__isnull=True),
                name="outbox_pending_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.idempotency_key}"

    @property
    def pending(self) -> bool:
        return self.delivered_at is None and self.failed_at is None

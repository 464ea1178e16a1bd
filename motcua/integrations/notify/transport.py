"""E-mail notifications through Django's mail backend (console in the demo, SMTP in production)."""

from __future__ import annotations

from email.utils import make_msgid
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage

from motcua.integrations.base import DeliveryError


class EmailTransport:
    """Payload: `{"to": [...], "subject": str, "body": str}`."""

    def send(self, *, payload: dict[str, Any], idempotency_key: str) -> None:
        recipients = [address for address in payload.get("to", []) if address]
        if not recipients:
            raise DeliveryError("no recipient", permanent=True)
        message = EmailMessage(
            subject=payload.get("subject", ""),
            body=payload.get("body", ""),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=recipients,
            # A stable Message-ID lets mail systems drop a duplicate after a crash-and-retry.
            headers={"Message-ID": make_msgid(idstring=idempotency_key.replace(":", "."), domain="motcua")},
        )
        try:
            message.send(fail_silently=False)
        except OSError as exc:  # SMTP errors are OSErrors: the server may come back
            raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc

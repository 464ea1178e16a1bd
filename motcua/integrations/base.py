"""The one protocol every outbound transport implements, and the error it raises."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable


class DeliveryError(Exception):
    """A delivery failed. `permanent`: retrying cannot help (bad address, rejected payload)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@runtime_checkable
class Transport(Protocol):
    """Delivers one outbox message.

    `send` gets the message's payload and its idempotency key; it returns when the external
    system has the message and raises DeliveryError otherwise. The same key may arrive twice
    (a crash between delivery and the commit that records it): pass the key on, so the other
    side can drop the duplicate.
    """

    def send(self, *, payload: dict[str, Any], idempotency_key: str) -> None: ...

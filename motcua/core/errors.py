"""Domain errors: every refusal the system can give, with a stable code and a translatable message.

Services raise these; the API turns them into `{"error": {"code", "message"}}` with the status
below, and pages show the message. A refusal never leaves anything half-written because services
raise before (or inside) their transaction.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A request the rules refuse. `message` is already translated (or lazily translatable)."""

    status = 400
    code = "invalid"

    def __init__(self, message: Any, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
        if code:
            self.code = code


class InvalidInput(DomainError):
    status = 400
    code = "invalid_input"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class PermissionDenied(DomainError):
    status = 403
    code = "forbidden"


class Conflict(DomainError):
    status = 409
    code = "conflict"

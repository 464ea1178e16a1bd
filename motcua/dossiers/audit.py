"""The hash chain of dossier events (SPEC §5.4). Pure: canonical JSON and SHA-256, no database.

Each event's hash is `sha256(prev_hash + canonical(content))`; changing any stored field of any
event breaks every later link, and `verify_chain` names the first event that no longer matches.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Final

GENESIS: Final = "0" * 64


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso_utc(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"not canonical: {type(value).__name__}")


def iso_utc(instant: datetime) -> str:
    """An aware instant as ISO 8601 in UTC with microseconds: one spelling per instant."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime")
    return instant.astimezone(UTC).isoformat(timespec="microseconds")


def normalize(data: Any) -> Any:
    """`data` as plain JSON values (dates → ISO strings, Decimals → strings), as it will be stored."""
    return json.loads(json.dumps(data, default=_default, ensure_ascii=False))


def canonical(content: dict[str, Any]) -> str:
    """Sorted keys, no whitespace, UTF-8 kept: the same content always gives the same text."""
    return json.dumps(content, default=_default, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class EventRecord:
    """What an event says, as hashed. `data` must already be `normalize`d."""

    dossier_id: int
    sequence: int
    action: str
    from_status: str
    to_status: str
    actor_id: int | None
    at: datetime
    data: dict[str, Any]

    def content(self) -> dict[str, Any]:
        return {
            "dossier": self.dossier_id,
            "sequence": self.sequence,
            "action": self.action,
            "from": self.from_status,
            "to": self.to_status,
            "actor": self.actor_id,
            "at": iso_utc(self.at),
            "data": self.data,
        }


def chain_hash(prev_hash: str, record: EventRecord) -> str:
    return hashlib.sha256((prev_hash + canonical(record.content())).encode()).hexdigest()


@dataclass(frozen=True)
class BrokenLink:
    """The first event of a chain that does not match what was stored."""

    sequence: int
    reason: str


def verify_chain(events: Iterable[tuple[EventRecord, str, str]]) -> BrokenLink | None:
    """Walk `(record, stored_prev_hash, stored_hash)` in sequence order; None when intact."""
    expected_prev = GENESIS
    expected_sequence = 1
    for record, prev_hash, stored_hash in events:
        if record.sequence != expected_sequence:
            return BrokenLink(record.sequence, f"sequence {record.sequence}, expected {expected_sequence}")
        if prev_hash != expected_prev:
            return BrokenLink(record.sequence, "prev_hash does not match the previous event's hash")
        if chain_hash(prev_hash, record) != stored_hash:
            return BrokenLink(record.sequence, "content does not match its hash")
        expected_prev = stored_hash
        expected_sequence += 1
    return None

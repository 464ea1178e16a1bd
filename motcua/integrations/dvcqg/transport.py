"""National portal (DVCQG) sync, record-only for now: the payload stays in the outbox as the record.

The real adapter (session, `DongBoHoSoMC`, `CapNhatTienDoHoSoMC`; SPEC §7.2) replaces this class
in `MOTCUA_OUTBOX_TRANSPORTS` without touching the code that writes the messages.
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)


class RecordOnlyTransport:
    """Marks sync messages delivered without sending them anywhere."""

    def send(self, *, payload: dict[str, Any], idempotency_key: str) -> None:
        logger.info("dvcqg %s %s recorded", payload.get("service"), idempotency_key)

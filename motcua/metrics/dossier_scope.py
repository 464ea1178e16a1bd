"""Which dossiers the indices count, and which fee payments count as online: shared by the fact readers."""

from __future__ import annotations

from typing import Any, Final

from motcua.dossiers.models import Dossier
from motcua.dossiers.sync import ONLINE_PAYMENT

# Fee-line methods that mean "paid online" (the national portal's platform or the province's gateway).
ONLINE_PAYMENT_METHODS: Final = frozenset(ONLINE_PAYMENT)


def accepted_dossiers() -> Any:
    """Every dossier the indices count: accepted ones (a dossier never accepted is in no index)."""
    return Dossier.objects.filter(accepted_at__isnull=False)

"""Words the back-office pages put on codes (Vietnamese in the UI, English msgids)."""

from __future__ import annotations

from typing import Final

from django.utils.translation import gettext_lazy as _

from motcua.dossiers.lifecycle import STATUS_LABELS, Status
from motcua.dossiers.services.due import Urgency

URGENCY_LABELS: Final = {
    Urgency.EARLY: _("On time"),
    Urgency.DUE_SOON: _("Due soon"),
    Urgency.OVERDUE: _("Overdue"),
}

# Search filters: every status a registered dossier can have.
SEARCH_STATUSES: Final = [(s.value, label) for s, label in STATUS_LABELS.items() if s != Status.DRAFT]

# How a financial obligation was paid (FeeLine.method, free text for other channels).
PAYMENT_METHODS: Final = {
    "cash": _("Cash at the counter"),
    "transfer": _("Bank transfer"),
    "online": _("Online payment platform"),
    "other": _("Other"),
}

"""Fees collected at the counter (SPEC §3.7): mark fee lines paid, with the method and the receipt number.

Collecting a fee does not move the dossier: the event is appended to the chain with the status unchanged
(`FEES_PAID`, not a lifecycle action), and the national portal gets the updated record (fee lines and
how they were paid) through the outbox. Paying the obligation a pause waits for is `dossier_confirm_payment`;
when the counter collects the last unpaid obligation line of a dossier waiting for payment, that is
the payment the pause waits for, so the collection confirms it in the same transaction and the clock
resumes (otherwise the dossier would stay paused, never late, until someone also pressed "confirm").
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Final

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.core import clock
from motcua.core.errors import Conflict, InvalidInput, PermissionDenied
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Dossier, FeeLine
from motcua.dossiers.services import permissions
from motcua.dossiers.services.effects import effects_enqueue
from motcua.dossiers.services.events import dossier_lock, event_append

# How a fee can be paid (FeeLine.method); the back office puts words on these keys.
CASH: Final = "cash"
PAYMENT_METHOD_KEYS: Final = frozenset({CASH, "transfer", "online", "other"})
RECEIPT_NUMBER_MAX: Final = 60

# The event of a fee collection: the status stays where it is.
FEES_PAID: Final = "pay_fees"

# The kind of the fee line a payment request creates (`pauses.dossier_request_payment`).
OBLIGATION: Final = "obligation"

# A dossier that was never accepted, or that ended without a result, has nothing to collect.
NO_COLLECTION: Final = frozenset({Status.DRAFT, Status.REFUSED, Status.WITHDRAWN, Status.STOPPED})


@transaction.atomic
def fee_lines_pay(
    *, dossier: Dossier, officer: User, line_ids: Iterable[int], method: str, receipt_number: str
) -> list[FeeLine]:
    """Mark the dossier's unpaid fee lines `line_ids` paid at the counter; refused → nothing changed."""
    ids = sorted({int(pk) for pk in line_ids})
    receipt_number = (receipt_number or "").strip()
    if not ids:
        raise InvalidInput(_("Choose at least one fee to collect."), field="lines")
    if method not in PAYMENT_METHOD_KEYS:
        raise InvalidInput(_("Choose a valid payment method."), field="method")
    if method == CASH and not receipt_number:
        raise InvalidInput(_("Enter the receipt number of a cash payment."), field="receipt_number")
    if len(receipt_number) > RECEIPT_NUMBER_MAX:
        raise InvalidInput(
            _("The receipt number has at most %(max)d characters.") % {"max": RECEIPT_NUMBER_MAX},
            field="receipt_number",
        )
    dossier = dossier_lock(dossier)
    if not permissions.has_role_at(officer, permissions.COUNTER, dossier.receiving_unit_id):
        raise PermissionDenied(_("Only the receiving counter collects fees of this dossier."), code="not_permitted")
    if dossier.status in NO_COLLECTION:
        raise Conflict(_("No fee can be collected on this dossier in its current status."), code="no_collection")
    lines = list(FeeLine.objects.select_for_update().filter(pk__in=ids, dossier=dossier).order_by("pk"))
    if len(lines) != len(ids):
        raise InvalidInput(_("A chosen fee does not belong to this dossier."), field="lines")
    if any(line.paid_at is not None for line in lines):
        raise Conflict(_("A chosen fee has already been paid."), code="fee_already_paid")
    at = clock.now()
    for line in lines:
        line.paid_at, line.method, line.receipt_number, line.paid_by = at, method, receipt_number, officer
    FeeLine.objects.bulk_update(lines, ["paid_at", "method", "receipt_number", "paid_by"])
    data = {
        "lines": [{"id": line.pk, "name": line.name or line.code, "amount": line.amount} for line in lines],
        "amount": sum((line.amount for line in lines), Decimal(0)),
        "method": method,
        "receipt_number": receipt_number,
    }
    event = event_append(
        dossier=dossier,
        action=FEES_PAID,  # type: ignore[arg-type]  # not a lifecycle move
        from_status=dossier.status,
        to_status=dossier.status,
        actor=officer,
        at=at,
        data=data,
    )
    # The national portal learns the payment (its record lists the fee lines and how they were paid),
    # through the outbox in this same transaction.
    effects_enqueue(dossier, event)
    settles_pause = dossier.status == Status.AWAITING_PAYMENT and any(line.kind == OBLIGATION for line in lines)
    if settles_pause and not dossier.fee_lines.filter(kind=OBLIGATION, paid_at__isnull=True).exists():
        # Imported here: the pauses module reads this module's receipt rules.
        from motcua.dossiers.services.pauses import dossier_confirm_payment

        dossier_confirm_payment(dossier=dossier, actor=officer, method=method, reference=receipt_number)
    return lines

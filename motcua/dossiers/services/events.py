"""The core of every action: lock the dossier, ask the lifecycle, move, append the chained event."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from motcua.accounts.models import User
from motcua.core.errors import Conflict
from motcua.dossiers import audit, lifecycle
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier, DossierEvent

# The (sequence, hash) of the dossier's last event, kept on the object by `chain_new`.
CHAIN_TAIL = "_chain_tail"


def dossier_lock(dossier: Dossier | int) -> Dossier:
    """The dossier row, locked until the transaction ends: actions on one dossier run one at a time."""
    pk = dossier if isinstance(dossier, int) else dossier.pk
    return Dossier.objects.select_for_update().get(pk=pk)


def check_transition(dossier: Dossier, action: Action) -> Status:
    """The status `action` leads to, or Conflict with the lifecycle's reason."""
    try:
        return lifecycle.next_status(dossier.status, action, accepted=dossier.accepted_at is not None)
    except lifecycle.TransitionNotAllowed as exc:
        raise Conflict(exc.message, code="transition_not_allowed") from None


def event_append(
    *,
    dossier: Dossier,
    action: Action,
    from_status: str,
    to_status: str,
    actor: User | None,
    at: datetime,
    data: dict[str, Any] | None = None,
) -> DossierEvent:
    """Append the next event of the dossier's chain. Call with the dossier locked."""
    tail = getattr(dossier, CHAIN_TAIL, None)
    if tail is None:
        last = DossierEvent.objects.filter(dossier=dossier).order_by("-sequence").values("sequence", "hash").first()
        tail = (last["sequence"], last["hash"]) if last else (0, audit.GENESIS)
    sequence, prev_hash = tail[0] + 1, tail[1]
    stored = audit.normalize(data or {})
    record = audit.EventRecord(
        dossier_id=dossier.pk,
        sequence=sequence,
        action=str(action),
        from_status=str(from_status),
        to_status=str(to_status),
        actor_id=actor.pk if actor else None,
        at=at,
        data=stored,
    )
    event = DossierEvent.objects.create(
        dossier=dossier,
        sequence=sequence,
        action=record.action,
        from_status=record.from_status,
        to_status=record.to_status,
        actor=actor,
        at=at,
        data=stored,
        prev_hash=prev_hash,
        hash=audit.chain_hash(prev_hash, record),
    )
    if hasattr(dossier, CHAIN_TAIL):
        setattr(dossier, CHAIN_TAIL, (event.sequence, event.hash))
    return event


def chain_new(dossier: Dossier) -> None:
    """The dossier was created in this transaction: its chain is empty, no need to ask the database.

    Until `chain_forget`, `event_append` keeps the chain's tail on this object; only for an object
    that nobody else appends to meanwhile (a new dossier, or one locked in this transaction).
    """
    setattr(dossier, CHAIN_TAIL, (0, audit.GENESIS))


def chain_forget(dossier: Dossier) -> None:
    if hasattr(dossier, CHAIN_TAIL):
        delattr(dossier, CHAIN_TAIL)


def transition(
    dossier: Dossier,
    action: Action,
    *,
    actor: User | None,
    at: datetime,
    data: dict[str, Any] | None = None,
    fields: tuple[str, ...] = (),
) -> DossierEvent:
    """Move the (locked) dossier by `action`, save `fields` with the status, and append the event."""
    from_status = dossier.status
    to_status = check_transition(dossier, action)
    dossier.status = to_status
    dossier.save(update_fields=["status", "updated_at", *fields])
    return event_append(
        dossier=dossier, action=action, from_status=from_status, to_status=to_status, actor=actor, at=at, data=data
    )


def event_record(event: DossierEvent) -> audit.EventRecord:
    """A stored event as the hash chain sees it."""
    return audit.EventRecord(
        dossier_id=event.dossier_id,
        sequence=event.sequence,
        action=event.action,
        from_status=event.from_status,
        to_status=event.to_status,
        actor_id=event.actor_id,
        at=event.at,
        data=event.data,
    )

"""Reception decisions and supplements: accept, refuse, request a supplement, receive it.

Each action locks the dossier, checks the role and the lifecycle, then writes the change, its
event and its outbox messages in one transaction; a refusal raises before anything is written.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.core import clock
from motcua.core.errors import Conflict, InvalidInput
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier, DossierComponent, SupplementRequest
from motcua.dossiers.services import permissions
from motcua.dossiers.services.due import calendar_pinned, processing_due, working_hours_between
from motcua.dossiers.services.effects import effects_enqueue
from motcua.dossiers.services.events import check_transition, dossier_lock, transition
from motcua.dossiers.services.forms import FormKind, form_issue_on_commit
from motcua.dossiers.services.steps import close_open_step, open_step, step_restart, steps_accept

# Decree 61/2018 Art. 19.4: the supplement notice goes out within 3 working days of receipt.
SUPPLEMENT_NOTICE_HOURS = Decimal(24)


def _required_text(value: str, field: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(_("This field is required."), field=field)
    return text


@transaction.atomic
def dossier_accept(*, dossier: Dossier, officer: User, comment: str = "") -> Dossier:
    """Accept a registered dossier as complete and valid: the clock starts now (Decree 118/2025 Art. 17.3)."""
    dossier = dossier_lock(dossier)
    permissions.require(officer, Action.ACCEPT, dossier)
    accept_locked(dossier, officer=officer, at=clock.now(), comment=comment)
    return dossier


def accept_locked(dossier: Dossier, *, officer: User, at: datetime, comment: str = "") -> None:
    """Acceptance on a dossier already locked in this transaction (also the counter's one-step intake)."""
    with calendar_pinned():
        _accept(dossier, officer=officer, at=at, comment=comment)


def _accept(dossier: Dossier, *, officer: User, at: datetime, comment: str) -> None:
    check_transition(dossier, Action.ACCEPT)
    due = processing_due(version=dossier.procedure_version, channel=dossier.channel, start=at)
    dossier.accepted_at = at
    dossier.due_at = due.due_at
    dossier.due_explanation = due.explanation
    event = transition(
        dossier,
        Action.ACCEPT,
        actor=officer,
        at=at,
        data={"due_at": due.due_at, "comment": comment},
        fields=("accepted_at", "due_at", "due_explanation"),
    )
    steps_accept(dossier, officer=officer, at=at)
    effects_enqueue(dossier, event, notify="accepted")
    form_issue_on_commit(dossier, FormKind.RECEIPT, event)


@transaction.atomic
def dossier_refuse(*, dossier: Dossier, officer: User, reason: str) -> Dossier:
    """Refuse to accept a registered dossier, with the reason given to the applicant (Mẫu 03)."""
    reason = _required_text(reason, "reason")
    dossier = dossier_lock(dossier)
    permissions.require(officer, Action.REFUSE, dossier)
    check_transition(dossier, Action.REFUSE)
    at = clock.now()
    dossier.finished_at = at
    event = transition(dossier, Action.REFUSE, actor=officer, at=at, data={"reason": reason}, fields=("finished_at",))
    close_open_step(dossier, at=at, by=officer, outcome="refused", comment=reason)
    effects_enqueue(dossier, event, notify="refused", context={"reason": reason})
    form_issue_on_commit(dossier, FormKind.REFUSAL, event)
    return dossier


@transaction.atomic
def dossier_request_supplement(*, dossier: Dossier, officer: User, missing: list[str], note: str = "") -> Dossier:
    """Send the dossier back to the applicant; the clock stops until the supplement arrives (Art. 19.4)."""
    missing = [str(item).strip() for item in missing if str(item).strip()]
    if not missing:
        raise InvalidInput(_("Say which documents are missing."), field="missing")
    dossier = dossier_lock(dossier)
    permissions.require(officer, Action.REQUEST_SUPPLEMENT, dossier)
    check_transition(dossier, Action.REQUEST_SUPPLEMENT)
    before_acceptance = dossier.accepted_at is None
    if before_acceptance and dossier.supplement_requests.filter(before_acceptance=True).exists():
        # Decree 118/2025 Art. 17.2.a: the guidance is given completely, in one go.
        raise Conflict(_("A supplement was already requested at reception: accept or refuse the dossier now."))
    at = clock.now()
    SupplementRequest.objects.create(
        dossier=dossier,
        missing=missing,
        note=note,
        requested_by=officer,
        requested_at=at,
        before_acceptance=before_acceptance,
        due_before=dossier.due_at,
    )
    dossier.supplement_count += 1
    dossier.clock_paused_at = at
    data = {"missing": missing, "note": note, "due_at": dossier.due_at, **_late_notice(dossier, at)}
    event = transition(
        dossier,
        Action.REQUEST_SUPPLEMENT,
        actor=officer,
        at=at,
        data=data,
        fields=("supplement_count", "clock_paused_at"),
    )
    effects_enqueue(
        dossier, event, notify="supplement_requested", context={"missing": "; ".join(missing), "note": note}
    )
    form_issue_on_commit(dossier, FormKind.SUPPLEMENT_REQUEST, event)
    return dossier


def _late_notice(dossier: Dossier, at: datetime) -> dict[str, bool]:
    """Flag a supplement asked for more than 3 working days after acceptance (sector law may allow it)."""
    if dossier.accepted_at is None:
        return {}
    late = working_hours_between(start=dossier.accepted_at, end=at) > SUPPLEMENT_NOTICE_HOURS
    return {"after_3_working_days": True} if late else {}


@transaction.atomic
def dossier_submit_supplement(
    *, dossier: Dossier, actor: User, note: str = "", files: dict[str, list[str]] | None = None
) -> Dossier:
    """The complete supplement arrived: the full processing time restarts from now (Art. 19.4)."""
    dossier = dossier_lock(dossier)
    permissions.require(actor, Action.SUBMIT_SUPPLEMENT, dossier)
    check_transition(dossier, Action.SUBMIT_SUPPLEMENT)
    at = clock.now()
    previous_due = dossier.due_at
    SupplementRequest.objects.filter(dossier=dossier, supplied_at__isnull=True).update(supplied_at=at)
    _attach_files(dossier, files or {})
    if dossier.accepted_at is not None:
        due = processing_due(version=dossier.procedure_version, channel=dossier.channel, start=at)
        dossier.due_at, dossier.due_explanation = due.due_at, due.explanation
    step = open_step(dossier)
    if step is not None:
        step_restart(step, at=at)
    dossier.clock_paused_at = None
    data = {"previous_due_at": previous_due, "due_at": dossier.due_at, "note": note}
    event = transition(
        dossier,
        Action.SUBMIT_SUPPLEMENT,
        actor=actor,
        at=at,
        data=data,
        fields=("due_at", "due_explanation", "clock_paused_at"),
    )
    effects_enqueue(dossier, event, notify="supplement_received")
    return dossier


def _attach_files(dossier: Dossier, files: dict[str, list[str]]) -> None:
    """Add the supplied files to the dossier's components (by component code), adding missing ones."""
    if not files:
        return
    known = {c.code: c for c in dossier.procedure_version.components.all()}
    unknown = [code for code in files if code not in known]
    if unknown:
        raise InvalidInput(_("Unknown components: %(codes)s.") % {"codes": ", ".join(unknown)}, field="files")
    for code, ids in files.items():
        item, _created = DossierComponent.objects.get_or_create(dossier=dossier, component=known[code])
        item.files = [*item.files, *(str(i) for i in ids)]
        item.save(update_fields=["files"])

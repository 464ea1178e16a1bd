"""The deadline sweep (SPEC §3.4): remind officers of steps due soon or overdue, and prompt the
competent unit to apologize while it still can (a working day ahead) when a dossier may be late, and
close dossiers whose supplement has not come 15 days after the request (`closing`). Run it periodically;
each reminder is one outbox message per step (or dossier) per day, so running it again is harmless.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Final

from motcua.core import clock
from motcua.dossiers.codes import local_day
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Dossier, DossierStep
from motcua.dossiers.notifications import local_text
from motcua.dossiers.services import permissions
from motcua.dossiers.services.closing import supplements_overdue_close
from motcua.dossiers.services.due import Urgency, urgency
from motcua.dossiers.services.effects import notify_enqueue
from motcua.organizations.models import Membership
from motcua.workcalendar.services import working_hours_between

# An apology is refused with less than a working day left (Art. 19.9), so the prompt comes during the
# last working day on which it can still be issued: between 16 and 8 working hours before the due time.
APOLOGY_DEADLINE_HOURS: Final = Decimal(8)
APOLOGY_PROMPT_HOURS: Final = Decimal(16)
# Half a working day can span a long holiday (Tết): look this far ahead before counting exactly.
LOOKAHEAD: Final = timedelta(days=21)


@dataclass
class SweepReport:
    reminders: int = 0
    apology_prompts: int = 0
    closed: int = 0


def deadlines_sweep(*, now: datetime | None = None) -> SweepReport:
    now = now or clock.now()
    day = local_day(now)
    report = SweepReport()
    report.closed = supplements_overdue_close(now=now)
    for step in _open_steps(now):
        state = urgency(step.due_at, now)
        if state != Urgency.EARLY and _remind(step, state, day):
            report.reminders += 1
    for dossier in _apology_candidates(now):
        if _prompt_apology(dossier, day):
            report.apology_prompts += 1
    return report


def _open_steps(now: datetime) -> list[DossierStep]:
    steps = DossierStep.objects.filter(
        finished_at__isnull=True, due_at__isnull=False, due_at__lte=now + LOOKAHEAD, dossier__status=Status.PROCESSING
    )
    return list(steps.select_related("dossier__procedure_version", "unit", "assignee").order_by("due_at"))


def _staff_emails(unit_id: int, roles: set[str] | frozenset[str]) -> list[str]:
    members = Membership.objects.filter(unit_id=unit_id, role__in=sorted(roles), active_until__isnull=True)
    return [m.user.email for m in members.select_related("user") if m.user.email and m.user.is_active]


def _remind(step: DossierStep, state: Urgency, day: date) -> bool:
    holders = [step.assignee.email] if step.assignee else _staff_emails(step.unit_id, {step.role})
    return notify_enqueue(
        step.dossier,
        template="step_overdue" if state == Urgency.OVERDUE else "step_due_soon",
        recipients=[*holders, *_staff_emails(step.unit_id, permissions.LEADERS)],
        key=f"reminder:step:{step.pk}:{day.isoformat()}",
        context={"step": step.name, "due": local_text(step.due_at)},
    )


def _apology_candidates(now: datetime) -> list[Dossier]:
    dossiers = Dossier.objects.filter(
        status=Status.PROCESSING, due_at__gt=now, due_at__lte=now + LOOKAHEAD, apology__isnull=True
    ).select_related("procedure_version")
    return [d for d in dossiers if d.due_at and _in_apology_window(working_hours_between(start=now, end=d.due_at))]


def _in_apology_window(left: Decimal) -> bool:
    return APOLOGY_DEADLINE_HOURS <= left <= APOLOGY_PROMPT_HOURS


def _prompt_apology(dossier: Dossier, day: date) -> bool:
    return notify_enqueue(
        dossier,
        template="apology_prompt",
        recipients=_staff_emails(dossier.handling_unit_id, permissions.LEADERS),
        key=f"reminder:apology:{dossier.pk}:{day.isoformat()}",
    )

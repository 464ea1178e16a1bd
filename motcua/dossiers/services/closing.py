"""Closing dossiers whose supplement never came (Decree 118/2025 Art. 19.5, SPEC §4.2).

"Sau 15 ngày kể từ khi thông báo … nếu tổ chức, cá nhân không hoàn thành việc hoàn thiện hồ sơ,
cán bộ … Bộ phận Một cửa thực hiện đóng hồ sơ": 15 days (calendar days: the text does not say
working days) after a supplement request made during appraisal, the dossier is closed. Closing is
the `stop` move, done by the system: the event says why, the applicant is told and the stop notice
(Mẫu 05) is issued. Requests made at reception (before acceptance) and notices sent before the
decree took effect (1 July 2025) are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from django.db import transaction

from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier, SupplementRequest
from motcua.dossiers.services.effects import effects_enqueue
from motcua.dossiers.services.events import dossier_lock, transition
from motcua.dossiers.services.forms import FormKind, form_issue_on_commit
from motcua.dossiers.services.steps import close_open_step

SUPPLEMENT_CLOSE_DAYS: Final = 15
DECREE_118_FROM: Final = datetime(2025, 7, 1, tzinfo=VIETNAM)
# The reason given to the applicant (notification, stop notice) and kept in the event.
CLOSE_REASON: Final = (
    "Quá 15 ngày kể từ ngày thông báo yêu cầu bổ sung, hoàn thiện hồ sơ mà tổ chức, cá nhân không hoàn "
    "thiện hồ sơ (khoản 5 Điều 19 Nghị định số 118/2025/NĐ-CP)"
)


@dataclass(frozen=True)
class Overdue:
    dossier_id: int
    request_id: int
    requested_at: datetime


def close_deadline(requested_at: datetime) -> datetime:
    """When a supplement requested at `requested_at` is overdue: 15 days later, to the minute."""
    return requested_at + timedelta(days=SUPPLEMENT_CLOSE_DAYS)


def supplements_overdue(*, now: datetime) -> list[Overdue]:
    """Dossiers waiting for a supplement asked during appraisal more than 15 days ago."""
    requests = SupplementRequest.objects.filter(
        supplied_at__isnull=True,
        before_acceptance=False,
        requested_at__gte=DECREE_118_FROM,
        requested_at__lte=now - timedelta(days=SUPPLEMENT_CLOSE_DAYS),
        dossier__status=Status.AWAITING_SUPPLEMENT,
    ).order_by("requested_at", "pk")
    return [Overdue(r.dossier_id, r.pk, r.requested_at) for r in requests]


def supplement_overdue_close(*, overdue: Overdue, now: datetime | None = None) -> bool:
    """Close one dossier (its own transaction); False when it moved meanwhile (supplied, withdrawn)."""
    now = now or clock.now()
    with transaction.atomic():
        dossier = dossier_lock(overdue.dossier_id)
        still_waiting = SupplementRequest.objects.filter(pk=overdue.request_id, supplied_at__isnull=True).exists()
        if dossier.status != Status.AWAITING_SUPPLEMENT or not still_waiting:
            return False
        _close(dossier, overdue, now)
    return True


def _close(dossier: Dossier, overdue: Overdue, at: datetime) -> None:
    dossier.finished_at = at
    dossier.clock_paused_at = None
    close_open_step(dossier, at=at, by=None, outcome=str(Action.STOP), comment=CLOSE_REASON)
    data = {
        "reason": CLOSE_REASON,
        "automatic": True,
        "supplement_request": overdue.request_id,
        "requested_at": overdue.requested_at,
        "deadline": close_deadline(overdue.requested_at),
    }
    event = transition(dossier, Action.STOP, actor=None, at=at, data=data, fields=("finished_at", "clock_paused_at"))
    effects_enqueue(dossier, event, notify="stopped", context={"reason": CLOSE_REASON})
    form_issue_on_commit(dossier, FormKind.STOP_NOTICE, event)


def supplements_overdue_close(*, now: datetime | None = None) -> int:
    """Close every overdue dossier; returns how many were closed. Running it again closes none twice."""
    now = now or clock.now()
    return sum(supplement_overdue_close(overdue=item, now=now) for item in supplements_overdue(now=now))

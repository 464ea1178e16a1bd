"""/api/v1/track/{code}: public tracking by dossier code (SPEC §8). No personal data, ever:
no name, ID number, phone, e-mail or address; only what the receipt's QR code promises.
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from motcua.core.clock import VIETNAM
from motcua.dossiers import lifecycle, selectors

router = Router(tags=["tracking"])


class TrackOut(Schema):
    code: str
    procedure_code: str
    procedure_name: str
    status: str
    status_label: str
    received_at: datetime | None
    due_at: datetime | None
    finished_at: datetime | None


def _local(instant: datetime | None) -> datetime | None:
    return instant.astimezone(VIETNAM) if instant else None


@router.get("/{code}", response=TrackOut, summary="Public status of a dossier")
def track(request: HttpRequest, code: str) -> TrackOut:
    dossier = selectors.dossier_track(code=code)
    return TrackOut(
        code=dossier.code or "",
        procedure_code=dossier.procedure.code,
        procedure_name=dossier.procedure_version.name,
        status=dossier.status,
        status_label=lifecycle.status_label(dossier.status),
        received_at=_local(dossier.accepted_at or dossier.submitted_at),
        due_at=_local(dossier.due_at),
        finished_at=_local(dossier.finished_at),
    )

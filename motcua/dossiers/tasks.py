"""Background work of dossiers (django-tasks; enqueue from a scheduler or after commit)."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from motcua.dossiers.services.forms import form_issue_for_event
from motcua.dossiers.services.sweep import deadlines_sweep


@task()
def sweep_deadlines() -> dict[str, int]:
    with transaction.atomic():
        report = deadlines_sweep()
    return {"reminders": report.reminders, "apology_prompts": report.apology_prompts}


@task()
def issue_form(dossier_id: int, kind: str, event_sequence: int) -> int:
    """Print, store and sign a legal form once the action that calls for it has committed."""
    return form_issue_for_event(dossier_id=dossier_id, kind=kind, event_sequence=event_sequence).pk

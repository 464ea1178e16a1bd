"""Background work of dossiers (django-tasks; enqueue from a scheduler or after commit)."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from motcua.dossiers.services.sweep import deadlines_sweep


@task()
def sweep_deadlines() -> dict[str, int]:
    with transaction.atomic():
        report = deadlines_sweep()
    return {"reminders": report.reminders, "apology_prompts": report.apology_prompts}

"""Remind officers of steps due soon or overdue, prompt apologies, close dossiers whose supplement never
came (15 days, Decree 118/2025 Art. 19.5); run it periodically (hourly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from motcua.dossiers.services.sweep import deadlines_sweep


class Command(BaseCommand):
    help = (
        "Queue reminders for steps due soon or overdue and apology prompts (idempotent per day); "
        "close dossiers whose supplement is 15 days overdue."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = deadlines_sweep()
        self.stdout.write(
            f"reminders={report.reminders} apology_prompts={report.apology_prompts} closed={report.closed}"
        )

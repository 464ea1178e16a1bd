"""Remind officers of steps due soon or overdue and prompt apologies; run it periodically (hourly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from motcua.dossiers.services.sweep import deadlines_sweep


class Command(BaseCommand):
    help = "Queue reminders for steps due soon or overdue and apology prompts (idempotent per day)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = deadlines_sweep()
        self.stdout.write(f"reminders={report.reminders} apology_prompts={report.apology_prompts}")

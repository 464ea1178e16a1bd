"""`python manage.py metrics_refresh`: bring the maintained aggregates up to date (run it every minute
from cron or a systemd timer; reads also refresh on demand)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from motcua.metrics.aggregates import metrics_refresh


class Command(BaseCommand):
    help = "Apply the dossier events, portal deliveries and documents since the last refresh to the aggregates."

    def handle(self, *args: Any, **options: Any) -> None:
        report = metrics_refresh()
        self.stdout.write(f"{report.dossiers} dossiers refreshed, events up to #{report.event_id}.")

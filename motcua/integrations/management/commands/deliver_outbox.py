"""Deliver due outbox messages; run it periodically (cron / systemd timer) to catch retries."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.integrations.outbox import outbox_deliver_due


class Command(BaseCommand):
    help = "Deliver due outbox messages (notifications, national portal sync) with retries and backoff."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", type=float, default=0, help="repeat every N seconds instead of once")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            report = outbox_deliver_due()
            self.stdout.write(f"delivered={report.delivered} retried={report.retried} failed={report.failed}")
            if not options["loop"]:
                return
            time.sleep(options["loop"])

"""`manage.py publish_index [--date YYYY-MM-DD] [--unit CODE ...]`: the weekly publication of the 766 index.

Run once a week, early on Monday (the operator schedule): every active unit's month, quarter and
year, evaluated at Monday 00:00. Running it again in the same week publishes nothing new.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.dashboards.services import publish_week
from motcua.organizations.models import Unit


class Command(BaseCommand):
    help = "Publish the 766 index of every unit for this week (idempotent per unit and week)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="a day of the week to publish (YYYY-MM-DD; default today)")
        parser.add_argument("--unit", action="append", default=[], help="a unit code (repeatable; default all)")

    def handle(self, *args: Any, **options: Any) -> None:
        day = None
        if options["date"]:
            try:
                day = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"--date {options['date']!r} is not a date (YYYY-MM-DD)") from None
        units = Unit.objects.filter(active_until__isnull=True).order_by("code")
        if options["unit"]:
            codes = [code.strip().upper() for code in options["unit"]]
            units = units.filter(code__in=codes)
            missing = sorted(set(codes) - set(units.values_list("code", flat=True)))
            if missing:
                raise CommandError(f"unknown or inactive unit(s): {', '.join(missing)}")
        outcome = publish_week(units=units, day=day)
        self.stdout.write(
            f"week of {outcome.week:%Y-%m-%d}: {outcome.published} unit(s) published, "
            f"{outcome.skipped} already published"
        )

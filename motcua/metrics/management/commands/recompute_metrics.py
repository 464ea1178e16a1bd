"""`python manage.py recompute_metrics [--check]`: rebuild the maintained aggregates from raw dossiers,
or check them (SPEC §6.1: recomputing from raw dossiers gives exactly the maintained aggregate)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.catalog.models import Procedure
from motcua.metrics.aggregates import metrics_rebuild
from motcua.metrics.recompute import Difference, metrics_check
from motcua.organizations.models import Unit

SHOWN = 50


class Command(BaseCommand):
    help = (
        "Recompute the 766 / II.06a aggregates from the raw dossiers. With --check, change nothing: "
        "refresh, compare every stored figure with the recomputed one, list the differences and exit 1 if any."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="Compare instead of rebuilding.")

    def handle(self, *args: Any, **options: Any) -> None:
        say = self.stdout.write if options["verbosity"] > 1 else None
        if not options["check"]:
            report = metrics_rebuild(say=say)
            self.stdout.write(self.style.SUCCESS(f"Rebuilt the aggregates of {report.dossiers} accepted dossiers."))
            return
        differences = metrics_check(say=say)
        if not differences:
            self.stdout.write(
                self.style.SUCCESS("The maintained aggregates equal the recomputation from raw dossiers.")
            )
            return
        for line in describe(differences[:SHOWN]):
            self.stdout.write(line)
        if len(differences) > SHOWN:
            self.stdout.write(f"… and {len(differences) - SHOWN} more.")
        raise CommandError(f"{len(differences)} stored figures differ from the raw dossiers.")


def describe(differences: list[Difference]) -> list[str]:
    units = dict(Unit.objects.filter(pk__in={d.unit_id for d in differences}).values_list("pk", "code"))
    procedures = dict(Procedure.objects.filter(pk__in={d.procedure_id for d in differences}).values_list("pk", "code"))
    return [
        f"{d.table} {units.get(d.unit_id, d.unit_id)} {procedures.get(d.procedure_id, d.procedure_id)} "
        f"[{d.field_code or '-'}] {d.period} {d.column}: stored {d.stored}, recomputed {d.expected}"
        for d in differences
    ]

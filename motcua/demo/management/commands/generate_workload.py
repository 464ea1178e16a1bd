"""`generate_workload --dossiers N --seed S`: a generated year of dossiers of the demo province (issue 6)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.demo.workload import BATCH, METRICS_MODES, workload_generate


class Command(BaseCommand):
    help = (
        "Generate N dossiers of one past year for the demo province (created when absent), with their events, "
        "components, fees, supplements, apologies, documents and sync messages, with the metrics facts and "
        "aggregates computed as they are written (--metrics rebuild: rebuilt from the rows afterwards)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dossiers", type=int, required=True, metavar="N", help="how many dossiers")
        parser.add_argument("--seed", type=int, default=766, metavar="S", help="random seed (default 766)")
        parser.add_argument("--year", type=int, default=None, help="the year generated (default: last year)")
        parser.add_argument("--batch", type=int, default=BATCH, help=f"dossiers per transaction (default {BATCH})")
        parser.add_argument(
            "--metrics",
            choices=METRICS_MODES,
            default="inline",
            help="inline: facts and aggregates computed while writing (default); rebuild: metrics_rebuild after; "
            "none: left to a later rebuild",
        )
        parser.add_argument("--no-rebuild", action="store_true", help="same as --metrics none")
        parser.add_argument(
            "--workers",
            type=int,
            default=0,
            help="processes living and writing chunks at once on PostgreSQL (default 0: this one)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dossiers"] < 0 or options["batch"] < 1 or options["workers"] < 0:
            raise CommandError("--dossiers must be ≥ 0, --batch ≥ 1 and --workers ≥ 0")
        try:
            summary = workload_generate(
                dossiers=options["dossiers"],
                seed=options["seed"],
                year=options["year"],
                batch=options["batch"],
                metrics="none" if options["no_rebuild"] else options["metrics"],
                workers=options["workers"],
                say=self.stdout.write,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(str(summary)))

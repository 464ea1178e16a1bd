"""`manage.py import_dossiers FILE`: load dossier history from JSON lines of DongBoHoSoMC records."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from motcua.core.errors import DomainError
from motcua.dossiers.services.history import history_import_file

STAGES = {"check": "checking", "write": "writing"}


class Command(BaseCommand):
    help = (
        "Import dossier history from a JSON-lines file (one DongBoHoSoMC record per line): "
        "all or nothing, idempotent by MaHoSo."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        bars: dict[str, tqdm[Any]] = {}

        def progress(stage: str, done: int, total: int) -> None:
            # tqdm writes to stderr, so a piped summary on stdout stays clean.
            bar = bars.get(stage)
            if bar is None:
                bar = bars[stage] = tqdm(
                    total=total, unit="dossier", desc=STAGES.get(stage, stage), disable=options["verbosity"] == 0
                )
            bar.update(done - bar.n)

        try:
            summary = history_import_file(path=options["file"], progress=progress)
        except (DomainError, OSError, UnicodeDecodeError) as exc:
            raise CommandError(str(exc)) from exc
        finally:
            for bar in bars.values():
                bar.close()
        self.stdout.write(str(summary))

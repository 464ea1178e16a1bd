"""`manage.py import_procedures FILE [--format json|xlsx]`: load LayThuTuc records into the catalog."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from motcua.catalog.files import FORMATS, records_read
from motcua.catalog.services import procedure_import
from motcua.core.errors import DomainError


class Command(BaseCommand):
    help = "Import procedures from a LayThuTuc JSON file or an xlsx workbook; all or nothing, idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--format", choices=FORMATS, help="default: from the file extension")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            records = records_read(options["file"], fmt=options["format"])
            # tqdm writes to stderr, so a piped summary on stdout stays clean.
            with tqdm(total=len(records), unit="procedure", disable=options["verbosity"] == 0) as bar:
                summary = procedure_import(records=records, progress=lambda done, total: bar.update(1))
        except (DomainError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(summary))

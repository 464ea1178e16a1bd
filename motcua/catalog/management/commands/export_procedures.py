"""`manage.py export_procedures FILE [--format json|xlsx]`: write the current catalog as LayThuTuc records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.catalog.files import FORMATS, format_guess, json_write, xlsx_write
from motcua.catalog.selectors import procedure_records
from motcua.core.errors import DomainError


class Command(BaseCommand):
    help = "Export the current version of every procedure as LayThuTuc JSON or an xlsx workbook."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--format", choices=FORMATS, help="default: from the file extension")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            fmt = format_guess(path, options["format"])
            records = procedure_records()
            if fmt == "xlsx":
                xlsx_write(records, path)
            else:
                with path.open("w", encoding="utf-8") as stream:
                    json_write(records, stream)
        except (DomainError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"exported: {len(records)} procedures to {path}")

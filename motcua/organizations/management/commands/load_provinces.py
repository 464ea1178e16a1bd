"""`manage.py load_provinces [file]`: (re)load the province table after the data file was corrected."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.organizations.provinces import PROVINCES_FILE, read_province_table
from motcua.organizations.services import province_upsert


class Command(BaseCommand):
    help = "Create or update provinces from a JSON file (default: the bundled data/provinces.json)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, default=PROVINCES_FILE)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        rows = read_province_table(file)
        for row in rows:
            province_upsert(code=row.code, name=row.name, is_demo=row.is_demo)
        self.stdout.write(f"{len(rows)} provinces loaded from {file}")

"""The province table as data: `data/provinces.json` read and checked. Pure: no models, no HTTP.

Both the data migration and the `load_provinces` command write these rows, so the table can be
corrected by editing the file and re-running the command, without a new migration.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from motcua.organizations.codes import LEVEL1

PROVINCES_FILE: Final = Path(__file__).resolve().parent / "data" / "provinces.json"


@dataclass(frozen=True)
class ProvinceRow:
    """One province of the data file: its level-1 code, its name, and whether it is the demo one."""

    code: str
    name: str
    is_demo: bool = False


def read_province_table(path: Path = PROVINCES_FILE) -> list[ProvinceRow]:
    """The rows of the file, refusing a malformed code or a code listed twice."""
    document = json.loads(path.read_text(encoding="utf-8"))
    rows = [
        ProvinceRow(code=item["code"], name=item["name"], is_demo=bool(item.get("demo", False)))
        for item in document["provinces"]
    ]
    seen: set[str] = set()
    for row in rows:
        if not LEVEL1.fullmatch(row.code):
            raise ValueError(f"{path.name}: {row.code!r} is not a level-1 code (a letter A–Y and two digits)")
        if row.code in seen:
            raise ValueError(f"{path.name}: {row.code} is listed twice")
        seen.add(row.code)
    return rows

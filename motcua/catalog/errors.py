"""Why a catalog file was refused: problems named by record index and field path (counting from 0)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from motcua.core.errors import InvalidInput

_MAX_SHOWN_PROBLEMS = 20


@dataclass(frozen=True)
class Problem:
    """Why one value of one record was refused."""

    index: int
    path: str
    message: str
    code: str = ""

    def __str__(self) -> str:
        if self.code:
            return _("Record %(index)s (%(code)s), %(field)s: %(problem)s") % {
                "index": self.index,
                "code": self.code,
                "field": self.path,
                "problem": self.message,
            }
        return _("Record %(index)s, %(field)s: %(problem)s") % {
            "index": self.index,
            "field": self.path,
            "problem": self.message,
        }


class InvalidRecords(InvalidInput):
    """A file whose records break the shape; nothing of it was written. Indexes count from 0."""

    code = "invalid_records"

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        lines = [str(p) for p in self.problems[:_MAX_SHOWN_PROBLEMS]]
        hidden = len(self.problems) - len(lines)
        if hidden:
            lines.append(_("%(count)d more problems not shown.") % {"count": hidden})
        super().__init__("\n".join(lines), field=self.problems[0].path if self.problems else None)


class ImportFileError(InvalidInput):
    """A file or answer that cannot be read as procedure records at all (not JSON, no records, …)."""

    code = "invalid_file"

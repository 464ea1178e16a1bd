"""The TT 01/2018/TT-VPCP evaluation on the dashboards (Art. 13–15; SPEC §6.2): what the pages print."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Final

from django.utils.translation import gettext_lazy as _

from motcua.metrics.dashboard import tt01_applies
from motcua.metrics.formulas import window_days
from motcua.metrics.periods import Period, PeriodError, Window
from motcua.metrics.tt01 import OFFICER_INDICES, UNIT_DOSSIER_INDICES
from motcua.metrics.tt01_collect import OfficerTt01, tt01_unit_result, tt01_window
from motcua.organizations.models import Unit

# Art. 13, the indices' subjects (the Vietnamese catalog holds the wording of the Circular).
INDEX_TITLES: Final = {
    1: _("Total time to resolve the procedure, compared with the time allowed"),
    2: _("Time taken by each unit that took part, compared with its time allowed"),
    3: _("Times the applicant had to contact the receiving place to complete the dossier"),
    4: _("Agencies the applicant had to contact to complete the dossier"),
    5: _("Reception, resolution and return organised at the one-stop desk"),
    6: _("Publicity of the procedures"),
    7: _("Attitude of the officers who guided, received and resolved"),
    8: _("Feedback and recommendations received and explained"),
    9: _("Progress and quality of the online public services"),
}


def window_dates(window: Window) -> tuple[date, date]:
    """The first and last local days a window covers."""
    return window_days(window)


def tt01_section(*, unit: Unit, period: Period, now: datetime) -> dict[str, Any]:
    """The dashboard's TT 01/2018 context: `tt01` is None where the evaluation does not apply."""
    window = tt01_window(period, now=now) if tt01_applies(period) else None
    if window is None:
        return {"tt01_applies": tt01_applies(period), "tt01": None}
    result = tt01_unit_result(unit=unit, window=window)
    evaluation = result.evaluation
    rows = [
        {"number": i, "title": INDEX_TITLES[i], "score": score, "per_dossier": i in UNIT_DOSSIER_INDICES}
        for i, score in evaluation.indices.items()
    ]
    return {
        "tt01_applies": True,
        "tt01": {
            "rows": rows,
            "total": evaluation.total,
            "band": evaluation.band,
            "with_data": sum(1 for v in evaluation.indices.values() if v is not None),
            "dossiers": result.dossiers,
            "window": window_dates(window),
        },
    }


def officers_window(period: Period, *, now: datetime) -> Window:
    """The window of the officers' page; PeriodError (a 400) for a period the Circular does not cover."""
    window = tt01_window(period, now=now) if tt01_applies(period) else None
    if window is None:
        raise PeriodError(_("The TT 01/2018 evaluation covers periods up to 30/06/2025 only."))
    return window


def officer_row(row: OfficerTt01) -> dict[str, Any]:
    evaluation = row.evaluation
    return {
        "username": row.username,
        "name": row.name,
        "unit": row.unit,
        "dossiers": row.dossiers,
        "scores": [evaluation.indices[i] for i in OFFICER_INDICES],
        "total": evaluation.total,
        "band": evaluation.band,
    }


def officer_headers() -> list[tuple[int, Any]]:
    return [(i, INDEX_TITLES[i]) for i in OFFICER_INDICES]

"""The catalog side of the 766 index (1.1–1.3, 3.5, 3.5b, 4.5a): the procedures a unit's subtree offers.

Publications, the version in force, full content, fees and population data come from the catalog
(a province offers a few thousand procedures: read on each request). Whether a fee-charging
procedure had a dossier synced with its fee (3.5) or paid online (3.5b) comes from the dossiers
(the raw recomputation) or from the maintained aggregate columns (`from_aggregates`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta
from typing import Any, Final

from django.db.models import Exists, OuterRef

from motcua.catalog.models import Component, Fee, Offering, Procedure, ProcedureVersion
from motcua.integrations.models import OutboxKind, OutboxMessage
from motcua.metrics.dossier_scope import ONLINE_PAYMENT_METHODS, accepted_dossiers
from motcua.metrics.facts import Count as Figure
from motcua.metrics.facts import ProcedureCounts, ProcedureFacts, Publication
from motcua.metrics.formulas import (
    PROCEDURE_COUNTS,
    procedure_counts,
    window_days,
)
from motcua.metrics.periods import Window
from motcua.metrics.profile import IndexProfile
from motcua.metrics.selectors import procedures_with
from motcua.workcalendar.services import get_calendar

_VERSION_FIELDS: Final = (
    "pk",
    "procedure_id",
    "procedure__code",
    "number",
    "status",
    "decision_date",
    "effective_from",
    "effective_until",
    "publicized_on",
    "name",
    "steps",
    "channels",
    "subjects",
    "competent_bodies",
    "processing_time",
    "time_description",
    "immediate_result",
    "population_data",
)


def _in_force(row: dict[str, Any], first: Any, last: Any) -> bool:
    """A version not a draft nor abolished, started by the window's last day and not ended before its first."""
    if row["status"] in (ProcedureVersion.Status.DRAFT, ProcedureVersion.Status.ABOLISHED):
        return False
    started = row["effective_from"] is None or row["effective_from"] <= last
    return started and (row["effective_until"] is None or row["effective_until"] >= first)


def _full_content(row: dict[str, Any], has_components: bool) -> bool:
    """Decree 63/2010 Art. 8.2 as practice.md §3.3 1.3 lists it: name, steps, channels, components,
    time, subjects, competent body."""
    timed = row["processing_time"] is not None or bool(row["time_description"].strip()) or row["immediate_result"]
    return bool(
        row["name"].strip()
        and row["steps"].strip()
        and row["channels"]
        and has_components
        and timed
        and row["subjects"].strip()
        and row["competent_bodies"]
    )


def _dossier_procedures(unit_ids: list[int], window: Window, *, paid: bool, among: Iterable[int]) -> set[int]:
    """The procedures of `among` with a dossier of `unit_ids` accepted in `window` with a fee line above
    zero that was paid online (`paid`), or else synced to the national portal (as `_fees` and `synced_to_dvcqg`).

    Asked per procedure (EXISTS: the first such dossier answers), not by collecting the window's
    dossiers: a province-year holds hundreds of thousands of them and a catalog a few thousand procedures.
    """
    dossiers = accepted_dossiers().filter(
        procedure_id=OuterRef("pk"),
        handling_unit_id__in=unit_ids,
        accepted_at__gte=window.start,
        accepted_at__lt=window.end,
    )
    if paid:
        dossiers = dossiers.filter(
            fee_lines__amount__gt=0, fee_lines__paid_at__isnull=False, fee_lines__method__in=ONLINE_PAYMENT_METHODS
        )
    else:
        delivered = OutboxMessage.objects.filter(
            kind=OutboxKind.DVCQG_SYNC, reference=OuterRef("code"), delivered_at__isnull=False
        )
        dossiers = dossiers.filter(fee_lines__amount__gt=0).filter(Exists(delivered))
    candidates = Procedure.objects.filter(pk__in=list(among)).filter(Exists(dossiers.order_by().values("pk")))
    return set(candidates.values_list("pk", flat=True))


def procedure_facts(
    *, unit_ids: Iterable[int], window: Window, from_aggregates: bool = False
) -> tuple[ProcedureFacts, ...]:
    """The procedures offered (received or handled) in `unit_ids`, as the procedure metrics read them.

    Publications are the non-draft versions with a decision date; the version in force is the
    highest-numbered one in force in the window (`_in_force`). A handful of queries, whatever the
    size of the catalog or of the period. Which procedures had a dossier synced with its fee (3.5)
    or paid online (3.5b) comes from the dossiers themselves, or with `from_aggregates` from the
    maintained aggregate columns `fee_synced` and `paid_online` (the same dossiers counted on the
    day of acceptance, so the answer is the same; `recompute_metrics --check` guards the columns).
    """
    ids = sorted(set(unit_ids))
    first, last = window_days(window)
    procedure_ids = set(Offering.objects.filter(unit_id__in=ids).values_list("procedure_id", flat=True))
    versions: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in (
        ProcedureVersion.objects.filter(procedure_id__in=procedure_ids)
        .exclude(status=ProcedureVersion.Status.DRAFT)
        .order_by("procedure_id", "-number")
        .values(*_VERSION_FIELDS)
    ):
        versions[row["procedure_id"]].append(row)
    current = {pk: next((r for r in rows if _in_force(r, first, last)), None) for pk, rows in versions.items()}
    current_ids = [r["pk"] for r in current.values() if r is not None]
    with_components = set(Component.objects.filter(version_id__in=current_ids).values_list("version_id", flat=True))
    with_fee = set(Fee.objects.filter(version_id__in=current_ids, amount__gt=0).values_list("version_id", flat=True))
    # 3.5 and 3.5b count only procedures in force with a fee: only those need their dossiers looked at.
    with_fee_procedures = {pk for pk, row in current.items() if row is not None and row["pk"] in with_fee}
    if from_aggregates:
        end = last + timedelta(days=1)
        synced = procedures_with(unit_ids=ids, start=first, end=end, column="fee_synced", among=with_fee_procedures)
        paid = procedures_with(unit_ids=ids, start=first, end=end, column="paid_online", among=with_fee_procedures)
    else:
        synced = _dossier_procedures(ids, window, paid=False, among=with_fee_procedures)
        paid = _dossier_procedures(ids, window, paid=True, among=with_fee_procedures)
    out = []
    for pk in sorted(versions, key=lambda k: versions[k][0]["procedure__code"]):
        rows, row = versions[pk], current[pk]
        publications = tuple(
            Publication(r["decision_date"], r["effective_from"], r["publicized_on"])
            for r in reversed(rows)
            if r["decision_date"] is not None
        )
        out.append(
            ProcedureFacts(
                code=rows[0]["procedure__code"],
                publications=publications,
                in_force=row is not None,
                full_content=row is not None and _full_content(row, row["pk"] in with_components),
                has_fee=row is not None and row["pk"] in with_fee,
                fee_synced=pk in synced,
                paid_online=pk in paid,
                population_data=row is not None and row["population_data"],
            )
        )
    return tuple(out)


def catalog_counts(
    *, unit_ids: Iterable[int], window: Window, profile: IndexProfile, from_aggregates: bool = False
) -> ProcedureCounts:
    """Numerators and denominators of 1.1–1.3, 3.5, 3.5b and 4.5a (`formulas.procedure_counts`).

    Like feedback, the catalog has no maintained aggregate (a province offers a few thousand
    procedures): the maintained index and the raw recomputation both read it here. Only whether a
    procedure had a dossier synced with its fee (3.5) or paid online (3.5b) depends on dossiers:
    the maintained index (`from_aggregates`) reads that from the aggregate columns, the raw
    recomputation from the dossiers, and the tests hold the two equal.
    """
    return procedure_counts(
        procedure_facts(unit_ids=unit_ids, window=window, from_aggregates=from_aggregates),
        window=window,
        profile=profile,
        is_working_day=get_calendar().is_working_day,
    )


def catalog_count_map(
    *, unit_ids: Iterable[int], window: Window, profile: IndexProfile, from_aggregates: bool = False
) -> dict[str, Figure]:
    """`catalog_counts` keyed by metric code, for `formulas.index_from_counts`."""
    counts = catalog_counts(unit_ids=unit_ids, window=window, profile=profile, from_aggregates=from_aggregates)
    return {code: part(counts) for code, part in PROCEDURE_COUNTS.items()}

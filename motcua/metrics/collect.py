"""Facts of dossiers from the database: the `DossierFacts` the pure formulas read (SPEC §6, `facts.py`).

The rows are loaded in bulk into `DossierRecord`s; `dossier_timeline.py` turns a record into its
facts as of an instant. Flags are the dossier's **current** state (a dossier synced or paid after the period still
counts as synced or paid), both here and in the maintained aggregates, so both paths agree:
- `synced_to_dvcqg`: a `dvcqg_sync` outbox message about the dossier was delivered;
- `components_digitized`: it has components and each has a file, a vault document or the
  digitized flag; `result_digitized` / `e_result`: a result document (signed, for e_result) not
  revoked; `e_certified_copy`: a signed certified copy; `is_certification`: the procedure's field
  is chứng thực; `reused_from_vault_or_registry`: a component reused or taken from the vault;
- `has_fee`: a fee line above zero; `paid_online`: a paid fee line paid through the national
  portal or the province's payment gateway (methods `dvcqg`, `online`, as `dossiers.sync`);
- `has_result`: the procedure version lists a result type; `eligible_full_online`: its online
  level is full.
- `negative_rating`: a rating of the dossier is negative (`feedback.services.ratings`);
  `complaint`: a feedback about the dossier, unless rejected as out of scope. The feedback app
  marks the dossier dirty when either changes (`feedback.hooks`, registered in `apps.py`).
Not modelled yet, so False: `synced_to_personal_store` (no link to the citizen's DVCQG store),
`used_population_data`.

Feedback items (5.2, 5.3) have no maintained aggregate: a unit receives tens to hundreds a year, so
`feedback_counts` reads them (indexed on unit and receipt) for both the maintained and the raw path.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Final

from django.db.models import Count, Q

from motcua.catalog.models import OnlineLevel, ResultType
from motcua.core.clock import VIETNAM
from motcua.core.text import fold
from motcua.documents.models import Document, DocumentKind
from motcua.dossiers.models import DossierComponent, DossierEvent, FeeLine
from motcua.feedback.models import Feedback, FeedbackStatus, Rating
from motcua.integrations.models import OutboxKind, OutboxMessage
from motcua.metrics.catalog_facts import catalog_counts
from motcua.metrics.dossier_scope import ONLINE_PAYMENT_METHODS, accepted_dossiers
from motcua.metrics.dossier_timeline import (
    DossierRecord,
    EventRow,
    Flags,
    calendar_hours,
    facts_at,
    skipping,
    timeline,
)
from motcua.metrics.facts import Count as Figure
from motcua.metrics.facts import FeedbackFacts
from motcua.metrics.formulas import (
    Context,
    UnitPeriodFacts,
    feedback_count,
)
from motcua.metrics.periods import Window
from motcua.metrics.profile import IndexProfile, profile_766_for
from motcua.organizations.models import Unit
from motcua.organizations.selectors import unit_subtree
from motcua.workcalendar.services import get_calendar

CERTIFICATION_FIELD: Final = "chung thuc"  # folded field name of certified copies (chứng thực)
BATCH: Final = 2000


# --- loading from the database -----------------------------------------------------------------

_DOSSIER_FIELDS: Final = (
    "pk",
    "code",
    "handling_unit_id",
    "handling_unit__code",
    "procedure_id",
    "procedure_version_id",
    "procedure_version__field__code",
    "procedure_version__field__name_folded",
    "procedure_version__online_level",
    "channel",
    "status",
    "outcome",
    "submitted_at",
    "accepted_at",
    "finished_at",
    "due_at",
    "due_at_before_apology",
)


def records_for(ids: Sequence[int]) -> list[DossierRecord]:
    """The accepted dossiers among `ids`, with their events and current flags, in a few queries."""
    rows = list(accepted_dossiers().filter(pk__in=ids).values(*_DOSSIER_FIELDS))
    if not rows:
        return []
    found = [row["pk"] for row in rows]
    codes = [row["code"] for row in rows if row["code"]]
    events: dict[int, list[EventRow]] = defaultdict(list)
    for dossier_id, pk, action, at, data in (
        DossierEvent.objects.filter(dossier_id__in=found)
        .order_by("dossier_id", "sequence")
        .values_list("dossier_id", "pk", "action", "at", "data")
    ):
        events[dossier_id].append(EventRow(pk, action, at, data or {}))
    components = _components(found)
    fees = _fees(found)
    synced = set(
        OutboxMessage.objects.filter(kind=OutboxKind.DVCQG_SYNC, reference__in=codes, delivered_at__isnull=False)
        .values_list("reference", flat=True)
        .distinct()
    )
    documents = _documents(codes)
    opinions = _opinions(found)
    with_results = set(
        ResultType.objects.filter(version_id__in={row["procedure_version_id"] for row in rows})
        .values_list("version_id", flat=True)
        .distinct()
    )
    return [
        _record(
            row,
            events[row["pk"]],
            components.get(row["pk"]),
            fees.get(row["pk"]),
            synced,
            documents,
            with_results,
            opinions,
        )
        for row in rows
    ]


def _components(ids: Sequence[int]) -> dict[int, tuple[bool, bool]]:
    """dossier → (every component has a file, some component was reused)."""
    seen: dict[int, list[bool]] = {}
    for dossier_id, files, vault, reused, digitized in DossierComponent.objects.filter(dossier_id__in=ids).values_list(
        "dossier_id", "files", "vault_document", "reused", "digitized"
    ):
        flags = seen.setdefault(dossier_id, [True, False])
        flags[0] = flags[0] and bool(files or vault is not None or digitized)
        flags[1] = flags[1] or bool(reused or vault is not None)
    return {k: (v[0], v[1]) for k, v in seen.items()}


def _fees(ids: Sequence[int]) -> dict[int, tuple[bool, bool]]:
    """dossier → (a fee above zero is due, a fee was paid online)."""
    seen: dict[int, list[bool]] = {}
    for dossier_id, amount, paid_at, method in FeeLine.objects.filter(dossier_id__in=ids).values_list(
        "dossier_id", "amount", "paid_at", "method"
    ):
        flags = seen.setdefault(dossier_id, [False, False])
        due = amount is not None and amount > 0
        flags[0] = flags[0] or due
        flags[1] = flags[1] or (due and paid_at is not None and method in ONLINE_PAYMENT_METHODS)
    return {k: (v[0], v[1]) for k, v in seen.items()}


def _opinions(ids: Sequence[int]) -> tuple[set[int], set[int]]:
    """(dossiers with a negative rating, dossiers with a feedback not rejected as out of scope)."""
    negative = set(Rating.objects.filter(dossier_id__in=ids, negative=True).values_list("dossier_id", flat=True))
    complained = set(
        Feedback.objects.filter(dossier_id__in=ids)
        .exclude(status=FeedbackStatus.REJECTED)
        .values_list("dossier_id", flat=True)
    )
    return negative, complained


def _documents(codes: Sequence[str]) -> dict[str, set[str]]:
    """dossier code → {"result", "e_result", "e_certified_copy"} as its documents show."""
    found: dict[str, set[str]] = defaultdict(set)
    kinds = (DocumentKind.RESULT, DocumentKind.CERTIFIED_COPY)
    for code, kind, signed in Document.objects.filter(
        dossier_code__in=codes, kind__in=kinds, revoked=False
    ).values_list("dossier_code", "kind", "signed"):
        marks = found[code or ""]
        if kind == DocumentKind.RESULT:
            marks.add("result")
            if signed:
                marks.add("e_result")
        elif signed:
            marks.add("e_certified_copy")
    return found


def _record(
    row: dict[str, Any],
    events: list[EventRow],
    components: tuple[bool, bool] | None,
    fees: tuple[bool, bool] | None,
    synced: set[str],
    documents: dict[str, set[str]],
    with_results: set[int],
    opinions: tuple[set[int], set[int]] = (set(), set()),
) -> DossierRecord:
    code = row["code"] or ""
    docs = documents.get(code, set())
    all_filed, reused = components or (False, False)
    flags = Flags(
        eligible_full_online=row["procedure_version__online_level"] == OnlineLevel.FULL,
        has_result=row["procedure_version_id"] in with_results,
        e_result="e_result" in docs,
        components_digitized=components is not None and all_filed,
        result_digitized="result" in docs,
        reused=reused,
        has_fee=bool(fees and fees[0]),
        paid_online=bool(fees and fees[1]),
        synced_to_dvcqg=code in synced,
        is_certification=CERTIFICATION_FIELD in fold(row["procedure_version__field__name_folded"] or ""),
        e_certified_copy="e_certified_copy" in docs,
        negative_rating=row["pk"] in opinions[0],
        complaint=row["pk"] in opinions[1],
    )
    return DossierRecord(
        pk=row["pk"],
        code=code,
        unit_id=row["handling_unit_id"],
        unit_code=row["handling_unit__code"],
        procedure_id=row["procedure_id"],
        field_code=row["procedure_version__field__code"] or "",
        channel=row["channel"],
        status=row["status"],
        outcome=row["outcome"],
        submitted_at=row["submitted_at"],
        accepted_at=row["accepted_at"],
        finished_at=row["finished_at"],
        due_at=row["due_at"],
        due_at_before_apology=row["due_at_before_apology"],
        events=tuple(events),
        flags=flags,
    )


def records_in_batches(ids: Iterable[int], *, size: int = BATCH) -> Iterator[list[DossierRecord]]:
    """`records_for` over many ids, a batch at a time."""
    batch: list[int] = []
    for pk in ids:
        batch.append(pk)
        if len(batch) >= size:
            yield records_for(batch)
            batch = []
    if batch:
        yield records_for(batch)


# --- a unit's period, straight from the dossiers ----------------------------------------------


def window_dossier_ids(*, unit_ids: Iterable[int], window: Window) -> list[int]:
    """Dossiers of `unit_ids` the window can count: accepted before its end, not finished before its start."""
    return list(
        accepted_dossiers()
        .filter(handling_unit_id__in=sorted(set(unit_ids)), accepted_at__lt=window.end)
        .filter(Q(finished_at__isnull=True) | Q(finished_at__gte=window.start))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def unit_period_facts(*, unit: Unit, period_window: Window) -> UnitPeriodFacts:
    """The facts of the 766 index of `unit` (and its subtree) over `period_window`, from raw dossiers.

    Every dossier of the subtree (as handling unit) received in the window or carried into it,
    or finished in it, as of the window end, and the feedback addressed to the subtree received in
    the window, and the procedures the subtree offers (`catalog_counts`).
    """
    calendar = get_calendar()
    unit_ids = unit_subtree(unit)
    ids = window_dossier_ids(unit_ids=unit_ids, window=period_window)
    dossiers = []
    for batch in records_in_batches(ids):
        for record in batch:
            with skipping(record):
                dossiers.append(facts_at(record, timeline(record, calendar=calendar), period_window.end))
    profile = profile_766_for(period_window.start.astimezone(VIETNAM).date())
    return UnitPeriodFacts(
        dossiers=tuple(dossiers),
        procedures=catalog_counts(unit_ids=unit_ids, window=period_window, profile=profile),
        feedback=feedback_facts(unit_ids=unit_ids, window=period_window),
    )


# --- feedback (5.2, 5.3) -----------------------------------------------------------------------


def feedback_facts(*, unit_ids: Iterable[int], window: Window) -> tuple[FeedbackFacts, ...]:
    """The feedback now addressed to `unit_ids` and received in `window`, as the formulas read it.

    A feedback that another feedback follows up (`follows`) was complained about again (5.3).
    Times after the window end are left to the formulas (they measure open steps at the end).
    """
    return tuple(item for _unit, item in _feedback_rows(unit_ids, window))


def feedback_by_unit(*, unit_ids: Iterable[int], window: Window) -> dict[int, list[FeedbackFacts]]:
    """`feedback_facts` of many units in one query, keyed by the unit the feedback is addressed to."""
    found: dict[int, list[FeedbackFacts]] = {}
    for unit_id, item in _feedback_rows(unit_ids, window):
        found.setdefault(unit_id, []).append(item)
    return found


def _feedback_rows(unit_ids: Iterable[int], window: Window) -> Iterator[tuple[int, FeedbackFacts]]:
    rows = (
        Feedback.objects.filter(
            target_unit_id__in=sorted(set(unit_ids)), received_at__gte=window.start, received_at__lt=window.end
        )
        .annotate(
            likes=Count("votes", filter=Q(votes__satisfied=True), distinct=True),
            dislikes=Count("votes", filter=Q(votes__satisfied=False), distinct=True),
            again=Count("followers", distinct=True),
        )
        .values_list(
            "target_unit_id",
            "received_at",
            "rejected_at",
            "info_requested_at",
            "answered_at",
            "published_at",
            "likes",
            "dislikes",
            "again",
        )
        .order_by("pk")
    )
    for unit_id, received, rejected, asked, answered, published, likes, dislikes, again in rows:
        yield (
            unit_id,
            FeedbackFacts(
                received_at=received,
                rejected_at=rejected,
                info_requested_at=asked,
                answered_at=answered,
                published_at=published,
                likes=likes,
                dislikes=dislikes,
                re_complained=again > 0,
            ),
        )


def feedback_counts(*, unit_ids: Iterable[int], window: Window, profile: IndexProfile) -> dict[str, Figure]:
    """Numerator and denominator of 5.2 and 5.3 (`formulas.feedback_count`) for the maintained index."""
    items = feedback_facts(unit_ids=unit_ids, window=window)
    ctx = Context(window, calendar_hours(), profile)
    return {code: feedback_count(code, items, ctx) for code in ("5.2", "5.3")}

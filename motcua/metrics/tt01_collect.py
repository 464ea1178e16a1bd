"""The TT 01/2018/TT-VPCP evaluation from the database (Art. 13–15; SPEC §6.2): facts for `tt01.py`.

Which dossiers: those the unit's subtree took part in (handling unit, receiving unit, or a workflow
step held there), accepted before the window end and not finished before its start. The dossier
indices score those finished in the window (`tt01.evaluate_unit`, `evaluate_officer`); the online
share of index 9 looks at those accepted in it. Everything is a snapshot as of the window end, read
in a few queries per batch of dossiers (`collect.records_for` and four more), never one per dossier.

Per dossier (Art. 13.1–13.4, 13.6, 13.7), where the text leaves a choice:
- Steps (index 2): the dossier's workflow steps (`DossierStep`) that have a time of their own. The
  counter's on-the-spot reception (0 hours allotted) has no deadline to be measured against and is
  left out. The officer is the staff account that finished the step, else its assignee. A step
  finished after the window end is unfinished then. Steps held anywhere in the subtree carry the
  subtree root's code, so a unit's index 2 covers its whole subtree, like its other indices.
- Officers: the staff accounts that acted on the dossier before the window end (they received,
  handled or returned it: its events' actors). Applicants and integration accounts are not officers.
- Contacts to complete (index 3): the supplement requests made by the window end, at reception or
  during appraisal. Each one sends the applicant back to the one-stop desk to complete the dossier.
  Whether a request was the applicant's fault is not recorded, so none is set aside.
- Agencies contacted (index 4): in this system the applicant deals with the one-stop desk only
  (consultations run between agencies; field checks and appraisal councils are not modelled). So:
  the desk when there was a contact to complete, and never another agency.
- Publicity (index 6): posted = the dossier's version is published in the catalog, which the
  desk's list is printed from (physical posting is not recorded). Electronic = the version was
  made public on the national database and the portal (`publicized_on`) by the day of acceptance.
- Complaint (index 7): a feedback about the dossier, filed as about a dossier or about an officer,
  received by the window end and not rejected. The feedback model records no verification outcome:
  a complaint found untrue or slanderous is to be closed as rejected, which takes it out. The model
  does not name the officer complained of, so the complaint counts against every officer of the dossier.

Per unit (Art. 13.5, 13.6, 13.8, 13.9), over the procedures the subtree offers (`Offering`) with a
version in force in the window:
- 5: decided at the one-stop desk = offerings the subtree receives that the same unit also handles
  (received, appraised and decided within the unit) / offerings it receives. Received at the desk =
  procedures some unit receives at its desk / procedures offered. The exemptions of Decree 61 Art.
  14.5 are not recorded, so every procedure counts. The unit's level (the Art. 13.5.a share) comes
  from its kind (commune, district; a G… code is a ministry; anything else is province level).
- 6: posted as above (every procedure in force is published). Electronic if every one was made
  public by the window's last day.
- 8: the feedback addressed to the subtree and received in the window. On time per SPEC §4.6 (every
  step within its deadline, open steps measured at the window end). Prolonged = another feedback
  followed it up (the matter came back).
- 9: procedures online at level 3/4 (online level partial or full) / procedures offered (which ones
  are "eligible" is not recorded: all count); online dossiers / dossiers accepted in the window;
  unresolved or late = an online dossier finished late in the window, or overdue at its end.

No datum above is missing from the system. An index without data is left out (Art. 15.4.b) exactly
where the pure module says so: index 2 of a dossier without a timed step (imported history has no
steps), 5 and 9 of a subtree that offers no procedure in force or received no dossier.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Final

from django.db.models import Q

from motcua.accounts.roles import AccountKind
from motcua.catalog.models import Offering, OnlineLevel, ProcedureVersion
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import DossierEvent, DossierStep
from motcua.feedback.models import Category, Feedback, FeedbackStatus
from motcua.metrics.collect import accepted_dossiers, feedback_facts, records_in_batches
from motcua.metrics.dossier_timeline import DossierRecord, calendar_hours, day_start, facts_at, local_day, skipping
from motcua.metrics.dossier_timeline import timeline as build_timeline
from motcua.metrics.facts import Channel, Count, DossierFacts
from motcua.metrics.formulas import window_days
from motcua.metrics.periods import Period, Window
from motcua.metrics.profile import TT01_PROFILES, FeedbackDeadlines, Tt01Profile, UnitLevel, tt01_profile_for
from motcua.metrics.timeliness import (
    Timeliness,
    WorkingHoursBetween,
    classify,
    feedback_on_time,
    finished_by,
    finished_in,
    received_in,
)
from motcua.metrics.tt01 import Evaluation, StepTiming, Tt01DossierFacts, Tt01UnitFacts, evaluate_officer, evaluate_unit
from motcua.organizations.codes import UnitCodeError, parse_unit_code
from motcua.organizations.models import Membership, Unit, UnitKind
from motcua.organizations.selectors import unit_subtree
from motcua.workcalendar.services import get_calendar

ONLINE_LEVELS: Final = frozenset({OnlineLevel.FULL, OnlineLevel.PARTIAL})  # level 3 and 4 (Art. 13.9)
COMPLAINT_CATEGORIES: Final = (Category.DOSSIER, Category.OFFICER_UNIT)
_KIND_LEVELS: Final[dict[str, UnitLevel]] = {UnitKind.COMMUNE: UnitLevel.COMMUNE, UnitKind.DISTRICT: UnitLevel.DISTRICT}


def tt01_window(period: Period, *, now: datetime) -> Window | None:
    """The part of `period` (cut at `now`) that a TT 01/2018 profile covers; None if no profile does.

    The year 2025 is evaluated up to 30/06/2025: Decree 118/2025 replaces the evaluation from 01/07.
    """
    window = period.window(now=now)
    for profile in TT01_PROFILES:
        start = max(window.start, day_start(profile.effective_from))
        end = window.end
        if profile.effective_to is not None:
            end = min(end, day_start(profile.effective_to + timedelta(days=1)))
        if start < end:
            return Window(start, end)
    return None


def unit_level(unit: Unit) -> UnitLevel:
    """The level of a unit's one-stop desk, which sets its index-5 share (Art. 13.5.a)."""
    if unit.kind in _KIND_LEVELS:
        return _KIND_LEVELS[unit.kind]
    try:
        ministry = parse_unit_code(unit.code).level1.startswith("G")
    except UnitCodeError:
        ministry = False
    return UnitLevel.MINISTRY if ministry else UnitLevel.PROVINCE


# --- dossiers -------------------------------------------------------------------------------------


def population_ids(*, unit_ids: Iterable[int], window: Window) -> list[int]:
    """The dossiers the units took part in that the window can count (module docstring)."""
    ids = sorted(set(unit_ids))
    held = DossierStep.objects.filter(unit_id__in=ids, started_at__lt=window.end).values("dossier_id")
    return list(
        accepted_dossiers()
        .filter(accepted_at__lt=window.end)
        .filter(Q(finished_at__isnull=True) | Q(finished_at__gte=window.start))
        .filter(Q(handling_unit_id__in=ids) | Q(receiving_unit_id__in=ids) | Q(pk__in=held))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@dataclass
class _Extras:
    """What a batch of dossiers needs beyond `collect.records_for`."""

    steps: dict[int, list[StepTiming]] = field(default_factory=lambda: defaultdict(list))
    officers: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    publicized: dict[int, tuple[bool, date | None]] = field(default_factory=dict)
    complaints: set[int] = field(default_factory=set)


def _steps(extras: _Extras, pks: list[int], *, subtree: set[int], root_code: str, window: Window) -> None:
    rows = (
        DossierStep.objects.filter(dossier_id__in=pks, started_at__lt=window.end, allotted_hours__gt=0)
        .exclude(due_at__isnull=True)
        .order_by("dossier_id", "started_at", "pk")
        .values_list(
            "dossier_id",
            "unit_id",
            "unit__code",
            "due_at",
            "finished_at",
            "finished_by__username",
            "finished_by__kind",
            "assignee__username",
        )
    )
    for dossier_id, unit_id, unit_code, due, finished, finisher, finisher_kind, assignee in rows:
        if due is None:  # excluded by the query; for the type checker
            continue
        officer = finisher if finisher and finisher_kind == AccountKind.STAFF else assignee or ""
        extras.steps[dossier_id].append(
            StepTiming(
                unit_code=root_code if unit_id in subtree else unit_code,
                officer=officer,
                due_at=due,
                finished_at=finished if finished is not None and finished < window.end else None,
            )
        )


def _extras(pks: list[int], *, subtree: set[int], root_code: str, window: Window) -> _Extras:
    """Steps, officers, publicity and complaints of a batch: four queries."""
    extras = _Extras()
    _steps(extras, pks, subtree=subtree, root_code=root_code, window=window)
    actors = (
        DossierEvent.objects.filter(dossier_id__in=pks, at__lt=window.end, actor__kind=AccountKind.STAFF)
        .order_by()
        .values_list("dossier_id", "actor__username")
        .distinct()
    )
    for dossier_id, username in actors:
        extras.officers[dossier_id].add(username)
    for pk, status, publicized in (
        accepted_dossiers()
        .filter(pk__in=pks)
        .values_list("pk", "procedure_version__status", "procedure_version__publicized_on")
    ):
        extras.publicized[pk] = (status != ProcedureVersion.Status.DRAFT, publicized)
    extras.complaints = set(
        Feedback.objects.filter(dossier_id__in=pks, category__in=COMPLAINT_CATEGORIES, received_at__lt=window.end)
        .exclude(status=FeedbackStatus.REJECTED)
        .values_list("dossier_id", flat=True)
    )
    return extras


def _dossier(record: DossierRecord, facts: DossierFacts, extras: _Extras, window: Window) -> Tt01DossierFacts:
    contacts = sum(1 for e in record.events if e.action == Action.REQUEST_SUPPLEMENT and e.at < window.end)
    posted, publicized = extras.publicized.get(record.pk, (False, None))
    return Tt01DossierFacts(
        dossier=facts,
        officers=tuple(sorted(extras.officers.get(record.pk, ()))),
        steps=tuple(extras.steps.get(record.pk, ())),
        contacts_to_complete=contacts,
        one_stop_contacted=contacts > 0,
        other_agencies_contacted=0,
        published_posted=posted,
        published_electronic=publicized is not None and publicized <= local_day(record.accepted_at),
        verified_complaint=record.pk in extras.complaints,
    )


def _dossier_facts(unit: Unit, subtree: set[int], window: Window) -> list[Tt01DossierFacts]:
    calendar = get_calendar()
    out = []
    for records in records_in_batches(population_ids(unit_ids=subtree, window=window)):
        extras = _extras([r.pk for r in records], subtree=subtree, root_code=unit.code, window=window)
        for record in records:
            with skipping(record):
                facts = facts_at(record, build_timeline(record, calendar=calendar), window.end)
                out.append(_dossier(record, facts, extras, window))
    return out


def tt01_dossier_facts(*, unit: Unit, window: Window) -> tuple[Tt01DossierFacts, ...]:
    """The `Tt01DossierFacts` of the dossiers `unit` and its subtree took part in, as of the window end."""
    return tuple(_dossier_facts(unit, unit_subtree(unit), window))


# --- the unit ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Catalog:
    decided: Count
    received: Count
    publicized: bool
    online: Count


def _in_force(row: Mapping[str, Any], first: date, last: date) -> bool:
    started = row["effective_from"] is None or row["effective_from"] <= last
    return started and (row["effective_until"] is None or row["effective_until"] >= first)


def _catalog(subtree: set[int], window: Window) -> _Catalog:
    """Indices 5, 6 and 9 as the catalog tells them (module docstring): three queries."""
    first, last = window_days(window)
    offerings = list(
        Offering.objects.filter(unit_id__in=sorted(subtree)).values_list("procedure_id", "receives", "handles")
    )
    current: dict[int, Mapping[str, Any]] = {}
    for row in (
        ProcedureVersion.objects.filter(procedure_id__in={p for p, _r, _h in offerings})
        .exclude(status__in=(ProcedureVersion.Status.DRAFT, ProcedureVersion.Status.ABOLISHED))
        .order_by("procedure_id", "-number")
        .values("procedure_id", "effective_from", "effective_until", "publicized_on", "online_level")
    ):
        if row["procedure_id"] not in current and _in_force(row, first, last):
            current[row["procedure_id"]] = row
    listed = [handles for p, receives, handles in offerings if receives and p in current]
    at_a_desk = set(
        Offering.objects.filter(procedure_id__in=list(current), receives=True).values_list("procedure_id", flat=True)
    )
    return _Catalog(
        decided=Count(sum(listed), len(listed)),
        received=Count(len(at_a_desk), len(current)),
        publicized=all(r["publicized_on"] is not None and r["publicized_on"] <= last for r in current.values()),
        online=Count(sum(r["online_level"] in ONLINE_LEVELS for r in current.values()), len(current)),
    )


def _online_late(
    dossiers: Sequence[Tt01DossierFacts], window: Window, hours: WorkingHoursBetween, margin: Decimal
) -> bool:
    """An online dossier finished late in the window, or overdue at its end (Art. 13.9)."""
    for item in dossiers:
        d = item.dossier
        if d.channel is not Channel.ONLINE or not (finished_in(d, window) or not finished_by(d, window.end)):
            continue
        if classify(d, at=window.end, working_hours_between=hours, early_margin_hours=margin) in (
            Timeliness.LATE,
            Timeliness.OVERDUE,
        ):
            return True
    return False


def _unit_facts(
    unit: Unit, subtree: set[int], window: Window, dossiers: Sequence[Tt01DossierFacts], profile: Tt01Profile
) -> Tt01UnitFacts:
    catalog = _catalog(subtree, window)
    hours = calendar_hours()
    feedback = feedback_facts(unit_ids=subtree, window=window)
    deadlines = FeedbackDeadlines()  # SPEC §4.6
    on_time = sum(
        feedback_on_time(f, at=window.end, working_hours_between=hours, deadlines=deadlines) for f in feedback
    )
    received = [f.dossier for f in dossiers if received_in(f.dossier, window)]
    return Tt01UnitFacts(
        unit_code=unit.code,
        level=unit_level(unit),
        decided_at_one_stop=catalog.decided,
        received_at_one_stop=catalog.received,
        published_posted=True,
        published_electronic=catalog.publicized,
        feedback_on_time=Count(on_time, len(feedback)),
        prolonged_feedback=any(f.re_complained for f in feedback),
        online_services=catalog.online,
        online_dossiers=Count(sum(d.channel is Channel.ONLINE for d in received), len(received)),
        online_unresolved_or_late=_online_late(dossiers, window, hours, profile.early_margin_hours),
    )


def tt01_unit_facts(*, unit: Unit, window: Window, dossiers: Sequence[Tt01DossierFacts]) -> Tt01UnitFacts:
    """The per-unit facts (indices 5, 6, 8, 9) of `unit` and its subtree over `window`."""
    profile = tt01_profile_for(local_day(window.start))
    return _unit_facts(unit, unit_subtree(unit), window, dossiers, profile)


# --- evaluations --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitTt01:
    """A unit's nine-index evaluation over a window, and how many dossiers it scored."""

    window: Window
    evaluation: Evaluation
    dossiers: int  # finished in the window: the population of indices 1–4 and 7


@dataclass(frozen=True)
class OfficerTt01:
    """An officer's five-index evaluation (Art. 15.1.a) over the dossiers he took part in."""

    username: str
    name: str
    unit: str
    dossiers: int
    evaluation: Evaluation


def tt01_unit_result(*, unit: Unit, window: Window) -> UnitTt01:
    """`tt01.evaluate_unit` of `unit` and its subtree over `window` (`tt01_window`)."""
    profile = tt01_profile_for(local_day(window.start))
    subtree = unit_subtree(unit)
    dossiers = _dossier_facts(unit, subtree, window)
    facts = _unit_facts(unit, subtree, window, dossiers, profile)
    evaluation = evaluate_unit(dossiers, facts, window=window, working_hours_between=calendar_hours(), profile=profile)
    return UnitTt01(window, evaluation, sum(1 for f in dossiers if finished_in(f.dossier, window)))


def _members(subtree: set[int], usernames: set[str], window: Window) -> dict[str, tuple[str, str]]:
    """username → (full name, unit name) of the officers with a membership in the subtree during the window."""
    first, last = window_days(window)
    rows = (
        Membership.objects.filter(unit_id__in=sorted(subtree), user__username__in=sorted(usernames))
        .filter(user__kind=AccountKind.STAFF)
        .filter(Q(active_from__isnull=True) | Q(active_from__lte=last))
        .filter(Q(active_until__isnull=True) | Q(active_until__gte=first))
        .order_by("unit__code", "pk")
        .values_list("user__username", "user__full_name", "unit__name")
    )
    found: dict[str, tuple[str, str]] = {}
    for username, full_name, unit_name in rows:
        found.setdefault(username, (full_name or username, unit_name))
    return found


def tt01_officer_results(*, unit: Unit, window: Window) -> list[OfficerTt01]:
    """`tt01.evaluate_officer` for each officer of the subtree who took part in a dossier finished in
    the window (an officer of another unit on the same dossiers is not listed), sorted by name."""
    profile = tt01_profile_for(local_day(window.start))
    subtree = unit_subtree(unit)
    mine: dict[str, list[Tt01DossierFacts]] = defaultdict(list)
    for item in _dossier_facts(unit, subtree, window):
        if finished_in(item.dossier, window):
            for username in set(item.officers) | {s.officer for s in item.steps if s.officer}:
                mine[username].append(item)
    people = _members(subtree, set(mine), window)
    hours = calendar_hours()
    rows = [
        OfficerTt01(
            username,
            name,
            unit_name,
            len(mine[username]),
            evaluate_officer(mine[username], username, window=window, working_hours_between=hours, profile=profile),
        )
        for username, (name, unit_name) in people.items()
    ]
    return sorted(rows, key=lambda r: (r.name.casefold(), r.username))

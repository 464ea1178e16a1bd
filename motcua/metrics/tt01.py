"""The TT 01/2018/TT-VPCP evaluation (Art. 13–15; SPEC §6.2): nine indices scored 2 / 1 / 0.

Per dossier (Art. 14.1): 1 total time, 2 each unit's time, 3 contacts to complete, 4 agencies
contacted, 6 publicity, 7 staff conduct. Per unit (Art. 14.2): 5 one-stop organisation, 6
publicity, 8 feedback handling, 9 online services. An index's unit score is the mean of its
dossier scores to 1 decimal (Art. 15.2.a); a total is the sum of the index scores, an index without
data being left out (Art. 15.4.b); unit totals and officer totals are classified by the profile's
bands (Art. 15.3).

Choices where the text leaves one:
- "Shorter / equal / longer than the time allowed" (indices 1, 2) and "earlier / on time" (7) use
  SPEC §4.4: early = finished at least one working day before the due time (before any apology).
- Index 7 for a late dossier without a complaint: 0 (it meets neither the 2- nor the 1-point text).
- Index 9 with an online share ≥ 30 % but fewer than 20 % of eligible procedures online: 1 (the
  1-point text reads "15 % to under 30 %", but a better share must not score worse).
- Index 5: 2 points on the decided-at-one-stop share alone, as written (Art. 13.5.a).
- A dossier is scored once finished inside the window; the unit's index 2 looks at the steps the
  unit held, the officer's at the steps the officer held; a dossier where they held none has no
  index-2 score.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Final

from motcua.core.clock import VIETNAM
from motcua.metrics.facts import NO_COUNT, Count, DossierFacts
from motcua.metrics.periods import Window
from motcua.metrics.profile import Band, Tt01Profile, UnitLevel, band_for, round_half_up, tt01_profile_for
from motcua.metrics.timeliness import Timeliness, WorkingHoursBetween, classify, classify_finish, finished_in

DOSSIER_INDICES: Final = (1, 2, 3, 4, 6, 7)
OFFICER_INDICES: Final = (1, 2, 3, 4, 7)  # Art. 15.1.a
UNIT_DOSSIER_INDICES: Final = (1, 2, 3, 4, 7)  # Art. 15.1.b, aggregated from dossiers
UNIT_INDICES: Final = (5, 6, 8, 9)  # Art. 15.1.b, scored on the unit

_POINTS: Final = {Timeliness.EARLY: 2, Timeliness.ON_TIME: 1, Timeliness.LATE: 0}


@dataclass(frozen=True)
class StepTiming:
    """One workflow step: the unit and officer who held it, its due time and finish (index 2)."""

    unit_code: str
    officer: str
    due_at: datetime
    finished_at: datetime | None = None


@dataclass(frozen=True)
class Tt01DossierFacts:
    """What the per-dossier indices need beyond the dossier itself (Art. 13.1–13.4, 13.6, 13.7)."""

    dossier: DossierFacts
    officers: tuple[str, ...] = ()  # who received, handled or returned it
    steps: tuple[StepTiming, ...] = ()
    # Contacts with the receiving place to complete the dossier, those due to the applicant's fault aside.
    contacts_to_complete: int = 0
    one_stop_contacted: bool = False
    # Other agencies contacted, those the law puts in charge of field checks or councils aside.
    other_agencies_contacted: int = 0
    published_posted: bool = True
    published_electronic: bool = True
    verified_complaint: bool = False  # about staff conduct, not found untrue or slanderous


@dataclass(frozen=True)
class Tt01UnitFacts:
    """What the per-unit indices need (Art. 13.5, 13.6, 13.8, 13.9)."""

    unit_code: str
    level: UnitLevel
    decided_at_one_stop: Count = NO_COUNT  # listed procedures the One-Stop Unit itself decides
    received_at_one_stop: Count = NO_COUNT  # non-exempt procedures received and returned there
    published_posted: bool = True
    published_electronic: bool = True
    feedback_on_time: Count = NO_COUNT
    prolonged_feedback: bool = False
    online_services: Count = NO_COUNT  # eligible procedures offered at level 3/4 / eligible procedures
    online_dossiers: Count = NO_COUNT  # online dossiers / all dossiers
    online_unresolved_or_late: bool = False


@dataclass(frozen=True)
class Evaluation:
    """Index scores (None: no data, left out), their sum and its classification."""

    indices: Mapping[int, Decimal | None]
    total: Decimal
    band: Band


def _at_least(count: Count, percent: Decimal) -> bool:
    """numerator / denominator ≥ percent %, exactly."""
    return count.numerator * 100 >= percent * count.denominator


def time_points(timeliness: Timeliness) -> int:
    """Indices 1 and 2: 2 shorter, 1 equal, 0 longer than the time allowed (Art. 13.1, 13.2)."""
    return _POINTS[timeliness]


def index2(steps: Iterable[StepTiming], *, working_hours_between: WorkingHoursBetween, margin: Decimal) -> int | None:
    """Index 2 over the given steps: the slowest decides (Art. 13.2); None without a finished step."""
    points = [
        time_points(
            classify_finish(
                s.finished_at, s.due_at, working_hours_between=working_hours_between, early_margin_hours=margin
            )
        )
        for s in steps
        if s.finished_at is not None
    ]
    return min(points) if points else None


def index3(contacts: int) -> int:
    """2 no contact, 1 one contact, 0 more than one (Art. 13.3)."""
    return 2 if contacts == 0 else 1 if contacts == 1 else 0


def index4(one_stop_contacted: bool, other_agencies: int) -> int:
    """2 no agency, 1 only the One-Stop Unit, 0 more than one (Art. 13.4)."""
    if other_agencies > 0:
        return 0
    return 1 if one_stop_contacted else 2


def index6(posted: bool, electronic: bool) -> int:
    """2 published by posting and electronically, 1 by one of them, 0 neither (Art. 13.6)."""
    return int(posted) + int(electronic)


def index7(timeliness: Timeliness, verified_complaint: bool) -> int:
    """2 early and no complaint, 1 on time and no complaint, 0 otherwise (Art. 13.7)."""
    return 0 if verified_complaint else _POINTS[timeliness]


def index5(unit: Tt01UnitFacts, profile: Tt01Profile) -> int | None:
    """One-stop organisation (Art. 13.5): decided-at-one-stop share, else all received and returned there."""
    decided, received = unit.decided_at_one_stop, unit.received_at_one_stop
    if decided.denominator == 0 and received.denominator == 0:
        return None
    if decided.denominator and _at_least(decided, profile.decided_share_for(unit.level)):
        return 2
    return 1 if received.denominator and received.numerator == received.denominator else 0


def index8(unit: Tt01UnitFacts, profile: Tt01Profile) -> int:
    """Feedback (Art. 13.8): 2 none or all on time, 1 ≥ 90 % on time, 0 less or any prolonged."""
    handled = unit.feedback_on_time
    if unit.prolonged_feedback:
        return 0
    if handled.numerator == handled.denominator:
        return 2
    return 1 if _at_least(handled, profile.feedback_on_time_partial) else 0


def index9(unit: Tt01UnitFacts, profile: Tt01Profile) -> int | None:
    """Online services (Art. 13.9); None without eligible procedures or without dossiers."""
    services, dossiers = unit.online_services, unit.online_dossiers
    if services.denominator == 0 or dossiers.denominator == 0:
        return None
    if services.numerator == 0 or unit.online_unresolved_or_late:
        return 0
    if not _at_least(dossiers, profile.online_dossier_share_partial):
        return 0
    full = _at_least(services, profile.online_service_share) and _at_least(dossiers, profile.online_dossier_share_full)
    return 2 if full else 1


def score_dossier(
    facts: Tt01DossierFacts,
    *,
    at: datetime,
    working_hours_between: WorkingHoursBetween,
    profile: Tt01Profile,
    unit: str | None = None,
    officer: str | None = None,
) -> dict[int, int | None]:
    """Indices 1, 2, 3, 4, 6, 7 of a dossier finished before `at` (all None if it is not).

    Index 2 looks at the steps `unit` or `officer` held when given, else at every step.
    """
    d = facts.dossier
    if not d.accepted or d.finished_at is None or d.finished_at >= at:
        return dict.fromkeys(DOSSIER_INDICES)
    timeliness = classify(
        d, at=at, working_hours_between=working_hours_between, early_margin_hours=profile.early_margin_hours
    )
    steps = [
        s for s in facts.steps if (unit is None or s.unit_code == unit) and (officer is None or s.officer == officer)
    ]
    return {
        1: time_points(timeliness),
        2: index2(steps, working_hours_between=working_hours_between, margin=profile.early_margin_hours),
        3: index3(facts.contacts_to_complete),
        4: index4(facts.one_stop_contacted, facts.other_agencies_contacted),
        6: index6(facts.published_posted, facts.published_electronic),
        7: index7(timeliness, facts.verified_complaint),
    }


def mean_score(points: Iterable[int | None]) -> Decimal | None:
    """Σ scores / number of dossiers scored, to 1 decimal (Art. 15.2.a); None if none was scored."""
    scored = [p for p in points if p is not None]
    if not scored:
        return None
    return round_half_up(Decimal(sum(scored)) / len(scored), 1)


def _evaluation(indices: dict[int, Decimal | None], bands: tuple[Band, ...]) -> Evaluation:
    # Art. 15.4.b: an index without enough data is not counted in the total.
    total = sum((v for v in indices.values() if v is not None), Decimal(0))
    return Evaluation(indices=indices, total=total, band=band_for(bands, total))


def _dossier_means(scored: list[dict[int, int | None]], indices: tuple[int, ...]) -> dict[int, Decimal | None]:
    return {i: mean_score(s[i] for s in scored) for i in indices}


def evaluate_unit(
    dossiers: Iterable[Tt01DossierFacts],
    unit: Tt01UnitFacts,
    *,
    window: Window,
    working_hours_between: WorkingHoursBetween,
    profile: Tt01Profile | None = None,
) -> Evaluation:
    """A unit's nine-index evaluation over the dossiers it took part in that finished in `window` (Art. 15)."""
    profile = profile or tt01_profile_for(window.start.astimezone(VIETNAM).date())
    scored = [
        score_dossier(
            f, at=window.end, working_hours_between=working_hours_between, profile=profile, unit=unit.unit_code
        )
        for f in dossiers
        if finished_in(f.dossier, window)
    ]
    indices = _dossier_means(scored, UNIT_DOSSIER_INDICES)
    indices.update(
        {
            5: _dec(index5(unit, profile)),
            6: Decimal(index6(unit.published_posted, unit.published_electronic)),
            8: Decimal(index8(unit, profile)),
            9: _dec(index9(unit, profile)),
        }
    )
    return _evaluation(dict(sorted(indices.items())), profile.unit_bands)


def evaluate_officer(
    dossiers: Iterable[Tt01DossierFacts],
    officer: str,
    *,
    window: Window,
    working_hours_between: WorkingHoursBetween,
    profile: Tt01Profile | None = None,
) -> Evaluation:
    """An officer's indices 1, 2, 3, 4, 7 over the dossiers he handled that finished in `window` (Art. 15.1.a)."""
    profile = profile or tt01_profile_for(window.start.astimezone(VIETNAM).date())
    mine = [
        f
        for f in dossiers
        if finished_in(f.dossier, window) and (officer in f.officers or any(s.officer == officer for s in f.steps))
    ]
    scored = [
        score_dossier(f, at=window.end, working_hours_between=working_hours_between, profile=profile, officer=officer)
        for f in mine
    ]
    return _evaluation(_dossier_means(scored, OFFICER_INDICES), profile.officer_bands)


def _dec(points: int | None) -> Decimal | None:
    return None if points is None else Decimal(points)

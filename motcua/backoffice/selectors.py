"""Reads behind the back-office pages: the inbox with its urgency, dossier search, and what a user may do.

Read-only. The dossier services decide; these only ask them questions (permissions, lifecycle,
routing) so that a page offers exactly the actions the services would accept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, CharField, Count, F, Func, Q, QuerySet, Value, When
from django.db.models.functions import Concat, Lower
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.core import clock
from motcua.core.errors import NotFound
from motcua.core.text import fold
from motcua.dossiers import lifecycle
from motcua.dossiers.lifecycle import CLOCK_STOPPED, Action, Status
from motcua.dossiers.models import Apology, Consultation, Dossier, DossierStep
from motcua.dossiers.selectors import dossier_get_for, dossier_list_for
from motcua.dossiers.services import permissions
from motcua.dossiers.services.due import DUE_SOON_HOURS, Urgency, working_hours_due
from motcua.dossiers.services.steps import dossier_specs, open_step
from motcua.organizations.models import Membership, Unit
from motcua.organizations.selectors import active_memberships, unit_ids_for_user
from motcua.workcalendar.services import get_calendar
from motcua.workflow import routing
from motcua.workflow.routing import StepKind, StepSpec
from motcua.workflow.services import step_unit

PER_PAGE: Final = 25

# --- diacritics-insensitive matching in SQL ------------------------------------------------------

# Every Vietnamese letter with a mark, both cases, and what `core.text.fold` makes of it.
_MARKED = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
_FOLD_FROM: Final = _MARKED + _MARKED.upper()
_FOLD_TO: Final = "".join(fold(ch) for ch in _FOLD_FROM)


def folded(expression: Any) -> Func:
    """`expression` lower-cased without Vietnamese diacritics, in SQL (the dossier has no stored
    folded column yet, SPEC §5.1). PostgreSQL: TRANSLATE over LOWER. SQLite's LOWER only knows
    ASCII, so `core.text.fold` itself is registered on the connection as a SQL function."""
    if connection.vendor == "postgresql":
        return Func(
            Lower(expression), Value(_FOLD_FROM), Value(_FOLD_TO), function="TRANSLATE", output_field=CharField()
        )
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        connection.connection.create_function(_SQLITE_FOLD, 1, _fold_or_none, deterministic=True)
        return Func(expression, function=_SQLITE_FOLD, output_field=CharField())
    return Lower(expression)


_SQLITE_FOLD: Final = "motcua_fold"


def _fold_or_none(value: str | None) -> str | None:
    return None if value is None else fold(value)


def search_condition(q: str, prefix: str = "") -> Q:
    """Dossiers matching every word of `q` in their code, applicant (name without diacritics,
    ID number, tax code) or procedure (national code, folded name)."""
    condition = Q()
    for raw, word in zip(q.split(), fold(q).split(), strict=False):
        condition &= (
            Q(**{f"{prefix}code__icontains": raw})
            | Q(**{f"{prefix}applicant_id_number__startswith": raw})
            | Q(**{f"{prefix}organization_tax_code__startswith": raw})
            | Q(**{f"{prefix}procedure__code__startswith": raw})
            | Q(**{f"{prefix}procedure_version__search_text__contains": word})
            | Q(applicant_folded__contains=word)
        )
    return condition


def _with_applicant_folded(queryset: QuerySet[Any], prefix: str = "") -> QuerySet[Any]:
    names = Concat(F(f"{prefix}applicant_name"), Value(" "), F(f"{prefix}organization_name"))
    return queryset.annotate(applicant_folded=folded(names))


def search(queryset: QuerySet[Any], q: str, prefix: str = "") -> QuerySet[Any]:
    if not q.strip():
        return queryset
    return _with_applicant_folded(queryset, prefix).filter(search_condition(q, prefix))


# --- inbox ---------------------------------------------------------------------------------------


def is_leader(user: User) -> bool:
    return user.is_superuser or active_memberships(user, sorted(permissions.LEADERS)).exists()


def inbox_steps(*, officer: User, scope: str = "mine") -> QuerySet[DossierStep]:
    """Open steps the officer holds (as `dossiers.selectors.dossier_inbox`), or for a leader with
    `scope="unit"` also every open step at the units he leads."""
    condition = Q(assignee=officer)
    for membership in active_memberships(officer):
        condition |= Q(assignee__isnull=True, role=membership.role, unit_id=membership.unit_id)
    if scope == "unit":
        led = unit_ids_for_user(officer, sorted(permissions.LEADERS))
        condition = Q() if led is None else condition | Q(unit_id__in=sorted(led))
    return DossierStep.objects.filter(condition, finished_at__isnull=True).exclude(
        dossier__status__in=sorted(CLOCK_STOPPED)
    )


def due_soon_until(now: datetime) -> datetime:
    """The last instant still "due soon" at `now`: DUE_SOON_HOURS working hours ahead, and when
    that lands on a closing time, up to the next opening (no working time passes in between)."""
    return get_calendar().next_opening(working_hours_due(start=now, hours=DUE_SOON_HOURS))


def with_urgency(steps: QuerySet[DossierStep], now: datetime) -> QuerySet[DossierStep]:
    """Annotate `urgency` as `dossiers.services.due.urgency` computes it, but in SQL (to filter and count)."""
    return steps.annotate(
        urgency=Case(
            When(due_at__lt=now, then=Value(Urgency.OVERDUE.value)),
            When(due_at__lte=due_soon_until(now), then=Value(Urgency.DUE_SOON.value)),
            default=Value(Urgency.EARLY.value),
            output_field=CharField(),
        )
    )


@dataclass(frozen=True)
class InboxPage:
    page: Page[DossierStep]
    counts: dict[str, int]  # per urgency, before the urgency filter
    total: int

    @property
    def summary(self) -> list[tuple[str, int]]:
        """(urgency, count), the most pressing first."""
        order = (Urgency.OVERDUE, Urgency.DUE_SOON, Urgency.EARLY)
        return [(key.value, self.counts.get(key.value, 0)) for key in order]


def inbox_page(
    *, officer: User, q: str = "", urgency: str = "", scope: str = "mine", page: int = 1, now: datetime | None = None
) -> InboxPage:
    """One page of the inbox, soonest step due time first, each step with its `urgency`."""
    steps = search(with_urgency(inbox_steps(officer=officer, scope=scope), now or clock.now()), q, "dossier__")
    counts = {row["urgency"]: row["n"] for row in steps.order_by().values("urgency").annotate(n=Count("pk"))}
    if urgency in Urgency.__members__.values():
        steps = steps.filter(urgency=urgency)
    steps = steps.select_related(
        "unit", "assignee", "dossier__procedure", "dossier__procedure_version", "dossier__handling_unit"
    ).order_by(F("due_at").asc(nulls_last=True), "pk")
    return InboxPage(page=Paginator(steps, PER_PAGE).get_page(page), counts=counts, total=sum(counts.values(), 0))


def dossier_search_page(*, user: User, q: str = "", status: str = "", page: int = 1) -> Page[Dossier]:
    """Every registered dossier the user may see, newest first, matching `q` and `status`."""
    dossiers = dossier_list_for(user=user, status=status or None).exclude(status=Status.DRAFT)
    return Paginator(search(dossiers, q), PER_PAGE).get_page(page)


# --- what this user may do on this dossier -------------------------------------------------------

# The order of the action forms on the dossier page: the workflow first, the end of life last.
ACTION_ORDER: Final = (
    Action.ACCEPT,
    Action.FORWARD,
    Action.SEND_BACK,
    Action.REQUEST_SUPPLEMENT,
    Action.SUBMIT_SUPPLEMENT,
    Action.CONSULT,
    Action.ANSWER_CONSULT,
    Action.REQUEST_PAYMENT,
    Action.CONFIRM_PAYMENT,
    Action.APOLOGIZE,
    Action.RESOLVE,
    Action.RETURN_RESULT,
    Action.REFUSE,
    Action.STOP,
    Action.WITHDRAW,
)


def forward_target(dossier: Dossier) -> StepSpec | None:
    """The processing step a forward would open, or None (last processing step: resolve instead)."""
    step = open_step(dossier)
    if step is None:
        return None
    target = routing.next_step(dossier_specs(dossier), step.order)
    return None if target is None or target.kind == StepKind.RETURN else target


def send_back_target(dossier: Dossier) -> StepSpec | None:
    step = open_step(dossier)
    return routing.previous_step(dossier_specs(dossier), step.order) if step else None


def open_consultations_for(*, user: User, dossier: Dossier) -> QuerySet[Consultation]:
    """Unanswered consultations addressed to a unit where the user handles dossiers."""
    mine = unit_ids_for_user(user, sorted(permissions.HANDLERS))
    pending = dossier.consultations.filter(answered_at__isnull=True).select_related("unit")
    return pending if mine is None else pending.filter(unit_id__in=sorted(mine))


def _feasible(action: Action, dossier: Dossier) -> bool:
    """What the lifecycle table cannot know: the workflow has somewhere to go, an apology is left."""
    if action == Action.FORWARD:
        return forward_target(dossier) is not None
    if action == Action.SEND_BACK:
        return send_back_target(dossier) is not None
    if action == Action.APOLOGIZE:
        return dossier.due_at is not None and not Apology.objects.filter(dossier=dossier).exists()
    return True


def dossier_actions_for(*, user: User, dossier: Dossier) -> list[Action]:
    """The actions `user` may take on `dossier` now: allowed by the lifecycle from its status,
    granted by `services.permissions`, and possible in its workflow."""
    possible = set(lifecycle.allowed_actions(dossier.status))
    allowed = []
    for action in ACTION_ORDER:
        if action not in possible:
            continue
        if action == Action.ANSWER_CONSULT:
            granted = open_consultations_for(user=user, dossier=dossier).exists()
        else:
            granted = permissions.can(user, action, dossier) and _feasible(action, dossier)
        if granted:
            allowed.append(action)
    return allowed


def step_candidates(dossier: Dossier, spec: StepSpec) -> QuerySet[User]:
    """Active staff holding the step's role at the unit where it would run (forward's assignee list)."""
    unit = step_unit(spec=spec, receiving=dossier.receiving_unit, handling=dossier.handling_unit)
    today = clock.local_today()
    members = Membership.objects.filter(unit=unit, role=spec.role, active_until__isnull=True).filter(
        Q(active_from__isnull=True) | Q(active_from__lte=today)
    )
    return User.objects.filter(pk__in=members.values("user_id"), is_active=True).order_by("full_name", "username")


def consultable_units(dossier: Dossier) -> QuerySet[Unit]:
    """Units in force that may be consulted: all but the one handling the dossier."""
    return Unit.objects.filter(active_until__isnull=True).exclude(pk=dossier.handling_unit_id).order_by("code")


# --- bulk forward --------------------------------------------------------------------------------


@dataclass(frozen=True)
class BulkRow:
    code: str
    dossier: Dossier | None
    step: DossierStep | None
    target: StepSpec | None
    problem: str  # empty when the dossier can be forwarded


@dataclass(frozen=True)
class BulkPlan:
    rows: list[BulkRow]

    @property
    def ready(self) -> list[BulkRow]:
        return [row for row in self.rows if not row.problem]

    @property
    def same_step(self) -> bool:
        """Safe only when every dossier waits at the same step of the same kind of workflow."""
        keys = {(r.step.order, r.step.name, r.step.role, r.step.unit_id) for r in self.ready if r.step}
        return len(keys) <= 1


def bulk_forward_plan(*, user: User, codes: list[str]) -> BulkPlan:
    """For each selected code: the dossier, its open step, where a forward takes it, or why not."""
    rows = []
    for code in dict.fromkeys(c.strip().upper() for c in codes if c.strip()):
        try:
            dossier = dossier_get_for(user=user, code=code)
        except NotFound:
            rows.append(BulkRow(code, None, None, None, _("No dossier with this code.")))
            continue
        allowed = Action.FORWARD in dossier_actions_for(user=user, dossier=dossier)
        target = forward_target(dossier) if allowed else None
        problem = "" if target is not None else _("You may not forward this dossier now.")
        rows.append(BulkRow(code, dossier, open_step(dossier), target, problem))
    return BulkPlan(rows)

"""Who may do what on a dossier: one table of grants per action (role × which unit of the dossier).

Units come from `organizations.selectors`: a membership covers its unit and the units below it.
Visibility (who may see the dossier at all) is the selectors' business; seeing is not acting.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.accounts.roles import AccountKind, Role
from motcua.core.errors import PermissionDenied
from motcua.dossiers import lifecycle
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Apology, Dossier, DossierStep
from motcua.dossiers.services.steps import dossier_specs
from motcua.organizations.selectors import unit_ids_for_user
from motcua.workflow import routing


class Where(StrEnum):
    RECEIVING = "receiving"  # the unit whose counter received the dossier
    HANDLING = "handling"  # the competent unit
    STEP = "step"  # the unit of the open workflow step, with the step's own role
    APPLICANT = "applicant"  # the owner or whoever submitted it (citizen, integration)
    CONSULTED = "consulted"  # a unit asked for its opinion that has not answered yet


@dataclass(frozen=True)
class Grant:
    roles: frozenset[str]
    where: Where


COUNTER: Final = frozenset({Role.COUNTER_OFFICER})
HANDLERS: Final = frozenset({Role.SPECIALIST, Role.UNIT_LEADER, Role.AGENCY_LEADER})
LEADERS: Final = frozenset({Role.UNIT_LEADER, Role.AGENCY_LEADER})
NOBODY: Final = frozenset[str]()

RULES: Final[dict[Action, tuple[Grant, ...]]] = {
    Action.ACCEPT: (Grant(COUNTER, Where.RECEIVING),),
    Action.REFUSE: (Grant(COUNTER, Where.RECEIVING),),
    Action.REQUEST_SUPPLEMENT: (Grant(COUNTER, Where.RECEIVING), Grant(HANDLERS, Where.HANDLING)),
    Action.SUBMIT_SUPPLEMENT: (Grant(NOBODY, Where.APPLICANT), Grant(COUNTER, Where.RECEIVING)),
    Action.FORWARD: (Grant(NOBODY, Where.STEP), Grant(LEADERS, Where.HANDLING)),
    Action.SEND_BACK: (Grant(NOBODY, Where.STEP), Grant(LEADERS, Where.HANDLING)),
    Action.CONSULT: (Grant(HANDLERS, Where.HANDLING),),
    Action.ANSWER_CONSULT: (Grant(HANDLERS, Where.CONSULTED),),
    Action.REQUEST_PAYMENT: (Grant(HANDLERS, Where.HANDLING), Grant(COUNTER, Where.RECEIVING)),
    Action.CONFIRM_PAYMENT: (Grant(COUNTER, Where.RECEIVING), Grant(HANDLERS, Where.HANDLING)),
    Action.APOLOGIZE: (Grant(HANDLERS, Where.HANDLING), Grant(COUNTER, Where.RECEIVING)),
    Action.RESOLVE: (Grant(LEADERS, Where.HANDLING), Grant(NOBODY, Where.STEP)),
    Action.RETURN_RESULT: (Grant(COUNTER | {Role.POSTAL_AGENT}, Where.RECEIVING),),
    # The applicant asks; the counter may record the request made on paper.
    Action.WITHDRAW: (Grant(NOBODY, Where.APPLICANT), Grant(COUNTER, Where.RECEIVING)),
    Action.STOP: (Grant(COUNTER, Where.RECEIVING), Grant(LEADERS, Where.HANDLING)),
}


def is_applicant(user: User, dossier: Dossier) -> bool:
    """The owner, or the account that submitted it (a citizen, or the integration that pushed it)."""
    if user.kind not in (AccountKind.CITIZEN, AccountKind.ORGANIZATION, AccountKind.INTEGRATION):
        return False
    return user.pk in (dossier.owner_id, dossier.submitted_by_id)


def has_role_at(user: User, roles: frozenset[str] | set[str], unit_id: int | None) -> bool:
    """Whether an active membership with one of `roles` covers `unit_id`."""
    if unit_id is None or not roles:
        return False
    ids = unit_ids_for_user(user, sorted(roles))
    return ids is None or unit_id in ids


def holds_step(user: User, step: DossierStep | None) -> bool:
    """The step's assignee, or (unassigned) anyone with the step's role at its unit."""
    if step is None:
        return False
    if step.assignee_id is not None:
        return step.assignee_id == user.pk
    return has_role_at(user, {step.role}, step.unit_id)


def consulted(user: User, dossier: Dossier, roles: frozenset[str] | set[str]) -> bool:
    """Whether a consultation still waits for the answer of a unit where `user` holds one of `roles`."""
    pending = dossier.consultations.filter(answered_at__isnull=True)
    ids = unit_ids_for_user(user, sorted(roles))
    if ids is not None:
        pending = pending.filter(unit_id__in=sorted(ids))
    return pending.exists()


def open_step(dossier: Dossier) -> DossierStep | None:
    return dossier.steps.filter(finished_at__isnull=True).first()


def _granted(user: User, dossier: Dossier, grant: Grant) -> bool:
    if grant.where == Where.APPLICANT:
        return is_applicant(user, dossier)
    if grant.where == Where.STEP:
        return holds_step(user, open_step(dossier))
    if grant.where == Where.CONSULTED:
        return consulted(user, dossier, grant.roles)
    unit_id = dossier.receiving_unit_id if grant.where == Where.RECEIVING else dossier.handling_unit_id
    return has_role_at(user, grant.roles, unit_id)


def can(user: User, action: Action, dossier: Dossier) -> bool:
    return any(_granted(user, dossier, grant) for grant in RULES.get(action, ()))


def feasible(action: Action, dossier: Dossier) -> bool:
    """What neither the lifecycle table nor the grants know: the workflow has a step to move to, an
    apology is still possible."""
    if action in (Action.FORWARD, Action.SEND_BACK):
        step = open_step(dossier)
        if step is None:
            return False
        specs = dossier_specs(dossier)
        if action == Action.SEND_BACK:
            return routing.previous_step(specs, step.order) is not None
        target = routing.next_step(specs, step.order)
        return target is not None and target.kind != routing.StepKind.RETURN
    if action == Action.APOLOGIZE:
        return dossier.due_at is not None and not Apology.objects.filter(dossier=dossier).exists()
    return True


def available_actions(user: User, dossier: Dossier) -> list[Action]:
    """The actions `user` can take on `dossier` now: allowed from its status, granted, and feasible."""
    return [
        action
        for action in lifecycle.allowed_actions(dossier.status)
        if can(user, action, dossier) and feasible(action, dossier)
    ]


def require(user: User, action: Action, dossier: Dossier) -> None:
    """PermissionDenied unless a grant of `action` covers the user on this dossier."""
    if not can(user, action, dossier):
        raise PermissionDenied(_("You may not perform this action on this dossier."), code="not_permitted")

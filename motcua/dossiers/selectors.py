"""Reads of dossiers, always scoped: staff see their units' dossiers, applicants their own.

Staff scope (organizations.selectors): a dossier is visible when its receiving or handling unit,
a unit holding one of its steps, or a unit consulted on it is in the user's unit scope. Anyone
else gets the same "not found" as for a dossier that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.accounts.roles import AccountKind
from motcua.core import clock
from motcua.core.errors import NotFound
from motcua.documents.models import Document
from motcua.dossiers.lifecycle import CLOCK_STOPPED, Status
from motcua.dossiers.models import Consultation, Dossier, DossierEvent, DossierStep, IdempotencyKey
from motcua.dossiers.services.due import Urgency, urgency
from motcua.organizations.selectors import active_memberships, unit_ids_for_user

_RELATED = ("procedure", "procedure_version", "receiving_unit", "receiving_counter", "handling_unit")


def dossier_list_for(
    *, user: User, status: str | None = None, procedure: str | None = None, unit: str | None = None
) -> QuerySet[Dossier]:
    """The dossiers `user` may see, filtered by status, procedure code and unit code."""
    dossiers = _visible(user).select_related(*_RELATED)
    if status:
        dossiers = dossiers.filter(status=status)
    if procedure:
        dossiers = dossiers.filter(procedure__code=procedure)
    if unit:
        dossiers = dossiers.filter(Q(receiving_unit__code=unit) | Q(handling_unit__code=unit))
    return dossiers.order_by("-submitted_at", "-pk")


def _visible(user: User) -> QuerySet[Dossier]:
    if not user.is_authenticated or not user.is_active:
        return Dossier.objects.none()
    if user.kind != AccountKind.STAFF and not user.is_superuser:
        return Dossier.objects.filter(Q(owner=user) | Q(submitted_by=user))
    ids = unit_ids_for_user(user)
    if ids is None:
        return Dossier.objects.all()
    if not ids:
        return Dossier.objects.none()
    units = sorted(ids)
    in_steps = DossierStep.objects.filter(dossier=OuterRef("pk"), unit_id__in=units)
    consulted = Consultation.objects.filter(dossier=OuterRef("pk"), unit_id__in=units)
    return Dossier.objects.filter(
        Q(receiving_unit_id__in=units) | Q(handling_unit_id__in=units) | Exists(in_steps) | Exists(consulted)
    )


def dossier_get_for(*, user: User, code: str) -> Dossier:
    """The dossier with `code` if `user` may see it; NotFound otherwise (never a hint that it exists)."""
    dossier = _visible(user).select_related(*_RELATED).filter(code=code.strip().upper()).first()
    if dossier is None:
        raise NotFound(_("No dossier with this code."))
    return dossier


def dossier_track(*, code: str) -> Dossier:
    """A registered dossier for public tracking (the caller shows no personal data)."""
    dossier = (
        Dossier.objects.select_related("procedure", "procedure_version")
        .exclude(status=Status.DRAFT)
        .filter(code=code.strip().upper())
        .first()
    )
    if dossier is None:
        raise NotFound(_("No dossier with this code."))
    return dossier


def dossier_events(*, dossier: Dossier) -> QuerySet[DossierEvent]:
    return dossier.events.select_related("actor").order_by("sequence")


def dossier_steps(*, dossier: Dossier) -> QuerySet[DossierStep]:
    return dossier.steps.select_related("unit", "assignee").order_by("started_at", "pk")


@dataclass(frozen=True)
class InboxItem:
    step: DossierStep
    dossier: Dossier
    urgency: Urgency


def dossier_inbox(*, officer: User, now: datetime | None = None) -> list[InboxItem]:
    """Dossiers waiting at a step the officer holds, by step due time (soonest first)."""
    now = now or clock.now()
    mine = Q(assignee=officer)
    for membership in active_memberships(officer):
        mine |= Q(assignee__isnull=True, role=membership.role, unit_id=membership.unit_id)
    steps = (
        DossierStep.objects.filter(mine, finished_at__isnull=True)
        .exclude(dossier__status__in=sorted(CLOCK_STOPPED))
        .select_related("unit", "dossier__procedure_version", "dossier__handling_unit", "dossier__receiving_unit")
        .order_by(F("due_at").asc(nulls_last=True), "pk")
    )
    return [InboxItem(step=step, dossier=step.dossier, urgency=urgency(step.due_at, now)) for step in steps]


def dossier_documents(*, dossier: Dossier) -> QuerySet[Document]:
    """The files of the dossier (scans, legal forms, results), oldest first."""
    if not dossier.code:  # a draft has no code, and documents are filed under the code
        return Document.objects.none()
    return Document.objects.select_related("stored_file").filter(dossier_code=dossier.code).order_by("created_at", "pk")


def dossier_document_get(*, dossier: Dossier, document_id: int) -> Document:
    """One document of the dossier; NotFound for a document of any other dossier."""
    document = dossier_documents(dossier=dossier).filter(pk=document_id).first()
    if document is None:
        raise NotFound(_("No such document on this dossier."))
    return document


def dossier_for_idempotency_key(*, caller: User, key: str) -> Dossier | None:
    """The dossier `caller` already registered with this idempotency key, if any."""
    earlier = IdempotencyKey.objects.select_related("dossier").filter(caller=caller, key=key).first()
    return earlier.dossier if earlier else None

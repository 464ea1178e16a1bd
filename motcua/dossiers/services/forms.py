"""Legal forms attached to dossiers (SPEC §4.5): print from the data, store, sign with the unit's key.

Issued after the action commits, never inside it. Printing takes 0.1–0.2 s once WeasyPrint is warm
(about 2 s for the first form a process prints) and signing adds more, while the action's
transaction holds the dossier's row lock and, at registration, the unit's daily code counter
(on SQLite, the whole database): every other intake of the unit would wait for the printer. So
the actions call `form_issue_on_commit`, which enqueues the `issue_form` task once the
transaction has committed; the counter page, where the applicant waits for the receipt, calls
`dossier_form_issue` itself right after the action. Both together are safe: a form is issued
once per (form, triggering event), checked under the dossier's lock.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Final

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.core import clock
from motcua.core.errors import Conflict, InvalidInput
from motcua.documents.models import Document, DocumentKind
from motcua.documents.selectors import signing_identity_for_unit
from motcua.documents.services import document_create, document_sign, stored_file_create
from motcua.dossiers.forms import FormData, FormKind, Profile, profile_for, render_form
from motcua.dossiers.forms.render import FORMS
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services.events import dossier_lock
from motcua.dossiers.services.form_data import form_data_for, issuing_unit

logger = logging.getLogger(__name__)

# The actions whose event calls for each form; the control slip is printed on demand, as of the latest event.
TRIGGERS: Final[dict[FormKind, tuple[Action, ...]]] = {
    FormKind.RECEIPT: (Action.ACCEPT,),
    FormKind.SUPPLEMENT_REQUEST: (Action.REQUEST_SUPPLEMENT,),
    FormKind.REFUSAL: (Action.REFUSE,),
    FormKind.APOLOGY: (Action.APOLOGIZE,),
    FormKind.STOP_NOTICE: (Action.STOP, Action.WITHDRAW),
    FormKind.CONTROL_SLIP: (),
}


@dataclass(frozen=True)
class DossierForm:
    """A form the dossier's history calls for, and its document once printed."""

    kind: FormKind
    name: str
    event: DossierEvent
    document: Document | None


def counter_forms(dossier: Dossier) -> list[DossierForm]:
    """Every form the dossier's events call for (one per event), oldest first, printed or not yet."""
    by_action = {str(action): kind for kind, actions in TRIGGERS.items() for action in actions}
    profile = profile_for(dossier.accepted_at or dossier.submitted_at or clock.now())
    forms = []
    for event in dossier.events.filter(action__in=list(by_action)).order_by("sequence"):
        kind = by_action[event.action]
        if profile in FORMS[kind].numbers:
            document = _issued(dossier, form_filename(dossier, kind, event))
            forms.append(DossierForm(kind, form_name(kind, profile), event, document))
    return forms


def form_exists_for(dossier: Dossier, kind: FormKind) -> bool:
    """Whether the rules that govern this dossier have form `kind` (the stop notice is 2025's)."""
    return profile_for(dossier.accepted_at or dossier.submitted_at or clock.now()) in FORMS[kind].numbers


def form_issue_on_commit(dossier: Dossier, kind: FormKind, event: DossierEvent) -> None:
    """Issue form `kind` for `event` once the current transaction commits (the `issue_form` task)."""
    dossier_id, sequence = dossier.pk, event.sequence
    # robust: a queue that is down must not turn a committed action into an error page.
    transaction.on_commit(lambda: _enqueue(dossier_id, str(kind), sequence), robust=True)


def _enqueue(dossier_id: int, kind: str, sequence: int) -> None:
    from motcua.dossiers.tasks import issue_form  # the task module imports this one

    issue_form.enqueue(dossier_id, kind, sequence)


def form_issue_for_event(*, dossier_id: int, kind: str, event_sequence: int) -> Document:
    """The task's entry: the form of the dossier's event number `event_sequence`."""
    dossier = Dossier.objects.select_related(
        "procedure_version", "receiving_unit__province", "receiving_unit__parent", "receiving_counter"
    ).get(pk=dossier_id)
    event = dossier.events.select_related("actor").get(sequence=event_sequence)
    return dossier_form_issue(dossier=dossier, kind=kind, event=event)


def dossier_form_issue(
    *, dossier: Dossier, kind: FormKind | str, actor: User | None = None, event: DossierEvent | None = None
) -> Document:
    """Print form `kind` of the dossier, store it as a legal-form Document and sign it; once per (form, event).

    `event` defaults to the latest event that calls for the form; `actor` (default: the event's actor)
    is the officer named on it. A unit without a signing identity gets an unsigned form, not an error.
    """
    kind = FormKind(kind)
    event = event or form_event(dossier, kind)
    filename = form_filename(dossier, kind, event)
    issued = _issued(dossier, filename)
    if issued is not None:
        return issued
    data = form_data_for(dossier=dossier, kind=kind, event=event, actor=actor or event.actor)
    if data.profile not in FORMS[kind].numbers:
        raise Conflict(_("This form does not exist under the rules that apply to this dossier."), code="form_absent")
    pdf = render_form(kind, data)
    return _store(dossier, kind, data, pdf, filename=filename, actor=actor or event.actor)


def form_event(dossier: Dossier, kind: FormKind) -> DossierEvent:
    """The latest event that calls for form `kind` (any event for the control slip)."""
    if kind not in TRIGGERS:
        raise InvalidInput(_("This form is not printed for a single dossier."), code="form_not_for_dossier")
    events = dossier.events.select_related("actor").order_by("-sequence")
    if TRIGGERS[kind]:
        events = events.filter(action__in=[str(action) for action in TRIGGERS[kind]])
    event = events.first()
    if event is None:
        raise Conflict(_("Nothing on this dossier calls for this form yet."), code="form_not_due")
    return event


def form_filename(dossier: Dossier, kind: FormKind, event: DossierEvent) -> str:
    """The stored file's name, unique per (dossier, form, event): it is also the form's idempotency key."""
    return f"{dossier.code}_{kind}_{event.sequence}.pdf"


def form_name(kind: FormKind, profile: Profile) -> str:
    """'Mẫu 01 – Giấy tiếp nhận hồ sơ và hẹn trả kết quả', as the dossier's document list shows it."""
    spec = FORMS[kind]
    title = " ".join(spec.titles[profile].split()).capitalize()
    return f"Mẫu {spec.numbers[profile]} – {title}"


def _issued(dossier: Dossier, filename: str) -> Document | None:
    return (
        Document.objects.select_related("stored_file")
        .filter(dossier_code=dossier.code, kind=DocumentKind.LEGAL_FORM, stored_file__original_filename=filename)
        .order_by("pk")
        .first()
    )


@transaction.atomic
def _store(
    dossier: Dossier, kind: FormKind, data: FormData, pdf: bytes, *, filename: str, actor: User | None
) -> Document:
    # The task and the counter page may issue the same form at once: the dossier's lock picks one.
    dossier_lock(dossier)
    issued = _issued(dossier, filename)
    if issued is not None:
        return issued
    name = form_name(kind, data.profile)
    stored = stored_file_create(content=pdf, filename=filename, uploaded_by=actor)
    document = document_create(kind=DocumentKind.LEGAL_FORM, stored_file=stored, name=name, dossier_code=dossier.code)
    unit = issuing_unit(dossier, kind)
    identity = signing_identity_for_unit(unit)
    if identity is None:
        # Paper still works: the form is printed and signed by hand. The list shows it unsigned.
        logger.warning("%s of %s issued unsigned: unit %s has no signing identity", name, dossier.code, unit.code)
        return document
    location = data.issuer.place or unit.name
    return document_sign(document=document, identity=identity, unit=unit, reason=name, location=location)

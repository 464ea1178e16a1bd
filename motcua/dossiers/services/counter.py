"""A dossier handed in at the counter (SPEC §3.3): register it and decide on it while the applicant waits.

The officer accepts it (Mẫu 01), asks for a supplement (Mẫu 02) or refuses it (Mẫu 03). Registering,
deciding, filing the scans and remembering the applicant are one transaction; the form is printed
right after it commits, so the officer can hand it over (the `issue_form` task finds it done).
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from django.db import transaction

from motcua.accounts.models import User
from motcua.accounts.services import citizen_profile_upsert
from motcua.core.errors import DomainError
from motcua.documents.models import Document, DocumentKind, StoredFile
from motcua.documents.services import document_create
from motcua.dossiers.forms import FormKind
from motcua.dossiers.models import ApplicantKind, Dossier
from motcua.dossiers.services.documents import component_scans_digitize
from motcua.dossiers.services.forms import dossier_form_issue
from motcua.dossiers.services.intake import ComponentInput, IntakeInput, dossier_intake
from motcua.dossiers.services.review import dossier_refuse, dossier_request_supplement

logger = logging.getLogger(__name__)


class Decision(StrEnum):
    ACCEPT = "accept"
    SUPPLEMENT = "supplement"
    REFUSE = "refuse"


# The form each decision hands the applicant.
DECISION_FORMS: Final = {
    Decision.ACCEPT: FormKind.RECEIPT,
    Decision.SUPPLEMENT: FormKind.SUPPLEMENT_REQUEST,
    Decision.REFUSE: FormKind.REFUSAL,
}


@dataclass(frozen=True)
class CounterDecision:
    decision: Decision
    reason: str = ""  # refusal: printed on Mẫu 03
    missing: list[str] = field(default_factory=list)  # supplement: the lines of Mẫu 02
    note: str = ""  # supplement: the guidance


@dataclass(frozen=True)
class CounterIntakeResult:
    dossier: Dossier
    warnings: list[str]
    replayed: bool
    form: Document | None  # the printed form, None when printing failed (the page offers to retry)


def counter_intake(
    *,
    officer: User,
    data: IntakeInput,
    decision: CounterDecision,
    idempotency_key: str,
    scans: dict[str, list[StoredFile]] | None = None,
) -> CounterIntakeResult:
    """Register the dossier the applicant hands in, decide on it, then print the decision's form.

    `scans`: stored files per component code, filed as the dossier's component scans and sent to
    digitization (searchable, signed copy in the applicant's vault; progress: `digitization_progress`). The same
    `idempotency_key` (one per rendering of the counter form) answers with the first dossier.
    """
    scans = scans or {}
    data = _with_scans(data, scans)
    with transaction.atomic():
        result = dossier_intake(
            caller=officer, data=data, idempotency_key=idempotency_key, accept=decision.decision == Decision.ACCEPT
        )
        if not result.replayed:
            _decide(result.dossier, officer, decision)
            _file_scans(result.dossier, scans)
            _remember_applicant(data)
            if decision.decision != Decision.REFUSE:  # a refused dossier's papers go back with the applicant
                component_scans_digitize(dossier=result.dossier, scans=scans)
    dossier = Dossier.objects.get(pk=result.dossier.pk)
    form = counter_form_print(dossier=dossier, kind=DECISION_FORMS[decision.decision], officer=officer)
    return CounterIntakeResult(dossier=dossier, warnings=result.warnings, replayed=result.replayed, form=form)


def counter_form_print(*, dossier: Dossier, kind: FormKind, officer: User) -> Document | None:
    """The form, printed now if the task has not done it yet; None (logged) when printing fails.

    A refusal by the rules (a form nothing calls for) is raised as such, not taken for a failure.
    """
    try:
        return dossier_form_issue(dossier=dossier, kind=kind, actor=officer)
    except DomainError:
        raise
    except Exception:
        # The decision is committed whatever the printer does: the page says so and offers to print again.
        logger.exception("printing %s of %s failed", kind, dossier.code)
        return None


def _decide(dossier: Dossier, officer: User, decision: CounterDecision) -> None:
    if decision.decision == Decision.REFUSE:
        dossier_refuse(dossier=dossier, officer=officer, reason=decision.reason)
    elif decision.decision == Decision.SUPPLEMENT:
        dossier_request_supplement(dossier=dossier, officer=officer, missing=decision.missing, note=decision.note)


def _with_scans(data: IntakeInput, scans: dict[str, list[StoredFile]]) -> IntakeInput:
    """The components with the ids of their scans added to `files` (a scan alone counts as provided)."""
    components = {item.code: item for item in data.components}
    for code, files in scans.items():
        item = components.get(code) or ComponentInput(code=code)
        components[code] = dataclasses.replace(item, files=[*item.files, *(str(f.pk) for f in files)])
    return dataclasses.replace(data, components=list(components.values()))


def _file_scans(dossier: Dossier, scans: dict[str, list[StoredFile]]) -> None:
    names = {item.component.code: item.component.name for item in dossier.components.select_related("component")}
    for code, files in scans.items():
        for stored in files:
            name = f"{names.get(code, code)} ({stored.original_filename})"[:255]
            document_create(kind=DocumentKind.COMPONENT_SCAN, stored_file=stored, name=name, dossier_code=dossier.code)


def _remember_applicant(data: IntakeInput) -> None:
    """The next visit is prefilled from the profile (a verified identity is never overwritten)."""
    applicant = data.applicant
    if applicant.kind != ApplicantKind.PERSON:
        return
    citizen_profile_upsert(
        id_number=applicant.id_number,
        full_name=applicant.full_name,
        date_of_birth=applicant.date_of_birth,
        address=applicant.address,
        phone=applicant.phone,
        email=applicant.email,
    )

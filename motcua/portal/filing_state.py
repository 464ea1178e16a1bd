"""The online filing wizard's state, kept in the Django session between its steps (no JavaScript needed),
and what the wizard reads around it: the units to offer, the required documents, the review in words.

One state per procedure: a citizen may leave a filing half-done and come back to it. The
idempotency key is made when the filing starts and sent with the submission, so a double click
or a resent form finds the dossier already made instead of making a second one.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from motcua.catalog.models import Component, ProcedureVersion
from motcua.catalog.rules import components_always_required
from motcua.core.errors import DomainError
from motcua.documents.models import VaultDocument
from motcua.dossiers.models import Channel, ReturnMethod
from motcua.dossiers.services.intake import ApplicantInput, ComponentInput, IntakeInput
from motcua.organizations.models import Counter, Unit
from motcua.portal.citizen import file_names
from motcua.portal.forms import OrganizationApplicantForm, PersonApplicantForm, schema_choices, schema_properties

SESSION_PREFIX = "portal.filing."
APPLICANT_FIELDS = frozenset(ApplicantInput.__dataclass_fields__) - {"kind"}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def new_key() -> str:
    return uuid.uuid4().hex


@dataclass
class FilingState:
    procedure: str
    key: str = field(default_factory=new_key)
    receiving_unit: str = ""
    handling_unit: str = ""
    return_method: str = ""
    applicant: dict[str, Any] = field(default_factory=dict)
    form_data: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, list[int]] = field(default_factory=dict)
    # Component code → the vault document chosen instead of uploading (reused on submit).
    vault: dict[str, int] = field(default_factory=dict)
    components_done: bool = False
    dossier_code: str = ""  # set once submitted: the next visit starts a new filing

    @classmethod
    def load(cls, session: SessionBase, procedure: str) -> FilingState:
        raw = session.get(SESSION_PREFIX + procedure)
        try:
            return cls(**raw) if isinstance(raw, dict) else cls(procedure=procedure)
        except TypeError:  # saved by an older version of this page
            return cls(procedure=procedure)

    def save(self, session: SessionBase) -> None:
        session[SESSION_PREFIX + self.procedure] = asdict(self)

    def next_step(self) -> int:
        """The first step still to do (4: everything is ready for review)."""
        if not (self.receiving_unit and self.return_method):
            return 1
        if not self.applicant:
            return 2
        return 4 if self.components_done else 3


def intake_input(state: FilingState) -> IntakeInput:
    """What the wizard collected, as the intake service takes it (the same state gives the same request)."""
    values = {k: v for k, v in state.applicant.items() if k in APPLICANT_FIELDS}
    if values.get("date_of_birth"):
        values["date_of_birth"] = date.fromisoformat(values["date_of_birth"])
    return IntakeInput(
        procedure=state.procedure,
        applicant=ApplicantInput(kind=state.applicant.get("kind", "person"), **values),
        channel="online",
        receiving_unit=state.receiving_unit,
        handling_unit=state.handling_unit or None,
        return_method=state.return_method,
        components=[
            ComponentInput(
                code=code, files=[str(i) for i in state.files.get(code, [])], vault_document=state.vault.get(code)
            )
            for code in dict.fromkeys([*state.files, *state.vault])
            if state.files.get(code) or state.vault.get(code)
        ],
        form_data=state.form_data,
    )


def receiving_units(version: ProcedureVersion) -> list[Unit]:
    """Units where the procedure can be filed: those offering it, and for a non-geographic procedure
    any unit with an open counter in a province of a competent unit (Decree 118/2025 Art. 14)."""
    active = Unit.objects.filter(active_until__isnull=True)
    offered = Q(offerings__procedure=version.procedure, offerings__receives=True)
    if not version.non_geographic:
        return list(active.filter(offered).distinct().order_by("name"))
    provinces = Unit.objects.filter(offerings__procedure=version.procedure, offerings__handles=True).values(
        "province_id"
    )
    has_counter = Exists(Counter.objects.filter(unit=OuterRef("pk"), is_active=True))
    anywhere = Q(has_counter) & (Q(province_id__in=provinces) | Q(province__isnull=True))
    return list(active.filter(offered | anywhere).distinct().order_by("name"))


def competent_units(version: ProcedureVersion) -> list[Unit]:
    """Units that resolve the procedure (the receiving unit may only pass the dossier on)."""
    offered = Q(offerings__procedure=version.procedure, offerings__handles=True)
    return list(Unit.objects.filter(offered, active_until__isnull=True).distinct().order_by("name"))


def required_missing(
    components: list[Component], files: dict[str, list[int]], vault: dict[str, int] | None = None
) -> list[Component]:
    """Required components without a file or a vault document (situational groups apply only in their
    situation: not checked)."""
    vault = vault or {}
    required = components_always_required(components, channel=Channel.ONLINE)
    return [c for c in required if not (files.get(c.code) or vault.get(c.code))]


# --- review ------------------------------------------------------------------------------------------

STEP_OF_FIELD = (
    ("applicant", "portal:filing-applicant"),
    ("components", "portal:filing-components"),
    ("", "portal:filing-start"),  # units, return method, channel
)


def problem_link(error: DomainError, state: FilingState) -> tuple[str, str]:
    """(link to the step that fixes it, message) for a refusal of the intake service."""
    field_name = error.field
    url_name = "portal:filing-review"
    if field_name is not None:
        url_name = next(name for prefix, name in STEP_OF_FIELD if field_name.startswith(prefix))
    return reverse(url_name, kwargs={"procedure_code": state.procedure}) + "#main", str(error.message)


def review_summary(version: ProcedureVersion, state: FilingState) -> dict[str, Any]:
    """Everything the citizen is about to submit, in words, for the last step."""
    units = {u.code: u.name for u in Unit.objects.filter(code__in=[state.receiving_unit, state.handling_unit])}
    components = list(version.components.all())
    names = file_names(i for ids in state.files.values() for i in ids)
    vault = _vault_titles(state.vault)
    fees = [fee for fee in version.fees.all() if fee.channel in (None, Channel.ONLINE)]
    return {
        "unit": units.get(state.receiving_unit, state.receiving_unit),
        "handling_unit": units.get(state.handling_unit, ""),
        "return_method": ReturnMethod(state.return_method).label,
        "applicant": _applicant_rows(state.applicant),
        "eforms": [
            (c, _eform_rows(c.form_schema, state.form_data.get(c.code) or {})) for c in components if c.form_schema
        ],
        "components": [
            (c, [names.get(str(i), str(i)) for i in state.files.get(c.code, [])], vault.get(c.code, ""))
            for c in components
        ],
        "fees": fees,
    }


def _vault_titles(chosen: dict[str, int]) -> dict[str, str]:
    """Component code → the title of the vault document chosen for it."""
    titles = dict(VaultDocument.objects.filter(pk__in=chosen.values()).values_list("pk", "title"))
    return {code: titles.get(pk, str(pk)) for code, pk in chosen.items()}


def _applicant_rows(applicant: dict[str, Any]) -> list[tuple[Any, Any]]:
    form = OrganizationApplicantForm if applicant.get("kind") == "organization" else PersonApplicantForm
    return [(field.label, _display(applicant.get(name, ""))) for name, field in form.base_fields.items()]


def _eform_rows(schema: dict[str, Any], values: dict[str, Any]) -> list[tuple[Any, Any]]:
    rows = []
    for name, prop in schema_properties(schema.get("properties") or {}):
        if name in values:
            labels = {str(value): label for value, label in schema_choices(prop) or []}
            rows.append((prop.get("title") or name, _display(labels.get(str(values[name]), values[name]))))
    return rows


def _display(value: Any) -> Any:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        return date.fromisoformat(value).strftime("%d/%m/%Y")
    return value

"""Registering dossiers (SPEC §3.3): online by the applicant, at the counter, by post, pushed by an integration.

`intake_check` validates and resolves everything (procedure, units, components, applicant) without
writing; `dossier_intake` writes the dossier, its number, its first events and outbox messages in
one transaction. A counter officer's intake is accepted at once (status `processing`, code, due time).
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from motcua.accounts.identity import IdentityError, normalize_digits, validate_id_number, validate_tax_code
from motcua.accounts.models import User
from motcua.accounts.roles import AccountKind, Role
from motcua.catalog.models import Component, Offering, OnlineLevel, Procedure, ProcedureVersion
from motcua.catalog.rules import components_always_required
from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from motcua.dossiers import audit
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import (
    ApplicantKind,
    Channel,
    Dossier,
    DossierComponent,
    FeeLine,
    IdempotencyKey,
    ReturnMethod,
)
from motcua.dossiers.services.codes import dossier_code_for
from motcua.dossiers.services.documents import component_reuses_record
from motcua.dossiers.services.effects import effects_enqueue, notify_enqueue, outbox_batch
from motcua.dossiers.services.events import chain_forget, chain_new, transition
from motcua.dossiers.services.review import accept_locked
from motcua.dossiers.services.steps import reception_open
from motcua.organizations.models import Counter, Membership, Unit
from motcua.organizations.selectors import active_memberships, unit_ids_for_user


@dataclass(frozen=True)
class ApplicantInput:
    kind: str = ApplicantKind.PERSON
    full_name: str = ""
    id_number: str = ""
    date_of_birth: date | None = None
    address: str = ""
    phone: str = ""
    email: str = ""
    name: str = ""  # organization
    tax_code: str = ""
    representative: str = ""


@dataclass(frozen=True)
class ComponentInput:
    code: str
    originals: int = 0
    copies: int = 0
    files: list[str] = field(default_factory=list)
    vault_document: int | None = None

    @property
    def provided(self) -> bool:
        return bool(self.files or self.vault_document or self.originals or self.copies)


@dataclass(frozen=True)
class IntakeInput:
    """What a caller sends to register a dossier (the body of `POST /api/v1/dossiers`)."""

    procedure: str
    applicant: ApplicantInput
    channel: str | None = None  # direct | online | postal
    receiving_unit: str | None = None
    handling_unit: str | None = None
    return_method: str = ReturnMethod.COUNTER
    components: list[ComponentInput] = field(default_factory=list)
    form_data: dict[str, Any] = field(default_factory=dict)


class Mode(StrEnum):
    APPLICANT = "applicant"  # a citizen or business files online
    COUNTER = "counter"  # a counter officer receives and accepts at once
    POSTAL_PICKUP = "postal_pickup"  # a postal agent registers a pickup; the counter accepts later
    INTEGRATION = "integration"  # a system (the national portal) pushes a dossier


@dataclass
class IntakePlan:
    """Everything `dossier_intake` writes, resolved and validated."""

    mode: Mode
    channel: Channel
    version: ProcedureVersion
    receiving_unit: Unit
    receiving_counter: Counter | None
    handling_unit: Unit
    data: IntakeInput
    components: list[tuple[Component, ComponentInput]]
    warnings: list[str] = field(default_factory=list)
    accept: bool = True  # a counter intake is accepted at once unless the officer only registers it


@dataclass(frozen=True)
class IntakeResult:
    dossier: Dossier
    warnings: list[str]
    replayed: bool = False


CHANNELS = {"direct": Channel.DIRECT, "online": Channel.ONLINE, "postal": Channel.POSTAL}
MODE_CHANNELS = {
    Mode.APPLICANT: (Channel.ONLINE,),
    Mode.COUNTER: (Channel.DIRECT, Channel.POSTAL),
    Mode.POSTAL_PICKUP: (Channel.POSTAL,),
    Mode.INTEGRATION: (Channel.ONLINE, Channel.POSTAL),
}


def request_hash(data: IntakeInput) -> str:
    return hashlib.sha256(audit.canonical(dataclasses.asdict(data)).encode()).hexdigest()


def dossier_intake(
    *, caller: User, data: IntakeInput, idempotency_key: str | None = None, accept: bool = True
) -> IntakeResult:
    """Register a dossier; the same `idempotency_key` with the same body gives the same dossier.

    `accept=False`: a counter officer registers without accepting, to refuse the dossier or ask for
    a supplement at once (Mẫu 03 / 02); required components may then be missing.
    """
    digest = request_hash(data)
    if idempotency_key:
        replay = _replay(caller, idempotency_key, digest)
        if replay is not None:
            return replay
    plan = intake_check(caller=caller, data=data, accept=accept)
    try:
        return _intake_write(caller=caller, plan=plan, idempotency_key=idempotency_key, digest=digest)
    except IntegrityError:
        # A concurrent request with the same key won the race: answer with its dossier.
        replay = _replay(caller, idempotency_key, digest) if idempotency_key else None
        if replay is None:
            raise
        return replay


def _replay(caller: User, key: str, digest: str) -> IntakeResult | None:
    earlier = IdempotencyKey.objects.select_related("dossier").filter(caller=caller, key=key).first()
    if earlier is None:
        return None
    if earlier.request_hash != digest:
        raise Conflict(
            _("This Idempotency-Key was already used with a different request."), code="idempotency_conflict"
        )
    return IntakeResult(dossier=earlier.dossier, warnings=[], replayed=True)


def intake_check(*, caller: User, data: IntakeInput, accept: bool = True) -> IntakePlan:
    """Validate a registration and resolve its references; raises a DomainError, writes nothing."""
    procedure = Procedure.objects.select_related("current_version").filter(code=data.procedure.strip()).first()
    if procedure is None or procedure.current_version is None:
        raise NotFound(_("Unknown procedure “%(code)s”.") % {"code": data.procedure}, field="procedure")
    version = procedure.current_version
    version.procedure = procedure  # cached: the dossier row names both
    if version.status != ProcedureVersion.Status.PUBLISHED:
        raise InvalidInput(_("This procedure is no longer accepted."), field="procedure")
    mode, channel = _mode_and_channel(caller, data.channel)
    _check_channel_allowed(version, channel)
    receiving, counter = _receiving(caller, mode, data, procedure)
    handling = _handling(data, procedure, receiving)
    _check_receives(version, procedure, receiving, handling)
    _check_applicant(data.applicant)
    if data.return_method not in ReturnMethod.values:
        raise InvalidInput(
            _("Unknown return method “%(value)s”.") % {"value": data.return_method}, field="return_method"
        )
    register_only = mode == Mode.COUNTER and not accept
    components = _components(version, data, channel, complete=not register_only)
    plan = IntakePlan(mode, channel, version, receiving, counter, handling, data, components, accept=not register_only)
    plan.warnings = _duplicate_warnings(procedure, data.applicant)
    return plan


def _mode_and_channel(caller: User, requested: str | None) -> tuple[Mode, Channel]:
    if requested is not None and requested not in CHANNELS:
        raise InvalidInput(_("Unknown channel “%(value)s”.") % {"value": requested}, field="channel")
    if caller.kind in (AccountKind.CITIZEN, AccountKind.ORGANIZATION):
        mode = Mode.APPLICANT
    elif caller.kind == AccountKind.INTEGRATION:
        mode = Mode.INTEGRATION
    elif active_memberships(caller, Role.COUNTER_OFFICER).exists():
        mode = Mode.COUNTER
    elif active_memberships(caller, Role.POSTAL_AGENT).exists():
        mode = Mode.POSTAL_PICKUP
    else:
        raise PermissionDenied(
            _("Only applicants, counter officers, postal agents and integrations register dossiers.")
        )
    allowed = MODE_CHANNELS[mode]
    channel = CHANNELS[requested] if requested else allowed[0]
    if channel not in allowed:
        raise InvalidInput(_("This channel is not available to you."), field="channel")
    return mode, channel


def _check_channel_allowed(version: ProcedureVersion, channel: Channel) -> None:
    if channel == Channel.ONLINE and version.online_level == OnlineLevel.NONE:
        raise InvalidInput(_("This procedure cannot be filed online."), field="channel")
    if channel == Channel.POSTAL and not version.postal_allowed:
        raise InvalidInput(_("This procedure cannot be filed by post."), field="channel")


def _unit(code: str, field_name: str) -> Unit:
    unit = Unit.objects.filter(code=code.strip().upper(), active_until__isnull=True).first()
    if unit is None:
        raise InvalidInput(_("Unknown unit “%(code)s”.") % {"code": code}, field=field_name)
    return unit


def _receiving(caller: User, mode: Mode, data: IntakeInput, procedure: Procedure) -> tuple[Unit, Counter | None]:
    """The receiving unit (and counter): the officer's own counter unless another of theirs is named."""
    if mode != Mode.COUNTER:
        code = data.receiving_unit or data.handling_unit or _only_unit(procedure, receives=True)
        if not code:
            raise InvalidInput(_("Choose the unit that receives the dossier."), field="receiving_unit")
        return _unit(code, "receiving_unit"), None
    memberships = active_memberships(caller, Role.COUNTER_OFFICER).select_related("counter__unit", "unit")
    if data.receiving_unit:
        unit = _unit(data.receiving_unit, "receiving_unit")
        ids = unit_ids_for_user(caller, Role.COUNTER_OFFICER)
        if ids is not None and unit.pk not in ids:
            raise PermissionDenied(_("You do not work at a counter of this unit."))
        counter = next((m.counter for m in memberships if m.counter and m.counter.unit_id == unit.pk), None)
        return unit, counter
    first = memberships.filter(counter__isnull=False).order_by("pk").first() or memberships.order_by("pk").first()
    if first is None:
        raise PermissionDenied(_("You do not work at a counter."))
    return (first.counter.unit, first.counter) if first.counter else (first.unit, None)


def _only_unit(procedure: Procedure, *, receives: bool) -> str | None:
    offerings = Offering.objects.filter(procedure=procedure, **({"receives": True} if receives else {"handles": True}))
    codes_ = list(offerings.values_list("unit__code", flat=True)[:2])
    return codes_[0] if len(codes_) == 1 else None


def _handling(data: IntakeInput, procedure: Procedure, receiving: Unit) -> Unit:
    """The competent unit: as named, else the receiving unit when competent, else the only one."""
    handles = Offering.objects.filter(procedure=procedure, handles=True)
    if data.handling_unit:
        unit = _unit(data.handling_unit, "handling_unit")
        if not handles.filter(unit=unit).exists():
            raise InvalidInput(_("This unit is not competent for this procedure."), field="handling_unit")
        return unit
    if handles.filter(unit=receiving).exists():
        return receiving
    only = _only_unit(procedure, receives=False)
    if only is None:
        raise InvalidInput(_("Choose the competent unit for this procedure."), field="handling_unit")
    return _unit(only, "handling_unit")


def _check_receives(version: ProcedureVersion, procedure: Procedure, receiving: Unit, handling: Unit) -> None:
    if Offering.objects.filter(procedure=procedure, unit=receiving, receives=True).exists():
        return
    # Non-geographic procedures: any counter of the province receives them (Decree 118/2025 Art. 14, 20).
    same_province = receiving.province_id is None or receiving.province_id == handling.province_id
    if version.non_geographic and same_province and receiving.counters.filter(is_active=True).exists():
        return
    raise InvalidInput(_("This procedure is not received at this unit."), field="receiving_unit")


def _check_applicant(applicant: ApplicantInput) -> None:
    if applicant.kind == ApplicantKind.PERSON:
        if not applicant.full_name.strip():
            raise InvalidInput(_("The applicant's full name is required."), field="applicant.full_name")
        _check_id_number(applicant.id_number, applicant.date_of_birth)
    elif applicant.kind == ApplicantKind.ORGANIZATION:
        if not applicant.name.strip():
            raise InvalidInput(_("The organization's name is required."), field="applicant.name")
        _check_tax_code(applicant.tax_code)
    else:
        raise InvalidInput(_("The applicant is a person or an organization."), field="applicant.kind")
    if applicant.email:
        try:
            validate_email(applicant.email)
        except ValidationError:
            raise InvalidInput(_("Enter a valid e-mail address."), field="applicant.email") from None


def _check_id_number(value: str, date_of_birth: date | None) -> None:
    try:
        validate_id_number(normalize_digits(value), date_of_birth=date_of_birth)
    except IdentityError as exc:
        raise InvalidInput(exc.message, field="applicant.id_number") from None


def _check_tax_code(value: str) -> None:
    if not value.strip():
        raise InvalidInput(_("The organization's tax code is required."), field="applicant.tax_code")
    try:
        validate_tax_code(normalize_digits(value))
    except IdentityError as exc:
        raise InvalidInput(exc.message, field="applicant.tax_code") from None


def _components(
    version: ProcedureVersion, data: IntakeInput, channel: Channel, *, complete: bool = True
) -> list[tuple[Component, ComponentInput]]:
    """The provided components matched to the version's; unknown codes and missing required ones refused."""
    known = {component.code: component for component in version.components.all()}
    unknown = [item.code for item in data.components if item.code not in known]
    if unknown:
        raise InvalidInput(_("Unknown components: %(codes)s.") % {"codes": ", ".join(unknown)}, field="components")
    provided = {item.code for item in data.components if item.provided}
    # Papers of a situation ("Trường hợp …", "… trong trường hợp ủy quyền") apply only in it: not checked here.
    required = components_always_required(list(known.values()), channel=int(channel))
    missing = [c for c in required if c.code not in provided]
    if missing and complete:
        names = "; ".join(f"{c.code} ({c.name})" for c in missing)
        raise InvalidInput(_("Required components are missing: %(names)s.") % {"names": names}, field="components")
    return [(known[item.code], item) for item in data.components]


def _duplicate_warnings(procedure: Procedure, applicant: ApplicantInput) -> list[str]:
    """Same applicant, same procedure, same local day: a warning, not a refusal (SPEC §3.3)."""
    identity = applicant.id_number if applicant.kind == ApplicantKind.PERSON else applicant.tax_code
    if not identity:
        return []
    field_name = "applicant_id_number" if applicant.kind == ApplicantKind.PERSON else "organization_tax_code"
    midnight = datetime.combine(clock.local_today(), time.min, tzinfo=VIETNAM)
    same = Dossier.objects.filter(
        procedure=procedure,
        submitted_at__gte=midnight,
        submitted_at__lt=midnight + timedelta(days=1),
        **{field_name: normalize_digits(identity)},
    ).exclude(status=Status.DRAFT)
    found = [code for code in same.values_list("code", flat=True) if code]
    if not found:
        return []
    return [_("The same applicant already filed this procedure today: %(codes)s.") % {"codes": ", ".join(found)}]


@transaction.atomic
@outbox_batch()  # the new dossier's outbox messages in one INSERT, no savepoint each
def _intake_write(*, caller: User, plan: IntakePlan, idempotency_key: str | None, digest: str) -> IntakeResult:
    now = clock.now()
    dossier = _dossier_create(caller, plan)
    chain_new(dossier)  # a new dossier: its events need not ask for the previous one
    dossier.code = dossier_code_for(dossier, at=now)
    dossier.submitted_at = now
    event = transition(
        dossier,
        Action.SUBMIT,
        actor=caller,
        at=now,
        data={"channel": plan.channel.name.lower(), "mode": str(plan.mode), "warnings": plan.warnings},
        fields=("code", "submitted_at"),
    )
    if any(item.vault_document is not None for _component, item in plan.components):
        component_reuses_record(dossier=dossier, caller=caller)  # vault documents instead of the paper
    if plan.mode == Mode.COUNTER and plan.accept:
        effects_enqueue(dossier, event)
        accept_locked(dossier, officer=caller, at=now)
    else:
        reception_open(dossier, at=now)
        effects_enqueue(dossier, event, notify="submitted")
        if plan.mode != Mode.COUNTER:  # the counter officer registering it is the reception
            _alert_reception(dossier)
    if idempotency_key:
        IdempotencyKey.objects.create(key=idempotency_key, caller=caller, request_hash=digest, dossier=dossier)
    chain_forget(dossier)
    return IntakeResult(dossier=dossier, warnings=plan.warnings)


def _alert_reception(dossier: Dossier) -> None:
    """Tell the receiving counter at once (Decree 118/2025 Art. 17.2: within 2 hours of arrival)."""
    officers = Membership.objects.filter(
        unit=dossier.receiving_unit, role=Role.COUNTER_OFFICER, active_until__isnull=True, user__is_active=True
    ).select_related("user")
    notify_enqueue(
        dossier,
        template="reception_alert",
        recipients=[m.user.email for m in officers],
        key=f"reception:{dossier.pk}",
    )


def _dossier_create(caller: User, plan: IntakePlan) -> Dossier:
    applicant = plan.data.applicant
    dossier = Dossier.objects.create(
        procedure=plan.version.procedure,
        procedure_version=plan.version,
        applicant_kind=applicant.kind,
        applicant_name=applicant.full_name.strip(),
        applicant_id_number=normalize_digits(applicant.id_number),
        applicant_date_of_birth=applicant.date_of_birth,
        applicant_address=applicant.address,
        applicant_phone=applicant.phone,
        applicant_email=applicant.email,
        organization_name=applicant.name.strip(),
        organization_tax_code=normalize_digits(applicant.tax_code),
        organization_representative=applicant.representative,
        owner=caller if plan.mode == Mode.APPLICANT else None,
        submitted_by=caller,
        channel=plan.channel,
        receiving_unit=plan.receiving_unit,
        receiving_counter=plan.receiving_counter,
        handling_unit=plan.handling_unit,
        return_method=plan.data.return_method,
        form_data=plan.data.form_data,
    )
    DossierComponent.objects.bulk_create(
        DossierComponent(
            dossier=dossier,
            component=component,
            originals=item.originals,
            copies=item.copies,
            files=[str(f) for f in item.files],
            vault_document=item.vault_document,
            reused=item.vault_document is not None,
        )
        for component, item in plan.components
    )
    _fee_lines(dossier, plan)
    return dossier


def _fee_lines(dossier: Dossier, plan: IntakePlan) -> None:
    fees = [fee for fee in plan.version.fees.all() if fee.channel in (None, plan.channel)]
    FeeLine.objects.bulk_create(
        FeeLine(
            dossier=dossier,
            code=fee.code,
            name=fee.name,
            amount=fee.amount,
            kind=fee.kind,
            collected_at=fee.collected_at,
        )
        for fee in fees
    )

"""Administration-only orchestration: the log of admin changes, registering signing identities from
an uploaded PKCS#12 file or a PKCS#11 token, the "effect" preview of a calendar override, and the
counter queue's service areas (which only administrators set up).

Everything else the pages do is a call to the owning app's services.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.accounts.models import User
from motcua.administration.models import AdminChange
from motcua.core import clock
from motcua.core.errors import InvalidInput
from motcua.documents.models import SigningIdentity
from motcua.documents.services import signing_identity_create
from motcua.organizations.models import Counter, Unit
from motcua.queueing.models import ServiceArea, Ticket, TicketStatus
from motcua.workcalendar.services import compute_due

_VARIABLE = re.compile(r"^[A-Z][A-Z0-9_]{0,99}$")
MAX_P12_BYTES = 100 * 1024


def admin_change_record(
    *,
    by: User,
    action: str,
    target: models.Model,
    unit: Unit | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AdminChange:
    """Log one admin change (call it inside the action's transaction, after the change succeeded)."""
    return AdminChange.objects.create(
        by=by,
        action=action,
        target=f"{target._meta.label_lower}:{target.pk}",
        target_label=str(target)[:255],
        unit=unit,
        before=_jsonable(before or {}),
        after=_jsonable(after or {}),
    )


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v if isinstance(v, str | int | float | bool | type(None) | list) else str(v) for k, v in values.items()}


# --- signing identities -------------------------------------------------------------------------


@dataclass(frozen=True)
class CertificateFacts:
    """What the pages show of a certificate."""

    subject: str
    issuer: str
    valid_from: datetime
    valid_until: datetime
    serial: str


def certificate_facts(pem: str) -> CertificateFacts | None:
    try:
        cert = x509.load_pem_x509_certificate(pem.encode())
    except ValueError:
        return None
    return _facts(cert)


def _facts(cert: x509.Certificate) -> CertificateFacts:
    return CertificateFacts(
        subject=cert.subject.rfc4514_string(),
        issuer=cert.issuer.rfc4514_string(),
        valid_from=cert.not_valid_before_utc,
        valid_until=cert.not_valid_after_utc,
        serial=f"{cert.serial_number:X}",
    )


def certificate_check(cert: x509.Certificate, *, unit: Unit) -> None:
    """Refuse a certificate that is not valid now or that names another unit.

    A unit's certificate names it by its code in OU (as the Government CA and the dev PKI issue them)
    or by its full name in CN.
    """
    now = clock.now()
    if cert.not_valid_after_utc <= now:
        when = cert.not_valid_after_utc.astimezone(clock.VIETNAM).strftime("%d/%m/%Y")
        raise InvalidInput(_("The certificate expired on %(date)s: it cannot sign anything.") % {"date": when})
    if cert.not_valid_before_utc > now:
        when = cert.not_valid_before_utc.astimezone(clock.VIETNAM).strftime("%d/%m/%Y")
        raise InvalidInput(_("The certificate is not valid until %(date)s.") % {"date": when})
    units = [a.value for a in cert.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)]
    names = [a.value for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    if unit.code not in units and unit.name not in names:
        raise InvalidInput(
            _("This certificate was issued to “%(subject)s”, not to %(unit)s (%(code)s).")
            % {"subject": cert.subject.rfc4514_string(), "unit": unit.name, "code": unit.code},
            field="certificate",
        )


def secret_value(variable: str) -> str | None:
    """The value of the environment variable (or DOCUMENTS_* setting) signing will read, None if unset."""
    value = os.environ.get(variable)
    if value is None and variable.startswith("DOCUMENTS_"):
        value = getattr(settings, variable, None) or None
    return value


def _check_variable(variable: str, *, field: str) -> str:
    variable = variable.strip()
    if not _VARIABLE.fullmatch(variable):
        raise InvalidInput(_("Give the name of a variable in capitals, digits and _, like SIGN_PASS_H56."), field=field)
    return variable


@transaction.atomic
def signing_identity_register_pkcs12(
    *, unit: Unit, data: bytes, password: str, passphrase_env: str, label: str, by: User
) -> SigningIdentity:
    """Register an uploaded PKCS#12 file for `unit` after opening it with `password` and checking it.

    The password is never stored: signing reads it from the variable `passphrase_env`, which must
    already hold the same value on the server.
    """
    if len(data) > MAX_P12_BYTES:
        raise InvalidInput(_("The file is too large for a PKCS#12 file."), field="file")
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, password.encode() or None)
    except ValueError:
        raise InvalidInput(
            _("The file cannot be opened: it is not a PKCS#12 file or the password is wrong."), field="password"
        ) from None
    if key is None or cert is None:
        raise InvalidInput(_("The file holds no private key with its certificate."), field="file")
    certificate_check(cert, unit=unit)
    variable = _check_variable(passphrase_env, field="passphrase_env")
    stored = secret_value(variable)
    if stored is None:
        raise InvalidInput(
            _("The variable %(name)s is not set on the server: ask the operator to set it to the password first.")
            % {"name": variable},
            field="passphrase_env",
        )
    if stored != password:
        raise InvalidInput(
            _("The variable %(name)s holds another password than the one given.") % {"name": variable},
            field="passphrase_env",
        )
    chain = "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in extra)
    identity = signing_identity_create(
        unit=unit,
        certificate_pem=cert.public_bytes(serialization.Encoding.PEM).decode(),
        chain_pem=chain,
        kind=SigningIdentity.Kind.PKCS12,
        label=label.strip(),
        p12_data=data,
        passphrase_env=variable,
    )
    admin_change_record(
        by=by, action="signing_identity.pkcs12", target=identity, unit=unit, after=_identity_facts(identity)
    )
    return identity


@transaction.atomic
def signing_identity_register_pkcs11(
    *,
    unit: Unit,
    certificate_pem: str,
    module: str,
    token_label: str,
    key_label: str,
    pin_env: str,
    label: str,
    by: User,
) -> SigningIdentity:
    """Register a key held on a PKCS#11 token or HSM; its certificate is checked like an uploaded one."""
    try:
        cert = x509.load_pem_x509_certificate(certificate_pem.strip().encode())
    except ValueError:
        raise InvalidInput(_("The certificate is not a valid PEM certificate."), field="certificate_pem") from None
    try:
        certificate_check(cert, unit=unit)
    except InvalidInput as error:
        raise InvalidInput(error.message, field="certificate_pem") from None
    if not os.path.isabs(module.strip()):
        raise InvalidInput(
            _("Give the full path of the PKCS#11 module, like /usr/lib/softhsm/libsofthsm2.so."), field="module"
        )
    if not key_label.strip():
        raise InvalidInput(_("This field is required."), field="key_label")
    identity = signing_identity_create(
        unit=unit,
        certificate_pem=cert.public_bytes(serialization.Encoding.PEM).decode(),
        kind=SigningIdentity.Kind.PKCS11,
        label=label.strip(),
        pkcs11_module=module.strip(),
        pkcs11_token_label=token_label.strip(),
        pkcs11_key_label=key_label.strip(),
        pkcs11_pin_env=_check_variable(pin_env, field="pin_env") if pin_env.strip() else "",
    )
    admin_change_record(
        by=by, action="signing_identity.pkcs11", target=identity, unit=unit, after=_identity_facts(identity)
    )
    return identity


@transaction.atomic
def signing_identity_set_active(*, identity: SigningIdentity, active: bool, by: User) -> SigningIdentity:
    """Stop a unit signing with this key (a lost token, a revoked certificate) or let it sign again.

    Nothing is deleted: documents signed with it stay verifiable. A key whose certificate has expired
    cannot be put back in use.
    """
    identity = SigningIdentity.objects.select_for_update().select_related("unit").get(pk=identity.pk)
    if identity.active == active:
        message = (
            _("The signing identity is already in use.")
            if active
            else _("The signing identity is already deactivated.")
        )
        raise InvalidInput(message, field="identity")
    if active and identity.valid_until <= clock.now():
        when = identity.valid_until.astimezone(clock.VIETNAM).strftime("%d/%m/%Y")
        raise InvalidInput(
            _("The certificate expired on %(date)s: it cannot sign anything.") % {"date": when}, field="identity"
        )
    identity.active = active
    identity.save(update_fields=["active"])
    admin_change_record(
        by=by,
        action="signing_identity.reactivate" if active else "signing_identity.deactivate",
        target=identity,
        unit=identity.unit,
        before={"active": not active},
        after={"active": active},
    )
    return identity


def _identity_facts(identity: SigningIdentity) -> dict[str, Any]:
    facts = certificate_facts(identity.certificate_pem)
    return {
        "kind": identity.kind,
        "label": identity.label,
        "subject": facts.subject if facts else "",
        "valid_until": identity.valid_until.isoformat(),
    }


# --- calendar -----------------------------------------------------------------------------------

EFFECT_DAYS = 5


def due_for_today(*, days: int = EFFECT_DAYS) -> datetime:
    """When a `days`-working-day procedure accepted at today's opening falls due (the override preview)."""
    # Midnight: the arithmetic moves it to the day's opening (or the next working day's).
    start = datetime.combine(clock.local_today(), time(0, 0), tzinfo=clock.VIETNAM)
    return compute_due(start=start, amount=days, unit="working_days").due_at


# --- queue service areas ------------------------------------------------------------------------

_LETTER = re.compile(r"^[A-Z]$")


@transaction.atomic
def service_area_create(
    *,
    unit: Unit,
    letter: str,
    name: str,
    procedure_fields: str = "",
    counters: Iterable[Counter] = (),
    position: int = 0,
    is_active: bool = True,
    by: User,
) -> ServiceArea:
    """Add a line to the unit's kiosk; its tickets will be numbered after `letter` (A001, A002…)."""
    if not unit.is_active:
        raise InvalidInput(_("The unit is no longer active: it cannot get a new service area."), field="unit")
    values = _area_values(letter=letter, name=name, procedure_fields=procedure_fields, position=position)
    chosen = _area_counters(unit, counters, kept=set())
    area = ServiceArea(unit=unit, is_active=is_active, **values)
    _area_save(area)
    area.counters.set(chosen)
    admin_change_record(by=by, action="service_area.create", target=area, unit=unit, after=_area_facts(area))
    return area


@transaction.atomic
def service_area_update(
    *,
    area: ServiceArea,
    letter: str,
    name: str,
    procedure_fields: str = "",
    counters: Iterable[Counter] = (),
    position: int = 0,
    is_active: bool = True,
    by: User,
) -> ServiceArea:
    """Change an area; a letter already printed on tickets stays, and an area with people waiting stays open."""
    area = ServiceArea.objects.select_for_update().select_related("unit").get(pk=area.pk)
    before = _area_facts(area)
    values = _area_values(letter=letter, name=name, procedure_fields=procedure_fields, position=position)
    if values["letter"] != area.letter and area.tickets.exists():
        raise InvalidInput(
            _("Tickets were already numbered with the letter %(letter)s: it cannot change. Add a new area instead.")
            % {"letter": area.letter},
            field="letter",
        )
    if is_active and not area.is_active and not area.unit.is_active:
        raise InvalidInput(_("The unit is no longer active: the area cannot be reopened."), field="is_active")
    if area.is_active and not is_active:
        _check_nobody_waiting(area, field="is_active")
    chosen = _area_counters(area.unit, counters, kept=set(area.counters.values_list("pk", flat=True)))
    for key, value in values.items():
        setattr(area, key, value)
    area.is_active = is_active
    _area_save(area)
    area.counters.set(chosen)
    after = _area_facts(area)
    if after != before:
        admin_change_record(
            by=by, action="service_area.update", target=area, unit=area.unit, before=before, after=after
        )
    return area


@transaction.atomic
def service_area_deactivate(*, area: ServiceArea, by: User) -> ServiceArea:
    """Take the area off the kiosk; its tickets and statistics stay (this is how an area is removed)."""
    area = ServiceArea.objects.select_for_update().select_related("unit").get(pk=area.pk)
    if not area.is_active:
        raise InvalidInput(_("The service area is already inactive."), field="area")
    _check_nobody_waiting(area, field="area")
    area.is_active = False
    area.save(update_fields=["is_active", "updated_at"])
    admin_change_record(
        by=by,
        action="service_area.deactivate",
        target=area,
        unit=area.unit,
        before={"is_active": True},
        after={"is_active": False},
    )
    return area


@transaction.atomic
def service_area_delete(*, area: ServiceArea, by: User) -> None:
    """Remove an area set up by mistake. One that ever numbered a ticket is kept: the tickets point at it."""
    area = ServiceArea.objects.select_for_update().select_related("unit").get(pk=area.pk)
    if area.tickets.exists():
        raise InvalidInput(
            _("Tickets were issued in this service area: it cannot be deleted, only deactivated."), field="area"
        )
    admin_change_record(by=by, action="service_area.delete", target=area, unit=area.unit, before=_area_facts(area))
    area.delete()


def _area_values(*, letter: str, name: str, procedure_fields: str, position: int) -> dict[str, Any]:
    letter, name = letter.strip(), name.strip()
    if not _LETTER.fullmatch(letter):
        raise InvalidInput(_("Give one capital letter, A to Z."), field="letter")
    if not name:
        raise InvalidInput(_("This field is required."), field="name")
    if position < 0:
        raise InvalidInput(_("The position cannot be negative."), field="position")
    return {"letter": letter, "name": name, "procedure_fields": procedure_fields.strip(), "position": position}


def _area_counters(unit: Unit, counters: Iterable[Counter], *, kept: set[int]) -> list[Counter]:
    """The counters chosen to call the area: the unit's own, open ones (one already listed may stay)."""
    chosen = list(counters)
    for counter in chosen:
        if counter.unit_id != unit.pk:
            raise InvalidInput(_("Choose only counters of this unit."), field="counters")
        if not counter.is_active and counter.pk not in kept:
            raise InvalidInput(_("The counter %(name)s is closed.") % {"name": counter.name}, field="counters")
    return chosen


def _area_save(area: ServiceArea) -> None:
    # Inactive areas keep their letter too: their tickets and statistics are read by it.
    others = ServiceArea.objects.filter(unit_id=area.unit_id, letter=area.letter).exclude(pk=area.pk)
    if not others.exists():
        try:
            with transaction.atomic():
                area.save()
        except IntegrityError:  # another administrator took the letter at the same instant
            pass
        else:
            return
    taken = others.first()
    raise InvalidInput(
        _("The letter %(letter)s is already used by the area “%(name)s” of this unit.")
        % {"letter": area.letter, "name": taken.name if taken else ""},
        field="letter",
    )


def _check_nobody_waiting(area: ServiceArea, *, field: str) -> None:
    # Counters call only active areas: closing one would strand the citizens holding its numbers.
    waiting = Ticket.objects.filter(area=area, status=TicketStatus.WAITING, day=clock.local_today()).count()
    if waiting:
        message = ngettext(
            "%(count)d person is still waiting in this area today: call or transfer them first.",
            "%(count)d people are still waiting in this area today: call or transfer them first.",
            waiting,
        )
        raise InvalidInput(message % {"count": waiting}, field=field)


def _area_facts(area: ServiceArea) -> dict[str, Any]:
    return {
        "letter": area.letter,
        "name": area.name,
        "procedure_fields": area.procedure_fields,
        "counters": sorted(area.counters.values_list("name", flat=True)),
        "position": area.position,
        "is_active": area.is_active,
    }

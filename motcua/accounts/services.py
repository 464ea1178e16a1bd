"""Writes to applicant profiles: citizens by personal ID number, organisations by tax code.

Dossier intake calls the upserts with what the applicant wrote; SSO calls the citizen upsert with
`verified=True`. A verified identity (name, birth date, gender) is never overwritten by typed input,
only the contact details are: the national ID system is the better source.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.identity import IdentityError, normalize_digits, validate_id_number, validate_tax_code
from motcua.accounts.models import CitizenProfile, OrganizationProfile, User
from motcua.accounts.roles import AccountKind
from motcua.core import clock
from motcua.core.errors import InvalidInput


@transaction.atomic
def citizen_profile_upsert(
    *,
    id_number: str,
    full_name: str,
    date_of_birth: date | None = None,
    gender: str = "",
    address: str = "",
    phone: str = "",
    email: str = "",
    user: User | None = None,
    verified: bool = False,
) -> CitizenProfile:
    """Create or update the profile with this ID number; link `user` to it when given."""
    id_number = normalize_digits(id_number)
    full_name = _required(full_name, field="full_name")
    try:
        validate_id_number(id_number, date_of_birth=date_of_birth, gender=gender or None, today=clock.local_today())
    except IdentityError as error:
        raise InvalidInput(error.message, field="id_number") from None
    _check_contact(email=email)
    profile = CitizenProfile.objects.select_for_update().filter(id_number=id_number).first()
    if profile is None:
        profile = CitizenProfile(id_number=id_number)
    if user is not None:
        _link(profile, user, CitizenProfile, field="id_number")
    if verified or profile.verified_at is None:
        profile.full_name = full_name
        profile.date_of_birth = date_of_birth or profile.date_of_birth
        profile.gender = gender or profile.gender
    if verified:
        profile.verified_at = clock.now()
    _update_contact(profile, address=address, phone=phone, email=email)
    profile.save()
    return profile


@transaction.atomic
def organization_profile_upsert(
    *,
    tax_code: str,
    name: str,
    representative: str = "",
    address: str = "",
    phone: str = "",
    email: str = "",
    user: User | None = None,
) -> OrganizationProfile:
    """Create or update the organisation with this tax code; link `user` to it when given."""
    tax_code = tax_code.strip().replace(" ", "")
    name = _required(name, field="name")
    try:
        validate_tax_code(tax_code)
    except IdentityError as error:
        raise InvalidInput(error.message, field="tax_code") from None
    _check_contact(email=email)
    profile = OrganizationProfile.objects.select_for_update().filter(tax_code=tax_code).first()
    if profile is None:
        profile = OrganizationProfile(tax_code=tax_code)
    if user is not None:
        _link(profile, user, OrganizationProfile, field="tax_code")
    profile.name = name
    if representative.strip():
        profile.representative = representative.strip()
    _update_contact(profile, address=address, phone=phone, email=email)
    profile.save()
    return profile


def _link(profile: Any, user: User, model: type[Any], *, field: str) -> None:
    if profile.user_id is not None and profile.user_id != user.pk:
        raise InvalidInput(_("This number is already linked to another account."), field=field)
    if model.objects.filter(user=user).exclude(pk=profile.pk).exists():
        raise InvalidInput(_("This account is already linked to another profile."), field=field)
    profile.user = user


def _update_contact(profile: Any, *, address: str, phone: str, email: str) -> None:
    # Blank input means "not given", so a counter officer's partial form never erases what we know.
    for name, value in (("address", address), ("phone", phone), ("email", email)):
        if value.strip():
            setattr(profile, name, value.strip())


def _check_contact(*, email: str) -> None:
    if email.strip():
        try:
            validate_email(email.strip())
        except ValidationError:
            raise InvalidInput(_("Enter a valid e-mail address."), field="email") from None


def _required(value: str, *, field: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise InvalidInput(_("This field is required."), field=field)
    return value


# --- staff accounts (administration pages) ----------------------------------------------------


@transaction.atomic
def staff_user_create(*, username: str, full_name: str, password: str, email: str = "", phone: str = "") -> User:
    """A new staff account; he enrols his TOTP device at first login (roles are granted per unit separately)."""
    from django.contrib.auth.password_validation import validate_password

    username = username.strip()
    full_name = _required(full_name, field="full_name")
    if not username:
        raise InvalidInput(_("This field is required."), field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise InvalidInput(_("This user name is already taken."), field="username")
    _check_contact(email=email)
    user = User(username=username, full_name=full_name, email=email.strip(), phone=phone.strip())
    user.kind = AccountKind.STAFF
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages), field="password") from None
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def staff_user_deactivate(*, user: User) -> User:
    """Stop a staff account from logging in; its history (events, signatures) keeps pointing at it."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise InvalidInput(_("This account is already deactivated."), field="user")
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def staff_totp_reset(*, user: User) -> int:
    """Remove the staff member's TOTP devices: at next login he enrols a new one. Returns how many were removed."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not user.is_staff_member:
        raise InvalidInput(_("Only staff accounts have a second factor to reset."), field="user")
    deleted, _details = TOTPDevice.objects.filter(user=user).delete()
    return deleted


def system_account(*, username: str, full_name: str) -> User:
    """The inactive integration account that bulk-written records are attributed to (history imports,
    generated workloads): it exists so every dossier has a submitter, and it can never log in."""
    user, created = User.objects.get_or_create(
        username=username, defaults={"kind": AccountKind.INTEGRATION, "full_name": full_name, "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user

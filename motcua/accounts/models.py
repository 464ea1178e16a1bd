from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.accounts.identity import IdentityError, validate_id_number, validate_tax_code
from motcua.accounts.roles import AccountKind
from motcua.core.models import TimeStampedModel


class User(AbstractUser):
    """Anyone who logs in: citizen, organization, staff member or integration client."""

    kind = models.CharField(_("account kind"), max_length=20, choices=AccountKind.choices, default=AccountKind.CITIZEN)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    @property
    def is_staff_member(self) -> bool:
        """Staff of the one-stop system (not Django's admin flag): must use a second factor."""
        return self.kind == AccountKind.STAFF

    def __str__(self) -> str:
        return self.full_name or self.username


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the clear value is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class CitizenProfile(TimeStampedModel):
    """A person who files dossiers, known by the 12-digit personal ID number; linked to an account if he has one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="citizen_profile",
    )
    id_number = models.CharField(_("personal ID number"), max_length=12, unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    # Set when the identity came from the national ID system (SSO/VNeID), never from a typed form.
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    class Meta:
        ordering = ["full_name", "id_number"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.id_number})"

    def clean(self) -> None:
        try:
            validate_id_number(self.id_number, date_of_birth=self.date_of_birth, gender=self.gender or None)
        except IdentityError as error:
            raise ValidationError({"id_number": error.message}) from None


class OrganizationProfile(TimeStampedModel):
    """An enterprise, cooperative or other organisation that files dossiers, known by its tax code."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organization_profile",
    )
    tax_code = models.CharField(_("tax code"), max_length=14, unique=True)
    name = models.CharField(_("name"), max_length=255)
    representative = models.CharField(_("legal representative"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        ordering = ["name", "tax_code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.tax_code})"

    def clean(self) -> None:
        try:
            validate_tax_code(self.tax_code)
        except IdentityError as error:
            raise ValidationError({"tax_code": error.message}) from None

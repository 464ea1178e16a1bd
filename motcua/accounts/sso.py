"""Citizens who log in with the national SSO (SPEC §7.1, §3.11).

The provider vouches for the ID number, name and date of birth: the profile with that ID number is
created or refreshed as verified, and its account is the one logged in. A profile that has no
account yet (typed at a counter, say) gets one now, so the citizen finds the dossiers filed for him.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from motcua.accounts.models import CitizenProfile, User
from motcua.accounts.roles import AccountKind
from motcua.accounts.services import citizen_profile_upsert
from motcua.integrations.identity.oidc import CitizenClaims, OidcConfig


def oidc_config() -> OidcConfig | None:
    """The configured provider, or None when SSO is off (no OIDC_PROVIDER_URL)."""
    if not settings.OIDC_PROVIDER_URL:
        return None
    return OidcConfig(
        issuer=settings.OIDC_PROVIDER_URL,
        client_id=settings.OIDC_CLIENT_ID,
        client_secret=settings.OIDC_CLIENT_SECRET,
        scopes=settings.OIDC_SCOPES,
        id_number_claim=settings.OIDC_ID_NUMBER_CLAIM,
    )


@transaction.atomic
def citizen_from_sso(claims: CitizenClaims) -> User:
    """The account for this verified identity, created on the first login. Raises InvalidInput."""
    profiles = CitizenProfile.objects.select_for_update(of=("self",)).select_related("user")
    profile = profiles.filter(id_number=claims.id_number).first()
    user = profile.user if profile is not None else None
    if user is None:
        user = User.objects.filter(username=f"vneid-{claims.id_number}").first() or User(
            username=f"vneid-{claims.id_number}", kind=AccountKind.CITIZEN
        )
        user.full_name = claims.full_name
        user.email = user.email or claims.email
        user.set_unusable_password()  # the provider is the only way in until the citizen sets one
    citizen_profile_upsert(
        id_number=claims.id_number,
        full_name=claims.full_name,
        date_of_birth=claims.date_of_birth,
        gender=claims.gender,
        email=claims.email,
        phone=claims.phone,
        user=_saved(user),
        verified=True,
    )
    return user


def _saved(user: User) -> User:
    if user.pk is None:
        user.save()
    return user

"""Logging staff reads of personal data (SPEC §5.4): who read which dossier, when and why."""

from __future__ import annotations

from motcua.accounts.models import User
from motcua.accounts.roles import AccountKind
from motcua.core import clock
from motcua.dossiers.models import Dossier, PersonalDataAccess


def personal_data_access_log(*, user: User, dossier: Dossier, purpose: str) -> PersonalDataAccess | None:
    """Record a staff member's read; applicants reading their own dossier are not logged."""
    if user.kind != AccountKind.STAFF and not user.is_superuser:
        return None
    return PersonalDataAccess.objects.create(user=user, dossier=dossier, at=clock.now(), purpose=purpose[:100])

"""Reads of ratings and feedback, always scoped: owners see their dossiers, staff their units' feedback.

Another person's dossier or a feedback outside the officer's units answers "not found", like a
code that does not exist.
"""

from __future__ import annotations

from typing import Any, Final

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from motcua.accounts.roles import Role
from motcua.core.errors import NotFound
from motcua.dossiers.models import Dossier
from motcua.feedback.models import Feedback, FeedbackAttachment, FeedbackStatus, Rating
from motcua.organizations.selectors import restrict

# Who may answer and publish in the name of a unit; every staff role of the unit may triage.
PUBLISH_ROLES: Final = (Role.UNIT_LEADER, Role.AGENCY_LEADER, Role.CONTROLLER, Role.ADMINISTRATOR)
TABLET_ROLES: Final = (Role.COUNTER_OFFICER,)


def _code(code: str) -> str:
    return (code or "").strip().upper()


def rating_dossier_for_owner(*, user: Any, code: str) -> Dossier:
    """The dossier `user` owns, whatever its status (the service checks it was returned)."""
    if not user.is_authenticated:
        raise NotFound(_("No dossier with this code."))
    dossier = Dossier.objects.select_related("procedure_version").filter(owner_id=user.pk, code=_code(code)).first()
    if dossier is None:
        raise NotFound(_("No dossier with this code."))
    return dossier


def rating_dossier_for_counter(*, officer: Any, code: str) -> Dossier:
    """A dossier received or handled by one of the counter officer's units."""
    dossiers = restrict(Dossier.objects.all(), officer, ("receiving_unit", "handling_unit"), role=TABLET_ROLES)
    dossier = dossiers.select_related("procedure_version").filter(code=_code(code)).first()
    if dossier is None:
        raise NotFound(_("No dossier with this code."))
    return dossier


def dossier_ratings(*, dossier: Dossier) -> QuerySet[Rating]:
    return Rating.objects.filter(dossier=dossier).order_by("created_at", "pk")


def feedback_list_for_staff(*, user: Any, status: str = "") -> QuerySet[Feedback]:
    feedback = restrict(Feedback.objects.select_related("target_unit"), user, "target_unit")
    if status:
        feedback = feedback.filter(status=status)
    return feedback.order_by("answer_due_at", "pk")


def feedback_get_for_staff(*, user: Any, code: str, role: Any = None) -> Feedback:
    feedback = restrict(Feedback.objects.select_related("target_unit", "dossier"), user, "target_unit", role=role)
    found = feedback.filter(code=_code(code)).first()
    if found is None:
        raise NotFound(_("No feedback with this code."))
    return found


def feedback_attachment_for_staff(*, user: Any, code: str, pk: int) -> FeedbackAttachment:
    """A file of a feedback the officer may open: the same scope as the feedback's page."""
    feedback = feedback_get_for_staff(user=user, code=code)
    found = feedback.attachments.select_related("stored_file").filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No such file."))
    return found


def feedback_published(*, q: str = "") -> QuerySet[Feedback]:
    """Published answers, newest first, with their likes and dislikes (the caller shows no personal data)."""
    items = Feedback.objects.filter(status=FeedbackStatus.PUBLISHED).select_related("target_unit")
    if q.strip():
        items = items.filter(Q(title__icontains=q.strip()) | Q(content__icontains=q.strip()))
    return items.annotate(
        likes=Count("votes", filter=Q(votes__satisfied=True)),
        dislikes=Count("votes", filter=Q(votes__satisfied=False)),
    ).order_by("-published_at", "-pk")


def feedback_published_get(*, code: str) -> Feedback:
    found = feedback_published().filter(code=_code(code)).first()
    if found is None:
        raise NotFound(_("No published answer with this code."))
    return found

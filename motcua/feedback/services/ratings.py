"""Rating the handling of a returned dossier (SPEC §3.8): validate, then write one row, once.

**Negative rating** (766 metric 5.4). Decree 61/2018 Art. 31 lists what is rated and Circular
32/2017 Art. 12(1)(c) gives each item three levels, but neither says when a whole rating counts as
negative. We read it strictly: a rating is negative when the applicant chose "chưa hài lòng" (not
yet satisfied) on *any* criterion, overall included. SPEC §3.8 calls "not yet satisfied" the
negative rating of 5.4, and the national portal counts a dossier with any dislike.

**One rating per dossier per rater.** The rater is the owner's account when the dossier has one
(on the portal, or at the counter tablet for a dossier filed with an account), else the applicant
at the counter tablet ("applicant"): so the same person cannot rate twice through two channels.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import User
from motcua.core import clock
from motcua.core.errors import Conflict, InvalidInput
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Dossier
from motcua.feedback.hooks import dossier_inputs_changed
from motcua.feedback.models import OPTIONAL_CRITERIA, Criterion, Level, Rating, RatingChannel

COMMENT_MAX: Final = 2000


def rater_key(*, dossier: Dossier, rater: User | None) -> str:
    """Who rates (module docstring): the account, the owner's account, or the applicant at the tablet."""
    user_id = rater.pk if rater is not None else dossier.owner_id
    return f"user:{user_id}" if user_id else "applicant"


def rating_answers_clean(answers: Mapping[str, Any]) -> dict[str, str]:
    """The answers as criterion → level, or InvalidInput naming the first problem."""
    clean: dict[str, str] = {}
    for criterion, level in answers.items():
        if criterion not in Criterion.values:
            raise InvalidInput(
                _("Unknown criterion “%(name)s”.") % {"name": str(criterion)[:40]}, code="unknown_criterion"
            )
        if level in (None, "") and criterion in OPTIONAL_CRITERIA:
            continue
        if level not in Level.values:
            raise InvalidInput(
                _("Unknown level “%(level)s”: use very_satisfied, satisfied or not_satisfied.")
                % {"level": str(level)[:40]},
                code="unknown_level",
                field=str(criterion),
            )
        clean[str(criterion)] = str(level)
    for criterion in Criterion:
        if criterion not in OPTIONAL_CRITERIA and criterion.value not in clean:
            raise InvalidInput(
                _("Please rate: %(criterion)s.") % {"criterion": criterion.label},
                code="missing_criterion",
                field=criterion.value,
            )
    return clean


def is_negative(answers: Mapping[str, str]) -> bool:
    """Some criterion "not yet satisfied" (module docstring)."""
    return any(level == Level.NOT_SATISFIED for level in answers.values())


def rating_check_dossier(dossier: Dossier) -> None:
    if dossier.status != Status.RETURNED:
        raise Conflict(_("A dossier can be rated only after its result has been returned."), code="not_returned")


@transaction.atomic
def rating_create(
    *,
    dossier: Dossier,
    answers: Mapping[str, Any],
    comment: str = "",
    channel: str = RatingChannel.PORTAL,
    rater: User | None = None,
    officer: User | None = None,
) -> Rating:
    """Record a rating of a returned dossier; refused (nothing written) when invalid or repeated."""
    clean = rating_answers_clean(answers)
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise InvalidInput(_("The comment is too long (at most %(n)s characters).") % {"n": COMMENT_MAX})
    if channel not in RatingChannel.values:
        raise InvalidInput(_("Unknown rating channel."), code="unknown_channel")
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)  # one rating at a time per dossier
    rating_check_dossier(dossier)
    key = rater_key(dossier=dossier, rater=rater)
    if Rating.objects.filter(dossier=dossier, rater_key=key).exists():
        raise Conflict(_("This dossier has already been rated."), code="already_rated")
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                dossier=dossier,
                rater=rater,
                rater_key=key,
                channel=channel,
                officer=officer,
                answers=clean,
                comment=comment,
                negative=is_negative(clean),
                created_at=clock.now(),
            )
    except IntegrityError:
        raise Conflict(_("This dossier has already been rated."), code="already_rated") from None
    dossier_inputs_changed([dossier.pk])
    return rating

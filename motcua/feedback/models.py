"""Ratings of a dossier's handling and feedback (phản ánh, kiến nghị — PAKN) (SPEC §3.8, §4.6).

- `Rating`: the applicant's satisfaction with one returned dossier, on the criteria of Decree
  61/2018 Art. 31(1) plus the overall evaluation of Circular 32/2017 Art. 12(1)(a), each on the
  three levels of Art. 12(1)(c).
- `Feedback`: a PAKN about a regulation, an officer or unit, or a dossier, with the times of each
  handling step (the inputs of 766 metrics 5.2, 5.3) and its due times from the working calendar.
- `FeedbackEvent`: one row per handling step (received, forwarded, answered, …): the history.
- `FeedbackVote`: a reader's satisfaction with a published answer (likes / dislikes of 5.3).
- `FeedbackAttachment`: a file sent with a feedback (a scan of the letter, a photo): staff only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.documents.models import StoredFile
from motcua.dossiers.models import Dossier
from motcua.organizations.models import Unit

USER = settings.AUTH_USER_MODEL


class Criterion(models.TextChoices):
    """What the applicant rates: Circular 32/2017 Art. 12(1)(a) and Decree 61/2018 Art. 31(1)(a)–(i)."""

    OVERALL = "overall", _("Overall, the handling of my dossier")
    RETURN_TIME = "return_time", _("Time to return the result compared with the rules")
    UNITS_CONTACTED = "units_contacted", _("Number of agencies I had to contact to complete the dossier")
    CONTACTS = "contacts", _("Number of times I had to contact the receiving agency")
    INFORMATION = "information", _("Accuracy, completeness and timeliness of the published procedure information")
    ATTITUDE = "attitude", _("Attitude of the officers who guided me, received and handled the dossier")
    LAWFUL_RESULT_COST = (
        "lawful_result_cost",
        _("Lawfulness of the result and of the costs; no costs outside the rules"),
    )
    EXPLANATIONS = "explanations", _("Time and quality of the explanations given to my feedback or complaints")
    ONLINE_SERVICE = "online_service", _("Progress and quality of the online public service")
    OTHER = "other", _("Other aspects")


# Art. 31(1)(g) and (h) concern feedback and online services the applicant may not have used, and
# (i) is open: the applicant may leave them out. Everything else must be answered.
OPTIONAL_CRITERIA = frozenset({Criterion.EXPLANATIONS, Criterion.ONLINE_SERVICE, Criterion.OTHER})


class Level(models.TextChoices):
    """The three levels of Circular 32/2017 Art. 12(1)(c)."""

    VERY_SATISFIED = "very_satisfied", _("Very satisfied")
    SATISFIED = "satisfied", _("Satisfied")
    NOT_SATISFIED = "not_satisfied", _("Not yet satisfied")


class RatingChannel(models.TextChoices):
    PORTAL = "portal", _("Public service portal")
    COUNTER_TABLET = "counter_tablet", _("Tablet at the counter")


class Rating(models.Model):
    """One rater's evaluation of the handling of one returned dossier (SPEC §3.8)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="ratings")
    # Who rated: the owner's account, or the applicant at the counter tablet (no account needed).
    rater = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # "user:<id>" or "applicant": one rating per dossier per rater (services.rater_key).
    rater_key = models.CharField(max_length=40)
    channel = models.CharField(_("channel"), max_length=20, choices=RatingChannel.choices)
    officer = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    answers = models.JSONField(default=dict)  # criterion → level
    comment = models.TextField(_("comment"), blank=True)
    negative = models.BooleanField(default=False)  # some criterion "not yet satisfied" (services.is_negative)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dossier", "rater_key"], name="one_rating_per_rater")]
        indexes = [models.Index(fields=["dossier"], condition=Q(negative=True), name="rating_negative_idx")]

    def __str__(self) -> str:
        return f"rating of {self.dossier_id} by {self.rater_key}"


class Category(models.TextChoices):
    REGULATION = "regulation", _("About a regulation or procedure")
    OFFICER_UNIT = "officer_unit", _("About an officer or a unit")
    DOSSIER = "dossier", _("About a dossier")


class FeedbackChannel(models.TextChoices):
    PORTAL = "portal", _("Public service portal")
    COUNTER = "counter", _("At the counter")
    PHONE = "phone", _("By phone")
    HOTLINE = "hotline", _("By hotline")
    LETTER = "letter", _("By letter")
    NATIONAL_PORTAL = "national_portal", _("National public service portal")


class FeedbackStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    INFO_REQUESTED = "info_requested", _("More information requested")
    REJECTED = "rejected", _("Rejected: out of scope")
    ANSWERED = "answered", _("Answered")
    PUBLISHED = "published", _("Answer published")


class Feedback(models.Model):
    """A feedback or recommendation (PAKN) and the times of its handling (SPEC §3.8, §4.6)."""

    code = models.CharField(_("feedback code"), max_length=30, unique=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    target_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="feedback")
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, null=True, blank=True, related_name="feedback")
    follows = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="followers")
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content"))
    channel = models.CharField(_("channel"), max_length=20, choices=FeedbackChannel.choices)
    # Personal data: never shown in public lists.
    contact_name = models.CharField(_("full name"), max_length=200)
    contact_phone = models.CharField(_("phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("email"), blank=True)
    contact_address = models.CharField(_("address"), max_length=500, blank=True)
    submitter = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    status = models.CharField(_("status"), max_length=20, choices=FeedbackStatus.choices)
    received_at = models.DateTimeField()
    answer_due_at = models.DateTimeField()  # 15 working days (SPEC §4.6)
    reject_due_at = models.DateTimeField()  # 2 working days
    info_due_at = models.DateTimeField()  # 5 working days
    rejected_at = models.DateTimeField(null=True, blank=True)
    info_requested_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    publish_due_at = models.DateTimeField(null=True, blank=True)  # 2 working days after the answer
    published_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)  # of the rejection, or what information is missing
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        indexes = [
            models.Index(fields=["target_unit", "received_at"], name="feedback_unit_received_idx"),
            models.Index(fields=["status", "published_at"], name="feedback_status_published_idx"),
        ]

    def __str__(self) -> str:
        return self.code


# What an official records by hand for the sender: the portals file their own.
OFFLINE_CHANNELS = (FeedbackChannel.COUNTER, FeedbackChannel.PHONE, FeedbackChannel.HOTLINE, FeedbackChannel.LETTER)


EVENT_LABELS = {
    "receive": _("Received"),
    "reject": _("Rejected: out of scope"),
    "request_info": _("More information requested"),
    "info_received": _("Information received"),
    "forward": _("Forwarded to another unit"),
    "answer": _("Answered"),
    "publish": _("Answer published"),
}


class FeedbackEvent(models.Model):
    """One step in the handling of a feedback: who did what, when (append-only)."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField()
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.feedback_id} {self.action}"

    @property
    def label(self) -> str:
        return str(EVENT_LABELS.get(self.action, self.action))


class FeedbackVote(models.Model):
    """A reader's satisfaction with a published answer: the likes and dislikes of 766 metric 5.3."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    satisfied = models.BooleanField()
    at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["feedback", "voter"], name="one_vote_per_reader")]

    def __str__(self) -> str:
        return f"vote on {self.feedback_id}"


class FeedbackAttachment(models.Model):
    """A file sent with a feedback; it may carry personal data, so only the unit's staff ever read it."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="attachments")
    stored_file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField(_("file name"), max_length=255)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.feedback_id}: {self.original_name}"

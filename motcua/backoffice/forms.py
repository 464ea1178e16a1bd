"""One form per dossier action on the dossier page; field names are `ActionParams`' own.

Forms only read and shape what the officer typed; the dossier services decide. A refusal from a
service comes back through `ActionForm.refuse`, next to the field it names.
"""

from __future__ import annotations

from typing import Any, ClassVar, Final

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import User
from motcua.backoffice import selectors
from motcua.backoffice.labels import PAYMENT_METHODS, SEARCH_STATUSES, URGENCY_LABELS
from motcua.core.errors import DomainError
from motcua.documents.selectors import signing_identity_for_unit
from motcua.dossiers.lifecycle import ACTION_LABELS, Action
from motcua.dossiers.models import Dossier, Outcome
from motcua.dossiers.services.actions import ActionParams

TEXT_MAX: Final = 2000


def _text(label: Any, *, required: bool = False, help_text: Any = "", rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _moment(label: Any, *, help_text: Any = "") -> forms.DateTimeField:
    """A date and time typed in Vietnam time (the site's time zone makes it aware)."""
    return forms.DateTimeField(
        label=label,
        help_text=help_text,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class ActionForm(forms.Form):
    """A form for one action on one dossier, prefixed with the action so that ids stay unique."""

    action: ClassVar[Action]

    def __init__(self, data: Any = None, *, dossier: Dossier, user: User) -> None:
        super().__init__(data, prefix=str(self.action))
        self.dossier, self.user = dossier, user
        self.setup()

    def setup(self) -> None:
        """Fill choices that depend on the dossier and the user."""

    @property
    def label(self) -> str:
        return str(ACTION_LABELS[self.action])

    def params(self) -> ActionParams:
        return ActionParams(**self.cleaned_data)

    def refuse(self, error: DomainError) -> None:
        """Show a service's refusal next to the field it names, else at the top of the form."""
        field = error.field if error.field in self.fields else None
        self.add_error(field, str(error.message))


class AcceptForm(ActionForm):
    action = Action.ACCEPT
    comment = _text(_("Comment"))


class RefuseForm(ActionForm):
    action = Action.REFUSE
    reason = _text(
        _("Reason for refusal"), required=True, help_text=_("Printed on the refusal slip for the applicant.")
    )


class ForwardForm(ActionForm):
    action = Action.FORWARD
    assignee = forms.ChoiceField(label=_("Assign to"), required=False)
    comment = _text(_("Comment"))

    def setup(self) -> None:
        self.target = selectors.forward_target(self.dossier)
        choices: list[tuple[str, str]] = [("", str(_("Anyone holding the step's role")))]
        if self.target is not None:
            candidates = selectors.step_candidates(self.dossier, self.target)
            choices += [(u.username, u.full_name or u.username) for u in candidates]
            self.fields["assignee"].help_text = _("Next step: %(step)s.") % {"step": self.target.name}
        self.fields["assignee"].choices = choices  # type: ignore[attr-defined]


class SendBackForm(ActionForm):
    action = Action.SEND_BACK
    comment = _text(_("What must be redone"), required=True)


class RequestSupplementForm(ActionForm):
    action = Action.REQUEST_SUPPLEMENT
    missing = _text(_("Missing documents"), required=True, help_text=_("One document per line."), rows=4)
    note = _text(_("Guidance for the applicant"))

    def clean_missing(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["missing"].splitlines() if line.strip()]


class SubmitSupplementForm(ActionForm):
    action = Action.SUBMIT_SUPPLEMENT
    note = _text(_("What was received"), help_text=_("Records a supplement handed in on paper."))


class ConsultForm(ActionForm):
    action = Action.CONSULT
    units = forms.MultipleChoiceField(label=_("Units to consult"), widget=forms.CheckboxSelectMultiple)
    question = _text(_("Question"), required=True)
    due_at = _moment(_("Answer by"), help_text=_("Date and time, Vietnam time."))

    def setup(self) -> None:
        units = selectors.consultable_units(self.dossier)
        self.fields["units"].choices = [(u.code, f"{u.name} ({u.code})") for u in units]  # type: ignore[attr-defined]


class AnswerConsultForm(ActionForm):
    action = Action.ANSWER_CONSULT
    consultation = forms.TypedChoiceField(label=_("Consultation"), coerce=int)
    answer = _text(_("Answer"), required=True, rows=4)

    def setup(self) -> None:
        pending = selectors.open_consultations_for(user=self.user, dossier=self.dossier)
        self.fields["consultation"].choices = [  # type: ignore[attr-defined]
            (c.pk, f"{c.unit.name}: {c.question[:80]}") for c in pending
        ]


class RequestPaymentForm(ActionForm):
    action = Action.REQUEST_PAYMENT
    amount = forms.DecimalField(label=_("Amount (VND)"), required=False, min_value=1, max_digits=14, decimal_places=0)
    note = _text(_("What the payment is for"))


class ConfirmPaymentForm(ActionForm):
    action = Action.CONFIRM_PAYMENT
    method = forms.ChoiceField(label=_("Payment method"), choices=list(PAYMENT_METHODS.items()))
    reference = forms.CharField(label=_("Receipt or transaction number"), required=False, max_length=100)


class ApologizeForm(ActionForm):
    action = Action.APOLOGIZE
    new_due_at = _moment(_("New return time"), help_text=_("Later than the current due time; Vietnam time."))
    reason = _text(_("Reason for the delay"), required=True, help_text=_("Printed on the apology letter."))


class ResolveForm(ActionForm):
    action = Action.RESOLVE
    outcome = forms.ChoiceField(label=_("Decision"), choices=Outcome.choices, widget=forms.RadioSelect)
    note = _text(_("Note"))
    reason = _text(_("Reason for the denial"), help_text=_("Required when the request is denied."))

    def setup(self) -> None:
        # Approving signs: the result is issued with the handling unit's certificate (SPEC §3.5).
        identity = signing_identity_for_unit(self.dossier.handling_unit)
        if identity is not None:
            self.signing_note = _(
                "Approving issues the result, signed electronically with the certificate of %(unit)s."
            ) % {"unit": self.dossier.handling_unit.name}
        else:
            self.signing_note = _(
                "%(unit)s has no signing certificate: approving records the decision; sign the paper result by hand."
            ) % {"unit": self.dossier.handling_unit.name}
        self.fields["outcome"].help_text = self.signing_note

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == Outcome.DENIED and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for the denial."))
        return data


class ReturnResultForm(ActionForm):
    action = Action.RETURN_RESULT
    receiver_name = forms.CharField(label=_("Received by (full name)"), max_length=200)
    receiver_id_number = forms.CharField(label=_("Receiver's ID number"), required=False, max_length=20)
    note = _text(_("Note"), help_text=_("E.g. originals returned to the applicant."))

    def setup(self) -> None:
        self.fields["receiver_name"].initial = self.dossier.applicant_display_name
        self.fields["receiver_id_number"].initial = self.dossier.applicant_id_number


class StopForm(ActionForm):
    action = Action.STOP
    reason = _text(_("Reason for stopping"), required=True)


class WithdrawForm(ActionForm):
    action = Action.WITHDRAW
    reason = _text(_("Applicant's reason"), help_text=_("Records a withdrawal requested on paper."))


ACTION_FORMS: Final[dict[Action, type[ActionForm]]] = {
    form.action: form
    for form in (
        AcceptForm,
        ForwardForm,
        SendBackForm,
        RequestSupplementForm,
        SubmitSupplementForm,
        ConsultForm,
        AnswerConsultForm,
        RequestPaymentForm,
        ConfirmPaymentForm,
        ApologizeForm,
        ResolveForm,
        ReturnResultForm,
        RefuseForm,
        StopForm,
        WithdrawForm,
    )
}


class InboxFilterForm(forms.Form):
    """The inbox's search box and filters (a GET form)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Code, applicant name, ID number, procedure code or name; accents optional."),
    )
    urgency = forms.ChoiceField(label=_("Deadline"), required=False, choices=[("", _("All")), *URGENCY_LABELS.items()])
    scope = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("unit", _("My unit's dossiers")), ("mine", _("Only my steps"))],
    )


class DossierSearchForm(forms.Form):
    q = forms.CharField(label=_("Code, applicant, ID number or procedure"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *SEARCH_STATUSES])


class BulkForwardForm(forms.Form):
    """The confirmation step of a bulk forward: the selected codes and one comment for all."""

    codes = forms.MultipleChoiceField(required=False)  # choices are the codes posted; the selector checks them
    comment = _text(_("Comment for every dossier"))

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        posted = data.getlist("codes") if data is not None else []
        self.fields["codes"].choices = [(code, code) for code in posted]  # type: ignore[attr-defined]

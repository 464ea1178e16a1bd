"""Forms of the rating and feedback pages. They check only the shape of the input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from motcua.core import clock
from motcua.feedback.models import OFFLINE_CHANNELS, OPTIONAL_CRITERIA, Category, Criterion, Level
from motcua.feedback.services.attachments import MAX_BYTES, MAX_FILES, Upload, too_large_message, too_many_message
from motcua.feedback.services.feedback import FeedbackInput
from motcua.organizations.models import Unit
from motcua.organizations.selectors import units_for_user

NOT_APPLICABLE = ("", _("Not applicable"))


class RatingForm(forms.Form):
    """One radio group per criterion (three levels; optional ones may be "not applicable"), and a comment."""

    comment = forms.CharField(
        label=_("Comment (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, forms.Field] = {}
        for criterion in Criterion:
            optional = criterion in OPTIONAL_CRITERIA
            choices = [*Level.choices, NOT_APPLICABLE] if optional else Level.choices
            fields[criterion.value] = forms.ChoiceField(
                label=criterion.label,
                choices=choices,
                required=not optional,
                initial="" if optional else None,
                widget=forms.RadioSelect,
            )
        fields["comment"] = self.fields.pop("comment")
        self.fields = fields  # type: ignore[assignment]

    def answers(self) -> dict[str, str]:
        return {c.value: self.cleaned_data.get(c.value) or "" for c in Criterion}


def _text(label: Any, *, required: bool = True, max_length: int = 200, autocomplete: str = "off") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.TextInput(attrs={"autocomplete": autocomplete}),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to `MAX_FILES` files; count and size are checked here, before a byte is read (the service checks again)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/*"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(too_many_message(), code="too_many_files")
        for item in files:
            if item.size > MAX_BYTES:
                raise forms.ValidationError(too_large_message(item.name), code="file_too_large")
        return [single(item, initial) for item in files]


def _attachments() -> AttachmentsField:
    return AttachmentsField(
        label=_("Attached files"),
        help_text=_("Up to 3 files (PDF, JPEG or PNG), 10 MB each. Only the officials handling it see them."),
    )


class FeedbackForm(forms.Form):
    category = forms.ChoiceField(label=_("What is it about?"), choices=Category.choices, widget=forms.RadioSelect)
    target_unit = forms.ModelChoiceField(
        label=_("Agency concerned"), queryset=Unit.objects.none(), to_field_name="code", empty_label=_("Choose…")
    )
    dossier_code = _text(_("Dossier code (if about a dossier)"), required=False, max_length=60)
    # "Title" alone is a job title in other apps' catalogs, which come first.
    title = _text(pgettext_lazy("feedback", "Title"))
    content = forms.CharField(label=_("Your feedback"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    contact_name = _text(_("Full name"), autocomplete="name")
    contact_phone = _text(_("Phone"), required=False, max_length=30, autocomplete="tel")
    contact_email = forms.EmailField(
        label=_("Email"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    contact_address = _text(_("Address"), required=False, max_length=500, autocomplete="street-address")
    follows_code = _text(_("Code of an earlier feedback you are not satisfied with"), required=False, max_length=30)
    attachments = _attachments()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_unit"].queryset = Unit.objects.filter(active_until__isnull=True).order_by("name")  # type: ignore[attr-defined]

    def uploads(self) -> list[Upload]:
        return [Upload(name=item.name or "", content=item.read()) for item in self.cleaned_data.get("attachments", [])]

    def input(self) -> FeedbackInput:
        data = self.cleaned_data
        return FeedbackInput(
            category=data["category"],
            target_unit=data["target_unit"].code,
            title=data["title"],
            content=data["content"],
            contact_name=data["contact_name"],
            contact_phone=data["contact_phone"],
            contact_email=data["contact_email"],
            contact_address=data["contact_address"],
            dossier_code=data["dossier_code"],
            follows_code=data["follows_code"],
        )


def _now_to_the_minute() -> Any:
    return clock.local_now().replace(second=0, microsecond=0)


class RecordForm(FeedbackForm):
    """An official records a feedback that came by phone, hotline, letter or in person."""

    channel = forms.ChoiceField(
        label=_("How did it arrive?"),
        choices=[(c.value, c.label) for c in OFFLINE_CHANNELS],
        widget=forms.RadioSelect,
    )
    received_at = forms.DateTimeField(
        label=_("Received at"),
        help_text=_("When the call, letter or visit actually came (within the last 30 days). Deadlines count from it."),
        initial=_now_to_the_minute,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    content = forms.CharField(label=_("Content"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    contact_name = _text(_("Sender's full name"))
    follows_code = _text(_("Code of an earlier feedback it follows up"), required=False, max_length=30)

    field_order = [
        "channel",
        "received_at",
        "contact_name",
        "contact_phone",
        "contact_email",
        "contact_address",
        "category",
        "target_unit",
        "dossier_code",
        "follows_code",
        "title",
        "content",
        "attachments",
    ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = units_for_user(user).filter(active_until__isnull=True).order_by("name")
        field = self.fields["target_unit"]
        field.queryset = units  # type: ignore[attr-defined]
        if len(units) == 1:
            field.initial = units[0].code


class ReasonForm(forms.Form):
    text = forms.CharField(label=_("Reason"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))


class NoteForm(forms.Form):
    text = forms.CharField(label=_("What arrived (optional)"), required=False, max_length=5000)


class ForwardForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Forward to"), queryset=Unit.objects.none(), to_field_name="code", empty_label=_("Choose…")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(active_until__isnull=True).order_by("name")  # type: ignore[attr-defined]


class VoteForm(forms.Form):
    satisfied = forms.TypedChoiceField(
        label=_("Does this answer satisfy you?"),
        choices=[("1", _("Satisfied")), ("0", _("Not satisfied"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )


def error_summary(*forms_: forms.Form | None) -> list[tuple[str, str]]:
    """(link, message) for every error of the bound forms, for the summary at the top of a page."""
    items: list[tuple[str, str]] = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        items += [("", str(error)) for error in form.non_field_errors()]
        for bound in form:
            anchor = f"{bound.auto_id}_0" if bound.use_fieldset else bound.id_for_label
            items += [(f"#{anchor}", f"{bound.label}: {error}") for error in bound.errors]
    return items

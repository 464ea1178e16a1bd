"""The one form of the second-factor pages: a six-digit code."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _


class TokenField(forms.CharField):
    """A one-time code; apps show it as "123 456" and people type it that way, so spaces are dropped."""

    def to_python(self, value: Any) -> str:
        return "".join(str(value or "").split())


class TokenForm(forms.Form):
    token = TokenField(
        label=_("Six-digit code"),
        help_text=_("The code your authenticator app shows now."),
        validators=[RegexValidator(r"^[0-9]{6}$", _("Enter the six digits shown by your authenticator app."))],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": "7"}),
    )

"""Template helpers of the shared page shell."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

register = template.Library()


@register.simple_tag
def sso_login_url(next_url: str = "") -> str:
    """Where the "VNeID / SSO" button goes, or "" to hide it.

    The button shows once an OIDC provider is configured (OIDC_PROVIDER_URL) and the login route
    `accounts:oidc-login` exists, so a half-configured installation never shows a dead button.
    """
    if not getattr(settings, "OIDC_PROVIDER_URL", ""):
        return ""
    try:
        url = reverse("accounts:oidc-login")
    except NoReverseMatch:
        return ""
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url

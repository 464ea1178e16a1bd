"""Login and the staff second factor: verify a code, or enrol an authenticator app the first time."""

from __future__ import annotations

from typing import Any

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts import otp
from motcua.accounts.decorators import with_next
from motcua.accounts.forms import TokenForm


class MotCuaLoginView(LoginView):
    """Django's login; staff continue to the code page before going where they were headed."""

    template_name = "accounts/login.html"

    def get_success_url(self) -> str:
        url = super().get_success_url()
        if getattr(self.request.user, "is_staff_member", False):
            return with_next(reverse("accounts:otp-verify"), url)
        return url


def _next_url(request: HttpRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure()):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _needs_code(user: Any) -> bool:
    return bool(user.is_staff_member) and not user.is_verified()


def _check_code(form: TokenForm, device: TOTPDevice, *, confirm: bool) -> bool:
    """True when the posted code is right; otherwise the form carries the reason."""
    if not form.is_valid():
        return False
    if not otp.totp_retry_allowed(device):
        form.add_error("token", _("Too many wrong codes. Wait a few seconds, then enter the newest code."))
        return False
    check = otp.totp_confirm if confirm else otp.totp_verify
    if not check(device, form.cleaned_data["token"]):
        form.add_error("token", _("This code is wrong or has expired. Enter the newest code from the app."))
        return False
    return True


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request)
    if not _needs_code(request.user):
        return redirect(next_url)
    device = otp.totp_device_confirmed(request.user)  # type: ignore[arg-type]
    if device is None:
        return redirect(with_next(reverse("accounts:otp-setup"), next_url))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and _check_code(form, device, confirm=False):
        django_otp.login(request, device)
        return redirect(next_url)
    status = 422 if request.method == "POST" else 200
    return render(request, "accounts/otp_verify.html", {"form": form, "next": next_url}, status=status)


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request)
    if not _needs_code(request.user):
        return redirect(next_url)
    if otp.totp_device_confirmed(request.user) is not None:  # type: ignore[arg-type]
        return redirect(with_next(reverse("accounts:otp-verify"), next_url))
    device = otp.totp_device_pending(request.user)  # type: ignore[arg-type]
    form = TokenForm(request.POST or None)
    if request.method == "POST" and _check_code(form, device, confirm=True):
        django_otp.login(request, device)
        messages.success(request, _("Your authenticator app is set up. You will be asked for a code at each login."))
        return redirect(next_url)
    # segno writes the SVG from the otpauth:// URL only; nothing user-typed goes into it.
    qr_svg = mark_safe(otp.totp_qr_svg(device))  # noqa: S308
    context = {"form": form, "next": next_url, "secret": otp.totp_secret(device), "qr_svg": qr_svg}
    return render(request, "accounts/otp_setup.html", context, status=422 if request.method == "POST" else 200)

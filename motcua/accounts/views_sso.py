"""Log in with the national SSO: send the browser to the provider, then finish the login on return."""

from __future__ import annotations

from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from motcua.accounts.decorators import with_next
from motcua.accounts.sso import citizen_from_sso, oidc_config
from motcua.accounts.views import _next_url
from motcua.core.errors import InvalidInput
from motcua.integrations.identity.oidc import PendingLogin, SsoError, authorization_request, complete_login

SESSION_KEY = "motcua_sso_pending"


def _callback_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("accounts:oidc-callback"))


def _failed(request: HttpRequest, message: str, *, status: int) -> HttpResponse:
    return render(request, "accounts/sso_error.html", {"message": message}, status=status)


@require_GET
def sso_start(request: HttpRequest) -> HttpResponse:
    config = oidc_config()
    if config is None:
        raise Http404
    try:
        url, pending = authorization_request(config, _callback_url(request))
    except SsoError as error:
        return _failed(request, str(error), status=503 if error.unavailable else 502)
    request.session[SESSION_KEY] = {**pending.as_dict(), "next": _next_url(request)}
    return redirect(url)


@require_GET
def sso_callback(request: HttpRequest) -> HttpResponse:
    config = oidc_config()
    if config is None:
        raise Http404
    stored = request.session.pop(SESSION_KEY, None)  # one use: a replayed callback finds nothing
    pending = PendingLogin.from_dict(stored)
    try:
        claims = complete_login(config, pending, request.GET.dict(), _callback_url(request))
        user = citizen_from_sso(claims)
    except SsoError as error:
        return _failed(request, str(error), status=503 if error.unavailable else 400)
    except InvalidInput as error:
        return _failed(request, str(error.message), status=400)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    next_url = stored.get("next", "") if isinstance(stored, dict) else ""
    if user.is_staff_member:  # staff still owe the second factor
        return redirect(with_next(reverse("accounts:otp-verify"), next_url))
    return redirect(next_url or reverse("portal:home"))

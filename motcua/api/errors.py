"""One error shape for the whole API: `{"error": {"code", "message"}}` with a 4xx (SPEC §8).

Messages are translated through Django i18n; LocaleMiddleware picks the language from
`Accept-Language`, so `vi` gets Vietnamese and `en` English.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from motcua.core.errors import DomainError


def error_body(code: str, message: Any, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": str(message), **extra}}


def _describe(error: dict[str, Any]) -> str:
    # ninja's loc is ("query", "amount"): the last element names the field the user sent.
    location = [str(part) for part in error.get("loc", ()) if part not in ("query", "body", "path", "form")]
    field = ".".join(location) or "?"
    return _("Field “%(field)s”: %(problem)s") % {"field": field, "problem": error.get("msg", "")}


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        extra = {"field": exc.field} if exc.field else {}
        return api.create_response(request, error_body(exc.code, exc.message, **extra), status=exc.status)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        message = "; ".join(_describe(e) for e in exc.errors) or _("Invalid request.")
        return api.create_response(request, error_body("invalid_input", message, details=exc.errors), status=400)

    @api.exception_handler(AuthenticationError)
    def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(request, error_body("unauthenticated", _("Authentication required.")), status=401)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return api.create_response(request, error_body("http_error", exc.message), status=exc.status_code)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, error_body("not_found", _("Not found.")), status=404)

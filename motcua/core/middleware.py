"""Vietnamese first: pages ignore the browser's Accept-Language; the API honours it.

Many phones in Vietnam run an English system UI, so an `en-US` Accept-Language says little about
what the citizen reads. Pages are Vietnamese until the person picks English with the language
switch (Django's language cookie). API clients choose per request with Accept-Language (SPEC §8).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

API_PREFIX = "/api/"


class VietnameseFirstMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)

"""The public directory of one-stop counters and, per counter, who works there (SPEC §3.1, seed 003 §III.1.9)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.organizations.selectors import counter_public, counter_staff, units_with_counters


def _counter_url_name(request: HttpRequest) -> str:
    # Works wherever the directory URLs are included (own namespace or nested under "portal").
    namespace = request.resolver_match.namespace if request.resolver_match else "directory"
    return f"{namespace}:counter"


def directory_index(request: HttpRequest) -> HttpResponse:
    context = {"units": units_with_counters(), "counter_url_name": _counter_url_name(request)}
    return render(request, "portal/directory/index.html", context)


def counter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    counter = counter_public(pk)
    if counter is None:
        raise Http404
    index_url_name = _counter_url_name(request).removesuffix(":counter") + ":index"
    context = {"counter": counter, "staff": counter_staff(counter), "index_url_name": index_url_name}
    return render(request, "portal/directory/counter.html", context)

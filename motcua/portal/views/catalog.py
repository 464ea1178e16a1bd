"""Public catalog pages: search the procedures and read one (SPEC §3.2). Work without JavaScript."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, cast

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Level, OnlineLevel, ProcedureVersion, TimeUnit
from motcua.catalog.selectors import field_list, procedure_search_page, procedure_version_get
from motcua.core.errors import NotFound

PER_PAGE = 20
CHANNEL_LABELS = {1: _("In person"), 2: _("Online"), 3: _("By post")}
# The online filing wizard comes later; its URL name will be "portal:filing-start" (code as argument).


class ProcedureSearchForm(forms.Form):
    """The search box and filters of the catalog list (a GET form)."""

    q = forms.CharField(label=_("Procedure name or code"), required=False, max_length=200)
    field = forms.ChoiceField(label=_("Field"), required=False)
    level = forms.ChoiceField(label=_("Level"), required=False, choices=[("", _("All levels")), *Level.choices])
    online_level = forms.ChoiceField(
        label=_("Online service"), required=False, choices=[("", _("All")), *OnlineLevel.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice = cast(forms.ChoiceField, self.fields["field"])
        choice.choices = [("", _("All fields")), *((f.code, f.name) for f in field_list())]


def procedure_list(request: HttpRequest) -> HttpResponse:
    form = ProcedureSearchForm(request.GET)
    form.is_valid()  # an invalid filter is ignored, the others still apply
    data = {name: form.cleaned_data.get(name) or None for name in ("field", "level", "online_level")}
    results = procedure_search_page(
        q=form.cleaned_data.get("q") or "", **data, page=_page_number(request), per_page=PER_PAGE
    )
    context = {"form": form, "results": results, "ns": _namespace(request)}
    return render(request, "portal/catalog/list.html", context)


def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        version = procedure_version_get(code=code)
    except NotFound:
        raise Http404(code) from None
    context = {
        "version": version,
        "channels": _channel_rows(version),
        "ns": _namespace(request),
    }
    return render(request, "portal/catalog/detail.html", context)


def _namespace(request: HttpRequest) -> str:
    # The pages may be mounted inside the portal namespace or on their own; link within wherever we are.
    match = request.resolver_match
    return match.namespace if match and match.namespace else "catalog_pages"


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def _channel_rows(version: ProcedureVersion) -> list[dict[str, Any]]:
    """Each filing channel with its time rows and the fee lines of each row, ready to display."""
    fees = defaultdict(list)
    for fee in version.fees.all():
        fees[fee.time_row].append(fee)
    units = dict(TimeUnit.choices)
    return [
        {
            "label": CHANNEL_LABELS.get(channel["channel"], channel["channel"]),
            "times": [
                {**time, "unit_label": units.get(time.get("unit", ""), ""), "fees": fees[time["row"]]}
                for time in channel["times"]
            ],
        }
        for channel in version.channels
    ]

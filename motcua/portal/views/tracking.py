"""Public tracking by dossier code (SPEC §3.3): what the QR code on a receipt opens. No personal data."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from motcua.core.errors import NotFound
from motcua.dossiers.lifecycle import status_label
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossier_track
from motcua.portal.forms import TrackingForm, error_summary


def tracking_search(request: HttpRequest) -> HttpResponse:
    form = TrackingForm(request.GET if "code" in request.GET else None)
    if form.is_bound and form.is_valid():
        return redirect("portal:tracking", code=form.cleaned_data["code"])
    context = {"form": form, "errors": error_summary(form)}
    return render(request, "portal/tracking/search.html", context, status=422 if form.is_bound else 200)


def tracking_result(request: HttpRequest, code: str) -> HttpResponse:
    try:
        dossier = dossier_track(code=code)
    except NotFound:
        context = {"form": TrackingForm(initial={"code": code}), "code": code}
        return render(request, "portal/tracking/not_found.html", context, status=404)
    return render(request, "portal/tracking/result.html", {"facts": _public_facts(dossier), "form": TrackingForm()})


def _public_facts(dossier: Dossier) -> dict[str, Any]:
    # Only these reach the template: the page is public, so nothing about the applicant.
    return {
        "code": dossier.code,
        "procedure": dossier.procedure_version.name,
        "status": dossier.status,
        "status_label": status_label(dossier.status),
        "submitted_at": dossier.submitted_at,
        "accepted_at": dossier.accepted_at,
        "due_at": dossier.due_at,
        "finished_at": dossier.finished_at,
    }

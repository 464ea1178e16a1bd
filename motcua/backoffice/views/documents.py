"""The dossier's documents on the staff pages: digitization progress (polled by htmx) and the result."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from motcua.accounts.decorators import staff_verified_required
from motcua.backoffice.views.common import dossier_or_404, staff_user
from motcua.documents.results import verification_url
from motcua.dossiers.document_selectors import digitization_progress, dossier_result
from motcua.dossiers.models import Dossier

POLL_SECONDS = 3


def documents_context(dossier: Dossier) -> dict[str, Any]:
    """What the counter and back-office dossier pages show of the digitization and of the result."""
    result = dossier_result(dossier=dossier)
    return {
        "digitization": digitization_progress(dossier=dossier),
        "poll_seconds": POLL_SECONDS,
        "result": result,
        "result_url": (
            reverse("api:dossier_document", kwargs={"code": dossier.code, "document_id": result.pk}) if result else ""
        ),
        "result_verify_url": verification_url(result.result_code) if result and result.result_code else "",
    }


@staff_verified_required
def digitization(request: HttpRequest, code: str) -> HttpResponse:
    """The progress block alone: htmx swaps it in every few seconds until nothing is left to do."""
    dossier = dossier_or_404(staff_user(request), code)
    context = {"dossier": dossier, "digitization": digitization_progress(dossier=dossier), "poll_seconds": POLL_SECONDS}
    return render(request, "backoffice/documents/_digitization.html", context)

"""Finding any dossier of the officer's units by code, applicant, ID number or procedure."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.accounts.decorators import staff_verified_required
from motcua.backoffice.forms import DossierSearchForm
from motcua.backoffice.selectors import dossier_search_page
from motcua.backoffice.views.common import page_number, staff_user


@staff_verified_required
def dossier_search(request: HttpRequest) -> HttpResponse:
    form = DossierSearchForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    page = dossier_search_page(
        user=staff_user(request), q=data.get("q") or "", status=data.get("status") or "", page=page_number(request)
    )
    return render(request, "backoffice/search.html", {"form": form, "page": page})

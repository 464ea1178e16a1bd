"""The administration home page and the log of admin changes."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.administration.access import admin_required, admin_unit_ids, admin_user, is_province_administrator
from motcua.administration.models import AdminChange


@admin_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "administration/home.html", {"province_admin": is_province_administrator(admin_user(request))}
    )


@admin_required
def change_log(request: HttpRequest) -> HttpResponse:
    user = admin_user(request)
    changes = AdminChange.objects.select_related("by", "unit")
    ids = admin_unit_ids(user)
    if ids is not None:
        # A unit administrator sees the changes in his units and his own (calendar, catalog).
        from django.db.models import Q

        changes = changes.filter(Q(unit_id__in=sorted(ids)) | Q(by=user))
    return render(request, "administration/changes.html", {"changes": changes[:200]})

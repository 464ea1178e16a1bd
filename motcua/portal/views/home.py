"""The portal's front page: search the catalog, or go straight to a common task."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.catalog.selectors import field_list


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"fields": field_list()})

"""The site's URLs plus one staff-only page, to exercise `@staff_verified_required`."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns
from motcua.accounts.decorators import staff_verified_required


@staff_verified_required
def staff_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("staff only")


urlpatterns = [path("staff-only/", staff_page, name="staff-only"), *site_urlpatterns]

"""JSON answers for API paths that match no endpoint, so integrators never get an HTML page."""

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _

from motcua.api.errors import error_body


def api_not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    return JsonResponse(error_body("not_found", _("No API endpoint at this path.")), status=404)

"""The dossier page of the back office: everything about one dossier, and a form per allowed action."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.accounts.decorators import staff_verified_required
from motcua.backoffice.dossier_page import dossier_page_context
from motcua.backoffice.forms import ACTION_FORMS, ActionForm
from motcua.backoffice.views.common import dossier_or_404, staff_user
from motcua.backoffice.views.documents import documents_context
from motcua.core.errors import DomainError, PermissionDenied
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier
from motcua.dossiers.services.actions import dossier_act
from motcua.dossiers.services.privacy import personal_data_access_log

PURPOSE = "backoffice: dossier page"


@staff_verified_required
def dossier_detail(request: HttpRequest, code: str) -> HttpResponse:
    return _page(request, dossier_or_404(staff_user(request), code))


@staff_verified_required
@require_POST
def dossier_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    user = staff_user(request)
    dossier = dossier_or_404(user, code)
    try:
        form = ACTION_FORMS[Action(action)](request.POST, dossier=dossier, user=user)
    except (ValueError, KeyError):
        raise Http404(action) from None
    if not form.is_valid():
        return _page(request, dossier, form, status=422)
    try:
        dossier_act(dossier=dossier, actor=user, action=action, params=form.params())
    except DomainError as error:
        form.refuse(error)  # the service wrote nothing: show the reason next to the field
        return _page(request, dossier, form, status=403 if isinstance(error, PermissionDenied) else 422)
    messages.success(request, _("Done: %(action)s.") % {"action": form.label})
    return redirect("backoffice:dossier", code=dossier.code)


def _page(request: HttpRequest, dossier: Dossier, bound: ActionForm | None = None, status: int = 200) -> HttpResponse:
    user = staff_user(request)
    # Staff reads of personal data are logged (SPEC §5.4), re-displays after a refused action too.
    personal_data_access_log(user=user, dossier=dossier, purpose=PURPOSE)
    context = dossier_page_context(user=user, dossier=dossier, bound=bound) | documents_context(dossier)
    return render(request, "backoffice/dossier/detail.html", context, status=status)

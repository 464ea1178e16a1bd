"""The officer's inbox (SPEC §3.4) and the bulk forward of dossiers waiting at the same step."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.accounts.decorators import staff_verified_required
from motcua.backoffice.forms import BulkForwardForm, InboxFilterForm
from motcua.backoffice.selectors import BulkPlan, bulk_forward_plan, inbox_page, is_leader
from motcua.backoffice.views.common import page_number, staff_user
from motcua.core.errors import DomainError
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.services.actions import ActionParams, dossier_act


@staff_verified_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    form = InboxFilterForm(request.GET)
    form.is_valid()  # an invalid filter is ignored, the others still apply
    data, leader = form.cleaned_data, is_leader(user)
    scope = (data.get("scope") or "unit") if leader else "mine"
    result = inbox_page(
        officer=user, q=data.get("q") or "", urgency=data.get("urgency") or "", scope=scope, page=page_number(request)
    )
    context = {"form": form, "result": result, "leader": leader, "scope": scope}
    return render(request, "backoffice/inbox.html", context)


@staff_verified_required
@require_POST
def bulk_forward(request: HttpRequest) -> HttpResponse:
    """First post: the confirmation page. Second post (`confirm`): forward each dossier, report each."""
    form = BulkForwardForm(request.POST)
    form.is_valid()
    plan = bulk_forward_plan(user=staff_user(request), codes=form.cleaned_data.get("codes") or [])
    if not plan.rows:
        messages.error(request, _("Select at least one dossier to forward."))
        return redirect("backoffice:inbox")
    safe = plan.same_step and bool(plan.ready)
    if request.POST.get("confirm") != "1" or not safe:
        return render(
            request, "backoffice/bulk_forward.html", {"form": form, "plan": plan}, status=200 if safe else 422
        )
    _forward_each(request, plan, comment=form.cleaned_data.get("comment") or "")
    return redirect("backoffice:inbox")


def _forward_each(request: HttpRequest, plan: BulkPlan, *, comment: str) -> None:
    """Each dossier in its own transaction (the service's): one refusal does not undo the others."""
    for row in plan.rows:
        if row.problem or row.dossier is None:
            messages.error(request, f"{row.code}: {row.problem}")
            continue
        try:
            dossier_act(
                dossier=row.dossier,
                actor=staff_user(request),
                action=Action.FORWARD,
                params=ActionParams(comment=comment),
            )
        except DomainError as error:
            messages.error(request, f"{row.code}: {error.message}")
        else:
            messages.success(request, _("%(code)s: forwarded.") % {"code": row.code})

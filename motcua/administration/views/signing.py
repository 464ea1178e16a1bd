"""Signing identities per unit: certificates shown, PKCS#12 upload (checked), PKCS#11 token entry."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.administration.access import admin_required, admin_unit_ids, admin_units, admin_user
from motcua.administration.forms import Pkcs11Form, Pkcs12Form
from motcua.administration.services import (
    certificate_facts,
    signing_identity_register_pkcs11,
    signing_identity_register_pkcs12,
    signing_identity_set_active,
)
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.documents.models import SigningIdentity


def _page(
    request: HttpRequest,
    p12: Pkcs12Form | None = None,
    p11: Pkcs11Form | None = None,
    status: int = 200,
    refused: str = "",
) -> HttpResponse:
    user = admin_user(request)
    ids = admin_unit_ids(user)
    identities = SigningIdentity.objects.select_related("unit").order_by("unit__code", "-valid_until")
    if ids is not None:
        identities = identities.filter(unit_id__in=sorted(ids))
    rows = [(identity, certificate_facts(identity.certificate_pem)) for identity in identities]
    context = {
        "rows": rows,
        "now": clock.now(),
        "p12": p12 or Pkcs12Form(units=admin_units(user), prefix="p12"),
        "p11": p11 or Pkcs11Form(units=admin_units(user), prefix="p11"),
        "refused": refused,
    }
    return render(request, "administration/signing.html", context, status=status)


@admin_required
def identity_list(request: HttpRequest) -> HttpResponse:
    return _page(request)


@admin_required
def identity_pkcs12(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect("administration:signing")
    form = Pkcs12Form(request.POST, request.FILES, units=admin_units(admin_user(request)), prefix="p12")
    if form.is_valid():
        data = form.cleaned_data
        try:
            signing_identity_register_pkcs12(
                unit=data["unit"],
                data=data["file"].read(),
                password=data["password"],
                passphrase_env=data["passphrase_env"],
                label=data["label_text"],
                by=admin_user(request),
            )
        except DomainError as error:
            form.refuse(error, {"certificate": "file"})
        else:
            messages.success(request, _("The signing identity was registered."))
            return redirect("administration:signing")
    return _page(request, p12=form, status=422)


@admin_required
def identity_pkcs11(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect("administration:signing")
    form = Pkcs11Form(request.POST, units=admin_units(admin_user(request)), prefix="p11")
    if form.is_valid():
        data = form.cleaned_data
        try:
            signing_identity_register_pkcs11(
                unit=data["unit"],
                certificate_pem=data["certificate_pem"],
                module=data["module"],
                token_label=data["token_label"],
                key_label=data["key_label"],
                pin_env=data["pin_env"],
                label=data["label_text"],
                by=admin_user(request),
            )
        except DomainError as error:
            form.refuse(error)
        else:
            messages.success(request, _("The signing identity was registered."))
            return redirect("administration:signing")
    return _page(request, p11=form, status=422)


TOGGLES = {"ngung-dung": False, "dung-lai": True}


@admin_required
@require_POST
def identity_toggle(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    """Deactivate (`ngung-dung`) or reactivate (`dung-lai`) a signing identity of one of the admin's units."""
    if what not in TOGGLES:
        raise Http404
    user = admin_user(request)
    ids = admin_unit_ids(user)
    identities = SigningIdentity.objects.all()
    if ids is not None:
        identities = identities.filter(unit_id__in=sorted(ids))
    identity = identities.filter(pk=pk).first()
    if identity is None:
        raise Http404
    active = TOGGLES[what]
    try:
        signing_identity_set_active(identity=identity, active=active, by=user)
    except DomainError as error:
        return _page(request, status=422, refused=str(error.message))
    if active:
        messages.success(request, _("The signing identity is in use again."))
    else:
        messages.success(request, _("The signing identity was deactivated: the unit no longer signs with it."))
    return redirect("administration:signing")

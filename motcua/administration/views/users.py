"""Staff accounts: list and search, create with roles, give and end roles, deactivate, reset the second factor."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.accounts import services as accounts
from motcua.accounts.models import User
from motcua.accounts.roles import AccountKind
from motcua.administration.access import admin_required, admin_unit_ids, admin_units, admin_user
from motcua.administration.forms import GrantForm, StaffUserForm
from motcua.administration.models import AdminChange
from motcua.administration.services import admin_change_record
from motcua.core.errors import DomainError
from motcua.organizations import services as org
from motcua.organizations.models import Membership

PAGE_SIZE = 50


def _staff_in_scope(admin: User) -> QuerySet[User]:
    """Staff accounts this administrator manages: those with a role in one of his units."""
    staff = User.objects.filter(kind=AccountKind.STAFF)
    ids = admin_unit_ids(admin)
    if ids is None:
        return staff
    return staff.filter(memberships__unit_id__in=sorted(ids)).distinct()


def _user_or_404(request: HttpRequest, pk: int) -> User:
    return get_object_or_404(_staff_in_scope(admin_user(request)), pk=pk)


@admin_required
def user_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    users = _staff_in_scope(admin_user(request)).order_by("username", "pk")
    if q:
        users = users.filter(Q(username__icontains=q) | Q(full_name__icontains=q) | Q(email__icontains=q))
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "administration/users.html", {"page": page, "q": q})


@admin_required
def user_create(request: HttpRequest) -> HttpResponse:
    admin = admin_user(request)
    form = StaffUserForm(request.POST or None, units=admin_units(admin), prefix="user")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                user = accounts.staff_user_create(
                    username=data["username"],
                    full_name=data["full_name"],
                    password=data["password"],
                    email=data["email"],
                    phone=data["phone"],
                )
                for role in data["roles"]:
                    org.membership_grant(user=user, unit=data["unit"], role=role)
                after = {
                    "username": user.username,
                    "full_name": user.full_name,
                    "unit": data["unit"].code,
                    "roles": list(data["roles"]),
                }
                admin_change_record(by=admin, action="user.create", target=user, unit=data["unit"], after=after)
        except DomainError as error:
            form.refuse(error)
        else:
            messages.success(
                request, _("The account was created. At first login the person sets up his authenticator app.")
            )
            return redirect("administration:user-detail", pk=user.pk)
    status = 422 if form.is_bound else 200
    return render(request, "administration/user_create.html", {"form": form}, status=status)


def _detail(request: HttpRequest, user: User, grant: GrantForm | None = None, status: int = 200) -> HttpResponse:
    admin = admin_user(request)
    context = {
        "person": user,
        "memberships": user.memberships.select_related("unit", "counter").order_by("active_until", "unit__code"),
        "grant": grant or GrantForm(units=admin_units(admin), prefix="grant"),
        "changes": AdminChange.objects.filter(target=f"accounts.user:{user.pk}").select_related("by")[:20],
    }
    return render(request, "administration/user_detail.html", context, status=status)


@admin_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _user_or_404(request, pk))


@admin_required
@require_POST
def user_grant(request: HttpRequest, pk: int) -> HttpResponse:
    user, admin = _user_or_404(request, pk), admin_user(request)
    form = GrantForm(request.POST, units=admin_units(admin), prefix="grant")
    if form.is_valid():
        try:
            with transaction.atomic():
                membership = org.membership_grant(
                    user=user, unit=form.cleaned_data["unit"], role=form.cleaned_data["role"]
                )
                admin_change_record(
                    by=admin,
                    action="user.grant",
                    target=user,
                    unit=membership.unit,
                    after={"unit": membership.unit.code, "role": membership.role},
                )
        except DomainError as error:
            form.refuse(error)
        else:
            messages.success(request, _("The role was given."))
            return redirect("administration:user-detail", pk=user.pk)
    return _detail(request, user, grant=form, status=422)


@admin_required
@require_POST
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    admin = admin_user(request)
    ids = admin_unit_ids(admin)
    memberships = Membership.objects.select_related("unit", "user")
    membership = get_object_or_404(memberships if ids is None else memberships.filter(unit_id__in=sorted(ids)), pk=pk)
    if membership.user_id == admin.pk:
        messages.error(request, _("You cannot end your own role here: ask another administrator."))
        return redirect("administration:user-detail", pk=membership.user_id)
    try:
        with transaction.atomic():
            org.membership_end(membership=membership)
            admin_change_record(
                by=admin,
                action="user.end_role",
                target=membership.user,
                unit=membership.unit,
                before={"unit": membership.unit.code, "role": membership.role},
            )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The role was ended."))
    return redirect("administration:user-detail", pk=membership.user_id)


@admin_required
@require_POST
def user_action(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    user, admin = _user_or_404(request, pk), admin_user(request)
    if what not in ("deactivate", "reset-otp"):
        raise Http404
    if user.pk == admin.pk:
        messages.error(request, _("You cannot do this to your own account: ask another administrator."))
        return redirect("administration:user-detail", pk=user.pk)
    try:
        with transaction.atomic():
            if what == "deactivate":
                accounts.staff_user_deactivate(user=user)
                admin_change_record(
                    by=admin,
                    action="user.deactivate",
                    target=user,
                    before={"is_active": True},
                    after={"is_active": False},
                )
            else:
                removed = accounts.staff_totp_reset(user=user)
                admin_change_record(
                    by=admin, action="user.reset_otp", target=user, before={"devices": removed}, after={"devices": 0}
                )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        done = (
            _("The account was deactivated.")
            if what == "deactivate"
            else _("The second factor was reset: the person sets up a new authenticator app at next login.")
        )
        messages.success(request, done)
    return redirect("administration:user-detail", pk=user.pk)

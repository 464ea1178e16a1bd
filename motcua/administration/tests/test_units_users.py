"""Units (rename, recode, merge, counters) and users (create, roles, deactivate, reset TOTP), each logged."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.models import User
from motcua.accounts.roles import Role
from motcua.administration.models import AdminChange
from motcua.organizations.factories import CounterFactory
from motcua.organizations.models import Counter, Membership, Unit, UnitHistory


def _rename(client, unit, **overrides):
    data = {
        "rename-new_name": "Sở Tư pháp mới",
        "rename-new_short_name": "STP",
        "rename-decision": "12/QĐ-UBND",
        "rename-effective_on": "2026-01-01",
    }
    return client.post(reverse("administration:unit-change", args=[unit.pk, "rename"]), {**data, **overrides})


def test_rename_keeps_the_old_name_in_history_and_logs_the_change(admin_web, department, province_admin):
    response = _rename(admin_web, department)

    assert response.status_code == 302
    department.refresh_from_db()
    assert department.name == "Sở Tư pháp mới"
    assert UnitHistory.objects.filter(unit=department, change="renamed", old_name="Sở Tư pháp Tỉnh Mẫu").exists()
    change = AdminChange.objects.get(action="unit.rename")
    assert (change.by, change.before["name"], change.after["name"]) == (
        province_admin,
        "Sở Tư pháp Tỉnh Mẫu",
        "Sở Tư pháp mới",
    )
    page = admin_web.get(reverse("administration:unit-detail", args=[department.pk])).content.decode()
    assert "12/QĐ-UBND" in page


def test_rename_without_a_decision_is_refused_in_vietnamese_and_changes_nothing(admin_web, department):
    response = _rename(admin_web, department, **{"rename-decision": ""})

    assert response.status_code == 422
    assert "Trường này là bắt buộc" in response.content.decode()
    department.refresh_from_db()
    assert department.name == "Sở Tư pháp Tỉnh Mẫu"
    assert not AdminChange.objects.exists()


def test_recode_to_a_malformed_code_shows_the_service_error_next_to_the_field(admin_web, department):
    url = reverse("administration:unit-change", args=[department.pk, "recode"])
    response = admin_web.post(
        url, {"recode-new_code": "XYZ", "recode-decision": "1/QĐ", "recode-effective_on": "2026-01-01"}
    )

    assert response.status_code == 422
    assert 'id="id_recode-new_code-error"' in response.content.decode()
    assert Unit.objects.get(pk=department.pk).code == "000.00.06.H99"


def test_merge_ends_the_unit_and_points_it_at_its_successor(admin_web, department, other_department):
    url = reverse("administration:unit-change", args=[department.pk, "merge"])
    data = {
        "merge-into": other_department.pk,
        "merge-decision": "5/QĐ",
        "merge-effective_on": "2026-01-01",
        "merge-memberships": "end",
    }

    assert admin_web.post(url, data).status_code == 302

    department.refresh_from_db()
    assert (department.successor, department.active_until) == (other_department, date(2025, 12, 31))


def test_counter_open_edit_close(admin_web, department):
    create = reverse("administration:counter-create", args=[department.pk])
    assert (
        admin_web.post(create, {"counter-name": "Quầy 1", "counter-address": "", "counter-phone": ""}).status_code
        == 302
    )
    counter = Counter.objects.get(unit=department)

    edit = reverse("administration:counter-edit", args=[counter.pk])
    assert (
        admin_web.post(
            edit, {"counter-name": "Quầy số 1", "counter-address": "Tầng 1", "counter-phone": ""}
        ).status_code
        == 302
    )
    assert admin_web.post(reverse("administration:counter-close", args=[counter.pk])).status_code == 302

    counter.refresh_from_db()
    assert (counter.name, counter.address, counter.is_active) == ("Quầy số 1", "Tầng 1", False)
    assert list(AdminChange.objects.order_by("pk").values_list("action", flat=True)) == [
        "counter.create",
        "counter.update",
        "counter.close",
    ]


def test_a_duplicate_counter_name_is_refused(admin_web, department):
    CounterFactory(unit=department, name="Quầy 1")
    response = admin_web.post(
        reverse("administration:counter-create", args=[department.pk]), {"counter-name": "Quầy 1"}
    )
    assert response.status_code == 422
    assert Counter.objects.filter(unit=department).count() == 1


def test_a_department_administrator_cannot_close_another_units_counter(dept_web, other_department):
    counter = CounterFactory(unit=other_department)
    assert dept_web.post(reverse("administration:counter-close", args=[counter.pk])).status_code == 404
    counter.refresh_from_db()
    assert counter.is_active


def _create_user(client, unit, **overrides):
    data = {
        "user-username": "nguyenvana",
        "user-full_name": "Nguyễn Văn A",
        "user-email": "a@example.vn",
        "user-phone": "",
        "user-password": "Một-mật-khẩu-dài-2026",
        "user-unit": unit.pk,
        "user-roles": [Role.COUNTER_OFFICER, Role.SPECIALIST],
    }
    return client.post(reverse("administration:user-create"), {**data, **overrides})


def test_create_a_staff_user_with_roles(dept_web, department):
    assert _create_user(dept_web, department).status_code == 302

    user = User.objects.get(username="nguyenvana")
    assert user.is_staff_member
    assert user.check_password("Một-mật-khẩu-dài-2026")
    assert set(Membership.objects.filter(user=user, unit=department).values_list("role", flat=True)) == {
        "counter_officer",
        "specialist",
    }
    assert AdminChange.objects.get(action="user.create").unit == department


def test_a_taken_user_name_is_refused_and_nothing_is_created(dept_web, department, officer):
    response = _create_user(dept_web, department, **{"user-username": officer.username})
    assert response.status_code == 422
    assert 'id="id_user-username-error"' in response.content.decode()
    assert User.objects.filter(username=officer.username).count() == 1
    assert not AdminChange.objects.exists()


def test_a_department_administrator_cannot_give_roles_in_another_unit(dept_web, other_department):
    response = _create_user(dept_web, other_department)
    assert response.status_code == 422
    assert not User.objects.filter(username="nguyenvana").exists()


def test_deactivate_and_reset_the_second_factor(dept_web, officer):
    TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)

    assert dept_web.post(reverse("administration:user-action", args=[officer.pk, "reset-otp"])).status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert dept_web.post(reverse("administration:user-action", args=[officer.pk, "deactivate"])).status_code == 302
    officer.refresh_from_db()
    assert not officer.is_active
    assert AdminChange.objects.filter(action__in=["user.reset_otp", "user.deactivate"]).count() == 2
    log = dept_web.get(reverse("administration:changes")).content.decode()
    assert "user.deactivate" in log


def test_grant_and_end_a_role(dept_web, department, officer):
    url = reverse("administration:user-grant", args=[officer.pk])
    assert dept_web.post(url, {"grant-unit": department.pk, "grant-role": Role.UNIT_LEADER}).status_code == 302
    membership = Membership.objects.get(user=officer, role=Role.UNIT_LEADER)

    assert dept_web.post(reverse("administration:membership-end", args=[membership.pk])).status_code == 302
    membership.refresh_from_db()
    assert membership.active_until is not None


def test_an_officer_cannot_deactivate_anyone(officer_web, department_admin):
    response = officer_web.post(reverse("administration:user-action", args=[department_admin.pk, "deactivate"]))
    assert response.status_code == 403
    department_admin.refresh_from_db()
    assert department_admin.is_active


def test_search_users(dept_web, officer):
    assert "canbo" in dept_web.get(reverse("administration:users"), {"q": "canb"}).content.decode()
    assert "canbo" not in dept_web.get(reverse("administration:users"), {"q": "khong-co"}).content.decode()


@pytest.mark.parametrize("what", ["deactivate", "reset-otp"])
def test_an_administrator_cannot_lock_himself_out(dept_web, department_admin, what):
    dept_web.post(reverse("administration:user-action", args=[department_admin.pk, what]))
    department_admin.refresh_from_db()
    assert department_admin.is_active
    assert not AdminChange.objects.exists()

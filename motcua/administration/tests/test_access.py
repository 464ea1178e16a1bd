"""Who gets in: administrators only, past the second factor; province tables only for the province's administrator."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from motcua.accounts.factories import StaffUserFactory, UserFactory

PAGES = ["home", "changes", "units", "users", "processes", "signing", "catalog", "calendar"]


@pytest.mark.parametrize("name", PAGES)
def test_a_non_administrator_officer_gets_403(officer_web, name):
    assert officer_web.get(reverse(f"administration:{name}")).status_code == 403


@pytest.mark.django_db
def test_anonymous_is_sent_to_login():
    response = Client().get(reverse("administration:home"))
    assert response.status_code == 302
    assert "dang-nhap" in response["Location"]


@pytest.mark.django_db
def test_a_citizen_gets_403():
    client = Client()
    client.force_login(UserFactory())
    assert client.get(reverse("administration:home")).status_code == 403


def test_an_administrator_without_the_second_factor_is_sent_to_the_code_page(province_admin):
    client = Client()
    client.force_login(province_admin)
    response = client.get(reverse("administration:home"))
    assert response.status_code == 302
    assert reverse("accounts:otp-verify") in response["Location"]


@pytest.mark.parametrize("name", PAGES)
def test_the_province_administrator_sees_every_page_in_vietnamese(admin_web, name):
    response = admin_web.get(reverse(f"administration:{name}"))
    assert response.status_code == 200
    assert "Quản trị" in response.content.decode()


@pytest.mark.parametrize("name", ["catalog", "calendar"])
def test_a_department_administrator_cannot_open_province_tables(dept_web, name):
    assert dept_web.get(reverse(f"administration:{name}")).status_code == 403


def test_a_department_administrator_gets_404_for_another_department(dept_web, other_department):
    assert dept_web.get(reverse("administration:unit-detail", args=[other_department.pk])).status_code == 404


def test_a_department_administrator_does_not_see_staff_of_other_units(dept_web, other_department):
    from motcua.organizations.factories import MembershipFactory

    stranger = StaffUserFactory(username="nguoi-ngoai")
    MembershipFactory(user=stranger, unit=other_department)
    assert "nguoi-ngoai" not in dept_web.get(reverse("administration:users")).content.decode()
    assert dept_web.get(reverse("administration:user-detail", args=[stranger.pk])).status_code == 404


def test_the_nav_filter_tells_administrators_apart(province_admin, officer):
    from motcua.administration.templatetags.administration import is_administrator

    assert is_administrator(province_admin)
    assert not is_administrator(officer)

"""An administrator of the province (the root unit) and of a department, each past the second factor."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.accounts.factories import StaffUserFactory
from motcua.accounts.roles import Role
from motcua.accounts.testing import verified_staff_client
from motcua.organizations.factories import MembershipFactory, RootUnitFactory, UnitFactory


@pytest.fixture
def root(db):
    return RootUnitFactory()


@pytest.fixture
def department(root):
    return UnitFactory(parent=root, code="000.00.06.H99", name="Sở Tư pháp Tỉnh Mẫu")


@pytest.fixture
def other_department(root):
    return UnitFactory(parent=root, code="000.00.07.H99", name="Sở Xây dựng Tỉnh Mẫu")


@pytest.fixture
def province_admin(root):
    user = StaffUserFactory(username="quantri")
    MembershipFactory(user=user, unit=root, role=Role.ADMINISTRATOR)
    return user


@pytest.fixture
def department_admin(department):
    user = StaffUserFactory(username="quantri-so")
    MembershipFactory(user=user, unit=department, role=Role.ADMINISTRATOR)
    return user


@pytest.fixture
def officer(department):
    user = StaffUserFactory(username="canbo")
    MembershipFactory(user=user, unit=department, role=Role.SPECIALIST)
    return user


@pytest.fixture
def admin_web(province_admin) -> Client:
    return verified_staff_client(Client(), province_admin)


@pytest.fixture
def dept_web(department_admin) -> Client:
    return verified_staff_client(Client(), department_admin)


@pytest.fixture
def officer_web(officer) -> Client:
    return verified_staff_client(Client(), officer)

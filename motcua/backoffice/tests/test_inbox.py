"""The officer's inbox: order, deadline colours with words, filters, search, scope, pagination."""

from __future__ import annotations

import pytest

from motcua.accounts.roles import AccountKind
from motcua.dossiers.factories import UserFactory, applicant, register
from motcua.dossiers.services.due import urgency
from motcua.dossiers.services.processing import dossier_forward

from .conftest import local

pytestmark = [pytest.mark.django_db, pytest.mark.urls("motcua.backoffice.tests.urls")]

INBOX = "/can-bo/"


def listed(response) -> list[str]:
    return [step.dossier.code for step in response.context["result"].page.object_list]


@pytest.fixture
def three(world, clock):
    """Registered out of order: on Wednesday 10/09 at 11:00 one is overdue, one due soon, one early."""
    early = register(world.officer, world.procedure)  # Tue 09/09 09:00: appraisal due Fri 12/09 15:00
    clock.move_to(local(2025, 8, 25, 9, 0))
    overdue = register(world.officer, world.procedure, applicant=applicant(full_name="Trần Thị Đào"))
    clock.move_to(local(2025, 9, 5, 9, 0))
    soon = register(
        world.officer, world.procedure, applicant=applicant(full_name="Lê Văn Bình", id_number="079085000111")
    )
    clock.move_to(local(2025, 9, 10, 11, 0))
    return overdue, soon, early


def test_the_inbox_lists_the_officers_steps_soonest_due_first_with_their_deadline_colour(world, three, login):
    response = login(world.specialist).get(INBOX)

    assert response.status_code == 200
    assert listed(response) == [d.code for d in three]
    steps = response.context["result"].page.object_list
    assert [s.urgency for s in steps] == ["overdue", "due_soon", "early"]
    assert all(s.urgency == urgency(s.due_at, local(2025, 9, 10, 11, 0)) for s in steps)
    html = response.content.decode()
    # Colour and words together, never colour alone.
    assert '<span class="urgency urgency-overdue">Quá hạn</span>' in html
    assert '<span class="urgency urgency-due_soon">Sắp đến hạn</span>' in html
    assert '<span class="urgency urgency-early">Trong hạn</span>' in html
    assert "15:00 10/09/2025" in html  # the step due time, Vietnam time
    assert "Trần Thị Đào" in html
    assert "Đăng ký khai sinh" in html


def test_the_urgency_filter_keeps_the_counts_of_every_class(world, three, login):
    response = login(world.specialist).get(INBOX, {"urgency": "overdue"})

    assert listed(response) == [three[0].code]
    assert response.context["result"].counts == {"overdue": 1, "due_soon": 1, "early": 1}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("tran thi dao", [0]),  # without diacritics
        ("Đào", [0]),
        ("LÊ VĂN", [1]),
        ("0790850", [1]),  # start of the ID number
        ("250909", [2]),  # part of the code
        ("khai sinh", [0, 1, 2]),  # the procedure's name, folded
        ("2.000815", [0, 1, 2]),  # the procedure's code
        ("binh khai sinh", [1]),  # every word must match somewhere
        ("nobody", []),
    ],
)
def test_search_finds_by_code_applicant_id_number_and_procedure(world, three, login, q, expected):
    response = login(world.specialist).get(INBOX, {"q": q})

    assert listed(response) == [three[i].code for i in expected]


def test_a_leader_sees_his_units_waiting_dossiers_and_can_narrow_to_his_own_steps(world, three, login):
    client = login(world.leader)

    assert listed(client.get(INBOX)) == [d.code for d in three]
    assert listed(client.get(INBOX, {"scope": "mine"})) == []


def test_a_specialist_cannot_widen_the_inbox_to_the_whole_unit(world, three, login):
    dossier_forward(dossier=three[2], officer=world.specialist)  # now at the leader's approval step

    response = login(world.specialist).get(INBOX, {"scope": "unit"})

    assert listed(response) == [three[0].code, three[1].code]
    assert 'name="scope"' not in response.content.decode()


def test_an_officer_of_another_unit_sees_none_of_them(world, three, login):
    assert listed(login(world.outsider).get(INBOX)) == []


def test_the_inbox_is_paginated(world, clock, login):
    for _ in range(27):
        register(world.officer, world.procedure)
    client = login(world.specialist)

    first, second = client.get(INBOX), client.get(INBOX, {"page": 2})

    assert len(listed(first)) == 25
    assert len(listed(second)) == 2
    assert 'rel="next"' in first.content.decode()


def test_staff_pages_need_a_login_and_the_second_factor(world, client):
    assert client.get(INBOX).status_code == 302
    client.force_login(UserFactory(kind=AccountKind.CITIZEN))
    assert client.get(INBOX).status_code == 403
    client.force_login(world.specialist)  # logged in, no code entered
    assert "/tai-khoan/" in client.get(INBOX)["Location"]

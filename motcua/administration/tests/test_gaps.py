"""Copying a unit kind's template, adding child units, (de)activating signing identities, pagination."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from motcua.accounts.factories import StaffUserFactory
from motcua.accounts.roles import Role
from motcua.administration.models import AdminChange
from motcua.catalog.factories import ProcedureVersionFactory
from motcua.catalog.models import Procedure
from motcua.core import clock
from motcua.documents.models import SigningIdentity
from motcua.organizations.factories import MembershipFactory
from motcua.organizations.models import Unit, UnitHistory, UnitKind
from motcua.workflow.models import ProcessDefinition, StepDefinition
from motcua.workflow.services import process_definition_copy_template

# --- process definitions: the unit kind's template ------------------------------------------------


@pytest.fixture
def version(db):
    return ProcedureVersionFactory(procedure__code="1.001193", processing_time=Decimal(3))  # 24 working hours


@pytest.fixture
def template(version):
    """The province's template for every department: three steps adding up to 24 hours."""
    definition = ProcessDefinition.objects.create(
        procedure=version.procedure, unit_kind=UnitKind.DEPARTMENT, version=2, name="Mẫu cho các sở"
    )
    for order, (name, role, relation, hours) in enumerate(
        [
            ("Tiếp nhận", Role.COUNTER_OFFICER, "receiving", "0"),
            ("Thẩm định theo mẫu", Role.SPECIALIST, "handling", "20"),
            ("Trả kết quả", Role.COUNTER_OFFICER, "receiving", "4"),
        ],
        start=1,
    ):
        StepDefinition.objects.create(
            definition=definition, order=order, name=name, role=role, unit_relation=relation, allotted_hours=hours
        )
    return definition


def _start(client, unit):
    return client.post(reverse("administration:processes"), {"new-procedure": "1.001193", "new-unit": unit.pk})


def _copy(client, unit, code="1.001193"):
    return client.post(reverse("administration:process-copy"), {"new-procedure": code, "new-unit": unit.pk})


def test_starting_where_a_template_applies_offers_a_copy_instead_of_the_template(dept_web, department, template):
    response = _start(dept_web, department)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="template-offer"' in page
    assert "Sao chép quy trình mẫu cho đơn vị này" in page  # the copy button, in Vietnamese
    assert "Thẩm định theo mẫu" in page  # the template's steps are shown
    assert reverse("administration:process-edit", args=[template.pk]) not in page  # not the province's to edit
    assert ProcessDefinition.objects.count() == 1
    assert not AdminChange.objects.exists()


def test_a_province_administrator_is_also_offered_the_template_itself(admin_web, department, template):
    page = _start(admin_web, department).content.decode()

    assert 'id="template-offer"' in page
    assert reverse("administration:process-edit", args=[template.pk]) in page


def test_copying_the_template_gives_the_unit_version_1_with_the_same_steps(dept_web, department, template):
    response = _copy(dept_web, department)

    copy = ProcessDefinition.objects.get(unit=department)
    assert response.status_code == 302
    assert response["Location"] == reverse("administration:process-edit", args=[copy.pk])
    assert (copy.version, copy.active, copy.unit_kind) == (1, True, "")
    steps = list(copy.steps.order_by("order").values_list("name", "role", "unit_relation", "allotted_hours"))
    assert steps == list(
        template.steps.order_by("order").values_list("name", "role", "unit_relation", "allotted_hours")
    )
    template.refresh_from_db()
    assert template.active  # still the template of the other departments
    change = AdminChange.objects.get(action="process.copy_template")
    assert change.unit == department
    assert change.after["steps"] == ["Tiếp nhận", "Thẩm định theo mẫu", "Trả kết quả"]
    # The department administrator can now open and edit it (before, the start landed on a 404).
    assert dept_web.get(response["Location"]).status_code == 200


def test_once_copied_starting_again_goes_to_the_units_own_definition(dept_web, department, template):
    _copy(dept_web, department)
    own = ProcessDefinition.objects.get(unit=department)

    response = _start(dept_web, department)

    assert response.status_code == 302
    assert response["Location"] == reverse("administration:process-edit", args=[own.pk])


def test_copying_twice_is_refused_next_to_the_field_and_changes_nothing(dept_web, department, template):
    _copy(dept_web, department)
    before = (ProcessDefinition.objects.count(), AdminChange.objects.count())

    response = _copy(dept_web, department)

    page = response.content.decode()
    assert response.status_code == 422
    assert "Có thông tin cần sửa" in page
    assert 'id="id_new-procedure-error"' in page
    assert (ProcessDefinition.objects.count(), AdminChange.objects.count()) == before


def test_copying_for_another_departments_unit_is_refused(dept_web, other_department, template):
    response = _copy(dept_web, other_department)

    assert response.status_code == 422
    assert 'id="id_new-unit-error"' in response.content.decode()
    assert not ProcessDefinition.objects.filter(unit=other_department).exists()
    assert not AdminChange.objects.exists()


def test_copying_an_unknown_procedure_is_refused_in_vietnamese(dept_web, department, template):
    response = _copy(dept_web, department, code="9.999999")

    assert response.status_code == 422
    assert "Không có thủ tục" in response.content.decode()
    assert ProcessDefinition.objects.count() == 1


def test_an_officer_cannot_copy(officer_web, department, template):
    assert _copy(officer_web, department).status_code == 403
    assert ProcessDefinition.objects.count() == 1


def test_the_service_refuses_a_template_of_another_kind(template, root):
    from motcua.core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        process_definition_copy_template(template=template, unit=root)  # a People's Committee, not a department
    assert ProcessDefinition.objects.count() == 1


def test_starting_without_a_template_still_generates_the_default(dept_web, department, version):
    response = _start(dept_web, department)

    assert response.status_code == 302
    assert ProcessDefinition.objects.get(unit=department).generated
    assert AdminChange.objects.filter(action="process.start").count() == 1


# --- child units ----------------------------------------------------------------------------------


def _child(client, parent, **fields):
    data = {"child-name": "Phòng Hành chính tư pháp", "child-code": "000.01.06.H99", "child-kind": "office"}
    data |= {f"child-{k}": v for k, v in fields.items()}
    return client.post(reverse("administration:unit-child-create", args=[parent.pk]), data)


def test_a_department_administrator_adds_a_child_unit_logged(dept_web, department, department_admin):
    response = _child(dept_web, department, decision="12/QĐ-STP")

    child = Unit.objects.get(code="000.01.06.H99")
    assert response.status_code == 302
    assert response["Location"] == reverse("administration:unit-detail", args=[child.pk])
    assert (child.parent, child.kind, child.level) == (department, UnitKind.OFFICE, 3)
    assert UnitHistory.objects.get(unit=child).recorded_by == department_admin
    change = AdminChange.objects.get(action="unit.create")
    assert (change.by, change.unit, change.after["parent"]) == (department_admin, child, department.code)
    # The new unit is in the administrator's scope.
    assert dept_web.get(response["Location"]).status_code == 200
    assert (
        "Phòng Hành chính tư pháp"
        in dept_web.get(reverse("administration:unit-detail", args=[department.pk])).content.decode()
    )


def test_the_left_to_right_code_form_is_accepted(dept_web, department):
    assert _child(dept_web, department, code="h99.06.02").status_code == 302
    assert Unit.objects.filter(code="H99.06.02", parent=department).exists()


@pytest.mark.parametrize(
    ("code", "vietnamese"),
    [
        ("000.01.07.H99", "không nằm dưới"),  # below another department
        ("000.00.06.H99", "Đã có"),  # the department's own code: taken
        ("00.1.06.H99", "Nhóm thứ 1"),  # QCVN 102 digits
        ("ABC", ""),  # no level-1 code
        ("000.01.06.H98", ""),  # another province
    ],
)
def test_bad_codes_are_refused_next_to_the_code_field(dept_web, department, code, vietnamese):
    units, changes = Unit.objects.count(), AdminChange.objects.count()

    response = _child(dept_web, department, code=code)

    page = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_child-code-error"' in page
    assert 'class="error-summary"' in page
    assert vietnamese in page
    assert (Unit.objects.count(), AdminChange.objects.count()) == (units, changes)


def test_a_child_without_a_name_is_refused(dept_web, department):
    response = _child(dept_web, department, name="  ")

    assert response.status_code == 422
    assert 'id="id_child-name-error"' in response.content.decode()
    assert not Unit.objects.filter(code="000.01.06.H99").exists()


def test_a_child_under_another_departments_unit_is_404(dept_web, other_department):
    response = _child(dept_web, other_department, code="000.01.07.H99")

    assert response.status_code == 404
    assert not Unit.objects.filter(code="000.01.07.H99").exists()
    assert not AdminChange.objects.exists()


def test_an_officer_cannot_add_a_unit(officer_web, department):
    assert _child(officer_web, department).status_code == 403
    assert not Unit.objects.filter(code="000.01.06.H99").exists()


# --- signing identities: deactivate and reactivate ------------------------------------------------


def _identity(unit, *, until_days=300):
    now = clock.now()
    return SigningIdentity.objects.create(
        unit=unit,
        label=f"Khóa {unit.code}",
        certificate_pem="(not read by these tests)",
        valid_from=now - timedelta(days=1),
        valid_until=now + timedelta(days=until_days),
    )


def _toggle(client, identity, what):
    return client.post(reverse("administration:signing-toggle", args=[identity.pk, what]))


def test_deactivating_then_reactivating_an_identity_is_logged(dept_web, department):
    identity = _identity(department)

    assert _toggle(dept_web, identity, "ngung-dung").status_code == 302
    identity.refresh_from_db()
    assert not identity.active
    listing = dept_web.get(reverse("administration:signing")).content.decode()
    assert reverse("administration:signing-toggle", args=[identity.pk, "dung-lai"]) in listing

    assert _toggle(dept_web, identity, "dung-lai").status_code == 302
    identity.refresh_from_db()
    assert identity.active
    actions = list(AdminChange.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["signing_identity.deactivate", "signing_identity.reactivate"]


def test_a_deactivated_identity_is_no_longer_used_for_signing(dept_web, department):
    from motcua.documents.selectors import signing_identity_for_unit

    identity = _identity(department)
    assert signing_identity_for_unit(department) == identity
    _toggle(dept_web, identity, "ngung-dung")
    assert signing_identity_for_unit(department) is None


def test_an_expired_identity_cannot_be_reactivated(dept_web, department):
    identity = _identity(department, until_days=-1)
    SigningIdentity.objects.filter(pk=identity.pk).update(active=False)

    response = _toggle(dept_web, identity, "dung-lai")

    page = response.content.decode()
    assert response.status_code == 422
    assert 'class="error-summary"' in page
    assert "hết hạn" in page
    identity.refresh_from_db()
    assert not identity.active
    assert not AdminChange.objects.exists()


def test_deactivating_twice_is_refused_and_changes_nothing(dept_web, department):
    identity = _identity(department)
    _toggle(dept_web, identity, "ngung-dung")

    response = _toggle(dept_web, identity, "ngung-dung")

    assert response.status_code == 422
    assert AdminChange.objects.count() == 1


def test_another_departments_identity_is_404_and_an_officer_403(dept_web, officer_web, department, other_department):
    foreign, own = _identity(other_department), _identity(department)

    assert _toggle(dept_web, foreign, "ngung-dung").status_code == 404
    assert _toggle(officer_web, own, "ngung-dung").status_code == 403
    assert _toggle(dept_web, own, "xoa").status_code == 404
    assert dept_web.get(reverse("administration:signing-toggle", args=[own.pk, "ngung-dung"])).status_code == 405
    assert SigningIdentity.objects.filter(active=True).count() == 2
    assert not AdminChange.objects.exists()


# --- pagination -----------------------------------------------------------------------------------


def test_users_are_listed_50_a_page_keeping_the_search(dept_web, department):
    for n in range(55):
        MembershipFactory(user=StaffUserFactory(username=f"chuyenvien{n:02d}"), unit=department)
    MembershipFactory(user=StaffUserFactory(username="khac"), unit=department)

    first = dept_web.get(reverse("administration:users"), {"q": "chuyenvien"}).content.decode()
    second = dept_web.get(reverse("administration:users"), {"q": "chuyenvien", "page": 2}).content.decode()

    assert "chuyenvien49" in first
    assert "chuyenvien50" not in first
    assert "chuyenvien50" in second
    assert "chuyenvien54" in second
    assert "chuyenvien00" not in second
    assert "khac" not in first + second
    assert "?q=chuyenvien&amp;page=2" in first
    assert "Trang 1/2" in first


def test_procedures_are_listed_50_a_page_keeping_the_search(admin_web):
    for n in range(52):
        ProcedureVersionFactory(procedure__code=f"1.0{n:05d}")
    assert Procedure.objects.count() == 52

    first = admin_web.get(reverse("administration:catalog"), {"q": "1.0"}).content.decode()
    second = admin_web.get(reverse("administration:catalog"), {"q": "1.0", "page": "2"}).content.decode()
    beyond = admin_web.get(reverse("administration:catalog"), {"q": "1.0", "page": "99"})

    assert "1.000049" in first
    assert "1.000050" not in first
    assert "1.000050" in second
    assert "1.000051" in second
    assert "1.000000" not in second
    assert "?q=1.0&amp;page=2" in first
    assert beyond.status_code == 200  # out of range: the last page

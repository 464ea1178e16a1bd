"""Process definitions: start from the default, edit steps with the allotment check, new version, diagram."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from motcua.administration.diagram import Box, svg
from motcua.administration.models import AdminChange
from motcua.catalog.factories import ProcedureVersionFactory
from motcua.workflow.models import ProcessDefinition


@pytest.fixture
def version(db):
    return ProcedureVersionFactory(procedure__code="1.001193", processing_time=Decimal(3))  # 24 working hours


@pytest.fixture
def definition(admin_web, version, department):
    response = admin_web.post(
        reverse("administration:processes"), {"new-procedure": "1.001193", "new-unit": department.pk}
    )
    assert response.status_code == 302
    return ProcessDefinition.objects.get(procedure=version.procedure, unit=department)


def _steps(rows):
    data = {
        "steps-TOTAL_FORMS": len(rows),
        "steps-INITIAL_FORMS": len(rows),
        "steps-MIN_NUM_FORMS": 1,
        "steps-MAX_NUM_FORMS": 1000,
    }
    for n, (name, kind, role, relation, unit, hours) in enumerate(rows):
        data |= {
            f"steps-{n}-name": name,
            f"steps-{n}-kind": kind,
            f"steps-{n}-role": role,
            f"steps-{n}-unit_relation": relation,
            f"steps-{n}-unit": unit or "",
            f"steps-{n}-allotted_hours": hours,
        }
    return data


GOOD = [
    ("Tiếp nhận", "reception", "counter_officer", "receiving", None, "0"),
    ("Thẩm định", "processing", "specialist", "handling", None, "16"),
    ("Ký duyệt", "processing", "unit_leader", "parent_of_handling", None, "6"),
    ("Trả kết quả", "return", "counter_officer", "receiving", None, "2"),
]


def test_the_edit_page_draws_the_diagram_with_a_text_equivalent(admin_web, definition):
    page = admin_web.get(reverse("administration:process-edit", args=[definition.pk])).content.decode()

    assert '<svg class="process-diagram"' in page
    assert 'role="img"' in page
    assert "<desc" in page
    assert "Thẩm định hồ sơ" in page  # the generated default steps


def test_saving_valid_steps_makes_a_new_active_version(admin_web, definition):
    response = admin_web.post(reverse("administration:process-edit", args=[definition.pk]), _steps(GOOD))

    assert response.status_code == 302
    revised = ProcessDefinition.objects.get(procedure=definition.procedure, unit=definition.unit, active=True)
    assert revised.version == definition.version + 1
    assert [s.name for s in revised.steps.order_by("order")] == ["Tiếp nhận", "Thẩm định", "Ký duyệt", "Trả kết quả"]
    definition.refresh_from_db()
    assert not definition.active
    assert AdminChange.objects.filter(action="process.revise").count() == 1


def test_allotments_that_do_not_add_up_are_refused_with_a_summary_in_vietnamese(admin_web, definition):
    rows = [*GOOD[:3], ("Trả kết quả", "return", "counter_officer", "receiving", None, "5")]

    response = admin_web.post(reverse("administration:process-edit", args=[definition.pk]), _steps(rows))

    page = response.content.decode()
    assert response.status_code == 422
    assert "Có thông tin cần sửa" in page
    assert "27 trên 24 giờ" in page
    assert "không khớp" in page or "allotted 27" in page
    assert ProcessDefinition.objects.filter(procedure=definition.procedure).count() == 1


def test_a_fixed_unit_step_without_a_unit_gets_an_error_next_to_the_field(admin_web, definition):
    rows = [GOOD[0], ("Thẩm định", "processing", "specialist", "absolute", None, "16"), *GOOD[2:]]

    response = admin_web.post(reverse("administration:process-edit", args=[definition.pk]), _steps(rows))

    assert response.status_code == 422
    assert 'id="id_steps-1-unit-error"' in response.content.decode()
    assert ProcessDefinition.objects.filter(procedure=definition.procedure).count() == 1


def test_another_departments_definition_is_404(dept_web, version, other_department):
    from motcua.workflow.services import process_definition_for

    foreign = process_definition_for(version=version, unit=other_department)
    assert dept_web.get(reverse("administration:process-edit", args=[foreign.pk])).status_code == 404


def test_diagram_puts_a_lane_per_place_and_escapes_names():
    boxes = [
        Box(order=1, name="Tiếp nhận <b>", role="Cán bộ", lane="Một cửa", hours=Decimal(0)),
        Box(order=2, name="Thẩm định", role="Chuyên viên", lane="Đơn vị giải quyết", hours=Decimal("16.5")),
    ]
    out = svg(boxes, title="T", description="D", hours_label="{hours} giờ")
    assert out.count('class="lane"') == 2
    assert "&lt;b&gt;" in out
    assert "<b>" not in out
    assert "16,5 giờ" in out
    assert out.count("<path d=") == 2  # the arrowhead marker and one arrow

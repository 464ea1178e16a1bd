"""The counter queue's service areas on the unit page: add, edit, deactivate, delete, each logged."""

from __future__ import annotations

import pytest
from django.urls import reverse

from motcua.administration.models import AdminChange
from motcua.administration.services import service_area_create
from motcua.core.errors import InvalidInput
from motcua.organizations.factories import CounterFactory
from motcua.queueing.models import ServiceArea, TicketSequence
from motcua.queueing.services import ticket_issue


def _data(**overrides):
    data = {
        "area-letter": "C",
        "area-name": "Chứng thực",
        "area-procedure_fields": "Chứng thực bản sao, chữ ký",
        "area-position": "2",
        "area-is_active": "on",
    }
    return {**data, **overrides}


def _create(client, unit, **overrides):
    return client.post(reverse("administration:service-area-create", args=[unit.pk]), _data(**overrides))


def _kiosk(client, unit) -> str:
    return client.get(reverse("queueing:kiosk", args=[unit.code])).content.decode()


@pytest.fixture
def area(department, province_admin):
    return service_area_create(unit=department, letter="A", name="Hộ tịch", by=province_admin)


def test_an_area_added_on_the_unit_page_shows_on_the_kiosk_and_is_logged(admin_web, department, province_admin, client):
    counter = CounterFactory(unit=department, name="Quầy 2")
    CounterFactory(unit=department, name="Quầy 1")

    response = _create(admin_web, department, **{"area-counters": [counter.pk]})

    assert response.status_code == 302
    area = ServiceArea.objects.get(unit=department)
    assert (area.letter, area.name, area.procedure_fields, area.position, area.is_active) == (
        "C",
        "Chứng thực",
        "Chứng thực bản sao, chữ ký",
        2,
        True,
    )
    assert list(area.counters.all()) == [counter]
    change = AdminChange.objects.get()
    assert (change.action, change.by, change.unit, change.target) == (
        "service_area.create",
        province_admin,
        department,
        f"queueing.servicearea:{area.pk}",
    )
    assert change.after == {
        "letter": "C",
        "name": "Chứng thực",
        "procedure_fields": "Chứng thực bản sao, chữ ký",
        "counters": ["Quầy 2"],
        "position": 2,
        "is_active": True,
    }
    assert "Chứng thực bản sao, chữ ký" in _kiosk(client, department)


def test_the_unit_page_lists_the_areas_with_their_counters_or_all_counters(admin_web, department, province_admin):
    counter = CounterFactory(unit=department, name="Quầy số 7")
    service_area_create(unit=department, letter="A", name="Hộ tịch", by=province_admin)
    service_area_create(unit=department, letter="B", name="Đất đai", counters=[counter], by=province_admin)

    page = admin_web.get(reverse("administration:unit-detail", args=[department.pk])).content.decode()

    assert "Khu vực dịch vụ xếp hàng" in page
    assert "tất cả quầy" in page
    assert "Quầy số 7" in page
    assert reverse("administration:service-area-create", args=[department.pk]) in page
    assert reverse("queueing:kiosk", args=[department.code]) in page


def test_editing_an_area_changes_it_and_logs_before_and_after(admin_web, department, area):
    counter = CounterFactory(unit=department, name="Quầy 1")
    url = reverse("administration:service-area-edit", args=[area.pk])
    assert admin_web.get(url).status_code == 200

    response = admin_web.post(
        url, _data(**{"area-letter": "H", "area-name": "Hộ tịch - Tư pháp", "area-counters": [counter.pk]})
    )

    assert response.status_code == 302
    area.refresh_from_db()
    assert (area.letter, area.name, list(area.counters.all())) == ("H", "Hộ tịch - Tư pháp", [counter])
    change = AdminChange.objects.get(action="service_area.update")
    assert (change.before["letter"], change.before["counters"]) == ("A", [])
    assert (change.after["letter"], change.after["counters"]) == ("H", ["Quầy 1"])


def test_a_letter_already_used_in_the_unit_is_refused_even_by_an_inactive_area(admin_web, department, area):
    area.is_active = False
    area.save()

    response = _create(admin_web, department, **{"area-letter": "A"})

    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_area-letter-error"' in page
    assert "Chữ cái A đã được dùng cho khu vực “Hộ tịch”" in page
    assert ServiceArea.objects.filter(unit=department).count() == 1
    assert AdminChange.objects.filter(action="service_area.create").count() == 1  # the fixture's


def test_editing_an_area_to_the_letter_of_another_is_refused(admin_web, department, area, province_admin):
    other = service_area_create(unit=department, letter="B", name="Đất đai", by=province_admin)

    response = admin_web.post(
        reverse("administration:service-area-edit", args=[other.pk]), _data(**{"area-letter": "A"})
    )

    assert response.status_code == 422
    other.refresh_from_db()
    assert other.letter == "B"


def test_the_same_letter_in_another_unit_is_allowed(admin_web, other_department, area):
    assert _create(admin_web, other_department, **{"area-letter": "A"}).status_code == 302
    assert ServiceArea.objects.filter(letter="A").count() == 2


@pytest.mark.parametrize("letter", ["a", "AB", "1", "Ă", ""])
def test_a_letter_that_is_not_one_capital_a_to_z_is_refused(admin_web, department, letter):
    response = _create(admin_web, department, **{"area-letter": letter})

    assert response.status_code == 422
    assert 'id="id_area-letter-error"' in response.content.decode()
    assert not ServiceArea.objects.exists()
    assert not AdminChange.objects.exists()


def test_a_lower_case_letter_is_refused_by_the_service_in_vietnamese(department, province_admin):
    with pytest.raises(InvalidInput) as refused:
        service_area_create(unit=department, letter="a", name="Hộ tịch", by=province_admin)
    assert refused.value.field == "letter"
    assert str(refused.value.message) == "Nhập một chữ cái in hoa, từ A đến Z."


def test_an_area_without_a_name_is_refused(admin_web, department):
    response = _create(admin_web, department, **{"area-name": "   "})

    assert response.status_code == 422
    assert 'id="id_area-name-error"' in response.content.decode()
    assert not ServiceArea.objects.exists()


def test_a_forged_counter_of_another_unit_is_refused_and_nothing_is_saved(admin_web, department, other_department):
    foreign = CounterFactory(unit=other_department)

    response = _create(admin_web, department, **{"area-counters": [foreign.pk]})

    assert response.status_code == 422
    assert 'id="id_area-counters-error"' in response.content.decode()
    assert not ServiceArea.objects.exists()
    assert not AdminChange.objects.exists()


def test_a_forged_counter_on_edit_leaves_the_area_unchanged(admin_web, department, other_department, area):
    foreign = CounterFactory(unit=other_department)
    url = reverse("administration:service-area-edit", args=[area.pk])

    response = admin_web.post(url, _data(**{"area-letter": "A", "area-counters": [foreign.pk]}))

    assert response.status_code == 422
    area.refresh_from_db()
    assert (area.name, list(area.counters.all())) == ("Hộ tịch", [])


def test_the_service_refuses_another_units_counter_and_a_closed_one(department, other_department, province_admin):
    with pytest.raises(InvalidInput) as refused:
        service_area_create(
            unit=department, letter="A", name="X", counters=[CounterFactory(unit=other_department)], by=province_admin
        )
    assert refused.value.field == "counters"
    closed = CounterFactory(unit=department, is_active=False)
    with pytest.raises(InvalidInput):
        service_area_create(unit=department, letter="A", name="X", counters=[closed], by=province_admin)
    assert not ServiceArea.objects.exists()


def test_the_form_offers_only_the_units_open_counters(admin_web, department, other_department):
    CounterFactory(unit=department, name="Quầy mở")
    CounterFactory(unit=department, name="Quầy đã đóng", is_active=False)
    CounterFactory(unit=other_department, name="Quầy đơn vị khác")

    page = admin_web.get(reverse("administration:service-area-create", args=[department.pk])).content.decode()

    assert "Quầy mở" in page
    assert "Quầy đã đóng" not in page
    assert "Quầy đơn vị khác" not in page


def test_someone_who_is_not_an_administrator_gets_403_and_changes_nothing(officer_web, department, area):
    assert officer_web.get(reverse("administration:service-area-create", args=[department.pk])).status_code == 403
    assert _create(officer_web, department).status_code == 403
    edit = reverse("administration:service-area-edit", args=[area.pk])
    assert officer_web.post(edit, _data(**{"area-letter": "Z"})).status_code == 403
    assert officer_web.post(reverse("administration:service-area-deactivate", args=[area.pk])).status_code == 403
    assert officer_web.post(reverse("administration:service-area-delete", args=[area.pk])).status_code == 403
    area.refresh_from_db()
    assert (area.letter, area.is_active) == ("A", True)
    assert ServiceArea.objects.count() == 1


def test_an_administrator_of_another_unit_gets_404(dept_web, other_department, province_admin):
    foreign = service_area_create(unit=other_department, letter="A", name="Xây dựng", by=province_admin)

    assert _create(dept_web, other_department).status_code == 404
    assert dept_web.get(reverse("administration:service-area-edit", args=[foreign.pk])).status_code == 404
    assert dept_web.post(reverse("administration:service-area-deactivate", args=[foreign.pk])).status_code == 404
    foreign.refresh_from_db()
    assert foreign.is_active


def test_a_deactivated_area_disappears_from_the_kiosk(admin_web, department, area, province_admin, client):
    service_area_create(unit=department, letter="B", name="Đất đai", by=province_admin)
    assert "Hộ tịch" in _kiosk(client, department)

    response = admin_web.post(reverse("administration:service-area-deactivate", args=[area.pk]))

    assert response.status_code == 302
    area.refresh_from_db()
    assert not area.is_active
    kiosk = _kiosk(client, department)
    assert "Hộ tịch" not in kiosk
    assert "Đất đai" in kiosk
    taking = client.post(reverse("queueing:kiosk", args=[department.code]), {"area": area.pk})
    assert taking.status_code == 422
    change = AdminChange.objects.get(action="service_area.deactivate")
    assert (change.before, change.after) == ({"is_active": True}, {"is_active": False})


def test_unticking_active_on_the_edit_page_also_takes_the_area_off_the_kiosk(admin_web, department, area, client):
    url = reverse("administration:service-area-edit", args=[area.pk])
    data = _data(**{"area-letter": "A", "area-name": "Hộ tịch"})
    del data["area-is_active"]

    assert admin_web.post(url, data).status_code == 302

    area.refresh_from_db()
    assert not area.is_active
    assert client.get(reverse("queueing:kiosk", args=[department.code])).status_code == 404  # no area left


def test_an_area_with_people_waiting_today_cannot_be_deactivated(admin_web, department, area):
    ticket_issue(area=area)

    response = admin_web.post(reverse("administration:service-area-deactivate", args=[area.pk]))

    assert response.status_code == 400
    assert "1 người đang chờ" in response.content.decode()
    area.refresh_from_db()
    assert area.is_active
    assert not AdminChange.objects.filter(action="service_area.deactivate").exists()


def test_an_area_that_never_issued_a_ticket_can_be_deleted(admin_web, department, area):
    unit_page = admin_web.get(reverse("administration:unit-detail", args=[department.pk])).content.decode()
    delete = reverse("administration:service-area-delete", args=[area.pk])
    assert delete in unit_page

    assert admin_web.post(delete).status_code == 302

    assert not ServiceArea.objects.exists()
    change = AdminChange.objects.get(action="service_area.delete")
    assert change.before["letter"] == "A"


def test_an_area_with_tickets_cannot_be_deleted_only_deactivated(admin_web, department, area):
    ticket = ticket_issue(area=area)
    ticket.status = "done"
    ticket.save()
    delete = reverse("administration:service-area-delete", args=[area.pk])
    assert delete not in admin_web.get(reverse("administration:unit-detail", args=[department.pk])).content.decode()

    response = admin_web.post(delete)

    assert response.status_code == 400
    assert "chỉ có thể ngừng sử dụng" in response.content.decode()
    assert ServiceArea.objects.filter(pk=area.pk).exists()
    assert TicketSequence.objects.filter(area=area).exists()
    assert admin_web.post(reverse("administration:service-area-deactivate", args=[area.pk])).status_code == 302


def test_the_letter_of_an_area_with_tickets_cannot_change(admin_web, area):
    ticket_issue(area=area)

    response = admin_web.post(
        reverse("administration:service-area-edit", args=[area.pk]),
        _data(**{"area-letter": "Z", "area-name": "Hộ tịch"}),
    )

    assert response.status_code == 422
    area.refresh_from_db()
    assert area.letter == "A"


def test_no_change_log_entry_when_nothing_changed(admin_web, area):
    data = _data(**{"area-letter": "A", "area-name": "Hộ tịch", "area-procedure_fields": "", "area-position": "0"})

    assert admin_web.post(reverse("administration:service-area-edit", args=[area.pk]), data).status_code == 302

    assert not AdminChange.objects.filter(action="service_area.update").exists()

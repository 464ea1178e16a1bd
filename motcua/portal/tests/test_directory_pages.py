"""The public staff list per counter (seed 003 §III.1.9).

Until the lead adds `path("co-quan/", include("motcua.portal.urls_directory"))` to portal/urls.py,
this module is its own URLconf: the site's URLs with the directory nested under "portal" as planned.
"""

import pytest
from django.urls import include, path

from config.urls import urlpatterns as site_urlpatterns
from motcua.accounts.factories import StaffUserFactory
from motcua.accounts.roles import Role
from motcua.organizations.factories import CounterFactory, RootUnitFactory, UnitFactory
from motcua.organizations.models import Position
from motcua.organizations.services import membership_end, membership_grant
from motcua.portal import urls as portal_urls

portal_with_directory = (
    [*portal_urls.urlpatterns, path("co-quan/", include("motcua.portal.urls_directory"))],
    "portal",
)
urlpatterns = [
    *(pattern for pattern in site_urlpatterns if getattr(pattern, "namespace", None) != "portal"),
    path("", include(portal_with_directory)),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def grant(counter, position, name, title, field, phone, role=Role.COUNTER_OFFICER):
    return membership_grant(
        user=StaffUserFactory(full_name=name),
        unit=counter.unit,
        role=role,
        counter=counter,
        position=position,
        title=title,
        field_of_work=field,
        work_phone=phone,
    )


@pytest.fixture
def counter():
    RootUnitFactory()
    unit = UnitFactory(code="000.00.01.H99", name="Trung tâm Phục vụ hành chính công")
    counter = CounterFactory(unit=unit, name="Quầy Tư pháp - Hộ tịch", address="Số 2 Hùng Vương", phone="0203 111 222")
    grant(counter, Position.HEAD, "Nguyễn Văn Trưởng", "Giám đốc Trung tâm", "Điều hành chung", "0912 000 001")
    grant(counter, Position.DEPUTY, "Lê Thị Phó", "Phó Giám đốc", "Hộ tịch, chứng thực", "0912 000 002")
    grant(counter, Position.OFFICER, "Trần Văn Một", "Chuyên viên", "Hộ tịch", "0912 000 003")
    return counter


def test_index_lists_units_with_their_open_counters(client, counter):
    CounterFactory(unit=counter.unit, name="Quầy đã đóng", is_active=False)

    page = client.get("/co-quan/").content.decode()

    assert "Trung tâm Phục vụ hành chính công" in page
    assert "Quầy Tư pháp - Hộ tịch" in page
    assert f'href="/co-quan/quay/{counter.pk}/"' in page
    assert "Quầy đã đóng" not in page


def test_counter_page_lists_head_deputy_and_officers_with_title_field_and_phone(client, counter):
    response = client.get(f"/co-quan/quay/{counter.pk}/")

    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Nguyễn Văn Trưởng",
        "Giám đốc Trung tâm",
        "Lê Thị Phó",
        "Hộ tịch, chứng thực",
        "Trần Văn Một",
        "Chuyên viên",
        "0912 000 003",
        "Số 2 Hùng Vương",
    ):
        assert text in page
    assert page.index("Nguyễn Văn Trưởng") < page.index("Lê Thị Phó") < page.index("Trần Văn Một")


def test_people_who_left_are_not_listed_and_people_with_two_roles_once(client, counter):
    gone = grant(counter, Position.OFFICER, "Phạm Văn Nghỉ", "Chuyên viên", "Đất đai", "0912 000 009")
    membership_end(membership=gone)
    head = counter.memberships.get(position=Position.HEAD).user
    membership_grant(user=head, unit=counter.unit, role=Role.UNIT_LEADER, counter=counter, title="Giám đốc Trung tâm")

    page = client.get(f"/co-quan/quay/{counter.pk}/").content.decode()

    assert "Phạm Văn Nghỉ" not in page
    assert page.count("Nguyễn Văn Trưởng") == 1


def test_unknown_and_closed_counters_are_not_found(client, counter):
    closed = CounterFactory(unit=counter.unit, is_active=False)

    assert client.get("/co-quan/quay/999999/").status_code == 404
    assert client.get(f"/co-quan/quay/{closed.pk}/").status_code == 404


def test_staff_login_names_are_not_published(client, counter):
    page = client.get(f"/co-quan/quay/{counter.pk}/").content.decode()

    assert not any(m.user.username in page for m in counter.memberships.all())

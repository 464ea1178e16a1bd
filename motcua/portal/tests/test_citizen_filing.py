"""The online filing wizard: four steps in the session, then one dossier (never two), and a receipt."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from motcua.accounts.factories import OrganizationProfileFactory
from motcua.accounts.roles import AccountKind
from motcua.catalog.models import Component
from motcua.dossiers.factories import CounterFactory, UnitFactory, UserFactory, offer
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Channel, Dossier
from motcua.organizations.models import Counter
from motcua.portal.filing_state import SESSION_PREFIX
from motcua.portal.tests.citizen_world import PROFILE, START, URLS, citizen_world, fake_pdf, pdf_upload

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]

CODE = "2.000815"


@pytest.fixture
def world(db):
    with time_machine.travel(START, tick=False):
        yield citizen_world()


@pytest.fixture
def citizen(client, world):
    client.force_login(world.citizen)
    return client


def url(name: str) -> str:
    return reverse(f"portal:{name}", kwargs={"procedure_code": CODE})


def applicant_post(**overrides: str) -> dict[str, str]:
    values = {k: str(v) for k, v in PROFILE.items() if k != "gender"}
    return {**values, **overrides}


def through_step_two(client, world) -> None:
    step_one = {"receiving_unit": world.unit.code, "return_method": "post"}
    assert client.post(url("filing-start"), step_one).status_code == 302
    assert client.post(url("filing-applicant"), applicant_post()).status_code == 302


def through_step_three(client, world) -> None:
    through_step_two(client, world)
    response = client.post(url("filing-components"), {"action": "continue", "file-0": pdf_upload()})
    assert response.status_code == 302
    assert response.url == url("filing-review")


def test_a_visitor_is_sent_to_log_in_and_staff_get_403(client, world):
    anonymous = client.get(url("filing-start"))
    client.force_login(world.officer)
    staff = client.get(url("filing-start"))

    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("accounts:login"))
    assert staff.status_code == 403


def test_step_one_offers_the_receiving_units_and_the_return_methods(citizen, world):
    html = citizen.get(url("filing-start")).content.decode()

    assert world.unit.name in html
    assert world.other_unit.name not in html  # it does not receive this procedure
    assert 'value="post"' in html  # the procedure allows the post
    assert 'value="electronic"' in html


def test_post_is_not_offered_when_the_procedure_does_not_allow_it(citizen, world):
    world.procedure.current_version.postal_allowed = False
    world.procedure.current_version.save()

    html = citizen.get(url("filing-start")).content.decode()
    response = citizen.post(url("filing-start"), {"receiving_unit": world.unit.code, "return_method": "post"})

    assert 'value="post"' not in html
    assert response.status_code == 422
    assert 'href="#id_return_method_0"' in response.content.decode()


def test_a_non_geographic_procedure_can_be_filed_at_any_counter(citizen, world):
    world.procedure.current_version.non_geographic = True
    world.procedure.current_version.save()
    no_counter = UnitFactory(code="000.00.23.H99", name="Phòng không có quầy")

    html = citizen.get(url("filing-start")).content.decode()

    assert world.other_unit.name in html
    assert no_counter.name not in html
    assert Counter.objects.filter(unit=world.other_unit).exists()


def test_a_receiving_unit_that_does_not_resolve_the_procedure_asks_who_does(citizen, world):
    centre = UnitFactory(code="000.00.01.H99", name="Trung tâm Phục vụ hành chính công")
    CounterFactory(unit=centre)
    offer(world.procedure, centre, handles=False)
    offer(world.procedure, world.other_unit, receives=False)
    step_one = {"receiving_unit": centre.code, "return_method": "counter"}

    unsaid = citizen.post(url("filing-start"), step_one)
    said = citizen.post(url("filing-start"), {**step_one, "handling_unit": world.other_unit.code})
    citizen.post(url("filing-applicant"), applicant_post())
    citizen.post(url("filing-components"), {"action": "continue", "file-0": pdf_upload()})
    citizen.post(url("filing-review"))

    assert unsaid.status_code == 422
    assert 'href="#id_handling_unit"' in unsaid.content.decode()
    assert said.status_code == 302
    dossier = Dossier.objects.get()
    assert (dossier.receiving_unit, dossier.handling_unit) == (centre, world.other_unit)


def test_later_steps_cannot_be_skipped(citizen, world):
    response = citizen.get(url("filing-review"))

    assert response.status_code == 302
    assert response.url == url("filing-start")


def test_step_two_is_prefilled_from_the_citizen_profile(citizen, world):
    citizen.post(url("filing-start"), {"receiving_unit": world.unit.code, "return_method": "counter"})

    html = citizen.get(url("filing-applicant")).content.decode()

    assert 'value="Đỗ Thị Mai"' in html
    assert 'value="001190012345"' in html
    assert 'value="1990-01-15"' in html
    assert 'autocomplete="street-address"' in html


def test_a_wrong_id_number_is_shown_next_to_the_field_and_in_the_summary(citizen, world):
    citizen.post(url("filing-start"), {"receiving_unit": world.unit.code, "return_method": "counter"})

    response = citizen.post(url("filing-applicant"), applicant_post(id_number="12345"))

    html = response.content.decode()
    assert response.status_code == 422
    assert 'class="error-summary"' in html
    assert 'href="#id_id_number"' in html
    assert 'id="id_id_number_error"' in html
    assert 'aria-invalid="true"' in html
    assert 'value="Số 12 đường Lê Lợi, phường Hòa Bình"' in html  # nothing typed is lost


def test_the_happy_path_makes_one_dossier_and_a_receipt_with_a_qr_code(citizen, world):
    through_step_three(citizen, world)

    first = citizen.post(url("filing-review"))
    second = citizen.post(url("filing-review"))  # a double click

    dossier = Dossier.objects.get()
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == reverse("portal:filing-receipt", kwargs={"code": dossier.code})
    assert (dossier.status, dossier.channel, dossier.owner) == (Status.SUBMITTED, Channel.ONLINE, world.citizen)
    assert (dossier.applicant_name, dossier.applicant_id_number) == ("Đỗ Thị Mai", "001190012345")
    assert dossier.return_method == "post"
    assert len(dossier.components.get(component__code="TP1").files) == 1
    receipt = citizen.get(first.url).content.decode()
    assert dossier.code in receipt
    assert "<svg" in receipt
    assert f"/tra-cuu/{dossier.code}" in receipt


def test_a_resent_submission_with_the_same_key_finds_the_same_dossier(citizen, world):
    through_step_three(citizen, world)
    pending = dict(citizen.session[SESSION_PREFIX + CODE])

    citizen.post(url("filing-review"))
    session = citizen.session
    session[SESSION_PREFIX + CODE] = pending  # as if a second request had read the session before the first ended
    session.save()
    again = citizen.post(url("filing-review"))

    dossier = Dossier.objects.get()
    assert again.url == reverse("portal:filing-receipt", kwargs={"code": dossier.code})


def test_the_next_visit_after_submitting_starts_a_new_filing(citizen, world):
    through_step_three(citizen, world)
    citizen.post(url("filing-review"))

    response = citizen.get(url("filing-components"))

    assert response.status_code == 302
    assert response.url == url("filing-start")


def test_a_missing_required_component_is_refused_and_nothing_is_created(citizen, world):
    through_step_two(citizen, world)

    response = citizen.post(url("filing-components"), {"action": "continue"})
    review = citizen.get(url("filing-review"))

    html = response.content.decode()
    assert response.status_code == 422
    assert 'href="#file-0"' in html
    assert 'id="file-0-error"' in html
    assert review.status_code == 302
    assert review.url == url("filing-components")
    assert not Dossier.objects.exists()


def test_a_refused_upload_shows_its_reason_and_the_other_uploads_stay(citizen, world):
    through_step_two(citizen, world)

    response = citizen.post(
        url("filing-components"), {"action": "continue", "file-0": pdf_upload(), "file-1": fake_pdf()}
    )
    again = citizen.get(url("filing-components")).content.decode()
    onward = citizen.post(url("filing-components"), {"action": "continue"})

    html = response.content.decode()
    assert response.status_code == 422
    assert "gia-mao.pdf" in html
    assert 'id="file-1-error"' in html
    assert "to-khai.pdf" in html
    assert "to-khai.pdf" in again
    assert onward.url == url("filing-review")


def test_an_attached_file_can_be_removed(citizen, world):
    through_step_two(citizen, world)
    citizen.post(url("filing-components"), {"action": "upload", "file-0": pdf_upload()})
    file_id = citizen.session[SESSION_PREFIX + CODE]["files"]["TP1"][0]

    citizen.post(url("filing-components"), {"action": "upload", "remove": str(file_id)})

    assert citizen.session[SESSION_PREFIX + CODE]["files"]["TP1"] == []


SCHEMA = {
    "title": "Tờ khai đăng ký",
    "type": "object",
    "required": ["full_name", "reason", "copies"],
    "properties": {
        "full_name": {"type": "string", "title": "Họ, chữ đệm, tên người yêu cầu", "propertyOrder": 1},
        "event_date": {"type": "string", "format": "date", "title": "Ngày sự kiện", "propertyOrder": 2},
        "reason": {"type": "string", "title": "Lý do", "enum": ["new", "lost"], "enumNames": ["Cấp mới", "Bị mất"]},
        "copies": {"type": "integer", "title": "Số bản sao", "minimum": 0, "maximum": 10},
        "urgent": {"type": "boolean", "title": "Cần gấp"},
    },
}


def test_an_e_form_is_drawn_from_the_schema_validated_and_kept_with_the_dossier(citizen, world):
    Component.objects.filter(version=world.procedure.current_version, code="TP1").update(form_schema=SCHEMA)
    citizen.post(url("filing-start"), {"receiving_unit": world.unit.code, "return_method": "counter"})

    page = citizen.get(url("filing-applicant")).content.decode()
    bad = citizen.post(url("filing-applicant"), applicant_post(**{"tp0-copies": "99"}))
    eform = {"tp0-full_name": "Đỗ Thị Mai", "tp0-reason": "lost", "tp0-copies": "2", "tp0-event_date": "2025-09-01"}
    good = citizen.post(url("filing-applicant"), applicant_post(**eform))
    citizen.post(url("filing-components"), {"action": "continue", "file-0": pdf_upload()})
    review = citizen.get(url("filing-review")).content.decode()
    citizen.post(url("filing-review"))

    assert "Họ, chữ đệm, tên người yêu cầu" in page
    assert 'value="Đỗ Thị Mai"' in page  # prefilled from the profile by its name
    assert 'type="date"' in page
    assert "Bị mất" in page
    assert 'type="checkbox"' in page
    assert bad.status_code == 422
    assert 'href="#id_tp0-reason"' in bad.content.decode()
    assert 'href="#id_tp0-copies"' in bad.content.decode()
    assert good.status_code == 302
    assert "Bị mất" in review
    assert "01/09/2025" in review
    dossier = Dossier.objects.get()
    assert dossier.form_data == {
        "TP1": {"full_name": "Đỗ Thị Mai", "event_date": "2025-09-01", "reason": "lost", "copies": 2, "urgent": False}
    }


def test_an_organization_files_as_itself(client, world):
    account = UserFactory(username="congty", kind=AccountKind.ORGANIZATION)
    org = OrganizationProfileFactory(user=account, address="5 Trần Phú", email="info@congty.vn")
    client.force_login(account)
    client.post(url("filing-start"), {"receiving_unit": world.unit.code, "return_method": "electronic"})

    page = client.get(url("filing-applicant")).content.decode()
    fields = {"name": org.name, "tax_code": org.tax_code, "representative": org.representative, "address": org.address}
    client.post(url("filing-applicant"), fields)
    client.post(url("filing-components"), {"action": "continue", "file-0": pdf_upload()})
    client.post(url("filing-review"))

    assert f'value="{org.tax_code}"' in page
    dossier = Dossier.objects.get()
    assert (dossier.applicant_kind, dossier.organization_tax_code) == ("organization", org.tax_code)
    assert dossier.owner == account


def test_the_procedure_page_links_to_the_wizard(client, world):
    html = client.get(reverse("portal:catalog_pages:detail", kwargs={"code": CODE})).content.decode()

    assert f'href="{url("filing-start")}"' in html


def test_a_procedure_not_filed_online_has_no_wizard(citizen, world):
    world.procedure.current_version.online_level = "none"
    world.procedure.current_version.save()

    assert citizen.get(url("filing-start")).status_code == 404

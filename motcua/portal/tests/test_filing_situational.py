"""The wizard demands only the papers every applicant brings; papers of a situation are optional (issue 5)."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from motcua.catalog.models import Component
from motcua.dossiers.models import Dossier
from motcua.portal.tests.citizen_world import PROFILE, START, URLS, citizen_world, pdf_upload

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]

CODE = "2.000815"


@pytest.fixture
def world(db):
    with time_machine.travel(START, tick=False):
        world = citizen_world()
        version = world.procedure.current_version
        Component.objects.filter(version=version, code="TP1").update(case="Giấy tờ phải nộp")
        Component.objects.create(
            version=version, code="TP3", case="Trường hợp ủy quyền", name="Văn bản ủy quyền", required=True, order=3
        )
        Component.objects.create(
            version=version, code="TP4", case="Giấy tờ phải xuất trình", name="Giấy tờ tùy thân", order=4
        )
        yield world


@pytest.fixture
def citizen(client, world):
    client.force_login(world.citizen)
    return client


def url(name: str) -> str:
    return reverse(f"portal:{name}", kwargs={"procedure_code": CODE})


def through_step_two(client, world) -> None:
    values = {k: str(v) for k, v in PROFILE.items() if k != "gender"}
    assert (
        client.post(url("filing-start"), {"receiving_unit": world.unit.code, "return_method": "post"}).status_code
        == 302
    )
    assert client.post(url("filing-applicant"), values).status_code == 302


def _legend(html: str, name: str) -> str:
    start = html.index(name)
    return html[start : html.index("</legend>", start)]


def test_the_components_step_marks_always_required_papers_and_offers_the_situational_ones(citizen, world):
    through_step_two(citizen, world)

    html = citizen.get(url("filing-components")).content.decode()

    assert '<span class="badge">bắt buộc</span>' in _legend(html, "Tờ khai")
    assert '<span class="badge">bắt buộc</span>' in _legend(html, "Giấy tờ tùy thân")
    situational = _legend(html, "Văn bản ủy quyền")
    assert 'class="badge"' not in situational
    assert "không bắt buộc: chỉ nộp trong trường hợp được nêu" in situational


def test_a_missing_situational_paper_is_not_demanded_and_the_dossier_is_filed(citizen, world):
    through_step_two(citizen, world)

    response = citizen.post(
        url("filing-components"), {"action": "continue", "file-0": pdf_upload(), "file-3": pdf_upload("cccd.pdf")}
    )
    assert response.status_code == 302
    assert response.url == url("filing-review")
    assert citizen.post(url("filing-review")).status_code == 302

    dossier = Dossier.objects.get()
    assert not dossier.components.filter(component__code="TP3").exclude(files=[]).exists()


def test_an_always_required_paper_is_still_demanded_and_nothing_is_created(citizen, world):
    through_step_two(citizen, world)

    response = citizen.post(url("filing-components"), {"action": "continue", "file-0": pdf_upload()})

    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="file-3-error"' in html  # the ID paper (4th row)
    assert 'id="file-2-error"' not in html  # the power of attorney is not demanded
    assert not Dossier.objects.exists()

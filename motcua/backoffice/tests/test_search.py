"""Finding any dossier of one's units, whatever its status."""

from __future__ import annotations

import pytest

from motcua.dossiers.factories import applicant, register
from motcua.dossiers.services.review import dossier_request_supplement

pytestmark = [pytest.mark.django_db, pytest.mark.urls("motcua.backoffice.tests.urls")]

SEARCH = "/can-bo/tim-kiem/"


def found(response) -> list[str]:
    return [d.code for d in response.context["page"].object_list]


def test_search_finds_dossiers_waiting_for_the_applicant_too(world, login):
    waiting = register(world.officer, world.procedure, applicant=applicant(full_name="Đỗ Thị Hà"))
    dossier_request_supplement(dossier=waiting, officer=world.specialist, missing=["Giấy chứng sinh"])
    register(world.officer, world.procedure)
    client = login(world.officer)

    response = client.get(SEARCH, {"q": "do thi ha"})

    assert found(response) == [waiting.code]
    assert "Yêu cầu bổ sung hồ sơ" in response.content.decode()
    assert found(client.get(SEARCH, {"status": "awaiting_supplement"})) == [waiting.code]


def test_search_never_shows_another_units_dossiers(world, login):
    register(world.officer, world.procedure)

    assert found(login(world.outsider).get(SEARCH, {"q": "khai sinh"})) == []

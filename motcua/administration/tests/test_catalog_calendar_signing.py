"""Catalog import/export, calendar overrides with their effect, signing identities (PKCS#12 and PKCS#11)."""

from __future__ import annotations

import copy
import io
import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from motcua.administration.models import AdminChange
from motcua.catalog.models import Procedure
from motcua.core import clock
from motcua.documents import pki
from motcua.documents.models import SigningIdentity
from motcua.workcalendar.models import CalendarOverride

SAMPLE = Path(__file__).parents[2] / "catalog" / "tests" / "data" / "procedures_sample.json"


@pytest.fixture
def records():
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_import_json_then_export_both_formats(admin_web, records):
    response = admin_web.post(
        reverse("administration:catalog-import"), {"import-file": _upload("tt.json", json.dumps(records).encode())}
    )

    assert response.status_code == 302
    assert Procedure.objects.count() == len(records)
    assert AdminChange.objects.get(action="catalog.import").after["changed"]
    listing = admin_web.get(reverse("administration:catalog")).content.decode()
    assert records[0]["MATTHC"] in listing
    exported = admin_web.get(reverse("administration:catalog-export", args=["json"]))
    assert {r["MATTHC"] for r in json.loads(exported.content)} == {r["MATTHC"] for r in records}
    workbook = admin_web.get(reverse("administration:catalog-export", args=["xlsx"]))
    assert "procedures" in load_workbook(io.BytesIO(workbook.content)).sheetnames


def test_an_import_with_one_bad_record_writes_nothing_and_lists_the_problems(admin_web, records):
    bad = copy.deepcopy(records)
    bad[1]["MATTHC"] = ""

    response = admin_web.post(
        reverse("administration:catalog-import"), {"import-file": _upload("tt.json", json.dumps(bad).encode())}
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert "MATTHC" in page
    assert "Không nhập gì" in page
    assert Procedure.objects.count() == 0
    assert not AdminChange.objects.exists()


def test_a_file_that_is_not_json_is_refused(admin_web):
    response = admin_web.post(
        reverse("administration:catalog-import"), {"import-file": _upload("tt.json", b"{not json")}
    )
    assert response.status_code == 422
    assert "JSON" in response.content.decode()


def test_procedure_page_lists_versions(admin_web, records):
    admin_web.post(
        reverse("administration:catalog-import"), {"import-file": _upload("tt.json", json.dumps(records).encode())}
    )
    code = records[0]["MATTHC"]
    assert admin_web.get(reverse("administration:procedure-detail", args=[code])).status_code == 200


# --- calendar -----------------------------------------------------------------------------------

MONDAY = datetime(2026, 3, 2, 8, 0, tzinfo=clock.VIETNAM)


@time_machine.travel(MONDAY, tick=False)
def test_an_extra_day_off_moves_the_due_date_and_says_so(admin_web):
    response = admin_web.post(
        reverse("administration:calendar"),
        {
            "override-day": "2026-03-04",
            "override-kind": "day_off",
            "override-reason": "Nghỉ bù",
            "override-decision_number": "1/TB",
        },
        follow=True,
    )

    page = response.content.decode()
    assert CalendarOverride.objects.get(day=date(2026, 3, 4)).kind == "day_off"
    assert "06/03/2026" in page
    assert "09/03/2026" in page
    assert AdminChange.objects.get(action="calendar.set").after["day"] == "2026-03-04"


@time_machine.travel(MONDAY, tick=False)
def test_deleting_an_override_restores_the_day(admin_web):
    override = CalendarOverride.objects.create(day=date(2026, 3, 4), kind="day_off", reason="Nghỉ bù")

    admin_web.post(reverse("administration:calendar-delete", args=[override.pk]))

    assert not CalendarOverride.objects.exists()
    assert AdminChange.objects.get(action="calendar.delete").before["reason"] == "Nghỉ bù"


def test_an_override_without_a_reason_is_refused_in_vietnamese(admin_web):
    response = admin_web.post(
        reverse("administration:calendar"),
        {"override-day": "2026-03-04", "override-kind": "day_off", "override-reason": ""},
    )
    assert response.status_code == 422
    assert "Trường này là bắt buộc" in response.content.decode()
    assert not CalendarOverride.objects.exists()


def test_a_department_administrator_cannot_delete_an_override(dept_web):
    override = CalendarOverride.objects.create(day=date(2026, 3, 4), kind="day_off", reason="Nghỉ bù")
    assert dept_web.post(reverse("administration:calendar-delete", args=[override.pk])).status_code == 403
    assert CalendarOverride.objects.filter(pk=override.pk).exists()


# --- signing identities -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ca():
    return pki.root_ca_create(
        common_name="Test CA", organization="Tỉnh Mẫu", now=datetime(2020, 1, 1, tzinfo=clock.VIETNAM)
    )


def _p12(ca, unit, *, password="mat-khau", until_days=365, from_days=-1):  # noqa: S107 - a test file's password
    now = clock.now()
    pair = pki.signing_cert_issue(
        ca=ca,
        common_name=unit.name,
        organization="Tỉnh Mẫu",
        unit_code=unit.code,
        not_before=now + timedelta(days=from_days),
        not_after=now + timedelta(days=until_days),
        key_kind="ec",
    )
    return pki.pkcs12_bytes(pair=pair, chain=[ca.cert], passphrase=password, name=unit.code), pair


def _post_p12(client, unit, data, password="mat-khau", variable="SIGN_PASS_TEST"):  # noqa: S107
    form = {
        "p12-unit": unit.pk,
        "p12-file": _upload("key.p12", data),
        "p12-password": password,
        "p12-passphrase_env": variable,
        "p12-label_text": "Khóa 2026",
    }
    return client.post(reverse("administration:signing-pkcs12"), form)


def test_a_valid_pkcs12_for_the_unit_is_registered_and_listed(dept_web, department, ca, monkeypatch):
    monkeypatch.setenv("SIGN_PASS_TEST", "mat-khau")
    data, pair = _p12(ca, department)

    assert _post_p12(dept_web, department, data).status_code == 302

    identity = SigningIdentity.objects.get(unit=department)
    assert (identity.kind, identity.passphrase_env, bytes(identity.p12_data)) == ("pkcs12", "SIGN_PASS_TEST", data)
    assert identity.certificate_pem == pair.cert_pem()
    page = dept_web.get(reverse("administration:signing")).content.decode()
    assert "CN=Test CA" in page
    assert "Khóa 2026" in page


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("wrong_unit", "không phải cho"),
        ("expired", "hết hạn"),
        ("wrong_password", "mật khẩu"),
        ("variable_differs", "SIGN_PASS_TEST"),
    ],
)
def test_bad_pkcs12_uploads_are_refused_with_a_clear_message(
    dept_web, department, other_department, ca, monkeypatch, case, expected
):
    monkeypatch.setenv("SIGN_PASS_TEST", "khac" if case == "variable_differs" else "mat-khau")
    if case == "expired":
        with time_machine.travel(clock.now() - timedelta(days=800)):
            data, _pair = _p12(ca, department, until_days=30)
    else:
        data, _pair = _p12(ca, other_department if case == "wrong_unit" else department)

    response = _post_p12(dept_web, department, data, password="sai" if case == "wrong_password" else "mat-khau")

    assert response.status_code == 422
    assert expected in response.content.decode()
    assert not SigningIdentity.objects.exists()
    assert not AdminChange.objects.exists()


def test_a_pkcs11_key_is_registered_with_its_token_details(dept_web, department, ca):
    _data, pair = _p12(ca, department)
    form = {
        "p11-unit": department.pk,
        "p11-certificate_pem": pair.cert_pem(),
        "p11-module": "/usr/lib/softhsm/libsofthsm2.so",
        "p11-token_label": "motcua",
        "p11-key_label": "so-tu-phap",
        "p11-pin_env": "HSM_PIN",
        "p11-label_text": "HSM",
    }

    assert dept_web.post(reverse("administration:signing-pkcs11"), form).status_code == 302

    identity = SigningIdentity.objects.get(unit=department)
    assert (identity.kind, identity.pkcs11_key_label, identity.pkcs11_pin_env) == ("pkcs11", "so-tu-phap", "HSM_PIN")


def test_a_pkcs11_entry_with_a_relative_module_path_is_refused(dept_web, department, ca):
    _data, pair = _p12(ca, department)
    form = {
        "p11-unit": department.pk,
        "p11-certificate_pem": pair.cert_pem(),
        "p11-module": "libsofthsm2.so",
        "p11-key_label": "k",
    }
    response = dept_web.post(reverse("administration:signing-pkcs11"), form)
    assert response.status_code == 422
    assert 'id="id_p11-module-error"' in response.content.decode()
    assert not SigningIdentity.objects.exists()


def test_a_department_administrator_cannot_upload_for_another_unit(dept_web, other_department, ca, monkeypatch):
    monkeypatch.setenv("SIGN_PASS_TEST", "mat-khau")
    data, _pair = _p12(ca, other_department)
    assert _post_p12(dept_web, other_department, data).status_code == 422  # not a choice of the form
    assert not SigningIdentity.objects.exists()

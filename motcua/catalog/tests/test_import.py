"""Importing LayThuTuc records: idempotent, versioned, all or nothing."""

import copy

import pytest

from motcua.catalog.errors import InvalidRecords
from motcua.catalog.models import Component, Fee, Field, Procedure, ProcedureVersion, ResultType, TimeUnit
from motcua.catalog.services import procedure_import

pytestmark = pytest.mark.django_db


def _version(code):
    return Procedure.objects.get(code=code).current_version


def test_importing_the_sample_creates_one_published_version_per_procedure(sample_records):
    summary = procedure_import(records=sample_records)

    assert (summary.created, summary.new_versions, summary.unchanged) == (4, 0, 0)
    assert ProcedureVersion.objects.filter(status=ProcedureVersion.Status.PUBLISHED).count() == 4
    birth = _version("1.001193")
    assert birth.number == 1
    assert birth.name == "Thủ tục đăng ký khai sinh"
    assert birth.search_text == "thu tuc dang ky khai sinh 1.001193 ho tich"
    assert birth.source == sample_records[0]


def test_importing_the_shared_data_loads_all_thirty_procedures(shared_records):
    summary = procedure_import(records=shared_records)

    assert summary.created == 30
    assert Procedure.objects.filter(current_version__isnull=False).count() == 30


def test_importing_the_same_file_twice_changes_nothing(imported):
    before = list(ProcedureVersion.objects.values_list("pk", "updated_at", "status"))

    summary = procedure_import(records=imported)

    assert (summary.created, summary.new_versions, summary.unchanged) == (0, 0, 4)
    assert list(ProcedureVersion.objects.values_list("pk", "updated_at", "status")) == before


def test_a_changed_record_becomes_a_new_version_and_the_old_one_is_kept_superseded(imported):
    first = _version("2.000815")
    first_components = list(first.components.values_list("code", "name", "copies"))
    changed = copy.deepcopy(imported)
    changed[2]["THANHPHANHOSO"][0]["GIAYTO"][0]["SOBANSAO"] = 2

    summary = procedure_import(records=changed)

    assert (summary.created, summary.new_versions, summary.unchanged) == (0, 1, 3)
    assert summary.changed_codes == ("2.000815",)
    current = _version("2.000815")
    assert current.number == 2
    assert current.components.get().copies == 2
    first.refresh_from_db()
    assert first.status == ProcedureVersion.Status.SUPERSEDED
    assert list(first.components.values_list("code", "name", "copies")) == first_components


def test_components_without_a_national_code_get_local_codes_that_survive_new_versions(imported):
    codes = list(_version("1.010038").components.order_by("order").values_list("code", "is_local_code"))
    assert codes == [(f"1.010038.TP{n}", True) for n in (1, 2, 3)]
    changed = copy.deepcopy(imported)
    new_doc = {"TENGIAYTO": "Giấy tờ mới chứng minh chỗ ở", "SOBANCHINH": 1, "SOBANSAO": 0}
    changed[3]["THANHPHANHOSO"][0]["GIAYTO"].insert(0, new_doc)

    procedure_import(records=changed)

    after = dict(_version("1.010038").components.values_list("name", "code"))
    assert after["Giấy tờ mới chứng minh chỗ ở"] == "1.010038.TP4"
    assert sorted(after.values()) == [f"1.010038.TP{n}" for n in (1, 2, 3, 4)]


def test_a_national_component_code_is_used_as_is(sample_records):
    sample_records[0]["THANHPHANHOSO"][0]["GIAYTO"][0]["MAGIAYTO"] = "GT.001193.01"

    procedure_import(records=sample_records)

    component = _version("1.001193").components.order_by("order").first()
    assert (component.code, component.is_local_code) == ("GT.001193.01", False)


def test_a_field_without_a_national_code_gets_a_local_one(imported):
    field = _version("1.001193").field

    assert (field.code, field.name, field.is_local) == ("LOCAL-HO-TICH", "Hộ tịch", True)
    assert _version("1.000894").field == field


def test_a_national_field_code_is_used_and_a_renamed_field_renames_the_search_text(sample_records):
    sample_records[0]["LINHVUCTHUCHIEN"] = [{"MALINHVUC": "G15-HT01", "TENLINHVUC": "Hộ tịch"}]
    procedure_import(records=sample_records)
    sample_records[0]["LINHVUCTHUCHIEN"] = [{"MALINHVUC": "G15-HT01", "TENLINHVUC": "Hộ tịch, quốc tịch"}]

    procedure_import(records=sample_records)

    field = Field.objects.get(code="G15-HT01")
    assert not field.is_local
    assert _version("1.001193").search_text.endswith("ho tich, quoc tich")


def test_times_fees_flags_and_results_are_stored(imported):
    residence, copy_cert = _version("1.010038"), _version("2.000815")

    assert (residence.processing_time, residence.processing_time_unit) == (5, TimeUnit.WORKING_DAYS)
    assert residence.online_level == "partial"
    assert not residence.postal_allowed
    assert list(residence.fees.values_list("channel", "amount")) == [(1, 10000), (2, 5000)]
    assert ResultType.objects.filter(version=residence).count() == 4
    assert copy_cert.immediate_result
    assert copy_cert.next_day_after_15h
    assert copy_cert.processing_time is None
    assert copy_cert.online_level == "none"
    assert set(Fee.objects.filter(version=copy_cert).values_list("currency", flat=True)) == {"VND", "USD"}
    assert _version("1.001193").postal_allowed


def test_a_malformed_file_writes_nothing(imported):
    counts = (Procedure.objects.count(), ProcedureVersion.objects.count(), Component.objects.count())
    changed = copy.deepcopy(imported)
    changed[0]["TENTTHC"] = "Tên mới"  # a valid change that must not be written either
    changed[3]["CACHTHUCTHUCHIEN"][0]["KENH"] = "bưu điện"

    with pytest.raises(InvalidRecords) as refused:
        procedure_import(records=changed)

    assert refused.value.problems[0].path == "CACHTHUCTHUCHIEN[0].KENH"
    assert (Procedure.objects.count(), ProcedureVersion.objects.count(), Component.objects.count()) == counts
    assert _version("1.001193").name == "Thủ tục đăng ký khai sinh"


def test_a_national_api_answer_is_imported_as_is(sample_records):
    summary = procedure_import(records={"error_code": 0, "data": sample_records[:2]})

    assert summary.created == 2


def test_progress_is_reported_for_every_record(sample_records):
    calls = []

    procedure_import(records=sample_records, progress=lambda done, total: calls.append((done, total)))

    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_the_published_steps_are_kept_as_text_for_metric_1_3(imported):
    changed = copy.deepcopy(imported)
    changed[2]["TRINHTUTHUCHIEN"] = [
        {
            "TRUONGHOP": "Nộp trực tiếp",
            "TRINHTU": [{"TENTRINHTU": "Bước 1: Nộp hồ sơ"}, {"TENTRINHTU": "Bước 2: Nhận kết quả"}],
        }
    ]

    procedure_import(records=changed)

    assert _version("2.000815").steps == "Nộp trực tiếp\nBước 1: Nộp hồ sơ\nBước 2: Nhận kết quả"
    assert _version(changed[0]["MATTHC"]).steps == ""  # no steps in the record: nothing invented

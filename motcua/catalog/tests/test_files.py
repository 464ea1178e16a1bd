"""JSON and xlsx files: wrappers, round trips, unreadable files."""

import io
import json

import pytest
from openpyxl import load_workbook

from motcua.catalog.errors import ImportFileError, InvalidRecords
from motcua.catalog.files import json_read, json_write, records_read, xlsx_read, xlsx_write
from motcua.catalog.laythutuc import records_parse
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.selectors import procedure_records
from motcua.catalog.services import procedure_import


@pytest.mark.parametrize("wrap", [lambda r: r, lambda r: {"data": r}, lambda r: {"error_code": 0, "result": r}])
def test_a_list_and_the_api_wrappers_are_read(sample_records, wrap):
    assert json_read(json.dumps(wrap(sample_records))) == sample_records


def test_a_single_record_is_read_as_a_list_of_one(sample_records):
    assert json_read(json.dumps({"data": sample_records[0]})) == [sample_records[0]]
    assert json_read(json.dumps(sample_records[0])) == [sample_records[0]]


@pytest.mark.parametrize("content", [b"[{", b"\xff\xfe", b'{"message": "no records"}', b'"text"'])
def test_an_unreadable_json_file_is_refused(content):
    with pytest.raises(ImportFileError):
        json_read(content)


@pytest.mark.django_db
def test_json_export_then_import_changes_nothing(imported):
    stream = io.StringIO()
    json_write(procedure_records(), stream)

    summary = procedure_import(records=json_read(stream.getvalue()))

    assert (summary.created, summary.new_versions, summary.unchanged) == (0, 0, 4)


@pytest.mark.django_db
def test_json_export_of_the_shared_data_gives_back_the_same_records(shared_records):
    procedure_import(records=shared_records)
    stream = io.StringIO()

    json_write(procedure_records(), stream)

    exported = {r["MATTHC"]: r for r in json.loads(stream.getvalue())}
    assert exported == {r["MATTHC"]: r for r in shared_records}


@pytest.mark.django_db
def test_xlsx_export_then_import_changes_nothing(imported, tmp_path):
    path = tmp_path / "catalog.xlsx"
    xlsx_write(procedure_records(), path)

    summary = procedure_import(records=records_read(path))

    assert (summary.created, summary.new_versions, summary.unchanged) == (0, 0, 4)
    assert ProcedureVersion.objects.count() == 4


@pytest.mark.django_db
def test_xlsx_round_trip_of_the_shared_data(shared_records, tmp_path):
    procedure_import(records=shared_records)
    path = tmp_path / "catalog.xlsx"
    xlsx_write(procedure_records(), path)

    summary = procedure_import(records=xlsx_read(path))

    assert summary.unchanged == 30


def test_the_workbook_has_one_sheet_per_entity(sample_records, tmp_path):
    path = tmp_path / "catalog.xlsx"
    xlsx_write(records_parse(sample_records), path)

    book = load_workbook(path)
    assert book.sheetnames == ["procedures", "bodies", "times", "fees", "components", "results", "legal_basis", "extra"]
    assert book["procedures"]["B2"].value == "Thủ tục đăng ký khai sinh"


def test_text_that_looks_like_a_formula_stays_text(sample_records, tmp_path):
    sample_records[0]["YEUCAU"] = "=1+1 không phải công thức"
    path = tmp_path / "catalog.xlsx"
    xlsx_write(records_parse(sample_records), path)

    assert xlsx_read(path)[0]["YEUCAU"] == "=1+1 không phải công thức"


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "catalog.xlsx"
    path.write_bytes(b"not a zip")

    with pytest.raises(ImportFileError):
        xlsx_read(path)


@pytest.mark.django_db
def test_an_xlsx_row_with_a_wrong_type_is_refused_by_record_and_field(sample_records, tmp_path):
    path = tmp_path / "catalog.xlsx"
    xlsx_write(records_parse(sample_records), path)
    book = load_workbook(path)
    book["components"]["E2"] = "một"  # SOBANCHINH
    book.save(path)

    with pytest.raises(InvalidRecords) as refused:
        procedure_import(records=xlsx_read(path))

    assert refused.value.problems[0].path == "THANHPHANHOSO[0].GIAYTO[0].SOBANCHINH"
    assert ProcedureVersion.objects.count() == 0


def test_a_child_row_of_an_unknown_procedure_is_refused(sample_records, tmp_path):
    path = tmp_path / "catalog.xlsx"
    xlsx_write(records_parse(sample_records), path)
    book = load_workbook(path)
    book["results"]["A2"] = "9.999999"
    book.save(path)

    with pytest.raises(ImportFileError, match=r"9\.999999"):
        xlsx_read(path)

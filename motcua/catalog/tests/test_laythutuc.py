"""The LayThuTuc reader and writer, without a database."""

import copy
from decimal import Decimal

import pytest
from django.utils import translation

from motcua.catalog.errors import InvalidRecords
from motcua.catalog.laythutuc import content_hash, record_dump, records_parse


def test_the_canonical_form_of_a_real_record_is_the_record_itself(sample_records):
    for raw in sample_records:
        assert record_dump(records_parse([raw])[0]) == raw


def test_the_hash_ignores_key_order_and_absent_empty_values(sample_records):
    raw = sample_records[0]
    reordered = dict(reversed(list(raw.items())))
    reordered["YEUCAU"] = ""

    assert content_hash(records_parse([reordered])[0]) == content_hash(records_parse([raw])[0])


def test_the_hash_changes_when_the_content_changes(sample_records):
    raw = sample_records[0]
    changed = copy.deepcopy(raw)
    changed["THANHPHANHOSO"][0]["GIAYTO"][0]["SOBANSAO"] = 2

    assert content_hash(records_parse([changed])[0]) != content_hash(records_parse([raw])[0])


def test_numbers_given_as_text_are_read_as_numbers(sample_records):
    raw = sample_records[3]  # 1.010038
    raw["CACHTHUCTHUCHIEN"][0]["KENH"] = "1"
    raw["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]["THOIGIANGIAIQUYET"] = "5"

    record = records_parse([raw])[0]

    assert record.channels[0].kind == 1
    assert record.channels[0].times[0].value == Decimal(5)


def test_a_missing_time_unit_stays_blank_and_the_description_is_kept(sample_records):
    record = records_parse([sample_records[0]])[0]  # 1.001193: "1" with no unit

    row = record.channels[0].times[0]
    assert row.value == 1
    assert row.unit_text == ""
    assert row.description.startswith("Ngay sau khi nhận đủ giấy tờ")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda r: r.pop("MATTHC"), "MATTHC"),
        (lambda r: r.update(MATTHC="1.1193"), "MATTHC"),
        (lambda r: r.update(MATTHC="1.001193.000.00.00.H56"), "MATTHC"),
        (lambda r: r.update(MATTHC=1.001193), "MATTHC"),
        (lambda r: r.update(TENTTHC=""), "TENTTHC"),
        (lambda r: r.update(TENTTHC=["Đăng ký"]), "TENTTHC"),
        (lambda r: r.update(THANHPHANHOSO="Tờ khai"), "THANHPHANHOSO"),
        (lambda r: r["CACHTHUCTHUCHIEN"][0].update(KENH=4), "CACHTHUCTHUCHIEN[0].KENH"),
        (lambda r: r["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0].update(THOIGIANGIAIQUYET="một"), "THOIGIANGIAIQUYET"),
        (lambda r: r["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]["PHILEPHI"][0].update(SOTIEN=-1), "SOTIEN"),
        (lambda r: r["CACHTHUCTHUCHIEN"][0]["THOIGIAN"][0]["PHILEPHI"][0].update(SOTIEN=True), "SOTIEN"),
        (lambda r: r["THANHPHANHOSO"][0]["GIAYTO"][0].update(SOBANCHINH=1.5), "GIAYTO[0].SOBANCHINH"),
        (lambda r: r["THANHPHANHOSO"][0]["GIAYTO"][0].pop("TENGIAYTO"), "GIAYTO[0].TENGIAYTO"),
        (lambda r: r["KETQUATHUCHIEN"].append("Giấy khai sinh"), "KETQUATHUCHIEN[1]"),
    ],
)
def test_a_malformed_record_is_refused_naming_record_and_field(sample_records, change, field):
    change(sample_records[2])

    with pytest.raises(InvalidRecords) as refused, translation.override("en"):
        records_parse(sample_records)

    problem = refused.value.problems[0]
    assert problem.index == 2
    assert field in problem.path
    assert str(refused.value).startswith("Record 2")
    assert f", {problem.path}: " in str(refused.value)


def test_every_problem_of_a_file_is_reported_at_once(sample_records):
    sample_records[0]["TENTTHC"] = None
    sample_records[3]["MATTHC"] = "abc"

    with pytest.raises(InvalidRecords) as refused:
        records_parse(sample_records)

    assert [(p.index, p.path) for p in refused.value.problems] == [(0, "TENTTHC"), (3, "MATTHC")]


def test_a_code_twice_in_one_file_is_refused(sample_records):
    sample_records.append(copy.deepcopy(sample_records[0]))

    with pytest.raises(InvalidRecords) as refused, translation.override("en"):
        records_parse(sample_records)

    assert refused.value.problems[0].index == 4
    assert "record 0" in refused.value.problems[0].message


def test_a_record_that_is_not_an_object_is_refused():
    with pytest.raises(InvalidRecords) as refused:
        records_parse(["1.001193"])

    assert refused.value.problems[0].index == 0


def test_unknown_top_level_keys_are_kept_verbatim(sample_records):
    raw = sample_records[0]
    raw["MUCDO"] = {"anything": [1, 2]}

    assert record_dump(records_parse([raw])[0])["MUCDO"] == {"anything": [1, 2]}

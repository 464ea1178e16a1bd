"""What the catalog derives from the national record's text."""

from decimal import Decimal

import pytest

from motcua.catalog import rules
from motcua.catalog.laythutuc import TimeRow, records_parse
from motcua.catalog.models import Level, TimeUnit


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("Ngày làm việc", TimeUnit.WORKING_DAYS),
        ("ngày làm việc", TimeUnit.WORKING_DAYS),
        ("Giờ làm việc", TimeUnit.WORKING_HOURS),
        ("Giờ", TimeUnit.WORKING_HOURS),
        ("Ngày", TimeUnit.DAYS),
        ("", ""),
        ("Tháng", ""),
    ],
)
def test_the_portal_time_word_maps_to_a_time_unit(text, unit):
    assert rules.time_unit(text) == unit


@pytest.mark.parametrize(
    "text",
    [
        "Ngay sau khi nhận đủ giấy tờ theo quy định, nếu thấy thông tin khai sinh đầy đủ",
        "Ngay trong ngày cơ quan, tổ chức tiếp nhận yêu cầu",
        "- Ngay sau khi nhận giấy tờ, nếu thấy việc khai tử đúng",
        "Cơ quan trả kết quả ngay cho người yêu cầu",
    ],
)
def test_an_immediate_result_is_recognised(text):
    assert rules.is_immediate(TimeRow(value=Decimal(1), description=text))


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal(3), "Trong thời hạn 03 ngày làm việc kể từ ngày nhận đủ giấy tờ"),
        (Decimal(1), "- Trực tiếp tại cơ quan đăng ký cư trú; Tiếp nhận ngay khi công dân thông báo lưu trú."),
        (Decimal(5), "Ngay sau khi nhận đủ giấy tờ"),  # five units is not "immediate", whatever the text says
        (None, "Trong ngày"),
    ],
)
def test_other_times_are_not_immediate(value, text):
    assert not rules.is_immediate(TimeRow(value=value, description=text))


def test_field_codes_without_a_national_code_are_local_and_stable():
    assert rules.local_field_code("Hộ tịch") == "LOCAL-HO-TICH"
    assert rules.local_field_code("Đăng ký, quản lý cư trú") == "LOCAL-DANG-KY-QUAN-LY-CU-TRU"


def test_a_long_field_name_gets_a_short_code_that_still_tells_names_apart():
    first = rules.local_field_code("Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)")
    second = rules.local_field_code("Thành lập và hoạt động doanh nghiệp (doanh nghiệp xã hội)")

    assert len(first) <= 40
    assert first.startswith("LOCAL-THANH-LAP-VA-HOAT-DONG-")
    assert first != second
    assert first == rules.local_field_code("Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)")


def test_levels_become_level_codes():
    assert rules.level_codes(("Cấp xã", "Cấp tỉnh", "Cơ quan khác")) == "|commune|other|province|"
    assert {rules.level_code(t) for t in ("Cấp bộ", "Cấp huyện")} <= set(Level.values)


def test_conditional_documents_are_not_required():
    assert not rules.document_required("Trường hợp trẻ em bị bỏ rơi thì phải có biên bản")
    assert not rules.document_required("Văn bản ủy quyền (nếu có)")
    assert rules.document_required("Tờ khai đăng ký khai sinh theo mẫu")


def test_the_readme_immediate_procedures_are_flagged_and_certification_counts_from_next_day(sample_records):
    derived = {r.code: rules.derive(r) for r in records_parse(sample_records)}

    assert all(derived[code].immediate_result for code in ("1.001193", "1.000894", "2.000815"))
    assert not derived["1.010038"].immediate_result
    assert derived["2.000815"].next_day_after_15h
    assert not derived["1.010038"].next_day_after_15h


def test_direct_and_online_times_are_kept_apart(shared_records):
    land = next(r for r in records_parse(shared_records) if r.code == "1.013978")

    derived = rules.derive(land)

    assert (derived.processing_time, derived.processing_time_unit) == (27, TimeUnit.WORKING_DAYS)
    assert (derived.online_processing_time, derived.online_processing_time_unit) == (17, TimeUnit.WORKING_DAYS)


def test_the_readme_immediate_procedures_in_the_shared_data(shared_records):
    derived = {r.code: rules.derive(r) for r in records_parse(shared_records)}

    assert {"1.001193", "1.000894", "1.000656"} <= {c for c, d in derived.items() if d.immediate_result}
    assert not derived["2.001159"].immediate_result  # "Tiếp nhận ngay khi …" is about reception
    assert all(d.next_day_after_15h for c, d in derived.items() if c in ("2.000815", "2.000884", "2.001035"))


def test_the_publishing_decision_is_read_from_the_source_note(sample_records):
    record = records_parse(sample_records)[0]

    assert rules.derive(record).decision_number == "163/QĐ-BTP"

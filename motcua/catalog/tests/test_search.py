"""Search that ignores Vietnamese diacritics and case (SPEC §3.2, §5.1)."""

import pytest

from motcua.catalog.factories import FieldFactory, OfferingFactory, ProcedureVersionFactory
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.selectors import procedure_search, procedure_search_page

pytestmark = pytest.mark.django_db


def _codes(**filters):
    return [p.code for p in procedure_search(**filters)]


@pytest.mark.parametrize(
    "query",
    [
        "dang ky khai sinh",
        "Đăng ký khai sinh",
        "ĐĂNG KÝ KHAI SINH",
        "DANG KY KHAI SINH",
        "đang ky khai sinh",
        "khai sinh",
    ],
)
def test_birth_registration_is_found_whatever_the_marks_and_case(imported, query):
    assert "1.001193" in _codes(q=query)


def test_every_word_must_match(imported):
    assert _codes(q="dang ky ket hon") == ["1.000894"]
    assert _codes(q="khai sinh ket hon") == []


def test_d_and_d_bar_are_the_same_letter(imported):
    assert _codes(q="đăng ký") == _codes(q="dang ky") != []


def test_an_exact_code_ranks_first(imported):
    ProcedureVersionFactory(procedure__code="1.999999", name="Thủ tục mẫu có nhắc 1.001193 trong tên")

    assert _codes(q="1.001193")[0] == "1.001193"
    assert set(_codes(q="1.001193")) == {"1.001193", "1.999999"}


def test_the_field_name_is_searched_too(imported):
    assert set(_codes(q="ho tich")) == {"1.001193", "1.000894"}


def test_filters_by_field_level_online_level_and_unit(imported):
    other = ProcedureVersionFactory(field=FieldFactory(code="G01-CT01", name="Chứng thực khác"), levels=["Cấp tỉnh"])
    offering = OfferingFactory(procedure=other.procedure)

    assert set(_codes(field="LOCAL-CHUNG-THUC")) == {"2.000815"}
    assert _codes(level="province") == [other.procedure.code]
    assert set(_codes(online_level="none")) == {"2.000815"}
    assert _codes(unit=offering.unit.code) == [other.procedure.code]


def test_only_published_current_versions_are_found(imported):
    ProcedureVersion.objects.filter(procedure__code="1.001193").update(status=ProcedureVersion.Status.ABOLISHED)

    assert "1.001193" not in _codes(q="khai sinh")


def test_results_come_in_pages_with_the_total_count(imported):
    first = procedure_search_page(per_page=3)
    second = procedure_search_page(per_page=3, page=2)
    past_the_end = procedure_search_page(per_page=3, page=9)

    assert (first.count, first.num_pages, len(first.items), first.has_next) == (4, 2, 3, True)
    assert len(second.items) == 1
    assert not second.has_next
    assert past_the_end.items == []
    assert past_the_end.count == 4

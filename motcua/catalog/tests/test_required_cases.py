from types import SimpleNamespace

import pytest

from motcua.catalog.rules import (
    components_always_required,
    document_for_paper_filings_only,
    document_situational,
    unconditional_cases,
)


@pytest.mark.parametrize(
    ("cases", "expected"),
    [
        (["Hồ sơ"], {"Hồ sơ"}),
        (["Giấy tờ phải nộp", "Giấy tờ phải xuất trình"], {"Giấy tờ phải nộp", "Giấy tờ phải xuất trình"}),
        (["Hồ sơ", "Trường hợp ủy quyền thực hiện thủ tục thì hồ sơ phải kèm theo"], {"Hồ sơ"}),
        (["Đăng ký thường trú vào chỗ ở hợp pháp do thuê", "Đăng ký thường trú tại cơ sở tôn giáo"], set()),
        (["(1.7) Đối với công trình nhà ở riêng lẻ"], set()),
        (["a) Đối với trường hợp thực hiện thủ tục đăng ký", "b) Đối với trường hợp người gốc Việt"], set()),
        (["Hồ sơ đăng ký tạm trú gồm"], {"Hồ sơ đăng ký tạm trú gồm"}),
        ([""], {""}),
    ],
)
def test_unconditional_cases(cases, expected):
    assert unconditional_cases(cases) == expected


def test_only_required_components_of_unconditional_groups_are_always_required():
    components = [
        SimpleNamespace(code="A", required=True, case="Hồ sơ", name="Đơn đề nghị"),
        SimpleNamespace(code="B", required=False, case="Hồ sơ", name="Bản sao giấy tờ"),
        SimpleNamespace(code="C", required=True, case="Trường hợp ủy quyền", name="Văn bản ủy quyền"),
    ]

    assert [c.code for c in components_always_required(components)] == ["A"]


# Names as the national catalog writes them (shared/data/procedures.json).
POWER_OF_ATTORNEY = (
    "Văn bản ủy quyền (được chứng thực) theo quy định của pháp luật trong trường hợp ủy quyền thực hiện việc "
    "đăng ký khai sinh. Trường hợp người được ủy quyền là ông, bà, cha, mẹ, con, vợ, chồng, anh, chị, em ruột "
    "của người ủy quyền thì văn bản ủy quyền không phải chứng thực."
)
RESIDENCE = (
    "Giấy tờ có giá trị chứng minh thông tin về cư trú trong trường hợp cơ quan đăng ký hộ tịch không thể khai "
    "thác được thông tin về nơi cư trú của công dân theo các phương thức nêu trên."
)
GUARDIAN = (
    "Giấy tờ chứng minh điều kiện giám hộ đương nhiên theo quy định của Bộ luật Dân sự đối với trường hợp đăng ký "
    "giám hộ đương nhiên."
)
BIRTH_CERTIFICATE = (
    "Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp văn bản của người làm chứng xác nhận về việc "
    "sinh; nếu không có người làm chứng thì phải có giấy cam đoan về việc sinh."
)
DEATH_NOTICE = (
    "Giấy báo tử hoặc giấy tờ thay Giấy báo tử do cơ quan có thẩm quyền cấp. Trường hợp người yêu cầu đã nộp "
    "bản điện tử Giấy báo tử hoặc cơ quan đăng ký hộ tịch đã khai thác được thì không phải nộp."
)
DECLARATION = (
    "Tờ khai đăng ký khai sinh theo mẫu (nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực tiếp hoặc "
    "gửi hồ sơ qua hệ thống bưu chính)"
)


@pytest.mark.parametrize(
    ("name", "situational"),
    [
        (POWER_OF_ATTORNEY, True),
        (RESIDENCE, True),
        (GUARDIAN, True),
        ("Trường hợp trẻ em bị bỏ rơi thì phải có biên bản về việc trẻ bị bỏ rơi", True),
        ("Văn bản ủy quyền (nếu có)", True),
        (BIRTH_CERTIFICATE, False),  # an alternative after a required paper: still required
        (DEATH_NOTICE, False),  # an exception in a later sentence: still required
        (DECLARATION, False),
        ("Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao", False),
    ],
)
def test_a_paper_whose_text_names_its_situation_is_situational(name, situational):
    assert document_situational(name) is situational


def test_a_declaration_asked_of_paper_filings_only_is_not_demanded_online():
    assert document_for_paper_filings_only(DECLARATION)
    assert not document_for_paper_filings_only(BIRTH_CERTIFICATE)
    assert not document_for_paper_filings_only("Tờ khai theo mẫu (nếu có)")


def test_the_birth_registration_papers_every_applicant_brings_by_channel():
    components = [
        SimpleNamespace(code="TK", required=True, case="Giấy tờ phải nộp", name=DECLARATION),
        SimpleNamespace(code="GCS", required=True, case="Giấy tờ phải nộp", name=BIRTH_CERTIFICATE),
        SimpleNamespace(code="UQ", required=True, case="Giấy tờ phải nộp", name=POWER_OF_ATTORNEY),
        SimpleNamespace(code="CT", required=True, case="Giấy tờ phải xuất trình", name=RESIDENCE),
    ]

    def codes(channel: int | None) -> list[str]:
        return [c.code for c in components_always_required(components, channel=channel)]

    assert codes(1) == ["TK", "GCS"]  # at the counter: the declaration on paper and the birth certificate
    assert codes(3) == ["TK", "GCS"]  # by post, the same
    assert codes(None) == ["TK", "GCS"]
    assert codes(2) == ["GCS"]  # online the declaration is the filing itself

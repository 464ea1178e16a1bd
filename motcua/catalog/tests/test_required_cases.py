from types import SimpleNamespace

import pytest

from motcua.catalog.rules import components_always_required, unconditional_cases


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
        SimpleNamespace(code="A", required=True, case="Hồ sơ"),
        SimpleNamespace(code="B", required=False, case="Hồ sơ"),
        SimpleNamespace(code="C", required=True, case="Trường hợp ủy quyền"),
    ]

    assert [c.code for c in components_always_required(components)] == ["A"]

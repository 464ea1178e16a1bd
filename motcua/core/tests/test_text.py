import pytest

from motcua.core.text import fold


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đăng ký khai sinh", "dang ky khai sinh"),
        ("ĐĂNG KÝ KẾT HÔN", "dang ky ket hon"),
        ("Chứng thực   bản sao\ttừ bản chính", "chung thuc ban sao tu ban chinh"),
        ("đ", "d"),
        ("", ""),
    ],
)
def test_fold_strips_marks_case_and_d_bar(text, expected):
    assert fold(text) == expected


def test_fold_is_the_same_for_composed_and_decomposed_input():
    import unicodedata

    word = "Thủ tục hành chính"
    assert fold(unicodedata.normalize("NFD", word)) == fold(unicodedata.normalize("NFC", word))

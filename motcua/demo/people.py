"""Fictional applicants for the demo history: Vietnamese names, ID numbers, phones. Pure data and a seeded RNG.

Family names are weighted roughly as Vietnam's population surveys report them (Nguyễn about a
third, then Trần, Lê, Phạm, Hoàng/Huỳnh, Phan, Vũ/Võ, …); middle names follow the generation
(fewer "Văn" and "Thị" among the young). ID numbers follow Circular 59/2021/TT-BCA
(`motcua.accounts.identity`): province of birth registration, century-and-gender digit, the last
two digits of the birth year, six random digits.
"""

from __future__ import annotations

import random
from typing import Any, Final

from motcua.accounts.identity import tax_check_digit
from motcua.core.text import fold

FAMILY: Final = {
    "Nguyễn": 31.5, "Trần": 10.9, "Lê": 9.5, "Phạm": 7.0, "Hoàng": 5.1, "Huỳnh": 2.0, "Phan": 4.5,
    "Vũ": 3.9, "Võ": 2.0, "Đặng": 2.1, "Bùi": 2.0, "Đỗ": 1.4, "Hồ": 1.3, "Ngô": 1.3, "Dương": 1.0,
    "Đinh": 0.8, "Đào": 0.7, "Đoàn": 0.6, "Trịnh": 0.6, "Trương": 0.6, "Lý": 0.5, "Mai": 0.5,
    "Lương": 0.5, "Hà": 0.5, "Cao": 0.4, "Lâm": 0.4, "Tô": 0.3, "Chu": 0.3, "Phùng": 0.3, "Tạ": 0.3,
    "Lưu": 0.3, "Kiều": 0.2, "Quách": 0.2, "Triệu": 0.2, "Vương": 0.2, "Thái": 0.2,
}  # fmt: skip
MIDDLE_MALE: Final = {
    "Văn": 30, "Đức": 8, "Minh": 8, "Quốc": 6, "Hữu": 6, "Quang": 5, "Thanh": 5, "Công": 4, "Đình": 4,
    "Ngọc": 3, "Xuân": 3, "Trung": 3, "Hoàng": 3, "Thành": 3, "Anh": 2, "Tuấn": 2, "Gia": 2, "Bá": 2, "Mạnh": 2,
}  # fmt: skip
MIDDLE_FEMALE: Final = {
    "Thị": 40, "Ngọc": 6, "Thu": 5, "Thanh": 5, "Minh": 4, "Hồng": 4, "Phương": 3, "Kim": 3, "Thùy": 3,
    "Bảo": 2, "Khánh": 2, "Mai": 2, "Diệu": 2, "Hải": 2, "Quỳnh": 2, "Như": 2, "Lan": 1,
}  # fmt: skip
GIVEN_MALE: Final = (
    "Anh", "Bảo", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Đức", "Hải", "Hiếu", "Hoàng", "Hùng", "Hưng",
    "Huy", "Khánh", "Khoa", "Kiên", "Lâm", "Lộc", "Long", "Minh", "Nam", "Nghĩa", "Phát", "Phong", "Phúc",
    "Quân", "Quang", "Sơn", "Tài", "Thắng", "Thành", "Thịnh", "Toàn", "Trung", "Tuấn", "Tùng", "Việt", "Vinh",
)  # fmt: skip
GIVEN_FEMALE: Final = (
    "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hậu", "Hiền", "Hoa", "Hồng", "Huyền", "Hương",
    "Lan", "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhi", "Nhung", "Oanh", "Phương",
    "Quyên", "Tâm", "Thảo", "Thư", "Thu", "Thủy", "Trang", "Trinh", "Tuyết", "Uyên", "Vân", "Vy", "Yến",
)  # fmt: skip
# GSO province codes as the ID number's first three digits; most applicants were born nearby.
NEARBY_PROVINCES: Final = ("034", "035", "036", "037")
ALL_PROVINCES: Final = (
    "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020", "022",
    "024", "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038", "040", "042",
    "044", "045", "046", "048", "049", "051", "052", "054", "056", "058", "060", "062", "064", "066",
    "067", "068", "070", "072", "074", "075", "077", "079", "080", "082", "083", "084", "086", "087",
    "089", "091", "092", "093", "094", "095", "096",
)  # fmt: skip
# Who files: parents register births, couples marry, relatives register deaths; 14+ get ID cards.
AGES: Final = {
    "1.001193": (20, 42),
    "1.000689": (20, 45),
    "1.004884": (25, 70),
    "1.000894": (20, 38),
    "2.000806": (22, 45),
    "1.004873": (20, 45),
    "1.000656": (30, 70),
    "1.014061": (14, 70),
}
DEFAULT_AGES: Final = (18, 75)
COMPANY_KINDS: Final = ("Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV", "Doanh nghiệp tư nhân")
COMPANY_TRADES: Final = ("Xây dựng", "Đầu tư", "Thương mại", "Bất động sản", "Dịch vụ", "Nông nghiệp")
COMPANY_NAMES: Final = ("An Phát", "Hưng Thịnh", "Minh Long", "Thành Công", "Đại Việt", "Phú Gia", "Hoàng Long")
EMAIL_DOMAINS: Final = ("example.vn", "example.com")


def applicant(rng: random.Random, procedure_code: str, year: int) -> dict[str, Any]:
    """A person filing `procedure_code` in `year`: name, a consistent ID number, phone, maybe e-mail."""
    low, high = AGES.get(procedure_code, DEFAULT_AGES)
    birth_year = year - rng.randint(low, high)
    male = rng.random() < 0.5
    family, given = _pick(rng, FAMILY), rng.choice(GIVEN_MALE if male else GIVEN_FEMALE)
    middles = dict(MIDDLE_MALE if male else MIDDLE_FEMALE)
    if birth_year >= 1995:  # the young less often carry the generic middle names
        middles["Văn" if male else "Thị"] = 12
    middle = _pick(rng, middles)
    while middle == given:
        middle = _pick(rng, middles)
    return {
        "kind": 1,
        "name": f"{family} {middle} {given}",
        "identity": id_number(rng, birth_year=birth_year, male=male),
        "phone": phone(rng),
        "email": _email(rng, f"{given}.{family}") if rng.random() < 0.35 else "",
    }


def organization(rng: random.Random) -> dict[str, Any]:
    """A company filing (land, building permits): name, a tax code with a valid check digit."""
    name = f"{rng.choice(COMPANY_KINDS)} {rng.choice(COMPANY_TRADES)} {rng.choice(COMPANY_NAMES)}"
    return {"kind": 2, "name": name, "identity": tax_code(rng), "phone": phone(rng), "email": _email(rng, name)}


def id_number(rng: random.Random, *, birth_year: int, male: bool) -> str:
    """A 12-digit personal ID number (CCCD) consistent with the birth year and gender."""
    province = rng.choice(NEARBY_PROVINCES) if rng.random() < 0.75 else rng.choice(ALL_PROVINCES)
    century = 2 * ((birth_year - 1900) // 100) + (0 if male else 1)
    return f"{province}{century}{birth_year % 100:02d}{rng.randrange(1_000_000):06d}"


def tax_code(rng: random.Random) -> str:
    while True:
        first_nine = f"0{rng.randrange(100_000_000, 1_000_000_000) % 100_000_000:08d}"
        check = tax_check_digit(first_nine)
        if check is not None:
            return f"{first_nine}{check}"


def phone(rng: random.Random) -> str:
    return f"09{rng.randrange(100_000_000) % 100_000_000:08d}"


def _email(rng: random.Random, words: str) -> str:
    local = "".join(ch for ch in fold(words).replace(" ", ".") if ch.isalnum() or ch == ".")
    return f"{local}{rng.randint(1, 99)}@{rng.choice(EMAIL_DOMAINS)}"


def _pick(rng: random.Random, weighted: dict[str, float] | dict[str, int]) -> str:
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]

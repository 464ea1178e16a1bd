"""The fictional demo province: its units, counters and staff, as data.

Tỉnh An Lạc (code H99, format-valid and unused by any real province) is organised the two-level
way of 2025: departments and communes/wards directly under the provincial People's Committee.
"""

from __future__ import annotations

from dataclasses import dataclass

from motcua.accounts.roles import Role
from motcua.organizations.models import Position, UnitKind

PROVINCE_CODE = "H99"
PROVINCE_NAME = "Tỉnh An Lạc (mô phỏng)"


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    short_name: str
    kind: str
    parent: str | None


PROVINCIAL = "000.00.00.H99"
SERVICE_CENTER = "000.00.01.H99"
DEMO_COMMUNE = "000.00.21.H99"

UNITS: tuple[UnitSpec, ...] = (
    UnitSpec(PROVINCIAL, "Ủy ban nhân dân tỉnh An Lạc", "UBND tỉnh", UnitKind.PEOPLES_COMMITTEE, None),
    UnitSpec(
        SERVICE_CENTER,
        "Trung tâm Phục vụ hành chính công tỉnh An Lạc",
        "Trung tâm PVHCC",
        UnitKind.SERVICE_CENTER,
        PROVINCIAL,
    ),
    UnitSpec("000.00.02.H99", "Văn phòng Ủy ban nhân dân tỉnh", "Văn phòng UBND", UnitKind.OFFICE, PROVINCIAL),
    UnitSpec("000.00.03.H99", "Sở Nội vụ", "Sở Nội vụ", UnitKind.DEPARTMENT, PROVINCIAL),
    UnitSpec("000.00.04.H99", "Sở Tư pháp", "Sở Tư pháp", UnitKind.DEPARTMENT, PROVINCIAL),
    UnitSpec("000.00.05.H99", "Sở Tài chính", "Sở Tài chính", UnitKind.DEPARTMENT, PROVINCIAL),
    UnitSpec("000.00.06.H99", "Sở Nông nghiệp và Môi trường", "Sở NN&MT", UnitKind.DEPARTMENT, PROVINCIAL),
    UnitSpec("000.00.07.H99", "Sở Xây dựng", "Sở Xây dựng", UnitKind.DEPARTMENT, PROVINCIAL),
    UnitSpec(DEMO_COMMUNE, "Ủy ban nhân dân phường Hòa Bình", "Phường Hòa Bình", UnitKind.COMMUNE, PROVINCIAL),
    UnitSpec("000.00.22.H99", "Ủy ban nhân dân phường An Lạc", "Phường An Lạc", UnitKind.COMMUNE, PROVINCIAL),
    UnitSpec("000.00.23.H99", "Ủy ban nhân dân phường Tân Phú", "Phường Tân Phú", UnitKind.COMMUNE, PROVINCIAL),
    UnitSpec("000.00.24.H99", "Ủy ban nhân dân xã Phú Mỹ", "Xã Phú Mỹ", UnitKind.COMMUNE, PROVINCIAL),
    UnitSpec("000.00.25.H99", "Ủy ban nhân dân xã Đông Sơn", "Xã Đông Sơn", UnitKind.COMMUNE, PROVINCIAL),
    UnitSpec("000.00.26.H99", "Ủy ban nhân dân xã Long Hưng", "Xã Long Hưng", UnitKind.COMMUNE, PROVINCIAL),
    UnitSpec("000.00.27.H99", "Ủy ban nhân dân xã Bình Minh", "Xã Bình Minh", UnitKind.COMMUNE, PROVINCIAL),
    UnitSpec("000.00.28.H99", "Ủy ban nhân dân xã Thạch Bàn", "Xã Thạch Bàn", UnitKind.COMMUNE, PROVINCIAL),
)

# Which department handles provincial-level procedures of a field (by folded field name).
DEPARTMENT_BY_FIELD = {
    "ho tich": "000.00.04.H99",
    "chung thuc": "000.00.04.H99",
    "dat dai": "000.00.06.H99",
    "xay dung": "000.00.07.H99",
    "thanh lap va hoat dong cua ho kinh doanh": "000.00.05.H99",
}
DEFAULT_DEPARTMENT = "000.00.03.H99"


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    kind: str
    role: str | None = None
    unit: str | None = None
    counter: bool = False
    position: str = Position.OFFICER
    title: str = ""
    field_of_work: str = ""

    @property
    def password(self) -> str:
        # Fixed on purpose so the README can list them; `make run` is a local demo only.
        return f"MotCua-{self.username}-2026"


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("demo-admin", "Trần Quốc Toản", "staff", Role.ADMINISTRATOR, PROVINCIAL, title="Quản trị hệ thống"),
    DemoUser(
        "demo-counter",
        "Nguyễn Thị Hằng",
        "staff",
        Role.COUNTER_OFFICER,
        DEMO_COMMUNE,
        counter=True,
        title="Công chức Bộ phận Một cửa",
        field_of_work="Hộ tịch, chứng thực",
    ),
    DemoUser(
        "demo-specialist",
        "Lê Văn Minh",
        "staff",
        Role.SPECIALIST,
        DEMO_COMMUNE,
        title="Công chức Tư pháp - Hộ tịch",
        field_of_work="Hộ tịch, chứng thực",
    ),
    DemoUser(
        "demo-leader",
        "Phạm Thị Thu Trang",
        "staff",
        Role.UNIT_LEADER,
        DEMO_COMMUNE,
        position=Position.HEAD,
        title="Phó Chủ tịch UBND phường",
    ),
    DemoUser(
        "demo-controller",
        "Hoàng Văn Bình",
        "staff",
        Role.CONTROLLER,
        PROVINCIAL,
        title="Chuyên viên kiểm soát TTHC, Văn phòng UBND tỉnh",
    ),
    DemoUser("demo-citizen", "Đỗ Thị Mai", "citizen"),
)

# Counter staff of the other communes, so the public staff lists are not empty.
COMMUNE_OFFICERS = (
    "Vũ Thị Lan",
    "Bùi Văn Hùng",
    "Đặng Thị Ngọc",
    "Ngô Văn Tâm",
    "Dương Thị Hoa",
    "Lý Văn Phúc",
    "Trịnh Thị Yến",
    "Mai Văn Khoa",
)

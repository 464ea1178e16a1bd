"""Catalog search benchmark: diacritics-folded text search against exact-code lookup (SPEC §5.1).

Generates 5,000 procedures with realistic Vietnamese names (real verbs, objects and qualifiers
combined), loads them through the real importer, then times a few typical citizen queries and,
in the same run, the exact-code lookup they should be compared with. Writes
bench/results/search.json, keeping the other database's results already in the file.

    .venv/bin/python bench/bench_search.py                      # SQLite file var/bench_search.sqlite3
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/h_catalog_bench .venv/bin/python bench/bench_search.py
"""

from __future__ import annotations

import json
import os
import platform
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DEBUG"] = "1"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
SQLITE_FILE = ROOT / "var" / "bench_search.sqlite3"
if "DATABASE_URL" not in os.environ:
    SQLITE_FILE.parent.mkdir(exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_FILE}"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from motcua.catalog.models import Component, Fee, Field, Offering, Procedure, ProcedureVersion, ResultType  # noqa: E402
from motcua.catalog.selectors import procedure_search, procedure_search_page, procedure_version_get  # noqa: E402
from motcua.catalog.services import procedure_import  # noqa: E402

COUNT = 5_000
REPEAT = 40
RESULT_FILE = ROOT / "bench" / "results" / "search.json"

VERBS = [
    "Đăng ký",
    "Cấp",
    "Cấp lại",
    "Cấp đổi",
    "Gia hạn",
    "Điều chỉnh",
    "Thu hồi",
    "Xác nhận",
    "Công nhận",
    "Thay đổi",
    "Chấm dứt",
    "Thẩm định",
    "Phê duyệt",
    "Chứng thực",
    "Giải quyết",
    "Hỗ trợ",
    "Đính chính",
]
OBJECTS = [
    "khai sinh",
    "kết hôn",
    "khai tử",
    "giám hộ",
    "giấy phép xây dựng",
    "giấy chứng nhận quyền sử dụng đất",
    "hộ kinh doanh",
    "giấy phép lái xe",
    "thẻ căn cước",
    "giấy phép kinh doanh rượu",
    "chứng chỉ hành nghề y",
    "giấy xác nhận tình trạng hôn nhân",
    "tạm trú",
    "thường trú",
    "hộ nghèo, hộ cận nghèo",
    "bản sao từ bản chính",
    "chữ ký trong giấy tờ, văn bản",
    "trợ cấp xã hội hằng tháng",
    "giấy phép khai thác nước mặt",
    "biển số xe",
    "giấy phép tổ chức lễ hội",
    "cơ sở giáo dục mầm non",
    "giấy chứng nhận đủ điều kiện an toàn thực phẩm",
    "nhà ở riêng lẻ",
    "hợp tác xã",
    "di chúc",
]
QUALIFIERS = [
    "",
    "",
    "có yếu tố nước ngoài",
    "cho hộ gia đình, cá nhân",
    "đối với công trình cấp III, cấp IV",
    "lần đầu",
    "trong trường hợp bị mất, hư hỏng",
    "tại cấp xã",
    "cho doanh nghiệp nhỏ và vừa",
    "đối với người từ đủ 14 tuổi trở lên",
    "theo danh sách",
    "trực tuyến toàn trình",
]
FIELDS = [
    "Hộ tịch",
    "Chứng thực",
    "Đăng ký, quản lý cư trú",
    "Đất đai",
    "Hoạt động xây dựng",
    "Giảm nghèo",
    "Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)",
    "Cấp, quản lý căn cước",
    "Bảo trợ xã hội",
    "Giáo dục và Đào tạo",
    "Y tế dự phòng",
    "An toàn thực phẩm",
    "Tài nguyên nước",
    "Đường bộ",
    "Văn hóa cơ sở",
    "Kinh doanh khí",
    "Lưu thông hàng hóa trong nước",
    "Tôn giáo",
    "Thi đua, khen thưởng",
]
LEVELS = [["Cấp xã"], ["Cấp tỉnh"], ["Cấp xã", "Cấp tỉnh"], ["Cấp bộ", "Cấp tỉnh"], ["Cấp xã", "Cơ quan khác"]]
QUERIES = [
    "dang ky khai sinh",
    "Đăng ký kết hôn có yếu tố nước ngoài",
    "giay phep xay dung",
    "chung thuc",
    "HO KINH DOANH",
    "cap lai",
    "xac nhan tinh trang hon nhan",
    "khong co thu tuc nay",
]


def record(n: int, rng: random.Random) -> dict:
    """One LayThuTuc record with a name built from real words; codes 1.000000–3.xxxxxx are unique."""
    name = " ".join(p for p in (rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(QUALIFIERS)) if p)
    unit, days = rng.choice([("Ngày làm việc", rng.randint(1, 30)), ("Ngày", 15), ("Giờ", 4), (None, 1)])
    time_row = {
        "THOIGIANGIAIQUYET": days,
        **({"DONVITINH": unit} if unit else {}),
        "PHILEPHI": [{"SOTIEN": rng.choice([0, 8000, 50000, 100000]), "DONVI": "Đồng"}],
    }
    documents = [
        {"TENGIAYTO": f"Giấy tờ số {k} kèm theo hồ sơ {name.lower()}", "SOBANCHINH": 1, "SOBANSAO": k % 2}
        for k in range(1, rng.randint(2, 6))
    ]
    return {
        "MATTHC": f"{1 + n % 3}.{n:06d}",
        "TENTTHC": name,
        "LINHVUCTHUCHIEN": [{"TENLINHVUC": rng.choice(FIELDS)}],
        "CAPTHUCHIEN": rng.choice(LEVELS),
        "CACHTHUCTHUCHIEN": [{"KENH": kind, "THOIGIAN": [time_row]} for kind in rng.choice([[1], [1, 2], [1, 2, 3]])],
        "THANHPHANHOSO": [{"TRUONGHOP": "Giấy tờ phải nộp", "GIAYTO": documents}],
        "KETQUATHUCHIEN": [{"MAKETQUA": f"KQ.{n:06d}", "TENKETQUA": f"Kết quả {name.lower()}"}],
    }


def reset_catalog() -> None:
    """Empty the catalog tables of the benchmark database (a database used for nothing else)."""
    Offering.objects.all().delete()
    Procedure.objects.update(current_version=None)
    for model in (Component, Fee, ResultType, ProcedureVersion, Procedure, Field):
        model.objects.all().delete()


def timings(action, repeat: int = REPEAT) -> dict:
    for _ in range(3):  # warm caches and connections
        action()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {"p50_ms": round(statistics.median(samples), 3), "p95_ms": round(samples[int(0.95 * (len(samples) - 1))], 3)}


def load() -> tuple[list[dict], float]:
    """Generate and import the procedures; returns the records and the import time in seconds."""
    call_command("migrate", verbosity=0)
    reset_catalog()
    rng = random.Random(20260101)
    records = [record(n, rng) for n in range(1, COUNT + 1)]
    start = time.perf_counter()
    procedure_import(records=records)
    seconds = round(time.perf_counter() - start, 2)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum does soon after a bulk load; plans use fresh statistics
    return records, seconds


def measure(codes: list[str]) -> dict:
    """Search timings and, in the same run, the exact-code baselines."""
    queries = {
        q: {
            **timings(lambda q=q: procedure_search_page(q=q, page=1, per_page=20)),
            "matches": procedure_search(q=q).count(),
        }
        for q in QUERIES
    }
    plan = str(procedure_search(q="giay phep xay dung").explain())
    return {
        "search_page_of_20_with_count": queries,
        "exact_code_lookup": timings(lambda: Procedure.objects.select_related("current_version").get(code=codes[0])),
        "procedure_detail_with_components": timings(lambda: procedure_version_get(code=codes[0])),
        "code_typed_into_search": timings(lambda: procedure_search_page(q=codes[1], page=1, per_page=20)),
        "search_plan_uses_trigram_index": "catalog_version_search_trgm" in plan,
    }


def main() -> None:
    records, import_seconds = load()
    codes = [r["MATTHC"] for r in random.Random(7).sample(records, 2)]
    result = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": connection.vendor,
        "procedures": Procedure.objects.count(),
        "import_seconds": import_seconds,
        "repeat": REPEAT,
        **measure(codes),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
    }
    RESULT_FILE.parent.mkdir(exist_ok=True)
    previous = json.loads(RESULT_FILE.read_text()) if RESULT_FILE.exists() else {}
    previous.setdefault("benchmark", "catalog search (SPEC §5.1): folded-text search vs exact-code lookup")
    previous.setdefault("results", {})[connection.vendor] = result
    RESULT_FILE.write_text(json.dumps(previous, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

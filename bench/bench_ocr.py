"""OCR seconds per A4 page at 300 dpi through `digitize()`, with OMP_THREAD_LIMIT=1 against tesseract's default.

Goal (SPEC §5.1): one OpenMP thread per tesseract process is several times faster on a 2-core
machine. Baseline in the same run: the same pipeline and pages with OMP_THREAD_LIMIT unset, paired page by
page (alternating which goes first) so load from other processes hits both alike. A third
measurement runs two single-threaded digitizations side by side (two task workers on two cores).

The pages are generated: a grey 300-dpi A4 "scan" with ~30 lines of Vietnamese form text and a
little noise. Writes bench/results/ocr.json.

    .venv/bin/python bench/bench_ocr.py [--pages 4]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageDraw, ImageFont  # noqa: E402

from motcua.documents import ocr  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "ocr.json"
FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
A4 = (2480, 3508)
LINES = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "TỜ KHAI ĐĂNG KÝ KHAI SINH",
    "Kính gửi: Ủy ban nhân dân xã Nghĩa Hành, tỉnh Quảng Ngãi",
    "Họ, chữ đệm, tên người yêu cầu: Nguyễn Văn An",
    "Nơi cư trú: thôn Phú Lâm Đông, xã Nghĩa Hành, tỉnh Quảng Ngãi",
    "Giấy tờ tùy thân: Căn cước công dân số 051090001234",
    "Quan hệ với người được khai sinh: cha ruột",
    "Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:",
    "Họ, chữ đệm, tên: Nguyễn Thị Bảo Ngọc",
    "Ngày, tháng, năm sinh: 17/05/2024 ghi bằng chữ: ngày mười bảy",
    "tháng năm năm hai nghìn không trăm hai mươi bốn",
    "Giới tính: Nữ    Dân tộc: Kinh    Quốc tịch: Việt Nam",
    "Nơi sinh: Bệnh viện Đa khoa tỉnh Quảng Ngãi",
    "Quê quán: xã Đức Phổ, tỉnh Quảng Ngãi",
    "Họ, chữ đệm, tên người mẹ: Trần Thị Hồng Nhung",
    "Năm sinh: 1992    Dân tộc: Kinh    Quốc tịch: Việt Nam",
    "Nơi cư trú: thôn Phú Lâm Đông, xã Nghĩa Hành, tỉnh Quảng Ngãi",
    "Họ, chữ đệm, tên người cha: Nguyễn Văn An",
    "Năm sinh: 1990    Dân tộc: Kinh    Quốc tịch: Việt Nam",
    "Tôi cam đoan nội dung đề nghị đăng ký khai sinh trên đây là đúng",
    "sự thật, được sự thỏa thuận nhất trí của các bên liên quan theo",
    "quy định pháp luật và chịu trách nhiệm trước pháp luật về cam kết.",
    "Đề nghị cấp bản sao trích lục khai sinh: có, số lượng: 02 bản",
    "Làm tại: xã Nghĩa Hành, ngày 20 tháng 05 năm 2024",
    "Người yêu cầu (ký, ghi rõ họ, chữ đệm, tên)",
    "Nguyễn Văn An",
    "Ghi chú: giấy chứng sinh số 1234/GCS do bệnh viện cấp ngày 17/05/2024",
    "Hồ sơ gồm: tờ khai, giấy chứng sinh, giấy chứng nhận kết hôn của cha mẹ",
    "Cán bộ tiếp nhận: Lê Thị Thu Hà, bộ phận một cửa xã Nghĩa Hành",
]


def make_page(seed: int) -> bytes:
    """A 300-dpi A4 grey scan of the form, lines rotated by `seed` so pages differ."""
    image = Image.new("L", A4, 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 46)
    lines = LINES[seed % len(LINES) :] + LINES[: seed % len(LINES)]
    for row, line in enumerate(lines):
        draw.text((220, 200 + row * 100), line, font=font, fill=20)
    scanned = Image.blend(image, Image.effect_noise(A4, 24).point(lambda v: 255 - v // 3), 0.12)
    buffer = io.BytesIO()
    scanned.save(buffer, format="PNG", dpi=(300, 300))
    return buffer.getvalue()


def seconds_for_page(page: bytes, *, omp_env: dict[str, str]) -> float:
    """Wall time of digitize() on one page (the tesseract run dominates; decoding and merging add ~0.1 s)."""
    ocr.TESSERACT_ENV = omp_env  # type: ignore[misc]  # the knob under test
    start = time.perf_counter()
    result = ocr.digitize([("page.png", page)])
    elapsed = time.perf_counter() - start
    assert result.failed_pages == [], result.pages
    assert "Nguyễn Văn An" in result.text  # it really read the page
    return round(elapsed, 3)


def paired_runs(pages: list[bytes]) -> tuple[list[float], list[float]]:
    """Each page with both settings, alternating which goes first, so load from elsewhere hits both alike."""
    limited: list[float] = []
    default: list[float] = []
    for number, page in enumerate(pages):
        runs = [(limited, {"OMP_THREAD_LIMIT": "1"}), (default, {})]
        for samples, env in runs if number % 2 == 0 else runs[::-1]:
            samples.append(seconds_for_page(page, omp_env=env))
    return limited, default


def two_workers(pages: list[bytes], sequential_seconds_per_page: float) -> dict[str, float]:
    """Two single-threaded digitizations at once, as two task workers would run them."""
    ocr.TESSERACT_ENV = {"OMP_THREAD_LIMIT": "1"}  # type: ignore[misc]
    halves = [[(f"p{i}.png", p) for i, p in enumerate(pages[k::2])] for k in (0, 1)]
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(ocr.digitize, halves))
    elapsed = time.perf_counter() - start
    return {
        "pages": len(pages),
        "wall_seconds": round(elapsed, 3),
        "pages_per_minute": round(60 * len(pages) / elapsed, 1),
        "throughput_vs_one_worker": round(sequential_seconds_per_page * len(pages) / elapsed, 2),
    }


def summary(samples: list[float]) -> dict[str, object]:
    return {"seconds_per_page": samples, "median": round(statistics.median(samples), 3)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=4)
    args = parser.parse_args()
    os.environ.pop("OMP_THREAD_LIMIT", None)  # the baseline must really be tesseract's default
    pages = [make_page(seed) for seed in range(args.pages)]
    ocr.digitize([("warm-up.png", pages[0])])  # load the traineddata into the page cache

    load_before = os.getloadavg()
    limited, default = paired_runs(pages)
    parallel = two_workers(pages + pages, statistics.median(limited)) if (os.cpu_count() or 1) >= 2 else None

    ratio = statistics.median(default) / statistics.median(limited)
    version = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, check=True).stdout
    version = version.splitlines()[0]  # "tesseract 5.3.0"
    report = {
        "benchmark": "ocr",
        "goal": "OMP_THREAD_LIMIT=1 makes tesseract -l vie faster per A4 page at 300 dpi than its default (SPEC §5.1)",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "tesseract": version.split()[-1]},
        "page": {"size_px": list(A4), "dpi": 300, "lines": len(LINES), "language": "vie", "pipeline": "digitize()"},
        "omp_thread_limit_1": summary(limited),
        "omp_thread_limit_unset_baseline": summary(default),
        "speedup_limit_1_vs_unset": round(ratio, 2),
        "two_workers_omp_1": parallel,
        "load_average_1min_before_after": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

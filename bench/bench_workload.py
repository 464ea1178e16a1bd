"""Workload generator throughput (issue 6): the same generated year written by 1 process and by N, in one run.

Each size is generated on a fresh PostgreSQL database per process count (`h_bench_workload`), with the
metrics computed inline, and timed end to end (`generate_workload`). The ratio against one process is
what more cores buy: the chunks are independent, so it is bounded by the cores and by PostgreSQL's
own share of them (COPY parsing, index and constraint upkeep).

    .venv/bin/python bench/bench_workload.py                       # 100k, 1 and 2 processes
    BENCH_DOSSIERS=300000 BENCH_PROCESSES=1,2 .venv/bin/python bench/bench_workload.py

Results go to bench/results/workload.json (key `<size>`), keeping the others.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BASE = os.environ.get("BENCH_DATABASE", "postgresql://postgres@127.0.0.1:5432/h_bench_workload")
COUNT = int(os.environ.get("BENCH_DOSSIERS", "100000"))
PROCESSES = [int(p) for p in os.environ.get("BENCH_PROCESSES", "1,2").split(",")]
RESULT_FILE = ROOT / "bench" / "results" / "workload.json"
PYTHON = sys.executable


def _fresh_database() -> None:
    import psycopg

    name = BASE.rsplit("/", 1)[1]
    with psycopg.connect(BASE.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _manage(*args: str) -> str:
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": BASE}
    done = subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], env=env, check=True, capture_output=True, text=True)
    return done.stdout


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def run(processes: int) -> dict[str, Any]:
    _fresh_database()
    _manage("migrate", "-v", "0")
    load = _load()
    started = time.perf_counter()
    out = _manage("generate_workload", "--dossiers", str(COUNT), "--seed", "766", "--workers", str(processes))
    seconds = time.perf_counter() - started
    summary = next(line for line in out.splitlines() if "dossiers of" in line)
    print(f"  {processes} process(es): {summary}", flush=True)
    return {
        "processes": processes,
        "seconds": round(seconds, 1),
        "dossiers_per_second": round(COUNT / seconds),
        "summary": summary,
        "load_at_start": load,
    }


def main() -> None:
    print(f"Generating {COUNT} dossiers with {PROCESSES} processes on {BASE}", flush=True)
    runs = [run(p) for p in PROCESSES]
    baseline = runs[0]["seconds"]
    for entry in runs:
        entry["speedup_vs_first"] = round(baseline / entry["seconds"], 2)
    results = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "dossiers": COUNT,
        "runs": runs,
    }
    existing = json.loads(RESULT_FILE.read_text()) if RESULT_FILE.exists() else {"results": {}}
    existing["benchmark"] = "generate_workload end to end (metrics inline), 1 process vs N, same run"
    existing["results"][f"{COUNT // 1000}k"] = results
    RESULT_FILE.write_text(json.dumps(existing, indent=2, ensure_ascii=False) + "\n")
    print(f"written {RESULT_FILE.relative_to(ROOT)}", flush=True)
    _fresh_database()  # leave no copy of the data behind


if __name__ == "__main__":
    main()

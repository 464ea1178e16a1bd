"""Run every benchmark in bench/ (files named bench_*.py) and list where their results went.

Each benchmark is a standalone script that measures its goal against a baseline in the same run
and writes bench/results/<name>.json; docs/benchmarks.md summarises them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    failures = 0
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"== {script.name}", flush=True)
        result = subprocess.run([sys.executable, str(script)], cwd=HERE.parent, check=False)
        failures += result.returncode != 0
    print("results:", ", ".join(sorted(p.name for p in (HERE / "results").glob("*.json"))))
    return failures


if __name__ == "__main__":
    sys.exit(main())

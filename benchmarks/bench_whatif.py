"""A 3 × 3 what-if sweep over the example book, timed as a user waits for it (issue 19: under 5 s).

    python benchmarks/bench_whatif.py [--through 2026-12] [--repeat 3]

Runs ``compcalc whatif --baseline plans/legacy --candidate plans/land_and_expand`` on
examples/company, sweeping land_tcv.vesting.months=12,18,24 and net_expansion.quota=350000,400000,450000,
in a fresh child process each time (start-up, loading, every analysis, whatif.xlsx and whatif.html):
wall clock, and CPU of the command with its worker processes. Run on demand; not part of the test suite.
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMPANY = ROOT / "examples" / "company"
SETTINGS = ("land_tcv.vesting.months=12,18,24", "net_expansion.quota=350000,400000,450000")
TARGET_SECONDS = 5


def command(out: Path) -> list[str]:
    args = [sys.executable, "-m", "compcalc", "whatif", "--baseline", str(ROOT / "plans" / "legacy"),
            "--candidate", str(ROOT / "plans" / "land_and_expand"), "--roster", str(COMPANY / "roster.csv"),
            "--deals", str(COMPANY / "deals.csv"), "--milestones", str(COMPANY / "milestones.csv"),
            "--metrics", str(COMPANY / "metrics.csv"), "--through", THROUGH[0], "--out", str(out), "--quiet"]
    for setting in SETTINGS:
        args += ["--set", setting]
    return args


THROUGH = ["2026-12"]


def once(out: Path) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command(out), cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--through", default="2026-12")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    THROUGH[0] = a.through
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(a.repeat):
            runs.append(once(Path(tmp) / f"out{i}"))
    walls = [w for w, _ in runs]
    median = statistics.median(walls)
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.python_implementation()} "
          f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f}")
    print(f"compcalc whatif, 2 plan sets + 3 × 3 sweep through {a.through}: median {median:.2f} s wall "
          f"(best {min(walls):.2f} s of {a.repeat}), CPU {statistics.median(c for _, c in runs):.2f} s with workers; "
          f"target < {TARGET_SECONDS} s: {'met' if median < TARGET_SECONDS else 'MISSED'}")


if __name__ == "__main__":
    main()

"""How long a 3 × 3 what-if sweep over the example book takes (issue #7 target: under 20 s).

    python benchmarks/bench_whatif.py [--through 2026-12] [--repeat 3]

Runs land_and_expand against legacy on examples/company, sweeping land_tcv.vesting.months=12,18,24 and
net_expansion.quota=500000,600000,700000, then writes the workbook and the HTML page, like
``compcalc whatif``. Run on demand; not part of the test suite.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from compcalc.periods import parse_period
from compcalc.whatif import count_steps, prepare, what_if
from compcalc.whatif.html import write_html
from compcalc.whatif.workbook import write_workbook

ROOT = Path(__file__).resolve().parent.parent
COMPANY = ROOT / "examples" / "company"
SETTINGS = ("land_tcv.vesting.months=12,18,24", "net_expansion.quota=500000,600000,700000")
TARGET_SECONDS = 20


def once(through: int, out: Path) -> tuple[float, int]:
    start = time.perf_counter()
    book, sets, sweeps = prepare(ROOT / "plans" / "land_and_expand", [ROOT / "plans" / "legacy"], SETTINGS,
                                 roster=COMPANY / "roster.csv", deals=COMPANY / "deals.csv",
                                 milestones=COMPANY / "milestones.csv", metrics=COMPANY / "metrics.csv")
    report = what_if(book, sets, through, sweeps)
    write_workbook(report, out / "whatif.xlsx")
    write_html(report, out / "whatif.html")
    return time.perf_counter() - start, count_steps(sets, sweeps)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--through", default="2026-12")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    through = parse_period(a.through)
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(a.repeat):
            seconds, steps = once(through, Path(tmp))
            times.append(seconds)
    median = statistics.median(times)
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.python_implementation()} "
          f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f}")
    print(f"whatif 2 plan sets + 3 × 3 sweep through {a.through} ({steps} steps): median {median:.2f} s "
          f"(best {min(times):.2f} s of {a.repeat}); target < {TARGET_SECONDS} s: "
          f"{'met' if median < TARGET_SECONDS else 'MISSED'}")


if __name__ == "__main__":
    main()

"""How long the ASC 340-40 accounting takes (issue #9 target: a 1M-deal book in under 60 s).

    python benchmarks/bench_accounting.py [--deals 1000000] [--reps 2000] [--months 36] [--seed 1]
                                          [--repeat 1] [--no-write]

Generates a synthetic book once (compcalc.synthetic, deterministic; kept in benchmarks/data/, which git
ignores), loads it and runs it through its last month, then times ``accounting.account`` — the schedule,
the journal totals and the tie to the run, all in memory: the target — and, unless ``--no-write``, writing
accounting.csv, journal.csv and accounting.xlsx. Loading and the run are timed too, for context; they
are the engine's, not accounting's. Run on demand; not part of the test suite.
"""
from __future__ import annotations

import argparse
import platform
import resource
import statistics
import tempfile
import time
from pathlib import Path

from compcalc.accounting import account
from compcalc.accounting.files import write_journal, write_schedule
from compcalc.accounting.workbook import write_workbook
from compcalc.pipeline import run
from compcalc.inputs import load_book
from compcalc.periods import parse_period, period
from compcalc.synthetic import generate

ROOT = Path(__file__).resolve().parent.parent
START = "2025-01-01"  # compcalc.synthetic's default first day
TARGET_S = 60.0


def timed(label: str, func, *args, **kwargs):
    t = time.perf_counter()
    out = func(*args, **kwargs)
    elapsed = time.perf_counter() - t
    print(f"  {label:<34} {elapsed:7.2f} s", flush=True)
    return out, elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--deals", type=int, default=1_000_000)
    ap.add_argument("--reps", type=int, default=2_000)
    ap.add_argument("--months", type=int, default=36)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=1, help="times to repeat the accounting step")
    ap.add_argument("--no-write", action="store_true", help="do not time writing the files")
    a = ap.parse_args()

    data = ROOT / "benchmarks" / "data" / f"accounting-{a.deals}-{a.reps}-{a.months}-{a.seed}"
    through = parse_period(START[:7]) + a.months - 1
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}")
    print(f"book: {a.deals:,} deals, {a.reps:,} reps, {a.months} months from {START}, run through {period(through)}")
    if not (data / "deals.csv").exists():
        timed("generate (once, cached)", generate, data, deals=a.deals, reps=a.reps, months=a.months, seed=a.seed)
    files = {name: data / f"{name}.csv" for name in ("roster", "deals", "milestones", "metrics")}
    book, _ = timed("load_book (engine)", load_book, [ROOT / "plans" / "land_and_expand"], **files)
    result, _ = timed("pipeline.run", run, book, through)

    times = []
    for _ in range(a.repeat):
        acc, elapsed = timed("accounting.account  ← target", account, result)
        times.append(elapsed)
    print(f"  {len(result.lines):,} run lines → {len(acc.assets):,} assets in {len(acc.groups):,} asset groups → "
          f"{len(acc.rows):,} schedule rows")

    written = 0.0
    if not a.no_write:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp)
            _, t1 = timed("write accounting.csv", write_schedule, acc, out / "accounting.csv")
            _, t2 = timed("write journal.csv", write_journal, acc, out / "journal.csv")
            _, t3 = timed("write accounting.xlsx", write_workbook, acc, out / "accounting.xlsx")
            written = t1 + t2 + t3
            size = (out / "accounting.csv").stat().st_size
            print(f"  accounting.csv: {size / 1e9:.2f} GB")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    best = min(times)
    print(f"accounting: median {statistics.median(times):.2f} s (best {best:.2f} s of {a.repeat}); "
          f"writing the files {written:.2f} s; peak memory {peak:.1f} GB")
    print(f"target {TARGET_S:.0f} s for accounting.account: {'met' if best < TARGET_S else 'MISSED'}")


if __name__ == "__main__":
    main()

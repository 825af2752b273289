"""How long recording a run in the payout ledger takes (issue #6 target: a 1M-deal run in SQLite under 60 s).

    python benchmarks/bench_ledger.py [--deals 1000000] [--reps 2000] [--months 36] [--seed 0]
                                      [--db URL] [--closed-months 0]

``compcalc.synthetic.generate`` writes the book (cached in benchmarks/data/) for plans/land_and_expand;
it is loaded and run through its last month (not timed against the target). Then, on a fresh ledger
(a temporary SQLite file unless ``--db`` names one — it must be empty), it times:
- record: ``Ledger.record`` of the run — fingerprints, one transaction, every line and register row
  written with executemany in chunks. This is the timed target.
- unchanged: recording the identical run again (fingerprints and the comparison; adds nothing).
- with --closed-months N: closing the first N months, then recording the same run again — reading the
  closed months back from the ledger and comparing them (no adjustments: nothing changed).
Run on demand; not part of the test suite.
"""
from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "plans" / "land_and_expand"
DATA = ROOT / "benchmarks" / "data"
START = "2025-01-01"
TARGET_SECONDS = 60.0


def book_files(deals: int, reps: int, months: int, seed: int) -> dict[str, Path]:
    from compcalc.synthetic import generate

    folder = DATA / f"ledger-{deals}-{reps}-{months}-{seed}"
    names = ["roster", "deals", "milestones", "metrics"]
    if not all((folder / f"{n}.csv").exists() for n in names):
        generate(folder, deals=deals, reps=reps, months=months, seed=seed, start=START)
    return {n: folder / f"{n}.csv" for n in names}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=1_000_000)
    parser.add_argument("--reps", type=int, default=2000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--db", help="an empty ledger to use (default: a temporary SQLite file)")
    parser.add_argument("--closed-months", type=int, default=0)
    args = parser.parse_args(argv)

    from compcalc.pipeline import run
    from compcalc.inputs import load_book
    from compcalc.ledger import Ledger
    from compcalc.periods import period

    t = time.perf_counter()
    files = book_files(args.deals, args.reps, args.months, args.seed)
    book = load_book(plans=[PLANS], **files)
    first = int(START[:4]) * 12 + int(START[5:7]) - 1
    result = run(book, first + args.months - 1)
    print(f"book: {len(book.deals):,} deals → {len(result.lines):,} lines, {len(result.register):,} register rows "
          f"through {period(result.through_month)} (load and run {time.perf_counter() - t:.1f} s)", flush=True)

    with tempfile.TemporaryDirectory(dir=DATA if DATA.is_dir() else None) as tmp:
        target = args.db or str(Path(tmp) / "bench.db")
        with Ledger(target) as ledger:
            if ledger.runs():
                raise SystemExit(f"{ledger.name} is not empty: give an empty ledger")
            result = run(book, result.through_month, closed=ledger.closed())  # what `compcalc run --db` records
            t = time.perf_counter()
            recording = ledger.record(result)
            record_s = time.perf_counter() - t
            size = f", {Path(target).stat().st_size / 2**20:,.0f} MiB" if not args.db else ""
            print(f"record: run {recording.run_id} in {record_s:.1f} s "
                  f"({(len(result.lines) + len(result.register)) / record_s:,.0f} rows/s{size})", flush=True)

            t = time.perf_counter()
            again = ledger.record(result)
            assert again.unchanged and again.run_id == recording.run_id
            print(f"unchanged: identical re-run in {time.perf_counter() - t:.1f} s, nothing added", flush=True)

            if args.closed_months:
                ledger.close_period(result.first_month + args.closed_months - 1)
                t = time.perf_counter()
                closed = ledger.record(run(book, result.through_month, closed=ledger.closed()))
                assert closed.unchanged and len(closed.adjustments) == 0
                print(f"closed {args.closed_months} months: re-run against them and recorded in "
                      f"{time.perf_counter() - t:.1f} s, no adjustments", flush=True)

    ok = record_s < TARGET_SECONDS
    print(f"{'PASS' if ok else 'FAIL'}: record {record_s:.1f} s (target < {TARGET_SECONDS:.0f} s) "
          f"on {platform.python_implementation()} {platform.python_version()}, {platform.machine()}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

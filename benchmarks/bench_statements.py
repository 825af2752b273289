"""How long writing statements takes (issue #5 target: 2,000 statements, xlsx + html, under 60 s on 2 cores).

    python benchmarks/bench_statements.py [--statements 2000] [--reps 2400] [--deals 60000] [--months 36]
                                          [--workers N] [--profile]

``compcalc.synthetic.generate`` writes a book for plans/land_and_expand (cached in benchmarks/data/);
the script loads and runs it through the data's last month, then times, separately: gathering the
statements and writing the first ``--statements`` of them as .xlsx + .html over ``--workers``
processes (default: every core; ``compcalc.statements.write_statements`` gathers while they render),
and writing the payout register workbook and the run site (index.html).
``--profile`` renders 100 statements in-process under cProfile and prints the top functions.
Run on demand; not part of the test suite.
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
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

    folder = DATA / f"statements-{deals}-{reps}-{months}-{seed}"
    names = ["roster", "deals", "milestones", "metrics"]
    if not all((folder / f"{n}.csv").exists() for n in names):
        generate(folder, deals=deals, reps=reps, months=months, seed=seed, start=START)
    return {n: folder / f"{n}.csv" for n in names}


def through_of(months: int) -> int:
    return int(START[:4]) * 12 + int(START[5:7]) - 1 + months - 1


def _cpu() -> float:
    """CPU seconds used by this process and its finished children (the writer processes)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--statements", type=int, default=2000, help="statements to write (default 2000)")
    ap.add_argument("--reps", type=int, default=2400)
    ap.add_argument("--deals", type=int, default=60000)
    ap.add_argument("--months", type=int, default=36)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=None, help="processes (default: every core)")
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()

    from compcalc import statements as docs
    from compcalc.pipeline import run
    from compcalc.inputs import load_book
    from compcalc.periods import period

    files = book_files(args.deals, args.reps, args.months, args.seed)
    t0 = time.perf_counter()
    book = load_book(plans=[PLANS], **files)
    result = run(book, through_of(args.months), schedule=True)  # statements show the vesting to come
    t1 = time.perf_counter()
    statement_book, keys = docs.prepare(result, "through")
    t2 = time.perf_counter()
    if len(keys) < args.statements:
        sys.exit(f"only {len(keys)} reps have a statement for {period(result.through_month)}; raise --reps")
    keys = keys[:args.statements]
    reps = {rep for rep, _ in keys}
    month_lines = result.lines[(result.lines["month"] == result.through_month).to_numpy()
                               & result.lines["rep_id"].isin(reps).to_numpy()]
    workers = args.workers or os.cpu_count() or 1

    if args.profile:
        import cProfile
        import pstats

        with tempfile.TemporaryDirectory() as out:
            cProfile.runctx("docs.write_statements(book, keys[:100], out, workers=1)", globals(),
                            {"docs": docs, "book": statement_book, "keys": keys, "out": out},
                            "/tmp/bench_statements.prof")
        pstats.Stats("/tmp/bench_statements.prof").sort_stats("cumulative").print_stats(25)
        return

    with tempfile.TemporaryDirectory() as out:
        t3 = time.perf_counter()
        cpu0 = _cpu()
        pages = docs.write_statements(statement_book, keys, Path(out) / "statements", workers=workers)
        t4 = time.perf_counter()
        cpu = _cpu() - cpu0
        load = os.getloadavg()[0]
        docs.write_register(statement_book, out)
        t5 = time.perf_counter()
        docs.write_site(statement_book, out, dict(zip(keys, pages)), [])
        t6 = time.perf_counter()
        size = sum(f.stat().st_size for f in (Path(out) / "statements").iterdir())
    write = t4 - t3
    n = len(keys)
    machine = platform.processor() or platform.machine()
    print(f"machine: {machine}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"book: {len(book.deals):,} deals, {len(result.lines):,} lines; load + run {t1 - t0:.1f} s")
    print(f"indexing the run for statements (vesting schedule beyond {period(result.through_month)}): {t2 - t1:.1f} s")
    writers = f"{workers} writer process{'es' if workers > 1 else ''}"
    print(f"gathering and writing {n:,} statements for {period(result.through_month)} ({len(month_lines):,} lines; "
          f"xlsx + html, {size / 2**20:.0f} MiB) with {writers}: {write:.1f} s "
          f"({write / n * 1000:.1f} ms each); CPU time {cpu:.1f} s ({cpu / n * 1000:.1f} ms each)")
    print(f"load average while writing (other work on the machine slows this down): {load:.2f}")
    print(f"payout register ({len(statement_book.paid_reps(result.through_month)):,} reps): {t5 - t4:.1f} s")
    print(f"run site index.html ({len(keys):,} statements linked): {t6 - t5:.1f} s")
    total = write + t2 - t1 + t6 - t5
    verdict = "OK" if total < TARGET_SECONDS else "TOO SLOW"
    print(f"index + gather + write + site: {total:.1f} s (target < {TARGET_SECONDS:.0f} s): {verdict}")


if __name__ == "__main__":
    main()

"""How long a payout run takes, and how much memory (issue #3 target: 1M deals under 30 s and 4 GB).

    python benchmarks/bench_engine.py [--deals 10000 100000 1000000] [--reps 2000] [--months 36]
                                      [--split-share 0.3] [--repeat 1] [--profile]

For each size, ``compcalc.synthetic.generate`` writes a book (roster, deals, milestones, metrics; cached
in benchmarks/data/) for the plans in plans/land_and_expand; then a fresh Python process times what
``compcalc run`` does — load_book, pipeline.run through the data's last month, writing lines.csv and
register.csv — and reports its peak resident memory (ru_maxrss), so one size's garbage cannot inflate
the next. The largest size is also run with ``--split-share`` of the deals split 50/50. ``--profile``
runs the largest size under cProfile in-process and prints the top functions by cumulative time.
Run on demand; not part of the test suite.
"""
from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "plans" / "land_and_expand"
DATA = ROOT / "benchmarks" / "data"
START = "2025-01-01"


def book_files(deals: int, reps: int, months: int, seed: int, split_share: float) -> dict[str, Path]:
    """The synthetic book's files, generated once per shape and kept in benchmarks/data/."""
    from compcalc.synthetic import generate

    folder = DATA / f"engine-{deals}-{reps}-{months}-{seed}-{split_share:g}"
    names = ["roster", "deals", "milestones", "metrics"] + (["splits"] if split_share > 0 else [])
    if not all((folder / f"{n}.csv").exists() for n in names):
        generate(folder, deals=deals, reps=reps, months=months, seed=seed, start=START, split_share=split_share)
    return {n: folder / f"{n}.csv" for n in names}


def through_of(months: int) -> str:
    y, m = divmod(int(START[:4]) * 12 + int(START[5:7]) - 1 + months - 1, 12)
    return f"{y:04d}-{m + 1:02d}"


def run_once(files: dict[str, str], through: str, plans: str = str(PLANS)) -> dict:
    """load → run → write, timed by phase (in this process)."""
    from compcalc.pipeline import run
    from compcalc.inputs import load_book
    from compcalc.outputs import write_lines_csv, write_register_csv
    from compcalc.periods import parse_period

    t0 = time.perf_counter()
    book = load_book(plans=[Path(plans)], **files)
    t1 = time.perf_counter()
    result = run(book, parse_period(through))
    t2 = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        write_lines_csv(result.lines, Path(out) / "lines.csv")
        write_register_csv(result.register, Path(out) / "register.csv")
        size = (Path(out) / "lines.csv").stat().st_size
    t3 = time.perf_counter()
    return {"load": t1 - t0, "run": t2 - t1, "write": t3 - t2, "total": t3 - t0, "lines": len(result.lines),
            "register": len(result.register), "deals": len(book.deals), "lines_mb": size / 2**20}


def child(args) -> None:
    stats = run_once(json.loads(args.child), args.through, args.plans)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    stats["peak_mb"] = usage.ru_maxrss / 1024  # KiB on Linux
    stats["cpu"] = usage.ru_utime + usage.ru_stime  # beside wall time: a busy machine inflates the latter
    print(json.dumps(stats))


def measure(files: dict[str, Path], through: str, plans: str) -> dict:
    cmd = [sys.executable, __file__, "--child", json.dumps({k: str(v) for k, v in files.items()}),
           "--through", through, "--plans", plans]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def profile(files: dict[str, Path], through: str, plans: str) -> None:
    import cProfile
    import pstats

    prof = cProfile.Profile()
    prof.enable()
    run_once({k: str(v) for k, v in files.items()}, through, plans)
    prof.disable()
    pstats.Stats(prof).sort_stats("cumulative").print_stats(30)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--deals", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--reps", type=int, default=2_000)
    ap.add_argument("--months", type=int, default=36)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--split-share", type=float, default=0.3, help="split share of the largest size's variant (0: none)")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--profile", action="store_true", help="cProfile the largest size instead of timing")
    ap.add_argument("--plans", default=str(PLANS),
                    help="plan folder with the synthetic roster's plan ids (benchmarks/plans_patterns: the "
                         "same plans with the SPEC §8 quota patterns)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--through", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(args)
    through = through_of(args.months)
    shapes = [(n, 0.0) for n in args.deals]
    if args.split_share > 0:
        shapes.append((max(args.deals), args.split_share))
    if args.profile:
        n, share = shapes[-1]
        return profile(book_files(n, args.reps, args.months, args.seed, share), through, args.plans)
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}; "
          f"{args.reps:,} reps, {args.months} months from {START}, run through {through}; plans {args.plans}")
    for n, share in shapes:
        files = book_files(n, args.reps, args.months, args.seed, share)
        best = min((measure(files, through, args.plans) for _ in range(args.repeat)), key=lambda s: s["total"])
        label = f"{n:>9,} deals" + (f", {share:.0%} split" if share else "")
        verdict = ""
        if n >= 1_000_000:
            ok = best["total"] < 30 and best["peak_mb"] < 4096
            verdict = f" — target < 30 s and < 4 GB: {'ok' if ok else 'MISSED'}"
        print(f"{label}: load {best['load']:.2f} s, run {best['run']:.2f} s, write {best['write']:.2f} s, "
              f"total {best['total']:.2f} s (process CPU {best['cpu']:.1f} s); peak {best['peak_mb']:,.0f} MB; {best['lines']:,} lines "
              f"({best['lines_mb']:,.0f} MB), {best['register']:,} register rows{verdict}")


if __name__ == "__main__":
    main()

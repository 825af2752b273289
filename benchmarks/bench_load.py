"""How long loading and validating the inputs takes (issue #2 target: 100,000 deals in under 3 s).

    python benchmarks/bench_load.py [--deals 100000] [--reps 2000] [--repeat 3]

Generates a synthetic book once (compcalc.synthetic, deterministic), then times load_book.
Run on demand; not part of the test suite.
"""
from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from pathlib import Path

from compcalc.inputs import load_book
from compcalc.synthetic import generate

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--deals", type=int, default=100_000)
    ap.add_argument("--reps", type=int, default=2_000)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = generate(tmp, deals=a.deals, reps=a.reps, months=36, seed=1)
        times = []
        for _ in range(a.repeat):
            t = time.perf_counter()
            book = load_book([ROOT / "plans" / "land_and_expand"], **{k: v for k, v in files.items()})
            times.append(time.perf_counter() - t)
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}")
    print(f"load_book: {len(book.deals):,} deals, {len(book.roster):,} assignments: "
          f"median {statistics.median(times):.2f} s (best {min(times):.2f} s of {a.repeat})")


if __name__ == "__main__":
    main()

"""The exact-money property (tests/engine/test_engine_exact_property.py) over many examples.

    python benchmarks/bench_property.py [--examples 10000] [--seed 0]

Each example is a book with extreme-but-valid plan decimals (10 places), amounts up to
999,999,999,999.99, terms up to 1200 months, splits and FX; every line must equal SPEC §3's arithmetic
in exact fractions, or the book must be refused because it is past a README bound. The suite runs 200
examples; this runs 10,000 (about an hour on 2 shared cores). Run on demand; not part of the test suite.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "engine")]

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402

from test_engine_exact_property import check, examples, expected  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    counts = {"exact": 0, "refused": 0}

    @seed(args.seed)
    @settings(max_examples=args.examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(examples)
    def prop(ex):
        check(ex)
        counts["refused" if expected(ex) is None else "exact"] += 1

    start = time.perf_counter()
    prop()
    took = time.perf_counter() - start
    print(f"{sum(counts.values()):,} examples in {took:.0f} s: {counts['exact']:,} exact to the cent, "
          f"{counts['refused']:,} refused past a bound; the property holds")


if __name__ == "__main__":
    main()

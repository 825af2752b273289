"""Write a synthetic company (roster, deals, milestones, metrics, splits) for the land_and_expand plans.

    python examples/generate.py OUT_DIR --deals 100000 --reps 2000 --months 36 --seed 1 [--split-share 0.3]

Then: compcalc run --plans plans/land_and_expand --roster OUT_DIR/roster.csv --deals OUT_DIR/deals.csv …
"""
from __future__ import annotations

import argparse
import time

from compcalc.synthetic import generate


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", help="folder to write the CSV files to (created if missing)")
    parser.add_argument("--deals", type=int, default=100_000, help="number of deals (default 100000)")
    parser.add_argument("--reps", type=int, default=2000, help="number of people on the roster (default 2000)")
    parser.add_argument("--months", type=int, default=36, help="months of data from --start (default 36)")
    parser.add_argument("--seed", type=int, default=0, help="random seed; the same seed writes the same files")
    parser.add_argument("--start", default="2025-01-01", help="first day of the data (default 2025-01-01)")
    parser.add_argument("--split-share", type=float, default=0.0,
                        help="fraction of deals split 50/50 with another rep (writes splits.csv)")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    try:
        paths = generate(args.out_dir, deals=args.deals, reps=args.reps, months=args.months, seed=args.seed,
                         start=args.start, split_share=args.split_share)
    except ValueError as e:
        parser.error(str(e))
    for path in paths.values():
        print(path)
    print(f"{args.deals:,} deals in {time.perf_counter() - began:.1f} s")


if __name__ == "__main__":
    main()

"""How long ``compcalc import deals`` takes (issue 17 target: a 1M-row export in under 20 s).

    python benchmarks/bench_import.py [--rows 1000000] [--reps 2000] [--repeat 3]

Writes a Salesforce-style opportunity report of ``--rows`` rows to a temp folder, deterministically:
every field quoted, Windows-1252, M/D/YYYY dates, "1,234.56" amounts, owners by full name, a tenth of
the rows Closed Lost or open, renewals without a prior ARR (so each one is derived), the report footer.
Then times the whole command (``python -m compcalc import deals … --quiet``, start-up included) with
the bundled salesforce_opportunities mapping. Run on demand; not part of the test suite.
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

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
TYPES = np.array(["New Business", "Existing Business", "Renewal", "Downgrade", "Churn"], dtype=object)
STAGES = np.array(["Closed Won", "Closed Lost", "Negotiation/Review"], dtype=object)


def make_export(folder: Path, rows: int, reps: int, seed: int = 1) -> tuple[Path, Path]:
    rng = np.random.default_rng(seed)
    names = np.array([f"Rep {i:04d} Müller" for i in range(reps)], dtype=object)  # a non-ASCII name
    roster = pd.DataFrame({"rep_id": [f"r{i:04d}" for i in range(reps)], "name": names, "plan_id": "nb_ae",
                           "start_date": "2020-01-01"})
    n_accounts = max(1, rows // 5)
    # lands first (one per account), then follow-ons on those accounts, in date order within each account
    account = np.concatenate([np.arange(n_accounts), rng.integers(0, n_accounts, rows - n_accounts)])
    kind = np.concatenate([np.zeros(n_accounts, dtype=np.int64),
                           rng.choice(np.arange(1, 5), rows - n_accounts, p=[0.5, 0.35, 0.1, 0.05])])
    days = np.concatenate([rng.integers(0, 365, n_accounts), rng.integers(365, 3 * 365, rows - n_accounts)])
    date = np.datetime64("2024-01-01") + days.astype("timedelta64[D]")
    ts = pd.DatetimeIndex(date)
    us_date = (pd.Series(ts.month.astype(str)) + "/" + pd.Series(ts.day.astype(str)) + "/"
               + pd.Series(ts.year.astype(str))).to_numpy(object)
    # whole dollars; downgrades and churn small enough that no account's ARR goes below zero
    arr = np.where(kind >= 3, rng.integers(100, 500, rows), rng.integers(20_000, 60_000, rows)) * 100
    sign = np.where(kind >= 3, "-", "")
    amount = pd.Series(sign) + pd.Series(arr // 100).map("{:,}".format) + ".00"
    lost = rng.random(rows) < 0.1
    stage = np.where(lost & (kind != 0), STAGES[1], STAGES[0])  # lands are all won: renewals derive from them
    stage[-10:] = STAGES[2]
    frame = pd.DataFrame({
        "Opportunity Owner": names[rng.integers(0, reps, rows)],
        "Account Name": pd.Series(account).map("Account {:07d}".format),
        "Account Number": pd.Series(account).map("ACC-{:07d}".format),
        "Opportunity ID": pd.Series(np.arange(rows)).map("0065g{:010d}AbQ".format),
        "Type": TYPES[kind], "Stage": stage, "Close Date": us_date, "Opportunity Currency": "USD",
        "Amount": amount, "Contract Term (Months)": np.where(kind >= 3, "", "12"),
    })
    export = folder / "opportunities.csv"
    with open(export, "w", encoding="windows-1252", newline="") as f:
        frame.to_csv(f, index=False, quoting=1, lineterminator="\r\n")
        f.write('\r\n""\r\n"Confidential Information - Do Not Distribute"\r\n'
                '"Copyright (c) 2000-2027 salesforce.com, inc. All rights reserved."\r\n')
    roster_path = folder / "roster.csv"
    roster.to_csv(roster_path, index=False)
    return export, roster_path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--reps", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        export, roster = make_export(folder, args.rows, args.reps)
        print(f"export: {args.rows:,} rows, {export.stat().st_size / 1e6:.0f} MB, written in "
              f"{time.perf_counter() - t0:.1f} s")
        cmd = [sys.executable, "-m", "compcalc", "import", "deals", str(export), "--mapping",
               "salesforce_opportunities", "--roster", str(roster), "--out", str(folder / "deals.csv"), "--quiet"]
        times, cpus = [], []
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
            done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
            c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            times.append(time.perf_counter() - t0)
            cpus.append(c1.ru_utime - c0.ru_utime + c1.ru_stime - c0.ru_stime)
            if done.returncode:
                raise SystemExit(done.stderr[:2000])
        written = sum(1 for _ in open(folder / "deals.csv", encoding="utf-8")) - 1
        print(f"compcalc import deals: {written:,} deals written; median {statistics.median(times):.1f} s, "
              f"min {min(times):.1f} s over {args.repeat} runs; CPU (user + system, all threads) median "
              f"{statistics.median(cpus):.1f} s; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
              f"({platform.python_version()}, {platform.machine()})")


if __name__ == "__main__":
    main()

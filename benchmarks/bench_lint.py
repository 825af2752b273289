"""How long the linter takes (issue #4 target: 500 plan files and a 1M-row book in under 10 s).

    python benchmarks/bench_lint.py [--plans 500] [--deals 1000000] [--reps 2000] [--repeat 3] [--csv]

Writes ``--plans`` plan files to a temp folder by copying the plans in ``plans/`` with varied ids, OTEs
and rates; builds a deals frame of ``--deals`` rows (and a roster) with numpy, deterministically; then
times (1) loading and linting the plan files, (2) linting them with the book (every BK rule and the
book metrics), and (3) the book metrics alone. With ``--csv`` it also writes the book as deals.csv and
roster.csv and times what ``compcalc lint`` does with them (load_book's validation included). Run on
demand; not part of the test suite.
"""
from __future__ import annotations

import argparse
import platform
import re
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from compcalc.book_metrics import book_metrics
from compcalc.lint import lint, lint_paths
from compcalc.money import format_cents_array
from compcalc.plans import load_plans

ROOT = Path(__file__).resolve().parent.parent
TYPES = np.array(["new", "expansion", "renewal", "contraction", "churn"], dtype=object)


def write_plans(folder: Path, n: int, seed: int = 1) -> None:
    """``n`` plan files: the repository's plans, copied with new plan ids and varied OTEs/rates."""
    sources = sorted((ROOT / "plans").rglob("*.yaml"))
    if not sources:
        raise SystemExit("no plans/*.yaml to copy from")
    rng = np.random.default_rng(seed)
    for i in range(n):
        src = sources[i % len(sources)]
        text = src.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^plan_id:\s*(\S+)", lambda m: f"plan_id: {m.group(1)}_{i:04d}", text, count=1)
        text = re.sub(r"(?m)^ote:\s*\d+", f"ote: {int(rng.integers(120, 300)) * 1000}", text, count=1)
        text = re.sub(r"(?m)^(\s+rate:)\s*0\.\d+", lambda m: f"{m.group(1)} 0.{int(rng.integers(2, 15)):02d}", text)
        (folder / f"{src.stem}_{i:04d}.yaml").write_text(text, encoding="utf-8")


def make_book(n: int, plan_ids: list[str], reps: int, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A deals frame of ``n`` rows (a fifth of them lands, one per account) and a roster of ``reps``."""
    rng = np.random.default_rng(seed)
    n_accounts = max(1, n // 5)
    account = np.concatenate([np.arange(n_accounts), rng.integers(0, n_accounts, n - n_accounts)])
    kind = np.concatenate([np.zeros(n_accounts, dtype=np.int64),
                           rng.choice(np.arange(1, 5), n - n_accounts, p=[0.45, 0.35, 0.12, 0.08])])
    start = np.datetime64("2025-01-01")
    days = rng.integers(0, 3 * 365, n)
    arr = rng.integers(500_00, 120_000_00, n).astype(np.int64)
    prior = np.where(kind == 2, (arr * rng.integers(80, 120, n)) // 100, 0)
    deals = pd.DataFrame({
        "deal_id": np.char.add("D", np.arange(n).astype(str)).astype(object),
        "account_id": np.char.add("A", account.astype(str)).astype(object),
        "type": TYPES[kind],
        "close_date": (start + days.astype("timedelta64[D]")).astype("datetime64[ns]"),
        "arr": arr,
        "owner_id": np.char.add("R", rng.integers(0, reps, n).astype(str)).astype(object),
        "term_months": rng.choice(np.array([12, 24, 36]), n, p=[0.7, 0.2, 0.1]).astype(np.int64),
        "prior_arr": pd.array(np.where(kind == 2, prior, 0), dtype="Int64"),
    })
    deals.loc[kind != 2, "prior_arr"] = pd.NA
    roster = pd.DataFrame({
        "rep_id": np.char.add("R", np.arange(reps).astype(str)).astype(object),
        "name": np.char.add("Rep ", np.arange(reps).astype(str)).astype(object),
        "plan_id": np.array(plan_ids, dtype=object)[np.arange(reps) % len(plan_ids)],
        "start_date": np.full(reps, np.datetime64("2024-01-01", "ns")),
        "end_date": np.full(reps, np.datetime64("NaT", "ns")),
    })
    return deals, roster


def timed(fn, repeat: int):
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return out, times


def fmt(times) -> str:
    return f"median {statistics.median(times):.2f} s (best {min(times):.2f} s of {len(times)})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plans", type=int, default=500)
    ap.add_argument("--deals", type=int, default=1_000_000)
    ap.add_argument("--reps", type=int, default=2_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--csv", action="store_true", help="also time linting the book from CSV files")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_plans(folder, a.plans)
        report, t_plans = timed(lambda: lint_paths([folder], cwd=folder), a.repeat)
        plans = load_plans([folder])
        deals, roster = make_book(a.deals, list(plans), a.reps)
        both, t_all = timed(lambda: lint(plans, deals, roster), a.repeat)
        _, t_metrics = timed(lambda: book_metrics(deals), a.repeat)
        if a.csv:
            files = write_csv(folder / "book", deals, roster)
            _, t_csv = timed(lambda: lint_paths([folder], cwd=folder, **files), a.repeat)
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}")
    print(f"load + lint {a.plans} plan files: {len(report.findings):,} findings, {fmt(t_plans)}")
    print(f"lint {len(plans)} plans + {len(deals):,} deals + {len(roster):,} assignments "
          f"(all rules, book metrics): {len(both.findings):,} findings, {fmt(t_all)}")
    print(f"  of which book metrics alone: {fmt(t_metrics)}")
    total = statistics.median(t_plans) + statistics.median(t_all)
    print(f"plan files + book, end to end (medians): {total:.2f} s — target < 10 s: {'ok' if total < 10 else 'MISSED'}")
    if a.csv:
        print(f"from CSV (load_book validation + lint, as `compcalc lint --deals --roster`): {fmt(t_csv)}")


def write_csv(folder: Path, deals: pd.DataFrame, roster: pd.DataFrame) -> dict:
    folder.mkdir()
    out = deals.copy()
    out["close_date"] = out["close_date"].dt.strftime("%Y-%m-%d")
    out["arr"] = format_cents_array(out["arr"].to_numpy(np.int64))
    prior = out["prior_arr"]
    out["prior_arr"] = np.where(prior.isna().to_numpy(), "",
                                format_cents_array(prior.fillna(0).to_numpy(np.int64)))
    out.to_csv(folder / "deals.csv", index=False)
    r = roster.copy()
    r["start_date"] = r["start_date"].dt.strftime("%Y-%m-%d")
    r["end_date"] = ""
    r.to_csv(folder / "roster.csv", index=False)
    return {"deals": folder / "deals.csv", "roster": folder / "roster.csv"}


if __name__ == "__main__":
    main()

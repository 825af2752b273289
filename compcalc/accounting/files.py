"""accounting.csv and journal.csv: the schedule and the journal as text, money as ``1234.56``."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from compcalc.accounting.schedule import MONEY, NO_MONTH, Accounting
from compcalc.money import format_cents_array
from compcalc.periods import periods

SCHEDULE_COLUMNS = ["period", "plan_id", "component_id", "deal_id", *MONEY, "rep_id", "account_id", "asset_period"]
JOURNAL_COLUMNS = ["period", "entry", "description", "account", "debit", "credit"]

DEFERRED = "Deferred commission asset"
PAYABLE = "Commissions payable"
EXPENSE = "Commission expense"
CURRENT = "Deferred commission asset, current"
NON_CURRENT = "Deferred commission asset, non-current"

# entry (the schedule's column), description, account debited, account credited — for a positive amount.
ENTRIES = [
    ("capitalised", "Capitalise commissions as a cost of obtaining contracts", DEFERRED, PAYABLE),
    ("amortisation", "Amortise deferred commissions over the benefit period", EXPENSE, DEFERRED),
    ("impairment", "Impair deferred commissions of churned accounts", EXPENSE, DEFERRED),
    ("expensed_immediately", "Expense commissions under the practical expedient", EXPENSE, PAYABLE),
]
CLOSING = "closing_balance"
CHUNK_ROWS = 500_000

Progress = Callable[[int], None]


def _asset_periods(asset_month: np.ndarray) -> np.ndarray:
    out = np.full(len(asset_month), "", dtype=object)
    has = asset_month != NO_MONTH
    out[has] = periods(asset_month[has])
    return out


def write_schedule(acc: Accounting, path: Path, progress: Progress | None = None,
                   chunk_rows: int = CHUNK_ROWS) -> None:
    """Write accounting.csv, ``chunk_rows`` rows at a time; ``progress(n)`` after each chunk of n rows."""
    import pyarrow as pa

    from compcalc.outputs import arrow_money, arrow_periods, arrow_text, write_batches

    g, r = acc.groups, acc.rows
    # Per group (plan, component, deal, rep, account, asset period) its text once; rows take theirs.
    text = {c: arrow_text(g[c]) for c in ("plan_id", "component_id", "deal_id", "rep_id", "account_id")}
    text["asset_period"] = arrow_text(_asset_periods(g["asset_month"].to_numpy(np.int64)))
    group = r["group"].to_numpy(np.int64)
    month = r["month"].to_numpy(np.int64)
    money = {c: r[c].to_numpy(np.int64) for c in MONEY}
    shown = [0]  # rows reported: a file written again with quoting does not count twice

    def batches():
        for lo in range(0, max(len(r), 1), chunk_rows):
            hi = min(lo + chunk_rows, len(r))
            at = pa.array(group[lo:hi])
            columns = {"period": arrow_periods(month[lo:hi])}
            columns |= {c: text[c].take(at) for c in ("plan_id", "component_id", "deal_id")}
            columns |= {c: arrow_money(money[c][lo:hi]) for c in MONEY}
            columns |= {c: text[c].take(at) for c in ("rep_id", "account_id", "asset_period")}
            yield columns
            if progress and hi > shown[0]:
                progress(hi - shown[0])
                shown[0] = hi

    write_batches(SCHEDULE_COLUMNS, batches, path)


def journal_frame(acc: Accounting) -> pd.DataFrame:
    """The journal in cents: per period its entries (debit account, credit account, amount > 0; a
    negative movement swaps the sides) and the closing balance split into current and non-current."""
    t = acc.totals
    rows = []
    for i, month in enumerate(t["month"].to_numpy(np.int64)):
        for entry, description, debit, credit in ENTRIES:
            amount = int(t[entry].iat[i])
            if amount == 0:
                continue
            if amount < 0:
                description += " (net reversal: negative lines such as clawbacks outweigh)"
                debit, credit, amount = credit, debit, -amount
            rows.append((month, entry, description, debit, amount, 0))
            rows.append((month, entry, description, credit, 0, amount))
        for account, col in ((CURRENT, "current"), (NON_CURRENT, "non_current")):
            amount = int(t[col].iat[i])
            rows.append((month, CLOSING, "Closing balance: amortisation due within 12 months" if col == "current"
                         else "Closing balance: amortisation due after 12 months", account,
                         max(amount, 0), max(-amount, 0)))
    return pd.DataFrame(rows, columns=["month", "entry", "description", "account", "debit", "credit"])


def journal_table(acc: Accounting) -> pd.DataFrame:
    """journal.csv as text columns (debit and credit empty where not applicable)."""
    j = journal_frame(acc)
    out = pd.DataFrame({"period": periods(j["month"].to_numpy(np.int64)), "entry": j["entry"],
                        "description": j["description"], "account": j["account"]})
    closing = j["entry"].to_numpy(object) == CLOSING
    for col in ("debit", "credit"):
        cents = j[col].to_numpy(np.int64)
        shown = cents != 0
        if col == "debit":  # a zero closing balance still shows, so every period has both lines
            shown |= closing & (j["credit"].to_numpy(np.int64) == 0)
        out[col] = np.where(shown, format_cents_array(cents).astype(object), "")
    return out[JOURNAL_COLUMNS]


def write_journal(acc: Accounting, path: Path) -> None:
    from compcalc.outputs import write_csv

    write_csv(journal_table(acc), path)

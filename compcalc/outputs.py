"""Write a run's files: lines.csv, register.csv, unassigned.csv — all at once or not at all."""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from compcalc.money import format_cents_array
from compcalc.periods import periods

LINE_COLUMNS = ["rep_id", "period", "plan_id", "component_id", "deal_id", "kind", "basis", "rate", "amount",
                "account_id", "installment", "installments", "note"]
REGISTER_COLUMNS = ["rep_id", "period", "net", "carry_in", "draw", "payout", "carry_out"]


@contextlib.contextmanager
def atomic_dir(out: str | Path):
    """Yield a temporary folder beside ``out``; on success it replaces ``out`` in one rename."""
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old.{os.getpid()}")
        os.replace(out, old)
    os.replace(tmp, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _money(col) -> np.ndarray:
    return format_cents_array(np.asarray(col, dtype=np.int64)).astype(object)


def _nullable_money(col: pd.Series) -> np.ndarray:
    values = col.to_numpy(dtype=np.int64, na_value=0)
    return np.where(col.isna().to_numpy(), "", _money(values)).astype(object)


def _nullable_int(col: pd.Series) -> np.ndarray:
    values = col.to_numpy(dtype=np.int64, na_value=0).astype(str).astype(object)
    return np.where(col.isna().to_numpy(), "", values).astype(object)


def lines_table(lines: pd.DataFrame) -> pd.DataFrame:
    """lines.csv as text columns (money with two decimals, empty where not applicable)."""
    return pd.DataFrame({
        "rep_id": lines["rep_id"].to_numpy(object),
        "period": periods(lines["month"].to_numpy()),
        "plan_id": lines["plan_id"].to_numpy(object),
        "component_id": lines["component_id"].to_numpy(object),
        "deal_id": lines["deal_id"].to_numpy(object),
        "kind": lines["kind"].to_numpy(object),
        "basis": _nullable_money(lines["basis"]),
        "rate": lines["rate"].to_numpy(object),
        "amount": _money(lines["amount"]),
        "account_id": lines["account_id"].to_numpy(object),
        "installment": _nullable_int(lines["installment"]),
        "installments": _nullable_int(lines["installments"]),
        "note": lines["note"].to_numpy(object),
    })


def register_table(register: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({"rep_id": register["rep_id"].to_numpy(object), "period": periods(register["month"].to_numpy())})
    for c in ("net", "carry_in", "draw", "payout", "carry_out"):
        out[c] = _money(register[c])
    return out


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, lineterminator="\n")


def write_run_files(result, folder: Path) -> None:
    folder = Path(folder)
    write_csv(lines_table(result.lines), folder / "lines.csv")
    write_csv(register_table(result.register), folder / "register.csv")
    write_csv(result.unassigned, folder / "unassigned.csv")

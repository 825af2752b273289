"""A small book for the ledger tests, the ledger fixture for SQLite and PostgreSQL, and readers.

The book: ae1 on a TCV plan (10%, 25% upfront, the rest over 12 monthly installments, everything paid
clawed back when the account churns within 3 months of the land) and am1 on an expansion quota plan.
Tests write deals.csv as text, run through the library and read lines and register back as text
(amounts "1234.56", periods "2027-03"), the way the golden cases do.
"""
from __future__ import annotations

import os
import textwrap
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from compcalc.pipeline import run
from compcalc.inputs import load_book
from compcalc.ledger.schema import metadata
from compcalc.periods import parse_period

NB_AE = """\
plan_id: nb_ae
name: New Business AE
role: new_business_ae
currency: USD
year_start: 2027-01-01
components:
  - id: land_tcv
    type: tcv_commission
    rate: 0.10
    max_term_months: 24
    vesting: {upfront_pct: 0.25, months: 12, cadence: monthly}
    clawback: {forfeit_unvested_on_churn: true, recover_paid_within_months: 3}
"""

EXP_AE = """\
plan_id: exp_ae
name: Expansion AE
role: expansion_ae
currency: USD
year_start: 2027-01-01
components:
  - id: net_expansion
    type: quota_attainment
    measure: net_new_expansion_arr
    quota: 1200000
    target_incentive: 120000
    tiers:
      - {up_to: 1.0, multiplier: 1.0}
      - {up_to: null, multiplier: 2.0}
"""

ROSTER = """\
rep_id,name,plan_id,start_date,end_date,quota
ae1,Dana Reyes,nb_ae,2027-01-01,,
am1,Lee Park,exp_ae,2027-01-01,,
"""

HEADER = "deal_id,account_id,type,close_date,arr,owner_id,term_months,tcv,prior_arr\n"


def write_book(folder: Path, deals: str) -> dict:
    """The plans and roster above and ``deals`` (rows without the header) in ``folder``;
    returns the load_book keyword arguments."""
    plans = folder / "plans"
    plans.mkdir(parents=True, exist_ok=True)
    (plans / "nb_ae.yaml").write_text(NB_AE, encoding="utf-8")
    (plans / "exp_ae.yaml").write_text(EXP_AE, encoding="utf-8")
    (folder / "roster.csv").write_text(ROSTER, encoding="utf-8")
    (folder / "deals.csv").write_text(HEADER + textwrap.dedent(deals).strip() + "\n", encoding="utf-8")
    return {"plans": [plans], "roster": folder / "roster.csv", "deals": folder / "deals.csv"}


def compute(folder: Path, deals: str, through: str):
    """Write the book and run it through ``through`` (no ledger)."""
    return run(load_book(**write_book(folder, deals)), parse_period(through), schedule=True)


def cli_args(folder: Path, through: str, out: Path) -> list[str]:
    return ["run", "--plans", str(folder / "plans"), "--roster", str(folder / "roster.csv"),
            "--deals", str(folder / "deals.csv"), "--through", through, "--out", str(out)]


LINE = ("rep_id", "period", "plan_id", "component_id", "deal_id", "kind", "amount", "note")
REGISTER = ("rep_id", "period", "net", "carry_in", "draw", "payout", "carry_out")


def lines(result, rep_id: str | None = None, period: str | None = None) -> list[tuple[str, ...]]:
    """(rep, period, plan, component, deal, kind, amount, note) of the matching lines, in order."""
    from shipped import lines_table  # here, not at the top: a crash script imports this module alone

    t = lines_table(result.lines)
    if rep_id is not None:
        t = t[t["rep_id"] == rep_id]
    if period is not None:
        t = t[t["period"] == period]
    return [tuple(r[k] for k in LINE) for r in t.to_dict("records")]


def register(result, rep_id: str) -> list[tuple[str, ...]]:
    from shipped import register_table

    t = register_table(result.register)
    return [tuple(r[k] for k in REGISTER) for r in t[t["rep_id"] == rep_id].to_dict("records")]


def snapshot(url_or_ledger) -> dict[str, list[tuple]]:
    """Every row of every ledger table, sorted: to show a failed run changed nothing."""
    ledger = url_or_ledger
    out = {}
    with ledger.engine.connect() as conn:
        for table in metadata.sorted_tables:
            out[table.name] = sorted(tuple(map(str, r)) for r in conn.execute(sa.select(table)))
    return out


# -- the ledger on each backend --------------------------------------------------------------------

PG_ENV = "COMPCALC_TEST_PG"


def _postgres_url() -> str:
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set (a postgresql:// URL of a scratch database for the ledger tests)")
    return base


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def ledger_url(request, tmp_path):
    """A fresh, empty ledger location: a SQLite file, or a PostgreSQL schema of its own (dropped after)."""
    if request.param == "sqlite":
        yield str(tmp_path / "compcalc.db")
        return
    base = _postgres_url()
    from compcalc.ledger.store import database_url

    url = database_url(base)
    schema = f"ledger_test_{uuid.uuid4().hex[:12]}"
    try:
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    except sa.exc.OperationalError as e:
        pytest.skip(f"PostgreSQL at {url.render_as_string(hide_password=True)} is unreachable: {e.orig}")
    try:
        yield url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        engine.dispose()


def record(ledger, result, **kwargs):
    """What `compcalc run --db` does with the book of a fresh run: the pipeline run against the ledger's
    closed months, then the ledger stores it."""
    from compcalc.pipeline import run as run_book

    closed = run_book(result.book, result.through_month, closed=ledger.closed(), schedule=True)
    return ledger.record(closed, **kwargs)

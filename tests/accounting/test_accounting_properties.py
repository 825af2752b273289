"""Property tests over generated books: the schedule equals a line-by-line model of SPEC §7, and the
books tie to the cent — per asset group, per deal and in total, month by month.

The model below walks every asset month by month in plain Python, straight from the SPEC's words; the
library computes the same with whole-array arithmetic. Two kinds of generated books: raw ledger lines
(any sign, several assets per deal and month, lines without a deal, draws, adjustments, churns before,
during and after an asset's life) and small CRM books run through the engine.
"""
from __future__ import annotations

import io
import tempfile
from collections import defaultdict
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounting_book import plan, schedule_table, write_book
from compcalc import ledger_lines as L
from compcalc.accounting import account
from compcalc.accounting.files import journal_frame, write_schedule
from compcalc.pipeline import run
from compcalc.inputs import load_book
from compcalc.money import round_fraction
from compcalc.periods import NEVER, parse_period
from compcalc.plans import parse_plan

JAN_2027 = parse_period("2027-01")


# -- the model ----------------------------------------------------------------------------------

def model(lines: pd.DataFrame, plans: dict, churns: dict[str, list[int]], first: int, through: int):
    """{(group key, month): (capitalised, amortisation, impairment, expensed, balance)} for the months
    in which one of the group's assets is live, and per month the closing balance and its current
    portion, for every line of a capitalised component."""
    cells = defaultdict(lambda: [0, 0, 0, 0])
    live = set()  # (group, month) where an asset moves or has a balance: the rows
    current = defaultdict(int)
    for line in lines.itertuples(index=False):
        p = plans.get(line.plan_id)
        comp = p.component(line.component_id) if p else None
        if comp is None or not comp.capitalised or line.amount == 0:
            continue  # draws, adjustments and components that are not contract costs
        a, s, n = int(line.amount), int(line.month), comp.benefit_months or p.accounting.benefit_months
        key = (line.plan_id, line.component_id, line.deal_id, line.rep_id, s if line.deal_id == "" else None)
        if p.accounting.practical_expedient and n <= 12:
            cells[key, s][3] += a
            live.add((key, s))
            continue
        each = round_fraction(Fraction(a, n), p.rounding)
        schedule = [each] * (n - 1) + [a - each * (n - 1)]
        after = [m for m in churns.get(line.account_id, []) if m >= s and m <= through]
        churn = min(after) if after and line.deal_id != "" else NEVER
        cells[key, s][0] += a
        balance = a
        for i, step in enumerate(schedule):
            m = s + i
            if m > through:
                break
            cells[key, m][1] += step
            live.add((key, m))
            balance -= step
            if m == churn:  # what is left after this month's amortisation
                cells[key, m][2] += balance
                break
            current[m] += sum(schedule[i + 1:i + 13])  # amortisation due in the next 12 months
    by_key = defaultdict(dict)
    for (key, m), v in cells.items():
        by_key[key][m] = v
    rows, closing = {}, defaultdict(int)
    for key, months in by_key.items():
        balance = 0
        for m in range(min(months), through + 1):
            cap, amort, imp, exp = months.get(m, [0, 0, 0, 0])
            balance += cap - amort - imp
            closing[m] += balance
            if (key, m) in live:
                rows[key, m] = (cap, amort, imp, exp, balance)
            else:
                assert not (cap or amort or imp or exp or balance)
    return rows, closing, current


def library_rows(acc) -> dict:
    g, r = acc.groups, acc.rows
    out = {}
    for row in r.itertuples(index=False):
        grp = g.iloc[row.group]
        key = (grp.plan_id, grp.component_id, grp.deal_id, grp.rep_id,
               None if grp.asset_month == -1 else int(grp.asset_month))
        assert (key, row.month) not in out
        out[key, int(row.month)] = (row.capitalised, row.amortisation, row.impairment, row.expensed_immediately,
                                    row.balance)
    return out


def check_ties(acc) -> None:
    """capitalised = amortisation + impairment + balance per group, per deal and in total; the
    roll-forward; the rows against the group totals; the files against the frames."""
    g, r, t = acc.groups, acc.rows, acc.totals
    assert (g["capitalised"] == g["amortisation"] + g["impairment"] + g["balance"]).all()
    sums = r.groupby("group")[["capitalised", "amortisation", "impairment", "expensed_immediately"]].sum()
    for col in sums.columns:
        assert sums[col].tolist() == g[col].tolist()
    # Within a group the balance is the running sum of its movements (omitted rows move nothing).
    movement = r["capitalised"] - r["amortisation"] - r["impairment"]
    assert (movement.groupby(r["group"]).cumsum() == r["balance"]).all()
    by_deal = g[g["deal_id"] != ""].groupby("deal_id")[["capitalised", "amortisation", "impairment", "balance"]].sum()
    assert (by_deal["capitalised"] == by_deal["amortisation"] + by_deal["impairment"] + by_deal["balance"]).all()
    assert int(g["capitalised"].sum()) == int(g["amortisation"].sum() + g["impairment"].sum() + g["balance"].sum())
    if len(t):
        assert (t["opening"] + t["capitalised"] - t["amortisation"] - t["impairment"] == t["closing"]).all()
        assert (t["opening"].iloc[1:].to_numpy() == t["closing"].iloc[:-1].to_numpy()).all()
        assert int(t["closing"].iloc[-1]) == int(g["balance"].sum())
        assert (t["current"] + t["non_current"] == t["closing"]).all()
        assert (t["commissions"] == t["capitalised"] + t["expensed_immediately"] + t["not_contract_costs"]).all()
    j = journal_frame(acc)
    entries = j[j["entry"] != "closing_balance"].groupby(["month", "entry"])[["debit", "credit"]].sum()
    assert (entries["debit"] == entries["credit"]).all()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "accounting.csv"
        write_schedule(acc, path, chunk_rows=7)
        buf = io.StringIO()
        schedule_table(acc).to_csv(buf, index=False, lineterminator="\n")
        assert path.read_text(encoding="utf-8") == buf.getvalue()


def check_against_model(acc, lines, plans, churns) -> None:
    rows, closing, current = model(lines, plans, churns, acc.first_month, acc.through_month)
    assert library_rows(acc) == rows
    t = acc.totals
    assert t["closing"].tolist() == [closing[m] for m in t["month"]]
    assert t["current"].tolist() == [current[m] for m in t["month"]]


# -- books of raw lines -------------------------------------------------------------------------

ACCOUNT_OF = {"D1": "A1", "D2": "A1", "D3": "A2", "D4": "A3", "": ""}


@st.composite
def line_books(draw):
    through = JAN_2027 + draw(st.integers(0, 30))
    plans = {}
    for i in range(draw(st.integers(1, 3))):
        caps = draw(st.lists(st.booleans(), min_size=1, max_size=3))
        own = [draw(st.sampled_from(["", ", benefit_months: 6", ", benefit_months: 24"])) for _ in caps]  # §8.11
        comps = "\n".join(f"- {{id: c{k}, type: acv_commission, rate: 0.1, capitalize: {str(c).lower()}{own[k]}}}"
                          for k, c in enumerate(caps))
        text = plan(f"p{i}", comps, benefit_months=draw(st.sampled_from([1, 2, 3, 7, 12, 13, 24, 36])),
                    expedient=draw(st.booleans()), rounding=draw(st.sampled_from(["half_up", "half_even"])))
        parsed, problems = parse_plan(text, f"p{i}.yaml")
        assert not problems
        plans[parsed.plan_id] = parsed
    lines = []
    for _ in range(draw(st.integers(0, 25))):
        p = draw(st.sampled_from(sorted(plans)))
        deal = draw(st.sampled_from(sorted(ACCOUNT_OF)))
        lines.append(dict(rep_id=draw(st.sampled_from(["r1", "r2"])), month=draw(st.integers(JAN_2027, through)),
                          plan_id=p, component_id=draw(st.sampled_from([c.id for c in plans[p].components])),
                          deal_id=deal, account_id=ACCOUNT_OF[deal], kind=L.COMMISSION,
                          amount=draw(st.one_of(st.integers(-10**7, 10**7), st.sampled_from([0, 1, -1, 5, 3600_00])))))
    for kind, comp in ((L.DRAW, "draw"), (L.MANUAL_ADJUSTMENT, "adjustment")):
        if draw(st.booleans()):
            lines.append(dict(rep_id="r1", month=draw(st.integers(JAN_2027, through)), plan_id="", component_id=comp,
                              deal_id="", account_id="", kind=kind, amount=draw(st.integers(-10**5, 10**5))))
    churns = {a: sorted(draw(st.lists(st.integers(JAN_2027 - 2, through + 3), max_size=2))) for a in ("A1", "A2", "A3")}
    return plans, lines, churns, through


class ChurnContext:
    """The two things accounting asks of the engine's context: the deals and ``first_churn``."""

    def __init__(self, churns: dict[str, list[int]]):
        self.churns = churns
        rows = [(a, "churn") for a, ms in churns.items() for _ in ms]
        self.deals = pd.DataFrame(rows, columns=["account_id", "type"])

    def first_churn(self, account_ids, dates):
        months = [d.year * 12 + d.month - 1 for d in pd.DatetimeIndex(dates)]
        found = [min([c for c in self.churns.get(a, []) if c >= m], default=NEVER)
                 for a, m in zip(account_ids, months)]
        return pd.DataFrame({"month": np.array(found, dtype=np.int64)})


def _lines_frame(rows: list[dict]) -> pd.DataFrame:
    if not rows:
        return L.empty_lines()
    numbers = ("month", "amount")
    return L.make_lines(**{c: np.array([r[c] for r in rows], dtype=np.int64 if c in numbers else object)
                           for c in rows[0]})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(line_books())
def test_the_schedule_of_any_lines_matches_the_model_and_ties(book):
    plans, rows, churns, through = book
    lines = _lines_frame(rows)
    result = SimpleNamespace(book=SimpleNamespace(plans=plans, currency="USD"), context=ChurnContext(churns),
                             lines=lines, first_month=JAN_2027, through_month=through)
    acc = account(result)
    check_ties(acc)
    check_against_model(acc, lines, plans, churns)


# -- small CRM books through the engine ----------------------------------------------------------

@st.composite
def crm_books(draw):
    n = draw(st.integers(1, 12))
    deals = ["deal_id,account_id,type,close_date,arr,owner_id,term_months,prior_arr"]
    for i in range(n):
        kind = draw(st.sampled_from(["new", "new", "expansion", "renewal", "contraction", "churn"]))
        account = f"A{draw(st.integers(1, 4))}"
        if kind == "new":
            account = f"L{i}"  # one land per account
        day = draw(st.dates(min_value=pd.Timestamp("2027-01-01").date(), max_value=pd.Timestamp("2028-06-30").date()))
        owner = "ae1" if kind == "new" else draw(st.sampled_from(["ae1", "am1"]))
        arr = draw(st.integers(1, 200_000_00))
        prior = draw(st.integers(0, 200_000_00)) if kind == "renewal" else None
        term = draw(st.sampled_from([12, 24, 36]))
        deals.append(f"D{i},{account},{kind},{day},{arr / 100:.2f},{owner},{term},"
                     + (f"{prior / 100:.2f}" if prior is not None else ""))
    # Churn a land's account too, sometimes.
    if draw(st.booleans()):
        day = draw(st.dates(min_value=pd.Timestamp("2027-01-01").date(), max_value=pd.Timestamp("2028-12-31").date()))
        deals.append(f"DX,L0,churn,{day},1000.00,am1,,")
    settings_ = dict(benefit_months=draw(st.sampled_from([6, 12, 24, 36, 48])), expedient=draw(st.booleans()),
                     rounding=draw(st.sampled_from(["half_up", "half_even"])))
    nb = plan("nb", f"""
        - id: land_tcv
          type: tcv_commission
          rate: 0.10
          vesting: {{upfront_pct: 0.25, months: {draw(st.sampled_from([0, 3, 12]))}, cadence: {draw(st.sampled_from(["monthly", "quarterly"]))}}}
          clawback: {{recover_paid_within_months: {draw(st.integers(0, 6))}}}
        - {{id: land_acv, type: acv_commission, rate: 0.03, clawback: {{recover_paid_within_months: 2}}, capitalize: {str(draw(st.booleans())).lower()}}}
        - {{id: closer, type: closer_expansion, rate: 0.10}}
    """, **settings_)
    am = plan("am", """
        - {id: net_expansion, type: quota_attainment, quota: 500000, target_incentive: 50000}
        - {id: renewals, type: renewal_commission, rate: 0.02, basis: flat_portion}
    """, benefit_months=draw(st.sampled_from([12, 36])), expedient=draw(st.booleans()))
    through = draw(st.sampled_from(["2027-06", "2027-12", "2028-12", "2030-06"]))
    return "\n".join(deals), [nb, am], through


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(crm_books())
def test_the_books_of_any_crm_export_tie_and_match_the_model(book):
    deals, plans, through = book
    with tempfile.TemporaryDirectory() as tmp:
        result = run(load_book(**write_book(Path(tmp), plans=plans, deals=deals, roster="""
            rep_id,name,plan_id,start_date,end_date
            ae1,Dana Reyes,nb,2027-01-01,
            am1,Omar Haddad,am,2027-01-01,
        """)), parse_period(through))
    acc = account(result)
    check_ties(acc)
    frame = pd.read_csv(io.StringIO(deals), dtype=str, keep_default_na=False)
    churns = defaultdict(list)
    for a, d in frame.loc[frame["type"] == "churn", ["account_id", "close_date"]].itertuples(index=False):
        churns[a].append(parse_period(d[:7]))
    check_against_model(acc, result.lines, result.book.plans, churns)

"""Every command on a book that uses all of SPEC §8.4–§8.11 at once: lint, run, why, accounting and what-if
work (exit 0) on dated values, caps, term rates, pro-rata clawbacks, overlays, scaled bonuses, plan draws
and component benefit periods; a few figures are checked by hand.

- se1, overlay 0.5 on L1 (60,000 ARR, 24 months): TCV 120,000 × 0.5 = 60,000 at the 24-month term rate
  11% = 6,600, capped at round(5,000 × 0.5) = 2,500.00 → 625.00 upfront and 12 × 156.25.
- ae1 (owner of L1, split 0.5 on L2): the plan draw [3000, 2000] tops January's 1,850.00 up by 1,150.00.
- L2 (2027-07-01, 12% from that date) churns 2027-11: k = 4 < 6, pro rata 2/6 of the 600.00 ae1 was paid
  on it = −200.00.
"""
from __future__ import annotations

import csv

import pytest
from click.testing import CliRunner

from compcalc.cli import main
from conftest import write_book

PLANS = [
    'plan_id: nb\nname: NB\nrole: new_business_ae\nyear_start: 2027-01-01\note: 200000\ndraw: {amounts: [3000, 2000]}\ncomponents:\n  - id: land_tcv\n    type: tcv_commission\n    rate: {2027-01-01: 0.10, 2027-07-01: 0.12}\n    max_term_months: 24\n    term_rates: [{min_term_months: 24, rate: 0.11}]\n    max_per_deal: 5000\n    vesting: {upfront_pct: 0.25, months: 12}\n    clawback: {recover_paid_within_months: 6, mode: pro_rata}\n    benefit_months: 24\n  - id: land_acv\n    type: acv_commission\n    rate: {2027-01-01: 0.01, 2027-07-01: 0.02}\n    term_rates: [{min_term_months: 24, rate: 0.03}]\n    max_per_deal: 100\n    clawback: {recover_paid_within_months: 3, mode: pro_rata}\n  - id: closer\n    type: closer_expansion\n    rate: {2027-01-01: 0.10, 2027-07-01: 0.08}\n    tail_rate_pct: {2027-01-01: 0.30, 2027-09-01: 0.5}\n    max_per_deal: 800\n  - id: spif\n    type: spif\n    amount: {2027-01-01: 500, 2027-07-01: 250}\n    from: 2027-01-01\n    to: 2027-12-31\n',
    'plan_id: csm\nname: CSM\nrole: csm\nyear_start: 2027-01-01\ncomponents:\n  - {id: act, type: activation_bonus, milestone: live, amount: {2027-01-01: 750, 2027-07-01: 1000}}\n  - id: csat\n    type: metric_bonus\n    metric: csat\n    target: 90\n    amount: {2027-01-01: 1000, 2027-07-01: 1200}\n    scale: [{at: 0.8, pct: 0.5}, {at: 1.0, pct: 1.0}]\n',
    'plan_id: mgr\nname: Mgr\nrole: other\nyear_start: 2027-01-01\ncomponents:\n  - {id: override, type: manager_override, rate: {2027-01-01: 0.01, 2027-07-01: 0.02}, max_per_deal: 150}\n  - {id: renewals, type: renewal_commission, rate: {2027-01-01: 0.02, 2027-07-01: 0.03}, max_per_deal: 100}\n',
]
ROSTER = """rep_id,name,plan_id,start_date,end_date,manager_id,draw
ae1,Dana Reyes,nb,2027-01-01,,mgr,
ae2,Sam Ito,nb,2027-03-01,,mgr,1000
se1,Ola Berg,nb,2027-01-01,,,0
cs1,Ana Ruiz,csm,2027-01-01,,,
mgr,Kim Vo,mgr,2027-01-01,,,
"""
DEALS = """deal_id,account_id,type,close_date,arr,owner_id,term_months,prior_arr
L1,A1,new,2027-01-15,60000,ae1,24,
L2,A2,new,2027-07-01,20000,ae2,12,
E1,A1,expansion,2027-05-10,15000,mgr,12,
E2,A2,expansion,2027-09-10,5000,mgr,12,
C2,A2,churn,2027-11-02,25000,mgr,,
R1,A3,renewal,2027-08-01,10000,mgr,12,9000
"""
SPLITS = """deal_id,rep_id,share,mode
L1,se1,0.5,overlay
L2,ae2,0.5,
L2,ae1,0.5,split
L2,se1,0.25,overlay
"""
MILESTONES = """account_id,milestone,achieved_date,csm_id
A1,live,2027-03-01,cs1
A2,live,2027-07-20,cs1
"""
METRICS = """rep_id,period,metric,value
cs1,2027-06,csat,72
cs1,2027-07,csat,71.9
cs1,2027-08,csat,95
"""


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    folder = tmp_path_factory.mktemp("patterns")
    files = write_book(folder, plans=PLANS, roster=ROSTER, deals=DEALS, splits=SPLITS, milestones=MILESTONES,
                       metrics=METRICS)
    args = ["--plans", str(files["plans"][0])]
    for name in ("roster", "deals", "splits", "milestones", "metrics"):
        args += [f"--{name}", str(files[name])]
    return folder, files, args


def invoke(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_lint_reads_dated_values_without_crashing(book):
    folder, files, _ = book
    result = CliRunner().invoke(main, ["lint", str(files["plans"][0]), "--roster", str(files["roster"]),
                                       "--deals", str(files["deals"]), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


def test_run_why_accounting_and_whatif(book):
    folder, _, args = book
    invoke("run", *args, "--through", "2027-12", "--out", folder / "out")
    lines = rows(folder / "out" / "lines.csv")
    se1 = [(r["period"], r["kind"], r["amount"]) for r in lines
           if r["rep_id"] == "se1" and r["component_id"] == "land_tcv" and r["deal_id"] == "L1"]
    assert se1[0] == ("2027-01", "upfront", "625.00")
    assert [a for _, kind, a in se1[1:]] == ["156.25"] * 11 and se1[-1][0] == "2027-12"
    claw = [(r["rep_id"], r["amount"], r["rate"]) for r in lines if r["kind"] == "clawback"]
    assert claw == [("ae1", "-200.00", ""), ("ae2", "-200.00", ""), ("se1", "-100.00", "")]
    reg = {(r["rep_id"], r["period"]): r for r in rows(folder / "out" / "register.csv")}
    assert (reg["ae1", "2027-01"]["net"], reg["ae1", "2027-01"]["draw"], reg["ae1", "2027-01"]["payout"]) == \
        ("1850.00", "1150.00", "3000.00")
    assert "se1" not in {r for r, p in reg if reg[r, p]["draw"] != "0.00"}  # a roster draw of 0: no draw
    why = invoke("why", "se1", "2027-01", *args).output
    assert "commission 11% × TCV 60,000.00 = 6,600.00, capped at 2,500.00 (max_per_deal 5000 × share)" in why
    assert "overlay share 0.5" in why
    assert "200.00 of the 600.00 paid on L2 so far is recovered" in invoke("why", "ae1", "2027-11", *args).output
    invoke("accounting", *args, "--through", "2027-12", "--out", folder / "acc")
    acc = rows(folder / "acc" / "accounting.csv")
    tcv = [r for r in acc if r["component_id"] == "land_tcv" and r["deal_id"] == "L1" and r["period"] == "2027-01"]
    assert {r["amortisation"] for r in tcv} == {"52.08", "26.04"}  # 1,250.00 / 24 and 625.00 / 24 (benefit_months 24)
    invoke("whatif", "--baseline", folder / "plans", *args[2:], "--through", "2027-12",
           "--set", "land_tcv.rate.2027-07-01=0.15", "--set", "csat.amount=500", "--out", folder / "wi", "--quiet")
    assert (folder / "wi" / "whatif.xlsx").exists()

"""The example material: the two plan sets, the sample company, and the synthetic data generator."""
from __future__ import annotations

import csv
import importlib.util
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from compcalc.plans import load_plans
from compcalc.synthetic import generate
from conftest import ROOT

PLANS = ROOT / "plans"
COMPANY = ROOT / "examples" / "company"

GOOD_ROLES = {"nb_ae": "new_business_ae", "exp_ae": "expansion_ae", "csm": "csm", "sales_manager": "other",
              "full_cycle_ae": "expansion_ae"}
LEGACY_ROLES = {"legacy_nb_ae": "new_business_ae", "legacy_csm": "csm", "legacy_am": "account_manager"}

REQUIRED = {
    "roster": {"rep_id", "name", "plan_id", "start_date", "end_date", "quota", "manager_id"},
    "deals": {"deal_id", "account_id", "type", "close_date", "arr", "owner_id", "term_months", "tcv", "prior_arr"},
    "milestones": {"account_id", "milestone", "achieved_date", "csm_id"},
    "metrics": {"rep_id", "period", "metric", "value"},
}


def read(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as f:
        return next(csv.reader(f))


def on_date(roster: list[dict], rep: str, date: str) -> list[dict]:
    return [r for r in roster if r["rep_id"] == rep and r["start_date"] <= date
            and (not r["end_date"] or date <= r["end_date"])]


# -- plans ---------------------------------------------------------------------------------------------

def test_land_and_expand_plans_load_with_their_roles():
    plans = load_plans([PLANS / "land_and_expand"])
    assert {pid: p.role for pid, p in plans.items()} == GOOD_ROLES | {"solutions_engineer": "other"}
    assert {str(p.year_start) for p in plans.values()} == {"2025-01-01"}
    nb, exp = plans["nb_ae"], plans["exp_ae"]
    tcv = nb.components_of("tcv_commission")[0]
    assert tcv.max_term_months == 24 and 12 <= tcv.vesting.months <= 24
    assert nb.components_of("closer_expansion")
    quota = exp.components_of("quota_attainment")[0]
    assert quota.measure == "net_new_expansion_arr" and quota.renewal_uplift_as_expansion
    assert exp.ote >= nb.ote
    assert [c.milestone for c in plans["csm"].components_of("activation_bonus")][0] == "activated"
    assert not plans["csm"].components_of("metric_bonus")
    assert plans["sales_manager"].components_of("manager_override")
    # SPEC §8: a ramped draw for new AEs, an overlay SE plan with a per-deal cap and pro-rata clawback
    assert [str(a) for a in nb.draw.amounts] == ["6000", "4000", "2000"] and nb.draw.type == "recoverable"
    se = plans["solutions_engineer"].components_of("tcv_commission")[0]
    assert se.max_per_deal == 3000 and se.clawback.mode == "pro_rata" and se.max_term_months == 24


def test_legacy_plans_load_with_the_roles_of_the_good_set():
    plans = load_plans([PLANS / "legacy"])
    assert LEGACY_ROLES.items() <= {pid: p.role for pid, p in plans.items()}.items()
    assert not set(plans) & set(GOOD_ROLES)
    assert {str(p.year_start) for p in plans.values()} == {"2025-01-01"}
    nb = plans["legacy_nb_ae"]
    assert nb.components_of("acv_commission") and not nb.components_of("tcv_commission", "closer_expansion")
    csm = plans["legacy_csm"]
    assert [c.metric for c in csm.components_of("metric_bonus")] == ["csat"]
    assert not csm.components_of("activation_bonus")
    am = plans["legacy_am"]
    assert [c.basis for c in am.components_of("renewal_commission")] == ["full"]
    assert not am.components_of("quota_attainment")


def test_plan_files_explain_their_intent():
    for path in sorted(PLANS.glob("*/*.yaml")):
        assert path.read_text(encoding="utf-8").startswith("#"), path


# -- the sample company --------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_company_files_have_the_spec_columns(name):
    assert REQUIRED[name] <= set(header(COMPANY / f"{name}.csv"))


def test_company_roster():
    roster = read(COMPANY / "roster.csv")
    plans = load_plans([PLANS / "land_and_expand"])
    assert {r["plan_id"] for r in roster} <= set(plans)
    people = {r["rep_id"] for r in roster}
    assert 12 <= len(people) <= 20
    by_plan = Counter(r["plan_id"] for r in roster)
    assert by_plan["nb_ae"] >= 5 and by_plan["exp_ae"] >= 3 and by_plan["csm"] >= 2 and by_plan["sales_manager"] >= 1
    promoted = [rep for rep, n in Counter(r["rep_id"] for r in roster).items() if n > 1]
    assert promoted
    for rep in promoted:
        rows = sorted((r for r in roster if r["rep_id"] == rep), key=lambda r: r["start_date"])
        assert all(a["end_date"] and a["end_date"] < b["start_date"] for a, b in zip(rows, rows[1:]))
    assert any(r["end_date"] for r in roster if r["rep_id"] not in promoted)  # a leaver
    assert {r["manager_id"] for r in roster if r["manager_id"]} <= people


def test_company_deals():
    roster = read(COMPANY / "roster.csv")
    deals = read(COMPANY / "deals.csv")
    assert 300 <= len(deals) <= 500
    assert len({d["deal_id"] for d in deals}) == len(deals)
    types = Counter(d["type"] for d in deals)
    assert set(types) == {"new", "expansion", "renewal", "contraction", "churn"}
    assert all(d["close_date"][:7] >= "2025-01" and d["close_date"][:7] <= "2026-12" for d in deals)
    lands = Counter(d["account_id"] for d in deals if d["type"] == "new")
    assert max(lands.values()) == 1
    assert {d["term_months"] for d in deals if d["type"] == "new"} == {"12", "24", "36"}
    assert any(d["account_id"] not in lands for d in deals if d["type"] == "expansion")
    renewals = [d for d in deals if d["type"] == "renewal"]
    assert all(d["prior_arr"] for d in renewals)
    assert any(float(d["arr"]) > float(d["prior_arr"]) for d in renewals)
    assert any(float(d["arr"]) < float(d["prior_arr"]) for d in renewals)
    for d in deals:
        for column in ("arr", "tcv", "prior_arr"):
            assert len(d[column].partition(".")[2]) <= 2, (d["deal_id"], column)
    people = {r["rep_id"] for r in roster}
    assert {d["owner_id"] for d in deals} <= people
    unassigned = [d["deal_id"] for d in deals if not on_date(roster, d["owner_id"], d["close_date"])]
    assert 1 <= len(unassigned) <= 2


def test_company_milestones_and_metrics():
    roster = read(COMPANY / "roster.csv")
    deals = read(COMPANY / "deals.csv")
    milestones = read(COMPANY / "milestones.csv")
    metrics = read(COMPANY / "metrics.csv")
    land = {d["account_id"]: d["close_date"] for d in deals if d["type"] == "new"}
    csms = {r["rep_id"] for r in roster if r["plan_id"] == "csm"}
    assert 50 <= len(milestones) <= 300
    assert Counter(m["milestone"] for m in milestones).most_common(1)[0][0] == "activated"
    assert {m["csm_id"] for m in milestones} <= csms
    assert all(m["account_id"] in land for m in milestones)
    late = [m for m in milestones if m["milestone"] == "activated" and
            (date.fromisoformat(m["achieved_date"]) - date.fromisoformat(land[m["account_id"]])).days > 90]
    assert late
    assert 30 <= len(metrics) <= 100
    assert {m["metric"] for m in metrics} == {"csat"} and {m["rep_id"] for m in metrics} <= csms


def test_company_csvs_are_what_make_company_writes(tmp_path):
    spec = importlib.util.spec_from_file_location("make_company", COMPANY / "make_company.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.write(tmp_path)
    for name in REQUIRED:
        assert (tmp_path / f"{name}.csv").read_bytes() == (COMPANY / f"{name}.csv").read_bytes(), name


# -- the synthetic generator ---------------------------------------------------------------------------

def generated(tmp_path: Path, name: str, **kwargs) -> dict[str, Path]:
    options = dict(deals=3000, reps=40, months=24, seed=7, split_share=0.3) | kwargs
    return generate(tmp_path / name, **options)


def test_generate_is_deterministic(tmp_path):
    a, b, c = (generated(tmp_path, "a"), generated(tmp_path, "b"), generated(tmp_path, "c", seed=8))
    assert set(a) == {"roster", "deals", "milestones", "metrics", "splits"}
    for name in a:
        assert a[name].read_bytes() == b[name].read_bytes(), name
    assert a["deals"].read_bytes() != c["deals"].read_bytes()


def test_generate_writes_a_consistent_book(tmp_path):
    paths = generated(tmp_path, "book", start="2025-03-15")
    roster = read(paths["roster"])
    deals = read(paths["deals"])
    assert len(deals) == 3000
    for name, columns in REQUIRED.items():
        assert columns <= set(header(paths[name])), name
    plan_of = {r["rep_id"]: r["plan_id"] for r in roster}
    assert set(plan_of.values()) == set(GOOD_ROLES) - {"full_cycle_ae"}  # the full-cycle plan is for modelling
    assert all(on_date(roster, d["owner_id"], d["close_date"]) for d in deals)

    lands = Counter(d["account_id"] for d in deals if d["type"] == "new")
    assert max(lands.values()) == 1
    land_date = {d["account_id"]: d["close_date"] for d in deals if d["type"] == "new"}
    assert all(d["account_id"] in land_date and d["close_date"] > land_date[d["account_id"]]
               for d in deals if d["type"] != "new")
    share = {t: n / len(deals) for t, n in Counter(d["type"] for d in deals).items()}
    for kind, want in {"new": 0.35, "expansion": 0.30, "renewal": 0.20, "contraction": 0.08, "churn": 0.07}.items():
        assert abs(share[kind] - want) < 0.03, kind
    assert all(d["prior_arr"] for d in deals if d["type"] == "renewal")
    assert all(len(d["arr"].split(".")[1]) == 2 for d in deals)

    splits = read(paths["splits"])
    by_deal: dict[str, list[dict]] = {}
    for s in splits:
        by_deal.setdefault(s["deal_id"], []).append(s)
    owner = {d["deal_id"]: d for d in deals}
    assert abs(len(by_deal) / len(deals) - 0.3) < 0.02
    for deal_id, rows in by_deal.items():
        reps = [r["rep_id"] for r in rows]
        assert [r["share"] for r in rows] == ["0.5", "0.5"] and reps[0] == owner[deal_id]["owner_id"]
        assert reps[1] != reps[0] and plan_of[reps[1]] == plan_of[reps[0]]
        assert on_date(roster, reps[1], owner[deal_id]["close_date"])


def test_generate_without_splits_writes_no_splits_file(tmp_path):
    paths = generated(tmp_path, "plain", split_share=0.0)
    assert "splits" not in paths and not (tmp_path / "plain" / "splits.csv").exists()



def test_the_company_expansion_aes_have_a_real_year():
    """Issue 18: the sample company's expansion AEs end the plan year around quota, not at 0–22% with
    negative carries — exact attainment (net new expansion ARR ÷ prorated quota) and pay per rep."""
    from compcalc.inputs import load_book
    from compcalc.pipeline import run

    book = load_book([PLANS / "land_and_expand"], COMPANY / "roster.csv", COMPANY / "deals.csv",
                     milestones=COMPANY / "milestones.csv", metrics=COMPANY / "metrics.csv")
    result = run(book, 2026 * 12 + 11)
    lines, register = result.lines, result.register
    quota = lines[(lines["kind"] == "quota") & (lines["month"] >= 2026 * 12)]
    last = quota.groupby("rep_id").tail(1).set_index("rep_id")
    year_end = {rep: (int(row["basis"]), int(row["facts"].quota), str(row["facts"].attainment))
                for rep, row in last.iterrows()}
    assert year_end == {
        "ae02": (12187500, 12500000, "0.9750"),  # promoted 2026-07: half a year's quota
        "xa01": (48811700, 40000000, "1.2203"),
        "xa02": (48128200, 40000000, "1.2032"),
        "xa03": (18634200, 25000000, "0.7454"),
        "xa04": (17207800, 25000000, "0.6883"),
    }
    year = register[(register["month"] >= 2026 * 12) & register["rep_id"].isin(list(year_end))]
    paid = year.groupby("rep_id")["payout"].sum().to_dict()
    # xa01: 120,000 TI to quota + 22.03% over at 1.5× = 159,652.65; ae02 also has its nb_ae half-year
    assert paid == {"ae02": 10571097, "xa01": 15965265, "xa02": 15657690, "xa03": 8944416, "xa04": 8259744}
    # a churn month may leave a carry (xa03 2026-04: -18,365.76), recovered by December
    assert year[year["carry_out"] != 0][["rep_id", "month", "carry_out"]].values.tolist() == [
        ["ae02", 2026 * 12 + 10, -602080], ["xa03", 2026 * 12 + 3, -1836576], ["xa03", 2026 * 12 + 4, -920688]]

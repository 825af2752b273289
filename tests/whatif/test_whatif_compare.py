"""What-if comparisons on the golden land-and-expand book, with amounts derived by hand.

The book (tests/golden/land_and_expand, its README derives every line) through 2027-12:
ae1 is paid 7,950.00, am1 101,399.85, cs1 750.00 → 110,099.85. D1's last installment (450.00,
2028-01) is still to vest. D2's churn clawed back 900.01.

``plans/legacy_like`` (today's plans, other plan ids) on the same roster: ae1 earns 10% of first-year
ACV: D1 3,600.00 (Jan), D2 2,400.05 (Feb), clawed back −2,400.05 when A2 churns in April (within 6
months). April's negative net is carried and never recovered in 2027: paid 6,000.05, earned 3,600.00,
carried −2,400.05. am1 is paid only on renewals (none by 2027-12), cs1 only on CSAT (no metrics).
"""
from __future__ import annotations

import csv
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from compcalc.cli import main
from compcalc.pipeline import run
from compcalc.inputs import load_book
from compcalc.periods import parse_period
from compcalc.problems import InputError
from compcalc.whatif import prepare, what_if
from compcalc.whatif import report as R
from compcalc.whatif.mapping import book_for
from compcalc.whatif.measures import RepStats, horizon
from conftest import GOLDEN, case_files

HERE = Path(__file__).parent
CASE = GOLDEN / "land_and_expand"
GOLDEN_PLANS = CASE / "plans"
LEGACY_LIKE = HERE / "plans" / "legacy_like"
DEC_2027 = parse_period("2027-12")


def files(case: Path = CASE) -> dict:
    kw = case_files(case)
    kw.pop("plans")
    return kw


@pytest.fixture(scope="module")
def compared():
    book, sets, _ = prepare(GOLDEN_PLANS, [LEGACY_LIKE, GOLDEN_PLANS], **files())
    return what_if(book, sets, DEC_2027)


def test_the_roster_is_mapped_by_plan_id_then_role_then_role_group(compared):
    base, legacy, same = compared.sets
    assert base.plan_set.mapping == {"csm_2027": "csm_2027", "exp_ae_2027": "exp_ae_2027", "nb_ae_2027": "nb_ae_2027"}
    # exp_ae_2027 is an expansion_ae plan; old_am is an account_manager plan: the same role group.
    assert legacy.plan_set.mapping == {"csm_2027": "old_csm", "exp_ae_2027": "old_am", "nb_ae_2027": "old_nb"}
    assert same.plan_set.mapping == base.plan_set.mapping
    assert [r.label for r in compared.sets] == ["plans", "legacy_like", "plans #2"]


def test_the_roster_may_name_a_candidates_plans():
    """Today's plans as the baseline, the roster written for the new ones: the baseline is mapped by role
    and the comparison is the mirror image of the one the other way round."""
    book, sets, _ = prepare(LEGACY_LIKE, [GOLDEN_PLANS], **files())
    assert sets[0].mapping == {"csm_2027": "old_csm", "exp_ae_2027": "old_am", "nb_ae_2027": "old_nb"}
    assert sets[1].mapping == {"csm_2027": "csm_2027", "exp_ae_2027": "exp_ae_2027", "nb_ae_2027": "nb_ae_2027"}
    old, new = what_if(book, sets, DEC_2027).sets
    assert (old.measures.paid, new.measures.paid) == (600_005, 11_009_985)
    assert dict(R.differences(old, new))["Cost: Total cost (paid through the last month)"] == R.Money(10_409_980)


def test_a_roster_plan_id_no_set_defines_is_an_input_error():
    single = GOLDEN_PLANS / "nb_ae_2027.yaml"
    with pytest.raises(InputError) as e:
        prepare(single, [LEGACY_LIKE], **files())
    assert [str(p) for p in e.value.problems] == [
        f"{CASE / 'roster.csv'}: row 2, column plan_id: plan_id 'exp_ae_2027' is not defined by any plan file",
        f"{CASE / 'roster.csv'}: row 3, column plan_id: plan_id 'csm_2027' is not defined by any plan file"]


def test_comparing_a_plan_set_with_itself_gives_zero_differences(compared):
    base, _, same = compared.sets
    assert R.differences(base, same) == []
    for row in R.comparison_rows(base, same):
        a, b, d = row.values
        assert a == b, row.label
        assert d in (None, R.Money(0), R.Share(Fraction(0)), 0), row.label
    assert all(d == R.Money(0) for *_, d in R.per_rep_rows(base, same))


def test_the_baseline_figures_match_the_golden_readme(compared):
    m = compared.baseline.measures
    assert m.paid == 11_009_985 and m.earned == 11_009_985 and m.carried == 0 and m.draws == 0
    assert m.deferred == 45_000  # D1's 12th installment, 2028-01
    assert m.clawbacks == 90_001  # 600.01 + 150.00 + 150.00 on D2
    assert m.by_role == {"new_business_ae": 795_000, "expansion": 10_139_985, "csm": 75_000}
    assert m.new_arr == 6_000_050  # D1 36,000 + D2 24,000.50
    assert m.net_expansion_arr == 48_799_950  # D3 12,000 + D6 500,000 − D4 churn 24,000.50
    assert m.share_of_new_arr == Fraction(11_009_985, 6_000_050)
    # am1 signed 512,000 of expansion: 101,399.85 / 512,000
    assert m.effective_rate("expansion") == Fraction(10_139_985, 51_200_000)
    assert m.effective_rate("csm") is None
    assert m.rep_stats["all"] == RepStats(3, 75_000, 795_000, 10_139_985, 10_139_985)


def test_the_legacy_like_figures_are_hand_computed(compared):
    m = compared.sets[1].measures
    assert (m.paid, m.earned, m.carried, m.clawbacks, m.deferred) == (600_005, 360_000, -240_005, 240_005, 0)
    assert m.by_component == {("new_business_ae", "land_acv", "acv_commission"): 360_000}
    assert dict(zip(m.per_rep["rep_id"], m.per_rep["paid"])) == {"ae1": 600_005, "am1": 0, "cs1": 0}
    d = dict(R.differences(compared.baseline, compared.sets[1]))
    assert d["Cost: Total cost (paid through the last month)"] == R.Money(600_005 - 11_009_985)
    assert d["paid to am1"] == R.Money(-10_139_985)


def _sums(folder: Path) -> tuple[int, int, dict]:
    """(Σ payout, Σ amount but draws, paid per rep) of a `compcalc run` output folder, in cents."""
    def cents(text):
        return int(Decimal(text) * 100)
    with (folder / "register.csv").open() as f:
        reg = list(csv.DictReader(f))
    with (folder / "lines.csv").open() as f:
        lines = [r for r in csv.DictReader(f) if r["kind"] != "draw"]
    per_rep: dict[str, int] = {}
    for r in reg:
        per_rep[r["rep_id"]] = per_rep.get(r["rep_id"], 0) + cents(r["payout"])
    return sum(cents(r["payout"]) for r in reg), sum(cents(r["amount"]) for r in lines), per_rep


@pytest.mark.parametrize("case, through", [("land_and_expand", "2027-12"), ("land_and_expand", "2028-01"),
                                           ("icm_essentials", "2027-06")])
def test_each_sets_totals_equal_a_plain_compcalc_run_of_it(case, through, tmp_path):
    """Candidates too: `compcalc run` with the candidate plans and the roster rewritten to their ids."""
    folder = GOLDEN / case
    plans = case_files(folder)["plans"][0]
    candidates = [LEGACY_LIKE] if case == "land_and_expand" else [plans]
    book, sets, _ = prepare(plans, candidates, **files(folder))
    report = what_if(book, sets, parse_period(through))
    for i, result in enumerate(report.sets):
        roster = tmp_path / f"roster{i}.csv"
        with (folder / "roster.csv").open() as f:
            rows = list(csv.DictReader(f))
        for r in rows:
            r["plan_id"] = result.plan_set.mapping[r["plan_id"]]
        with roster.open("w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
        args = ["run", "--plans", result.plan_set.source, "--through", through, "--out", str(tmp_path / f"out{i}"),
                "--quiet", "--roster", str(roster)]
        for key, value in files(folder).items():
            if key != "roster":
                args += ["--" + key.replace("_", "-"), str(value)]
        cli = CliRunner().invoke(main, args)
        assert cli.exit_code == 0, cli.output
        paid, earned, per_rep = _sums(tmp_path / f"out{i}")
        m = result.measures
        assert (m.paid, m.earned) == (paid, earned)
        assert {k: v for k, v in zip(m.per_rep["rep_id"], m.per_rep["paid"]) if v} == \
            {k: v for k, v in per_rep.items() if v}
        assert sum(m.by_role.values()) == m.earned == sum(m.by_component.values())


def test_the_as_of_run_repeats_a_plain_run_line_for_line_up_to_through():
    """Running past --through (for the deferred liability) cannot change a line up to --through."""
    kw = case_files(GOLDEN / "icm_essentials")
    book = load_book(**kw)
    through = parse_period("2027-06")
    plain = run(book, through)
    long = run(book.as_of(through), through + horizon(book.plans))
    upto = long.lines[long.lines["month"] <= through].reset_index(drop=True)
    assert upto.equals(plain.lines)
    reg = long.register[long.register["month"] <= through].reset_index(drop=True)
    assert reg.equals(plain.register)


def test_draw_top_ups_are_not_earnings_and_paid_reconciles():
    """icm_essentials: ae2's recoverable draws (2 × 4,000) are repaid from May's earnings."""
    kw = case_files(GOLDEN / "icm_essentials")
    plans = kw.pop("plans")[0]
    book, sets, _ = prepare(plans, [], **kw)
    m = what_if(book, sets, parse_period("2027-06")).baseline.measures
    assert m.draws == 800_000
    assert m.paid == m.earned - m.carried == 8_613_000


def test_deferred_liability_ignores_a_churn_after_through():
    """A churn dated after --through was not known then: it cannot forfeit what is owed at --through."""
    book = load_book(**case_files(CASE))
    asof = book.as_of(parse_period("2027-03"))
    assert "D4" not in set(asof.deals["deal_id"])  # A2's churn, 2027-04-05
    assert set(asof.milestones["account_id"]) == {"A1"}


def test_a_role_no_candidate_plan_has_is_an_error_naming_the_set():
    single = str(GOLDEN_PLANS / "nb_ae_2027.yaml")
    with pytest.raises(InputError) as e:
        prepare(GOLDEN_PLANS, [single], **files())
    assert [str(p) for p in e.value.problems] == [
        f"{single}: no plan for the roster's plan_id 'csm_2027' (role csm): no plan has that plan_id or role csm",
        f"{single}: no plan for the roster's plan_id 'exp_ae_2027' (role expansion_ae): no plan has that "
        f"plan_id or role expansion_ae or account_manager",
    ]


def test_two_plans_of_one_role_are_ambiguous():
    two = str(HERE / "plans" / "two_csm")
    with pytest.raises(InputError) as e:
        prepare(GOLDEN_PLANS, [two], **files())
    assert [str(p) for p in e.value.problems] == [
        f"{two}: the roster's plan_id 'csm_2027' (role csm) matches several plans by role: csm_a, csm_b; "
        f"give one of them plan_id 'csm_2027' to choose it"]


def test_candidate_book_shares_the_baseline_inputs():
    book, sets, _ = prepare(GOLDEN_PLANS, [LEGACY_LIKE], **files())
    candidate = book_for(book, sets[1])
    assert candidate.deals is book.deals
    assert list(candidate.roster["plan_id"]) == ["old_nb", "old_am", "old_csm"]
    assert list(book.roster["plan_id"]) == ["nb_ae_2027", "exp_ae_2027", "csm_2027"]
    assert set(candidate.plans) == {"old_nb", "old_am", "old_csm"}


def test_lint_findings_of_each_set(compared):
    """Linted with the book's deals and the mapped roster, so BK203 sees am1 on old_am."""
    found = {r.label: sorted((f.code, f.plan_id, f.component_id or "") for f in r.findings) for r in compared.sets}
    assert found["plans"] == found["plans #2"] == [("BK202", "nb_ae_2027", "")]
    assert found["legacy_like"] == [
        ("BK202", "old_nb", ""), ("BK203", "old_am", ""), ("EX101", "old_nb", "land_acv"),
        ("EX102", "old_csm", "csat_bonus"), ("EX103", "old_am", ""), ("EX104", "old_am", "renewals"),
        ("EX108", "old_am", "")]
    rows = {r.label: r.values for r in R.summary_rows(compared.sets) if r.section == "Lint findings"}
    assert rows == {"Errors": [0, 5, 0], "Warnings": [1, 2, 1],
                    "Codes": ["BK202", "BK202, BK203, EX101, EX102, EX103, EX104, EX108", "BK202"]}

"""compcalc why: the tree of how a rep's month came about, and its errors."""
from __future__ import annotations

from click.testing import CliRunner

from compcalc.cli import main
from statement_files import ICM, LAND, input_args


def why(case, *args):
    return CliRunner().invoke(main, ["why", *args, *input_args(case)])


def test_why_explains_every_amount_of_the_month():
    result = why(LAND, "ae1", "2027-05")
    assert result.exit_code == 0, result.output
    assert result.output == """\
ae1 Dana Reyes · 2027-05 · New Business AE 2027 (nb_ae_2027) · USD
├── land_tcv (tcv commission): 450.00
│   ├── D1 · A1 · installment 4 of 12: 450.00
│   │   └── installment 4 of 12 of D1's 5,400.00
│   └── D2 · A2 · forfeited installment 3 of 12: 0.00
│       ├── forfeited: A2 churned 2027-04-05
│       └── installment 3 of 12 of D2: 150.00 is not paid
├── closer_expansion (closer expansion): 1,200.00
│   └── D3 · A1 · closer expansion: 1,200.00
│       ├── 10% × expansion ARR 12,000.00 = 1,200.00
│       └── closer in the window: month 4 after land D1
├── net: 1,650.00
│   └── land_tcv 450.00 + closer_expansion 1,200.00
├── carry in: -300.01
│   └── carry -300.01 from 2027-04
├── payout: 1,349.99
│   └── payout = max(0, net 1,650.00 + carry in -300.01) = 1,349.99
└── carry out: 0.00
    └── nothing carried forward
"""


def test_why_one_component_shows_the_tier():
    result = why(LAND, "am1", "2027-07", "--component", "net_expansion")
    assert result.exit_code == 0, result.output
    assert result.output == """\
am1 Lee Park · 2027-07 · Expansion AE 2027 (exp_ae_2027) · USD
├── net_expansion (quota attainment): 101,399.85
│   └── quota attainment: 101,399.85
│       ├── credits to date 487,999.50 (net new expansion ARR)
│       ├── attainment 108.44% of quota 450,000.00
│       ├── tier 2: credits 450,000.00 to 675,000.00 (100% to 150% of quota) at × 1.5
│       └── earned to date 101,399.85 − earned before 0.00 = 101,399.85
└── of net earnings 101,399.85
"""


def test_why_shows_the_clawback_carry_and_draw():
    april = why(LAND, "ae1", "2027-04")
    assert "│   │   ├── clawed back: A2 churned 2027-04-05 (within 3 months of close)\n" in april.output
    assert april.output.endswith("└── carry out: -300.01\n    └── carry -300.01 into 2027-05\n")
    draw = why(ICM, "ae2", "2027-04")
    assert "├── draw top-up: 4,000.00\n│   ├── draw top-up to the guaranteed minimum\n" in draw.output
    assert "payout = max(0, net 2,450.00 + carry in -4,000.00) + draw top-up 4,000.00 = 4,000.00" in draw.output
    adjustment = why(ICM, "ae2", "2027-05", "--component", "adjustment")
    assert "│       └── manual adjustment: SPIF paid twice in April\n" in adjustment.output


def test_why_quiet_months_and_bad_input():
    nothing = why(LAND, "am1", "2027-02")
    assert nothing.exit_code == 0
    assert nothing.output == "am1 Lee Park: nothing in 2027-02 (no lines, no draw, no carry)\n"
    no_lines = why(LAND, "ae1", "2027-06", "--component", "closer_expansion")
    assert no_lines.exit_code == 0 and no_lines.output == "ae1 Dana Reyes: no closer_expansion lines in 2027-06\n"
    unknown = why(LAND, "zz9", "2027-04")
    assert unknown.exit_code == 2
    assert f"Error: rep 'zz9' is not in the roster ({LAND / 'roster.csv'})" in unknown.output
    component = why(LAND, "am1", "2027-07", "--component", "land_tcv")
    assert component.exit_code == 2
    assert "Error: --component 'land_tcv' is not a component of am1's plans (components: adjustment, net_expansion)" \
        in component.output
    month = why(LAND, "ae1", "2027-13")
    assert month.exit_code == 2 and "'2027-13' is not a period (YYYY-MM)" in month.output
    early = why(LAND, "ae1", "2026-12")
    assert early.exit_code == 2 and "Error: 2026-12 is before the first plan year (2027-01)" in early.output
    assert "Traceback" not in unknown.output + component.output + month.output + early.output


def test_plans_given_last_does_not_swallow_the_rep_and_month():
    # why has positional arguments, so its --plans takes one value per flag
    args = input_args(LAND)
    plans_last = [a for a in args if not a.startswith("--plans") and a != args[args.index("--plans") + 1]] + \
        ["--plans", args[args.index("--plans") + 1]]
    result = CliRunner().invoke(main, ["why", *plans_last, "ae1", "2027-05"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ae1 Dana Reyes · 2027-05")

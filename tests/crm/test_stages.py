"""A deals file with a stage column is refused unless every stage is closed-won (issue 17)."""
from __future__ import annotations

import numpy as np
from click.testing import CliRunner

from compcalc.cli import main
from compcalc.stages import won_mask
from conftest import ROOT

COMPANY = ROOT / "examples" / "company"


def test_the_default_rule_without_a_mapping():
    stages = ["Closed Won", "closed-won", "WON", "closed_won", " Closed  Won ", "Closed Lost", "Negotiation", "",
              "won't close"]
    assert won_mask(np.array(stages, dtype=object)).tolist() == [True] * 5 + [False] * 4
    assert won_mask(np.array(["Closed won - Renewal", "Won"], dtype=object), ("closed won - renewal",)).tolist() \
        == [True, False]


def test_every_command_that_reads_deals_refuses_unwon_stages(tmp_path):
    lines = (COMPANY / "deals.csv").read_text().splitlines()
    staged = [lines[0] + ",stage"] + [line + (",Closed Lost" if i in (2, 5) else ",Closed Won")
                                      for i, line in enumerate(lines[1:], 1)]
    deals = tmp_path / "deals.csv"
    deals.write_text("\n".join(staged) + "\n")
    common = ["--roster", str(COMPANY / "roster.csv"), "--deals", str(deals)]
    expected = [f"  {deals}: row {i}, column stage: stage 'Closed Lost' is not closed-won: only won deals are paid "
                "(remove the row, or convert the export with `compcalc import deals`)" for i in (2, 5)]
    for argv in (["validate", "--plans", str(ROOT / "plans" / "land_and_expand"), *common],
                 ["run", "--plans", str(ROOT / "plans" / "land_and_expand"), *common, "--through", "2026-12",
                  "--out", str(tmp_path / "out")],
                 ["lint", str(ROOT / "plans" / "land_and_expand"), *common]):
        result = CliRunner().invoke(main, argv)
        assert result.exit_code == 2, argv
        assert result.stderr.splitlines()[1:] == expected, argv
    assert not (tmp_path / "out").exists()
    won = tmp_path / "won.csv"
    won.write_text("\n".join(s.replace("Closed Lost", "closed won") for s in staged) + "\n")
    ok = CliRunner().invoke(main, ["validate", "--plans", str(ROOT / "plans" / "land_and_expand"),
                                   "--roster", str(COMPANY / "roster.csv"), "--deals", str(won)])
    assert (ok.exit_code, ok.stdout) == (0, "ok: 6 plans, 16 assignments, 419 deals\n")

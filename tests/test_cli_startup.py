"""The command line starts at once: heavy libraries load inside the commands that use them (issue 19)."""
from __future__ import annotations

import json
import re
import subprocess
import sys

from conftest import ROOT

HEAVY = ("pandas", "numpy", "pyarrow", "openpyxl", "sqlalchemy", "jinja2", "pydantic", "yaml",
         "compcalc.accounting", "compcalc.statements", "compcalc.engine", "compcalc.inputs")

# Runs the CLI in a fresh interpreter as a user would, then prints which heavy modules got imported.
PROBE = """
import json, sys
from compcalc.cli import main
try:
    main(sys.argv[1:], prog_name="compcalc")
except SystemExit:
    pass
heavy = %r
print(json.dumps(sorted({m for m in sys.modules for h in heavy if m == h or m.startswith(h + ".")})))
"""


def _loaded(*args: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", PROBE % (HEAVY,), *args], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def _import_seconds() -> float:
    """Cumulative import time of compcalc.cli, from ``python -X importtime`` (best of three)."""
    best = None
    for _ in range(3):
        done = subprocess.run([sys.executable, "-X", "importtime", "-c", "import compcalc.cli"], cwd=ROOT,
                              capture_output=True, text=True, check=True)
        line = next(x for x in done.stderr.splitlines() if re.search(r"\|\s*compcalc\.cli$", x))
        micros = int(line.split("|")[1])
        best = micros if best is None else min(best, micros)
    return best / 1e6


def test_importing_the_cli_loads_no_heavy_library():
    done = subprocess.run([sys.executable, "-c", "import compcalc.cli, sys, json; "
                           f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"],
                          cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == []


def test_help_and_version_load_no_heavy_library():
    assert _loaded("--help") == []
    assert _loaded("--version") == []


def test_every_command_help_loads_no_heavy_library():
    from compcalc.cli import main

    for name in main.commands:
        assert (name, _loaded(name, "--help")) == (name, [])


def test_cli_imports_in_under_0_3_seconds():
    assert _import_seconds() < 0.3


def test_validate_of_a_book_loads_neither_writers_nor_the_ledger():
    case = ROOT / "tests" / "golden" / "land_and_expand"
    loaded = _loaded("validate", "--plans", str(case / "plans"), "--roster", str(case / "roster.csv"),
                     "--deals", str(case / "deals.csv"))
    assert [m for m in loaded if m.split(".")[0] in ("openpyxl", "sqlalchemy", "jinja2")] == []
    assert not any(m.startswith(("compcalc.accounting", "compcalc.statements", "compcalc.engine")) for m in loaded)


def test_run_statement_choices_are_the_statements_packages():
    from compcalc import statements
    from compcalc.cli.run import STATEMENT_CHOICES

    assert STATEMENT_CHOICES == statements.CHOICES


def test_a_run_without_a_ledger_loads_no_database_layer(tmp_path):
    """The ledger's errors live apart from its store: a plain ``compcalc run`` never imports SQLAlchemy."""
    case = ROOT / "tests" / "golden" / "land_and_expand"
    loaded = _loaded("run", "--plans", str(case / "plans"), "--roster", str(case / "roster.csv"),
                     "--deals", str(case / "deals.csv"), "--milestones", str(case / "milestones.csv"),
                     "--through", "2028-01", "--out", str(tmp_path / "out"), "--statements", "none", "--quiet")
    assert (tmp_path / "out" / "lines.csv").exists()
    assert [m for m in loaded if m.split(".")[0] == "sqlalchemy"] == []
    assert "openpyxl" in loaded  # the probe sees what the run loads: the payout register workbook

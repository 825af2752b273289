"""Helpers for the import tests: write an export, a mapping and a roster; run `compcalc import`."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

from click.testing import CliRunner

from compcalc.cli import main

ROSTER = """rep_id,name,plan_id,start_date,end_date,email
ae01,Dana Reyes,nb_ae,2025-01-01,,dana.reyes@northwind.example
ae02,Tomás Alvarez,nb_ae,2025-01-01,2026-06-30,tomas.alvarez@northwind.example
ae02,Tomás Alvarez,exp_ae,2026-07-01,,tomas.alvarez@northwind.example
xa01,Lee Park,exp_ae,2025-01-01,,lee.park@northwind.example
"""

MAPPING = """\
table: deals
columns:
  deal_id: Opportunity ID
  account_id: Account Number
  type: Type
  close_date: Close Date
  arr: Amount
  owner_id: Opportunity Owner
  term_months: Contract Term (Months)
  stage: Stage
values:
  type: {New Business: new, Existing Business: expansion, Renewal: renewal, Churn: churn}
closed_won: [Closed Won]
dates: [MM/DD/YYYY]
amounts: "1,234.56"
"""


class Case:
    def __init__(self, folder: Path):
        self.folder = folder

    def write(self, name: str, text: str, encoding: str = "utf-8") -> Path:
        path = self.folder / name
        path.write_bytes(textwrap.dedent(text).encode(encoding))
        return path

    def run(self, export: str, mapping: str = MAPPING, *args: str, roster: str | None = ROSTER,
            table: str = "deals", encoding: str = "utf-8"):
        """(exit code, stdout, stderr, the written file's text or None)."""
        e = self.write("export.csv", export, encoding)
        m = self.write("mapping.yaml", mapping)
        out = self.folder / f"{table}.csv"
        argv = ["import", table, str(e), "--mapping", str(m), "--out", str(out), *args]
        if roster is not None:
            argv += ["--roster", str(self.write("roster.csv", roster))]
        result = CliRunner().invoke(main, argv)
        written = out.read_text(encoding="utf-8") if out.exists() else None
        clean = lambda s: s.replace(str(self.folder) + "/", "")  # noqa: E731
        return result.exit_code, clean(result.stdout), clean(result.stderr), written

    def report(self, export: str, mapping: str = MAPPING, *args: str, **kw) -> dict:
        code, out, err, _ = self.run(export, mapping, "--format", "json", *args, **kw)
        assert code == 0, err or out
        return json.loads(out.replace(str(self.folder) + "/", ""))

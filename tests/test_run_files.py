"""lines.csv and register.csv through Arrow, written straight to the file in batches (issue 19)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from compcalc import ledger_lines as L
from compcalc import outputs
from compcalc.periods import parse_period


def test_periods_as_arrow_text():
    months = [parse_period("2027-12"), parse_period("2025-01"), parse_period("2027-12")]
    assert outputs.arrow_periods(months).to_pylist() == ["2027-12", "2025-01", "2027-12"]
    assert outputs.arrow_periods([]).to_pylist() == []
    far = [parse_period("1900-01"), 10_000 * 12 + 5]  # months far apart: no table of every month between
    assert outputs.arrow_periods(far).to_pylist() == ["1900-01", "10000-06"]


def test_a_value_that_needs_quotes_is_quoted_alone_as_the_csv_module_does(tmp_path, monkeypatch):
    """Batches of 2 rows: the second holds the note that needs quotes; only that value is quoted, the
    file is byte for byte what Python's csv writer (QUOTE_MINIMAL) writes."""
    import csv
    import io

    monkeypatch.setattr(outputs, "BATCH_ROWS", 2)
    lines = L.make_lines(rep_id=np.array(["r1", "r1", "r2", "r2", "r3"], dtype=object),
                         month=np.array([24300, 24301, 24300, 24302, 24303]), component_id="c", kind="bonus",
                         amount=np.array([100, -5, 12345, 0, 7]), basis=np.array([1, 2, 3, 4, 5]),
                         installment=np.array([1, 2, 3, 4, 5]),
                         note=np.array(["", "", "", 'a, "quoted" note', ""], dtype=object))
    outputs.write_lines_csv(lines, tmp_path / "lines.csv")
    text = (tmp_path / "lines.csv").read_text()
    assert text.splitlines()[0] == ",".join(outputs.LINES_CSV)
    assert text.splitlines()[2] == "r1,2025-02,,c,,bonus,0.02,,-0.05,,2,,,"
    assert text.splitlines()[4] == 'r2,2025-03,,c,,bonus,0.04,,0.00,,4,,"a, ""quoted"" note",'
    rows = list(csv.reader(io.StringIO(text)))
    again = io.StringIO()
    csv.writer(again, lineterminator="\n").writerows(rows)
    assert again.getvalue() == text
    back = pd.read_csv(tmp_path / "lines.csv", dtype=str, keep_default_na=False)
    assert back["period"].tolist() == ["2025-01", "2025-02", "2025-01", "2025-03", "2025-04"]
    assert back["amount"].tolist() == ["1.00", "-0.05", "123.45", "0.00", "0.07"]
    assert back["note"].tolist() == ["", "", "", 'a, "quoted" note', ""]
    assert back["installment"].tolist() == ["1", "2", "3", "4", "5"] and back["installments"].tolist() == [""] * 5


def test_unquoted_when_nothing_needs_quotes(tmp_path, monkeypatch):
    monkeypatch.setattr(outputs, "BATCH_ROWS", 1)
    lines = L.make_lines(rep_id=np.array(["r1", "r2"], dtype=object), month=np.array([24300, 24311]),
                         amount=np.array([1, 2]), kind="bonus")
    outputs.write_lines_csv(lines, tmp_path / "lines.csv")
    assert (tmp_path / "lines.csv").read_text().splitlines()[1:] == [
        "r1,2025-01,,,,bonus,,,0.01,,,,,", "r2,2025-12,,,,bonus,,,0.02,,,,,"]

"""The line and register schemas (compcalc/schema.py) and every place that must agree with them."""
from __future__ import annotations

import numpy as np
import pandas as pd
import sqlalchemy as sa

from compcalc import ledger_lines as L
from compcalc import outputs, payouts, schema
from compcalc.ledger import schema as db

SPEC_LINES = "rep_id,period,plan_id,component_id,deal_id,kind,basis,rate,amount"
SPEC_REGISTER = "rep_id,period,net,carry_in,draw,payout,carry_out"
SQL_TYPES = {"text": (sa.String, sa.Text), "month": (sa.Integer,), "cents": (sa.BigInteger,),  # exactly these
             "int": (sa.Integer,), "decimal": (sa.String,), "facts": (sa.Text,)}
LEDGER_KEYS = {"run_id", "line_no"}  # the ledger's own: which run, and the line's place in it


def _written_header(path) -> str:
    return path.read_text().splitlines()[0]


def test_lines_csv_writes_the_spec_columns_first_then_the_others(tmp_path):
    lines = L.make_lines(rep_id=np.array(["r1"], dtype=object), month=np.array([24300]), amount=np.array([5]))
    outputs.write_lines_csv(lines, tmp_path / "lines.csv")
    assert _written_header(tmp_path / "lines.csv") == \
        SPEC_LINES + ",account_id,installment,installments,note,facts"


def test_register_csv_has_the_spec_columns_and_the_frame_the_register_columns(tmp_path):
    lines = L.make_lines(rep_id=np.array(["r1", "r1"], dtype=object), month=np.array([24300, 24301]),
                         amount=np.array([-700, 1000]))
    no_draws = pd.DataFrame({"start_month": [], "end_month": [], "draw": [], "draw_type": []})
    register, _ = payouts.compute_register(lines, no_draws, 24300, 24301)
    assert list(register.columns) == ["rep_id", "month", "net", "carry_in", "draw", "payout", "carry_out"]
    assert register[schema.REGISTER_MONEY].to_numpy().tolist() == [[-700, 0, 0, 0, -700], [1000, -700, 0, 300, 0]]
    outputs.write_register_csv(register, tmp_path / "register.csv")
    assert (tmp_path / "register.csv").read_text().splitlines() == [
        SPEC_REGISTER, "r1,2025-01,-7.00,0.00,0.00,0.00,-7.00", "r1,2025-02,10.00,-7.00,0.00,3.00,0.00"]


def test_a_line_frame_has_the_schema_columns_and_the_fingerprint_leaves_facts_out():
    frame = L.make_lines(rep_id=np.array([], dtype=object), month=np.array([], dtype=np.int64),
                         amount=np.array([], dtype=np.int64))
    assert list(frame.columns) == ["rep_id", "month", "plan_id", "component_id", "deal_id", "account_id", "kind",
                                   "basis", "rate", "amount", "installment", "installments", "note", "facts"]
    # runs recorded before facts existed keep their fingerprint: same order, no facts
    assert schema.LINE_FINGERPRINT == ["rep_id", "month", "plan_id", "component_id", "deal_id", "account_id",
                                       "kind", "basis", "rate", "amount", "installment", "installments", "note",
                                       "original_month"]


def _agree(table: sa.Table, columns) -> None:
    stored = {c.name: c for c in table.columns if c.name not in LEDGER_KEYS}
    assert list(stored) == [c.file_name for c in columns]
    for c in columns:
        assert type(stored[c.file_name].type) in SQL_TYPES[c.type], (table.name, c.name)


def test_the_ledger_tables_agree_with_the_schemas():
    _agree(db.run_lines, schema.LINE)
    _agree(db.run_register, schema.REGISTER)
    assert [c.name for c in db.run_lines.primary_key] == ["run_id", "rep_id", "period", "line_no"]


def test_load_book_and_the_options_take_each_input_file_by_its_schema_name():
    import inspect

    from compcalc.cli.options import book_kwargs
    from compcalc.inputs import load_book

    names = [f.name for f in schema.INPUTS]
    assert list(inspect.signature(load_book).parameters) == ["plans", *names]
    assert names == ["roster", "deals", "milestones", "metrics", "splits", "adjustments", "fx_rates"]
    assert [f.flag for f in schema.INPUTS][-1] == "--fx-rates"
    given = {n: f"{n}.csv" for n in names} | {"plans": ["p"], "through": 1}
    assert book_kwargs(given) == {"plans": ["p"], **{n: f"{n}.csv" for n in names}} and given == {"through": 1}

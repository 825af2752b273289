"""The plan-year parts of a statement tie to lines.csv and register.csv to the cent, read back from the
HTML page and the workbook of every statement of a --statements all run: the month-by-month history,
earned against target, the deals behind each quota's credits, where the carry in came from, and the
vesting coming up."""
from __future__ import annotations

import re
from collections import defaultdict

import pytest
from openpyxl import load_workbook

from statement_files import ICM, LAND, Page, Table, csv_cents, evaluate, page_cents, read_csv, run_cli

ZERO = {"net": "0", "carry_in": "0", "draw": "0", "payout": "0", "carry_out": "0"}


@pytest.fixture(scope="module", params=[LAND, ICM], ids=lambda c: c.name)
def run(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(request.param.name) / "out"
    result = run_cli(request.param, out, "--statements", "all", "--quiet")
    assert result.exit_code == 0, result.output
    register = {(r["rep_id"], r["period"]): r for r in read_csv(out / "register.csv")}
    deals = {d["deal_id"]: d for d in read_csv(request.param / "deals.csv")}
    return out, read_csv(out / "lines.csv"), register, deals


def statements(out):
    for path in sorted((out / "statements").glob("*.html")):
        rep, month = path.stem.rsplit("_", 1)
        yield rep, month, path.read_text(encoding="utf-8"), path.with_suffix(".xlsx")


def test_history_is_the_register_month_by_month(run):
    out, _, register, _ = run
    seen = 0
    for rep, month, text, xlsx in statements(out):
        rows = [r for r in Table(text, "history").rows[0] if "data-month" in r["attrs"]]
        year = month[:4]  # every golden plan year starts in January
        assert [r["attrs"]["data-month"] for r in rows] == [f"{year}-{m:02d}" for m in range(1, int(month[5:]) + 1)]
        ws = load_workbook(xlsx)["Statement"]
        head = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Month")
        assert [ws.cell(head + i, 1).value for i in range(1, len(rows) + 1)] == [r["attrs"]["data-month"] for r in rows]
        for i, r in enumerate(rows, head + 1):
            reg = register.get((rep, r["attrs"]["data-month"]), ZERO)
            for cls, column, col in (("net", "net", 3), ("carry-in", "carry_in", 4), ("draw", "draw", 5),
                                     ("payout", "payout", 6), ("carry-out", "carry_out", 7)):
                assert page_cents(r["by_class"][cls]) == csv_cents(reg[column]), (rep, month, cls)
                assert evaluate(None, ws, ws.cell(i, col).value) == csv_cents(reg[column]), (rep, month, column)
            seen += 1
        page = Page(text)
        paid = sum(csv_cents(register.get((rep, r["attrs"]["data-month"]), ZERO)["payout"]) for r in rows)
        assert page_cents(page.by_id["history-paid"]) == paid == page_cents(page.by_id["ytd-paid"])
    assert seen > 20


def test_earned_against_target_adds_up_the_plan_year_lines(run):
    out, lines, _, _ = run
    earned = defaultdict(int)
    for x in lines:
        if x["kind"] != "draw":
            earned[(x["rep_id"], x["period"])] += csv_cents(x["amount"])
    checked = 0
    for rep, month, text, xlsx in statements(out):
        page = Page(text)
        want = sum(v for (r, p), v in earned.items() if r == rep and month[:4] + "-01" <= p <= month)
        assert page_cents(page.by_id["history-net"]) == want, (rep, month)
        if "target-earned" in page.by_id:
            assert page_cents(page.by_id["target-earned"]) == want
            ws = load_workbook(xlsx)["Statement"]
            row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Earned this plan year")
            assert evaluate(None, ws, ws.cell(row, 2).value) == want
            checked += 1
    assert checked >= 3


def test_quota_credits_are_the_deals_listed(run):
    """Each listed deal's credit is its signed ARR change (deals.csv), and they add up to the credits of
    the quota line (lines.csv basis) of the statement month's plan year."""
    out, lines, _, deals = run
    checked = 0
    for rep, month, text, xlsx in statements(out):
        for table in Table(text, "quota-deals").rows:
            body = [r for r in table if "credit" in r["by_class"]]
            total = next(r for r in table if "deal-credits" in r["by_class"])
            for r in body:
                d = deals[r["cells"][0]]
                arr, prior = csv_cents(d["arr"]), csv_cents(d["prior_arr"] or "0")
                signed = {"expansion": arr, "renewal": arr - prior}.get(d["type"], -arr)
                assert page_cents(r["by_class"]["credit"]) == signed, (rep, month, d["deal_id"])
            quota = [x for x in lines if x["rep_id"] == rep and x["kind"] == "quota"
                     and month[:4] + "-01" <= x["period"] <= month]
            got = sum(page_cents(r["by_class"]["credit"]) for r in body)
            assert page_cents(total["by_class"]["deal-credits"]) == got
            if quota:  # attainment counts from zero (SPEC §3: A = max(0, credits))
                assert max(0, got) == csv_cents(max(quota, key=lambda x: x["period"])["basis"]), (rep, month)
            else:
                assert got <= 0, (rep, month)
            ws = load_workbook(xlsx)["Statement"]
            row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Credits of these deals")
            assert evaluate(None, ws, ws.cell(row, 7).value) == got
            checked += 1
    assert checked >= 2


def test_carry_in_is_explained_by_the_months_it_came_from(run):
    out, _, register, _ = run
    for rep, month, text, xlsx in statements(out):
        reg = register.get((rep, month), ZERO)
        page = Page(text)
        if csv_cents(reg["carry_in"]) >= 0:
            assert "carry-from-total" not in page.by_id
            continue
        assert page_cents(page.by_id["carry-from-total"]) == csv_cents(reg["carry_in"])
        rows = [r for r in Table(text, "carry").rows[0] if r["cells"] and r["cells"][0][:2] == "20"]
        # The chain starts in a month that began at zero and ends the month before.
        first, last = rows[0]["cells"][0], rows[-1]["cells"][0]
        assert csv_cents(register.get((rep, first), ZERO)["carry_in"]) == 0
        assert csv_cents(register[(rep, last)]["carry_out"]) == csv_cents(reg["carry_in"])


def test_coming_vesting_is_what_the_run_later_pays_or_forfeits(run):
    """A month coming up inside the run: its vesting due is that month's installments, paid or forfeited."""
    out, lines, _, deals = run
    through = max(x["period"] for x in lines)
    checked = 0
    for rep, month, text, _ in statements(out):
        due = defaultdict(int)  # of the deals closed by the statement month: what it could know
        for x in lines:
            if x["rep_id"] == rep and x["deal_id"] in deals and deals[x["deal_id"]]["close_date"][:7] <= month:
                if x["kind"] == "installment":
                    due[x["period"]] += csv_cents(x["amount"])
                churned = re.search(r"churned (\d{4}-\d{2})", x["note"])
                if x["kind"] == "forfeit" and churned and churned.group(1) > month:  # not yet known as lost
                    due[x["period"]] += csv_cents(x["basis"])
        for r in (Table(text, "coming").rows or [[]])[0]:
            if not r["cells"] or r["cells"][0] > through or not r["cells"][0][:2] == "20":
                continue
            shown = 0 if r["cells"][1] == "—" else page_cents(r["cells"][1])
            assert shown == due[r["cells"][0]], (rep, month, r["cells"][0])
            checked += 1
    assert checked > 3


def test_a_plan_change_mid_year_is_visible(tmp_path):
    """ae1 moves from the new-business plan to the expansion plan on 2027-07-01: the months show the plan
    in force, the note names both, and D1's installments keep their original plan."""
    roster = tmp_path / "roster.csv"
    roster.write_text("rep_id,name,plan_id,start_date,end_date,quota\n"
                      "ae1,Dana Reyes,nb_ae_2027,2027-01-01,2027-06-30,\n"
                      "ae1,Dana Reyes,exp_ae_2027,2027-07-01,,\n"
                      "am1,Lee Park,exp_ae_2027,2027-04-01,,\ncs1,Kim Osei,csm_2027,2027-01-01,,\n")
    args = [a if a != str(LAND / "roster.csv") else str(roster) for a in
            ["--plans", str(LAND / "plans"), "--roster", str(LAND / "roster.csv"), "--deals", str(LAND / "deals.csv"),
             "--milestones", str(LAND / "milestones.csv")]]
    from click.testing import CliRunner

    from compcalc.cli import main
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", "--through", "2027-08", "--out", str(out), "--quiet", *args])
    assert result.exit_code == 0, result.output
    text = (out / "statements" / "ae1_2027-08.html").read_text(encoding="utf-8")
    assert Page(text).by_id["plan-change"] == ("Your plan changed this plan year: nb_ae_2027 → exp_ae_2027. "
                                               "Each month shows the plan in force.")
    rows = [r for r in Table(text, "history").rows[0] if "data-month" in r["attrs"]]
    assert [r["cells"][1] for r in rows] == ["nb_ae_2027"] * 6 + ["exp_ae_2027"] * 2
    assert "tcv commission · plan nb_ae_2027 (an earlier plan)" in " ".join(text.split())
    ws = load_workbook(out / "statements" / "ae1_2027-08.xlsx")["Statement"]
    head = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Month")
    assert [ws.cell(r, 2).value for r in range(head + 1, head + 9)] == ["nb_ae_2027"] * 6 + ["exp_ae_2027"] * 2


def test_coming_up_shows_the_draw_schedule(tmp_path):
    """ICM: ae2's recoverable draw of 4,000.00 runs 2 months from 2027-03; in March the April draw is coming,
    and April's carry in of -4,000.00 is the March draw top-up to repay."""
    out = tmp_path / "out"
    assert run_cli(ICM, out, "--statements", "all", "--quiet").exit_code == 0
    march = (out / "statements" / "ae2_2027-03.html").read_text(encoding="utf-8")
    coming = {r["cells"][0]: r["cells"][1:] for r in Table(march, "coming").rows[0] if r["cells"][0][:2] == "20"}
    assert coming["2027-04"][1] == "4,000.00"
    assert coming.get("2027-05", ["", "—"])[1] == "—"  # the draw's 2 months are March and April
    april = (out / "statements" / "ae2_2027-04.html").read_text(encoding="utf-8")
    text = " ".join(Page(april).by_id["carry-from-total"].split())
    assert text == "-4,000.00"
    assert ("The carry in of -4,000.00 built up over 2027-03: net earnings 0.00, less draw top-ups of 4,000.00 "
            "that later earnings repay.") in " ".join(re.sub(r"<[^>]+>", "", april).split())

"""Input validation (SPEC §2): every problem, with file, row, column and the exact reason, all at once."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from compcalc.cli import main
from compcalc.inputs import load_book
from compcalc.problems import InputError
from conftest import GOLDEN, case_files

PLANS = GOLDEN / "land_and_expand" / "plans"
ROSTER = "rep_id,name,plan_id,start_date,end_date,quota\n" \
         "ae1,Dana Reyes,nb_ae_2027,2027-01-01,,\n" \
         "am1,Lee Park,exp_ae_2027,2027-04-01,,\n" \
         "cs1,Kim Osei,csm_2027,2027-01-01,,\n"
DEALS = "deal_id,account_id,type,close_date,arr,owner_id,term_months,tcv,prior_arr\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path, roster=ROSTER, deals=DEALS, **extra) -> list[str]:
    files = {k: write(tmp_path, f"{k}.csv", v) for k, v in extra.items()}
    with pytest.raises(InputError) as err:
        load_book([PLANS], write(tmp_path, "roster.csv", roster), write(tmp_path, "deals.csv", deals), **files)
    return [str(p).replace(str(tmp_path) + "/", "") for p in err.value.problems]


def test_the_golden_inputs_load_with_typed_columns():
    book = load_book(**case_files(GOLDEN / "land_and_expand"))
    assert list(book.plans) == ["csm_2027", "exp_ae_2027", "nb_ae_2027"]
    d = book.deals.set_index("deal_id")
    assert d.loc["D2", "arr"] == 2400050  # cents
    assert d.loc["D5", "prior_arr"] == 4800000
    assert d.loc["D4", "term_months"] == 12  # defaulted
    assert str(d.loc["D1", "close_date"].date()) == "2027-01-15"
    assert book.roster["end_date"].isna().all()


def test_the_icm_golden_inputs_convert_currency_at_the_close_month_rate():
    book = load_book(**case_files(GOLDEN / "icm_essentials"))
    d2 = book.deals.set_index("deal_id").loc["D2"]
    assert d2["arr"] == 4400000  # 40,000 EUR × 1.10
    assert d2["fx_rate"] == "1.10"


def test_missing_required_column(tmp_path):
    assert problems(tmp_path, deals="deal_id,account_id,type,arr,owner_id\n") == \
        ["deals.csv: column close_date: missing required column"]


def test_unparseable_dates_and_amounts(tmp_path):
    deals = DEALS + "D1,A1,new,2027-02-30,12x,ae1,12,,\nD2,A2,new,15/01/2027,100,ae1,,,\n"
    assert problems(tmp_path, deals=deals) == [
        "deals.csv: row 1, column arr: '12x' is not an amount",
        "deals.csv: row 1, column close_date: '2027-02-30' is not a date (YYYY-MM-DD)",
        "deals.csv: row 2, column close_date: '15/01/2027' is not a date (YYYY-MM-DD)",
    ]


def test_more_than_two_decimals_and_negative_arr(tmp_path):
    deals = DEALS + "D1,A1,new,2027-01-15,100.005,ae1,12,,\nD2,A2,new,2027-01-15,-100,ae1,12,,\n"
    assert problems(tmp_path, deals=deals) == [
        "deals.csv: row 1, column arr: '100.005' has more than 2 decimals",
        "deals.csv: row 2, column arr: must not be negative (got -100)",
    ]


def test_unknown_type_and_duplicate_deal_id(tmp_path):
    deals = DEALS + "D1,A1,new,2027-01-15,100,ae1,12,,\nD1,A2,upsell,2027-01-15,100,ae1,12,,\n"
    assert problems(tmp_path, deals=deals) == [
        "deals.csv: row 2, column deal_id: duplicate deal_id 'D1' (also row 1)",
        "deals.csv: row 2, column type: 'upsell' is not one of new, expansion, renewal, contraction, churn",
    ]


def test_renewal_without_prior_arr_and_second_land(tmp_path):
    deals = DEALS + "D1,A1,new,2027-01-15,100,ae1,12,,\nD2,A1,new,2027-03-15,100,ae1,12,,\n" \
                    "D3,A1,renewal,2028-01-15,100,am1,12,,\n"
    assert problems(tmp_path, deals=deals) == [
        "deals.csv: row 2, column type: account 'A1' has a second new deal (its land is row 1)",
        "deals.csv: row 3, column prior_arr: required for a renewal",
    ]


def test_overlapping_roster_rows_of_one_rep(tmp_path):
    roster = ROSTER + "ae1,Dana Reyes,exp_ae_2027,2027-06-01,,\n"
    assert problems(tmp_path, roster=roster) == [
        "roster.csv: row 4, column start_date: the dates of rep 'ae1' overlap row 1 "
        "(2027-01-01 to open and 2027-06-01 to open)",
    ]


def test_a_promotion_with_adjacent_ranges_is_fine(tmp_path):
    roster = ROSTER.replace("ae1,Dana Reyes,nb_ae_2027,2027-01-01,,", "ae1,Dana Reyes,nb_ae_2027,2027-01-01,2027-05-31,") \
        + "ae1,Dana Reyes,exp_ae_2027,2027-06-01,,\n"
    book = load_book([PLANS], write(tmp_path, "roster.csv", roster), write(tmp_path, "deals.csv", DEALS))
    assert list(book.roster["plan_id"]) == ["nb_ae_2027", "exp_ae_2027", "csm_2027", "exp_ae_2027"]


def test_unknown_plan_id_and_unknown_owner(tmp_path):
    roster = ROSTER + "zz1,Someone,no_such_plan,2027-01-01,,\n"
    deals = DEALS + "D1,A1,new,2027-01-15,100,ae9,12,,\n"
    assert problems(tmp_path, roster=roster, deals=deals) == [
        "deals.csv: row 1, column owner_id: rep 'ae9' is not in the roster",
        "roster.csv: row 4, column plan_id: plan_id 'no_such_plan' is not defined by any plan file",
    ]


def test_end_before_start_and_bad_quota(tmp_path):
    roster = ROSTER + "zz1,Someone,nb_ae_2027,2027-05-01,2027-04-30,12.345\n"
    assert problems(tmp_path, roster=roster) == [
        "roster.csv: row 4, column end_date: end_date is before start_date",
        "roster.csv: row 4, column quota: '12.345' has more than 2 decimals",
    ]


def test_required_values_and_term(tmp_path):
    deals = DEALS + ",A1,new,2027-01-15,100,ae1,0,,\n"
    assert problems(tmp_path, deals=deals) == [
        "deals.csv: row 1, column deal_id: a value is required",
        "deals.csv: row 1, column term_months: must be at least 1",
    ]


def test_milestones_metrics_and_adjustments_name_unknown_reps_and_bad_periods(tmp_path):
    found = problems(
        tmp_path,
        milestones="account_id,milestone,achieved_date,csm_id\nA1,activated,2027-03-01,cs9\n",
        metrics="rep_id,period,metric,value\ncs1,2027-13,csat,4.5\ncs1,2027-03,csat,high\n",
        adjustments="rep_id,period,amount,reason\nae1,2027-05,-100.00,\n",
    )
    assert found == [
        "adjustments.csv: row 1, column reason: a value is required",
        "metrics.csv: row 1, column period: '2027-13' is not a period (YYYY-MM)",
        "metrics.csv: row 2, column value: 'high' is not a number",
        "milestones.csv: row 1, column csm_id: rep 'cs9' is not in the roster",
    ]


def test_splits_must_add_up_to_exactly_one_and_name_known_deals_and_reps(tmp_path):
    deals = DEALS + "D1,A1,new,2027-01-15,100,ae1,12,,\n"
    found = problems(tmp_path, deals=deals,
                     splits="deal_id,rep_id,share\nD1,ae1,0.5\nD1,am1,0.4\nD9,ae1,1\nD1,zz,0.1\n")
    assert found == [  # D1's shares (0.5 + 0.4 + 0.1) add up, so only the unknown deal and rep are reported
        "splits.csv: row 3, column deal_id: deal 'D9' is not in the deals file",
        "splits.csv: row 4, column rep_id: rep 'zz' is not in the roster",
    ]


def test_split_shares_not_adding_up(tmp_path):
    deals = DEALS + "D1,A1,new,2027-01-15,100,ae1,12,,\n"
    assert problems(tmp_path, deals=deals, splits="deal_id,rep_id,share\nD1,ae1,0.5\nD1,am1,0.4\n") == [
        "splits.csv: row 1, column share: the shares of deal 'D1' add up to 0.9, not exactly 1",
    ]


def test_a_foreign_currency_without_a_rate_is_an_error(tmp_path):
    deals = "deal_id,account_id,type,close_date,arr,owner_id,currency\nD1,A1,new,2027-04-05,100,ae1,EUR\n"
    assert problems(tmp_path, deals=deals, fx_rates="currency,period,rate\nEUR,2027-03,1.1\n") == [
        "deals.csv: row 1, column currency: no EUR rate for 2027-04 in fx_rates.csv",
    ]


def test_every_problem_of_every_file_is_reported_at_once(tmp_path):
    roster = ROSTER + "zz1,Someone,no_such_plan,2027-01-01,,\n"
    deals = DEALS + "D1,A1,new,2027-01-15,100.001,ae1,12,,\n"
    assert len(problems(tmp_path, roster=roster, deals=deals)) == 2


def test_missing_file_and_empty_file(tmp_path):
    with pytest.raises(InputError) as err:
        load_book([PLANS], tmp_path / "nope.csv", write(tmp_path, "deals.csv", ""))
    assert [p.message for p in err.value.problems] == ["the file is empty (a header row is needed)", "no such file"]


def test_column_names_are_case_insensitive_and_extra_columns_ignored(tmp_path):
    deals = "Deal_ID,ACCOUNT_ID,Type,Close_Date,ARR,Owner_Id,Notes\nD1,A1,new,2027-01-15,100,ae1,hello\n"
    book = load_book([PLANS], write(tmp_path, "roster.csv", ROSTER), write(tmp_path, "deals.csv", deals))
    assert book.deals["arr"].tolist() == [10000]


def test_unknown_columns_may_repeat_or_be_unnamed(tmp_path):
    # An Excel export's trailing ",," and a repeated notes column are extra columns, ignored.
    deals = "deal_id,account_id,type,close_date,arr,owner_id,note,note,,\nD1,A1,new,2027-01-15,100,ae1,a,b,,\n"
    book = load_book([PLANS], write(tmp_path, "roster.csv", ROSTER), write(tmp_path, "deals.csv", deals))
    assert book.deals["deal_id"].tolist() == ["D1"]
    assert book.deals["arr"].tolist() == [10000]


def test_a_known_column_given_twice_is_an_error(tmp_path):
    deals = "deal_id,account_id,type,close_date,arr,ARR,owner_id\nD1,A1,new,2027-01-15,100,200,ae1\n"
    assert problems(tmp_path, deals=deals) == ["deals.csv: column arr: the column appears twice in the header"]


def test_quoted_line_breaks_long_fields_and_a_header_without_a_line_break_are_read(tmp_path):
    head = "deal_id,account_id,type,close_date,arr,owner_id,note"
    rows = "".join(f'D{i},A{i},new,2027-01-15,100,ae1,"line one\nline two"\n' for i in range(60_000))
    book = load_book([PLANS], write(tmp_path, "roster.csv", ROSTER), write(tmp_path, "deals.csv", head + "\n" + rows))
    assert len(book.deals) == 60_000
    book = load_book([PLANS], write(tmp_path, "roster.csv", ROSTER), write(tmp_path, "deals.csv", head))
    assert len(book.deals) == 0
    long_note = "x" * 200_000
    deals = f"{head}\nD1,A1,new,2027-01-15,100,ae1,{long_note}\nD2,A2,new,2027-01-15,100\n"
    assert problems(tmp_path, deals=deals) == ["deals.csv: row 2: the row has 5 fields but the header has 7"]


def test_rows_with_the_wrong_number_of_fields_are_reported_with_the_other_problems(tmp_path):
    deals = (DEALS + "D1,A1,new,2027-01-15,100,ae1\n"  # trailing fields left off
             "\n"  # a blank line is skipped and not counted
             "D2,A2,new,2027-01-15,100,ae1,12,,,extra\n"
             "D3,A3,new,2027-01-15,1.001,ae1,12,,\n"
             "   \n")
    assert problems(tmp_path, deals=deals) == [
        "deals.csv: row 1: the row has 6 fields but the header has 9",
        "deals.csv: row 2: the row has 10 fields but the header has 9",
        "deals.csv: row 3, column arr: '1.001' has more than 2 decimals",
    ]


def test_a_zero_roster_quota_is_an_error_where_it_overrides_a_quota(tmp_path):
    # exp_ae_2027 has a quota_attainment: 0 would divide by zero; on nb_ae_2027 a quota is inert
    roster = ROSTER + "am2,Ana Ruiz,exp_ae_2027,2027-01-01,,0\nae2,Bo Li,nb_ae_2027,2027-01-01,,0\n"
    assert problems(tmp_path, roster=roster) == [
        "roster.csv: row 4, column quota: quota must be more than 0 (leave it empty to use the plan's quota)"]


def test_split_shares_beyond_ten_decimals_or_not_numbers_are_reported_once(tmp_path):
    deals = DEALS + "D1,A1,new,2027-01-15,100,ae1,12,,\nD2,A2,new,2027-01-15,100,ae1,12,,\n" \
        "D3,A3,new,2027-01-15,100,ae1,12,,\n"
    found = problems(tmp_path, deals=deals, splits="deal_id,rep_id,share\n"
                     "D1,ae1,0.333333333333333333333\nD1,cs1,0.666666666666666666667\n"
                     "D2,ae1,1/2\nD2,cs1,0.5\n"
                     "D3,ae1,0.500000000000000\nD3,cs1,0.5\n")  # Excel's trailing zeros are fine
    assert found == [
        "splits.csv: row 1, column share: '0.333333333333333333333' has more than 10 decimals",
        "splits.csv: row 2, column share: '0.666666666666666666667' has more than 10 decimals",
        "splits.csv: row 3, column share: '1/2' is not a number",
    ]


def test_conflicting_fx_rates_are_an_error_and_currency_codes_ignore_case(tmp_path):
    deals = "deal_id,account_id,type,close_date,arr,owner_id,currency\nD1,A1,new,2027-03-05,100,ae1,eur\n"
    assert problems(tmp_path, deals=deals, fx_rates="currency,period,rate\nEUR,2027-03,1.1\nEUR,2027-03,1.2\n"
                    "eur,2027-03,1.1\n") == [
        "fx_rates.csv: row 2, column rate: a second, different EUR rate for 2027-03 (row 1 has 1.1)"]
    rates = write(tmp_path, "fx.csv", "currency,period,rate\neur,2027-03,1.1\n")
    book = load_book([PLANS], write(tmp_path, "roster.csv", ROSTER), write(tmp_path, "deals.csv", deals),
                     fx_rates=rates)
    assert book.deals["arr"].tolist() == [11000]


def test_a_deal_in_its_owners_plan_currency_is_not_converted_when_plans_differ(tmp_path):
    plans = tmp_path / "plans"
    shutil.copytree(PLANS, plans)
    nb = plans / "nb_ae_2027.yaml"
    nb.write_text(nb.read_text().replace("currency: USD", "currency: EUR"))
    assert "currency: EUR" in nb.read_text()
    deals = "deal_id,account_id,type,close_date,arr,owner_id,currency\n" \
            "D1,A1,new,2027-03-05,100,ae1,EUR\nD2,A2,expansion,2027-04-05,100,am1,EUR\n"
    book = load_book([plans], write(tmp_path, "roster.csv", ROSTER), write(tmp_path, "deals.csv", deals),
                     fx_rates=write(tmp_path, "fx.csv", "currency,period,rate\nEUR,2027-04,1.1\n"))
    # D1 is ae1's, on the EUR plan: no rate needed; D2 is am1's, on a USD plan: converted
    assert book.deals["arr"].tolist() == [10000, 11000]


def test_cli_validate_prints_ok_or_every_problem_with_exit_2(tmp_path):
    case = GOLDEN / "land_and_expand"
    ok = CliRunner().invoke(main, ["validate", "--plans", str(case / "plans"), "--roster", str(case / "roster.csv"),
                                   "--deals", str(case / "deals.csv")])
    assert ok.exit_code == 0
    assert ok.output == "ok: 3 plans, 3 assignments, 6 deals\n"
    deals = write(tmp_path, "deals.csv", DEALS + "D1,A1,new,2027-01-15,abc,ae1,12,,\n")
    bad = CliRunner().invoke(main, ["validate", "--plans", str(PLANS), "--roster", str(case / "roster.csv"),
                                    "--deals", str(deals)])
    assert bad.exit_code == 2
    assert "1 problem found in the input; nothing was written:" in bad.output
    assert "row 1, column arr: 'abc' is not an amount" in bad.output
    assert "Traceback" not in bad.output


def test_cli_run_writes_nothing_on_bad_input(tmp_path):
    deals = write(tmp_path, "deals.csv", DEALS + "D1,A1,new,2027-01-15,abc,ae1,12,,\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", "--plans", str(PLANS), "--roster", str(GOLDEN / "land_and_expand" / "roster.csv"),
                                       "--deals", str(deals), "--through", "2027-06", "--out", str(out)])
    assert result.exit_code == 2
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [deals]


# -- the exact money parser ---------------------------------------------------------------------
import re  # noqa: E402
from decimal import Decimal  # noqa: E402

import pyarrow as pa  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from compcalc.inputs import parse_money  # noqa: E402

MONEY_SHAPE = re.compile(r"-?\d{1,12}(\.\d{1,2})?")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.decimals(min_value=Decimal("-999999999999.99"), max_value=Decimal("999999999999.99"), places=2, allow_nan=False), min_size=1, max_size=30))
def test_money_parser_is_exact_for_every_two_decimal_amount(values):
    cents, bad, too_many = parse_money(pa.array([str(v) for v in values]))
    assert not bad.any() and not too_many.any()
    assert cents.tolist() == [int(v * 100) for v in values]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="0123456789.-+e ,x", max_size=12), min_size=1, max_size=30))
def test_money_parser_accepts_exactly_the_documented_shape(texts):
    cents, bad, too_many = parse_money(pa.array(texts))
    for t, c, b, many in zip(texts, cents, bad, too_many):
        good = bool(MONEY_SHAPE.fullmatch(t))
        assert many == bool(re.fullmatch(r"-?\d{1,15}\.\d{3,}", t)), t
        assert b == (not good and not many and t != ""), t
        if good:
            assert c == int(Decimal(t) * 100)


def test_plan_problems_are_reported_with_input_problems(tmp_path):
    plans = tmp_path / "plans"
    shutil.copytree(PLANS, plans)
    text = (plans / "nb_ae_2027.yaml").read_text().replace("role: new_business_ae", "role: hunter")
    (plans / "nb_ae_2027.yaml").write_text(text)
    deals = write(tmp_path, "deals.csv", DEALS + "D1,A1,new,2027-01-15,1.001,ae1,12,,\n")
    with pytest.raises(InputError) as err:
        load_book([plans], write(tmp_path, "roster.csv", ROSTER), deals)
    found = [str(p).replace(str(tmp_path) + "/", "") for p in err.value.problems]
    assert found == [
        "deals.csv: row 1, column arr: '1.001' has more than 2 decimals",
        "plans/nb_ae_2027.yaml:3 role: must be one of 'new_business_ae', 'expansion_ae', 'account_manager', "
        "'csm' or 'other' (got 'hunter')",
        "roster.csv: row 1, column plan_id: plan_id 'nb_ae_2027' is not defined by any plan file",
    ]


def test_dates_a_run_cannot_hold_are_errors_but_an_hr_end_date_of_9999_means_open(tmp_path):
    roster = ROSTER.replace("ae1,Dana Reyes,nb_ae_2027,2027-01-01,,", "ae1,Dana Reyes,nb_ae_2027,2027-01-01,9999-12-31,") \
        + "zz1,Old Timer,nb_ae_2027,1600-01-01,1600-12-31,\n"
    deals = DEALS + "D1,A1,new,3000-01-15,100,ae1,12,,\n"
    assert problems(tmp_path, roster=roster, deals=deals) == [
        "deals.csv: row 1, column close_date: '3000-01-15' is after 2199",
        "roster.csv: row 4, column end_date: '1600-12-31' is before 1900",
        "roster.csv: row 4, column start_date: '1600-01-01' is before 1900",
    ]
    book = load_book([PLANS], write(tmp_path, "roster.csv", roster.splitlines(keepends=True)[0] + roster.splitlines(keepends=True)[1]),
                     write(tmp_path, "deals.csv", DEALS))
    assert book.roster["end_date"].isna().all()


def test_amounts_and_rates_too_large_to_compute_with_are_errors(tmp_path):
    deals = DEALS + "D1,A1,new,2027-01-15,1000000000000,ae1,12,,\nD2,A2,new,2027-01-15,999999999999.99,ae1,12,,\n"
    found = problems(tmp_path, deals=deals, fx_rates="currency,period,rate\nEUR,2027-01,99999999999999999999999\n")
    assert found == [
        "deals.csv: row 1, column arr: '1000000000000' is too large (at most 999999999999.99)",
        "fx_rates.csv: row 1, column rate: '99999999999999999999999' is more than 1,000,000",
    ]

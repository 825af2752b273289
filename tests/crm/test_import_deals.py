"""`compcalc import deals` (issue 17): each mapping feature, with exact reports and messages."""
from __future__ import annotations

import json

import pytest

from crm_cases import MAPPING, ROSTER, Case

HEADER = "Opportunity ID,Account Number,Type,Close Date,Amount,Opportunity Owner,Contract Term (Months),Stage\n"


@pytest.fixture
def case(tmp_path):
    return Case(tmp_path)


def test_a_lost_deal_is_dropped_and_reported(case):
    code, out, err, written = case.run(HEADER +
        "006A,ACC-1,New Business,03/15/2026,\"$24,000.00\",Dana Reyes,24,Closed Won\n"
        "006B,ACC-2,New Business,03/20/2026,\"31,000.00\",Dana Reyes,12,Closed Lost\n")
    assert (code, err) == (0, "")
    assert out == (
        "export.csv (utf-8, ','-delimited) with mapping.yaml:\n"
        "  2 rows: 1 written to deals.csv (1 kept, 0 converted), 1 dropped\n"
        "Values mapped:\n"
        "  type: 'New Business' → new (1 row)\n"
        "  owner_id: 'Dana Reyes' → ae01 by name (1 row)\n"
        "Rows dropped:\n"
        "  row 2 (006B): stage 'Closed Lost' is not closed-won\n")
    assert written == ("deal_id,account_id,type,close_date,arr,owner_id,term_months\n"
                       "006A,ACC-1,new,2026-03-15,24000.00,ae01,24\n")


def test_an_unknown_owner_email_is_an_error_and_nothing_is_written(case):
    code, out, err, written = case.run(HEADER +
        "006A,ACC-1,New Business,03/15/2026,24000,dana.reyes@northwind.example,12,Closed Won\n"
        "006B,ACC-2,New Business,03/16/2026,24000,DANA.REYES@northwind.example,12,Closed Won\n"
        "006C,ACC-3,New Business,03/17/2026,24000,d.reyes@northwind.example,12,Closed Won\n"
        "006D,ACC-4,New Business,03/18/2026,24000,Dana Reys,12,Closed Won\n")
    assert code == 2 and written is None and out == ""
    assert err == ("2 problems found in the input; nothing was written:\n"
                   "  export.csv: row 3, column owner_id: 'd.reyes@northwind.example' matches no roster email\n"
                   "  export.csv: row 4, column owner_id: 'Dana Reys' matches no roster name\n")


def test_owners_by_email_and_rep_id_resolve(case):
    report = case.report(HEADER +
        "006A,ACC-1,New Business,03/15/2026,24000,Lee.Park@northwind.example,12,Closed Won\n"
        "006B,ACC-2,New Business,03/16/2026,24000,xa01,12,Closed Won\n"
        "006C,ACC-3,New Business,03/17/2026,24000,  tomás  ALVAREZ ,12,Closed Won\n")
    assert report["conversions"][1:] == [
        {"column": "owner_id", "from": "Lee.Park@northwind.example", "to": "xa01", "rows": 1, "by": "email"},
        {"column": "owner_id", "from": "tomás  ALVAREZ", "to": "ae02", "rows": 1, "by": "name"}]


def test_a_name_two_reps_share_is_ambiguous(case):
    roster = ROSTER + "xa02,Lee Park,exp_ae,2025-01-01,,lee.park2@northwind.example\n"
    code, _, err, _ = case.run(HEADER + "006A,ACC-1,New Business,03/15/2026,24000,Lee Park,12,Closed Won\n",
                               roster=roster)
    assert code == 2
    assert err.splitlines()[1] == ("  export.csv: row 1, column owner_id: 'Lee Park' is the name of several reps "
                                   "(xa01, xa02): ambiguous")


def test_a_type_value_the_mapping_does_not_know_is_an_error(case):
    code, _, err, written = case.run(HEADER +
        "006A,ACC-1,Partner Resale,03/15/2026,24000,Dana Reyes,12,Closed Won\n"
        "006B,ACC-1,expansion,03/16/2026,2000,Dana Reyes,12,Closed Won\n"
        "006C,ACC-2,Partner Resale,03/15/2026,24000,Dana Reyes,12,Closed Lost\n")
    assert code == 2 and written is None
    assert err == ("1 problem found in the input; nothing was written:\n"
                   "  export.csv: row 1, column type: 'Partner Resale' is not in the mapping's values.type "
                   "('New Business', 'Existing Business', 'Renewal', 'Churn')\n")  # a lost row is not checked


def test_a_renewal_without_prior_arr_gets_the_accounts_arr_and_is_reported_as_derived(case):
    report = case.report(HEADER +
        "006A,ACC-1,New Business,01/10/2025,\"40,000.00\",Dana Reyes,12,Closed Won\n"
        "006B,ACC-1,Existing Business,06/01/2025,\"5,000.00\",Lee Park,12,Closed Won\n"
        "006C,ACC-1,Existing Business,09/01/2025,\"9,000.00\",Lee Park,12,Closed Lost\n"
        "006D,ACC-1,Renewal,01/10/2026,\"48,000.00\",Lee Park,12,Closed Won\n"
        "006E,ACC-1,Existing Business,01/10/2026,\"1,000.00\",Lee Park,12,Closed Won\n"
        "006F,ACC-1,Renewal,01/10/2027,\"50,000.00\",Lee Park,12,Closed Won\n")
    assert [r for r in report["rows"] if r["outcome"] != "kept"] == [
        {"row": 3, "id": "006C", "outcome": "dropped", "reasons": ["stage 'Closed Lost' is not closed-won"]},
        {"row": 4, "id": "006D", "outcome": "converted",
         "reasons": ["prior_arr 45000.00 derived: the ARR of account ACC-1 before 2026-01-10"]},
        {"row": 6, "id": "006F", "outcome": "converted",
         "reasons": ["prior_arr 49000.00 derived: the ARR of account ACC-1 before 2027-01-10"]}]
    assert (case.folder / "deals.csv").read_text().splitlines()[1:] == [
        "006A,ACC-1,new,2025-01-10,40000.00,ae01,12,",
        "006B,ACC-1,expansion,2025-06-01,5000.00,xa01,12,",
        "006D,ACC-1,renewal,2026-01-10,48000.00,xa01,12,45000.00",
        "006E,ACC-1,expansion,2026-01-10,1000.00,xa01,12,",
        "006F,ACC-1,renewal,2027-01-10,50000.00,xa01,12,49000.00"]


def test_a_renewal_with_no_known_arr_before_it_is_an_error(case):
    code, _, err, _ = case.run(HEADER + "006A,ACC-9,Renewal,01/10/2026,48000,Lee Park,12,Closed Won\n")
    assert code == 2
    assert err.splitlines()[1] == (
        "  export.csv: row 1, column prior_arr: prior_arr cannot be derived: account 'ACC-9' has no land (or "
        "renewal with a prior ARR) before 2026-01-10 in the export (export its earlier deals and import with "
        "--since, or map a prior ARR column)")


def test_since_reads_older_rows_for_arr_but_does_not_write_them(case):
    code, out, err, written = case.run(HEADER +
        "006A,ACC-9,New Business,01/10/2023,\"30,000.00\",Alex Moreau,24,Closed Won\n"
        "006B,ACC-9,Renewal,01/10/2025,\"33,000.00\",Lee Park,12,Closed Won\n", MAPPING, "--since", "2025-01-01")
    assert (code, err) == (0, "")
    assert out.splitlines()[1] == ("  2 rows: 1 written to deals.csv (0 kept, 1 converted), 0 dropped, 1 history "
                                   "(before 2025-01-01: account ARR only)")
    assert written.splitlines()[1] == "006B,ACC-9,renewal,2025-01-10,33000.00,xa01,12,30000.00"


def test_a_given_prior_arr_is_kept(case):
    mapping = MAPPING.replace("  stage: Stage\n", "  stage: Stage\n  prior_arr: Prior ARR\n")
    report = case.report(HEADER.replace("\n", ",Prior ARR\n") +
                         "006B,ACC-9,Renewal,01/10/2025,33000,Lee Park,12,Closed Won,\"31,000.00\"\n", mapping)
    assert report["counts"] == {"rows": 1, "written": 1, "kept": 1, "converted": 0, "dropped": 0, "history": 0,
                                "footer_lines": 0}
    assert (case.folder / "deals.csv").read_text().splitlines()[1] == \
        "006B,ACC-9,renewal,2025-01-10,33000.00,xa01,12,31000.00"


@pytest.mark.parametrize("formats, text, iso", [
    ("[MM/DD/YYYY]", "03/15/2026", "2026-03-15"),
    ("[MM/DD/YYYY]", "3/5/2026", "2026-03-05"),
    ("[M/D/YYYY]", "3/15/2026, 9:14 AM", "2026-03-15"),
    ("[DD.MM.YYYY]", "15.03.2026", "2026-03-15"),
    ("[DD/MM/YYYY]", "15/03/2026", "2026-03-15"),
    ("[YYYY-MM-DD]", "2026-03-15 14:30", "2026-03-15"),
    ("[YYYY-MM-DD]", "2026-03-15T14:30:00Z", "2026-03-15"),
    ("[DD.MM.YYYY, YYYY-MM-DD]", "2026-03-15", "2026-03-15"),
])
def test_date_formats(case, formats, text, iso):
    mapping = MAPPING.replace("dates: [MM/DD/YYYY]", f"dates: {formats}")
    case.report(HEADER + f"006A,ACC-1,New Business,\"{text}\",24000,Dana Reyes,12,Closed Won\n", mapping)
    assert (case.folder / "deals.csv").read_text().splitlines()[1].split(",")[3] == iso


def test_a_date_not_in_the_format_or_not_a_day_is_an_error(case):
    code, _, err, _ = case.run(HEADER +
        "006A,ACC-1,New Business,15.03.2026,24000,Dana Reyes,12,Closed Won\n"
        "006B,ACC-2,New Business,02/30/2026,24000,Dana Reyes,12,Closed Won\n")
    assert code == 2
    assert err.splitlines()[1:] == [
        "  export.csv: row 1, column close_date: '15.03.2026' is not a date in the mapping's format (MM/DD/YYYY)",
        "  export.csv: row 2, column close_date: '02/30/2026' is not a date in the mapping's format (MM/DD/YYYY)"]


@pytest.mark.parametrize("fmt, text, cents", [
    ("1,234.56", "$24,000.00", "24000.00"),
    ("1,234.56", "USD 24,000.5", "24000.50"),
    ("1,234.56", "24000", "24000.00"),
    ("1,234.56", "24,000.000", "24000.00"),
    ("1.234,56", "24.000,00", "24000.00"),
    ("1.234,56", "24.000,00 €", "24000.00"),
    ("1 234,56", "24 000,00", "24000.00"),
    ("1 234,56", "24\u00a0000,00", "24000.00"),
    ("1'234.56", "24'000.00", "24000.00"),
    ("1234.56", "24000.25", "24000.25"),
])
def test_amount_formats(case, fmt, text, cents):
    mapping = MAPPING.replace('amounts: "1,234.56"', f'amounts: "{fmt}"')
    case.report(HEADER + f"006A,ACC-1,New Business,03/15/2026,\"{text}\",Dana Reyes,12,Closed Won\n", mapping)
    assert (case.folder / "deals.csv").read_text().splitlines()[1].split(",")[4] == cents


def test_amounts_in_another_format_or_negative_are_errors_but_arr_lost_loses_its_sign(case):
    code, _, err, _ = case.run(HEADER +
        "006A,ACC-1,New Business,03/15/2026,\"24.000,00\",Dana Reyes,12,Closed Won\n"
        "006B,ACC-1,Existing Business,03/16/2026,\"-2,000.00\",Dana Reyes,12,Closed Won\n"
        "006C,ACC-1,New Business,03/17/2026,\"24,000.125\",Dana Reyes,12,Closed Won\n")
    assert code == 2
    assert err.splitlines()[1:] == [
        "  export.csv: row 1, column arr: '24.000,00' is not an amount written as 1,234.56",
        "  export.csv: row 2, column arr: must not be negative (got -2,000.00)",
        "  export.csv: row 3, column arr: '24,000.125' has more than 2 decimals"]
    report = case.report(HEADER +
        "006A,ACC-1,New Business,03/15/2026,\"24,000.00\",Dana Reyes,12,Closed Won\n"
        "006B,ACC-1,Churn,03/16/2027,\"(24,000.00)\",Dana Reyes,,Closed Won\n")
    assert report["rows"][1] == {"row": 2, "id": "006B", "outcome": "converted",
                                 "reasons": ["arr (24,000.00) is ARR lost: written without its sign"]}


def test_windows_1252_semicolons_and_a_report_footer(case):
    mapping = MAPPING.replace('amounts: "1,234.56"', 'amounts: "1.234,56"').replace(
        "dates: [MM/DD/YYYY]", "dates: [DD.MM.YYYY]")
    export = (HEADER.replace(",", ";") +
              '"006A";"ACC-1";"New Business";"15.03.2026";"24.000,00 €";"Tomás Alvarez";"12";"Closed Won"\r\n'
              '\r\n""\r\n"Confidential Information - Do Not Distribute"\r\n'
              '"Generated By:  Priya Natarajan  1/4/2027 9:14 AM"\r\n')
    code, out, err, written = case.run(export, mapping, encoding="windows-1252")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "export.csv (windows-1252, ';'-delimited, 3 footer lines skipped) with mapping.yaml:"
    assert written.splitlines()[1] == "006A,ACC-1,new,2026-03-15,24000.00,ae02,12"
    declared = mapping + "encoding: utf-8\n"
    code, _, err, _ = case.run(export, declared, encoding="windows-1252")
    assert (code, err.splitlines()[1]) == (2, "  export.csv: not utf-8 text (set encoding: in the mapping, "
                                              "e.g. windows-1252)")


def test_a_row_with_missing_fields_that_is_not_footer_is_an_error(case):
    code, _, err, _ = case.run(HEADER + "006A,ACC-1,New Business,03/15/2026,24000,Dana Reyes,12,Closed Won\n"
                               "006B,ACC-2\n"
                               "006C,ACC-3,New Business,03/15/2026,24000,Dana Reyes,12,Closed Won\n")
    assert code == 2
    assert err.splitlines()[1] == "  export.csv: row 2: the row has 2 fields but the header has 8"


def test_a_default_term_fills_empty_terms_of_new_expansion_and_renewal_only(case):
    mapping = MAPPING + "defaults: {term_months: 12, currency: EUR}\n"
    report = case.report(HEADER +
        "006A,ACC-1,New Business,03/15/2026,24000,Dana Reyes,,Closed Won\n"
        "006B,ACC-1,Churn,03/16/2027,24000,Dana Reyes,,Closed Won\n"
        "006C,ACC-2,New Business,03/15/2026,24000,Dana Reyes,36,Closed Won\n", mapping)
    assert [(r["outcome"], r.get("reasons")) for r in report["rows"]] == [
        ("converted", ["term_months 12 (the mapping's default)"]), ("kept", None), ("kept", None)]
    assert (case.folder / "deals.csv").read_text().splitlines() == [
        "deal_id,account_id,type,close_date,arr,owner_id,term_months,currency",
        "006A,ACC-1,new,2026-03-15,24000.00,ae01,12,EUR",
        "006B,ACC-1,churn,2027-03-16,24000.00,ae01,,EUR",
        "006C,ACC-2,new,2026-03-15,24000.00,ae01,36,EUR"]


def test_ids_must_be_given_and_unique(case):
    code, _, err, _ = case.run(HEADER +
        "006A,ACC-1,New Business,03/15/2026,24000,Dana Reyes,12,Closed Won\n"
        ",ACC-2,New Business,03/15/2026,24000,Dana Reyes,12,Closed Won\n"
        "006A,,New Business,03/15/2026,24000,Dana Reyes,12,Closed Won\n")
    assert code == 2
    assert err.splitlines()[1:] == [
        "  export.csv: row 2, column deal_id: a value is required",
        "  export.csv: row 3, column account_id: a value is required",
        "  export.csv: row 3, column deal_id: duplicate deal_id '006A' (also row 1)"]


def test_a_column_the_mapping_names_is_missing_from_the_export(case):
    code, _, err, _ = case.run(HEADER.replace("Opportunity Owner", "Owner"))
    assert code == 2
    assert err == ("1 problem found in the input; nothing was written:\n"
                   "  export.csv: column owner_id: no column 'Opportunity Owner' (mapped to owner_id) in the header\n")


def test_failure_leaves_an_existing_out_file_untouched(case):
    out = case.write("deals.csv", "previous\n")
    code, *_ = case.run(HEADER + "006A,ACC-1,Partner,03/15/2026,24000,Dana Reyes,12,Closed Won\n")
    assert code == 2 and out.read_text() == "previous\n"
    assert [p.name for p in case.folder.iterdir() if p.name.startswith(".deals")] == []


def test_json_problems_with_format_json(case):
    code, out, _, _ = case.run(HEADER + "006A,ACC-1,Partner,03/15/2026,24000,Dana Reyes,12,Closed Won\n",
                               MAPPING, "--format", "json")
    assert code == 2
    assert json.loads(out) == [{"file": "export.csv", "row": 1, "column": "type",
                                "message": "'Partner' is not in the mapping's values.type ('New Business', "
                                           "'Existing Business', 'Renewal', 'Churn')"}]


def test_owner_names_need_a_roster(case):
    code, _, err, _ = case.run(HEADER, roster=None)
    assert (code, err.splitlines()[1]) == (2, "  --roster: needed to resolve owner_id from names or emails (or set "
                                              "owners: rep_id in the mapping)")


def test_without_a_value_map_a_type_must_already_be_canonical(case):
    mapping = MAPPING.replace("values:\n  type: {New Business: new, Existing Business: expansion, Renewal: renewal, "
                              "Churn: churn}\n", "")
    code, _, err, _ = case.run(HEADER + "006A,ACC-1,New Business,03/15/2026,24000,Dana Reyes,12,Closed Won\n"
                               "006B,ACC-2,NEW,03/15/2026,24000,Dana Reyes,12,Closed Won\n", mapping)
    assert code == 2
    assert err.splitlines()[1:] == [
        "  export.csv: row 1, column type: 'New Business' is not one of new, expansion, renewal, contraction, churn "
        "(map it in the mapping's values.type)"]


def test_an_export_with_a_stage_column_the_mapping_ignores_is_refused(case):
    mapping = MAPPING.replace("  stage: Stage\n", "").replace("closed_won: [Closed Won]\n", "")
    code, _, err, written = case.run(HEADER + "006A,ACC-1,New Business,03/15/2026,24000,Dana Reyes,12,Closed Lost\n",
                                     mapping)
    assert (code, written) == (2, None)
    assert err.splitlines()[1] == ("  export.csv: column Stage: the export has a 'Stage' column but the mapping maps "
                                   "no stage: map it (columns: stage: …) so deals that are not won are dropped")


def test_the_json_report_whole(case):
    report = case.report(HEADER +
        "006A,ACC-1,New Business,03/15/2026,24000,Dana Reyes,,Closed Won\n"
        "006B,ACC-2,New Business,03/20/2026,31000,Dana Reyes,12,Closed Lost\n",
        MAPPING + "defaults: {term_months: 12}\n")
    assert report == {
        "export": "export.csv", "mapping": "mapping.yaml", "out": "deals.csv", "table": "deals",
        "encoding": "utf-8", "delimiter": ",", "since": None, "absent_columns": [],
        "counts": {"rows": 2, "written": 1, "kept": 0, "converted": 1, "dropped": 1, "history": 0,
                   "footer_lines": 0},
        "conversions": [{"column": "type", "from": "New Business", "to": "new", "rows": 1, "by": "values"},
                        {"column": "owner_id", "from": "Dana Reyes", "to": "ae01", "rows": 1, "by": "name"}],
        "rows": [{"row": 1, "id": "006A", "outcome": "converted", "reasons": ["term_months 12 (the mapping's default)"]},
                 {"row": 2, "id": "006B", "outcome": "dropped", "reasons": ["stage 'Closed Lost' is not closed-won"]}]}


@pytest.mark.parametrize("declared, sep", [("tab", "\t"), ("'|'", "|"), ("auto", "\t"), ("auto", "|")])
def test_tab_and_pipe_delimiters(case, declared, sep):
    code, out, err, written = case.run(
        (HEADER + "006A,ACC-1,New Business,03/15/2026,24000,Dana Reyes,12,Closed Won\n").replace(",", sep),
        MAPPING + f"delimiter: {declared}\n")
    assert (code, err) == (0, "")
    assert written.splitlines()[1] == "006A,ACC-1,new,2026-03-15,24000.00,ae01,12"

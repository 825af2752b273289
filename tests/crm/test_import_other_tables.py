"""`compcalc import milestones` and `compcalc import roster`, and the bundled mappings on the usual
variations of the two CRMs' exports."""
from __future__ import annotations

import pytest

from crm_cases import ROSTER, Case


@pytest.fixture
def case(tmp_path):
    return Case(tmp_path)


MILESTONES = """\
table: milestones
columns:
  account_id: Account Number
  milestone: Milestone
  achieved_date: Date Achieved
  csm_id: CSM
values:
  milestone: {Onboarding Complete: activated}
dates: [DD.MM.YYYY]
"""


def test_milestones_from_a_cs_platform_with_csms_by_email_or_name(case):
    code, out, err, written = case.run(
        "Account Number;Milestone;Date Achieved;CSM\n"
        "ACC-1;Onboarding Complete;15.03.2025;LEE.PARK@northwind.example\n"
        "ACC-2;Kickoff;28.02.2025;Dana Reyes\n", MILESTONES, table="milestones")
    assert (code, err) == (0, "")
    assert out == ("export.csv (utf-8, ';'-delimited) with mapping.yaml:\n"
                   "  2 rows: 2 written to milestones.csv (2 kept, 0 converted), 0 dropped\n"
                   "Values mapped:\n"
                   "  milestone: 'Onboarding Complete' → activated (1 row)\n"
                   "  csm_id: 'Dana Reyes' → ae01 by name (1 row), 'LEE.PARK@northwind.example' → xa01 by email "
                   "(1 row)\n")
    assert written == ("account_id,milestone,achieved_date,csm_id\n"
                       "ACC-1,activated,2025-03-15,xa01\n"
                       "ACC-2,Kickoff,2025-02-28,ae01\n")


def test_a_milestone_export_with_an_unknown_csm_and_a_bad_date(case):
    code, _, err, written = case.run(
        "Account Number;Milestone;Date Achieved;CSM\n"
        "ACC-1;Onboarding Complete;31.02.2025;Nobody\n", MILESTONES, table="milestones")
    assert code == 2 and written is None
    assert err.splitlines()[1:] == [
        "  export.csv: row 1, column achieved_date: '31.02.2025' is not a date in the mapping's format (DD.MM.YYYY)",
        "  export.csv: row 1, column csm_id: 'Nobody' matches no roster name"]


def test_a_roster_from_an_hris_export(case):
    mapping = """\
table: roster
columns:
  rep_id: Employee ID
  name: [Full Name, Name]
  email: Work Email
  plan_id: Comp Plan
  start_date: Start Date
  end_date: End Date
  quota: Annual Quota
values:
  plan_id: {New Business AE 2025: nb_ae, Expansion AE 2025: exp_ae}
dates: [MM/DD/YYYY]
"""
    code, out, err, written = case.run(
        "Employee ID,Full Name,Work Email,Comp Plan,Start Date,End Date,Annual Quota\n"
        'ae01,Dana Reyes,dana@x.example,New Business AE 2025,01/01/2025,,"$1,200,000.00"\n'
        "xa01,Lee Park,lee@x.example,Expansion AE 2025,1/1/2025,12/31/2025,\n", mapping, roster=None,
        table="roster")
    assert (code, err) == (0, "")
    assert written == ("rep_id,name,plan_id,start_date,end_date,quota,email\n"
                       "ae01,Dana Reyes,nb_ae,2025-01-01,,1200000.00,dana@x.example\n"
                       "xa01,Lee Park,exp_ae,2025-01-01,2025-12-31,,lee@x.example\n")


def test_a_mapping_for_another_table_is_refused(case):
    code, _, err, _ = case.run("a\n", MILESTONES, table="deals")
    assert (code, err.splitlines()[1]) == (2, "  mapping.yaml:1 table: this mapping is for milestones, not deals")


def test_out_in_a_missing_folder_or_over_the_export(case):
    export = case.write("export.csv", "Account Number,Milestone,Date Achieved,CSM\n")
    from click.testing import CliRunner

    from compcalc.cli import main

    base = ["import", "milestones", str(export), "--mapping", str(case.write("m.yaml", MILESTONES)),
            "--roster", str(case.write("roster.csv", ROSTER))]
    missing = CliRunner().invoke(main, base + ["--out", str(case.folder / "no" / "m.csv")])
    assert missing.exit_code == 2
    assert missing.stderr.splitlines()[1].startswith(f"  {case.folder / 'no' / 'm.csv'}: cannot write here: ")
    same = CliRunner().invoke(main, base + ["--out", str(export)])
    assert same.exit_code == 2 and "--out is the export itself" in same.stderr


SALESFORCE_VARIANT = (
    # UTF-8 with a BOM, no footer, other column order, no custom fields, account names as ids, the
    # default Type picklist, amounts with a currency code, dates with a time
    "\ufeffOpportunity ID,Stage,Opportunity Owner,Account Name,Type,Amount,Close Date\n"
    "0065g00000AbCdEAAV,Closed Won,Dana Reyes,Acme Ltd,New Customer,\"USD 30,000.00\",3/1/2025 9:14 AM\n"
    "0065g00000AbCdFAAV,Closed Won,Lee Park,Acme Ltd,Existing Customer - Upgrade,\"USD 6,000.00\",9/1/2025\n"
    "0065g00000AbCdGAAV,Closed Lost,Lee Park,Acme Ltd,Existing Customer - Upgrade,\"USD 9,000.00\",10/1/2025\n"
    "0065g00000AbCdHAAV,Closed Won,Lee Park,Acme Ltd,Renewal,\"USD 38,000.00\",3/1/2026\n")

HUBSPOT_VARIANT = (
    # the portal's date format, "Closed Won" capitalised, Amount only, the company's name, owners by email
    "Record ID,Deal Name,Deal Stage,Close Date,Deal owner,Amount,Deal Type,Associated Company\n"
    "1001,Acme – new,Closed Won,03/01/2025,dana.reyes@northwind.example,30000,New Business,Acme Ltd\n"
    "1002,Acme – upsell,Closed Won,09/01/2025,lee.park@northwind.example,6000.5,Existing Business,Acme Ltd\n"
    "1003,Acme – renewal,Closed won,03/01/2026,lee.park@northwind.example,38000,Renewal,Acme Ltd\n"
    "1004,Globex – new,Appointment scheduled,04/01/2026,dana.reyes@northwind.example,12000,New Business,Globex\n")


@pytest.mark.parametrize("export, mapping, expected", [
    (SALESFORCE_VARIANT, "salesforce_opportunities", [
        "deal_id,account_id,type,close_date,arr,owner_id,term_months,prior_arr",
        "0065g00000AbCdEAAV,Acme Ltd,new,2025-03-01,30000.00,ae01,12,",
        "0065g00000AbCdFAAV,Acme Ltd,expansion,2025-09-01,6000.00,xa01,12,",
        "0065g00000AbCdHAAV,Acme Ltd,renewal,2026-03-01,38000.00,xa01,12,36000.00"]),
    (HUBSPOT_VARIANT, "hubspot_deals", [
        "deal_id,account_id,type,close_date,arr,owner_id,term_months,prior_arr",
        "1001,Acme Ltd,new,2025-03-01,30000.00,ae01,12,",
        "1002,Acme Ltd,expansion,2025-09-01,6000.50,xa01,12,",
        "1003,Acme Ltd,renewal,2026-03-01,38000.00,xa01,12,36000.50"]),
])
def test_the_bundled_mappings_read_the_usual_variations(case, export, mapping, expected):
    e = case.write("variant.csv", export)
    from click.testing import CliRunner

    from compcalc.cli import main

    out = case.folder / "deals.csv"
    result = CliRunner().invoke(main, ["import", "deals", str(e), "--mapping", mapping, "--roster",
                                       str(case.write("roster.csv", ROSTER)), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert out.read_text().splitlines() == expected


def test_hubspot_arr_falls_back_to_amount_per_row_but_ids_do_not_mix(case):
    e = case.write("hs.csv",
                   "Record ID,Deal Stage,Close Date,Deal owner,Amount,Annual recurring revenue,Deal Type,"
                   "Account Number,Associated Company\n"
                   "1,Closed won,2025-03-01,Dana Reyes,60000,30000,New Business,ACC-1,Acme\n"
                   "2,Closed won,2025-04-01,Dana Reyes,12000,,New Business,ACC-2,Globex\n"
                   "3,Closed won,2025-05-01,Dana Reyes,9000,9000,New Business,,Initech\n")
    from click.testing import CliRunner

    from compcalc.cli import main

    out = case.folder / "deals.csv"
    result = CliRunner().invoke(main, ["import", "deals", str(e), "--mapping", "hubspot_deals", "--roster",
                                       str(case.write("roster.csv", ROSTER)), "--out", str(out)])
    assert result.exit_code == 2 and not out.exists()
    assert result.stderr.splitlines()[1:] == [f"  {e}: row 3, column account_id: a value is required"]
    e.write_text(e.read_text().replace(",,Initech", ",ACC-3,Initech"))
    result = CliRunner().invoke(main, ["import", "deals", str(e), "--mapping", "hubspot_deals", "--roster",
                                       str(case.folder / "roster.csv"), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert [line.split(",")[4] for line in out.read_text().splitlines()[1:]] == ["30000.00", "12000.00", "9000.00"]

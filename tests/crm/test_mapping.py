"""Mapping files: a frozen schema whose problems name the file, line and YAML path, all at once."""
from __future__ import annotations

from compcalc.crm.bundled import bundled
from compcalc.crm.mapping import load_mapping, parse_mapping


def problems(text: str) -> list[str]:
    mapping, found = parse_mapping(text, "m.yaml")
    assert mapping is None
    return [str(p) for p in found]


def test_every_field_problem_is_reported_at_its_line():
    assert problems("""\
table: deals
columns:
  deal_id: Opportunity ID
  account_id: [Account Number, Account ID]
  type: Type
  close_date: Close Date
  arr: Amount
  owner_id: Opportunity Owner
  bogus: X
dates: [MM/DD/YYYY, YY-MM]
amounts: "1.234"
delimiter: ":"
encoding: klingon
owners: by_magic
""") == [
        "m.yaml:9 columns.bogus: 'bogus' is not a column of deals.csv (expected one of deal_id, account_id, type, "
        "close_date, arr, owner_id, term_months, tcv, prior_arr, currency, stage)",
        "m.yaml:10 dates[1]: 'YY-MM' is not a date format: YYYY, MM (or M), DD (or D) once each, separated by "
        "/ . - or space (e.g. MM/DD/YYYY, DD.MM.YYYY)",
        "m.yaml:11 amounts: must be one of '1234.56', '1,234.56', '1.234,56', '1 234,56' or \"1'234.56\" "
        "(got '1.234')",
        "m.yaml:12 delimiter: must be one of , ; tab | auto (got ':')",
        "m.yaml:13 encoding: unknown encoding 'klingon' (e.g. utf-8, windows-1252, latin-1, utf-16)",
        "m.yaml:14 owners: must be one of 'auto', 'name', 'email' or 'rep_id' (got 'by_magic')"]


def test_required_columns_unknown_keys_and_cross_checks():
    assert problems("table: deals\ncolumns: {deal_id: a, account_id: b, type: c, close_date: d}\nfoo: 1\n") == [
        "m.yaml:2 columns: required column 'arr' is not mapped", "m.yaml:3 foo: unknown key"]
    assert problems("table: deals\ncolumns: {deal_id: a, account_id: b, type: c, close_date: d, arr: e, "
                    "owner_id: f}\nvalues: {currency: {Dollar: USD}}\n") == [
        "m.yaml:3 values.currency: column 'currency' is not mapped in columns"]
    assert problems("table: deals\ncolumns: {deal_id: a, account_id: b, type: c, close_date: d, arr: e, "
                    "owner_id: f}\nclosed_won: [Won]\n") == ["m.yaml:3 closed_won: closed_won needs a stage column in columns"]
    assert problems("table: people\ncolumns: {}\n") == [
        "m.yaml:1 table: must be one of 'deals', 'milestones' or 'roster' (got 'people')"]
    assert problems("table: deals\ncolumns: {deal_id: a}\ncolumns: {}\n")[0] == "m.yaml:3 columns: duplicate key"
    assert problems("table: [deals\n") == ["m.yaml:2: not valid YAML: expected ',' or ']', but got '<stream end>'"]


def test_the_bundled_mappings_load_and_are_found_by_name():
    assert sorted(bundled()) == ["hubspot_deals", "salesforce_opportunities"]
    for name in bundled():
        mapping, found = load_mapping(name)
        assert found == [] and mapping.table == "deals"
        assert "https://" in bundled()[name].read_text(encoding="utf-8").split("table:")[0]  # cites its docs
    _, found = load_mapping("pipedrive_deals")
    assert [str(p) for p in found] == ["pipedrive_deals: no such file (bundled mappings: hubspot_deals, "
                                       "salesforce_opportunities)"]


def test_a_value_of_the_wrong_shape_is_one_problem_at_its_path():
    assert problems("table: deals\ncolumns: {deal_id: [a, 3], account_id: {x: 1}, type: c, close_date: d, arr: e, "
                    "owner_id: f}\nvalues:\n  type: {strange: [1]}\ndefaults: {term_months: [1]}\n") == [
        "m.yaml:2 columns.account_id: must be an export column header, or a list of them",
        "m.yaml:2 columns.deal_id[1]: must be text (got 3)",
        "m.yaml:4 values.type.strange: must be text (got [1])",
        "m.yaml:5 defaults.term_months: must be one value: text, a number or a date"]

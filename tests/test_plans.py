"""Plan schema (SPEC §3): every problem names file:line and YAML path; decimals stay exact."""
from __future__ import annotations

from decimal import Decimal

import pytest

from compcalc.components import REGISTRY
from compcalc.plans import load_plans, parse_plan
from compcalc.problems import InputError

GOOD = """\
plan_id: nb
name: New Business
role: new_business_ae
year_start: 2027-01-01
components:
  - id: land_tcv
    type: tcv_commission
    rate: 0.10
    max_term_months: 24
    vesting: {upfront_pct: 0.25, months: 12}
"""


def messages(text: str) -> list[str]:
    plan, problems = parse_plan(text, "plans/nb.yaml")
    assert plan is None
    return [str(p) for p in problems]


def test_a_good_plan_parses_with_exact_decimals_and_lines():
    plan, problems = parse_plan(GOOD, "plans/nb.yaml")
    assert problems == []
    c = plan.components[0]
    assert c.rate == Decimal("0.10") and isinstance(c.rate, Decimal)
    assert c.vesting.upfront_pct == Decimal("0.25")
    assert c.vesting.cadence == "monthly" and c.clawback.forfeit_unvested_on_churn is True
    assert plan.rounding == "half_up" and plan.currency == "USD"
    assert plan.line_of("components", 0, "max_term_months") == 9
    assert plan.source == "plans/nb.yaml"


def test_out_of_range_values_name_line_and_path():
    text = GOOD.replace("months: 12", "months: -1").replace("rate: 0.10", "rate: 1.5")
    assert messages(text) == [
        "plans/nb.yaml:8 components[0].rate: must be ≤ 1",
        "plans/nb.yaml:10 components[0].vesting.months: must be ≥ 0",
    ]


def test_unknown_keys_are_errors_at_every_level():
    text = GOOD.replace("role:", "colour: red\nrole:").replace("months: 12}", "months: 12, cliff: 3}")
    assert messages(text) == [
        "plans/nb.yaml:3 colour: unknown key",
        "plans/nb.yaml:11 components[0].vesting.cliff: unknown key",
    ]


def test_bad_enum_and_unknown_component_type():
    text = GOOD.replace("new_business_ae", "hunter") + "  - id: x\n    type: bonus_pool\n"
    assert messages(text) == [
        "plans/nb.yaml:3 role: must be one of 'new_business_ae', 'expansion_ae', 'account_manager', 'csm' "
        "or 'other' (got 'hunter')",
        "plans/nb.yaml:12 components[1].type: unknown component type 'bonus_pool' (expected one of "
        + ", ".join(sorted(REGISTRY)) + ")",
    ]


def test_duplicate_component_ids_and_duplicate_keys():
    text = GOOD + "  - id: land_tcv\n    type: acv_commission\n    rate: 0.1\n    rate: 0.2\n"
    assert messages(text) == [
        "plans/nb.yaml:11 components[1].id: duplicate component id 'land_tcv' (also components[0])",
        "plans/nb.yaml:14 components[1].rate: duplicate key",
    ]


def test_missing_required_fields_and_wrong_types():
    text = "plan_id: nb\nname: X\nrole: csm\ncomponents:\n  - id: a\n    type: activation_bonus\n" \
           "    milestone: activated\n    within_days: soon\n    amount: 750\n"
    assert messages(text) == [
        "plans/nb.yaml:1 year_start: required",
        "plans/nb.yaml:8 components[0].within_days: must be a whole number (got 'soon')",
    ]


def test_money_with_more_than_two_decimals_and_cross_field_rules():
    text = "plan_id: e\nname: E\nrole: expansion_ae\nyear_start: 2027-01-01\ncomponents:\n" \
           "  - id: q\n    type: quota_attainment\n    quota: 100.123\n    target_incentive: 5\n" \
           "  - id: a\n    type: activation_bonus\n    milestone: activated\n" \
           "  - id: t\n    type: quota_attainment\n    quota: 1\n    target_incentive: 1\n" \
           "    tiers: [{up_to: 1.5, multiplier: 1}, {up_to: 1.0, multiplier: 2}]\n"
    assert messages(text) == [
        "plans/nb.yaml:8 components[0].quota: at most 2 decimals",
        "plans/nb.yaml:10 components[1]: give either amount or pct_of_land_arr (exactly one)",
        "plans/nb.yaml:13 components[2]: tiers: up_to must increase from one tier to the next",
    ]


def test_yaml_syntax_error_reports_file_and_line():
    plan, problems = parse_plan("plan_id: x\nname: [unclosed\n", "plans/nb.yaml")
    assert plan is None and len(problems) == 1
    assert problems[0].line == 3 and problems[0].message.startswith("not valid YAML: ")


def test_folder_loading_reports_duplicate_plan_ids_across_files(tmp_path):
    (tmp_path / "a.yaml").write_text(GOOD)
    (tmp_path / "b.yaml").write_text(GOOD)
    with pytest.raises(InputError) as err:
        load_plans([tmp_path])
    assert [str(p) for p in err.value.problems] == [
        f"{tmp_path}/b.yaml:1 plan_id: duplicate plan_id 'nb' (also in {tmp_path}/a.yaml)"]


def test_missing_folder_and_empty_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError) as err:
        load_plans([tmp_path / "nope", tmp_path / "empty"])
    assert [p.message for p in err.value.problems] == ["no plan files (*.yaml) in this folder", "no such file or folder"]


def test_every_component_type_documents_itself():
    for name, cls in REGISTRY.items():
        assert cls.summary(), name
        assert cls.example.strip().startswith("- id:"), name
        plan, problems = parse_plan(
            f"plan_id: p\nname: P\nrole: other\nyear_start: 2027-01-01\ncomponents:\n"
            + "".join("  " + line + "\n" for line in cls.example.splitlines()), "example.yaml")
        assert problems == [], (name, problems)
        assert plan.components[0].type == name


def test_values_too_large_to_compute_with_are_reported_not_crashed_on():
    text = GOOD.replace("max_term_months: 24", "max_term_months: 99999999999999999999999") + """\
  - id: kicker
    type: spif
    amount: 10000000000000
    from: 2027-01-01
    to: 2027-03-31
  - id: act
    type: activation_bonus
    amount: 500
    milestone: go_live
    within_days: 99999999999999
"""
    assert messages(text) == [
        "plans/nb.yaml:9 components[0].max_term_months: must be ≤ 1200",
        "plans/nb.yaml:13 components[1].amount: must be ≤ 999999999999.99",
        "plans/nb.yaml:20 components[2].within_days: must be ≤ 36500",
    ]


def test_an_alias_that_contains_itself_or_expands_without_end_is_reported():
    assert messages(GOOD + "extra: &a\n  - *a\n") == [
        "plans/nb.yaml:11: not valid YAML: an alias refers to a value that contains it"]
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{b}: &{b} [{', '.join(['*' + a] * 10)}]\n" for a, b in zip("abcdef", "bcdefg"))
    assert messages(bomb)[0].endswith("not valid YAML: more than 100,000 values (aliases expanding?)")


def test_a_lower_case_currency_gets_a_currency_message():
    assert messages(GOOD.replace("year_start:", "currency: usd\nyear_start:")) == [
        "plans/nb.yaml:4 currency: 'usd' is not a currency code (three capital letters, e.g. USD)"]


DATED = """\
plan_id: nb
name: New Business
role: new_business_ae
year_start: 2027-01-01
components:
  - id: land_tcv
    type: tcv_commission
    rate: {2027-01-01: 0.10, 2027-07-01: 1.2}
  - id: closer
    type: closer_expansion
    rate: 0.10
    tail_rate_pct:
      2027-01-01: 0.30
      2027-07-01: -0.1
  - id: spif
    type: spif
    from: 2027-01-01
    to: 2027-06-30
    amount: {2027-01-01: 500, 2027-04-01: 250.555}
  - id: act
    type: activation_bonus
    milestone: live
    amount: {}
  - id: csat
    type: metric_bonus
    metric: csat
    target: 4.5
    amount: {2027-13-01: 100}
"""


def test_dated_parameters_are_validated_value_by_value_at_their_date():
    """SPEC §8.4: each dated value is checked like the plain parameter, at ``path.DATE`` and its line."""
    assert messages(DATED) == [
        "plans/nb.yaml:8 components[0].rate.2027-07-01: must be ≤ 1",
        "plans/nb.yaml:14 components[1].tail_rate_pct.2027-07-01: must be ≥ 0",
        "plans/nb.yaml:19 components[2].amount.2027-04-01: at most 2 decimals",
        "plans/nb.yaml:23 components[3].amount: must not be empty",
        "plans/nb.yaml:28 components[4].amount.2027-13-01: must be a date YYYY-MM-DD (got '2027-13-01')",
    ]


def test_dated_parameters_parse_to_date_mappings():
    plan, problems = parse_plan(GOOD.replace("rate: 0.10", "rate: {2027-01-01: 0.10, 2027-07-01: 0.12}"),
                                "plans/nb.yaml")
    assert problems == []
    import datetime as dt
    assert plan.components[0].rate == {dt.date(2027, 1, 1): Decimal("0.10"), dt.date(2027, 7, 1): Decimal("0.12")}


@pytest.mark.parametrize("component, message", [
    ("{id: t, type: tcv_commission, rate: 0.1, term_rates: [{min_term_months: 24, rate: 0.11}, "
     "{min_term_months: 24, rate: 0.12}]}",
     "components[0].term_rates: min_term_months 24 appears twice (each term gets one rate)"),
    ("{id: t, type: acv_commission, rate: 0.1, term_rates: [{min_term_months: 0, rate: 0.11}]}",
     "components[0].term_rates[0].min_term_months: must be ≥ 1"),
    ("{id: t, type: acv_commission, rate: 0.1, term_rates: [{min_term_months: 24, rate: {2027-01-01: 0.1}}]}",
     "components[0].term_rates[0].rate: must be one number (this parameter cannot be dated)"),
    ("{id: t, type: tcv_commission, rate: 0.1, max_per_deal: -5}", "components[0].max_per_deal: must be ≥ 0"),
    ("{id: t, type: tcv_commission, rate: 0.1, clawback: {mode: partial}}",
     "components[0].clawback.mode: must be one of 'full' or 'pro_rata' (got 'partial')"),
    ("{id: t, type: metric_bonus, metric: csat, target: 0, amount: 100, scale: [{at: 0.8, pct: 0.5}]}",
     "components[0]: target: must be more than 0 with a scale (achievement is value / target)"),
    ("{id: t, type: metric_bonus, metric: csat, target: 4, amount: 100, scale: [{at: 0.8, pct: 0.5}, "
     "{at: 0.8, pct: 1}]}",
     "components[0].scale: two steps have the same 'at' (each achievement level pays one pct)"),
    ("{id: t, type: acv_commission, rate: 0.1, benefit_months: 0}", "components[0].benefit_months: must be ≥ 1"),
])
def test_plan_pattern_keys_are_validated(component, message):
    text = GOOD.split("components:")[0] + f"components:\n  - {component}\n"
    assert [m.split(" ", 1)[1] for m in messages(text)] == [message]


def test_a_plan_draw_is_validated():
    text = GOOD + "draw: {amounts: [3000, -1, 2000.001], type: monthly}\n"
    assert [m.split(" ", 1)[1] for m in messages(text)] == [
        "draw.amounts[1]: must be ≥ 0",
        "draw.amounts[2]: at most 2 decimals",
        "draw.type: must be one of 'recoverable' or 'non_recoverable' (got 'monthly')",
    ]
    assert [m.split(" ", 1)[1] for m in messages(GOOD + "draw: {amounts: []}\n")] == ["draw.amounts: must not be empty"]


def test_plan_numbers_beyond_the_bounds_are_refused_at_once_with_their_text():
    # 1e-99999999 would build a fraction with a hundred-million-digit denominator (a hang)
    text = (GOOD.replace("rate: 0.10", "rate: 1e-99999999")
            .replace("upfront_pct: 0.25", "upfront_pct: 0.3333333333333")
            .replace("max_term_months: 24", "max_term_months: " + "9" * 5000))
    assert messages(text) == [
        "plans/nb.yaml:8 components[0].rate: 1e-99999999 has more than 10 decimal places",
        "plans/nb.yaml:9 components[0].max_term_months: 9999999999999999999999999999999999999... "
        "is too large (more than 30 digits)",
        "plans/nb.yaml:10 components[0].vesting.upfront_pct: 0.3333333333333 has more than 10 decimal places",
    ]
    assert messages(GOOD.replace("rate: 0.10", "rate: 1e-400")) == [
        "plans/nb.yaml:8 components[0].rate: 1e-400 has more than 10 decimal places"]


def test_ten_decimal_places_and_excel_trailing_zeros_are_accepted():
    plan, problems = parse_plan(GOOD.replace("rate: 0.10", "rate: 0.1234567891")
                                .replace("upfront_pct: 0.25", "upfront_pct: 0.250000000000000"), "p.yaml")
    assert problems == [] and plan.components[0].rate == Decimal("0.1234567891")


def test_merge_complex_and_yes_keys_get_their_own_messages():
    assert messages(GOOD + "defaults: &d {rate: 0.1}\n? [a, b]\n: 1\nyes: 1\n") == [
        "plans/nb.yaml:11 defaults: unknown key",
        "plans/nb.yaml:12 ?: a key must be a plain name, not a list or a mapping (a YAML complex key, '? …')",
        "plans/nb.yaml:14 yes: the key yes reads as true/false in YAML: quote it ('yes') or use the setting's name",
    ]
    merged = GOOD.replace("  - id: land_tcv\n", "  - <<: {rate: 0.2}\n    id: land_tcv\n")
    assert messages(merged)[0] == ("plans/nb.yaml:6 components[0].<<: YAML merge keys (<<: *alias) are not "
                                   "supported: write the keys out (an alias of a whole value works)")


def test_an_unknown_key_suggests_the_nearest_valid_key_at_its_place():
    text = GOOD.replace("rate: 0.10", "rat: 0.10").replace("upfront_pct", "upfrnt_pct").replace(
        "role:", "rounding_mode: half_up\nrole:")
    assert messages(text) == [
        "plans/nb.yaml:3 rounding_mode: unknown key (did you mean 'rounding'?)",
        "plans/nb.yaml:7 components[0].rate: required",
        "plans/nb.yaml:9 components[0].rat: unknown key (did you mean 'rate'?)",
        "plans/nb.yaml:11 components[0].vesting.upfrnt_pct: unknown key (did you mean 'upfront_pct'?)",
    ]
    assert messages(GOOD.replace("role:", "colour: red\nrole:"))[0] == "plans/nb.yaml:3 colour: unknown key"


def test_a_plan_too_large_without_aliases_is_not_blamed_on_aliases():
    text = GOOD + "".join(f"  - {{id: c{i}, type: acv_commission, rate: 0.1}}\n" for i in range(40_000))
    assert messages(text)[0].endswith("not valid YAML: more than 100,000 values (far more than any plan holds: "
                                      "split it into several plan files)")

"""Clearer input messages (issue 14): each names file, row (or YAML path:line) and the reason plainly."""
from __future__ import annotations

import pytest

from compcalc.inputs import load_book
from compcalc.problems import InputError
from conftest import GOLDEN

CASE = GOLDEN / "land_and_expand"


def problems(**files) -> list[str]:
    kwargs = {"plans": [CASE / "plans"], "roster": CASE / "roster.csv", "deals": CASE / "deals.csv", **files}
    with pytest.raises(InputError) as e:
        load_book(**kwargs)
    return [str(p) for p in e.value.problems]


def test_a_row_longer_than_arrows_block_gets_a_plain_message_at_its_row(tmp_path):
    deals = tmp_path / "deals.csv"
    lines = (CASE / "deals.csv").read_text().splitlines()
    lines[2] = lines[2].replace("D2,", '"D2 unclosed,', 1)
    deals.write_text("\n".join(lines) + "\n" + "D9,A9,new,2027-01-01,1,ae1,,,\n" * 200_000)
    assert problems(deals=deals) == [
        f"{deals}: row 2: a row is longer than 1 MiB: is a quote (\") left open, so that the rest of the file "
        "reads as one value?"]


def test_a_quoted_line_break_inside_a_header_name_is_named(tmp_path):
    deals = tmp_path / "deals.csv"
    deals.write_text((CASE / "deals.csv").read_text().replace("account_id", '"account\n_id"', 1))
    assert problems(deals=deals) == [
        f"{deals}: the header's column name 'account\\n_id' holds a line break inside its quotes; did you mean "
        "account_id?",
        f"{deals}: column account_id: missing required column",
    ]


def test_plans_pointing_at_a_folder_of_plan_folders_says_so_alone(tmp_path):
    (tmp_path / "plans" / "nb").mkdir(parents=True)
    for f in (CASE / "plans").iterdir():
        (tmp_path / "plans" / "nb" / f.name).write_text(f.read_text())
    assert problems(plans=[tmp_path / "plans"]) == [
        f"{tmp_path}/plans: holds folders of plan files (nb), not plan files: give --plans one plan folder, "
        f"e.g. --plans {tmp_path}/plans/nb"]

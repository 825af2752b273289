"""The command line: every command has help and a README section; components documents itself."""
from __future__ import annotations

import json

from click.testing import CliRunner

from compcalc.cli import main
from conftest import ROOT


def test_every_command_has_help_text():
    for name, cmd in main.commands.items():
        assert cmd.help and len(cmd.help.strip()) > 20, name
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0, name


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    missing = [name for name in main.commands if f"compcalc {name}" not in readme]
    assert missing == []


def test_components_lists_every_type_and_shows_one():
    listing = CliRunner().invoke(main, ["components"])
    assert listing.exit_code == 0
    assert listing.output.splitlines()[0].startswith("activation_bonus    Pays a CSM for activating")
    one = CliRunner().invoke(main, ["components", "tcv_commission", "--format", "json"])
    data = json.loads(one.output)
    assert data[0]["type"] == "tcv_commission"
    assert {"name": "rate", "required": True, "default": None} in data[0]["parameters"]
    unknown = CliRunner().invoke(main, ["components", "bonus_pool"])
    assert unknown.exit_code == 2 and "unknown component type 'bonus_pool'" in unknown.output


def _golden_args(out) -> list[str]:
    case = ROOT / "tests" / "golden" / "land_and_expand"
    plans = sorted(str(p) for p in (case / "plans").glob("*.yaml"))
    return ["run", "--plans", *plans, "--roster", str(case / "roster.csv"), "--deals", str(case / "deals.csv"),
            "--milestones", str(case / "milestones.csv"), "--through", "2028-01", "--out", str(out), "--quiet",
            "--statements", "none"]


def test_plans_takes_several_files_after_one_flag_as_spec_section_5_writes_it(tmp_path):
    result = CliRunner().invoke(main, _golden_args(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "out" / "lines.csv").read_text()
    assert {"nb_ae_2027", "exp_ae_2027", "csm_2027"} <= {row.split(",")[2] for row in lines.splitlines()[1:]}


def test_an_out_folder_under_a_file_is_a_usage_error_not_a_traceback(tmp_path):
    (tmp_path / "afile").write_text("x")
    result = CliRunner().invoke(main, _golden_args(tmp_path / "afile" / "sub"))
    assert result.exit_code == 2
    assert f"Invalid value for '--out': {tmp_path / 'afile'} is a file, not a folder" in result.output


def test_through_before_the_first_plan_year_is_exit_2(tmp_path):
    args = _golden_args(tmp_path / "out")
    args[args.index("--through") + 1] = "2020-03"
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and not (tmp_path / "out").exists()
    assert "Error: 2020-03 is before the first plan year (2027-01): nothing would be computed" in result.output


def test_a_folder_given_as_an_input_file_is_named_so(tmp_path):
    case = ROOT / "tests" / "golden" / "land_and_expand"
    result = CliRunner().invoke(main, ["validate", "--plans", str(case / "plans"), "--roster", str(tmp_path),
                                       "--deals", str(case / "deals.csv")])
    assert result.exit_code == 2
    assert f"{tmp_path}: is a folder, not a file" in result.output


def test_a_book_command_runs_without_the_cycle_collector_and_gives_it_back():
    import gc

    import pytest

    from compcalc.cli.options import handle_input_errors

    seen = []
    handle_input_errors(lambda: seen.append(gc.isenabled()))()
    assert seen == [False] and gc.isenabled()
    with pytest.raises(SystemExit):
        handle_input_errors(lambda: (_ for _ in ()).throw(SystemExit(2)))()
    assert gc.isenabled()  # given back when the command stops with an exit code too


def test_documents_are_built_with_the_cycle_collector_on():
    """Workbooks are webs of reference cycles: statements render with the collector on (a paused
    collector kept every statement's workbook: +150 MB over 4,800 statements), and pause it again after."""
    import gc
    import weakref

    from compcalc.workers import cycles_collected

    class Node:
        pass

    gc.disable()
    try:
        with cycles_collected():
            assert gc.isenabled()
            first = Node()
            first.me = first  # a cycle, garbage at once
            gone = weakref.ref(first)
            del first
            for _ in range(20_000):  # enough allocations for the collector to run on its own
                n = Node()
                n.me = n
            assert gone() is None
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_documents_freeze_what_exists_once_and_never_their_own_garbage():
    """Every chunk of statements enters cycles_collected: only the first freezes (the run's records), so
    a chunk's uncollected workbooks are collected by the next chunk rather than frozen for good."""
    import gc

    from compcalc import workers

    gc.disable()
    try:
        with workers.cycles_collected():
            pass
        frozen = gc.get_freeze_count()
        for _ in range(3):
            with workers.cycles_collected():
                garbage = [[] for _ in range(1_000)]
                for g in garbage:
                    g.append(g)
                del garbage
        assert gc.get_freeze_count() == frozen
    finally:
        gc.enable()
        gc.unfreeze()
    before = gc.get_freeze_count()
    with workers.cycles_collected():  # the collector on already (a library caller): nothing frozen
        assert gc.isenabled()
    assert gc.get_freeze_count() == before and gc.isenabled()

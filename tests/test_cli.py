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

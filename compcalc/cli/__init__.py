"""The ``compcalc`` command line: it parses, calls the library, formats. Nothing else lives here.

Each command is a module in this package that defines ``command`` (a click command) or ``commands``
(a list of them); importing the package registers every one of them on the ``main`` group. To add a
command, add a module: nothing here changes.

Start-up must stay instant (``--help``, ``--version``; tests/test_cli_startup.py guards it), so a command
module imports at its top only click, ``compcalc.cli.options``, ``compcalc.periods``,
``compcalc.problems`` and other modules that import no third-party library. Everything else (pandas,
numpy, pyarrow, pydantic, openpyxl, SQLAlchemy, jinja2, compcalc.inputs, engine, accounting,
statements, lint, …) is imported inside the command function, where the work is::

    @click.command("example")
    @book_inputs
    def command(**kwargs):
        "One line of help."
        from compcalc.inputs import load_book  # here, not at the top
        ...
"""
from __future__ import annotations

import importlib
import pkgutil

import click

from compcalc import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="compcalc")
def main() -> None:
    """compcalc — sales compensation for land-and-expand SaaS teams.

    Reads YAML plans, a roster and a CRM export; computes every rep's ledger lines, payouts and
    statements; models plan changes; and lints plans for patterns that kill expansion.
    """


for _module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if _module.name.startswith("_") or _module.name == "options":
        continue
    _mod = importlib.import_module(f"{__name__}.{_module.name}")
    for _cmd in getattr(_mod, "commands", [getattr(_mod, "command", None)]):
        if _cmd is not None:
            main.add_command(_cmd)

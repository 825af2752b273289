"""Where compcalc's jinja2 templates are: the repository's ``templates/`` in a checkout (editable
install), or ``<prefix>/share/compcalc/templates`` after a regular install (pyproject data-files); and the
one jinja2 environment that renders them (statements, the payout register, the run site, what-if)."""
from __future__ import annotations

import sys
import sysconfig
from functools import cache
from pathlib import Path

import compcalc


def template_dirs() -> list[Path]:
    here = Path(compcalc.__file__).resolve().parent
    candidates = [here.parent / "templates",
                  Path(sysconfig.get_paths()["data"]) / "share" / "compcalc" / "templates",
                  Path(sys.prefix) / "share" / "compcalc" / "templates"]
    return [p for p in dict.fromkeys(candidates) if (p / "base.html").is_file()]


@cache
def environment():
    """compcalc's one jinja2 environment: HTML autoescaped, an undefined name an error rather than an empty
    string. The page modules add the filters their templates use."""
    import jinja2  # here: commands that write no page start without it

    dirs = template_dirs()
    if not dirs:
        raise FileNotFoundError("compcalc's templates (base.html …) are not installed: reinstall compcalc")
    return jinja2.Environment(loader=jinja2.FileSystemLoader([str(p) for p in dirs]),
                              autoescape=jinja2.select_autoescape(["html"]), undefined=jinja2.StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.do"])

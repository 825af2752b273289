"""Where compcalc's jinja2 templates are: the repository's ``templates/`` in a checkout (editable
install), or ``<prefix>/share/compcalc/templates`` after a regular install (pyproject data-files)."""
from __future__ import annotations

import sys
import sysconfig
from pathlib import Path

import compcalc


def template_dirs() -> list[Path]:
    here = Path(compcalc.__file__).resolve().parent
    candidates = [here.parent / "templates",
                  Path(sysconfig.get_paths()["data"]) / "share" / "compcalc" / "templates",
                  Path(sys.prefix) / "share" / "compcalc" / "templates"]
    return [p for p in dict.fromkeys(candidates) if (p / "base.html").is_file()]

"""The mappings that ship with compcalc: ``mappings/`` in a checkout (editable install), or
``<prefix>/share/compcalc/mappings`` after a regular install (pyproject data-files), as templates are.

``--mapping salesforce_opportunities`` names a bundled one; a path names your own."""
from __future__ import annotations

import sys
import sysconfig
from pathlib import Path

import compcalc


def mapping_dirs() -> list[Path]:
    here = Path(compcalc.__file__).resolve().parent
    candidates = [here.parent / "mappings",
                  Path(sysconfig.get_paths()["data"]) / "share" / "compcalc" / "mappings",
                  Path(sys.prefix) / "share" / "compcalc" / "mappings"]
    return [p for p in dict.fromkeys(candidates) if p.is_dir()]


def bundled() -> dict[str, Path]:
    out: dict[str, Path] = {}
    for d in mapping_dirs():
        for p in sorted(d.glob("*.yaml")):
            out.setdefault(p.stem, p)
    return out


def resolve(name: str) -> Path:
    """A path as given when it exists (or looks like a path), else the bundled mapping of that name."""
    p = Path(name)
    if p.exists() or "/" in name or "\\" in name:
        return p
    return bundled().get(p.stem if p.suffix in (".yaml", ".yml") else name, p)

"""Component types. Each module declares one type; importing this package registers them all."""
from __future__ import annotations

import importlib
import pkgutil

from compcalc.components.base import REGISTRY, Component, register

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "base":
        importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["REGISTRY", "Component", "register"]

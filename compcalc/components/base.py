"""What every component type shares: identity, parameter validation, docs and the registry.

A component type is one class in one module under ``compcalc/components``. The class declares its
parameters as pydantic fields, its documentation as the docstring (first line = summary), a YAML
``example``, and its arithmetic as ``compute``. Decorating it with ``@register`` is all it takes to
make plans accept it, ``compcalc components`` list it, and the engine run it.
"""
from __future__ import annotations

import inspect
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, ClassVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from compcalc.crediting import Context
    from compcalc.plans import Plan



def net_new_expansion_arr(types: np.ndarray, arr: np.ndarray, prior_arr: np.ndarray, *,
                          renewal_uplift: bool = True, net_of_churn: bool = True) -> np.ndarray:
    """Each deal event's net new expansion ARR in cents (SPEC §8.1): + expansion, + renewal uplift
    (when it counts as expansion), − renewal downsell, − contraction, − churn (when netted); 0 for new."""
    uplift = np.maximum(0, arr - prior_arr) if renewal_uplift else 0
    return np.select([types == "expansion", types == "renewal", types == "contraction",
                      (types == "churn") & net_of_churn],
                     [arr, uplift - np.maximum(0, prior_arr - arr), -arr, -arr], 0).astype(np.int64)


# A fraction in [0, 1]: rates, percentages, shares.
Rate = Annotated[Decimal, Field(ge=0, le=1, allow_inf_nan=False)]
# A money amount in the plan currency: at most two decimals, not negative.
Money = Annotated[Decimal, Field(ge=0, le=Decimal("999999999999.99"), decimal_places=2, allow_inf_nan=False)]
# A non-negative multiple or factor (tier multipliers, caps).
Factor = Annotated[Decimal, Field(ge=0, le=1000, allow_inf_nan=False)]
ComponentId = Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Component(Frozen):
    """Base of all component types (not itself a type)."""

    id: ComponentId
    label: str | None = None
    capitalize: bool | None = None
    #: SPEC §8.11: amortise this component's lines over its own benefit period (else the plan's).
    benefit_months: int | None = Field(None, ge=1, le=600)

    type_name: ClassVar[str] = ""
    #: Whether ASC 340-40 capitalises it by default (a cost of obtaining a contract).
    capitalize_default: ClassVar[bool] = True
    #: A minimal YAML snippet for docs and ``compcalc components``.
    example: ClassVar[str] = ""
    #: Line kinds this component writes (for docs and statements).
    kinds: ClassVar[tuple[str, ...]] = ()
    #: What a line's basis is, in finance's words ("TCV", "expansion ARR"), for statements and ``why``.
    basis_name: ClassVar[str] = "basis"
    #: The optional input file it pays from ("milestones", "metrics"): a run without it warns.
    needs_input: ClassVar[str | None] = None

    @property
    def capitalised(self) -> bool:
        return self.capitalize_default if self.capitalize is None else self.capitalize

    @classmethod
    def summary(cls) -> str:
        return (cls.__doc__ or "").strip().splitlines()[0]

    @classmethod
    def description(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    def pays_on(self, deal_type: str) -> bool:
        """Whether an event of this deal type can earn money through this component (for BK203)."""
        return False

    def horizon_months(self) -> int:
        """Months past an event's month that this component's lines for it reach (0: none later)."""
        return 0

    def explain(self, line, facts) -> list[str] | None:
        """Phrases that say how one of its lines came about, from the line's figures and ``facts``; None
        leaves the line to the shared wording of ``compcalc.explain_line``."""
        return None

    def compute(self, plan: "Plan", ctx: "Context") -> "pd.DataFrame":  # pragma: no cover
        raise NotImplementedError


REGISTRY: dict[str, type[Component]] = {}


def register(cls: type[Component]) -> type[Component]:
    name = cls.model_fields["type"].default
    cls.type_name = name
    if name in REGISTRY:
        raise RuntimeError(f"component type {name!r} registered twice")
    REGISTRY[name] = cls
    return cls

"""Property (issue 14): with extreme-but-valid plan decimals and amounts, every line equals SPEC §3's
arithmetic done in exact ``fractions.Fraction`` — or the book is refused because it is past a bound
(README "Bounds"), never wrapped.

The reference below is written from the SPEC, independently of compcalc.money. ``benchmarks/
bench_property.py`` runs the same property over 10,000 examples; the suite runs 200.
"""
from __future__ import annotations

import math
import tempfile
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compcalc.problems import InputError

from inline_book import plan, run_book

MAX_CENTS = 99_999_999_999_999
MAX_RUN_CENTS = 10**15
CLOSE = 2027 * 12  # 2027-01 as a month index


def decimal_text(units: int, places: int) -> str:
    """``units / 10**places`` as plain decimal text (what a plan or CSV would hold)."""
    whole, part = divmod(units, 10**places)
    return f"{whole}.{part:0{places}d}" if places else str(whole)


def cents_text(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


@st.composite
def fractions_(draw, top: int = 1, positive: bool = False):
    """A decimal with 0–10 places in [0, top] (or (0, top]), as (text, Fraction)."""
    places = draw(st.just(10) | st.integers(0, 10))  # ten places most often: the largest numerators
    lo = 1 if positive else 0
    units = draw(st.integers(lo, top * 10**places) | st.integers(max(lo, top * 10**places // 3), top * 10**places))
    return decimal_text(units, places), Fraction(units, 10**places)


@dataclass
class Example:
    rounding: str
    rate: tuple
    upfront: tuple
    months: int
    cadence: str
    max_term: int | None
    arr: int
    term: int
    tcv: int | None
    share: tuple | None  # split between ae1 (share) and ae2 (1 − share)
    fx: tuple | None  # deal in EUR at this rate


amounts = st.one_of(st.integers(10**9, 10**13), st.integers(0, MAX_CENTS), st.integers(MAX_CENTS - 10**6, MAX_CENTS),
                    st.integers(0, 10**6))
examples = st.builds(
    Example,
    rounding=st.sampled_from(["half_up", "half_even"]),
    rate=fractions_(), upfront=fractions_(),
    months=st.integers(0, 120), cadence=st.sampled_from(["monthly", "quarterly"]),
    max_term=st.none() | st.integers(1, 1200),
    arr=amounts, term=st.integers(1, 1200), tcv=st.none() | amounts,
    share=st.none() | st.integers(1, 10**10 - 1).map(lambda u: (decimal_text(u, 10), Fraction(u, 10**10))),
    fx=st.none() | fractions_(top=1_000_000, positive=True),
)


def rnd(f: Fraction, mode: str) -> int:
    """SPEC §3 rounding to whole cents, written out: half away from zero, or half to even."""
    sign = -1 if f < 0 else 1
    a = abs(f)
    q = math.floor(a)
    r = a - q
    if r > Fraction(1, 2) or (r == Fraction(1, 2) and (mode == "half_up" or q % 2 == 1)):
        q += 1
    return sign * q


def expected(ex: Example):
    """The lines SPEC §3 pays, as sorted (rep, month, kind, cents); or None when a bound refuses the book."""
    mode = ex.rounding
    arr, tcv = ex.arr, ex.tcv
    if ex.fx:  # converted and rounded before anything else
        arr = rnd(arr * ex.fx[1], mode)
        tcv = None if tcv is None else rnd(tcv * ex.fx[1], mode)
        if arr > MAX_CENTS or (tcv or 0) > MAX_CENTS:
            return None
    tcv_exact = Fraction(tcv) if tcv is not None else Fraction(arr * ex.term, 12)
    reps = [("ae1", Fraction(1))] if ex.share is None else [("ae1", ex.share[1]), ("ae2", 1 - ex.share[1])]
    rate, up = ex.rate[1], ex.upfront[1]
    out = []
    for rep, share in reps:
        basis = tcv_exact * share
        if ex.max_term:
            basis *= Fraction(min(ex.term, ex.max_term), ex.term)
        commission = rnd(rate * basis, mode)
        if ex.months == 0:
            upfront, n, step = commission, 0, 1
        else:
            upfront = rnd(commission * up, mode)
            n, step = (ex.months, 1) if ex.cadence == "monthly" else (math.ceil(ex.months / 3), 3)
        out.append((rep, CLOSE, "upfront", upfront))
        rest = commission - upfront
        for k in range(1, n + 1):
            each = rnd(Fraction(rest, n), mode)
            out.append((rep, CLOSE + k * step, "installment", each if k < n else rest - each * (n - 1)))
        out.append((rep, CLOSE, "commission", rnd(rate * min(Fraction(arr), tcv_exact) * share, mode)))
    out = [line for line in out if line[3] != 0]  # a line is a money movement
    if sum(abs(line[3]) for line in out) > MAX_RUN_CENTS:
        return None
    return sorted(out)


def book(ex: Example) -> dict:
    components = f"""
        - id: land_tcv
          type: tcv_commission
          rate: {ex.rate[0]}
          {f"max_term_months: {ex.max_term}" if ex.max_term else ""}
          vesting: {{upfront_pct: {ex.upfront[0]}, months: {ex.months}, cadence: {ex.cadence}}}
        - id: land_acv
          type: acv_commission
          rate: {ex.rate[0]}
    """
    roster = "rep_id,name,plan_id,start_date\nae1,A One,nb,2027-01-01\nae2,A Two,nb,2027-01-01\n"
    tcv = "" if ex.tcv is None else cents_text(ex.tcv)
    deals = ("deal_id,account_id,type,close_date,arr,owner_id,term_months,tcv,currency\n"
             f"D1,A1,new,2027-01-15,{cents_text(ex.arr)},ae1,{ex.term},{tcv},{'EUR' if ex.fx else ''}\n")
    optional = {}
    if ex.share:
        optional["splits"] = f"deal_id,rep_id,share\nD1,ae1,{ex.share[0]}\nD1,ae2,{decimal_text(10**10 - int(ex.share[1] * 10**10), 10)}\n"
    if ex.fx:
        optional["fx_rates"] = f"currency,period,rate\nEUR,2027-01,{ex.fx[0]}\n"
    return dict(plans=plan("nb", components, rounding=ex.rounding), roster=roster, deals=deals, **optional)


def check(ex: Example) -> None:
    want = expected(ex)
    with tempfile.TemporaryDirectory() as tmp:
        try:
            result = run_book(Path(tmp), through="2037-02", **book(ex))
        except InputError as e:
            assert want is None, (ex, str(e))
            return
    assert want is not None, ex
    lines = result.lines
    got = sorted(zip(lines["rep_id"], lines["month"].tolist(), lines["kind"], lines["amount"].tolist()))
    assert got == want, ex


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(examples)
def test_every_line_is_exact_spec_arithmetic_or_the_book_is_refused(ex):
    check(ex)

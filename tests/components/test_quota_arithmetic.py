"""quota_attainment's integer arithmetic gives exactly what the Fraction arithmetic it replaced gave.

The reference functions below are the component's former Fraction code, kept verbatim in spirit:
Earned over the tiers (marginal or whole), threshold and cap; the tier reached; the attainment text;
the quota periods' prorated Q, TI and kicker levels. The component's ``earned``/``tier_reached``/
``ratio_text``/``periods`` and the integer forms a quota run calls (on unreduced numerators and
denominators) must agree with them on every input, under both rounding modes.
"""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from compcalc.components import quota_attainment as qa
from compcalc.components.quota_attainment import Kicker, QuotaAttainment, Tier, ratio_text
from compcalc.money import HALF_EVEN, HALF_UP, round_fraction, round_ratio, to_cents
from compcalc.periods import first_day

MODES = (HALF_UP, HALF_EVEN)


# -- the Fraction reference (the component's arithmetic before it moved to integers) -----------------
def ref_earned(comp, attained: Fraction, quota: Fraction, incentive: Fraction) -> Fraction:
    if quota <= 0 or attained <= 0:
        return Fraction(0)
    if comp.threshold is not None and attained < Fraction(comp.threshold) * quota:
        return Fraction(0)
    base = incentive / quota
    total = Fraction(0)
    lower = Fraction(0)
    for tier in comp.tiers:
        upper = None if tier.up_to is None else Fraction(tier.up_to) * quota
        if comp.tier_mode == "whole":
            if upper is None or attained <= upper or tier is comp.tiers[-1]:
                total = base * Fraction(tier.multiplier) * attained
                break
        else:
            top = attained if upper is None else min(attained, upper)
            if top > lower:
                total += base * Fraction(tier.multiplier) * (top - lower)
        if upper is None or attained <= upper:
            break
        lower = upper
    if comp.cap is not None:
        total = min(total, Fraction(comp.cap) * incentive)
    return total


def ref_tier_reached(comp, attained: Fraction, quota: Fraction) -> int:
    for i, tier in enumerate(comp.tiers, 1):
        if tier.up_to is None or attained <= Fraction(tier.up_to) * quota:
            return i
    return len(comp.tiers)


def ref_ratio_text(attained: Fraction, quota: Fraction) -> str:
    pct = attained / quota if quota else Fraction(0)
    return f"{Decimal(pct.numerator) / Decimal(pct.denominator):.4f}"


def ref_periods(comp, plan_year: int, start: int, end: int, override, rounding: str) -> list[tuple]:
    size = qa.PERIOD_MONTHS[comp.period]
    out = []
    for first in range(plan_year, plan_year + 12, size):
        last = first + size - 1
        lo, hi = max(start, first), min(end, last)
        if lo <= hi:
            quota_cents, ti_cents = comp.quota_on(first_day(first), override), comp.incentive_on(first_day(first))
            if comp.ramp:
                factors = sum(Fraction(comp.ramp[m - start]) if m - start < len(comp.ramp) else 1
                              for m in range(lo, hi + 1))
                quota = Fraction(quota_cents, 12) * factors
            else:
                quota = Fraction(quota_cents * (hi - lo + 1), 12)
            incentive = Fraction(ti_cents * (hi - lo + 1), 12)
            kickers = tuple((Fraction(k.at) * quota,
                             round_fraction(Fraction(to_cents(k.amount) * (hi - lo + 1), size), rounding))
                            for k in comp.kickers)
            out.append((first, last, lo, hi, quota, incentive, kickers))
    return out


# -- strategies ------------------------------------------------------------------------------------
def hundredths(lo: int, hi: int):
    return st.integers(lo, hi).map(lambda n: Decimal(n) / 100)


@st.composite
def components(draw, ramp=False):
    n = draw(st.integers(1, 4))
    bounds = sorted(draw(st.sets(st.integers(1, 40_000), min_size=n, max_size=n)))
    ups = [Decimal(b) / 100 for b in bounds]  # increasing, two decimals
    if draw(st.booleans()):
        ups[-1] = None  # an open last tier
    mults = draw(st.lists(st.integers(0, 5000).map(lambda m: Decimal(m) / 1000), min_size=n, max_size=n))
    extra = {}
    if ramp:
        extra["ramp"] = tuple(draw(st.lists(hundredths(0, 100), max_size=6)))
        extra["period"] = draw(st.sampled_from(["year", "quarter", "month"]))
        ats = draw(st.sets(st.integers(1, 30_000), max_size=3))
        extra["kickers"] = tuple(Kicker(at=Decimal(a) / 100, amount=Decimal(draw(st.integers(0, 10**8))) / 100)
                                 for a in sorted(ats))
    return QuotaAttainment(
        id="q", quota=Decimal(draw(st.integers(1, 10**10))) / 100,
        target_incentive=Decimal(draw(st.integers(0, 10**9))) / 100,
        tiers=tuple(Tier(up_to=u, multiplier=m) for u, m in zip(ups, mults)),
        tier_mode=draw(st.sampled_from(["marginal", "whole"])),
        threshold=draw(st.none() | hundredths(0, 200)),
        cap=draw(st.none() | hundredths(0, 500)),
        **extra)


denominators = st.sampled_from([1, 2, 3, 7, 12, 24, 36, 100, 120]) | st.integers(1, 10**6)
# cents as they come: prorated quota and TI over twelfths (or ramp factors), attainment over 12 × shares
quotas = st.builds(Fraction, st.integers(-10**6, 10**12) | st.just(0), denominators)
incentives = st.builds(Fraction, st.integers(0, 10**11), denominators)
attainments = st.builds(Fraction, st.integers(-10**12, 10**13) | st.just(0), denominators)
scales = st.integers(1, 1000)  # the hot path passes numerators and denominators unreduced


@settings(max_examples=600, deadline=None)
@given(comp=components(), attained=attainments, quota=quotas, incentive=incentives,
       k1=scales, k2=scales, k3=scales)
def test_earned_tier_and_text_match_the_fraction_reference(comp, attained, quota, incentive, k1, k2, k3):
    want = ref_earned(comp, attained, quota, incentive)
    assert comp.earned(attained, quota, incentive) == want
    num, den = qa._schedule(comp).earned(attained.numerator * k1, attained.denominator * k1,
                                         quota.numerator * k2, quota.denominator * k2,
                                         incentive.numerator * k3, incentive.denominator * k3)
    assert den > 0 and Fraction(num, den) == want
    for mode in MODES:
        assert round_ratio(num, den, mode) == round_fraction(want, mode)
    assert comp.tier_reached(attained, quota) == ref_tier_reached(comp, attained, quota)
    tier = qa._schedule(comp).tier(attained.numerator * k1, attained.denominator * k1,
                                   quota.numerator * k2, quota.denominator * k2)
    assert tier == ref_tier_reached(comp, attained, quota)
    assert ratio_text(attained, quota) == ref_ratio_text(attained, quota)
    assert qa._ratio_text(attained.numerator * k1, attained.denominator * k1,
                          quota.numerator * k2, quota.denominator * k2) == ref_ratio_text(attained, quota)


@settings(max_examples=300, deadline=None)
@given(comp=components(), attained=attainments, quota=quotas, incentive=incentives)
def test_attainment_near_a_bound_matches_the_reference(comp, attained, quota, incentive):
    # A exactly at, just below and just above each tier bound, threshold and cap level: the cases where
    # a cross-multiplied comparison could differ from the Fraction one
    levels = [t.up_to for t in comp.tiers if t.up_to is not None] + [x for x in (comp.threshold, comp.cap) if x]
    for level in levels:
        at = Fraction(level) * quota
        for a in (at, at - Fraction(1, 10**6), at + Fraction(1, 10**6)):
            assert comp.earned(a, quota, incentive) == ref_earned(comp, a, quota, incentive)
            assert comp.tier_reached(a, quota) == ref_tier_reached(comp, a, quota)


@given(num=st.integers(-10**15, 10**15), den=st.integers(1, 10**9), k=scales, mode=st.sampled_from(MODES))
def test_round_ratio_is_round_fraction_on_unreduced_pairs(num, den, k, mode):
    assert round_ratio(num * k, den * k, mode) == round_fraction(Fraction(num, den), mode)


@settings(max_examples=300, deadline=None)
@given(comp=components(ramp=True), start=st.integers(0, 23), length=st.integers(0, 30),
       override=st.none() | st.integers(-10**6, 10**10), mode=st.sampled_from(MODES))
def test_periods_match_the_fraction_reference(comp, start, length, override, mode):
    base = 2027 * 12  # month index of January 2027
    start, end = base + start, base + start + length
    for plan_year in (base, base + 12):
        want = ref_periods(comp, plan_year, start, end, override, mode)
        got = comp.periods(plan_year, start, end, override, mode)
        assert [(p.first, p.last, p.active_first, p.active_last, p.quota, p.incentive, p.kickers) for p in got] == want
        terms = comp.periods(plan_year, start, end, override, mode)
        assert [(t.q, t.qd, t.ti, t.tid) for t in terms] == \
            [(*comp._prorated_terms(first_day(p.first), p.active_first, p.active_last, start, override),) for p in got]
        for t, p in zip(terms, got):
            assert (Fraction(t.q, t.qd), Fraction(t.ti, t.tid)) == comp.prorated(first_day(p.first), p.active_first,
                                                                                 p.active_last, start, override)
            assert t.quota_cents == round_fraction(p.quota, mode)


# -- hand-checked examples ---------------------------------------------------------------------------
def component(**kw) -> QuotaAttainment:
    return QuotaAttainment(id="q", quota=Decimal("100000.00"), target_incentive=Decimal("10000.00"),
                           tiers=(Tier(up_to=Decimal("1.0"), multiplier=Decimal(1)),
                                  Tier(up_to=None, multiplier=Decimal(2))), **kw)


Q, TI = Fraction(100_000_00), Fraction(10_000_00)  # cents


def test_graduated_tiers_at_120_percent():
    # 10,000 for the first 100% and 2 × 2,000 for the 20% above: 14,000.00
    assert component().earned(Fraction(120_000_00), Q, TI) == 1_400_000
    assert component().tier_reached(Fraction(120_000_00), Q) == 2
    assert ratio_text(Fraction(120_000_00), Q) == "1.2000"


def test_whole_tier_threshold_and_cap():
    # whole: the 2× of A's tier applies to all of A: 2 × 12,000 = 24,000.00; at exactly 100%, tier 1
    whole = component(tier_mode="whole")
    assert whole.earned(Fraction(120_000_00), Q, TI) == 2_400_000
    assert whole.earned(Fraction(100_000_00), Q, TI) == 1_000_000
    assert whole.tier_reached(Fraction(100_000_00), Q) == 1
    # threshold 50%: 40% earns nothing, 50% earns 5,000.00; cap 1.5 × TI: 200% would earn 30,000, capped 15,000
    capped = component(threshold=Decimal("0.5"), cap=Decimal("1.5"))
    assert capped.earned(Fraction(40_000_00), Q, TI) == 0
    assert capped.earned(Fraction(50_000_00), Q, TI) == 500_000
    assert capped.earned(Fraction(200_000_00), Q, TI) == 1_500_000
    assert capped.earned(Fraction(-5_000_00), Q, TI) == 0


def test_half_cents_round_by_the_plan_mode():
    # quota 2.00, TI 0.01: A 1.00 earns half a cent, A 3.00 one and a half
    comp = QuotaAttainment(id="q", quota=Decimal("2.00"), target_incentive=Decimal("0.01"))
    s = qa._schedule(comp)
    half, one_and_half = s.earned(100, 1, 200, 1, 1, 1), s.earned(300, 1, 200, 1, 1, 1)
    assert Fraction(*half) == Fraction(1, 2) and Fraction(*one_and_half) == Fraction(3, 2)
    assert [round_ratio(*half, m) for m in MODES] == [1, 0]
    assert [round_ratio(*one_and_half, m) for m in MODES] == [2, 2]
    assert ratio_text(Fraction(1), Fraction(3)) == "0.3333" and ratio_text(Fraction(2), Fraction(3)) == "0.6667"
    assert ratio_text(Fraction(5), Fraction(0)) == "0.0000"

"""quota_attainment: a full quota on a bookings measure, with accelerator tiers, quota periods and kickers."""
from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from fractions import Fraction
from math import gcd, lcm
from typing import Annotated, Literal, NamedTuple

import numpy as np
import pandas as pd
from pydantic import Field, model_validator

from compcalc import ledger_lines as L
from compcalc.components.base import Component, Factor, Frozen, Money, Rate, net_new_expansion_arr, register
from compcalc.components.dated import Dated, value_on
from compcalc.money import display, format_cents, product, round_fraction, round_ratio, to_cents
from compcalc.periods import first_day, month_index, period, plan_year_start


# What earns credit under each measure (SPEC §8.1): the deal types that count, and their sign.
MEASURES = {
    "net_new_expansion_arr": ("expansion", "renewal", "contraction", "churn"),
    "new_arr": ("new",),
    "new_tcv": ("new",),
    "net_new_arr": ("new", "expansion", "renewal", "contraction", "churn"),
}
MEASURE_NAMES = {
    "net_new_expansion_arr": "net new expansion ARR",
    "new_arr": "new ARR",
    "new_tcv": "new TCV",
    "net_new_arr": "net new ARR",
}
PERIOD_MONTHS = {"year": 12, "quarter": 3, "month": 1}


@L.fact_type
class QuotaFacts(NamedTuple):
    """A quota or kicker line's figures: the period's prorated quota (cents), attainment A / Q as exact
    decimal text, the tier A falls in, the plan year's running earnings after the line (tier earnings on a
    quota line, kicker total on a kicker line) and the quota period's first and last month."""

    quota: L.Cents
    attainment: str
    tier: int
    earned_to_date: L.Cents
    period_first: L.Month
    period_last: L.Month


@L.fact_type
class TrueUpFacts(NamedTuple):
    """An annual true-up's figures: the annual quota and the year's credits (cents), what they earn on
    the annual quota, and what the periods paid."""

    annual_quota: L.Cents
    credits: L.Cents
    year_earned: L.Cents
    periods_paid: L.Cents
PositiveMoney = Annotated[Money, Field(gt=0)]


class Tier(Frozen):
    up_to: Decimal | None = Field(None, gt=0, le=1000, allow_inf_nan=False)
    multiplier: Factor


class Kicker(Frozen):
    at: Decimal = Field(gt=0, le=1000, allow_inf_nan=False)
    amount: Money


class QuotaPeriod(NamedTuple):  # a NamedTuple: built for every period of every assignment
    """One quota period of an assignment's part of a plan year, with its prorated figures as integer
    numerators over positive denominators (a quota run compares and rounds them without Fractions)."""

    first: int  # first month of the period (calendar: the period's own first month)
    last: int
    active_first: int  # the assignment's active months within it
    active_last: int
    q: int  # Q_P = q / qd cents
    qd: int
    ti: int  # TI_P = ti / tid cents
    tid: int
    kicker_terms: tuple[tuple[int, int, int], ...]  # (at × Q_P as numerator, denominator; prorated amount in cents)
    quota_cents: int  # Q_P rounded, as the facts show it

    @property
    def quota(self) -> Fraction:
        return Fraction(self.q, self.qd)

    @property
    def incentive(self) -> Fraction:
        return Fraction(self.ti, self.tid)

    @property
    def kickers(self) -> tuple[tuple[Fraction, int], ...]:
        """(at × Q_P, prorated amount in cents) of each kicker."""
        return tuple((Fraction(n, d), amount) for n, d, amount in self.kicker_terms)


@register
class QuotaAttainment(Component):
    """Pays a target incentive for reaching quota, with accelerator tiers, quota periods and kickers.

    ``measure`` picks what earns credit, per event × split share (SPEC §8.1): ``net_new_expansion_arr``
    (default: + expansion, + renewal uplift if ``renewal_uplift_as_expansion``, − renewal downsell,
    − contraction, − churn if ``net_of_churn``), ``new_arr`` (+ land ARR), ``new_tcv`` (+ land TCV),
    ``net_new_arr`` (lands and net expansion in one number). Quota Q and target incentive TI are
    prorated by the assignment's active months in each quota ``period`` (year, quarter or month; with
    ``ramp``, Q counts each month by its ramp factor). base rate = TI / Q. With A = max(0, cumulative
    credits of the period), Earned = Σ tiers base rate × multiplier × (part of A in the tier)
    (``tier_mode: whole``: the multiplier of A's tier applies to all of A), zero below ``threshold`` × Q,
    at most ``cap`` × TI, rounded to cents. Each line is the change in the plan year's running earnings
    since the last line (monthly, or at the end of each plan-year quarter), negative when contraction
    lowers A. ``kickers`` pay a lump sum (prorated) while A is at or above ``at`` × Q in a period,
    reversed if A falls back; ``annual_true_up`` pays, in the year's last month, what the annual quota
    would have earned beyond what the periods paid. ``quota`` and ``target_incentive`` may be dated.
    """

    type: Literal["quota_attainment"] = "quota_attainment"
    measure: Literal["net_new_expansion_arr", "new_arr", "new_tcv", "net_new_arr"] = "net_new_expansion_arr"
    quota: Dated[PositiveMoney]
    target_incentive: Dated[Money]
    tiers: tuple[Tier, ...] = (Tier(up_to=None, multiplier=Decimal(1)),)
    tier_mode: Literal["marginal", "whole"] = "marginal"
    renewal_uplift_as_expansion: bool = True
    net_of_churn: bool = True
    cap: Factor | None = None
    threshold: Factor | None = None
    cadence: Literal["monthly", "quarterly"] = "monthly"
    ramp: tuple[Rate, ...] = ()
    period: Literal["year", "quarter", "month"] = "year"
    annual_true_up: bool = False
    kickers: tuple[Kicker, ...] = ()

    kinds = (L.QUOTA, L.KICKER, L.TRUE_UP)
    example = """\
- id: net_expansion
  type: quota_attainment
  measure: net_new_expansion_arr
  quota: 600000
  target_incentive: 120000
  renewal_uplift_as_expansion: true
  tiers:
    - {up_to: 1.0, multiplier: 1.0}
    - {up_to: 1.5, multiplier: 1.5}
    - {up_to: null, multiplier: 2.0}
  # Quarterly quota with an annual true-up and a kicker at 100% (SPEC §8.2, §8.3):
  # period: quarter
  # annual_true_up: true
  # kickers: [{at: 1.0, amount: 5000}]
"""

    @model_validator(mode="after")
    def _tiers_ascend(self):
        if not self.tiers:
            raise ValueError("tiers: at least one tier is needed")
        bounds = [t.up_to for t in self.tiers]
        if any(b is None for b in bounds[:-1]):
            raise ValueError("tiers: only the last tier may have up_to: null")
        finite = [b for b in bounds if b is not None]
        if any(b2 <= b1 for b1, b2 in zip(finite, finite[1:])):
            raise ValueError("tiers: up_to must increase from one tier to the next")
        if self.annual_true_up and self.period == "year":
            raise ValueError("annual_true_up needs period: quarter or month (a yearly quota is already annual)")
        ats = [k.at for k in self.kickers]
        if len(set(ats)) != len(ats):
            raise ValueError("kickers: each kicker needs its own 'at' level")
        return self

    def pays_on(self, deal_type: str) -> bool:
        if self.measure in ("new_arr", "new_tcv"):
            return deal_type == "new"
        if deal_type == "new":
            return self.measure == "net_new_arr"
        return deal_type == "expansion" or (deal_type == "renewal" and self.renewal_uplift_as_expansion)

    @property
    def basis_name(self) -> str:
        return MEASURE_NAMES[self.measure]

    @property
    def credited_types(self) -> tuple[str, ...]:
        """The deal types whose events can earn credit under ``measure``."""
        return MEASURES[self.measure]

    @staticmethod
    def credit_denominator(c: pd.DataFrame) -> int:
        """The denominator of :meth:`credits` for these credited events (12 × the shares' common one)."""
        return 12 * (lcm(*[int(d) for d in np.unique(c["share_den"].to_numpy(np.int64))]) if len(c) else 1)

    # -- explanation: rendered from a line's facts, never read back ---------------------------------
    def quota_note(self, f: QuotaFacts) -> str:
        return (f"attainment {_pct_text(f.attainment)} of quota {format_cents(f.quota)} (tier {f.tier}); "
                f"earned to date {format_cents(f.earned_to_date)}")

    # Notes use plain amounts (no thousands commas) so that lines.csv needs no quoting.
    def kicker_note(self, f: QuotaFacts, change: int) -> str:
        what = "kicker reached" if change > 0 else "kicker reversed"
        levels = " / ".join(f"{share_text(k.at)} ({format_cents(to_cents(k.amount))})" for k in self.kickers)
        return (f"{what}: attainment {_pct_text(f.attainment)} of quota {format_cents(f.quota)} in "
                f"{_span(f.period_first, f.period_last)}; kickers at {levels} a full period")

    def true_up_note(self, f: TrueUpFacts) -> str:
        return (f"annual true-up: credits {format_cents(f.credits)} on the annual quota {format_cents(f.annual_quota)} "
                f"earn {format_cents(f.year_earned)}; the {self.period} periods paid {format_cents(f.periods_paid)}")

    def explain(self, line, facts) -> list[str] | None:
        """Phrases for ``compcalc why`` and statements, from the line's figures and facts."""
        amount, basis = int(line["amount"]), line["basis"]
        if isinstance(facts, TrueUpFacts):
            return [f"the year's credits {display(facts.credits)} ({self.basis_name}) on the annual quota "
                    f"{display(facts.annual_quota)} earn {display(facts.year_earned)}",
                    f"the {self.period} periods paid {display(facts.periods_paid)}: true-up "
                    f"{display(facts.year_earned)} − {display(facts.periods_paid)} = {display(amount)}"]
        if not isinstance(facts, QuotaFacts):
            return None
        span = _span(facts.period_first, facts.period_last)
        if line["kind"] == L.KICKER:
            verb = "reached" if amount > 0 else "reversed: attainment fell back below its level"
            return [f"attainment {_pct_text(facts.attainment)} of quota {display(facts.quota)} in {span}",
                    f"kicker {verb}: {display(amount)}",
                    f"kickers paid this plan year {display(facts.earned_to_date)}"]
        out = [f"credits to date {display(int(basis))} ({self.basis_name})" if basis is not None else "",
               f"attainment {_pct_text(facts.attainment)} of quota {display(facts.quota)}"
               + (f" in {span}" if self.period != "year" else "")]
        bands = tier_bands(self, facts.quota)
        band = bands[min(facts.tier, len(bands)) - 1]
        upper = "and above" if band["upper"] is None else f"to {display(band['upper'])}"
        mode = " (applies to all credits)" if self.tier_mode == "whole" else ""
        out.append(f"tier {facts.tier}: credits {display(band['lower'])} {upper} ({band['range']} of quota) "
                   f"at × {band['multiplier']}{mode}")
        before = facts.earned_to_date - amount
        out.append(f"earned to date {display(facts.earned_to_date)} − earned before {display(before)} = {display(amount)}")
        return [x for x in out if x]

    # -- arithmetic -------------------------------------------------------------------------
    # Fraction-taking forms for other modules (statements) and tests; a quota run itself calls the
    # integer _Schedule directly, without building a Fraction per rep and month.
    def earned(self, attained: Fraction, quota: Fraction, incentive: Fraction) -> Fraction:
        """Exact earnings (in cents) for attainment ``attained`` against prorated quota and TI."""
        num, den = _schedule(self).earned(attained.numerator, attained.denominator, quota.numerator,
                                          quota.denominator, incentive.numerator, incentive.denominator)
        return Fraction(num, den)

    def tier_reached(self, attained: Fraction, quota: Fraction) -> int:
        return _schedule(self).tier(attained.numerator, attained.denominator, quota.numerator, quota.denominator)

    def credits(self, c: pd.DataFrame, denominator: int) -> np.ndarray:
        """Signed credit of each credited event under ``measure`` (SPEC §8.1), as integer numerators
        over ``denominator`` cents: 12 × the split shares' common denominator, so a TCV derived from ARR
        (arr × term / 12) stays exact."""
        t = c["type"].to_numpy(object)
        arr = c["arr"].to_numpy(np.int64)
        prior = c["prior_arr"].to_numpy(np.int64)
        value = np.zeros(len(c), dtype=np.int64)  # in twelfths of a cent
        measure = self.measure
        if measure in ("new_arr", "net_new_arr"):
            value = np.where(t == "new", arr * 12, value)
        if measure == "new_tcv":
            tcv = c["tcv_num"].to_numpy(np.int64) * (12 // c["tcv_den"].to_numpy(np.int64))
            value = np.where(t == "new", tcv, value)
        if measure in ("net_new_expansion_arr", "net_new_arr"):
            value = value + 12 * net_new_expansion_arr(t, arr, prior, net_of_churn=self.net_of_churn,
                                                       renewal_uplift=self.renewal_uplift_as_expansion)
        scale = denominator // 12 // c["share_den"].to_numpy(np.int64)
        return product(value, c["share_num"].to_numpy(np.int64), scale)

    def quota_on(self, day: dt.date, override) -> int:
        """The annual quota in cents in force on ``day`` (a roster quota overrides every dated value)."""
        return int(override) if override is not None and not pd.isna(override) else to_cents(value_on(self.quota, day))

    def incentive_on(self, day: dt.date) -> int:
        return to_cents(value_on(self.target_incentive, day))

    def periods(self, plan_year: int, start: int, end: int, override, rounding: str) -> list[QuotaPeriod]:
        """The quota periods of one assignment's part of the plan year starting ``plan_year`` (SPEC §8.2)."""
        size = PERIOD_MONTHS[self.period]
        levels = [(_ratio(k.at), to_cents(k.amount)) for k in self.kickers]
        out = []
        for first in range(plan_year, plan_year + 12, size):
            last = first + size - 1
            lo, hi = max(start, first), min(end, last)
            if lo <= hi:
                q, qd, ti, tid = self._prorated_terms(first_day(first), lo, hi, start, override)
                # each kicker: its level at × Q as a ratio, and its amount × active months / period months
                kickers = tuple((an * q, ad * qd, round_ratio(cents * (hi - lo + 1), size, rounding))
                                for (an, ad), cents in levels)
                out.append(QuotaPeriod(first, last, lo, hi, q, qd, ti, tid, kickers, round_ratio(q, qd, rounding)))
        return out

    def prorated(self, day: dt.date, lo: int, hi: int, start: int, override) -> tuple[Fraction, Fraction]:
        """Q and TI in cents for the active months ``lo``…``hi`` of an assignment starting ``start``, with
        the annual values in force on ``day``: × a / 12, or Q from the ramp factors (SPEC §3 Ramp)."""
        q, qd, ti, tid = self._prorated_terms(day, lo, hi, start, override)
        return Fraction(q, qd), Fraction(ti, tid)

    def _prorated_terms(self, day: dt.date, lo: int, hi: int, start: int, override) -> tuple[int, int, int, int]:
        """:meth:`prorated` as Q = q / qd and TI = ti / tid (denominators positive, not reduced)."""
        quota_cents, ti_cents = self.quota_on(day, override), self.incentive_on(day)
        if self.ramp:
            factors = sum(_exact(self.ramp[m - start]) if m - start < len(self.ramp) else 1 for m in range(lo, hi + 1))
            q, qd = quota_cents * factors.numerator, 12 * factors.denominator
        else:
            q, qd = quota_cents * (hi - lo + 1), 12
        return q, qd, ti_cents * (hi - lo + 1), 12

    def compute(self, plan, ctx) -> pd.DataFrame:
        assignments = ctx.assignments[ctx.assignments["plan_id"] == plan.plan_id]
        if assignments.empty:
            return L.empty_lines()
        c = ctx.credits_on(plan.plan_id, self.credited_types)
        denominator = self.credit_denominator(c)
        by_month: dict[int, dict[int, int]] = {}
        if len(c):
            frame = pd.DataFrame({"asg": c["asg"].to_numpy(np.int64), "month": c["month"].to_numpy(np.int64),
                                  "credit": self.credits(c, denominator)})
            sums = frame.groupby(["asg", "month"], sort=True)["credit"].sum()
            for (a, m), v in sums.items():
                by_month.setdefault(int(a), {})[int(m)] = int(v)
        year_start = month_index(plan.year_start)
        schedule = _schedule(self)
        out = []
        for asg, row in zip(assignments.index, assignments.to_dict("records")):  # iterrows builds a Series a row
            out.extend(_AssignmentQuota(self, plan, ctx, row, by_month.get(int(asg), {}), denominator,
                                        year_start, schedule).lines())
        if not out:
            return L.empty_lines()
        cols = list(zip(*out))
        return L.make_lines(rep_id=np.array(cols[0], dtype=object), month=np.array(cols[1], dtype=np.int64),
                            plan_id=plan.plan_id, component_id=self.id, kind=np.array(cols[2], dtype=object),
                            basis=pd.array(list(cols[3]), dtype="Int64"), rate=np.array(cols[4], dtype=object),
                            amount=np.array(cols[5], dtype=np.int64), note=np.array(cols[6], dtype=object),
                            facts=list(cols[7]))


class _AssignmentQuota:
    """One assignment's quota lines, plan year by plan year (SPEC §3, §8.2, §8.3)."""

    def __init__(self, comp: QuotaAttainment, plan, ctx, row, credits: dict[int, int], denominator: int,
                 year_start: int, schedule: "_Schedule"):
        self.comp, self.plan, self.ctx, self.row = comp, plan, ctx, row
        self.credits, self.den, self.year_start = credits, denominator, year_start
        self.schedule = schedule
        self.rounding = plan.rounding
        self.override = None if pd.isna(row["quota"]) else row["quota"]

    def lines(self) -> list[tuple]:
        start, end = int(self.row["start_month"]), int(self.row["end_month"])
        last = min(end, self.ctx.through_month)
        out = []
        py = plan_year_start(start, self.year_start)
        while py <= last:
            out.extend(self._plan_year(py, start, end, last))
            py += 12
        return out

    def _plan_year(self, py, start, end, last) -> list[tuple]:
        comp, rep, den, schedule, rounding = self.comp, self.row["rep_id"], self.den, self.schedule, self.rounding
        lo, hi = max(start, py), min(end, py + 11)
        stop = min(hi, last)
        periods = comp.periods(py, start, end, self.override, rounding)
        months = sorted(m for m in self.credits if lo <= m <= stop)
        if comp.cadence == "quarterly":
            emit = [m for m in range(lo, stop + 1) if (m - py) % 3 == 2 or m == end]
        else:
            emit = months  # E changes only in months with credits
        # One pass in month order: a period's credits are added as its months come, and a period that has
        # ended before the month looked at is closed at its final Earned_P (SPEC §8.2's E).
        state = {"period": 0, "next": 0, "cumulative": 0, "closed_e": 0, "closed_k": 0}

        def evaluate(p: QuotaPeriod, cumulative: int) -> tuple[int, int, int]:
            """Earned_P, the kickers reached and A's numerator over ``den`` (A = max(0, credits))."""
            a = cumulative if cumulative > 0 else 0
            num, d = schedule.earned(a, den, p.q, p.qd, p.ti, p.tid)
            # kicker at level ln / ld: A >= level, cross-multiplied (den, ld > 0)
            kicked = sum(amount for ln, ld, amount in p.kicker_terms if a * ld >= ln * den) if p.q > 0 else 0
            return round_ratio(num, d, rounding), kicked, a

        def take_through(month: int) -> None:
            while state["next"] < len(months) and months[state["next"]] <= month:
                state["cumulative"] += self.credits[months[state["next"]]]
                state["next"] += 1

        def running(m: int):
            """E(m) and the plan year's kicker total K(m), the current period and its A(m)'s numerator."""
            while periods[state["period"]].last < m:  # close the periods over before m
                p = periods[state["period"]]
                take_through(p.last)
                e, k, _ = evaluate(p, state["cumulative"])
                state["closed_e"] += e
                state["closed_k"] += k
                state["period"] += 1
                state["cumulative"] = 0
            take_through(m)
            p = periods[state["period"]]
            e, k, a = evaluate(p, state["cumulative"])
            return state["closed_e"] + e, state["closed_k"] + k, (p, a)

        lines = []
        paid_e = paid_k = 0  # E and K at the last line
        for m in emit:
            e, k, current = running(m)
            if e != paid_e:
                facts = self._facts(current, e)
                lines.append((rep, m, L.QUOTA, round_ratio(current[1], den, rounding), "", e - paid_e,
                              comp.quota_note(facts), facts))
                paid_e = e
            if k != paid_k:
                facts = self._facts(current, k)
                lines.append((rep, m, L.KICKER, None, "", k - paid_k, comp.kicker_note(facts, k - paid_k), facts))
                paid_k = k
        if comp.annual_true_up and hi <= self.ctx.through_month:
            lines.extend(self._true_up(py, lo, hi, start, running(hi)[0]))
        return lines

    def _true_up(self, py, lo, hi, start, paid) -> list[tuple]:
        """SPEC §8.2: in the assignment's last month of the plan year, max(0, Y − E) (kickers in neither)."""
        comp, den = self.comp, self.den
        q, qd, ti, tid = comp._prorated_terms(first_day(py), lo, hi, start, self.override)
        cumulative = sum(v for m, v in self.credits.items() if lo <= m <= hi)
        a = max(0, cumulative)  # A = a / den
        year = round_ratio(*self.schedule.earned(a, den, q, qd, ti, tid), self.rounding)
        amount = max(0, year - paid)
        if not amount:
            return []
        facts = TrueUpFacts(round_ratio(q, qd, self.rounding), round_ratio(a, den, self.rounding), year, paid)
        return [(self.row["rep_id"], hi, L.TRUE_UP, year, "", amount, comp.true_up_note(facts), facts)]

    def _facts(self, current: tuple[QuotaPeriod, int], to_date: int) -> QuotaFacts:
        p, a = current  # the period and A's numerator over self.den
        return QuotaFacts(p.quota_cents, _ratio_text(a, self.den, p.q, p.qd),
                          self.schedule.tier(a, self.den, p.q, p.qd), to_date, p.first, p.last)


@functools.lru_cache(maxsize=4096)
def _exact(value: Decimal) -> Fraction:
    """A plan's tier bound, multiplier, threshold, cap, kicker level or ramp factor as a fraction: built
    once per value, not once per rep and month (Fraction(Decimal) is the slow step of a quota run)."""
    return Fraction(value)


def _ratio(value: Decimal) -> tuple[int, int]:
    f = _exact(value)
    return f.numerator, f.denominator


# -- exact integer arithmetic -----------------------------------------------------------------------
# A quota run evaluates Earned for every assignment and month with credits. With Fractions each step
# was an object and a gcd; here every quantity is an integer numerator over a positive integer
# denominator (A = a / ad, Q = q / qd, TI = ti / tid), comparisons are cross-multiplied, and a result
# is rounded once, so the values are exactly those of the Fraction arithmetic they replace.

class _Schedule:
    """A component's tiers, threshold and cap as integer ratios, built once per component.

    Tier bounds are numerators over one common denominator ``bound_den`` and multipliers over
    ``mult_den``, so a whole tier walk adds integers and divides once."""

    __slots__ = ("bounds", "bound_den", "mults", "mult_den", "whole", "threshold", "cap")

    def __init__(self, tiers: tuple[Tier, ...], tier_mode: str, threshold: Decimal | None, cap: Decimal | None):
        ups = [None if t.up_to is None else _ratio(t.up_to) for t in tiers]
        mults = [_ratio(t.multiplier) for t in tiers]
        self.bound_den = lcm(*(u[1] for u in ups if u is not None))  # lcm() of nothing is 1
        self.bounds = tuple(None if u is None else u[0] * (self.bound_den // u[1]) for u in ups)
        self.mult_den = lcm(*(d for _, d in mults))
        self.mults = tuple(n * (self.mult_den // d) for n, d in mults)
        self.whole = tier_mode == "whole"
        self.threshold = None if threshold is None else _ratio(threshold)
        self.cap = None if cap is None else _ratio(cap)

    def tier(self, a: int, ad: int, q: int, qd: int) -> int:
        """The tier A = a / ad falls in against Q = q / qd: the first whose bound × Q is at least A."""
        at, scale = a * qd * self.bound_den, q * ad  # A and bound × Q over ad × qd × bound_den
        for i, b in enumerate(self.bounds, 1):
            if b is None or at <= b * scale:
                return i
        return len(self.bounds)

    def earned(self, a: int, ad: int, q: int, qd: int, ti: int, tid: int) -> tuple[int, int]:
        """Exact Earned (cents) as (numerator, denominator > 0) for A = a / ad, Q = q / qd, TI = ti / tid."""
        if q <= 0 or a <= 0:
            return 0, 1
        if self.threshold is not None:
            tn, td = self.threshold
            if a * td * qd < tn * q * ad:  # A < threshold × Q
                return 0, 1
        # A and each bound × Q as integer numerators over ad × qd × bound_den
        at, scale = a * qd * self.bound_den, q * ad
        s = lower = 0  # s: Σ multiplier × (part of A in the tier), over mult_den and that denominator
        last = len(self.bounds) - 1
        for i, (b, m) in enumerate(zip(self.bounds, self.mults)):
            upper = None if b is None else b * scale
            if self.whole:
                # the tier A falls in; above a bounded last tier, still the last tier (no cliff to 0)
                if upper is None or at <= upper or i == last:
                    s = m * at
                    break
            else:
                top = at if upper is None or at <= upper else upper
                if top > lower:
                    s += m * (top - lower)
            if upper is None or at <= upper:
                break
            lower = upper
        # Earned = TI / Q × s / (mult_den × ad × qd × bound_den); the qd of TI / Q cancels
        num, den = ti * s, tid * q * self.mult_den * ad * self.bound_den
        if self.cap is not None:
            cn, cd = self.cap
            if num * cd * tid > cn * ti * den:  # above cap × TI
                num, den = cn * ti, cd * tid
        return num, den


@functools.lru_cache(maxsize=256)
def _schedule_for(tiers: tuple[Tier, ...], tier_mode: str, threshold, cap) -> _Schedule:
    return _Schedule(tiers, tier_mode, threshold, cap)


def _schedule(comp: QuotaAttainment) -> _Schedule:
    # keyed on the fields it reads: the component itself may hold a dated (dict) value, not hashable
    return _schedule_for(comp.tiers, comp.tier_mode, comp.threshold, comp.cap)


def _ratio_text(a: int, ad: int, q: int, qd: int) -> str:
    """ratio_text of A = a / ad and Q = q / qd: the reduced fraction A / Q (as Fraction holds it) in
    Decimal division, printed with 4 decimals."""
    n, d = (a * qd, ad * q) if q else (0, 1)
    if d < 0:
        n, d = -n, -d
    g = gcd(n, d)
    return f"{Decimal(n // g) / Decimal(d // g):.4f}"


def ratio_text(attained: Fraction, quota: Fraction) -> str:
    return _ratio_text(attained.numerator, attained.denominator, quota.numerator, quota.denominator)


def share_text(level: Decimal) -> str:
    return f"{(Decimal(level) * 100).normalize():f}%"


def _span(first: int, last: int) -> str:
    return period(first) if first == last else f"{period(first)} to {period(last)}"


def _pct_text(ratio: str) -> str:
    """Attainment text "1.0833" as a percentage with two decimals: "108.33%"."""
    return f"{(Decimal(ratio) * 100).quantize(Decimal('0.01'))}%"


def tier_bands(component, quota_cents: int) -> list[dict]:
    """Each tier as a band of credits: lower and upper (None = no limit) in cents, multiplier text, and
    its range as a share of quota."""
    bands, low = [], Decimal(0)
    for i, tier in enumerate(component.tiers, 1):
        up = None if tier.up_to is None else Decimal(tier.up_to)
        span = f"{share_text(low)} and above" if up is None else f"{share_text(low)} to {share_text(up)}"
        bands.append({"tier": i, "lower": round_fraction(Fraction(low) * quota_cents),
                      "upper": None if up is None else round_fraction(Fraction(up) * quota_cents),
                      "multiplier": f"{Decimal(tier.multiplier).normalize():f}", "range": span})
        if up is None:
            break
        low = up
    return bands

"""Credit events to assignments: who earns on what, under which plan, as of which date.

An assignment is one roster row (a rep on a plan for a date range). Each deal is credited to its
owner — or, when split, to each split rep for their share — and belongs to the assignment whose range
contains its close date. The :class:`Context` built here is everything a component needs: credited
events, lands and their closers, churn dates, leavers, milestones and metrics, all as frames, plus
vectorised lookups. Events of a rep with no assignment on their date are collected as unassigned.
"""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from compcalc.assignments import DAY_SPAN, AssignmentIndex, days
from compcalc.frames import filled, object_frame, text
from compcalc.inputs import Book
from compcalc.money import to_cents
from compcalc.periods import NEVER, month_end, month_index, months_of, periods, plan_year_start


class Context:
    """The credited book for one run through ``through_month``.

    ``until`` (default: ``through_month``) is how far components write their schedules: a run asked
    for its schedule (``pipeline.run(..., schedule=True)``) gets the installments already owed after
    ``through_month`` from the same computation, instead of a second run.
    """

    def __init__(self, book: Book, through_month: int, until: int | None = None):
        self.book = book
        self.plans = book.plans
        self.through_month = through_month
        self.until = through_month if until is None else max(until, through_month)
        self.unassigned: list[pd.DataFrame] = []
        self._build_assignments()
        self.first_month = self._run_start(through_month)
        self._build_deals()
        self._build_credits()
        self._build_milestones()
        self._build_metrics()

    # -- assignments --------------------------------------------------------------------------
    def _build_assignments(self) -> None:
        r = self.book.roster
        a = object_frame({
            "rep_id": r["rep_id"].to_numpy(object),
            "name": r["name"].to_numpy(object),
            "plan_id": r["plan_id"].to_numpy(object),
            "start": r["start_date"].to_numpy(),
            "end": r["end_date"].to_numpy(),
            "quota": r["quota"].array,
            "manager_id": r["manager_id"].to_numpy(object),
            "draw": r["draw"].array,
            "draw_months": r["draw_months"].array,
            "draw_type": r["draw_type"].to_numpy(object),
            "row": r["row"].to_numpy(),
        })
        a["start_month"] = months_of(a["start"]) if len(a) else np.array([], dtype=np.int64)
        end_known = ~pd.isna(a["end"]).to_numpy()
        end_month = np.full(len(a), NEVER, dtype=np.int64)
        if end_known.any():
            end_month[end_known] = months_of(a["end"].to_numpy()[end_known])
        a["end_month"] = end_month
        self._plan_draws(a)
        self.assignments = a
        self._index = AssignmentIndex(a["rep_id"].to_numpy(object), a["plan_id"].to_numpy(object),
                                      a["start"].to_numpy(), a["end"].to_numpy())
        # The leave month: the end of the rep's last assignment, if it has one.
        last = a.sort_values(["rep_id", "start"]).groupby("rep_id", sort=False).tail(1)
        self._leave = pd.Series(last["end_month"].to_numpy(), index=last["rep_id"].to_numpy(object))

    def _plan_draws(self, a: pd.DataFrame) -> None:
        """SPEC §8.10: an assignment with no roster ``draw`` takes its plan's draw schedule, if any
        (``draw_amounts``: cents per month from the assignment's start; None = the roster's draw)."""
        schedules = {pid: (tuple(to_cents(v) for v in p.draw.amounts), p.draw.type)
                     for pid, p in self.plans.items() if p.draw is not None}
        amounts = np.full(len(a), None, dtype=object)
        if schedules and len(a):
            no_roster_draw = pd.isna(a["draw"]).to_numpy(bool)
            kinds = a["draw_type"].to_numpy(object).copy()
            for i in np.flatnonzero(no_roster_draw & a["plan_id"].isin(list(schedules)).to_numpy()):
                amounts[i], kinds[i] = schedules[a["plan_id"].iat[i]]
            a["draw_type"] = kinds
        a["draw_amounts"] = amounts

    def _run_start(self, through_month: int) -> int:
        """SPEC §5: the first month of the earliest plan year (plan years tile) that holds an assignment.

        ``year_start`` anchors a plan's years; the roster says when a plan applies, so an assignment
        before a plan's ``year_start`` starts the run in that plan's earlier, tiled year."""
        return run_start(self.book, through_month, self.assignments["start_month"])

    def assignment_at(self, rep_ids, dates) -> np.ndarray:
        """Index of the assignment of each rep on each date, or -1."""
        return self._index.at(rep_ids, dates)

    def plan_of(self, asg) -> np.ndarray:
        """The plan id of each assignment index ("" for -1)."""
        return self._index.plan_ids(asg)

    def leave_months(self, rep_ids) -> np.ndarray:
        """The month each rep left (end of their last assignment), or NEVER."""
        return self._leave.reindex(np.asarray(rep_ids, dtype=object)).fillna(NEVER).to_numpy(np.int64)

    def leave_periods(self, rep_ids) -> np.ndarray:
        return periods(self.leave_months(rep_ids)).astype(object)

    # -- deals and credits --------------------------------------------------------------------
    def _build_deals(self) -> None:
        d = self.book.deals
        arr = d["arr"].to_numpy(dtype=np.int64, na_value=0)
        term = d["term_months"].to_numpy(np.int64) if len(d) else np.array([], dtype=np.int64)
        has_tcv = ~d["tcv"].isna().to_numpy() if len(d) else np.array([], dtype=bool)
        tcv = d["tcv"].to_numpy(dtype=np.int64, na_value=0)
        deals = object_frame({
            "deal_id": d["deal_id"].to_numpy(object),
            "account_id": d["account_id"].to_numpy(object),
            "type": d["type"].to_numpy(object),
            "date": d["close_date"].to_numpy(dtype="datetime64[ns]"),
            "owner_id": d["owner_id"].to_numpy(object),
            "arr": arr,
            "prior_arr": d["prior_arr"].to_numpy(dtype=np.int64, na_value=0),
            "term": term,
            # TCV as an exact fraction of cents: given, or arr × term / 12 (not rounded).
            "tcv_num": np.where(has_tcv, tcv, arr * term),
            "tcv_den": np.where(has_tcv, 1, 12).astype(np.int64),
        })
        deals["month"] = months_of(deals["date"]) if len(deals) else np.array([], dtype=np.int64)
        self.deals = deals
        lands = deals[deals["type"] == "new"]
        self.lands = object_frame({
            "account_id": lands["account_id"].to_numpy(object),
            "land_deal_id": lands["deal_id"].to_numpy(object),
            "land_date": lands["date"].to_numpy(),
            "land_month": lands["month"].to_numpy(np.int64),
            "land_arr": lands["arr"].to_numpy(np.int64),
        })
        churn = deals[deals["type"] == "churn"]
        self._accounts = pd.Index(pd.unique(deals["account_id"].to_numpy(object)))  # codes need no order
        code = self._accounts.get_indexer(churn["account_id"])
        day = days(churn["date"])
        order = np.lexsort((day, code))
        self._churn_keys = (code * DAY_SPAN + day)[order]
        self._churn_code = code[order]
        self._churn_month = churn["month"].to_numpy(np.int64)[order]
        self._churn_date = churn["date"].dt.strftime("%Y-%m-%d").to_numpy(object)[order] if len(churn) else \
            np.array([], dtype=object)
        self._churn_deal = churn["deal_id"].to_numpy(object)[order]

    def first_churn(self, account_ids, dates) -> pd.DataFrame:
        """The first churn of each account on or after each date: month (NEVER if none), date_text, deal_id."""
        n = len(account_ids)
        if n == 0 or len(self._churn_keys) == 0:
            return object_frame({"month": np.full(n, NEVER, dtype=np.int64), "date_text": filled(n, ""),
                                 "deal_id": filled(n, "")})
        code = self._accounts.get_indexer(np.asarray(account_ids, dtype=object))
        pos = np.searchsorted(self._churn_keys, code * DAY_SPAN + days(dates), side="left")
        pos_ok = np.clip(pos, 0, len(self._churn_keys) - 1)
        found = (pos < len(self._churn_keys)) & (code >= 0) & (self._churn_code[pos_ok] == code)
        return object_frame({
            "month": np.where(found, self._churn_month[pos_ok], NEVER),
            "date_text": np.where(found, self._churn_date[pos_ok], ""),
            "deal_id": np.where(found, self._churn_deal[pos_ok], ""),
        })

    def _build_credits(self) -> None:
        deals = self.deals
        s = self.book.splits
        overlay_rows = (s["mode"].to_numpy(object) == "overlay") if len(s) and "mode" in s else np.zeros(len(s), bool)
        split_part = s[~overlay_rows] if overlay_rows.any() else s
        split_ids = pd.Index(split_part["deal_id"].to_numpy(object)).unique() if len(split_part) else pd.Index([])
        # a hash lookup: Series.isin on Arrow text walks the values in Python
        is_split = split_ids.get_indexer(deals["deal_id"].to_numpy(object)) >= 0 if len(split_ids) else None
        whole = deals[~is_split] if is_split is not None else deals.copy(deep=False)
        whole["rep_id"] = text(whole["owner_id"], index=whole.index)
        whole["share_num"] = np.ones(len(whole), dtype=np.int64)
        whole["share_den"] = np.ones(len(whole), dtype=np.int64)
        whole["overlay"] = np.zeros(len(whole), dtype=bool)
        parts = [whole]
        # SPEC §8.8: split rows replace the owner; overlay rows credit their rep on top, the same way.
        for rows, overlay in ((split_part, False), (s[overlay_rows], True)):
            if not len(rows):
                continue
            uniq = {v: Fraction(v) for v in set(rows["share"])}
            sp = object_frame({"deal_id": rows["deal_id"].to_numpy(object), "rep_id": rows["rep_id"].to_numpy(object),
                               "share_num": [uniq[v].numerator for v in rows["share"]],
                               "share_den": [uniq[v].denominator for v in rows["share"]]})
            merged = deals.merge(sp, on="deal_id", how="inner")
            merged["overlay"] = np.full(len(merged), overlay, dtype=bool)
            parts.append(merged)
        credits = pd.concat(parts, ignore_index=True) if len(parts) > 1 else whole
        credits["share_num"] = credits["share_num"].astype(np.int64)
        credits["share_den"] = credits["share_den"].astype(np.int64)
        credits["asg"] = self.assignment_at(credits["rep_id"].to_numpy(object), credits["date"].to_numpy())
        credits["plan_id"] = text(self.plan_of(credits["asg"].to_numpy()), index=credits.index)
        self.credits = credits
        lost = credits[credits["asg"] < 0]
        if len(lost):
            self._add_unassigned("deals", lost["deal_id"], lost["rep_id"], lost["date"], lost["type"] + " deal")
        closers = credits[credits["type"] == "new"][["account_id", "rep_id", "share_num", "share_den", "overlay"]]
        self.land_closers = closers.merge(self.lands, on="account_id", how="inner")
        # Row numbers, not sub-frames: a copy of the credits per plan would double their memory.
        assigned = np.flatnonzero(credits["asg"].to_numpy() >= 0)
        codes, plan_ids = pd.factorize(credits["plan_id"].to_numpy(object)[assigned])
        order = np.argsort(codes, kind="stable")
        bounds = np.searchsorted(codes[order], np.arange(len(plan_ids) + 1))
        self._plan_rows = {pid: assigned[order[bounds[i]:bounds[i + 1]]] for i, pid in enumerate(plan_ids)}
        self._credit_type = credits["type"].to_numpy(object)

    @staticmethod
    def overlay_notes(c: pd.DataFrame) -> np.ndarray | str:
        """'overlay share 0.5' for overlay credits (SPEC §8.8), '' otherwise (a scalar when none is)."""
        if "overlay" not in c or not c["overlay"].to_numpy(bool).any():
            return ""
        ov = c["overlay"].to_numpy(bool)
        sn, sd = c["share_num"].to_numpy(), c["share_den"].to_numpy()
        out = np.full(len(c), "", dtype=object)
        texts = {}
        for i in np.flatnonzero(ov):
            key = (int(sn[i]), int(sd[i]))
            if key not in texts:
                texts[key] = f"overlay share {(Decimal(key[0]) / Decimal(key[1])).normalize():f}"
            out[i] = texts[key]
        return out

    def credits_on(self, plan_id: str, types) -> pd.DataFrame:
        """Credited events of the given deal types that belong to assignments on ``plan_id``."""
        rows = self._plan_rows.get(plan_id)
        if rows is None:
            return self.credits.iloc[0:0]
        wanted = np.isin(self._credit_type[rows], list(types))
        return self.credits.take(rows[wanted])

    # -- milestones and metrics ---------------------------------------------------------------
    def _build_milestones(self) -> None:
        m = self.book.milestones
        if not len(m):
            self.milestones = pd.DataFrame(columns=["account_id", "milestone", "date", "month", "csm_id"])
            return
        ms = object_frame({"account_id": m["account_id"].to_numpy(object),
                           "milestone": m["milestone"].to_numpy(object),
                           "date": m["achieved_date"].to_numpy(dtype="datetime64[ns]"),
                           "csm_id": m["csm_id"].to_numpy(object)})
        ms["month"] = months_of(ms["date"])
        self.milestones = ms
        asg = self.assignment_at(ms["csm_id"].to_numpy(object), ms["date"].to_numpy())
        lost = ms[asg < 0]
        if len(lost):
            self._add_unassigned("milestones", lost["account_id"] + ":" + lost["milestone"], lost["csm_id"],
                                 lost["date"], "milestone")

    def _build_metrics(self) -> None:
        m = self.book.metrics
        if not len(m):
            self.metrics = pd.DataFrame(columns=["rep_id", "month", "period", "metric", "metric_key", "value", "asg"])
            return
        month = m["month"].to_numpy(np.int64)
        last_day = month_end(month)
        mt = object_frame({"rep_id": m["rep_id"].to_numpy(object), "month": month,
                           "period": m["period"].to_numpy(object), "metric": m["metric"].to_numpy(object),
                           "metric_key": m["metric"].str.strip().str.lower().to_numpy(object),
                           "value": m["value"].to_numpy(object)})
        mt["asg"] = self.assignment_at(mt["rep_id"].to_numpy(object), last_day)
        self.metrics = mt
        lost = mt[mt["asg"] < 0]
        if len(lost):
            self._add_unassigned("metrics", lost["metric"] + ":" + lost["period"], lost["rep_id"],
                                 last_day[mt["asg"].to_numpy() < 0], "metric")

    def _add_unassigned(self, source, event_id, rep_id, dates, what) -> None:
        dates = pd.DatetimeIndex(np.asarray(dates, dtype="datetime64[ns]"))
        in_run = months_of(dates) <= self.through_month  # later events are not this run's business yet
        dates = dates[in_run]
        text = dates.strftime("%Y-%m-%d").to_numpy(object)
        rep = np.asarray(rep_id, dtype=object)[in_run]
        if not len(rep):
            return
        what = np.asarray(what, dtype=object)
        self.unassigned.append(object_frame({
            "source": source, "event_id": np.asarray(event_id, dtype=object)[in_run], "rep_id": rep,
            "date": text, "period": periods(months_of(dates)),
            "reason": (what[in_run] if what.ndim else what) + " dated " + text + ": rep " + rep
                      + " has no assignment on that date",
        }))

    def unassigned_frame(self) -> pd.DataFrame:
        cols = ["source", "event_id", "rep_id", "date", "period", "reason"]
        if not self.unassigned:
            return pd.DataFrame(columns=cols)
        return pd.concat(self.unassigned, ignore_index=True)[cols]


def run_start(book: Book, through_month: int, start_months=None) -> int:
    """The run's first month (SPEC §5; see Context._run_start), also for commands that check
    ``--through`` before running."""
    r = book.roster
    if start_months is None:
        start_months = months_of(r["start_date"]) if len(r) else []
    starts = [plan_year_start(int(m), month_index(book.plans[p].year_start))
              for m, p in zip(start_months, r["plan_id"]) if p in book.plans]
    if starts:
        return min(starts)
    anchors = [month_index(p.year_start) for p in book.plans.values()]
    return min(anchors) if anchors else through_month

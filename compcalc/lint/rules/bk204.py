"""BK204 book.weak_expansion"""
from __future__ import annotations

from fractions import Fraction

from compcalc.book_metrics import percent
from compcalc.lint.base import WARNING, BookRule

MIN_NRR = Fraction(105, 100)
MIN_EXPANSION_SHARE = Fraction(25, 100)


class WeakExpansion(BookRule):
    """The book's NRR is below 105% or expansion is below 25% of new + expansion ARR.

    Runs with deals. Uses the book metrics of the window (the 12 months ending with the last month that
    has a deal): fires when NRR < 105% or expansion share = (expansion + uplift) / (new + expansion +
    uplift) < 25%. A ratio whose denominator is zero (no starting ARR, no ARR booked) is not judged.

    **Why this kills expansion**

    This is the outcome the other rules predict. A land-and-expand business lives on its installed base
    growing: below 105% net revenue retention the base shrinks or stands still in real terms, and when
    expansion is under a quarter of the ARR booked, growth is being bought one new logo at a time. The
    comp plans are the first place to look — who is paid to grow accounts, on what, and from when.

    **Anti-pattern**

    A book whose base shrinks and whose growth is all new logos:

    ```yaml
    deals:
      - {deal_id: D1, account_id: A1, type: new, close_date: 2026-01-15, arr: 100000, owner_id: ae1}
      - {deal_id: D2, account_id: A2, type: new, close_date: 2026-02-15, arr: 50000, owner_id: ae1}
      - {deal_id: D3, account_id: A1, type: contraction, close_date: 2027-03-01, arr: 10000, owner_id: am1}
      - {deal_id: D4, account_id: A3, type: new, close_date: 2027-06-10, arr: 60000, owner_id: ae1}
    ```

    **Best practice**

    Pay expansion owners on net new expansion ARR (EX103), closers on year-one expansion (EX109) and CSMs
    on activation (EX102), and the book follows:

    ```yaml
    deals:
      - {deal_id: D1, account_id: A1, type: new, close_date: 2026-01-15, arr: 100000, owner_id: ae1}
      - {deal_id: D2, account_id: A2, type: new, close_date: 2026-02-15, arr: 50000, owner_id: ae1}
      - {deal_id: D3, account_id: A1, type: expansion, close_date: 2027-03-01, arr: 25000, owner_id: am1}
      - {deal_id: D4, account_id: A3, type: new, close_date: 2027-06-10, arr: 60000, owner_id: ae1}
    ```
    """

    code = "BK204"
    name = "book.weak_expansion"
    severity = WARNING

    def check(self, plans, book, config):
        m = book.metrics
        if m is None:
            return
        w = m.window
        problems, fixes = [], []
        if w.nrr is not None and w.nrr < MIN_NRR:
            problems.append(f"NRR {percent(w.nrr)}% (below {percent(MIN_NRR, 0)}%)")
            fixes.append("put expansion in someone's number (quota_attainment on net_new_expansion_arr)")
        share = w.expansion_share
        if share is not None and share < MIN_EXPANSION_SHARE:
            problems.append(f"expansion {percent(share)}% of new + expansion ARR (below {percent(MIN_EXPANSION_SHARE, 0)}%)")
            fixes.append("pay closers on year-one expansion (closer_expansion) and CSMs on activation")
        if problems:
            yield self.finding(
                " and ".join(problems) + f" over {w.start:%Y-%m}..{w.end:%Y-%m}",
                "; ".join(fixes) + " — see `compcalc explain EX103`, `EX109`, `EX102`",
                file=book.deals_file)

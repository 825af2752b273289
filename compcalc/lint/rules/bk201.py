"""BK201 book.land_below_minimum"""
from __future__ import annotations

import numpy as np

from compcalc.lint.base import WARNING, BookRule, by_plan, deal_examples, money


class LandBelowMinimum(BookRule):
    """Lands come in below the minimum viable land ARR (default 15,000).

    Runs with deals. Fires when ``new`` deals have ``arr`` below the minimum viable land
    (``[tool.compcalc.lint] min_land_arr``, default 15,000.00): one finding per plan of the closers
    (with a roster; otherwise one for the book), naming the first of them.

    **Why this kills expansion**

    Land-and-expand needs a land big enough to expand from: a real team, a budget holder and a use
    case that can spread. Lands below the minimum viable size are pilots that cost a full sales cycle and
    an onboarding, rarely activate, and give the expansion owner nothing to grow — they usually mean the
    plan pays per logo (or a flat land bonus) rather than for a land that can become an account.

    **Anti-pattern**

    A book whose lands are token pilots:

    ```yaml
    deals:
      - {deal_id: D1, account_id: A1, type: new, close_date: 2027-01-20, arr: 6000, owner_id: ae1}
      - {deal_id: D2, account_id: A2, type: new, close_date: 2027-02-11, arr: 9500, owner_id: ae1}
      - {deal_id: D3, account_id: A3, type: new, close_date: 2027-03-05, arr: 40000, owner_id: ae2}
    ```

    **Best practice**

    Qualify lands to the minimum viable size (and pay on TCV with a closer share of expansion, so a
    right-sized land pays better over time than a token one):

    ```yaml
    deals:
      - {deal_id: D1, account_id: A1, type: new, close_date: 2027-01-20, arr: 18000, owner_id: ae1}
      - {deal_id: D2, account_id: A2, type: new, close_date: 2027-02-11, arr: 25000, owner_id: ae1}
      - {deal_id: D3, account_id: A3, type: new, close_date: 2027-03-05, arr: 40000, owner_id: ae2}
    ```
    """

    code = "BK201"
    name = "book.land_below_minimum"
    severity = WARNING

    def check(self, plans, book, config):
        lands = book.is_type("new")
        arr = book.arr
        small = lands & (arr < config.min_land_arr)
        if not small.any():
            return
        for plan_id, group in by_plan(book, np.flatnonzero(lands)):
            hit = group[small[group]]
            if not len(hit):
                continue
            who = f" closed on {plan_id}" if plan_id else ""
            yield self.finding(
                f"{len(hit)} of {len(group)} lands{who} below the minimum viable land of "
                f"{money(config.min_land_arr)}: " + deal_examples(book, hit, lambda i: money(arr[i])),
                "qualify lands to the minimum viable size and pay for land size over time (TCV with vesting, "
                "closer_expansion), not per logo",
                plan_id=plan_id, file=book.deals_file, line=int(book.line_of(hit[:1])[0]))

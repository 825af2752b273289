"""BK202 book.land_term_lock_in"""
from __future__ import annotations

import numpy as np
import pandas as pd

from compcalc.lint.base import WARNING, BookRule, by_plan, deal_examples

MAX_TERM = 24


class LandTermLockIn(BookRule):
    """Lands are signed for terms over 24 months (multi-year flat-fee lock-in).

    Runs with deals. Fires when ``new`` deals have ``term_months`` above 24 (an empty term counts as
    12): one finding per plan of the closers (with a roster; otherwise one for the book).

    **Why this kills expansion**

    A three- or five-year land at a flat fee is usually what a TCV plan without a term cap buys: the rep
    is paid for the whole term up front, the customer gets a discount for committing before using the
    product, and the account is frozen at its landing size with no price step-up and no renewal moment to
    expand at. Expansion then has to be sold against a contract that already "covers" the customer.

    **Anti-pattern**

    ```yaml
    deals:
      - {deal_id: D1, account_id: A1, type: new, close_date: 2027-01-20, arr: 30000, owner_id: ae1, term_months: 60}
      - {deal_id: D2, account_id: A2, type: new, close_date: 2027-02-11, arr: 25000, owner_id: ae1, term_months: 36}
    ```

    **Best practice**

    Land on 12–24 month terms (and cap the term a TCV commission counts with ``max_term_months: 24``):

    ```yaml
    deals:
      - {deal_id: D1, account_id: A1, type: new, close_date: 2027-01-20, arr: 30000, owner_id: ae1, term_months: 24}
      - {deal_id: D2, account_id: A2, type: new, close_date: 2027-02-11, arr: 25000, owner_id: ae1, term_months: 12}
    ```
    """

    code = "BK202"
    name = "book.land_term_lock_in"
    severity = WARNING

    def check(self, plans, book, config):
        d = book.deals
        if "term_months" not in d.columns:
            return
        lands = book.is_type("new")
        term = pd.array(d["term_months"], dtype="Int64").fillna(12).to_numpy(np.int64)
        long = lands & (term > MAX_TERM)
        if not long.any():
            return
        for plan_id, group in by_plan(book, np.flatnonzero(lands)):
            hit = group[long[group]]
            if not len(hit):
                continue
            who = f" closed on {plan_id}" if plan_id else ""
            yield self.finding(
                f"{len(hit)} of {len(group)} lands{who} signed for more than {MAX_TERM} months: "
                + deal_examples(book, hit, lambda i: f"{term[i]} months"),
                f"land on 12–{MAX_TERM} month terms; cap tcv_commission with max_term_months: {MAX_TERM}",
                plan_id=plan_id, file=book.deals_file, line=int(book.line_of(hit[:1])[0]))

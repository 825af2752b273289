"""BK203 book.expansion_unpaid"""
from __future__ import annotations

import numpy as np
import pandas as pd

from compcalc.lint.base import ERROR, BookRule, by_plan, deal_examples, examples, money


class ExpansionUnpaid(BookRule):
    """Expansion ARR is credited to reps whose plan pays nothing on expansion.

    Runs with deals and roster. Fires when ``expansion`` deals (ARR > 0) are owned by a rep whose
    assignment on the close date is on a plan, among those linted, none of whose components pays on
    expansion (``pays_on("expansion")``): one finding per such plan, naming the reps. Deals whose rep has
    no assignment on the date, or whose plan was not linted, are not judged.

    **Why this kills expansion**

    The CRM says these reps are the ones growing accounts, but their plan pays nothing for it: the
    expansion happened despite the comp plan, goes unrewarded, and will stop (or be booked as something
    the plan does pay for, such as a renewal or a new logo). Either the expansion is credited to the wrong
    person, or the plan of the person doing it is missing its expansion component.

    **Anti-pattern**

    ```yaml
    plan_id: am_2027
    name: Account Manager 2027
    role: account_manager
    year_start: 2027-01-01
    components:
      - id: renewals
        type: renewal_commission
        rate: 0.03
        basis: flat_portion
    ---
    roster:
      - {rep_id: am1, name: Ana, plan_id: am_2027, start_date: 2027-01-01}
    deals:
      - {deal_id: D1, account_id: A1, type: new, close_date: 2026-03-10, arr: 40000, owner_id: ae9}
      - {deal_id: D2, account_id: A1, type: expansion, close_date: 2027-04-02, arr: 15000, owner_id: am1}
    ```

    **Best practice**

    ```yaml
    plan_id: am_2027
    name: Account Manager 2027
    role: account_manager
    year_start: 2027-01-01
    components:
      - id: net_expansion
        type: quota_attainment
        quota: 600000
        target_incentive: 120000
    ---
    roster:
      - {rep_id: am1, name: Ana, plan_id: am_2027, start_date: 2027-01-01}
    deals:
      - {deal_id: D1, account_id: A1, type: new, close_date: 2026-03-10, arr: 40000, owner_id: ae9}
      - {deal_id: D2, account_id: A1, type: expansion, close_date: 2027-04-02, arr: 15000, owner_id: am1}
    ```
    """

    code = "BK203"
    name = "book.expansion_unpaid"
    severity = ERROR
    requires = ("deals", "roster")

    def check(self, plans, book, config):
        unpaid = {pid for pid, plan in plans.items()
                  if not any(c.pays_on("expansion") for c in plan.components)}
        if not unpaid:
            return
        arr = book.arr
        expansions = np.flatnonzero(book.is_type("expansion") & (arr > 0))
        for plan_id, group in by_plan(book, expansions):
            if plan_id not in unpaid:
                continue
            reps = sorted(pd.unique(book.column("owner_id", group)))
            yield self.finding(
                f"{len(group)} expansion deal{'' if len(group) == 1 else 's'} ({money(arr[group].sum())} ARR) credited to "
                f"{examples(reps)} on {plan_id}, which pays nothing on expansion: "
                + deal_examples(book, group),
                f"give {plan_id} an expansion component (quota_attainment on net_new_expansion_arr) or credit "
                "the expansion to the rep who owns it",
                plan_id=plan_id, file=book.deals_file, line=int(book.line_of(group[:1])[0]))

"""Rebuild the sample company's CSVs (roster, deals, milestones, metrics) in this folder.

Deterministic: running it again writes the same bytes. The company runs the plans in
``plans/land_and_expand`` over 2025-01 … 2026-12. Run: ``python examples/company/make_company.py``.
"""
from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIRST, LAST = dt.date(2025, 1, 1), dt.date(2026, 12, 31)
MONTHS = 24

# rep_id, name, plan_id, start, end, quota, manager_id
ROSTER = [
    ("mg01", "Priya Natarajan", "sales_manager", "2025-01-01", "", "", ""),
    ("mg02", "Marcus Webb", "sales_manager", "2025-01-01", "", "", ""),
    ("ae01", "Dana Reyes", "nb_ae", "2025-01-01", "", "", "mg01"),
    ("ae02", "Tomás Alvarez", "nb_ae", "2025-01-01", "2026-06-30", "", "mg01"),
    ("ae02", "Tomás Alvarez", "exp_ae", "2026-07-01", "", "250000", "mg02"),  # promoted
    ("ae03", "Grace Liu", "nb_ae", "2025-01-01", "", "", "mg01"),
    ("ae04", "Omar Haddad", "nb_ae", "2025-03-01", "", "", "mg01"),
    ("ae05", "Sofia Rossi", "nb_ae", "2025-01-01", "2026-03-31", "", "mg01"),  # leaves
    ("ae06", "Ben Carter", "nb_ae", "2025-09-01", "", "", "mg01"),
    ("xa01", "Lee Park", "exp_ae", "2025-01-01", "", "", "mg02"),
    ("xa02", "Nia Okafor", "exp_ae", "2025-01-01", "", "", "mg02"),
    ("xa03", "Jonas Berg", "exp_ae", "2025-04-01", "", "250000", "mg02"),  # smaller books: a lower quota
    ("xa04", "Hana Sato", "exp_ae", "2025-07-01", "", "250000", "mg02"),
    ("cs01", "Kim Osei", "csm", "2025-01-01", "", "", "mg02"),
    ("cs02", "Rafael Costa", "csm", "2025-01-01", "", "", "mg02"),
    ("cs03", "Maya Patel", "csm", "2025-06-01", "", "", "mg02"),
]


def on_plan(plan_id: str, day: dt.date) -> list[str]:
    """Reps holding an assignment on ``plan_id`` on ``day``."""
    return [r[0] for r in ROSTER if r[2] == plan_id and dt.date.fromisoformat(r[3]) <= day
            and (not r[4] or day <= dt.date.fromisoformat(r[4]))]


def assigned(rep: str, day: dt.date) -> bool:
    return any(rep in on_plan(p, day) for p in ("nb_ae", "exp_ae", "csm", "sales_manager"))


def add_months(day: dt.date, k: int) -> dt.date:
    m = day.month - 1 + k
    return dt.date(day.year + m // 12, m % 12 + 1, min(day.day, 28))


def day_in(rng: random.Random, month: int) -> dt.date:
    return add_months(FIRST, month) + dt.timedelta(days=rng.randrange(28))


def money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


class Book:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.deals: list[dict] = []
        self.arr: dict[str, int] = {}  # account -> current ARR in cents
        self.landed: dict[str, int] = {}  # account -> ARR when it joined the book: sizes its expansions
        self.owner: dict[str, str] = {}  # account -> expansion AE
        self.churned: dict[str, dt.date] = {}

    def book(self, account, kind, day, arr, owner, term="", tcv="", prior=""):
        self.deals.append(dict(account_id=account, type=kind, close_date=day, arr=arr, owner_id=owner,
                               term_months=term, tcv=tcv, prior_arr=prior))

    def expansion_owner(self, account: str, day: dt.date) -> str:
        owner = self.owner[account]
        if day >= dt.date(2026, 7, 1) and hash_pick(account, 5) == 0:
            return "ae02"  # accounts handed to the newly promoted expansion AE
        if account.startswith("ACC-9"):  # the installed base is rebalanced as the team grows
            for rep, start in (("xa03", dt.date(2025, 4, 1)), ("xa04", dt.date(2025, 7, 1))):
                if day >= start and hash_pick(account, 7) == (1 if rep == "xa03" else 2):
                    return rep
        return owner

    def follow_ons(self, account: str, since: dt.date, renewals: list[tuple[dt.date, int]],
                   p_exp: float, p_con: float, p_churn: float) -> None:
        """Month by month after ``since``: expansions, contractions, renewals on schedule, maybe churn."""
        rng = self.rng
        month = (since.year - 2025) * 12 + since.month  # the month after ``since``
        for m in range(month, MONTHS):
            day = day_in(rng, m)
            if day <= since:
                continue
            owner = self.expansion_owner(account, day)
            due = [r for r in renewals if r[0].year == day.year and r[0].month == day.month]
            if due:
                rday, term = due[0]
                prior = self.arr[account]
                roll = rng.random()
                factor = (rng.uniform(1.03, 1.15) if roll < 0.7 else 1.0 if roll < 0.88
                          else rng.uniform(0.85, 0.97))
                new = round(prior * factor / 100) * 100
                self.book(account, "renewal", rday, money(new), owner, str(term), prior=money(prior))
                self.arr[account] = new
                nxt = add_months(rday, term)
                if nxt <= LAST:
                    renewals.append((nxt, 12))
                continue
            roll = rng.random()
            if roll < p_churn:
                self.book(account, "churn", day, money(self.arr[account]), owner)
                self.churned[account] = day
                return
            if roll < p_churn + p_con:
                lost = round(self.arr[account] * rng.uniform(0.08, 0.25) / 1000) * 1000
                self.book(account, "contraction", day, money(lost), owner)
                self.arr[account] -= lost
            elif roll < p_churn + p_con + p_exp:
                # sized on the account as it joined, so a few lucky accounts do not compound away
                added = round(self.landed[account] * rng.uniform(0.1, 0.45) / 1000) * 1000
                self.book(account, "expansion", day, money(added), owner, "12")
                self.arr[account] += added


def hash_pick(account: str, n: int) -> int:
    """A stable choice by account id (Python's own hash is salted per process)."""
    return sum(map(ord, account)) % n


def build(seed: int = 2025) -> dict[str, list[dict]]:
    rng = random.Random(seed)
    book = Book(rng)
    lands: list[tuple[str, dt.date, int, str]] = []  # account, day, arr cents, csm

    # Lands: a growing new-business team, about 4 to 6 a month.
    n_account = 0
    for m in range(MONTHS):
        for _ in range(3 + m // 8 + rng.randrange(3)):
            day = day_in(rng, m)
            n_account += 1
            account = f"ACC-{n_account:04d}"
            owner = rng.choice(on_plan("nb_ae", day))
            arr = max(900_000, round(rng.lognormvariate(10.25, 0.45) / 500) * 500 * 100)
            term = rng.choices([12, 24, 36], weights=[55, 33, 12])[0]
            tcv = ""
            if term > 12 and rng.random() < 0.3:  # a first-year ramp discount
                tcv = money(arr * term // 12 - arr // 10)
            book.book(account, "new", day, money(arr), owner, str(term), tcv)
            book.arr[account] = book.landed[account] = arr
            book.owner[account] = rng.choice(on_plan("exp_ae", day))
            lands.append((account, day, arr, rng.choice(on_plan("csm", day))))

    # Two early churns, inside the 3-month clawback window.
    for account, day, _, _ in lands[5:7]:
        churn_day = day + dt.timedelta(days=45 + rng.randrange(30))
        book.book(account, "churn", churn_day, money(book.arr[account]), book.owner[account])
        book.churned[account] = churn_day

    for account, day, _, _ in lands:
        if account in book.churned:
            continue
        term = int(next(d["term_months"] for d in book.deals if d["account_id"] == account))
        renewal = add_months(day, term)
        book.follow_ons(account, day, [(renewal, 12)] if renewal <= LAST else [],
                        p_exp=0.085, p_con=0.01, p_churn=0.004)

    # Accounts landed before the data starts: bigger, renewing on their own anniversaries.
    for i in range(1, 41):
        account = f"ACC-9{i:03d}"
        book.arr[account] = book.landed[account] = round(rng.uniform(25_000, 160_000) / 500) * 500 * 100
        book.owner[account] = rng.choice(["xa01", "xa02"])
        renewal = add_months(FIRST, rng.randrange(12)) + dt.timedelta(days=rng.randrange(28))
        book.follow_ons(account, FIRST - dt.timedelta(days=1), [(renewal, 12)],
                        p_exp=0.09, p_con=0.012, p_churn=0.002)

    # The two deliberate bookings with no assignment on their date: a land entered after its AE left,
    # and an expansion the new expansion AE closed the week before her start date.
    n_account += 1
    book.book(f"ACC-{n_account:04d}", "new", dt.date(2026, 4, 6), money(2_100_000), "ae05", "12")
    book.book("ACC-9041", "expansion", dt.date(2025, 6, 24), money(1_800_000), "xa04", "12")

    deals = sorted(book.deals, key=lambda d: (d["close_date"], d["account_id"], d["type"]))
    for i, d in enumerate(deals, 1):
        d["deal_id"] = f"D{i:04d}"
        d["close_date"] = d["close_date"].isoformat()

    milestones, metrics = [], []
    for account, day, arr, csm in lands:
        if rng.random() < 0.9:
            late = rng.random() < 0.15
            active = day + dt.timedelta(days=rng.randrange(95, 150) if late else rng.randrange(20, 86))
            gone = book.churned.get(account)
            if active > LAST or (gone and active >= gone):
                continue
            milestones.append(dict(account_id=account, milestone="activated", achieved_date=active.isoformat(),
                                   csm_id=csm))
            if rng.random() < 0.6:
                value = active + dt.timedelta(days=rng.randrange(30, 120))
                if value <= LAST and not (gone and value >= gone):
                    milestones.append(dict(account_id=account, milestone="first_value",
                                           achieved_date=value.isoformat(), csm_id=csm))
    milestones.sort(key=lambda r: (r["achieved_date"], r["account_id"], r["milestone"]))

    for rep, _, plan, start, *_ in ROSTER:
        if plan != "csm":
            continue
        first = dt.date.fromisoformat(start)
        for m in range((first.year - 2025) * 12 + first.month - 1, MONTHS):
            period = add_months(FIRST, m)
            metrics.append(dict(rep_id=rep, period=f"{period:%Y-%m}", metric="csat",
                                value=f"{rng.uniform(3.9, 4.9):.1f}"))

    roster = [dict(zip(["rep_id", "name", "plan_id", "start_date", "end_date", "quota", "manager_id"], r))
              for r in ROSTER]
    return {"roster": roster, "deals": deals, "milestones": milestones, "metrics": metrics}


COLUMNS = {
    "roster": ["rep_id", "name", "plan_id", "start_date", "end_date", "quota", "manager_id"],
    "deals": ["deal_id", "account_id", "type", "close_date", "arr", "owner_id", "term_months", "tcv", "prior_arr"],
    "milestones": ["account_id", "milestone", "achieved_date", "csm_id"],
    "metrics": ["rep_id", "period", "metric", "value"],
}


def write(folder: Path = HERE) -> dict[str, list[dict]]:
    tables = build()
    for name, rows in tables.items():
        with open(Path(folder) / f"{name}.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, COLUMNS[name], lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
    return tables


def main() -> None:
    tables = write()
    unassigned = [d["deal_id"] for d in tables["deals"]
                  if not assigned(d["owner_id"], dt.date.fromisoformat(d["close_date"]))]
    kinds: dict[str, int] = {}
    for d in tables["deals"]:
        kinds[d["type"]] = kinds.get(d["type"], 0) + 1
    print({k: len(v) for k, v in tables.items()}, kinds, "unassigned:", unassigned)


if __name__ == "__main__":
    main()

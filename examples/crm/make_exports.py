"""Rebuild the sample CRM exports in this folder from the sample company (examples/company).

The exports hold what a real Salesforce report and HubSpot export hold for the company's deals: the
CRM's own column names, values, ids, date and number formats and encoding, plus what a raw export
always has — lost and open deals, and the older closed-won history of the accounts whose land
predates 2025 (so a renewal's prior ARR can be derived). Imported with ``--since 2025-01-01`` they
give back the company's deals, and a run on them equals the run on examples/company/deals.csv.
Deterministic: ``python examples/crm/make_exports.py`` writes the same bytes again.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
COMPANY = HERE.parent / "company"
FORMER_REPS = ("Alex Moreau", "Jordan Blake")  # closed the old lands; long gone from the roster


def read(name: str) -> list[dict]:
    with (COMPANY / name).open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def opening_lands(deals: list[dict]) -> list[dict]:
    """For each account with no land in the data: a land before 2025 at the ARR its later rows imply."""
    lands = []
    seen = set()
    for d in deals:
        a = d["account_id"]
        if a in seen:
            continue
        seen.add(a)
        if d["type"] == "new":
            continue
        rows = [r for r in deals if r["account_id"] == a]
        change = Decimal(0)
        opening = None
        for r in rows:
            if r["type"] == "renewal":
                opening = Decimal(r["prior_arr"]) - change
                anchor = dt.date.fromisoformat(r["close_date"])
                break
            if r["type"] == "churn":
                opening = Decimal(r["arr"]) - change
                anchor = dt.date.fromisoformat(r["close_date"])
                break
            change += Decimal(r["arr"]) if r["type"] == "expansion" else -Decimal(r["arr"])
        if opening is None:
            opening, anchor = Decimal("60000.00") - change, dt.date(2025, 6, 15)
        land = anchor.replace(year=2023, day=min(anchor.day, 28))
        term = 24 if anchor.year == 2025 else 36
        lands.append(dict(deal_id=f"H{len(lands) + 1:03d}", account_id=a, type="new",
                          close_date=land.isoformat(), arr=f"{opening:.2f}", owner=FORMER_REPS[len(lands) % 2],
                          term_months=str(term), tcv="", prior_arr=""))
    return sorted(lands, key=lambda r: r["close_date"])


def raw_rows(deals: list[dict], names: dict[str, str]) -> list[dict]:
    """History, then the company's deals with a lost deal after every 25th and two open ones at the end."""
    out = [dict(r, stage="won") for r in opening_lands(deals)]
    for k, d in enumerate(deals, 1):
        out.append(dict(d, owner=names[d["owner_id"]], stage="won"))
        if k % 25 == 0:
            out.append(dict(deal_id=f"L{k:03d}", account_id=f"ACC-L{k:03d}", type="new",
                            close_date=d["close_date"], arr="31000.00", owner=names[d["owner_id"]],
                            term_months="12", tcv="", prior_arr="", stage="lost"))
    for k, (day, arr) in enumerate((("2027-01-20", "45000.00"), ("2027-02-10", "22000.00")), 1):
        out.append(dict(deal_id=f"P{k:03d}", account_id=f"ACC-P{k:03d}", type="new", close_date=day, arr=arr,
                        owner=names["ae01"], term_months="12", tcv="", prior_arr="", stage="open"))
    return out


def money_us(text: str, negative: bool = False) -> str:
    v = Decimal(text)
    return f"{'-' if negative else ''}{v:,.2f}"


SF_TYPE = {"new": "New Business", "expansion": "Existing Business", "renewal": "Renewal",
           "contraction": "Downgrade", "churn": "Churn"}
SF_STAGE = {"won": "Closed Won", "lost": "Closed Lost", "open": "Negotiation/Review"}


def salesforce(rows: list[dict]) -> bytes:
    """A Details Only report export: every field quoted, CRLF, ISO-8859-1/Windows-1252, US locale,
    downgrades and churn booked as negative amounts, and the report footer."""
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    w.writerow(["Opportunity Owner", "Account Name", "Account Number", "Opportunity Name", "Opportunity ID",
                "Type", "Stage", "Close Date", "Opportunity Currency", "Amount", "Contract Term (Months)",
                "Total Contract Value", "Lead Source"])
    for k, r in enumerate(rows):
        day = dt.date.fromisoformat(r["close_date"])
        lost = r["type"] in ("contraction", "churn")
        w.writerow([r["owner"], f"Account {r['account_id'][4:]} Ltd", r["account_id"],
                    f"{r['account_id']} {SF_TYPE[r['type']]} {day.year}", f"0065g00000{k + 1:05d}AbQ",
                    SF_TYPE[r["type"]], SF_STAGE[r["stage"]], f"{day.month}/{day.day}/{day.year}", "USD",
                    money_us(r["arr"], negative=lost), r["term_months"],
                    money_us(r["tcv"]) if r["tcv"] else "", "Partner Referral" if k % 7 == 0 else "Web"])
    w.writerow([])
    w.writerow([""])
    w.writerow(["Confidential Information - Do Not Distribute"])
    w.writerow(["Copyright (c) 2000-2027 salesforce.com, inc. All rights reserved."])
    w.writerow([""])
    w.writerow(["Generated By:  Priya Natarajan  1/4/2027 9:14 AM"])
    w.writerow(["Northwind Analytics"])
    return buf.getvalue().encode("windows-1252")


HS_TYPE = {"new": "New Business", "expansion": "Existing Business", "renewal": "Renewal",
           "contraction": "Contraction", "churn": "Churn"}
HS_STAGE = {"won": "Closed won", "lost": "Closed lost", "open": "Contract sent"}


def hubspot(rows: list[dict]) -> bytes:
    """A deals export: UTF-8, minimal quoting, dates with a time, plain numbers, Amount = contract value."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["Record ID", "Deal Name", "Pipeline", "Deal Stage", "Close Date", "Deal owner", "Deal Type",
                "Amount", "Annual recurring revenue", "Total contract value", "Contract term (months)",
                "Currency", "Account Number", "Associated Company", "Create Date"])
    for k, r in enumerate(rows):
        day = dt.date.fromisoformat(r["close_date"])
        arr = Decimal(r["arr"])
        term = int(r["term_months"]) if r["term_months"] else None
        tcv = Decimal(r["tcv"]) if r["tcv"] else (arr * term / 12 if term else None)
        created = day - dt.timedelta(days=30 + k % 40)
        w.writerow([str(9_100_000_000 + 7919 * k), f"Account {r['account_id'][4:]} – {HS_TYPE[r['type']]}",
                    "Sales Pipeline", HS_STAGE[r["stage"]], f"{day.isoformat()} {9 + k % 8:02d}:{(k * 7) % 60:02d}",
                    r["owner"], HS_TYPE[r["type"]], f"{tcv if tcv is not None else arr}", f"{arr}",
                    f"{tcv:.2f}" if tcv is not None else "", r["term_months"], "USD", r["account_id"],
                    f"Account {r['account_id'][4:]} Ltd", f"{created.isoformat()} 10:00"])
    return buf.getvalue().encode("utf-8")


def main() -> None:
    deals = read("deals.csv")
    names = {r["rep_id"]: r["name"] for r in read("roster.csv")}
    rows = raw_rows(deals, names)
    (HERE / "salesforce_opportunities.csv").write_bytes(salesforce(rows))
    (HERE / "hubspot_deals.csv").write_bytes(hubspot(rows))


if __name__ == "__main__":
    main()

"""Dates and amounts as CRMs write them, into SPEC §2 text (ISO dates, plain decimals).

Vectorised on Arrow (RE2 regexes in C++): a million-row export converts in about a second.
"""
from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# A time after the date (HubSpot writes "2025-01-02 00:00", Salesforce "1/2/2025, 9:14 AM") is ignored:
# the booking date is the calendar date the CRM shows.
_TIME = r"(?:,?[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s?[AaPp]\.?[Mm]\.?)?(?:\s?(?:Z|[+-]\d{2}:?\d{2}|[A-Z]{2,4}))?)?"
_TOKEN = {"YYYY": r"(?P<y>\d{4})", "MM": r"(?P<m>\d{1,2})", "M": r"(?P<m>\d{1,2})",
          "DD": r"(?P<d>\d{1,2})", "D": r"(?P<d>\d{1,2})"}


def _np(mask) -> np.ndarray:
    return np.asarray(mask.to_numpy(zero_copy_only=False), dtype=bool)


def date_pattern(fmt: str) -> str:
    out, i = "", 0
    for m in re.finditer(r"YYYY|MM|DD|M|D", fmt):
        out += re.escape(fmt[i:m.start()]) + _TOKEN[m.group()]
        i = m.end()
    return "^" + out + re.escape(fmt[i:]) + _TIME + "$"


def parse_dates(text: pa.Array, formats: tuple[str, ...]) -> tuple[pa.Array, np.ndarray]:
    """(ISO date text, bad) — each value read with the first format it fits; empty stays empty.

    A value that fits a format but is no calendar day (02/30/2026) is bad. An export has a few thousand
    distinct dates in a million rows: each distinct value is parsed once."""
    enc = pc.dictionary_encode(text)
    iso, bad = _parse_distinct_dates(enc.dictionary, formats)
    return iso.take(enc.indices), bad[enc.indices.to_numpy(zero_copy_only=False)]


def _parse_distinct_dates(text: pa.Array, formats: tuple[str, ...]) -> tuple[pa.Array, np.ndarray]:
    n = len(text)
    iso = pa.array([""] * n, pa.string()) if n else pa.array([], pa.string())
    done = _np(pc.equal(text, "")) if n else np.zeros(0, dtype=bool)
    for fmt in formats:
        pattern = date_pattern(fmt)
        fits = _np(pc.match_substring_regex(text, pattern)) & ~done
        if not fits.any():
            continue
        parts = pc.extract_regex(pc.if_else(pa.array(fits), text, _sample(fmt)), pattern)
        y, m, d = (parts.field(k) for k in ("y", "m", "d"))
        m = pc.utf8_lpad(m, 2, "0")
        d = pc.utf8_lpad(d, 2, "0")
        joined = pc.binary_join_element_wise(y, m, d, "-")
        iso = pc.if_else(pa.array(fits), joined, iso)
        done |= fits
    # a calendar day formats back to itself (strptime rolls 2026-02-30 over into March)
    parsed = pc.strptime(pc.if_else(pa.array(done), iso, "1970-01-01"), format="%Y-%m-%d", unit="s",
                         error_is_null=True)
    real = _np(pc.equal(pc.fill_null(pc.strftime(parsed, format="%Y-%m-%d"), ""), iso))
    empty = _np(pc.equal(text, "")) if n else done
    return iso, ~empty & ~(done & real)


def _sample(fmt: str) -> str:
    return fmt.replace("YYYY", "1970").replace("MM", "01").replace("DD", "01").replace("M", "1").replace("D", "1")


# Currency signs and codes around an amount ("$24,000.00", "USD 24,000.00", "24.000,00 €") are dropped:
# the currency comes from the currency column or the mapping's default.
_DECORATION = r"^[A-Za-z$€£¥₹\s]*|[A-Za-z$€£¥₹\s]*$"


def parse_amounts(text: pa.Array, fmt: str) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """(plain decimal text such as "-24000.00", bad, negative) in the mapping's amount format.

    ``fmt`` is a sample amount: "1,234.56" (thousands ",", decimals "."), "1.234,56", "1 234,56",
    "1'234.56" or "1234.56". Negative amounts are "-1,234.56", "1,234.56-" or "(1,234.56)"."""
    thousands = fmt[1] if not fmt[1].isdigit() else ""
    decimal = fmt[-3]
    sep = re.escape(thousands)
    body = (rf"(\d{{1,3}}({sep}\d{{3}})+|\d+)" if thousands else r"\d+") + rf"({re.escape(decimal)}\d+)?"
    empty = _np(pc.equal(text, ""))
    # the usual export: bare numbers in the format, perhaps negative — one regex pass, no clean-up
    plain_shape = _np(pc.match_substring_regex(text, rf"^-?{body}$"))
    if (plain_shape | empty).all():
        plain = pc.replace_substring(text, thousands, "") if thousands else text
        if decimal != ".":
            plain = pc.replace_substring(plain, decimal, ".")
        plain = pc.replace_substring_regex(plain, r"(\.\d\d)0+$", r"\1")
        return plain, np.zeros(len(text), dtype=bool), _np(pc.starts_with(plain, "-")) & ~empty
    t = pc.utf8_trim_whitespace(text)
    paren = pc.match_substring_regex(t, r"^\(.*\)$")
    t = pc.if_else(paren, pc.utf8_slice_codeunits(t, 1, -1), t)
    t = pc.replace_substring_regex(t, _DECORATION, "")
    t = pc.replace_substring_regex(t, r"^[A-Za-z$€£¥₹\s]*", "")
    trailing_minus = pc.match_substring_regex(t, r"^[^-].*-$")
    t = pc.if_else(trailing_minus, pc.binary_join_element_wise("-", pc.utf8_slice_codeunits(t, 0, -1), ""), t)
    t = pc.replace_substring_regex(t, r"^-[A-Za-z$€£¥₹\s]+", "-")  # "-$1,200.00"
    # thousands separators must group by three; Excel may write spaces as no-break spaces
    if thousands == " ":
        t = pc.replace_substring_regex(t, "[\u00a0\u202f]", " ")
    ok = _np(pc.match_substring_regex(t, rf"^-?{body}$"))
    plain = pc.replace_substring(t, thousands, "") if thousands else t
    if decimal != ".":
        plain = pc.replace_substring(plain, decimal, ".")
    plain = pc.replace_substring_regex(plain, r"(\.\d\d)0+$", r"\1")  # 24000.000 (Excel) is 24000.00
    negative = _np(pc.or_(pc.starts_with(plain, "-"), paren))
    plain = pc.if_else(paren, pc.binary_join_element_wise("-", plain, ""), plain)
    plain = pc.replace_substring(plain, "--", "-")
    return plain, ~ok & ~empty, negative & ~empty


def absolute(plain: pa.Array) -> pa.Array:
    return pc.replace_substring_regex(plain, r"^-", "")

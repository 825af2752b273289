"""HTML statements and register from the jinja2 templates in ``templates/`` (self-contained pages)."""
from __future__ import annotations

import calendar
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import cache

import jinja2
from markupsafe import Markup

import compcalc
from compcalc.explain_line import KIND_NAMES
from compcalc.money import display
from compcalc.periods import period
from compcalc import resources
from compcalc.statements import charts


def _money(cents) -> str:
    return "" if cents is None else display(cents)


def _neg(cents) -> str:
    """A class suffix for negative amounts (red in the page; the minus sign is always there)."""
    return " neg" if cents is not None and cents < 0 else ""


def _pct(rate, places: int | None = None) -> str:
    if rate in (None, ""):
        return ""
    try:
        if isinstance(rate, Fraction):
            rate = Decimal(rate.numerator) / Decimal(rate.denominator)
        value = Decimal(rate) * 100
    except (InvalidOperation, TypeError):
        return str(rate)
    if places is not None:
        return f"{value.quantize(Decimal(1).scaleb(-places)):f}%"
    return f"{value.normalize():f}%"


def _breakable(text) -> Markup:
    """Short ids stay whole; long ones may wrap every 12 characters (so a phone or A4 page never has to
    squeeze every id, nor overflow with a very long one), never at a hyphen."""
    text = "" if text is None else str(text)
    if not text:
        return Markup("")
    # Each piece in a no-wrap span: a browser would otherwise break "ACC-0042" after its hyphen.
    piece = Markup('<span class="nw">{}</span>')
    if len(text) <= 16:
        return piece.format(text)
    return Markup("<wbr>").join(piece.format(text[i:i + 12]) for i in range(0, len(text), 12))


def _month_name(month: int) -> str:
    y, m = divmod(int(month), 12)
    return f"{calendar.month_name[m + 1]} {y}"


def _kind_name(kind: str, line=None) -> str:
    text = KIND_NAMES.get(kind, kind)
    if line is not None and line.installment is not None:
        text += f" {line.installment} of {line.installments}"
    return text


@cache
def environment() -> jinja2.Environment:
    """compcalc's one jinja2 environment (compcalc.resources) with the statement pages' filters."""
    env = resources.environment()
    env.filters.update(money=_money, neg=_neg, pct=_pct, period=period, month_name=_month_name,
                       kind_name=_kind_name, id=_breakable, words=lambda s: str(s).replace("_", " "))
    env.globals["version"] = compcalc.__version__
    env.globals["charts"] = charts
    return env


def render_statement(statement, through_month: int | None = None) -> str:
    """The statement as one self-contained HTML page."""
    through = statement.month if through_month is None else through_month
    return environment().get_template("statement.html").render(s=statement, through=through)


def render_register(register) -> str:
    return environment().get_template("register.html").render(r=register)


"""Rounding and formatting: the only place where numbers become text.

Rules (see docs/figures.md):

* money is :class:`~decimal.Decimal` in 万元 with 2 places; rounding is
  ROUND_HALF_UP (四舍五入), never Python's banker's rounding;
* rates (占比, 增长率, 完成率) are percentages rounded half up to 2 places;
* amounts print with thousands separators and 2 decimals ("15,194.61"), a zero
  amount prints as "0", as official texts do ("支出0万元");
* formatting follows Babel's zh_CN locale data under a ROUND_HALF_UP decimal
  context; when that data agrees with Python's own "1,234.50" (it does for
  zh_CN), the already rounded number is written by ``format`` — the same text,
  some fifteen times faster (see ``_locale_writes_like_python``).  That
  agreement is a fact about Babel's zh_CN data, recorded here as
  :data:`PYTHON_WRITES_LOCALE` and checked against Babel by the tests, so a
  render never imports Babel (its import and locale data cost start-up time).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from functools import lru_cache
from typing import Literal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)
LOCALE = "zh_CN"


# Explicit contexts, so no result depends on the caller's thread-local decimal context:
# 四舍五入 to the cent, and the arithmetic of rates — the quotient to 34 significant digits
# (IEEE decimal128, with Python's default rounding for that intermediate).
_HALF_UP = Context(prec=34, rounding=ROUND_HALF_UP)
_RATE_CONTEXT = Context(prec=34)


def round2(value: Decimal) -> Decimal:
    """Round half up to 2 places (四舍五入到分)."""
    return _HALF_UP.quantize(value, CENT)


def percent(part: Decimal, whole: Decimal) -> Decimal:
    """``part / whole × 100`` rounded half up to 2 places; ``whole`` must not be 0."""
    return _HALF_UP.quantize(exact_percent(part, whole), CENT)


def exact_percent(part: Decimal, whole: Decimal) -> Decimal:
    """``part / whole × 100`` to 34 significant digits (before any rounding); ``whole`` must not be 0."""
    ctx = _RATE_CONTEXT
    return ctx.divide(ctx.multiply(part, HUNDRED), whole)


AMOUNT_PATTERN = "#,##0.00"


@lru_cache(maxsize=4)
def _pattern(pattern: str):  # Babel is imported lazily: its locale data costs start-up time
    from babel import Locale
    from babel.numbers import parse_pattern

    return parse_pattern(pattern), Locale.parse(LOCALE)


def _locale_writes_like_python() -> bool:
    """True when the locale's data writes "#,##0.00" exactly as Python's ``format(x, ",.2f")`` does.

    Babel's locale data decides: decimal mark ".", group separator ",", minus
    sign "-", groups of three digits (zh_CN's case).  Babel's formatter costs
    some 10 µs a number and a document prints hundreds, so when the locale
    agrees, Python's built-in formatting does the writing; when it does not,
    every number goes through Babel.  The two are tested equal.
    """
    from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol

    number_pattern, locale = _pattern(AMOUNT_PATTERN)
    return (
        get_decimal_symbol(locale) == "."
        and get_group_symbol(locale) == ","
        and get_minus_sign_symbol(locale) == "-"
        and number_pattern.grouping == (3, 3)
        and number_pattern.frac_prec == (2, 2)
        and number_pattern.int_prec[0] == 1
    )


PYTHON_WRITES_LOCALE = True
"""What :func:`_locale_writes_like_python` answers for :data:`LOCALE` (zh_CN): a constant, so formatting
needs no Babel at run time.  tests/test_coldstart.py asserts the two agree (test_numbers_and_facts.py that every
amount's text is Babel's), so a Babel whose zh_CN data differed would fail the tests, not change the text."""


def _format(cents: Decimal) -> str:
    """The zh_CN text ("#,##0.00") of a value already rounded to 2 places (:func:`round2`)."""
    if PYTHON_WRITES_LOCALE:
        return format(cents, ",.2f")  # exactly 2 places already: nothing left to round
    return babel_format(cents)


def babel_format(value: Decimal, pattern: str = AMOUNT_PATTERN) -> str:
    """Babel's zh_CN formatting of ``value`` under ROUND_HALF_UP (the reference for :func:`_format`)."""
    number_pattern, locale = _pattern(pattern)
    with localcontext() as ctx:
        ctx.rounding = ROUND_HALF_UP
        return number_pattern.apply(value, locale)


@dataclass(frozen=True)
class Conventions:
    """How one profile (or one unit's ``style``) prints numbers; the defaults are the reference document's.

    ``thousands``: "15,194.61" or "15194.61"; ``zero``: a zero amount as "0" or "0.00";
    ``rate_decimals``: 2 ("81.76%") or 1 ("81.8%"), rounded half up from the exact quotient;
    ``zero_base``: a rate over a zero 上年 — ``omit`` (no rate), ``hundred`` ("增长100.00%")
    or ``phrase`` (``zero_base_phrase`` instead of the rate); ``zero_budget``: 完成率 when the
    budget is 0 — ``omit`` or ``zero`` ("完成预算的0%"/"0.00%", as ``zero`` prints amounts).
    """

    thousands: bool = True
    zero: Literal["0", "0.00"] = "0"
    rate_decimals: Literal[1, 2] = 2
    zero_base: Literal["omit", "hundred", "phrase"] = "omit"
    zero_base_phrase: str = "（基数为0，不可比）"
    zero_budget: Literal["omit", "zero"] = "omit"

    @lru_cache(maxsize=64)  # noqa: B019 (a handful of frozen instances, each asked per printed number)
    def describe(self, kind: str) -> str:
        """Which convention printed a number of this kind (for ``narrate explain``)."""
        if kind == "amount":
            return (("千分位" if self.thousands else "无千分位") + "，两位小数，四舍五入；"
                    + f"0 印作“{self.zero}”")
        if kind == "rate":
            return f"{self.rate_decimals}位小数，按精确值四舍五入" + ("，千分位" if self.thousands else "")
        return "整数"


DEFAULT_CONVENTIONS = Conventions()


def format_amount(value: Decimal, conventions: Conventions = DEFAULT_CONVENTIONS) -> str:
    """An amount as printed in the text: "15,194.61", "0.30", zero as "0" (by default)."""
    value = round2(value)
    if value == ZERO:
        return conventions.zero
    text = _format(value)
    return text if conventions.thousands else text.replace(",", "")


def round_rate(value: Decimal, decimals: int = 2) -> Decimal:
    """A percentage rounded half up to ``decimals`` places."""
    return _HALF_UP.quantize(value, Decimal(1).scaleb(-decimals))


def format_rate(value: Decimal, conventions: Conventions = DEFAULT_CONVENTIONS,
                exact: Decimal | None = None) -> str:
    """A percentage with 2 (or the convention's) decimals and the sign: "81.76%".

    ``exact`` is the unrounded quotient (:attr:`~narrate.facts.Fact.exact`): a 1-decimal
    rate is rounded from it, never from the 2-decimal value (12.345… → 12.3, not 12.35 → 12.4).
    """
    if conventions.rate_decimals == 2:
        text = _format(round2(value))
    else:
        text = format(round_rate(value if exact is None else exact, conventions.rate_decimals), ",f")
    return (text if conventions.thousands else text.replace(",", "")) + "%"


def format_count(value: int) -> str:
    """A count (辆, 个, 人次) as a plain integer, without separators."""
    return str(int(value))


def format_operand(value: Decimal) -> str:
    """An operand in a formula: always 2 decimals, so formulas recompute visibly."""
    return _format(round2(value))

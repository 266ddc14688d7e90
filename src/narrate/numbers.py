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

from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from functools import lru_cache

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
    ctx = _RATE_CONTEXT
    return _HALF_UP.quantize(ctx.divide(ctx.multiply(part, HUNDRED), whole), CENT)


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


def format_amount(value: Decimal) -> str:
    """An amount as printed in the text: "15,194.61", "0.30", zero as "0"."""
    value = round2(value)
    if value == ZERO:
        return "0"
    return _format(value)


def format_rate(value: Decimal) -> str:
    """A percentage with 2 decimals and the sign: "81.76%"."""
    return _format(round2(value)) + "%"


def format_count(value: int) -> str:
    """A count (辆, 个, 人次) as a plain integer, without separators."""
    return str(int(value))


def format_operand(value: Decimal) -> str:
    """An operand in a formula: always 2 decimals, so formulas recompute visibly."""
    return _format(round2(value))

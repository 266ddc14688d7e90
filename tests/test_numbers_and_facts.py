from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given as for_all
from hypothesis import strategies as st

from narrate.facts import Source, change, completion, given, share
from narrate.numbers import (_format, _locale_writes_like_python, babel_format, format_amount, format_count,
                             format_operand, format_rate, percent, round2)
from narrate.rendering import chinese_numeral

SRC = Source("公开05表", "合计", "小计")


def fact(value: str, key: str = "x"):
    return given(key, key, D(value), SRC)


@pytest.mark.parametrize(
    "value, expected",
    [("0.125", "0.13"), ("0.135", "0.14"), ("2.675", "2.68"), ("-0.125", "-0.13"), ("1.004", "1.00"), ("1.005", "1.01")],
)
def test_round_half_up_not_bankers(value, expected):
    assert round2(D(value)) == D(expected)


@pytest.mark.parametrize(
    "value, expected",
    [("15194.61", "15,194.61"), ("0.3", "0.30"), ("0", "0"), ("0.00", "0"), ("1000000", "1,000,000.00"), ("999.995", "1,000.00")],
)
def test_amount_format(value, expected):
    assert format_amount(D(value)) == expected


def test_rate_and_count_format():
    assert format_rate(D("81.76")) == "81.76%"
    assert format_rate(D("0")) == "0.00%"
    assert format_rate(D("809.8")) == "809.80%"
    assert format_count(5) == "5"


def test_percent_is_computed_from_printed_figures_half_up():
    # 0.55 / 5.76 = 9.5486… → 9.55; 1 / 8 = 12.5 exactly
    assert percent(D("0.55"), D("5.76")) == D("9.55")
    assert percent(D("1"), D("8")) == D("12.50")
    assert percent(D("1"), D("800")) == D("0.13")  # 0.125 → 0.13, not 0.12


def test_share_of_zero_total_is_undefined():
    assert share("s", "s", fact("1"), fact("0")) is None
    s = share("s", "s", fact("1817.23"), fact("15194.61"))
    assert s.value == D("11.96") and s.formula == "1,817.23 ÷ 15,194.61 × 100"
    assert s.sources == (SRC,)


def test_shares_are_rounded_independently():
    parts = ["1", "1", "1"]
    shares = [share("s", "s", fact(p), fact("3")).value for p in parts]
    assert shares == [D("33.33")] * 3  # sums to 99.99: no forcing to 100


def test_change_directions_and_rates():
    up = change("c", "c", fact("12423.32"), fact("6797.13"))
    assert up.direction == "increase" and up.amount.value == D("5626.19") and up.rate.value == D("82.77")
    down = change("c", "c", fact("149.05"), fact("159.17"))
    assert down.direction == "decrease" and down.amount.value == D("10.12") and down.rate.value == D("6.36")
    same = change("c", "c", fact("5.13"), fact("5.13"))
    assert same.direction == "equal" and same.amount.value == 0 and same.rate is None


def test_change_from_zero_has_no_rate():
    c = change("c", "c", fact("1817.23"), fact("0"))
    assert c.direction == "increase" and c.amount.value == D("1817.23") and c.rate is None


def test_change_without_prior_is_none():
    assert change("c", "c", fact("1"), None) is None


def test_completion():
    assert completion("k", "k", fact("15194.61"), fact("13227.00")).value == D("114.88")
    assert completion("k", "k", fact("0"), fact("5")).value == D("0.00")
    assert completion("k", "k", fact("5"), fact("0")) is None
    assert completion("k", "k", fact("5"), None) is None


def test_formulas_and_wordings_of_computed_facts():
    """Written when first read (a unit prints a third of its facts); the same text, and the same fact
    (equal, pickled) as one built with its texts given."""
    import pickle

    from narrate.facts import Fact, add_up

    down = change("c", "c", fact("149.05"), fact("1159.17"))
    assert down.amount.formula == "|149.05 − 1,159.17|"
    assert down.amount.wording == "上年数 − 本年数 = 1,159.17 − 149.05 = 1,010.12"
    assert down.rate.formula == "|149.05 − 1,159.17| ÷ 1,159.17 × 100"
    assert down.rate.wording == "增减额 ÷ 上年数 × 100% = 1,010.12 ÷ 1,159.17 × 100% = 87.14%"
    up = share("s", "s", fact("1"), fact("3"))
    assert up.how == "部分 ÷ 合计 × 100% = 1.00 ÷ 3.00 × 100% = 33.33%"
    braced = add_up("a", "a", Fact("x", "{0}类", D(1), "amount"), Fact("y", "{result}", D(2), "amount"))
    assert braced.wording == "{0}类 + {result} = 1.00 + 2.00 = 3.00" and braced.formula == "1.00 + 2.00"
    fresh = completion("k", "k", fact("15194.61"), fact("13227.00"))
    again = pickle.loads(pickle.dumps(fresh))  # texts not yet read: written for the copy
    assert again == fresh and again.formula == "15,194.61 ÷ 13,227.00 × 100"
    assert fresh == Fact("k", "k", D("114.88"), "rate", fresh.formula, fresh.sources, fresh.wording)


@pytest.mark.parametrize("n, text", [(1, "一"), (10, "十"), (11, "十一"), (12, "十二"), (20, "二十"), (21, "二十一")])
def test_chinese_numerals(n, text):
    assert chinese_numeral(n) == text


# Any amount narrate can print: 2 places, negative for differences, up to the 1e10 万元 limit.
_CENTS = st.integers(min_value=-10**12, max_value=10**12).map(lambda c: D(c).scaleb(-2))


def test_zh_cn_is_written_by_the_fast_path():
    # zh_CN's Babel data (".", ",", "-", groups of 3) is what lets the fast path write the numbers.
    assert _locale_writes_like_python()


@for_all(_CENTS)
def test_number_text_is_babels(value):
    # The fast path writes exactly what Babel's zh_CN pattern writes, for every amount.
    assert _format(value) == babel_format(value)
    assert format_operand(value) == babel_format(value)
    assert format_rate(value) == babel_format(value) + "%"
    assert format_amount(value) == ("0" if value == 0 else babel_format(value))


@for_all(st.decimals(min_value=-10**10, max_value=10**10, places=6, allow_nan=False, allow_infinity=False))
def test_unrounded_values_are_rounded_half_up_then_written_as_babel_does(value):
    assert format_operand(value) == babel_format(value.quantize(D("0.01"), rounding="ROUND_HALF_UP"))

"""Every amount, rate and count the text prints is linked to the fact it came from."""

from __future__ import annotations

import re
from decimal import Decimal

from narrate.numbers import format_amount, format_count, format_rate

# amounts, rates and counts; "单价100万元（含）以上设备" is the name of a statistic, not a figure
PRINTED = re.compile(r"\d[\d,]*(?:\.\d+)?(?=万元|%|辆|个|人次|批次|台)(?!万元（含）以上)")


def test_every_printed_number_has_a_fact(example_document):
    for block in example_document.blocks:
        spans = {n.start: n.end for n in block.numbers}
        for match in PRINTED.finditer(block.text):
            end = spans.get(match.start())
            assert end in (match.end(), match.end() + 1), f"{match.group()} in «{block.text[:50]}…» has no fact"


def test_each_number_prints_its_fact_value(example_document):
    total = 0
    for block in example_document.blocks:
        for number in block.numbers:
            total += 1
            assert block.text[number.start:number.end] == number.text
            fact = number.fact
            expected = {"amount": format_amount, "rate": format_rate, "count": format_count}[fact.kind](
                fact.value if fact.kind != "count" else int(fact.value)
            )
            assert number.text == expected
            assert fact.sources, fact.key
    assert total > 100


def test_computed_facts_carry_formula_and_both_sources(example_document):
    share = next(n.fact for b in example_document.blocks for n in b.numbers if n.text == "81.76%")
    assert share.formula == "12,423.32 ÷ 15,194.61 × 100"
    assert {str(s) for s in share.sources} == {"公开05表 208 社会保障和就业支出 小计", "公开05表 合计 小计"}
    growth = next(n.fact for b in example_document.blocks for n in b.numbers if n.text == "314.08%")
    assert growth.value == Decimal("314.08")
    assert growth.formula == "|728.82 − 176.01| ÷ 176.01 × 100"
    assert any(s.table == "表外数据" and s.row == "general_budget.functions.213.prior_year" for s in growth.sources)
    # the same computation in words, beside the machine-parseable formula (issue 15)
    assert growth.wording == "增减额 ÷ 上年数 × 100% = 552.81 ÷ 176.01 × 100% = 314.08%"
    assert share.wording == "部分 ÷ 合计 × 100% = 12,423.32 ÷ 15,194.61 × 100% = 81.76%"

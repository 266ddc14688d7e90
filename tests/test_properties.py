"""Property tests: random consistent units render correctly, and every number recomputes.

Run more examples with ``HYPOTHESIS_PROFILE=deep python -m pytest tests/test_properties.py``.
"""

from __future__ import annotations

import os
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from strategies import units

import narrate
from narrate.numbers import format_amount, format_count, format_rate

settings.register_profile("ci", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("deep", max_examples=600, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

PRINTED = re.compile(r"\d[\d,]*(?:\.\d+)?(?=万元|%|辆|个|人次|批次|台)(?!万元（含）以上)")
OPERAND = r"(\d[\d,]*\.\d{2})"
SHARE = re.compile(rf"^{OPERAND} ÷ {OPERAND} × 100$")
AMOUNT_CHANGE = re.compile(rf"^\|{OPERAND} − {OPERAND}\|$")
RATE_CHANGE = re.compile(rf"^\|{OPERAND} − {OPERAND}\| ÷ {OPERAND} × 100$")
SUM = re.compile(rf"^{OPERAND} \+ {OPERAND}$")


def dec(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def half_up(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def input_values(data: Any) -> set[Decimal]:
    """Every amount and count given in the figures."""
    out: set[Decimal] = set()
    if isinstance(data, dict):
        for value in data.values():
            out |= input_values(value)
    elif isinstance(data, list):
        for value in data:
            out |= input_values(value)
    elif isinstance(data, (Decimal, int)) and not isinstance(data, bool):
        out.add(Decimal(data))
    return out


def render(data):
    figures = narrate.figures_from_data(data)
    return figures, narrate.render(narrate.compute(figures))


@given(units())
def test_rendering_never_raises_and_leaves_no_remnants(data):
    _, document = render(data)
    text = "\n".join(document.paragraphs())
    for bad in ("None", "nan", "NaN", "{{", "}}", "{%", "增长-", "下降-", "Undefined"):
        assert bad not in text
    assert not re.search(r"(?<![\d,.])-0", text)
    assert not re.search(r"-\d[\d,.]*%", text), "negative rate"
    assert text.count("第三部分 情况说明") == 1 and text.count("第四部分 名词解释") == 1


@given(units())
def test_every_number_equals_an_input_or_recomputes_by_its_formula(data):
    _, document = render(data)
    inputs = input_values(data)
    for block in document.blocks:
        spans = {n.start: n for n in block.numbers}
        for match in PRINTED.finditer(block.text):
            number = spans.get(match.start())
            assert number is not None, f"{match.group()} has no fact: {block.text}"
            printed = dec(match.group())
            fact = number.fact
            formula = fact.formula
            if not formula:
                value = printed
                assert value in inputs, f"{match.group()} is not an input figure"
            elif m := SHARE.match(formula):
                a, b = dec(m[1]), dec(m[2])
                assert {a, b} <= inputs and b != 0
                value = half_up(a * 100 / b)
            elif m := RATE_CHANGE.match(formula):
                a, b, c = dec(m[1]), dec(m[2]), dec(m[3])
                assert {a, b} <= inputs and b == c and b != 0, "no rate where the base is 0"
                value = half_up(abs(a - b) * 100 / b)
            elif m := AMOUNT_CHANGE.match(formula):
                a, b = dec(m[1]), dec(m[2])
                assert {a, b} <= inputs
                value = abs(a - b)
            elif m := SUM.match(formula):
                value = dec(m[1]) + dec(m[2])
            else:
                raise AssertionError(f"unknown formula {formula!r}")
            assert value == printed, (formula, match.group())
            expected_text = {"amount": format_amount, "rate": format_rate}.get(fact.kind)
            if expected_text:
                assert number.text == expected_text(value)
            else:
                assert number.text == format_count(int(value))


@given(units())
def test_direction_words_agree_with_the_sign(data):
    figures, document = render(data)
    facts = narrate.compute(figures)
    for block in document.blocks:
        for number in block.numbers:
            m = AMOUNT_CHANGE.match(number.fact.formula) or RATE_CHANGE.match(number.fact.formula)
            if not m:
                continue
            now, before = dec(m[1]), dec(m[2])
            word = block.text[max(0, number.start - 2):number.start]
            if now > before:
                assert word in ("增加", "增长"), (word, block.text)
            else:
                assert now < before and word in ("减少", "下降"), (word, block.text)
    equal_changes = sum(1 for c in _changes(facts.context) if c.equal)
    text = "".join(document.paragraphs())
    assert text.count("持平") + text.count("相同") <= equal_changes


def _changes(value: Any):
    from narrate.computation import Record
    from narrate.facts import Change

    if isinstance(value, Change):
        yield value
    elif isinstance(value, Record):
        for v in value.fields().values():
            yield from _changes(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _changes(v)
    elif isinstance(value, dict) or hasattr(value, "items"):
        for v in value.values():
            yield from _changes(v)


@given(units())
def test_check_accepts_consistent_units(data):
    report = narrate.check(narrate.figures_from_data(data))
    assert report.ok, [f.message for f in report.errors]
    assert not [f for f in report.findings if f.category == "尾数误差"], "generated units have no rounding tails"


@given(units())
def test_check_rejects_a_cell_moved_beyond_tolerance(data):
    rows = data["tables"]["t05"]["rows"]
    item = next(r for r in rows if len(r["code"]) == 7)
    moved = {**data, "tables": {**data["tables"], "t05": {**data["tables"]["t05"],
             "rows": [({**r, "total": r["total"] + Decimal("0.50")} if r is item else r) for r in rows]}}}
    report = narrate.check(narrate.figures_from_data(moved))
    assert not report.ok
    assert any(item["code"] in f.message for f in report.errors)


@given(units())
def test_same_unit_gives_identical_bytes(data):
    _, first = render(data)
    _, second = render(data)
    for fmt in ("docx", "md"):
        assert narrate.to_bytes(first, fmt) == narrate.to_bytes(second, fmt)


def test_example_written_by_narrate_example_renders_like_the_bundled_one(tmp_path, example_document):
    from click.testing import CliRunner

    from narrate.cli import main

    path = tmp_path / "unit.yaml"
    assert CliRunner().invoke(main, ["example", "-o", str(path)]).exit_code == 0
    document = narrate.render(narrate.compute(narrate.load(path)))
    assert narrate.to_bytes(document, "docx") == narrate.to_bytes(example_document, "docx")

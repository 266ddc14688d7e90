"""Independent recomputation of every printed number of a Document (shared by several tests).

For each amount, rate and count in the text: the number must be linked to a
fact; a fact taken as printed must equal an input figure; a computed fact's
formula is parsed and recomputed here with ROUND_HALF_UP, and must give the
printed value.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from narrate.numbers import DEFAULT_CONVENTIONS, Conventions, format_amount, format_count, format_rate

PRINTED = re.compile(r"\d[\d,]*(?:\.\d+)?(?=万元|万（|%|辆|个|人次|批次|台|分)(?!万元（含）以上)")
OPERAND = r"(\d[\d,]*\.\d{2})"
SHARE = re.compile(rf"^{OPERAND} ÷ {OPERAND} × 100$")
AMOUNT_CHANGE = re.compile(rf"^\|{OPERAND} − {OPERAND}\|$")
RATE_CHANGE = re.compile(rf"^\|{OPERAND} − {OPERAND}\| ÷ {OPERAND} × 100$")
SUM = re.compile(rf"^{OPERAND}((?: \+ {OPERAND[1:-1]})+)$")
MERGED = re.compile(rf"^\(({OPERAND[1:-1]}(?: \+ {OPERAND[1:-1]})+)\) ÷ {OPERAND} × 100$")
ZERO_BUDGET = re.compile(r"^预算为0（决算 [\d,.]+）：按惯例记为 0$")
BASE_ZERO = re.compile(rf"^上年为0（本年 {OPERAND}）：按惯例记为 100$")


def dec(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def half_up(value: Decimal, places: int = 2) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def input_values(data: Any) -> set[Decimal]:
    """Every amount and count given in the figures (plain data or a pydantic model dump)."""
    out: set[Decimal] = set()
    if isinstance(data, dict):
        for value in data.values():
            out |= input_values(value)
    elif isinstance(data, (list, tuple)):
        for value in data:
            out |= input_values(value)
    elif isinstance(data, (Decimal, int)) and not isinstance(data, bool):
        out.add(Decimal(data))
    return out


def assert_numbers_recompute(document, inputs: set[Decimal], conventions: Conventions = DEFAULT_CONVENTIONS) -> int:
    """Check every printed number of ``document`` (printed under ``conventions``); returns how many were checked."""
    checked = 0
    places = conventions.rate_decimals
    for block in document.blocks:
        spans = {n.start: n for n in block.numbers}
        for match in PRINTED.finditer(block.text):
            number = spans.get(match.start())
            assert number is not None, f"{match.group()} has no fact: {block.text}"
            printed = dec(match.group())
            formula = number.fact.formula
            if not formula:
                value = printed
                assert value in inputs, f"{match.group()} is not an input figure"
            elif m := SHARE.match(formula):
                a, b = dec(m[1]), dec(m[2])
                assert {a, b} <= inputs and b != 0
                value = half_up(a * 100 / b, places)
            elif m := RATE_CHANGE.match(formula):
                a, b, c = dec(m[1]), dec(m[2]), dec(m[3])
                assert {a, b} <= inputs and b == c and b != 0, "no rate where the base is 0"
                value = half_up(abs(a - b) * 100 / b, places)
            elif m := AMOUNT_CHANGE.match(formula):
                a, b = dec(m[1]), dec(m[2])
                assert {a, b} <= inputs, (number.fact.key, formula)
                value = abs(a - b)
            elif m := SUM.match(formula):
                value = dec(m[1]) + sum(dec(p) for p in m[2].split(" + ")[1:])
            elif m := MERGED.match(formula):
                parts, whole = [dec(p) for p in m[1].split(" + ")], dec(m[2])
                assert set(parts) <= inputs and whole in inputs and whole != 0
                value = half_up(sum(parts) * 100 / whole, places)
            elif ZERO_BUDGET.match(formula):
                assert conventions.zero_budget == "zero"
                value = Decimal(0)
            elif m := BASE_ZERO.match(formula):
                assert conventions.zero_base == "hundred" and dec(m[1]) in inputs and dec(m[1]) > 0
                value = Decimal(100)
            else:
                raise AssertionError(f"unknown formula {formula!r}")
            assert value == printed, (formula, match.group())
            fmt = {"amount": format_amount, "rate": format_rate}.get(number.fact.kind)
            assert number.text == (fmt(value, conventions) if fmt else format_count(int(value)))
            checked += 1
    return checked

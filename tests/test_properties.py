"""Property tests: random consistent units render correctly, and every number recomputes.

Run more examples with ``HYPOTHESIS_PROFILE=deep python -m pytest tests/test_properties.py``.
"""

from __future__ import annotations

import os
import re
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from strategies import units

import narrate

settings.register_profile("ci", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("deep", max_examples=600, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

from recompute import AMOUNT_CHANGE, RATE_CHANGE, assert_numbers_recompute, dec, input_values  # noqa: E402


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
    assert_numbers_recompute(document, input_values(data))


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


@given(units())
def test_the_checks_render_is_the_render_for_any_unit(data):
    """`narrate render` and batch print the chapter check rendered on the way: it is render's, byte for byte."""
    from narrate.rules import check_and_render

    figures = narrate.figures_from_data(data)
    facts = narrate.compute(figures)
    for profile in ("default", "shanghai-2024", "central-style"):
        _, checked = check_and_render(figures, profile=profile, facts=facts)
        assert narrate.to_bytes(checked, "md") == narrate.to_bytes(narrate.render(facts, profile=profile), "md")

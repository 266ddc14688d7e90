"""Property tests over every bundled profile × every number convention and wording variant:
numbers recompute (under the conventions), direction words agree, no remnants."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st
from layouts import placed
from strategies import units

import test_properties  # noqa: F401  (registers and loads the hypothesis settings profiles)
import narrate
from narrate.rendering import bundled_profiles, load_profile
from narrate.style import StyleSpec
from recompute import AMOUNT_CHANGE, RATE_CHANGE, SUM, assert_numbers_recompute, dec, input_values

numbers = st.fixed_dictionaries({}, optional={
    "thousands": st.booleans(),
    "zero": st.sampled_from(["0", "0.00"]),
    "rate_decimals": st.sampled_from([1, 2]),
    "zero_base": st.sampled_from(["omit", "hundred", "phrase"]),
    "zero_budget": st.sampled_from(["omit", "zero"]),
})
wording = st.fixed_dictionaries({}, optional={
    "same_as_budget": st.sampled_from(["与预算数持平", "基本持平", "同预算数持平", "决算数与预算数持平"]),
    "item_completion": st.booleans(),
    "three_public_none": st.booleans(),
    "zero_counts": st.booleans(),
})


@given(units(), st.sampled_from(bundled_profiles()), numbers, wording)
def test_every_profile_and_convention_renders_numbers_that_recompute(data, profile, nums, words):
    spec = StyleSpec.model_validate({"numbers": nums, "wording": words})
    data = placed(data, profile)  # a layout without 公开10表 reads its figures from 表外数据
    figures = narrate.figures_from_data(data).model_copy(update={"style": spec})
    facts = narrate.compute(figures)
    document = narrate.render(facts, profile=profile)
    text = "\n".join(document.paragraphs())
    for bad in ("None", "nan", "{{", "}}", "{%", "增长-", "下降-", "Undefined", "，。", "；。"):
        assert bad not in text
    conventions = load_profile(profile).style.overridden(spec.numbers, None).numbers
    # operands may also be sums narrate computed (e.g. 公务用车 购置 + 运行维护 上年), themselves recomputable
    inputs = input_values(data) | {f.value for f in facts.index.values() if SUM.match(f.formula)}
    assert_numbers_recompute(document, inputs, conventions)
    if not conventions.thousands:
        assert not re.search(r"\d,\d{3}", text)
    for block in document.blocks:
        for number in block.numbers:
            m = AMOUNT_CHANGE.match(number.fact.formula) or RATE_CHANGE.match(number.fact.formula)
            if m:
                word = block.text[max(0, number.start - 2):number.start]
                expected = ("增加", "增长") if dec(m[1]) > dec(m[2]) else ("减少", "下降")
                assert word in expected, (word, block.text)
            elif number.fact.key.endswith(".rate"):  # a base-zero rate: only as growth
                assert block.text[number.start - 2:number.start] == "增长"

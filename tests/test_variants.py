"""Wording variants real units use within one layout: profile wording: options, per unit in style:."""

from __future__ import annotations

import narrate
from narrate.style import StyleSpec


def render(figures, profile=None, **wording):
    styled = figures.model_copy(update={"style": StyleSpec.model_validate({"wording": wording})})
    return "\n".join(narrate.render(narrate.compute(styled), profile=profile).paragraphs())


def shanghai():
    return narrate.load(narrate.example_path("shanghai-2024.yaml"))


def test_item_completion_in_the_item_paragraphs():
    figures = shanghai()
    plain = render(figures, "shanghai-2024")
    text = render(figures, "shanghai-2024", item_completion=True)
    assert text.count("完成年初预算的") > plain.count("完成年初预算的")
    assert "，支出决算为" in text and "万元，完成年初预算的" in text


def test_same_as_budget_wording():
    figures = shanghai()
    base = render(figures, "shanghai-2024")
    assert "决算数与预算数持平" in base
    text = render(figures, "shanghai-2024", same_as_budget="同预算数持平")
    assert "同预算数持平" in text and "决算数与预算数持平" not in text


def zero_three_public(figures):
    data = figures.model_dump(by_alias=True, exclude_none=True)
    t09 = data["tables"]["t09"]
    t09["actual"] = {k: 0 for k in t09["actual"]}
    return narrate.Figures.model_validate(data)


def test_three_public_all_zero_is_one_sentence(example_figures):
    figures = zero_three_public(example_figures)
    text = render(figures, three_public_none=True)
    assert "2024年度无“三公”经费财政拨款支出。" in text
    assert "公务接待费支出0万元" not in text
    assert "公务接待费支出0万元" in render(figures)


def test_zero_counts_left_out_unless_asked(example_figures):
    data = example_figures.model_dump(by_alias=True, exclude_none=True)
    data["three_public"]["overseas_groups"] = 0
    data["three_public"]["overseas_people"] = 0
    figures = narrate.Figures.model_validate(data)
    shown = render(figures)  # the default profile asks for them (wording.zero_counts: true)
    assert "团组共0个，0人次" in shown
    hidden = render(figures, zero_counts=False)
    assert "团组共0个" not in hidden and "因公出国（境）费支出" in hidden


def test_item_name_as_the_unit_prints_it_keeps_the_code():
    figures = shanghai()
    code = figures.tables.t05.rows[-1].code
    old = figures.tables.t05.rows[-1].name
    document = narrate.render(narrate.compute(figures.model_copy(update={"style": StyleSpec.model_validate(
        {"wording": {"names": {code: "本单位自称的项名"}}})})), profile="shanghai-2024")
    text = "\n".join(document.paragraphs())
    assert "本单位自称的项名（项）" in text
    keys = {n.fact.key for _, n in document.numbers()}
    assert f"general_budget.{code}.amount" in keys
    assert old != "本单位自称的项名"


def test_zero_budget_completion_is_printed_only_on_request():
    figures = shanghai()
    data = figures.model_dump(by_alias=True, exclude_none=True)
    code = next(c for c, n in data["general_budget"]["functions"].items() if n.get("budget_initial") is not None
                and len(c) == 7)
    data["general_budget"]["functions"][code]["budget_initial"] = 0
    zeroed = narrate.Figures.model_validate(data)
    styled = zeroed.model_copy(update={"style": StyleSpec.model_validate(
        {"numbers": {"zero_budget": "zero"}, "wording": {"item_completion": True}})})
    document = narrate.render(narrate.compute(styled), profile="shanghai-2024")
    text = "\n".join(document.paragraphs())
    assert "年初预算为0万元" in text and "完成年初预算的0.00%" in text
    assert "完成年初预算的0.00%" not in render(zeroed, "shanghai-2024", item_completion=True)
    from recompute import assert_numbers_recompute, input_values
    conventions = styled.style.numbers
    from narrate.rendering import load_profile
    assert_numbers_recompute(document, input_values(data),
                             load_profile("shanghai-2024").style.overridden(conventions, None).numbers)


def test_item_names_reach_the_checked_document_and_its_findings():
    """``narrate check`` renders the layout once, recording what it reads; the document it gives
    (which ``narrate render`` and ``batch`` write) prints the names ``wording.names`` gives, as
    :func:`narrate.render` does, and a renamed row's missing input is still reported."""
    from narrate.rules import check_and_render

    data = narrate.load(narrate.example_path("yangcheng-2024.yaml")).model_dump(by_alias=True, exclude_none=True)
    code = next(c for c, notes in data["general_budget"]["functions"].items() if notes.get("uses"))
    del data["general_budget"]["functions"][code]["uses"]
    plain = narrate.Figures.model_validate(data)
    data["style"] = {"wording": {"names": {code: "本单位自称的科目名"}}}
    named = narrate.Figures.model_validate(data)

    report, document = check_and_render(named)
    assert document == narrate.render(narrate.compute(named))
    assert "本单位自称的科目名" in "\n".join(document.paragraphs())
    missing = f"未填 general_budget.functions.{code}.uses"
    assert [f.message for f in report.findings if missing in f.message]
    assert [f.message for f in report.findings] == [f.message for f in narrate.check(plain).findings]

"""The phrasing rules of seed-notes.md / domain-rules.md on variants of the example."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
import yaml

import narrate
from narrate.loaders.text import parse


@pytest.fixture(scope="module")
def base(example_path):
    return parse(example_path.read_text(encoding="utf-8"), "yaml", "example")


def text_of(data) -> list[str]:
    document = narrate.render(narrate.compute(narrate.figures_from_data(data)))
    return document.paragraphs()


def para(paragraphs: list[str], prefix: str) -> str:
    found = [p for p in paragraphs if p.startswith(prefix)]
    assert len(found) == 1, (prefix, found)
    return found[0]


def test_prior_zero_states_the_increase_without_a_rate(base):
    p = para(text_of(base), "教育支出年初预算")
    assert "较上年决算增加1,817.23万元，主要原因是" in p
    assert "增长" not in p


def test_equal_to_prior_is_chiping_without_rate(base):
    data = copy.deepcopy(base)
    data["general_budget"]["functions"]["208"]["prior_year"] = Decimal("12423.32")
    del data["general_budget"]["functions"]["208"]["change_reason"]
    p = para(text_of(data), "社会保障和就业支出年初预算")
    assert p.endswith("就业补助支出等。与上年决算持平。")
    assert "较上年" not in p and "增长" not in p and "下降" not in p


def test_budget_zero_has_no_completion_rate(base):
    data = copy.deepcopy(base)
    data["general_budget"]["functions"]["210"]["budget_initial"] = Decimal("0")
    p = para(text_of(data), "卫生健康支出年")
    assert p.startswith("卫生健康支出年初预算0万元，支出决算76.19万元，用于")
    assert "完成年初预算" not in p


def test_missing_budget_and_prior_leave_those_sentences_out(base):
    data = copy.deepcopy(base)
    data["general_budget"]["functions"]["210"] = {"uses": "单位职工医疗保险"}
    p = para(text_of(data), "卫生健康支出决算")
    assert p == "卫生健康支出决算76.19万元，用于单位职工医疗保险。"


def test_budget_reason_is_stated_with_direction(base):
    data = copy.deepcopy(base)
    data["general_budget"]["functions"]["213"]["budget_reason"] = "年中追加就业帮扶资金"
    p = para(text_of(data), "农林水支出年")
    assert "决算数大于年初预算数的主要原因是年中追加就业帮扶资金。" in p


def test_totals_unchanged_say_chiping(base):
    data = copy.deepcopy(base)
    data["totals"]["prior_income_total"] = Decimal("15194.61")
    data["totals"]["prior_expenditure_total"] = Decimal("15194.61")
    p = para(text_of(data), "2024年度收入总计")
    assert "与上年相比，收入总计持平，支出总计持平。" in p


def test_missing_prior_totals_omit_the_comparison(base):
    data = copy.deepcopy(base)
    data["totals"] = {}
    p = para(text_of(data), "2024年度收入总计")
    assert p == "2024年度收入总计15,194.61万元，支出总计15,194.61万元。"


def test_empty_fund_and_capital_tables(base):
    paragraphs = text_of(base)
    assert "本年度无此项收支。" in paragraphs and "本年度无此项支出。" in paragraphs


def test_non_empty_fund_table_is_described(base):
    data = copy.deepcopy(base)
    data["tables"]["t07"] = {"total": {"income": Decimal("100.00"), "total": Decimal("80.50"), "project": Decimal("80.50"),
                                       "ending_balance": Decimal("19.50")}}
    paragraphs = text_of(data)
    assert "2024年度政府性基金预算财政拨款收入100.00万元，支出80.50万元。" in paragraphs
    assert "本年度无此项收支。" not in paragraphs


def test_zero_admin_cost_says_none(base):
    data = copy.deepcopy(base)
    data["tables"]["t10"]["admin_operating_cost"] = {}
    assert "2024年度无机关运行经费支出。" in text_of(data)


def test_three_public_increase_from_zero(base):
    data = copy.deepcopy(base)
    data["tables"]["t09"]["actual"]["overseas"] = Decimal("2.00")
    data["tables"]["t09"]["actual"]["total"] = Decimal("7.21")
    data["tables"]["t09"]["budget"]["overseas"] = Decimal("2.50")
    data["tables"]["t09"]["budget"]["total"] = Decimal("7.71")
    p = para(text_of(data), "因公出国（境）费支出")
    assert p.startswith("因公出国（境）费支出2.00万元，完成全年预算的80.00%，比上年度增加2.00万元，主要原因是")
    assert "增长" not in p


def test_unit_kind_variant_of_terms(tmp_path, base):
    """A profile's terms file can limit a term to unit kinds and reword it per kind."""
    import shutil

    from narrate.rendering import templates_root

    profile = tmp_path / "p"
    shutil.copytree(templates_root() / "zh" / "default", profile)
    terms = yaml.safe_load((profile / "terms.yaml").read_text(encoding="utf-8"))
    terms["terms"][-1]["kinds"] = ["行政单位", "参公事业单位"]
    terms["terms"][0]["variants"] = {"事业单位": "指事业单位从同级财政部门取得的财政预算资金。"}
    (profile / "terms.yaml").write_text(yaml.safe_dump(terms, allow_unicode=True), encoding="utf-8")
    data = copy.deepcopy(base)
    data["unit"]["kind"] = "事业单位"
    document = narrate.render(narrate.compute(narrate.figures_from_data(data)), profile=str(profile))
    glossary = document.paragraphs()[document.paragraphs().index("第四部分 名词解释") + 1:]
    assert glossary[0] == "一、财政拨款收入：指事业单位从同级财政部门取得的财政预算资金。"
    assert len(glossary) == 11 and not any("机关运行经费：" in p for p in glossary)


def test_filters_refuse_the_wrong_kind_of_fact(tmp_path, base):
    import shutil

    from narrate.errors import TemplateError
    from narrate.rendering import templates_root

    profile = tmp_path / "p"
    shutil.copytree(templates_root() / "zh" / "default", profile)
    (profile / "overview.j2").write_text("{{ totals.income|pct }}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as e:
        narrate.render(narrate.compute(narrate.figures_from_data(base)), profile=str(profile))
    assert "overview.j2" in str(e.value) and "比率" in str(e.value) and "totals.income" in str(e.value)

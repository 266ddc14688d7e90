"""narrate lint finds what it claims: each error class injected into a correct chapter is reported
at the right paragraph with the right expected value — in narrate's own output (both profiles) and in
the reference chapter (tests/data/reference_parts_3_4.txt), with and without the tables."""

from __future__ import annotations

from pathlib import Path

import pytest

import narrate
from narrate.writers.markdown import plain_text

ROOT = Path(__file__).resolve().parents[1]
YANGCHENG = ROOT / "examples" / "yangcheng-2024.yaml"
SHANGHAI = ROOT / "examples" / "shanghai-2024.yaml"
REFERENCE = (ROOT / "tests" / "data" / "reference_parts_3_4.txt").read_text(encoding="utf-8")


def _rendered(figures: Path, profile: str) -> str:
    return plain_text(narrate.render(narrate.compute(narrate.load(figures)), profile=profile))


TEXTS = {
    "yangcheng": (lambda: _rendered(YANGCHENG, "default"), YANGCHENG),
    "shanghai": (lambda: _rendered(SHANGHAI, "shanghai-2024"), SHANGHAI),
    "reference": (lambda: REFERENCE, YANGCHENG),
}


def mutate(text: str, old: str, new: str) -> tuple[str, int]:
    """Replace the one occurrence of ``old``; the 1-based paragraph (non-empty line) it is in."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    at = text.index(old)
    paragraph = sum(1 for line in text[:at].split("\n")[:-1] if line.strip()) + 1
    return text.replace(old, new), paragraph


# (id, text, old, new, with tables?, category, expected)
CASES = [
    # a share with a digit changed
    ("share-digit", "reference", "占比81.76%", "占比81.67%", True, "占比", "81.76%"),
    ("share-digit-self", "reference", "占比81.76%", "占比81.67%", False, "占比", "81.76%"),
    ("share-digit-sh", "shanghai", "占67.57%", "占67.75%", True, "占比", "67.57%"),
    ("share-digit-sh-self", "shanghai", "占67.57%", "占67.75%", False, "占比", "67.57%"),
    ("share-of-total", "yangcheng", "占本年支出合计的100.00%", "占本年支出合计的10.00%", False, "占比", "100.00%"),
    # a dropped "%"
    ("drop-percent", "reference", "占比53.70%", "占比53.70", True, "百分号", "53.70%"),
    ("drop-percent-sh", "shanghai", "占5.58%", "占5.58", False, "百分号", "5.58%"),
    # wrong decimals
    ("decimals", "yangcheng", "完成年初预算的100.00%", "完成年初预算的100.0%", False, "小数位", "100.00%"),
    # amounts with other than two decimals (the reference's own "5782.9万元" is among its slips)
    ("amount-decimals", "yangcheng", "项目支出7,035.40万元", "项目支出7035.4万元", True, "小数位", "7,035.40"),
    ("amount-decimals-self", "yangcheng", "项目支出7,035.40万元", "项目支出7035.4万元", False, "小数位", "7,035.40"),
    ("amount-decimals-three", "shanghai", "事业收入120.00万元", "事业收入120.000万元", False, "小数位", "120.00"),
    ("amount-decimals-change", "shanghai", "支出总计增加99.60万元", "支出总计增加99.6万元", True, "小数位", "99.60"),
    # direction words swapped
    ("swap-direction", "reference", "较上年决算减少10.12万元", "较上年决算增加10.12万元", True, "方向", "减少"),
    ("swap-direction-self", "reference", "较上年决算减少10.12万元", "较上年决算增加10.12万元", False, "方向", "减少"),
    ("swap-rate-word-self", "reference", "减少10.12万元，下降6.36%", "减少10.12万元，增长6.36%", False, "方向", "下降"),
    ("swap-rate-word", "shanghai", "增加99.60万元，增长4.86%", "增加99.60万元，下降4.86%", True, "方向", "增长"),
    ("budget-word", "shanghai", "决算数小于预算数的主要原因：部分人员退休", "决算数大于预算数的主要原因：部分人员退休",
     False, "方向", "决算数小于预算数"),
    ("equal-when-unequal", "shanghai", "年初预算为318.00万元，支出决算为320.45万元。决算数大于预算数",
     "年初预算为318.00万元，支出决算为320.45万元。决算数与预算数持平", False, "方向", "决算数大于预算数"),
    ("same-when-changed", "reference", "完成全年预算的100.00%，比上年度减少0.55万元，下降87.3%",
     "完成全年预算的100.00%，与上年相同", True, "方向", "减少0.55万元"),
    ("change-and-flat-self", "reference", "较上年决算减少10.12万元，下降6.36%", "较上年决算减少10.12万元，与上年持平",
     False, "方向", "减少10.12万元"),
    ("change-and-flat", "reference", "较上年决算减少10.12万元，下降6.36%", "与上年持平，较上年决算减少10.12万元",
     True, "方向", "减少10.12万元"),
    ("change-and-same-sh-self", "shanghai", "增加99.60万元，增长4.86%", "增加99.60万元，与上年相同", False, "方向",
     "增加99.60万元"),
    ("flat-when-changed-sh", "shanghai", "公务接待费支出决算减少0.65万元，下降23.21%", "公务接待费支出决算持平",
     True, "方向", "减少0.65万元"),
    # a total shifted
    ("total-shift", "reference", "2024年度支出合计15,194.61万元", "2024年度支出合计15,294.61万元", True, "金额", "15,194.61"),
    ("total-shift-self", "reference", "2024年度支出合计15,194.61万元", "2024年度支出合计15,294.61万元", False,
     "合计", "15,194.61"),
    ("total-shift-sh-self", "shanghai", "本年收入合计2,149.60万元", "本年收入合计2,249.60万元", False, "合计", "2,149.60"),
    # an amount that differs from its table cell
    ("cell", "reference", "卫生健康支出(类)76.19万元", "卫生健康支出(类)76.91万元", True, "金额", "76.19"),
    ("cell-tail", "reference", "卫生健康支出(类)76.19万元", "卫生健康支出(类)76.20万元", True, "金额", "76.19"),
    ("cell-sh", "shanghai", "货物采购金额86.30万元", "货物采购金额68.30万元", True, "金额", "86.30"),
    ("parts-sh-self", "shanghai", "货物采购金额86.30万元", "货物采购金额68.30万元", False, "合计", "338.80"),
    # wrong rate / completion / change amount
    ("rate", "reference", "增长82.77%", "增长82.67%", True, "增长率", "82.77%"),
    ("rate-self", "reference", "增长82.77%", "增长82.67%", False, "增长率", "82.77%"),
    ("fall-rate", "yangcheng", "下降6.36%", "下降6.63%", True, "下降率", "6.36%"),
    ("completion", "reference", "完成年初预算的112.02%", "完成年初预算的112.20%", True, "完成率", "112.02%"),
    ("completion-self", "reference", "完成年初预算的112.02%", "完成年初预算的112.20%", False, "完成率", "112.02%"),
    ("completion-sh-self", "shanghai", "完成预算的84.73%", "完成预算的87.43%", False, "完成率", "84.73%"),
    ("change-amount", "reference", "较上年决算增加552.81万元", "较上年决算增加562.81万元", True, "增减额", "552.81"),
    ("count", "shanghai", "共接待12批次", "共接待21批次", True, "个数", "12批次"),
    ("vehicles-self", "shanghai", "执法执勤用车2辆", "执法执勤用车3辆", False, "合计", "5"),
    # 政府采购: 货物 + 工程 + 服务 = 总额; 小微企业 within 中小企业
    ("procurement-goods", "reference", "政府采购货物支出0.30万元", "政府采购货物支出0.50万元", True, "金额", "0.30"),
    ("procurement-goods-self", "reference", "政府采购货物支出0.30万元", "政府采购货物支出0.50万元", False, "合计", "0.50"),
    ("procurement-service-self", "reference", "政府采购服务支出0万元", "政府采购服务支出0.20万元", False, "合计", "0.50"),
    ("procurement-works-sh", "shanghai", "工程采购金额120.00万元", "工程采购金额102.00万元", True, "金额", "120.00"),
    ("procurement-works-sh-self", "shanghai", "工程采购金额120.00万元", "工程采购金额102.00万元", False, "合计",
     "338.80"),  # 86.30 + 102.00 + 150.50
    ("small-micro", "reference", "授予小微企业合同金额0万元", "授予小微企业合同金额0.20万元", True, "金额", "0"),
    ("small-micro-self", "reference", "授予小微企业合同金额0万元", "授予小微企业合同金额0.20万元", False, "合计",
     "不小于 0.20"),
    ("sme-total", "reference", "政府采购授予中小企业合同金额0万元", "政府采购授予中小企业合同金额0.10万元", True, "金额", "0"),
    ("small-micro-reserved-sh", "shanghai", "面向小微企业预留政府采购项目预算金额120.00万元",
     "面向小微企业预留政府采购项目预算金额210.00万元", True, "金额", "120.00"),
    ("small-micro-reserved-sh-self", "shanghai", "面向小微企业预留政府采购项目预算金额120.00万元",
     "面向小微企业预留政府采购项目预算金额210.00万元", False, "合计", "不大于 200.00"),
    ("sme-awarded-sh", "shanghai", "由中小企业供应商中标或成交的，采购金额200.00万元",
     "由中小企业供应商中标或成交的，采购金额210.00万元", True, "金额", "200.00"),
    # a label that does not fit: 完成年初预算的 when 年初预算 is 0
    ("zero-budget", "shanghai", "年初预算为0万元，支出决算为150.75万元。",
     "年初预算为0万元，支出决算为150.75万元，完成年初预算的100.00%。", False, "标签", ""),
    ("zero-budget-tables", "shanghai", "年初预算为0万元，支出决算为150.75万元。",
     "支出决算为150.75万元，完成年初预算的100.00%。", True, "标签", ""),
    ("zero-budget-both", "shanghai", "年初预算为0万元，支出决算为150.75万元。",
     "年初预算为0万元，支出决算为150.75万元，完成年初预算的100.00%。", True, "标签", ""),
    ("zero-prior-tables", "reference", "较上年决算增加1,817.23万元，主要原因是2024年全县教育系统",
     "较上年决算增加1,817.23万元，增长100.00%，主要原因是2024年全县教育系统", True, "标签", ""),
    # shares plugged to total 100%: 2,014.54 / 120.06 / 15.00 of 2,149.60 round to 93.72 + 5.59 + 0.70 = 100.01
    ("plugged-sh-self", "shanghai", "财政拨款收入2,014.60万元，占93.72%；事业收入120.00万元，占5.58%",
     "财政拨款收入2,014.54万元，占93.72%；事业收入120.06万元，占5.58%", False, "强制凑百", "5.59%"),
    # template residue
    ("residue-note", "reference", "主要原因是2024年人员减少", "主要原因是2024年人员减少（如持平作持平表述）", True, "模板残留", ""),
    ("residue-xxx", "reference", "2024年度支出合计15,194.61万元", "2024年度支出合计XXX万元", True, "模板残留", ""),
    ("residue-xxx-self", "reference", "2024年度支出合计15,194.61万元", "2024年度支出合计XXX万元", False, "模板残留", ""),
    ("residue-xx", "shanghai", "占16.92%", "占XX%", False, "模板残留", ""),
    ("residue-both", "yangcheng", "下降9.55%", "下降（增长）9.55%", True, "模板残留", ""),
    ("residue-not-listed", "shanghai", "其他收入15.00万元，占0.70%。", "其他收入15.00万元，占0.70%……（不涉及的不列）。",
     False, "模板残留", ""),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_each_injected_error_is_found_where_it_was_injected(case):
    _, name, old, new, with_tables, category, expected = case
    make_text, figures = TEXTS[name]
    text, paragraph = mutate(make_text(), old, new)
    report = narrate.lint(text, figures=figures if with_tables else None)
    hits = [f for f in report.findings if f.category == category and f.paragraph == paragraph]
    assert hits, "\n".join(f.describe() for f in report.findings) or "no findings"
    assert len({(f.start, f.category) for f in hits}) == len(hits), "reported twice"
    if expected:
        assert expected in [f.expected for f in hits], [f.describe() for f in hits]
    # and nothing else is flagged in other paragraphs (the reference's known slips aside)
    others = [f for f in report.findings if f.severity != "info" and f.paragraph != paragraph
              and not (name == "reference" and f.category == "小数位")]
    assert not others, "\n".join(f.describe() for f in others)


def test_cell_within_the_rounding_tail_is_a_note_naming_the_cell():
    text, paragraph = mutate(REFERENCE, "卫生健康支出(类)76.19万元", "卫生健康支出(类)76.20万元")
    report = narrate.lint(text, figures=YANGCHENG)
    (hit,) = [f for f in report.findings if f.paragraph == paragraph]
    assert hit.severity == "info" and hit.category == "金额"
    assert any("公开05表" in s for s in hit.sources)


def test_wrong_amount_names_its_table_cell():
    text, paragraph = mutate(REFERENCE, "卫生健康支出(类)76.19万元", "卫生健康支出(类)76.91万元")
    report = narrate.lint(text, figures=YANGCHENG)
    (hit,) = [f for f in report.errors if f.paragraph == paragraph]
    assert hit.sources and "公开05表" in hit.sources[0] and "210" in hit.sources[0]
    assert hit.sentence == "卫生健康支出(类)【76.91】万元，占比0.50%；"


def test_wrong_rate_gives_its_formula_over_the_cells():
    text, paragraph = mutate(REFERENCE, "增长82.77%", "增长82.67%")
    (hit,) = narrate.lint(text, figures=YANGCHENG).errors
    assert hit.formula.startswith("|12,423.32 − 6,797.13| ÷ 6,797.13 × 100")
    assert hit.paragraph == paragraph and hit.expected == "82.77%" and hit.found == "82.67%"


@pytest.mark.parametrize("old, new, category, expected, formula, sources", [
    ("占比81.76%", "占比81.67%", "占比", "81.76%", "12,423.32 ÷ 15,194.61 × 100 = 81.76%",
     ("公开05表 208 社会保障和就业支出 小计", "公开05表 合计 小计")),
    ("完成年初预算的112.02%", "完成年初预算的112.20%", "完成率", "112.02%", "12,423.32 ÷ 11,090.22 × 100 = 112.02%",
     ("公开05表 208 社会保障和就业支出 小计",
      "表外数据 general_budget.functions.208.budget_initial 社会保障和就业支出 年初预算")),
    ("较上年决算增加552.81万元", "较上年决算增加562.81万元", "增减额", "552.81", "|728.82 − 176.01|",
     ("公开05表 213 农林水支出 小计", "表外数据 general_budget.functions.213.prior_year 农林水支出 上年决算")),
    ("下降6.36%", "下降6.63%", "下降率", "6.36%", "|149.05 − 159.17| ÷ 159.17 × 100 = 6.36%",
     ("公开05表 221 住房保障支出 小计", "表外数据 general_budget.functions.221.prior_year 住房保障支出 上年决算")),
], ids=["share", "completion", "change-amount", "fall-rate"])
def test_wrong_figure_gives_its_formula_over_the_named_cells(old, new, category, expected, formula, sources):
    text, paragraph = mutate(REFERENCE, old, new)
    (hit,) = narrate.lint(text, figures=YANGCHENG).errors
    assert (hit.paragraph, hit.category, hit.expected, hit.formula, hit.sources) == \
           (paragraph, category, expected, formula, sources)


def test_plugged_share_is_reported_with_the_independently_rounded_value():
    text = ("三、支出决算情况说明\n本年支出合计3.00万元，其中：基本支出1.00万元，占33.34%；"
            "项目支出1.00万元，占33.33%；经营支出1.00万元，占33.33%。\n")
    report = narrate.lint(text)
    (hit,) = [f for f in report.findings if f.category == "强制凑百"]
    assert hit.paragraph == 2 and hit.expected == "33.33%" and hit.found == "33.34%"


def test_missing_section_is_reported():
    text = REFERENCE.replace("六、一般公共预算财政拨款基本支出决算情况说明\n", "")
    for figures in (None, YANGCHENG):
        report = narrate.lint(text, figures=figures)
        hits = [f for f in report.errors if f.category == "缺少章节"]
        assert [f.expected for f in hits] == ["一般公共预算财政拨款基本支出决算情况说明"]


def test_growth_rate_when_prior_is_zero_is_a_label_error():
    text = "一、收入支出决算总体情况说明\n机关运行经费支出10.00万元，比上年增加10.00万元，增长100.00%。\n"
    (hit,) = [f for f in narrate.lint(text).errors if f.category == "标签"]
    assert hit.paragraph == 2 and "100.00" in hit.sentence


def test_change_of_zero_with_a_direction_word():
    text = "一、收入支出决算总体情况说明\n机关运行经费支出10.00万元，比上年增加0万元。\n"
    (hit,) = [f for f in narrate.lint(text).errors if f.category == "方向"]
    assert hit.paragraph == 2


@pytest.mark.parametrize("sentence, category, expected", [
    ("2024年度支出总计15,194.61万元，上年支出总计7,211.33万元，减少7,983.28万元，增长110.70%。", "方向", "增加"),
    ("2024年度支出总计15,194.61万元，2023年度支出总计7,211.33万元，增加7,983.82万元。", "增减额", "7,983.28"),
    ("2024年度支出总计15,194.61万元，2023年度支出总计7,211.33万元，增加7,983.28万元，增长110.07%。", "增长率", "110.70%"),
    ("2024年度收入总计100.00万元，2023年度收入总计100.00万元，增加0.50万元。", "方向", "持平"),
])
def test_change_against_a_stated_prior_year_amount(sentence, category, expected):
    report = narrate.lint("一、收入支出决算总体情况说明\n" + sentence + "\n")
    hits = [f for f in report.errors if f.category == category and f.paragraph == 2]
    assert [f.expected for f in hits] == [expected], report.to_text()
    assert len([f for f in report.errors if f.paragraph == 2]) == 1


def test_stated_prior_year_amount_that_agrees_is_clean():
    text = ("一、收入支出决算总体情况说明\n2024年度收入总计15,194.61万元，2023年度收入总计7,211.33万元，"
            "增加7,983.28万元，增长110.70%。\n")
    assert not [f for f in narrate.lint(text).findings if f.paragraph == 2]

"""Profiles: the Shanghai 2024 layout, a third profile from a folder, user templates and the sandbox."""

from __future__ import annotations

import copy
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from recompute import assert_numbers_recompute, input_values

import narrate
from narrate.cli import main
from narrate.errors import TemplateError
from narrate.loaders.text import parse
from narrate.rendering import bundled_profiles, templates_root

DATA = Path(__file__).resolve().parent / "data"
N = r"\d[\d,]*(?:\.\d{2})?"   # an amount as printed: "0" or "1,234.56"
P = r"\d[\d,]*\.\d{2}%"       # a rate
UNIT = "上海市某区文化和旅游局"

# The sentences of the Shanghai 2024 template (../shared/reference), XXX → a number, 增加（减少） → one of them.
TEMPLATE_SENTENCES = [
    rf"^{UNIT}2024年度收入支出总计{N}万元。与2023年度相比，收入支出总计(增加|减少){N}万元，(增长|下降){P}。主要原因：.+。$",
    rf"^本年收入合计{N}万元，其中：财政拨款收入{N}万元，占{P}；事业收入{N}万元，占{P}；其他收入{N}万元，占{P}。$",
    rf"^本年支出合计{N}万元，其中：基本支出{N}万元，占{P}；项目支出{N}万元，占{P}。$",
    rf"^{UNIT}2024年度财政拨款收入支出总计{N}万元。与2023年度相比，财政拨款收入支出总计(增加|减少){N}万元，(增长|下降){P}。主要原因：.+。$",
    rf"^一般公共预算财政拨款支出{N}万元，占本年支出合计的{P}。与2023年度相比，一般公共预算财政拨款支出(增加|减少){N}万元，(增长|下降){P}。主要原因：.+。$",
    rf"^一般公共预算财政拨款支出{N}万元，主要用于以下方面：(.+（类）{N}万元，占{P}[；。])+$",
    rf"^一般公共预算财政拨款支出年初预算为{N}万元，支出决算为{N}万元，完成年初预算的{P}。决算数(大于|小于)预算数的主要原因：.+。其中：$",
    rf"^\d+、.+（类）.+（款）.+（项）。主要用于：.+。年初预算为{N}万元，支出决算为{N}万元。决算数(大于|小于)预算数的主要原因：.+。$",
    rf"^\d+、.+（类）.+（款）.+（项）。主要用于：.+。年初预算为{N}万元，支出决算为{N}万元。决算数与预算数持平。$",
    rf"^一般公共预算财政拨款基本支出{N}万元。其中：人员经费{N}万元，主要包括：.+；公用经费{N}万元，主要包括：.+。$",
    rf"^“三公”经费财政拨款支出年初预算为{N}万元，支出决算为{N}万元，完成预算的{P}，其中：因公出国（境）费决算为{N}万元"
    rf"(，完成预算的{P})?；公务用车购置及运行维护费支出决算为{N}万元，完成预算的{P}；公务接待费支出决算为{N}万元，完成预算的{P}。"
    rf"2024年度“三公”经费支出决算数(小于|大于)预算数的主要原因：.+。$",
    rf"^2024年度“三公”经费财政拨款支出决算数比2023年度(减少|增加){N}万元，(下降|增长){P}，其中：因公出国（境）费支出决算.+；"
    rf"公务用车购置及运行维护费支出决算.+；公务接待费支出决算.+。.*$",
    rf"^“三公”经费财政拨款支出决算中，因公出国（境）费支出决算{N}万元，占{P}；公务用车购置及运行维护费支出决算{N}万元，占{P}；"
    rf"公务接待费支出决算{N}万元，占{P}。具体情况如下：$",
    rf"^1、因公出国（境）费支出{N}万元。全年安排因公出国（境）团组\d+个、累计\d+人次。开支内容包括：.+。$",
    rf"^2、公务用车购置及运行维护费支出{N}万元。其中：$",
    rf"^公务用车运行维护支出{N}万元。主要用于.+。2024年，{UNIT}所属各预算单位开支财政拨款的公务用车保有量为\d+辆。$",
    rf"^3、公务接待费支出{N}万元。其中：$",
    rf"^国内公务接待支出{N}万元（含外宾接待支出{N}万元）。主要用于.+，共接待\d+批次、\d+人次，其中：接待外宾\d+批次、\d+人次。$",
    rf"^{UNIT}2024年度无政府性基金预算财政拨款收入和支出。$",
    rf"^{UNIT}2024年度无国有资本经营预算财政拨款收入和支出。$",
    rf"^{UNIT}2024年度预算绩效管理工作开展情况如下：本部门建立了如下预算绩效管理制度：.+，建立了.+的预算绩效管理工作机制；"
    rf"全过程绩效管理实施情况：编报绩效目标的2024年度项目\d+个，涉及预算金额{N}万元；绩效跟踪评价的2024年度项目\d+个，涉及预算金额{N}万元；"
    rf"绩效自评的2024年度项目\d+个，涉及预算金额{N}万元，平均得分{N}分（其中，绩效评级为“优”的项目\d+个；绩效评级为“良”的项目\d+个；"
    rf"绩效评级为“合格”的项目\d+个；绩效评级为“不合格”的项目\d+个。绩效自评中共发现问题\d+个，已经完成整改的\d+个，正在整改的\d+个）。$",
    rf"^机关运行经费支出{N}万元，比2023年度(增加|减少){N}万元，(增长|下降){P}。主要原因是.+。$",
    rf"^{UNIT}2024年度政府采购金额（以合同签订为准）为{N}万元，其中：货物采购金额{N}万元、工程采购金额{N}万元、服务采购金额{N}万元。$",
    rf"^2024年度本部门面向中小企业预留政府采购项目预算金额{N}万元，面向小微企业预留政府采购项目预算金额{N}万元。在面向中小企业预留的政府采购项目中，"
    rf"由中小企业供应商中标或成交的，采购金额{N}万元；在面向小微企业预留政府采购项目中，由小微企业供应商中标或成交的，采购金额{N}万元；"
    rf"在其他政府采购项目中，由中小企业供应商中标或成交的，采购金额{N}万元。$",
    rf"^截至2024年12月31日，{UNIT}共有车辆\d+辆，其中：部级领导干部用车\d+辆、主要领导干部用车\d+辆、机要通信用车\d+辆、应急保障用车\d+辆、"
    rf"执法执勤用车\d+辆、特种专业技术用车\d+辆、离退休干部用车\d+辆、其他用车\d+辆。单价100万元（含）以上设备（不含车辆）\d+台（套）。$",
]

HEADINGS = [
    f"第三部分 {UNIT}2024年度部门决算情况说明", "一、收入支出决算总体情况说明", "二、收入决算情况说明", "三、支出决算情况说明",
    "四、财政拨款收入支出决算总体情况说明", "五、一般公共预算财政拨款支出决算情况说明", "（一）一般公共预算财政拨款支出决算总体情况",
    "（二）一般公共预算财政拨款支出决算结构情况", "（三）一般公共预算财政拨款支出决算具体情况", "六、一般公共预算财政拨款基本支出决算情况说明",
    "七、财政拨款“三公”经费支出决算情况说明", "（一）“三公”经费财政拨款支出决算总体情况说明。", "（二）“三公”经费财政拨款支出决算具体情况说明。",
    "八、政府性基金预算财政拨款收入支出决算情况说明", "九、国有资本经营预算财政拨款收入支出决算情况说明", "十、预算绩效管理情况",
    "十一、其他重要事项的情况说明", "（一）机关运行经费支出情况", "（二）政府采购支出情况", "（三）国有资产占有使用情况说明", "第四部分 名词解释",
]

SH_TERMS = ["财政拨款收入", "事业收入", "经营收入", "其他收入", "年初结转和结余", "年末结转和结余", "基本支出", "项目支出", "经营支出",
            "“三公”经费", "机关运行经费"]


@pytest.fixture(scope="module")
def sh_path() -> Path:
    return narrate.example_path("shanghai-2024")


@pytest.fixture(scope="module")
def sh_data(sh_path):
    return parse(sh_path.read_text(encoding="utf-8"), "yaml", "shanghai")


@pytest.fixture(scope="module")
def sh_document(sh_path):
    return narrate.render(narrate.compute(narrate.load(sh_path)))


def paragraphs(data, **kw) -> list[str]:
    return narrate.render(narrate.compute(narrate.figures_from_data(data)), **kw).paragraphs()


def test_both_profiles_are_bundled():
    assert {"default", "shanghai-2024"} <= set(bundled_profiles())


def test_figures_file_selects_its_profile(sh_document):
    assert sh_document.paragraphs()[0] == f"第三部分 {UNIT}2024年度部门决算情况说明"


def test_shanghai_headings_in_order(sh_document):
    headings = [b.text for b in sh_document.blocks if b.kind == "heading"]
    assert headings == HEADINGS


def test_every_template_sentence_is_produced(sh_document):
    body = [b.text for b in sh_document.blocks if b.kind == "paragraph"]
    for pattern in TEMPLATE_SENTENCES:
        assert any(re.match(pattern, p) for p in body), f"no paragraph has the form {pattern[:60]}…"


def test_item_level_detail_covers_every_item(sh_document, sh_data):
    items = [r for r in sh_data["tables"]["t05"]["rows"] if len(r["code"]) == 7]
    details = [p for p in sh_document.paragraphs() if re.match(r"^\d+、.+（项）。", p)]
    assert len(details) == len(items) == 10
    assert sum("决算数与预算数持平。" in p for p in details) == 4
    assert not any("持平" in p and "原因" in p for p in details)  # 预决算持平的不用说明变动原因
    assert any(p.startswith("5、文化旅游体育与传媒支出（类）文化和旅游（款）其他文化和旅游支出（项）。") and "年初预算为0万元" in p
               for p in details)


def test_glossary_lists_11_terms_with_details_only_for_non_zero_income(sh_document):
    texts = sh_document.paragraphs()
    glossary = texts[texts.index("第四部分 名词解释") + 1:]
    assert [t.split("：", 1)[0].split("、", 1)[1] for t in glossary] == SH_TERMS
    assert glossary[1].endswith("主要是：文物展览讲解、文化培训收入等。")
    assert glossary[2] == "三、经营收入：指事业单位在专业业务活动及其辅助活动之外开展非独立核算经营活动取得的收入。"  # 经营收入 = 0
    assert glossary[3].endswith("主要是：存款利息收入等。")


def test_shanghai_snapshot(sh_document):
    """The whole text as reviewed against the template (tests/data/shanghai-2024.expected.txt)."""
    expected = (DATA / "shanghai-2024.expected.txt").read_text(encoding="utf-8")
    assert narrate.to_bytes(sh_document, "txt").decode("utf-8") == expected


def test_shanghai_numbers_recompute(sh_document, sh_data):
    assert assert_numbers_recompute(sh_document, input_values(sh_data)) > 100


def test_shanghai_example_passes_check(sh_path):
    report = narrate.check(narrate.load(sh_path))
    assert report.ok and not report.findings


def test_no_three_public_says_so_and_drops_the_subsections(sh_data):
    data = copy.deepcopy(sh_data)
    data["tables"]["t09"] = {}
    data["tables"]["t06"]["rows"] = [r for r in data["tables"]["t06"]["rows"] if r["code"] not in ("30217", "30231")]
    texts = paragraphs(data)
    i = texts.index("七、财政拨款“三公”经费支出决算情况说明")
    assert texts[i + 1] == f"{UNIT}2024年度无“三公”经费财政拨款支出。"
    assert texts[i + 2].startswith("八、")


def test_no_admin_cost(sh_data):
    data = copy.deepcopy(sh_data)
    data["tables"]["t10"]["admin_operating_cost"] = {}
    assert f"{UNIT}2024年度无机关运行经费支出。" in paragraphs(data)


def test_fund_table_with_items(sh_data):
    data = copy.deepcopy(sh_data)
    data["tables"]["t07"] = {
        "total": {"income": Decimal("50.00"), "total": Decimal("50.00"), "project": Decimal("50.00")},
        "rows": [{"code": "207", "name": "文化旅游体育与传媒支出", "income": Decimal("50.00"), "total": Decimal("50.00"),
                  "project": Decimal("50.00")},
                 {"code": "20707", "name": "旅游发展基金支出", "income": Decimal("50.00"), "total": Decimal("50.00"),
                  "project": Decimal("50.00")},
                 {"code": "2070799", "name": "其他旅游发展基金支出", "income": Decimal("50.00"), "total": Decimal("50.00"),
                  "project": Decimal("50.00")}],
    }
    data["government_fund"] = {"functions": {"2070799": {"budget_initial": Decimal("40.00"), "uses": "旅游宣传推广",
                                                         "budget_reason": "年中追加旅游宣传推广经费"}}}
    texts = paragraphs(data)
    i = texts.index("八、政府性基金预算财政拨款收入支出决算情况说明")
    assert texts[i + 1] == "政府性基金预算财政拨款收入50.00万元，支出50.00万元，支出具体情况如下："
    assert texts[i + 2] == ("1、文化旅游体育与传媒支出（类）旅游发展基金支出（款）其他旅游发展基金支出（项）。主要用于：旅游宣传推广。"
                            "年初预算为40.00万元，支出决算为50.00万元。决算数大于预算数的主要原因：年中追加旅游宣传推广经费。")


def test_three_public_all_equal_to_prior(sh_data):
    data = copy.deepcopy(sh_data)
    data["three_public"]["prior_year"] = {"total": Decimal("12.71"), "overseas": 0, "vehicle_purchase": 0,
                                          "vehicle_operation": Decimal("10.56"), "reception": Decimal("2.15")}
    texts = paragraphs(data)
    assert ("2024年度“三公”经费财政拨款支出决算数与2023年度持平。其中：因公出国（境）费支出决算持平；公务用车购置及运行维护费支出决算持平；"
            "公务接待费支出决算持平。") in texts


def test_demo_with_profile_renders_the_profiles_example(tmp_path):
    out = tmp_path / "sh.md"
    assert CliRunner().invoke(main, ["demo", "--profile", "shanghai-2024", "-o", str(out)]).exit_code == 0
    assert f"# 第三部分 {UNIT}2024年度部门决算情况说明" in out.read_text(encoding="utf-8")


def test_default_example_with_the_shanghai_profile_renders(example_figures):
    texts = narrate.render(narrate.compute(example_figures), profile="shanghai-2024").paragraphs()
    assert texts[0] == "第三部分 阳城县人力资源和社会保障局2024年度部门决算情况说明"


# ---------------------------------------------------------------- a third profile, no Python change
def test_a_third_profile_from_a_folder(tmp_path, example_figures):
    profile = tmp_path / "brief"
    profile.mkdir()
    (profile / "profile.yaml").write_text(
        "name: brief\nparts:\n  - title: 第三部分 简要情况说明\n    sections:\n"
        "      - {title: 收支总体情况, template: totals.j2}\n"
        "      - {title: 基本支出, template: basic.j2, when: 'not basic.total.is_zero'}\n"
        "      - {title: 不会出现的一节, template: totals.j2, when: 'basic.total.is_zero'}\n"
        "  - title: 第四部分 名词解释\n    template: terms.j2\nterms: terms.yaml\n", encoding="utf-8")
    (profile / "totals.j2").write_text(
        "{% import 'macros.j2' as m %}\n{{ unit.name }}{{ unit.year }}年度收入总计{{ totals.income|wan }}"
        "{% if totals.income_change %}，较上年{{ m.change(totals.income_change) }}{% endif %}。\n", encoding="utf-8")
    (profile / "basic.j2").write_text("基本支出{{ basic.total|wan }}，其中人员经费占{{ basic.personnel.value }}万元。\n\n"
                                      "第二段。\n", encoding="utf-8")
    (profile / "terms.j2").write_text("{% for t in terms %}{{ loop.index }}. {{ t.term }}：{{ t.definition }}\n\n{% endfor %}",
                                      encoding="utf-8")
    (profile / "terms.yaml").write_text("terms:\n  - {term: 基本支出, definition: 保障机构正常运转的支出。}\n", encoding="utf-8")
    document = narrate.render(narrate.compute(example_figures), profile=str(profile))
    assert document.paragraphs() == [
        "第三部分 简要情况说明", "一、收支总体情况",
        "阳城县人力资源和社会保障局2024年度收入总计15,194.61万元，较上年增加7,983.28万元，增长110.70%。",
        "二、基本支出", "基本支出8,159.21万元，其中人员经费占8036.66万元。", "第二段。",
        "第四部分 名词解释", "1. 基本支出：保障机构正常运转的支出。",
    ]


# ---------------------------------------------------------------- user templates
def test_user_template_overrides_one_section_only(tmp_path, example_figures, example_document):
    (tmp_path / "basic.j2").write_text("{{ unit.year }}年度基本支出{{ basic.total|wan }}（本单位自拟的一句）。\n", encoding="utf-8")
    ours = narrate.render(narrate.compute(example_figures), templates=tmp_path).paragraphs()
    original = example_document.paragraphs()
    changed = [i for i, (a, b) in enumerate(zip(ours, original)) if a != b]
    i = original.index("六、一般公共预算财政拨款基本支出决算情况说明")
    assert ours[i + 1] == "2024年度基本支出8,159.21万元（本单位自拟的一句）。"
    assert ours[:i + 1] == original[:i + 1] and ours[i + 2:] == original[i + 4:]
    assert changed and changed[0] == i + 1


@pytest.mark.parametrize("attack", [
    "{{ unit.__class__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ totals.income._data }}",
    "{{ self._TemplateReference__context }}",
])
def test_sandbox_refuses_escapes(tmp_path, example_figures, attack):
    (tmp_path / "overview.j2").write_text(attack + "\n", encoding="utf-8")
    with pytest.raises(TemplateError) as e:
        narrate.render(narrate.compute(example_figures), templates=tmp_path)
    message = str(e.value)
    assert "overview.j2" in message
    assert "不安全" in message or "未定义" in message


def test_user_template_error_names_file_line_and_variable(tmp_path, example_figures):
    (tmp_path / "income.j2").write_text("第一行\n{{ income.no_such_field }}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as e:
        narrate.render(narrate.compute(example_figures), templates=tmp_path)
    message = str(e.value)
    assert str(tmp_path / "income.j2") in message and "第 2 行" in message and "no_such_field" in message


def test_user_template_syntax_error(tmp_path, example_figures):
    (tmp_path / "income.j2").write_text("{% if %}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as e:
        narrate.render(narrate.compute(example_figures), templates=tmp_path)
    assert "income.j2" in str(e.value) and "语法" in str(e.value)


def test_cli_templates_option_and_clean_error(tmp_path, example_path):
    (tmp_path / "overview.j2").write_text("{{ unit.__class__.__bases__ }}\n", encoding="utf-8")
    out = tmp_path / "o.md"
    result = CliRunner().invoke(main, ["render", str(example_path), "--templates", str(tmp_path), "-o", str(out)])
    assert result.exit_code == 2 and "overview.j2" in result.output and "Traceback" not in result.output
    assert not out.exists()


@pytest.mark.parametrize("forged", ["\ue000nope\ue0011.00\ue002万元", "\ue000fiscal.income", "1.00\ue002万元"])
def test_a_template_cannot_forge_number_marks(tmp_path, example_path, forged):
    """narrate tags each number a filter prints with private-use marks; a user template writing such
    characters itself is refused (exit 2, the template named), never a traceback or a forged number."""
    (tmp_path / "overview.j2").write_text("{{ unit.name }}" + forged + "\n", encoding="utf-8")
    out = tmp_path / "o.md"
    result = CliRunner().invoke(main, ["render", str(example_path), "--templates", str(tmp_path), "-o", str(out)])
    assert result.exit_code == 2 and "overview.j2" in result.output and "U+E000" in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_golden_default_layout_unchanged_by_profiles(example_document):
    from reference import reference_paragraphs

    assert len(example_document.paragraphs()) == len(reference_paragraphs())
    assert templates_root().joinpath("zh", "default", "profile.yaml").is_file()


def test_only_bundled_profiles_run_outside_the_sandbox(tmp_path):
    from jinja2.sandbox import SandboxedEnvironment

    from narrate.rendering import _environment, load_profile

    bundled = load_profile("default").folder.resolve()
    for recording in (False, True):  # check renders in a recording environment: sandboxed all the same
        assert not isinstance(_environment(bundled, None, recording), SandboxedEnvironment)
        assert isinstance(_environment(bundled, tmp_path.resolve(), recording), SandboxedEnvironment)
        shutil.copytree(bundled, tmp_path / f"copy{recording}")
        assert isinstance(_environment((tmp_path / f"copy{recording}").resolve(), None, recording), SandboxedEnvironment)

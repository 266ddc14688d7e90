"""全年预算 beside 年初预算: the profile's ``budget`` block picks what each 预决算 sentence compares with.

A unit created during the year has 年初预算 0 and 全年预算 > 0; no profile may print "完成年初预算的X%"
computed from a full-year figure, and ``check``'s 需说明原因 follows the same baseline.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import narrate
from narrate.cli import main
from narrate.dump import dumps
from narrate.rendering import templates_root

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _data(name: str) -> dict:
    return yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))


def _new_unit(name: str) -> narrate.Figures:
    """The example as a unit created during the year: every 年初预算 0, a 全年预算 equal to its 决算 + 10."""
    data = _data(name)
    gb = data["general_budget"]
    figures = narrate.figures_from_data(data)
    amounts = {r.code: r.total for r in figures.tables.t05.rows}
    gb["budget_initial"] = 0
    gb["budget_full_year"] = str(figures.tables.t05.total.total + 10)
    gb.pop("budget_reason", None)
    for code, notes in gb["functions"].items():
        notes["budget_initial"] = 0
        notes["budget_full_year"] = str(amounts[code] + 10)
        notes.pop("budget_reason", None)
    return narrate.figures_from_data(data)


def _text(figures: narrate.Figures, profile: str | Path | None = None) -> str:
    return "\n".join(narrate.render(narrate.compute(figures), profile=str(profile) if profile else None).paragraphs())


def _profile_copy(tmp_path: Path, name: str, **budget: object) -> Path:
    folder = tmp_path / name
    shutil.copytree(templates_root() / "zh" / name, folder)
    spec = yaml.safe_load((folder / "profile.yaml").read_text(encoding="utf-8"))
    spec["budget"] = {**spec.get("budget", {}), **budget}
    (folder / "profile.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return folder


def test_default_new_unit_falls_back_to_full_year_budget():
    figures = _new_unit("yangcheng-2024.yaml")
    text = _text(figures)
    total = figures.tables.t05.total.total
    assert f"一般公共预算财政拨款支出全年预算{total + 10:,.2f}万元，支出决算{total:,.2f}万元，完成全年预算的" in text
    assert "完成年初预算" not in text
    assert "年初预算0万元" not in text


def test_shanghai_new_unit_item_lines_name_the_full_year_budget():
    figures = _new_unit("shanghai-2024.yaml")
    text = _text(figures, "shanghai-2024")
    assert "完成年初预算" not in text
    assert "一般公共预算财政拨款支出全年预算为" in text and "完成全年预算的" in text
    item = next(r for r in figures.tables.t05.rows if len(r.code) == 7)
    assert f"全年预算为{item.total + 10:,.2f}万元，支出决算为{item.total:,.2f}万元。" in text


def test_completion_fact_names_its_baseline():
    figures = _new_unit("yangcheng-2024.yaml")
    document = narrate.render(narrate.compute(figures))
    rates = [n.fact for _, n in document.numbers() if n.fact.key.endswith("completion_full_year")]
    assert rates, "the completion printed is the full-year one"
    for fact in rates:
        assert "全年预算" in fact.label
        assert any("全年预算" in s.column for s in fact.sources)
        assert not any(n.fact.key.endswith(".completion") for _, n in document.numbers()
                       if "general_budget" in n.fact.key)


@pytest.mark.parametrize("name", ["default", "shanghai-2024"])
def test_without_fallback_a_zero_initial_budget_has_no_completion(tmp_path, name):
    example = "yangcheng-2024.yaml" if name == "default" else "shanghai-2024.yaml"
    text = _text(_new_unit(example), _profile_copy(tmp_path, name, fallback=False))
    assert "全年预算" not in text.split("“三公”")[0]
    assert "完成年初预算" not in text
    assert "年初预算0万元" in text or "年初预算为0万元" in text


@pytest.mark.parametrize("name", ["default", "shanghai-2024"])
def test_full_year_baseline_without_full_year_figures_prints_no_budget(tmp_path, name):
    example = "yangcheng-2024.yaml" if name == "default" else "shanghai-2024.yaml"
    figures = narrate.figures_from_data(_data(example))
    text = _text(figures, _profile_copy(tmp_path, name, baseline="全年预算"))
    body = text.split("“三公”")[0]
    assert "年初预算" not in body and "全年预算" not in body


def test_plain_baseline_prints_its_label(tmp_path):
    text = _text(_new_unit("yangcheng-2024.yaml"), _profile_copy(tmp_path, "default", baseline="预算"))
    assert "一般公共预算财政拨款支出预算" in text and "完成预算的" in text
    assert "完成年初预算" not in text and "完成全年预算" not in text.split("“三公”")[0]


def test_bundled_profiles_keep_the_initial_budget_when_it_is_given():
    for example, profile in (("yangcheng-2024.yaml", None), ("shanghai-2024.yaml", "shanghai-2024")):
        text = _text(narrate.figures_from_data(_data(example)), profile)
        assert "完成年初预算的" in text
        assert "完成全年预算" not in text.split("“三公”")[0]


def test_check_asks_for_reasons_against_the_chosen_baseline():
    report = narrate.check(_new_unit("shanghai-2024.yaml"), profile="shanghai-2024")
    messages = [f.message for f in report.findings if f.rule == "需说明原因"]
    assert not any("年初预算数 0.00" in m or "年初预算数0.00" in m for m in messages)
    assert any("全年预算数" in m for m in messages)


def test_check_names_the_full_year_field_under_a_full_year_baseline(tmp_path):
    figures = narrate.figures_from_data(_data("yangcheng-2024.yaml"))
    report = narrate.check(figures, profile=str(_profile_copy(tmp_path, "default", baseline="全年预算")))
    assert any("general_budget.budget_full_year" in f.message for f in report.findings)


def test_profile_refuses_an_unknown_baseline(tmp_path):
    folder = _profile_copy(tmp_path, "default", baseline="上年预算")
    with pytest.raises(narrate.TemplateError, match="budget.baseline"):
        _text(narrate.figures_from_data(_data("yangcheng-2024.yaml")), folder)


def test_full_year_budget_round_trips_through_the_workbook(tmp_path):
    figures = _new_unit("yangcheng-2024.yaml")
    source = tmp_path / "unit.yaml"
    source.write_text(dumps(figures, "yaml"), encoding="utf-8")
    xlsx, back = tmp_path / "unit.xlsx", tmp_path / "back.yaml"
    runner = CliRunner()
    assert runner.invoke(main, ["convert", str(source), "-o", str(xlsx)]).exit_code == 0
    result = runner.invoke(main, ["convert", str(xlsx), "-o", str(back)])
    assert result.exit_code == 0, result.output
    again = narrate.load(back)
    assert again == figures
    assert again.general_budget.budget_full_year == figures.tables.t05.total.total + Decimal(10)


def test_three_public_full_year_budget_beside_a_zero_initial_table_column():
    """Shanghai calls 公开09表's 预算数 年初预算: a new unit's column is 0, its 全年预算 given outside the table."""
    data = _data("shanghai-2024.yaml")
    t09 = data["tables"]["t09"]
    actual = t09["actual"]
    t09["budget"] = {}
    data["three_public"]["budget_full_year"] = {k.replace("vehicle_total", "vehicle"): str(Decimal(str(v)) + 1)
                                                for k, v in actual.items()}
    data["three_public"].pop("budget_reason", None)
    figures = narrate.figures_from_data(data)
    text = _text(figures, "shanghai-2024")
    total = figures.tables.t09.actual.total
    assert f"“三公”经费财政拨款支出全年预算为{total + 1:,.2f}万元，支出决算为{total:,.2f}万元，完成预算的" in text
    assert "“三公”经费财政拨款支出年初预算为0万元" not in text
    # the default profile calls the column 全年预算 already; a 年初预算 given outside the table is used as such
    data = _data("yangcheng-2024.yaml")
    data["three_public"]["budget_initial"] = {"total": "1.00"}
    text = _text(narrate.figures_from_data(data))
    assert "“三公”经费财政拨款支出年初预算1.00万元" in text and "完成年初预算的" in text.split("“三公”经费财政拨款支出年初预算")[1]


def test_central_style_new_unit_falls_back_to_full_year_budget():
    """The third bundled layout (1-decimal rates) speaks the same baseline rules."""
    figures = _new_unit("central-style.yaml")
    text = _text(figures, "central-style")
    total = figures.tables.t05.total.total
    assert f"一般公共预算财政拨款支出全年预算{total + 10:,.2f}万元，支出决算{total:,.2f}万元，完成全年预算的" in text
    assert "完成年初预算" not in text and "年初预算0万元" not in text
    item = next(r for r in figures.tables.t05.rows if len(r.code) == 3)
    assert f"全年预算{item.total + 10:,.2f}万元，支出决算{item.total:,.2f}万元，完成全年预算的" in text


def test_central_style_keeps_the_initial_budget_when_it_is_given():
    text = _text(narrate.figures_from_data(_data("central-style.yaml")), "central-style")
    assert "完成年初预算的" in text and "完成全年预算的" not in text.split("“三公”")[0]

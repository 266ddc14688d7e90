"""Figures real units have only partly: last year's 公务用车 subtotal, departments of several kinds of unit."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import narrate
from narrate.cli import main
from narrate.dump import dumps

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _data(name: str) -> dict:
    return yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))


def _text(figures: narrate.Figures, profile: str | None = None) -> str:
    return "\n".join(narrate.render(narrate.compute(figures), profile=profile).paragraphs())


def test_prior_vehicle_subtotal_is_accepted_and_printed():
    data = _data("shanghai-2024.yaml")
    prior = data["three_public"]["prior_year"]
    subtotal = prior.pop("vehicle_purchase") + prior.pop("vehicle_operation")
    prior["vehicle"] = subtotal
    figures = narrate.figures_from_data(data)
    assert figures.three_public.prior_year.vehicle == Decimal(str(subtotal))
    text = _text(figures, "shanghai-2024")
    assert "公务用车购置及运行维护费支出决算减少" in text or "公务用车购置及运行维护费支出决算增加" in text
    facts = narrate.compute(figures)
    assert facts.index["three_public.prior_year.vehicle"].sources[0].table == "表外数据"


def test_every_clause_that_can_be_computed_is_printed():
    data = _data("shanghai-2024.yaml")
    data["three_public"]["prior_year"].pop("vehicle_operation")  # 公务用车 unknown, the others known
    text = _text(narrate.figures_from_data(data), "shanghai-2024")
    assert "因公出国（境）费支出决算" in text and "公务接待费支出决算" in text
    assert "公务用车购置及运行维护费支出决算增加" not in text and "公务用车购置及运行维护费支出决算减少" not in text


def test_a_single_kind_stays_a_string():
    data = _data("yangcheng-2024.yaml")
    data["unit"]["kind"] = "行政单位"
    figures = narrate.figures_from_data(data)
    assert figures.unit.kind == "行政单位" and figures.unit.all_kinds == ("行政单位",)


def test_a_department_of_several_kinds():
    data = _data("yangcheng-2024.yaml")
    data["unit"]["kind"] = ["行政单位", "事业单位"]
    figures = narrate.figures_from_data(data)
    assert figures.unit.kind == "部门" and figures.unit.all_kinds == ("行政单位", "事业单位")
    text = _text(figures)
    assert "机关运行经费（行政单位）支出" in text
    assert "机关运行经费：" in text  # the glossary keeps the term for the department


def test_glossary_variants_follow_every_kind(tmp_path):
    import shutil

    from narrate.rendering import templates_root

    folder = tmp_path / "p"
    shutil.copytree(templates_root() / "zh" / "default", folder)
    terms = yaml.safe_load((folder / "terms.yaml").read_text(encoding="utf-8"))
    terms["terms"].append({"term": "只给事业单位", "definition": "甲", "kinds": ["事业单位"]})
    terms["terms"].append({"term": "部门措辞", "definition": "乙", "variants": {"部门": "丙", "行政单位": None}})
    (folder / "terms.yaml").write_text(yaml.safe_dump(terms, allow_unicode=True), encoding="utf-8")
    data = _data("yangcheng-2024.yaml")
    single = _text(narrate.figures_from_data(data), str(folder))
    assert "只给事业单位" not in single and "部门措辞" not in single
    data["unit"]["kind"] = ["行政单位", "事业单位"]
    mixed = _text(narrate.figures_from_data(data), str(folder))
    assert "只给事业单位：甲" in mixed and "部门措辞：丙" in mixed


def test_department_without_its_kinds_is_refused():
    data = _data("yangcheng-2024.yaml")
    data["unit"]["kind"] = "部门"
    with pytest.raises(narrate.FiguresError, match="unit.kinds"):
        narrate.figures_from_data(data)


def test_department_round_trips_through_the_workbook(tmp_path):
    data = _data("yangcheng-2024.yaml")
    data["unit"]["kind"] = ["行政单位", "参公事业单位", "事业单位"]
    data["three_public"]["prior_year"]["vehicle"] = 3.5
    figures = narrate.figures_from_data(data)
    source, xlsx, back = tmp_path / "unit.yaml", tmp_path / "unit.xlsx", tmp_path / "back.yaml"
    source.write_text(dumps(figures, "yaml"), encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["convert", str(source), "-o", str(xlsx)]).exit_code == 0
    result = runner.invoke(main, ["convert", str(xlsx), "-o", str(back)])
    assert result.exit_code == 0, result.output
    assert narrate.load(back) == figures


@pytest.mark.parametrize("kind, needles", [
    ("[行政单位, 公司]", ("unit.kind", "第 2 项", "公司", "行政单位、事业单位、参公事业单位")),
    ("[]", ("unit.kind", "空列表")),
    ("部门", ("unit.kinds", "部门")),
])
def test_bad_unit_kinds_are_refused_in_chinese(tmp_path, kind, needles):
    from hostile.harness import assert_refused, run, snapshot

    text = (EXAMPLES / "yangcheng-2024.yaml").read_text(encoding="utf-8").replace("  kind: 行政单位", f"  kind: {kind}", 1)
    source = tmp_path / "unit.yaml"
    source.write_text(text, encoding="utf-8")
    before = snapshot(tmp_path)
    assert_refused(run("render", source, "-o", tmp_path / "out.docx"), "unit.yaml", *needles)
    assert snapshot(tmp_path) == before


def test_bad_prior_vehicle_is_refused_in_chinese(tmp_path):
    from hostile.harness import assert_refused, run

    data = _data("yangcheng-2024.yaml")
    data["three_public"]["prior_year"]["vehicle"] = "-3"
    source = tmp_path / "unit.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert_refused(run("check", source), "three_public.prior_year.vehicle", "负数")

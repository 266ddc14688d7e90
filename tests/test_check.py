"""narrate check: the 勾稽 rules, rounding tails, what the narrative lacks, exit codes."""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import pytest
from click.testing import CliRunner

import narrate
from narrate.cli import main
from narrate.loaders.text import parse
from narrate.rules import check, tolerance
from narrate.rules.engine import load_catalog


@pytest.fixture(scope="module")
def base(example_path):
    return parse(example_path.read_text(encoding="utf-8"), "yaml", "example")


def report_of(data, **kw):
    return check(narrate.figures_from_data(data), **kw)


def test_tolerance():
    assert tolerance(1) == Decimal("0.01") and tolerance(2) == Decimal("0.01") and tolerance(5) == Decimal("0.025")


def test_catalog_rules_are_data_with_ids_and_descriptions():
    rules, hierarchies = load_catalog()
    ids = [r.id for r in rules] + [h.id for h in hierarchies]
    assert len(ids) == len(set(ids)) >= 60
    for family in "ABCDEFGJK":
        assert any(i.startswith(family) for i in ids), family
    assert {"H1", "H2"} <= set(ids)
    assert all(r.description for r in rules)


def test_reference_tables_pass_with_only_rounding_notes(example_figures):
    report = check(example_figures)
    assert report.ok and not report.errors and not report.warnings
    assert {f.category for f in report.findings} == {"尾数误差"}
    assert len(report.notes) >= 10
    messages = "\n".join(f.message for f in report.notes)
    # the tails listed in seed-notes.md
    for tail in ("12,423.32 ≠ 6,116.73 + 6,306.58", "4,659.91 ≠ 0.80 + 4,387.09 + 181.10 + 90.93",
                 "4,409.77 ≠ 4,387.09 + 22.69", "合计 基本支出 8,159.21", "75.23 ≠ 74.23 + 1.01",
                 "728.82 ≠ 208.72 + 362.32 + 157.77", "122.25 ≠ 8.35", "8,036.66 ≠ 1,828.54 + 6,208.13"):
        assert tail in messages, tail


def test_a_cell_moved_by_100_is_an_error_naming_table_and_row(base):
    data = copy.deepcopy(base)  # (t03 and t05 share rows in the example: deepcopy keeps them shared)
    row = next(r for r in data["tables"]["t05"]["rows"] if r["code"] == "2080105")
    row["basic"] = row["basic"] + 100
    report = report_of(data)
    assert not report.ok
    e1 = [f for f in report.errors if f.rule == "E1"]
    assert len(e1) == 1
    assert "公开05表 2080105 劳动保障监察 小计（合计） 1,446.63" in e1[0].message
    assert e1[0].difference == Decimal("-100.00")
    assert any(f.rule == "H1" and "20801 人力资源和社会保障管理事务 基本支出" in f.message for f in report.errors)


def test_inequality_rule_three_public_below_basic_item_is_error(base):
    data = copy.deepcopy(base)
    data["tables"]["t06"]["rows"] = data["tables"]["t06"]["rows"] + [{"code": "30212", "name": "因公出国（境）费用",
                                                                      "amount": Decimal("3.00")}]
    report = report_of(data)
    j3 = [f for f in report.errors if f.rule == "J3a"]
    assert j3 and "30212" in j3[0].message


def test_missing_inputs_are_listed_with_the_sentence_they_affect(base):
    data = {"unit": base["unit"], "tables": base["tables"]}
    report = report_of(data)
    assert report.ok
    missing = [f.message for f in report.findings if f.category == "缺少数据"]
    assert any("totals.prior_income_total" in m and "一、收入支出决算总体情况" in m for m in missing)
    assert any("general_budget.functions.208.budget_initial" in m for m in missing)
    assert any("performance.self_evaluated_projects" in m for m in missing)


def test_change_without_reason_is_a_warning(base):
    data = copy.deepcopy(base)
    del data["general_budget"]["functions"]["221"]["change_reason"]
    report = report_of(data)
    warnings = [f for f in report.warnings if f.category == "需说明原因"]
    assert len(warnings) == 1 and "221 住房保障支出较上年减少10.12万元，下降6.36%" in warnings[0].message
    assert "general_budget.functions.221.change_reason" in warnings[0].message
    assert not [f for f in report_of(data, reason_threshold=10).warnings if f.category == "需说明原因"]


def test_budget_reasons_follow_the_profile(base, tmp_path):
    import shutil

    import yaml

    from narrate.rendering import templates_root

    profile = tmp_path / "p"
    shutil.copytree(templates_root() / "zh" / "default", profile)
    settings = yaml.safe_load((profile / "profile.yaml").read_text(encoding="utf-8"))
    settings["reasons"] = ["change", "budget"]
    (profile / "profile.yaml").write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    report = report_of(base, profile=str(profile))
    assert any("213 农林水支出决算数 728.82 大于年初预算数 90.00" in f.message for f in report.warnings)


def test_cli_check_exit_codes_and_json(tmp_path, base, example_path):
    runner = CliRunner()
    ok = runner.invoke(main, ["check", str(example_path)])
    assert ok.exit_code == 0 and "核对通过" in ok.stdout and "尾数误差" in ok.stdout
    as_json = runner.invoke(main, ["check", str(example_path), "--json"])
    payload = json.loads(as_json.stdout)
    assert payload["ok"] is True and payload["counts"]["error"] == 0 and payload["counts"]["info"] >= 10

    broken = example_path.read_text(encoding="utf-8").replace(
        '{code: "2080105", name: 劳动保障监察, total: 1446.63, basic: 1258.63, project: 188.00}',
        '{code: "2080105", name: 劳动保障监察, total: 1446.63, basic: 1358.63, project: 188.00}')
    assert broken != example_path.read_text(encoding="utf-8")
    path = tmp_path / "broken.yaml"
    path.write_text(broken, encoding="utf-8")
    bad = runner.invoke(main, ["check", str(path)])
    assert bad.exit_code == 1 and "2080105 劳动保障监察" in bad.stdout
    out = tmp_path / "out.docx"
    rendered = runner.invoke(main, ["render", str(path), "-o", str(out)])
    assert rendered.exit_code == 1 and not out.exists()
    assert "2080105 劳动保障监察" in rendered.output

    path.write_text("unit: [", encoding="utf-8")
    assert runner.invoke(main, ["check", str(path)]).exit_code == 2


def test_every_rule_is_documented():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "docs" / "checks.md").read_text(encoding="utf-8")
    rules, hierarchies = load_catalog()
    for rule in rules:
        assert f"| {rule.id} | {rule.description} |" in doc, rule.id
    for hierarchy in hierarchies:
        assert f"| {hierarchy.id} | {hierarchy.description}" in doc


def test_notes_for_a_code_not_in_table_05_are_flagged(base):
    data = copy.deepcopy(base)
    data["general_budget"]["functions"]["299"] = {"budget_initial": Decimal("5.00")}
    report = report_of(data)
    assert any(f.category == "数据不对应" and "299" in f.message for f in report.warnings)

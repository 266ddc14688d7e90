"""Issue 15: every problem named at its cell (rows, cross-table findings), all problems in one run, readable formulas."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from table_files import docx_from_sheets

import narrate
from narrate.cli import main
from narrate.writers.workbook import workbook_sheets, write_workbook


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def problems(path: Path) -> list:
    with pytest.raises(narrate.FiguresError) as info:
        narrate.load(path)
    return info.value.problems


@pytest.fixture(scope="module")
def workbook(tmp_path_factory, example_figures) -> Path:
    path = tmp_path_factory.mktemp("cells") / "unit.xlsx"
    write_workbook(path, example_figures)
    return path


def edited(workbook: Path, tmp_path: Path, **cells) -> Path:
    """A copy of the example workbook with cells changed: ``公开05表__E12=1417.32`` (sheet__cell)."""
    wb = openpyxl.load_workbook(workbook)
    for name, value in cells.items():
        sheet, cell = name.split("__")
        wb[sheet][cell] = value
    path = tmp_path / "edited.xlsx"
    wb.save(path)
    return path


def row_of(path: Path, sheet: str, name: str) -> int:
    ws = openpyxl.load_workbook(path)[sheet]
    return next(c.row for row in ws.iter_rows() for c in row if c.value == name)


# ---------------------------------------------------------------- 2. a row's problem at the row
def test_duplicated_subject_row_named_at_its_row(workbook, tmp_path):
    wb = openpyxl.load_workbook(workbook)
    ws = wb["公开05表"]
    ws.append(["20801", "人力资源和社会保障管理事务", 1, 1, None])
    last = ws.max_row
    path = tmp_path / "dup.xlsx"
    wb.save(path)
    [problem] = problems(path)
    assert problem.path == f"公开05表!A{last}"
    assert "20801 重复" in problem.message
    result = run("check", path)
    assert result.exit_code == 2 and f"公开05表!A{last}：" in result.output and "公开05表!A1" not in result.output


def test_row_without_its_parent_named_at_its_row(workbook, tmp_path):
    wb = openpyxl.load_workbook(workbook)
    wb["公开05表"].append(["2990101", "其他支出", 1, 1, None])
    last = wb["公开05表"].max_row
    path = tmp_path / "orphan.xlsx"
    wb.save(path)
    [problem] = problems(path)
    assert problem.path == f"公开05表!A{last}" and "缺少上级" in problem.message


def test_duplicated_row_in_word_named_at_its_row(tmp_path, example_figures):
    sheets = workbook_sheets(example_figures)
    t05 = next(s for s in sheets if s.name == "公开05表")
    (r, c) = next(key for key, (value, _) in t05.cells.items() if value == "行政运行")
    code, kind = t05.cells[(r - 1, c - 1)]  # the 款 above 行政运行: its code, given twice
    t05.cells[(r, c - 1)] = (code, kind)
    path = tmp_path / "dup.docx"
    docx_from_sheets(sheets, path)
    [problem] = problems(path)
    assert problem.path == f"第6个表格（公开05表）第{r + 1 - _title_rows(t05)}行第1列", problem.path
    assert "重复" in problem.message


def _title_rows(sheet) -> int:
    return min(r for (r, _c) in sheet.cells if sheet.cells[(r, _c)][0] == "科目代码") - 1


def test_duplicated_row_in_a_figures_file_names_its_line(tmp_path, example_path):
    lines = example_path.read_text(encoding="utf-8").splitlines()
    at = next(n for n, line in enumerate(lines) if line.startswith("      - {code: \"301\""))
    lines.insert(at + 3, '      - {code: "30101", name: 基本工资, amount: 1.00}')
    path = tmp_path / "dup.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    [problem] = problems(path)
    assert "30101 重复" in problem.message
    assert problem.path == "tables.t06.rows[3]" and problem.line == at + 4


# ---------------------------------------------------------------- 5. findings name their cells, grouped
def test_wrong_total_names_its_cells(workbook, tmp_path):
    path = edited(workbook, tmp_path, 公开01表__C37=15194.16)
    result = run("check", path)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[1] == "  最可能有误的单元格：公开01表!C37，涉及 2 条核对"
    a3 = next(line for line in lines if " A3 " in line)
    assert a3.endswith("差额 -0.45（单元格：公开01表!C37、公开01表!F37）")


def test_swapped_digits_point_at_one_cell(workbook, tmp_path):
    wb = openpyxl.load_workbook(workbook)
    ws = wb["公开05表"]
    row = row_of(workbook, "公开05表", "人力资源和社会保障管理事务")
    value = f"{ws[f'E{row}'].value:.2f}"  # 1417.23 → 1417.32: the last two digits swapped
    ws[f"E{row}"] = float(value[:-2] + value[-1] + value[-2])
    path = tmp_path / "swapped.xlsx"
    wb.save(path)
    result = run("check", path)
    lines = result.output.splitlines()
    errors = [line for line in lines if "[错误" in line]
    assert len(errors) >= 3 and all(f"公开05表!E{row}" in line for line in errors)
    assert lines[1] == f"  最可能有误的单元格：公开05表!E{row}，涉及 {len(errors)} 条核对"
    data = json.loads(run("check", "--json", path).output)
    assert data["suspects"][0] == {"address": f"公开05表!E{row}", "findings": len(errors)}
    first = next(f for f in data["findings"] if f["severity"] == "error")
    assert f"公开05表!E{row}" in first["addresses"]
    assert all(c["address"].startswith("公开05表!") and c["path"].startswith("tables.t05.") for c in first["cells"])


def test_findings_carry_model_paths(example_figures):
    from narrate.rules.engine import Rule, evaluate

    rule = Rule("X", "收入总计 = 支出总计 + 1", "t01.income_grand_total", ("t01.expenditure_grand_total",))
    figures = example_figures.model_copy(update={"tables": example_figures.tables.model_copy(update={
        "t01": example_figures.tables.t01.model_copy(update={"income_grand_total": Decimal("1")})})})
    [finding] = evaluate(figures, rules=[rule], hierarchies=[])
    assert [c.path for c in finding.cells] == ["tables.t01.income_grand_total", "tables.t01.expenditure_grand_total"]


def test_located_map_and_figures_stay_pure(workbook):
    from narrate.loaders import load_located

    located = load_located(workbook)
    assert located.figures == narrate.load(workbook)
    assert located.cells["tables.t01.income_grand_total"] == "公开01表!C37"
    assert "cells" not in located.figures.model_dump()


# ---------------------------------------------------------------- 6. every problem in one run
def three_problems(workbook: Path, tmp_path: Path) -> Path:
    wb = openpyxl.load_workbook(workbook)
    row = row_of(workbook, "公开05表", "人力资源和社会保障管理事务")
    wb["公开05表"][f"D{row}"] = "1,456.8二"  # text in an amount cell
    wb["公开01表"]["C37"] = 15194.16  # a wrong total elsewhere
    wb["单位信息"]["B5"] = None  # a blank 单位名称 (and none in the tables' headers)
    for ws in wb.worksheets:
        for cells in ws.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str) and cell.value.startswith(("部门名称：", "单位名称：")):
                    cell.value = cell.value[:5]
    path = tmp_path / "three.xlsx"
    wb.save(path)
    return path


def test_three_independent_problems_in_one_run(workbook, tmp_path):
    path = three_problems(workbook, tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    result = run("check", path)
    assert result.exit_code == 2
    out = result.output
    assert "“1,456.8二”不是金额" in out and "公开05表!D" in out  # the cell that cannot be read
    assert "单位信息!B5：找不到单位名称" in out  # the blank name, at the cell to fill
    assert "A3 收入总计 = 支出总计" in out and "公开01表!C37" in out  # the wrong total, still checked
    assert "涉及它们的核对已跳过" in out
    assert " E1 " not in out  # the row holding the unreadable cell is not checked with a 0 in its place
    assert "Traceback" not in out
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written
    data = json.loads(CliRunner().invoke(main, ["check", "--json", str(path)]).stdout)
    assert data["ok"] is False and len(data["input_errors"]) == 2
    assert any(f["rule"] == "A3" for f in data["findings"])


def test_render_still_refuses_with_every_input_error(workbook, tmp_path):
    path = three_problems(workbook, tmp_path)
    result = run("render", path, "-o", tmp_path / "out.docx")
    assert result.exit_code == 2 and "找不到单位名称" in result.output and "不是金额" in result.output
    assert not (tmp_path / "out.docx").exists()


def test_refused_row_gives_no_partial(workbook, tmp_path):
    wb = openpyxl.load_workbook(workbook)
    wb["公开05表"].append(["20801", "人力资源和社会保障管理事务", 1, 1, None])
    path = tmp_path / "dup.xlsx"
    wb.save(path)
    with pytest.raises(narrate.FiguresError) as info:
        narrate.load(path)
    assert info.value.partial is None
    assert run("check", path).exit_code == 2


# ---------------------------------------------------------------- 9. provenance in words and cells
def test_wording_beside_the_formula():
    from narrate.facts import Source, change, completion, given, share

    now = given("k", "收入总计", Decimal("15194.61"), Source("公开01表", "收入总计", "金额"))
    before = given("p", "上年收入总计", Decimal("7211.33"), Source("表外数据", "totals.prior_income_total", "上年收入总计"))
    moved = change("k", "收入总计较上年", now, before)
    assert moved.amount.formula == "|15,194.61 − 7,211.33|"  # still parsed by tests/recompute.py
    assert moved.amount.wording == "本年数 − 上年数 = 15,194.61 − 7,211.33 = 7,983.28"
    assert moved.rate.wording == "增减额 ÷ 上年数 × 100% = 7,983.28 ÷ 7,211.33 × 100% = 110.70%"
    fell = change("k", "收入总计较上年", before, now)
    assert fell.amount.wording == "上年数 − 本年数 = 15,194.61 − 7,211.33 = 7,983.28"
    assert share("s", "占比", before, now).wording.startswith("部分 ÷ 合计 × 100% = 7,211.33 ÷ 15,194.61 × 100% = ")
    assert completion("c", "完成率", now, now).wording == "决算数 ÷ 年初预算数 × 100% = 15,194.61 ÷ 15,194.61 × 100% = 100.00%"
    assert now.how == "照表列示" and before.how == "表外数据（填报）"


def test_explain_names_workbook_cells_and_words(workbook, tmp_path):
    path = edited(workbook, tmp_path)
    result = run("explain", path)
    assert result.exit_code == 0
    out = result.output
    assert "收入总计较上年 增减额：本年数 − 上年数 = 15,194.61 − 7,211.33 = 7,983.28" in out
    assert "来源：公开01表!C37（公开01表 收入总计 金额）；上年与年初预算!" in out
    assert "表外数据（填报）" in out and "= |" not in out
    entries = json.loads(run("explain", "--json", path).output)
    first = entries[0]
    assert first["cells"] == ["公开01表!C37"] and first["how"] == "照表列示"


def test_explain_of_a_figures_file_keeps_labels(example_path):
    out = run("explain", example_path).output
    assert "来源：公开01表 收入总计 金额\n" in out and "!" not in out.split("来源：")[1].splitlines()[0]


def test_review_comments_name_workbook_cells(workbook, tmp_path):
    import docx

    out = tmp_path / "review.docx"
    result = run("render", workbook, "--review", "-o", out)
    assert result.exit_code == 0, result.output
    texts = [c.text for c in docx.Document(str(out)).comments]
    assert texts[0] == "收入总计\n取数：照表列示\n来源：公开01表!C37（公开01表 收入总计 金额）"
    assert texts[2].splitlines()[1] == "计算：本年数 − 上年数 = 15,194.61 − 7,211.33 = 7,983.28"
    assert "上年与年初预算!" in texts[2]


def test_word_findings_name_table_cells(tmp_path, example_figures):
    sheets = workbook_sheets(example_figures)
    t01 = next(s for s in sheets if s.name == "公开01表")
    (r, c) = max((key for key, (value, _) in t01.cells.items() if value == "总计"), key=lambda k: k[1])
    value, kind = t01.cells[(r, c + 2)]
    t01.cells[(r, c + 2)] = (Decimal(str(value)) + Decimal("0.45"), kind)  # 支出总计 typed wrong
    path = tmp_path / "wrong.docx"
    docx_from_sheets(sheets, path)
    result = run("check", path)
    assert result.exit_code == 1, result.output
    line = next(x for x in result.output.splitlines() if " A3 " in x)
    assert "（单元格：第2个表格（公开01表）第" in line

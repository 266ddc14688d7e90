"""Issue 15: every problem named at its cell (rows, cross-table findings), all problems in one run, readable formulas."""

from __future__ import annotations

import json
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

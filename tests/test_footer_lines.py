"""Signature and contact lines under a table (“单位负责人：张三”) are notes, not 科目 rows."""

from __future__ import annotations

import openpyxl
import pytest
from click.testing import CliRunner

import narrate
from narrate.cli import main

FOOTERS = ["单位负责人：张三", "财务负责人:李四", "制表人：王五", "联系电话：0356-1234567"]


@pytest.fixture(scope="module")
def workbook(tmp_path_factory, example_path):
    folder = tmp_path_factory.mktemp("footer")
    path = folder / "unit.xlsx"
    assert CliRunner().invoke(main, ["convert", str(example_path), "-o", str(path)]).exit_code == 0
    return path


@pytest.mark.parametrize("sheet", ["公开01表", "公开05表", "公开06表", "公开09表", "公开10表"])
def test_signature_lines_under_a_table_are_ignored(workbook, example_figures, tmp_path, sheet):
    book = openpyxl.load_workbook(workbook)
    ws = book[sheet]
    row = ws.max_row + 2
    ws.cell(row, 1, FOOTERS[0])
    ws.cell(row, 3, FOOTERS[1])
    ws.cell(row + 1, 1, FOOTERS[2])
    ws.cell(row + 1, 3, FOOTERS[3])
    changed = tmp_path / "signed.xlsx"
    book.save(changed)
    assert narrate.load(changed).tables == example_figures.tables


def test_a_code_cell_with_a_real_mistake_is_still_refused(workbook, tmp_path):
    book = openpyxl.load_workbook(workbook)
    ws = book["公开05表"]
    ws.cell(ws.max_row + 2, 1, "20801a")
    ws.cell(ws.max_row, 3, 12.5)
    changed = tmp_path / "bad.xlsx"
    book.save(changed)
    with pytest.raises(narrate.FiguresError) as info:
        narrate.load(changed)
    assert "公开05表!A" in str(info.value)

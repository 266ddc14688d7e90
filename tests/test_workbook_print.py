"""The fillable workbook (narrate template-xlsx / convert): clear labels, and it prints on A4 without split columns.

Read back with openpyxl from the written .xlsx bytes.
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from openpyxl.utils import range_boundaries

import narrate
from narrate.rendering import bundled_profiles
from narrate.writers.workbook import REASONS_SHEET, workbook_bytes

WIDE = {"公开02表", "公开03表", "公开04表", "公开06表", "公开07表", "公开09表", "单位信息", "上年与年初预算",
        "原因与用途", "三公与统计", "政府采购", "绩效"}
NARROW = {"填表说明", "公开01表", "公开05表", "公开08表", "公开10表"}


@pytest.fixture(scope="module")
def blank():
    return openpyxl.load_workbook(io.BytesIO(workbook_bytes()))


@pytest.fixture(scope="module")
def filled(example_figures):
    return openpyxl.load_workbook(io.BytesIO(workbook_bytes(example_figures)))


@pytest.fixture(params=["blank", "filled"])
def workbook(request, blank, filled):
    return blank if request.param == "blank" else filled


def values(ws) -> list[str]:
    return [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


# -- D: printing ----------------------------------------------------------------


def test_every_sheet_is_named_in_the_orientation_lists(workbook):
    assert set(workbook.sheetnames) == WIDE | NARROW


def test_every_sheet_prints_on_a4_one_page_wide(workbook):
    for ws in workbook.worksheets:
        setup = ws.page_setup
        assert int(setup.paperSize) == 9, ws.title  # A4
        assert int(setup.fitToWidth) == 1, ws.title
        assert int(setup.fitToHeight) == 0, ws.title  # as many pages down as needed
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title


def test_wide_sheets_landscape_narrow_ones_portrait(workbook):
    for ws in workbook.worksheets:
        expected = "landscape" if ws.title in WIDE else "portrait"
        assert ws.page_setup.orientation == expected, ws.title


def test_print_area_covers_every_cell_with_content(workbook):
    for ws in workbook.worksheets:
        (area,) = ws.print_area if isinstance(ws.print_area, list) else [ws.print_area]
        min_col, min_row, max_col, max_row = range_boundaries(area.split("!")[-1].replace("$", ""))
        assert (min_col, min_row) == (1, 1), ws.title
        used = [(c.row, c.column) for row in ws.iter_rows() for c in row if c.value is not None]
        assert max(r for r, _ in used) <= max_row and max(c for _, c in used) <= max_col, ws.title
        assert max_col == ws.max_column, ws.title  # no empty columns printed


def _title_rows(ws) -> list[list[str]]:
    rows = ws.print_title_rows
    assert rows, f"{ws.title} repeats no header rows"
    first, last = (int(x.replace("$", "")) for x in rows.split(":"))
    return [[c.value for c in row if c.value is not None] for row in ws.iter_rows(min_row=first, max_row=last)]


@pytest.mark.parametrize("sheet,heads", [
    ("公开01表", ("收入", "项目", "栏次")),
    ("公开02表", ("科目代码", "本年收入合计", "栏次")),
    ("公开03表", ("科目代码", "本年支出合计", "栏次")),
    ("公开04表", ("收入", "一般公共预算财政拨款", "栏次")),
    ("公开05表", ("科目代码", "基本支出", "栏次")),
    ("公开06表", ("人员经费", "科目代码", "决算数")),
    ("公开07表", ("科目代码", "年初结转和结余", "栏次")),
    ("公开08表", ("科目代码", "基本支出", "栏次")),
    ("原因与用途", ("项目", "填写内容", "说明", "字段")),
    ("上年与年初预算", ("项目", "填写内容", "说明", "字段")),
])
def test_header_rows_repeat_on_every_page(workbook, sheet, heads):
    texts = [v for row in _title_rows(workbook[sheet]) for v in row]
    for head in heads:
        assert head in texts, (sheet, head, texts)
    assert not any(isinstance(v, str) and v.startswith("注：") for v in texts)


# -- C: labels ------------------------------------------------------------------


def _grid_heads(ws) -> dict[str, list[str]]:
    """Grid path (e.g. government_fund.functions) → the header texts just above its 字段 row."""
    rows = list(ws.iter_rows(values_only=True))
    out = {}
    for i, row in enumerate(rows):
        if isinstance(row[0], str) and row[0].endswith(".functions"):
            out[row[0]] = [v for v in rows[i - 1] if v]
            out[row[0] + "#title"] = [v for v in rows[i - 2] if v]
    return out


@pytest.mark.parametrize("sheet", ["上年与年初预算", REASONS_SHEET])
def test_grid_names_come_from_their_own_table(blank, sheet):
    heads = _grid_heads(blank[sheet])
    for path, table in (("general_budget.functions", "公开05表"), ("government_fund.functions", "公开07表"),
                        ("state_capital.functions", "公开08表")):
        assert f"科目名称（可不填，取自{table}）" in heads[path], heads[path]
        (title,) = heads[path + "#title"]
        assert table in title and "类3位、款5位、项7位" in title
        assert "项代码）：" not in title and "按功能分类科目（类、款、项代码）" not in title


def test_no_label_contradicts_itself(blank):
    texts = [v for ws in blank.worksheets for v in values(ws)]
    assert not any("取自公开05表" in t for t in texts if "government_fund" in t or "state_capital" in t)
    assert sum("取自公开05表" in t for t in texts) == 2  # general_budget on two sheets
    for t in texts:
        assert not ("不填则按" in t and "不填则不写" in t), t


def test_profile_hint_lists_the_bundled_profiles(blank):
    ws = blank["单位信息"]
    row = next(r for r in ws.iter_rows(values_only=True) if r[3] == "profile")
    hint = row[2]
    for name in bundled_profiles():
        assert name in hint
    assert "上海" in hint and "--profile" in hint and "一段文字" not in hint


def test_reasons_intro_is_a_clear_instruction(blank):
    intro = blank[REASONS_SHEET]["A2"].value
    assert "可按说明列提示" not in intro
    assert "结尾不要加句号" in intro and "每格写一段" in intro


def test_average_score_is_not_in_wan_yuan(blank):
    ws = blank["绩效"]
    row = next(r for r in ws.iter_rows() if r[3].value == "performance.average_score")
    assert "万元" not in row[2].value and "分数" in row[2].value
    prompts = [dv.prompt for dv in ws.data_validations.dataValidation if row[1].coordinate in dv.sqref]
    assert prompts and "万元" not in prompts[0]


def test_long_labels_get_taller_rows(blank):
    ws = blank[REASONS_SHEET]
    row = next(r for r in ws.iter_rows() if r[3].value == "three_public.vehicle.change_reason")
    assert ws.row_dimensions[row[0].row].height and ws.row_dimensions[row[0].row].height >= 30
    assert ws.row_dimensions[2].height and ws.row_dimensions[2].height >= 30  # the intro wraps


def test_filled_workbook_still_reads_back(tmp_path, example_figures):
    path = tmp_path / "filled.xlsx"
    path.write_bytes(workbook_bytes(example_figures))
    again = narrate.load(path)
    assert again.general_budget == example_figures.general_budget
    assert again.government_fund == example_figures.government_fund
    assert again.tables == example_figures.tables

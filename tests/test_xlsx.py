"""Excel workbooks: narrate's own fillable workbook and workbooks laid out like the 决算 software's exports."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook
from table_files import export_workbook

import narrate
from narrate.cli import main
from narrate.loaders.grid import CellProblem, float_to_decimal, parse_amount, parse_code
from narrate.loaders.xlsx import load_xlsx, read_blocks
from narrate.writers.workbook import workbook_bytes, workbook_sheets, write_workbook


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def example_xlsx(tmp_path_factory, example_figures) -> Path:
    path = tmp_path_factory.mktemp("xlsx") / "example.xlsx"
    write_workbook(path, example_figures)
    return path


def problems(path: Path) -> list:
    with pytest.raises(narrate.FiguresError) as info:
        narrate.load(path)
    return info.value.problems


# ---------------------------------------------------------------- narrate's own workbook
def test_example_round_trips_through_the_workbook(example_xlsx, example_figures):
    assert narrate.load(example_xlsx) == example_figures


def test_convert_then_render_gives_identical_output(tmp_path, example_path):
    xlsx = tmp_path / "unit.xlsx"
    assert run("convert", str(example_path), "-o", str(xlsx)).exit_code == 0
    for suffix in (".md", ".docx"):
        direct, via = tmp_path / f"direct{suffix}", tmp_path / f"via{suffix}"
        assert run("render", str(example_path), "-o", str(direct)).exit_code == 0
        result = run("render", str(xlsx), "-o", str(via))
        assert result.exit_code == 0, result.output
        assert via.read_bytes() == direct.read_bytes(), suffix


def test_openpyxl_engine_reads_the_same(example_xlsx, example_figures):
    assert load_xlsx(example_xlsx, engine="openpyxl") == example_figures


def test_workbook_layout(example_figures):
    sheets = workbook_sheets(None)
    names = [s.name for s in sheets]
    assert names[0] == "填表说明" and names[1] == "单位信息"
    assert names[2:12] == [f"公开{n:02d}表" for n in range(1, 11)]
    for name in ("上年与年初预算", "原因与用途", "三公与统计", "政府采购", "绩效"):
        assert name in names
    t01 = sheets[2].rows()
    assert t01[0][0] == "收入支出决算总表" and t01[1][-1] == "公开01表" and t01[2][-1] == "金额单位：万元"
    flat = [v for row in t01 for v in row]
    for label in ("项目", "行次", "金额", "栏次", "一、一般公共预算财政拨款收入", "八、社会保障和就业支出", "本年支出合计", "总计"):
        assert label in flat
    t06 = [v for row in sheets[7].rows() for v in row]
    assert "30217" in t06 and "公务接待费" in t06 and "人员经费合计" in t06 and "——" in t06


def test_template_is_styled_and_validated(tmp_path):
    path = tmp_path / "blank.xlsx"
    result = run("template-xlsx", "-o", str(path))
    assert result.exit_code == 0, result.output
    workbook = load_workbook(path)
    assert workbook.sheetnames[0] == "填表说明"
    ws = workbook["公开05表"]
    validations = ws.data_validations.dataValidation
    amount = [dv for dv in validations if dv.type == "decimal"]
    assert amount and amount[0].operator == "greaterThanOrEqual" and amount[0].formula1 == "0"
    assert amount[0].showInputMessage and "万元" in amount[0].prompt
    cell = next(iter(amount[0].sqref.ranges)).coord.split(":")[0]
    assert ws[cell].fill.fgColor.rgb.endswith("FFF2CC")  # light yellow input cell
    unit = workbook["单位信息"]
    headers = [c.value for c in unit[3]]
    assert headers == ["项目", "填写内容", "说明", "字段"]
    assert any(dv.type == "list" for dv in unit.data_validations.dataValidation)
    # refuses to overwrite without --force
    assert run("template-xlsx", "-o", str(path)).exit_code == 2
    assert run("template-xlsx", "-o", str(path), "--force").exit_code == 0


def test_filled_template_is_read(tmp_path):
    path = tmp_path / "filled.xlsx"
    path.write_bytes(workbook_bytes(None))
    workbook = load_workbook(path)
    unit = workbook["单位信息"]
    for row in unit.iter_rows(min_row=4):
        field = row[3].value
        if field == "unit.name":
            row[1].value = "测试局"
        elif field == "unit.year":
            row[1].value = 2024
    t05 = workbook["公开05表"]
    header = next(r for r in t05.iter_rows() if r[0].value == "合计")
    header[2].value = 12.5
    below = t05[header[0].row + 1]
    below[0].value, below[1].value, below[2].value = "208", "社会保障和就业支出", 12.5
    prior = workbook["上年与年初预算"]
    for row in prior.iter_rows(min_row=4):
        if row[3].value == "general_budget.prior_year":
            row[1].value = 10
    for row in prior.iter_rows(min_row=4):
        if row[0].value == "general_budget.functions":
            code_row = prior[row[0].row + 1]
            code_row[0].value, code_row[2].value = "208", 11
            break
    workbook.save(path)
    figures = narrate.load(path)
    assert figures.unit.name == "测试局" and figures.unit.year == 2024
    assert figures.tables.t05.total.total == Decimal("12.50")
    assert figures.tables.t05.rows[0].code == "208"
    assert figures.general_budget.prior_year == Decimal("10.00")
    assert figures.general_budget.functions["208"].budget_initial == Decimal("11.00")


def test_blank_template_names_what_is_missing(tmp_path):
    path = tmp_path / "blank.xlsx"
    path.write_bytes(workbook_bytes(None))
    found = problems(path)
    text = "\n".join(p.describe() for p in found)
    assert "单位名称" in text and "决算年度" in text


# ---------------------------------------------------------------- other layouts
@pytest.mark.parametrize("options", [
    {},
    {"stacked": True},
    {"merged": False},
    {"amounts_as_text": True},
    {"blank_column": True},
    {"yuan": True},
    {"stacked": True, "amounts_as_text": True, "yuan": True, "blank_column": True},
], ids=["one-per-sheet", "stacked", "unmerged", "text-amounts", "blank-column", "yuan", "all"])
def test_export_layouts_read_to_the_same_tables(tmp_path, example_figures, options):
    path = tmp_path / "export.xlsx"
    export_workbook(example_figures, path, **options)
    figures = narrate.load(path)
    assert figures.tables == example_figures.tables
    assert figures.unit.name == example_figures.unit.name and figures.unit.year == 2024


def test_stacked_tables_share_one_sheet(tmp_path, example_figures):
    path = tmp_path / "stacked.xlsx"
    where = export_workbook(example_figures, path, stacked=True)
    assert {addr.split("!")[0] for addr in where.values()} == {"Sheet1"}
    assert [b.name for b in read_blocks(path)] == ["Sheet1"]


def test_yuan_converted_half_up_with_a_tie(tmp_path, example_figures):
    path = tmp_path / "yuan.xlsx"
    # 3050 元 = 0.305 万元: ROUND_HALF_UP gives 0.31 (half-even would give 0.30); 12250 元 → 1.23 (not 1.22)
    export_workbook(example_figures, path, yuan=True,
                    overrides={(10, "goods", "amount"): 3050.0, (10, "works", "amount"): "12,250.00"})
    t10 = narrate.load(path).tables.t10
    assert t10.procurement.goods == Decimal("0.31")
    assert t10.procurement.works == Decimal("1.23")
    assert t10.vehicles.total == 5  # counts are not amounts: never converted


def test_amount_and_code_parsing():
    assert parse_amount("12,423.32") == Decimal("12423.32")
    assert parse_amount("１２，４２３.３２") == Decimal("12423.32")  # full-width
    assert parse_amount("——") is None and parse_amount("-") is None and parse_amount("") is None
    assert parse_amount(15194.610000000001) == Decimal("15194.61")  # a sum's binary tail, as Excel shows it
    assert parse_amount(0.1 + 0.2) == Decimal("0.3")
    assert parse_amount(1.235) == Decimal("1.235")  # a real third decimal is kept (and refused by the model)
    assert parse_amount(12250, "元") == Decimal("1.23")
    assert parse_amount("12,345", "元") == Decimal("1.23")
    assert parse_amount(Decimal("-15"), "元") == Decimal("-0.00")
    assert float_to_decimal(1817.23) == Decimal("1817.23")
    assert parse_code(2080101.0) == "2080101" and parse_code("208 01 01") == "2080101" and parse_code(205) == "205"


def test_missing_table_names_the_titles_found(tmp_path, example_figures):
    path = tmp_path / "missing.xlsx"
    export_workbook(example_figures, path, skip=(7,))
    [problem] = problems(path)
    assert "找不到公开07表 政府性基金预算财政拨款收入支出决算表" in problem.message
    assert "找到的表：公开01表（表1!B2）" in problem.message and "公开10表（表10!B2）" in problem.message


def test_garbled_amount_names_its_cell(tmp_path, example_figures):
    path = tmp_path / "garbled.xlsx"
    where = export_workbook(example_figures, path, overrides={(5, "2080101", "basic"): "1,2.3"})
    [problem] = problems(path)
    assert isinstance(problem, CellProblem)
    assert problem.path == where[(5, "2080101", "basic")] == "表5!E14"
    assert problem.describe().startswith("表5!E14：“1,2.3”不是金额")
    assert problem.field == "tables.t05.rows[5].basic"


def test_model_errors_map_back_to_cells(tmp_path, example_figures):
    path = tmp_path / "negative.xlsx"
    where = export_workbook(example_figures, path, overrides={(3, "2080101", "basic"): -5,
                                                               (9, "total", "actual"): datetime.datetime(2024, 5, 1)})
    found = {p.path: p for p in problems(path)}  # every problem at once: the cell's and the model's
    assert set(found) == {where[(9, "total", "actual")], where[(3, "2080101", "basic")]}
    assert "日期" in found[where[(9, "total", "actual")]].message
    negative = found[where[(3, "2080101", "basic")]]
    assert "负数" in negative.message and negative.field == "tables.t03.rows[5].basic"
    assert negative.describe().startswith(f"{where[(3, '2080101', 'basic')]}：金额不能为负数")


def test_duplicate_code_reported_at_the_table(tmp_path, example_figures):
    path = tmp_path / "dup.xlsx"  # a 项 code typed as its 款
    from narrate.writers.workbook import workbook_sheets, build_workbook

    sheets = workbook_sheets(example_figures)
    t05 = next(s for s in sheets if s.name == "公开05表")
    (r, c) = next(k for k, (v, _) in t05.cells.items() if v == "2050299")
    t05.cells[(r, c)] = ("20502", "code")
    build_workbook(sheets).save(path)
    [problem] = problems(path)
    assert "20502 重复" in problem.message and problem.path == f"公开05表!A{r + 1}"  # at the row (issue 15), not the title


def test_extra_decimals_refused_at_the_cell(tmp_path, example_figures):
    path = tmp_path / "decimals.xlsx"
    where = export_workbook(example_figures, path, overrides={(2, "205", "total"): 1817.234})
    [problem] = problems(path)
    assert problem.path == where[(2, "205", "total")] and "两位小数" in problem.message


def test_notes_sheet_errors_name_cells(tmp_path, example_figures):
    path = tmp_path / "notes.xlsx"
    write_workbook(path, example_figures)
    workbook = load_workbook(path)
    ws = workbook["上年与年初预算"]
    target = next(row for row in ws.iter_rows() if row[3].value == "totals.prior_income_total")
    target[1].value = "七千"
    typo = next(row for row in ws.iter_rows() if row[3].value == "general_budget.budget_initial")
    typo[3].value = "general_budget.budget_inital"
    workbook.save(path)
    found = {p.path: p for p in problems(path)}
    assert f"上年与年初预算!D{typo[3].row}" in found
    assert "general_budget.budget_initial" in found[f"上年与年初预算!D{typo[3].row}"].expected
    typo[3].value = "general_budget.budget_initial"
    workbook.save(path)
    [problem] = problems(path)
    assert problem.path == f"上年与年初预算!B{target[1].row}" and "不是金额" in problem.message


def test_hidden_sheets_are_skipped(tmp_path, example_figures):
    path = tmp_path / "hidden.xlsx"
    write_workbook(path, example_figures)
    workbook = load_workbook(path)
    ws = workbook.create_sheet("旧数据")
    ws["A1"] = "收入支出决算总表"
    ws.sheet_state = "hidden"
    workbook.save(path)
    assert narrate.load(path) == example_figures


def test_not_a_workbook(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not a zip")
    [problem] = problems(path)
    assert "无法读取 Excel 工作簿" in problem.message


# ---------------------------------------------------------------- check on the tables alone
def test_check_on_tables_only_lists_what_is_lacking(tmp_path, example_figures):
    path = tmp_path / "tables-only.xlsx"
    export_workbook(example_figures, path)
    result = run("check", str(path))
    assert result.exit_code == 0, result.output
    assert "核对通过" in result.output
    assert "未填 totals.prior_income_total" in result.output
    assert "未填 general_budget.budget_initial" in result.output


def test_render_and_explain_accept_xlsx(tmp_path, example_figures):
    path = tmp_path / "tables-only.xlsx"
    export_workbook(example_figures, path)
    out = tmp_path / "out.md"
    assert run("render", str(path), "-o", str(out)).exit_code == 0
    assert "第三部分" in out.read_text(encoding="utf-8")
    result = run("explain", str(path))
    assert result.exit_code == 0 and "公开01表" in result.output


def test_cli_reports_cell_errors_with_exit_2(tmp_path, example_figures):
    path = tmp_path / "garbled.xlsx"
    export_workbook(example_figures, path, overrides={(5, "2080101", "basic"): "1,2.3"})
    result = run("check", str(path))
    assert result.exit_code == 2
    assert "表5!E14：“1,2.3”不是金额" in result.output


def test_workbook_without_the_tables(tmp_path):
    path = tmp_path / "other.xlsx"
    workbook = Workbook()
    workbook.active["A1"] = "部门决算收支情况汇总表"
    workbook.active["A2"] = "一般公共预算财政拨款支出决算表（按功能分类）"
    workbook.active["A3"] = "随便什么"
    workbook.save(path)
    messages = [p.message for p in problems(path)]
    assert any("找到了公开05表 一般公共预算财政拨款支出决算表的标题，但其后没有表头" in m for m in messages)
    [missing] = [m for m in messages if m.startswith("找不到公开")]
    assert "公开01表" in missing and "公开05表" not in missing.split("。")[0]
    assert "未认出的标题：“部门决算收支情况汇总表”（Sheet!A1）" in missing

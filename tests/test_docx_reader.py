"""Word documents: the ten tables of a disclosure, and last year's document for the 上年 figures."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from table_files import docx_from_sheets

import narrate
from narrate.cli import main
from narrate.loaders.docx_tables import load_docx, read_blocks
from narrate.loaders.prior import merge_prior, prior_from_document
from narrate.writers.workbook import workbook_sheets


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def problems(path: Path) -> list:
    with pytest.raises(narrate.FiguresError) as info:
        narrate.load(path)
    return info.value.problems


@pytest.fixture(scope="module")
def example_docx(tmp_path_factory, example_figures) -> Path:
    path = tmp_path_factory.mktemp("docx") / "disclosure.docx"
    docx_from_sheets(workbook_sheets(example_figures), path)
    return path


def last_year(figures, year: int = 2023):
    return figures.model_copy(update={"unit": figures.unit.model_copy(update={"year": year})})


def without_prior(figures):
    """The example with every 上年 figure left out."""
    data = figures.model_dump(by_alias=True)
    for section in ("totals", "fiscal_totals"):
        data[section]["prior_income_total"] = data[section]["prior_expenditure_total"] = None
    data["general_budget"]["prior_year"] = None
    for notes in data["general_budget"]["functions"].values():
        notes["prior_year"] = None
    data["three_public"]["prior_year"] = {}
    data["admin_operating_cost"]["prior_year"] = None
    return narrate.figures_from_data(data)


def test_document_reads_to_the_same_figures(example_docx, example_figures):
    assert load_docx(example_docx) == example_figures


def test_render_via_word_gives_identical_output(tmp_path, example_docx, example_path):
    for suffix in (".md", ".docx"):
        direct, via = tmp_path / f"direct{suffix}", tmp_path / f"via{suffix}"
        assert run("render", str(example_path), "-o", str(direct)).exit_code == 0
        result = run("render", str(example_docx), "-o", str(via))
        assert result.exit_code == 0, result.output
        assert via.read_bytes() == direct.read_bytes(), suffix


def test_tables_found_by_title_among_prose(tmp_path, example_figures):
    """A 目录 naming every table, Part 3 prose after, a table split over two pages."""
    path = tmp_path / "full.docx"
    docx_from_sheets(workbook_sheets(example_figures), path, notes=False, toc=True, prose=True, split=5)
    figures = narrate.load(path)
    assert figures.tables == example_figures.tables
    assert figures.unit.name == example_figures.unit.name
    rows = read_blocks(path)[0].rows
    assert any("……" in str(row[0]) for row in rows)  # the 目录 lines were there


def test_merged_cells_keep_text_in_the_first_cell(example_docx):
    block = read_blocks(example_docx)[0]
    t09 = next(i for i, row in enumerate(block.rows) if row and row[0] == "预算数")
    assert block.rows[t09][:7] == ["预算数", None, None, None, None, None, "决算数"]


def test_word_cell_addresses(tmp_path, example_figures):
    sheets = workbook_sheets(example_figures)
    t05 = next(s for s in sheets if s.name == "公开05表")
    (r, c) = next(key for key, (value, _) in t05.cells.items() if value == "行政运行")
    t05.cells[(r, c + 2)] = ("1,2.3", "amount")
    path = tmp_path / "garbled.docx"
    docx_from_sheets(sheets, path)
    [problem] = problems(path)
    assert problem.path == "第6个表格（公开05表）第10行第4列"
    assert problem.describe().startswith("第6个表格（公开05表）第10行第4列：“1,2.3”不是金额")
    table = docx.Document(str(path)).tables[5]
    assert table.cell(9, 3).text == "1,2.3"


def test_missing_table_in_word(tmp_path, example_figures):
    sheets = [s for s in workbook_sheets(example_figures) if s.name != "公开09表"]
    path = tmp_path / "missing.docx"
    docx_from_sheets(sheets, path)
    [problem] = problems(path)
    assert problem.message.startswith("找不到公开09表")
    assert "公开10表（第" in problem.message


def test_not_a_word_file(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"nope")
    [problem] = problems(path)
    assert "无法读取 Word 文档" in problem.message


# ---------------------------------------------------------------- 上年 from last year's document
@pytest.fixture(scope="module")
def last_year_docx(tmp_path_factory, example_figures) -> Path:
    path = tmp_path_factory.mktemp("prior") / "2023.docx"
    docx_from_sheets(workbook_sheets(last_year(example_figures)), path, notes=False, toc=True, prose=True)
    return path


def test_prior_from_document(last_year_docx, example_figures):
    prior = prior_from_document(last_year_docx)
    t = example_figures.tables
    assert prior["unit"]["year"] == 2023
    assert prior["totals"] == {"prior_income_total": t.t01.income_grand_total,
                               "prior_expenditure_total": t.t01.expenditure_grand_total}
    assert prior["fiscal_totals"]["prior_expenditure_total"] == t.t04.expenditure_grand_total.total
    assert prior["general_budget"]["prior_year"] == t.t05.total.total
    assert prior["general_budget"]["functions"] == {r.code: {"prior_year": r.total} for r in t.t05.rows
                                                    if len(r.code) == 3}
    assert prior["three_public"]["prior_year"]["vehicle_operation"] == Decimal("5.13")
    assert prior["admin_operating_cost"]["prior_year"] == Decimal("122.55")


def test_prior_fills_only_what_is_left_out(last_year_docx, example_figures):
    bare = without_prior(example_figures)
    filled: list[str] = []
    merged = merge_prior(bare, prior_from_document(last_year_docx), filled=filled)
    assert merged.totals.prior_income_total == example_figures.tables.t01.income_grand_total
    assert merged.general_budget.functions["208"].prior_year == Decimal("12423.32")
    assert merged.three_public.prior_year.reception == Decimal("0.08")
    assert "totals.prior_income_total" in filled and "admin_operating_cost.prior_year" in filled
    # figures that are given stay as given
    kept = merge_prior(example_figures, prior_from_document(last_year_docx))
    assert kept == example_figures


def test_prior_class_missing_last_year_is_zero(example_figures):
    bare = without_prior(example_figures)
    prior = {"unit": {"year": 2023}, "general_budget": {"prior_year": Decimal("1"), "functions": {"208": {"prior_year": Decimal("9")}}}}
    merged = merge_prior(bare, prior)
    assert merged.general_budget.functions["208"].prior_year == Decimal("9.00")
    assert merged.general_budget.functions["205"].prior_year == Decimal("0")


def test_prior_of_the_wrong_year_is_refused(example_figures, tmp_path):
    path = tmp_path / "2022.docx"
    docx_from_sheets(workbook_sheets(last_year(example_figures, 2022)), path, notes=False)
    with pytest.raises(narrate.FiguresError) as info:
        merge_prior(example_figures, prior_from_document(path), source=str(path))
    assert "2022 年度" in str(info.value) and "2023 年度" in str(info.value)


def test_prior_from_yaml_and_xlsx(tmp_path, example_path, example_figures):
    from narrate.writers.workbook import write_workbook

    xlsx = tmp_path / "last.xlsx"
    write_workbook(xlsx, example_figures)
    assert prior_from_document(xlsx)["totals"] == prior_from_document(example_path)["totals"]


def test_cli_prior_option(tmp_path, last_year_docx, example_figures):
    from narrate.dump import dump

    bare_path = tmp_path / "bare.yaml"
    dump(without_prior(example_figures), bare_path)
    result = run("check", str(bare_path))
    assert "未填 totals.prior_income_total" in result.output
    result = run("check", str(bare_path), "--prior", str(last_year_docx))
    assert result.exit_code == 0, result.output
    assert "未填 totals.prior_income_total" not in result.output
    assert "已从" in result.output and "填入上年数" in result.output
    out = tmp_path / "out.md"
    result = run("render", str(bare_path), "--prior", str(last_year_docx), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "与上年相比" in out.read_text(encoding="utf-8")
    result = run("explain", str(bare_path), "--prior", str(last_year_docx), "--json")
    assert result.exit_code == 0

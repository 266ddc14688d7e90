"""A nine-table layout's workbook or disclosure has no 公开10表: read under that layout, refused under ten."""

from __future__ import annotations

import docx
import pytest
from table_files import docx_from_sheets

import narrate
from narrate.writers.workbook import workbook_sheets


@pytest.fixture(scope="module")
def central():
    return narrate.load(narrate.example_path("central-style"))


@pytest.fixture(scope="module")
def nine_tables(tmp_path_factory, central):
    """The central-style example as a Word disclosure of nine tables and its chapter (as narrate --into gives)."""
    folder = tmp_path_factory.mktemp("nine")
    sheets = [s for s in workbook_sheets(central) if s.name.startswith("公开") and s.name != "公开10表"]
    docx_from_sheets(sheets, folder / "tables.docx")
    word = docx.Document(str(folder / "tables.docx"))
    word.add_paragraph("第三部分 情况说明", style="Heading 1")
    word.add_paragraph("{{情况说明}}")
    word.add_paragraph("第四部分 名词解释", style="Heading 1")
    word.add_paragraph("{{名词解释}}")
    word.save(str(folder / "nine.docx"))
    from narrate.writers.docx_into import insert_into

    document = narrate.render(narrate.compute(central), profile="central-style")
    (folder / "disclosure.docx").write_bytes(insert_into(document, folder / "nine.docx"))
    return folder / "disclosure.docx"


def test_nine_tables_read_under_the_nine_table_layout(nine_tables, central):
    figures = narrate.load(nine_tables, profile="central-style")
    for key in ("t01", "t02", "t03", "t04", "t05", "t06", "t07", "t08", "t09"):
        assert getattr(figures.tables, key) == getattr(central.tables, key), key


def test_nine_tables_are_refused_under_a_ten_table_layout(nine_tables):
    with pytest.raises(narrate.FiguresError) as info:
        narrate.load(nine_tables)
    assert "找不到公开10表" in str(info.value)


def test_lint_reads_a_nine_table_disclosure_and_checks_its_numbers(nine_tables, central):
    """The nine tables are compared; what only the text holds (procurement, vehicles, assets — 公开10表 in a
    ten-table layout) is not compared with a table the disclosure does not have, so raises no false alarm."""
    report = narrate.lint(nine_tables, profile="central-style")
    assert not report.errors and not report.warnings, report.to_text()
    assert report.tables == "disclosure.docx 中的公开表"
    with_all_figures = narrate.lint(nine_tables, figures=central, profile="central-style")
    assert not with_all_figures.errors and not with_all_figures.warnings, with_all_figures.to_text()
    assert 0 < report.verified < with_all_figures.verified


def test_last_years_nine_table_disclosure_gives_the_prior_figures_it_has(nine_tables, central):
    """--prior with last year's nine-table document: no 公开10表, so no 上年机关运行经费 (never a made-up 0)."""
    from narrate.loaders.prior import prior_from_document

    prior = prior_from_document(nine_tables)
    assert "admin_operating_cost" not in prior
    assert prior["general_budget"]["prior_year"] == central.tables.t05.total.total


def test_last_years_nine_table_figures_give_their_admin_cost():
    from narrate.loaders.prior import prior_from_document

    prior = prior_from_document(narrate.example_path("central-style.yaml"))
    assert prior["admin_operating_cost"] == {"prior_year": narrate.load(narrate.example_path("central-style.yaml"))
                                             .admin_operating_cost.amount}

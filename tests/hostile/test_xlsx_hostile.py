"""Hostile and damaged workbooks (issue 10): error cells, cell-area and zip bombs, hidden and duplicate sheets.

Every workbook is made here from the bundled example (``write_workbook``) and patched at the XML
level where openpyxl cannot write what Excel does (error values, cached results); bombs are built
in tmp_path and read in a child process under a 1 GiB address-space limit (tests/hostile/harness).
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

import narrate
from narrate.loaders.xlsx import load_xlsx
from narrate.writers.workbook import write_workbook

from .harness import assert_refused, run, snapshot

ERRORS = ("#DIV/0!", "#REF!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!")


# ---------------------------------------------------------------- helpers
@pytest.fixture(scope="module")
def example_book(tmp_path_factory, example_figures) -> Path:
    path = tmp_path_factory.mktemp("hostile-xlsx") / "example.xlsx"
    write_workbook(path, example_figures)
    return path


@pytest.fixture
def book(example_book, tmp_path) -> Path:
    path = tmp_path / "unit.xlsx"
    shutil.copy(example_book, path)
    return path


def sheet_part(path: Path, sheet: str) -> str:
    """narrate writes sheet n of the workbook as xl/worksheets/sheet{n}.xml."""
    names = load_workbook(path, read_only=True).sheetnames
    return f"xl/worksheets/sheet{names.index(sheet) + 1}.xml"


def rewrite_part(path: Path, part: str, change, out: Path | None = None) -> Path:  # type: ignore[no-untyped-def]
    out = out or path
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            target.writestr(info.filename, change(data) if info.filename == part else data)
    return out


def set_cells(path: Path, sheet: str, cells: dict[str, str]) -> None:
    """Replace (or add) cells of ``sheet`` by raw XML, e.g. {"C12": '<c r="C12" t="e"><v>#DIV/0!</v></c>'}."""

    def change(data: bytes) -> bytes:
        text = data.decode("utf-8")
        for ref, xml in cells.items():
            cell = re.compile(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)')
            if cell.search(text):
                text = cell.sub(lambda _m: xml, text, count=1)
                continue
            row = int(re.sub(r"[A-Z]", "", ref))
            found = re.search(rf'<row r="{row}"[^>]*?(/>|>)', text)
            if found is None:
                text = text.replace("</sheetData>", f'<row r="{row}">{xml}</row></sheetData>')
            elif found.group(1) == "/>":
                text = text[:found.start()] + f'<row r="{row}">{xml}</row>' + text[found.end():]
            else:
                end = text.index("</row>", found.end())
                text = text[:end] + xml + text[end:]
        return text.encode("utf-8")

    rewrite_part(path, sheet_part(path, sheet), change)


def problems(path: Path, engine: str = "calamine") -> list[str]:
    with pytest.raises(narrate.FiguresError) as info:
        load_xlsx(path, engine=engine)
    return [p.describe() for p in info.value.problems]


# ---------------------------------------------------------------- 1. error cells
@pytest.mark.parametrize("code", ERRORS)
def test_an_error_value_in_a_table_cell_is_refused_at_its_cell(book, code):
    set_cells(book, "公开05表", {"C12": f'<c r="C12" t="e"><f>C13/0</f><v>{code}</v></c>'})
    found = problems(book)
    assert any(p.startswith(f"公开05表!C12：公式结果为 {code}") for p in found), found


def test_every_error_cell_is_reported_not_only_the_first(book):
    set_cells(book, "公开05表", {"C12": '<c r="C12" t="e"><v>#DIV/0!</v></c>',
                                "D12": '<c r="D12" t="e"><f>#REF!+1</f><v>#REF!</v></c>',
                                "A13": '<c r="A13" t="e"><v>#N/A</v></c>'})
    set_cells(book, "公开10表", {"C15": '<c r="C15"><f>SUM(C16:C23)</f><v></v></c>'})
    found = "\n".join(problems(book))
    for needle in ("公开05表!C12：公式结果为 #DIV/0!", "公开05表!D12：公式结果为 #REF!", "公开05表!A13：公式结果为 #N/A",
                   "公开10表!C15：公式没有保存计算结果"):
        assert needle in found, found


def test_render_refuses_a_formula_saved_without_its_result(book, tmp_path):
    # openpyxl writes formulas as Excel would before it calculates them: no cached value
    workbook = load_workbook(book)
    workbook["公开10表"]["C15"] = "=SUM(C16:C23)"  # 公务用车保有量: used to print "共0辆"
    workbook.save(book)
    out = tmp_path / "out" / "report.md"
    out.parent.mkdir()
    before = snapshot(tmp_path / "out")
    outcome = run("render", book, "-o", out)
    assert_refused(outcome, "unit.xlsx", "公开10表!C15", "公式没有保存计算结果", "请在 Excel 或 WPS 中打开后保存再试")
    assert snapshot(tmp_path / "out") == before


def test_formulas_with_saved_results_read_as_their_values(book, example_figures):
    set_cells(book, "公开05表", {"C13": '<c r="C13"><f>198.19</f><v>198.19</v></c>',
                                "E13": '<c r="E13" t="str"><f>IF(1,"","")</f><v></v></c>'})  # "" as result: blank
    assert load_xlsx(book) == example_figures


def test_an_error_in_a_cell_narrate_does_not_read_is_ignored(book, example_figures):
    set_cells(book, "公开05表", {"H1": '<c r="H1" t="e"><v>#N/A</v></c>'})
    set_cells(book, "填表说明", {"C3": '<c r="C3"><f>1/0</f></c>'})
    assert load_xlsx(book) == example_figures


def test_the_openpyxl_engine_reports_the_same_cells(book):
    set_cells(book, "公开05表", {"C12": '<c r="C12" t="e"><v>#DIV/0!</v></c>'})
    assert any(p.startswith("公开05表!C12：公式结果为 #DIV/0!") for p in problems(book, engine="openpyxl"))


def test_error_text_is_named_as_an_error():
    from narrate.loaders.grid import ERROR_CODES, CellValueError, parse_amount

    assert set(ERRORS) <= ERROR_CODES
    with pytest.raises(CellValueError, match="公式结果为 #VALUE!"):
        parse_amount("#VALUE!")


# ---------------------------------------------------------------- 2. bombs
def test_a_stray_cell_at_xfd1048576_is_refused_naming_it(book):
    set_cells(book, "公开05表", {"XFD1048576": '<c r="XFD1048576"><v>1</v></c>'})
    assert book.stat().st_size < 64 * 1024
    outcome = run("check", book)  # used to abort: calamine asked for 512 GB
    assert_refused(outcome, "公开05表", "公开05表!XFD1048576", "NARRATE_MAX_CELLS")


def test_a_far_cell_holding_only_formatting_does_not_stop_the_workbook(book, example_figures):
    set_cells(book, "公开05表", {"XFD1048576": '<c r="XFD1048576" s="1"/>'})
    assert load_xlsx(book) == example_figures


def test_a_far_cell_without_r_attributes_is_found_too(book):
    def change(data: bytes) -> bytes:  # cells placed by counting, as some generators write them
        return data.replace(b"</sheetData>", b"<row>" + b"<c><v>1</v></c>" * 3000 + b"</row></sheetData>")

    rewrite_part(book, sheet_part(book, "公开05表"), change)  # 3000 columns × ~40 rows
    assert_refused(run("check", book, env={"NARRATE_MAX_CELLS": "100000"}), "公开05表", "NARRATE_MAX_CELLS")


def _bomb_sheet(rows: int, per_row: int) -> bytes:
    row = "".join(f'<c r="{chr(65 + i)}{{r}}"><v>1</v></c>' for i in range(per_row))
    body = "".join(f'<row r="{r}">{row.format(r=r)}</row>' for r in range(1, rows + 1))
    return ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            f"{body}</sheetData></worksheet>").encode()


def test_a_zip_bomb_sheet_is_refused_before_it_is_read(book):
    # 8 million cells (16384 columns × 500 rows, placed by counting): ~120 MB of XML in a small zip
    row = b"<row>" + b"<c><v>1</v></c>" * 16384 + b"</row>"
    bomb = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            + row * 500 + b"</sheetData></worksheet>")
    rewrite_part(book, sheet_part(book, "公开05表"), lambda _data: bomb)
    assert book.stat().st_size < 3 * 1024 * 1024
    assert_refused(run("check", book), "公开05表", "8192000 个单元格", "NARRATE_MAX_CELLS")


def test_a_long_shared_string_shown_in_many_cells_is_refused(book):
    # one 3 MB string shown by 600 cells: 600 Python strings of 2 MB each
    long_text = "经费" * 500_000
    cells = "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>' for r in range(1, 601))
    sheet = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             f"{cells}</sheetData></worksheet>").encode()
    sst = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="600" uniqueCount="1">'
           f"<si><t>{long_text}</t></si></sst>").encode()
    part = sheet_part(book, "公开05表")
    rewrite_part(book, part, lambda _data: sheet)
    with zipfile.ZipFile(book, "a") as archive:
        archive.writestr("xl/sharedStrings.xml", sst)
    assert_refused(run("check", book), "公开05表", "文字过多", "NARRATE_MAX_TEXT_MB")


def test_the_unzipped_limit_is_checked_first(book):
    rewrite_part(book, sheet_part(book, "公开05表"), lambda _data: _bomb_sheet(40_000, 10))
    outcome = run("check", book, env={"NARRATE_MAX_UNZIPPED_MB": "4"})
    assert_refused(outcome, "unit.xlsx", "压缩炸弹", "NARRATE_MAX_UNZIPPED_MB")


def test_the_cell_limit_can_be_raised(book):
    set_cells(book, "公开05表", {"Z2000": '<c r="Z2000"><v>1</v></c>'})  # 52 000 cells of area
    assert_refused(run("check", book, env={"NARRATE_MAX_CELLS": "50000"}), "公开05表!Z2000")
    outcome = run("check", book, env={"NARRATE_MAX_CELLS": "60000"})
    assert outcome.returncode == 0, outcome.stderr


def _ods(path: Path, table: str) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
            f'<office:body><office:spreadsheet>{table}</office:spreadsheet></office:body></office:document-content>'))
        archive.writestr("META-INF/manifest.xml", (
            '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'))
    return path


def test_an_ods_with_repeated_cells_is_refused_before_it_is_read(tmp_path):
    cell = '<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'
    wide = cell.replace("<table:table-cell ", '<table:table-cell table:number-columns-repeated="10000" ')
    bomb = _ods(tmp_path / "bomb.ods", (
        f'<table:table table:name="公开05表"><table:table-row>{cell}</table:table-row>'
        f'<table:table-row table:number-rows-repeated="6000">{wide}</table:table-row></table:table>'))
    assert bomb.stat().st_size < 4096
    outcome = run("check", bomb)  # used to abort: calamine asked for 1.3 GB while opening the file
    assert_refused(outcome, "bomb.ods", "公开05表", "NARRATE_MAX_CELLS")


def test_an_ods_with_a_long_text_repeated_is_refused(tmp_path):
    text = "经费" * 100_000
    bomb = _ods(tmp_path / "text.ods", (
        '<table:table table:name="公开05表"><table:table-row table:number-rows-repeated="100">'
        f'<table:table-cell table:number-columns-repeated="100" office:value-type="string"><text:p>{text}</text:p>'
        '</table:table-cell></table:table-row></table:table>'))
    assert_refused(run("check", bomb), "text.ods", "公开05表", "NARRATE_MAX_TEXT_MB")


def test_an_ods_with_empty_repeated_rows_still_reads(tmp_path):
    ods = _ods(tmp_path / "small.ods", (
        '<table:table table:name="公开05表"><table:table-row><table:table-cell office:value-type="string">'
        '<text:p>一般公共预算财政拨款支出决算表</text:p></table:table-cell></table:table-row>'
        '<table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="1024"/>'
        '</table:table-row></table:table>'))
    outcome = run("check", ods)  # refused for what it lacks, not for its size
    assert_refused(outcome, "small.ods")
    assert "NARRATE_MAX_CELLS" not in outcome.stderr


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"])
def test_a_file_that_is_not_a_workbook_is_a_clean_error(tmp_path, suffix):
    path = tmp_path / f"fake{suffix}"
    path.write_bytes(b"PK\x03\x04 not really a zip" + bytes(range(256)) * 40)
    assert_refused(run("check", path), f"fake{suffix}")


def test_a_fifo_named_xlsx_is_refused_without_blocking(tmp_path):
    import os

    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    assert_refused(run("check", fifo), "pipe.xlsx")


# ---------------------------------------------------------------- 3. hidden and duplicated sheets
def test_a_table_on_a_hidden_sheet_is_reported_as_hidden(book):
    workbook = load_workbook(book)
    workbook["公开05表"].sheet_state = "hidden"
    workbook.save(book)
    found = "\n".join(problems(book))
    assert "在隐藏的工作表“公开05表”中" in found and "取消隐藏" in found, found
    assert "找不到" not in found, found


def test_a_table_on_two_sheets_is_refused_naming_both(book):
    workbook = load_workbook(book)
    copy = workbook.copy_worksheet(workbook["公开05表"])
    copy.title = "公开05表（修改后）"
    copy["C12"] = 9999.99
    workbook.save(book)
    found = "\n".join(problems(book))
    assert "“公开05表”和“公开05表（修改后）”中各有一份" in found, found


def test_a_sheet_reached_by_an_unusual_path_is_checked_too(book):
    set_cells(book, "公开05表", {"XFD1048576": '<c r="XFD1048576"><v>1</v></c>'})
    part = sheet_part(book, "公开05表")
    rewrite_part(book, "xl/_rels/workbook.xml.rels",
                 lambda data: data.replace(f'Target="/{part}"'.encode(), f'Target="../{part}"'.encode()))
    assert_refused(run("check", book), "公开05表", "XFD1048576")


def test_too_many_shared_strings_are_refused(book):
    sst = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           + "<si><t>a</t></si>" * 6000 + "</sst>").encode()
    with zipfile.ZipFile(book, "a") as archive:
        archive.writestr("xl/sharedStrings.xml", sst)
    assert_refused(run("check", book, env={"NARRATE_MAX_CELLS": "5000"}), "unit.xlsx", "共享字符串", "NARRATE_MAX_CELLS")


def test_a_formula_without_result_below_the_last_value_is_found(book):
    set_cells(book, "公开05表", {"C60": '<c r="C60"><f>SUM(C8:C59)</f></c>'})  # the reader's grid ends above
    found = "\n".join(problems(book))
    assert "公开05表!C60：公式没有保存计算结果" in found, found

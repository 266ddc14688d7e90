"""Excel workbooks (.xlsx, also .xlsm/.xls/.xlsb/.ods) → :class:`Figures`.

The workbook holds the ten 公开 tables laid out as printed — one sheet per table
or several per sheet, as the 决算 software exports them or as
``narrate template-xlsx`` writes them — and, when present, the sheets of what
the tables do not hold (单位信息, 上年与年初预算, 原因与用途 …).  Tables are found
by their titles and header text (see :mod:`narrate.loaders.grid`); cells are
named ``公开05表!C12`` in messages.

Reading uses python-calamine (Rust); openpyxl (``engine="openpyxl"``, read-only)
is kept as the baseline the benchmark measures against.  Both are imported
only when a workbook is read.

Before either reads a cell, the package is checked (see :mod:`narrate.limits`
and ``docs/security-xlsx.md``): its unzipped size, and for each sheet of an
.xlsx/.xlsm the number of cells and the area from A1 to the farthest cell that
holds something — calamine materialises that whole area, so one stray cell at
XFD1048576 would ask for 512 GB.  The same scan of the sheet XML (bytes
searched by regular expressions, cell by cell only when a sheet holds formulas
or error values) finds the cells calamine reads as blank although they are
not: Excel errors (``#DIV/0!`` …) and formulas saved without their result.
They enter the grid as :class:`~narrate.loaders.grid.CellError`, refused by
whichever reader uses the cell.  An .ods is checked the same way (its repeated
rows and columns counted); an .xls cannot exceed 65536 × 256 cells and is
checked before its cells become Python values.
"""

from __future__ import annotations

import functools
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, NamedTuple

from ..errors import FiguresError, Problem
from ..limits import LIMITS, MIB, check_input_file, check_zip_archive, read_zip_part
from .grid import Block, CellError, CellProblem, column_letter, figures_from_blocks

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
ENGINES = ("calamine", "openpyxl")
_INDEX_BUDGET = 16 * MIB  # workbook.xml and its .rels: a few KB in any real workbook
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _refuse(source: str, message: str, where: str = "", expected: str = "") -> FiguresError:
    return FiguresError(source, [CellProblem(message, path=where, expected=expected)])


def _too_many_cells(source: str, sheet: str, what: str) -> FiguresError:
    return _refuse(source, f"工作表“{sheet}”{what}，超过上限 {LIMITS.max_cells} 个单元格", expected=(
        "真实的决算公开表远小于此：删除远处多余的单元格（选中整行/整列后“删除”）并保存再试；"
        "确需更大时设置环境变量 NARRATE_MAX_CELLS"))


def _too_much_text(source: str, sheet: str, size: int) -> FiguresError:
    return _refuse(source, f"工作簿单元格中的文字过多：读到工作表“{sheet}”时已约 {size / MIB:.0f} MB"
                           f"（上限 {LIMITS.max_text_bytes // MIB} MB），可能是大量单元格重复引用很长的文字", expected=(
        "真实的决算公开表远小于此：删除多余的长文字并保存再试；确需更大时设置环境变量 NARRATE_MAX_TEXT_MB"))


# ================================================================ .xlsx / .xlsm: the sheets' XML
@dataclass(frozen=True)
class _SheetPart:
    name: str
    part: str | None  # None: a chart sheet or a sheet whose part is missing
    hidden: bool


def _xml(archive: zipfile.ZipFile, name: str, source: str) -> ET.Element | None:
    try:
        data = read_zip_part(archive, name, source, _INDEX_BUDGET)
    except KeyError:
        return None
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise _refuse(source, f"{name} 含有 DTD 声明，不是 Excel 写出的工作簿", expected="用 Excel 或 WPS 另存为 .xlsx 再试")
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        raise _refuse(source, f"无法读取 Excel 工作簿：{name} 已损坏（{exc}）",
                      expected="用 Excel 或 WPS 打开后“另存为” .xlsx 格式再试") from None


def _sheet_parts(archive: zipfile.ZipFile, source: str) -> list[_SheetPart]:
    """The sheets of ``xl/workbook.xml`` in order, with their parts and whether they are hidden."""
    workbook = _xml(archive, "xl/workbook.xml", source)
    if workbook is None:
        return []
    rels = _xml(archive, "xl/_rels/workbook.xml.rels", source)
    targets: dict[str, str] = {}
    for rel in rels.iter() if rels is not None else ():
        if rel.tag.endswith("Relationship") and rel.get("Id") and rel.get("Target"):
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            targets[rel.get("Id", "")] = posixpath.normpath(path)
    parts = []
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        part = targets.get(sheet.get(f"{_REL}id", ""))
        parts.append(_SheetPart(sheet.get("name", ""), part if part and part.endswith(".xml") else None,
                                sheet.get("state", "visible") != "visible"))
    return parts


class _Patterns(NamedTuple):
    cells: re.Pattern[bytes]  # each cell: (column letters, row digits, other attributes, "");
    # a cell not written <c r="…": ("", "", "", the character after <c)
    item: re.Pattern[bytes]  # a <row …> (group 1) or a whole cell (attributes, "/>" or body)
    cached: re.Pattern[bytes]  # a cell's <v>…</v>
    formula: re.Pattern[bytes]  # a cell's <f>
    shared: re.Pattern[bytes]  # a cell showing a shared string: its index


@functools.lru_cache(maxsize=8)
def _patterns(prefix: bytes) -> _Patterns:
    p = re.escape(prefix)
    return _Patterns(
        re.compile(rb'<' + p + rb'c r="([A-Z]{1,3})([0-9]{1,7})"([^>]*)|<' + p + rb"c([\s>/])"),
        re.compile(rb"<" + p + rb"row\b([^>]*)>|<" + p + rb"c\b([^>]*?)(/>|>((?:[^<]|<(?!/?" + p + rb"c[\s>/]))*)</"
                   + p + rb"c>)"),
        re.compile(rb"<" + p + rb"v>([^<]*)</" + p + rb"v>"),
        re.compile(rb"<" + p + rb"f[\s>/]"),
        re.compile(rb"<" + p + rb"c\s[^>]*?\bt\s*=\s*[\"']s[\"'][^>]*>\s*<" + p + rb"v>\s*([0-9]{1,9})\s*</"),
    )


_WORKSHEET = re.compile(r"(?i)(?:^|/)worksheets/[^/]*\.xml$")
_SHEET_DATA = re.compile(rb"<([A-Za-z_][\w.-]*:)?sheetData[\s/>]")
_SHARED_ITEM = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s>/]")
_REF = re.compile(rb"""\br\s*=\s*["']([A-Z]{1,3})([0-9]{1,7})["']""")
_T_ATTR = re.compile(rb"""\bt\s*=\s*["']([A-Za-z]+)["']""")
_ROW_ATTR = re.compile(rb"""\br\s*=\s*["']([0-9]{1,7})["']""")


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def shared_string_sizes(data: bytes, source: str) -> list[int]:
    """The size in bytes of each item of ``xl/sharedStrings.xml``, in index order (an upper bound of its text)."""
    starts = []
    for match in _SHARED_ITEM.finditer(data):  # each item becomes a string in the reader, shown or not
        starts.append(match.start())
        if len(starts) > LIMITS.max_cells:
            raise _refuse(source, f"工作簿的共享字符串超过 {LIMITS.max_cells} 个", expected=(
                "真实的决算公开表远少于此；确需更多时设置环境变量 NARRATE_MAX_CELLS"))
    return [end - start for start, end in zip(starts, starts[1:] + [len(data)])]


def scan_sheet(data: bytes, sheet: str, source: str,
               strings: list[int] | None = None) -> tuple[dict[tuple[int, int], CellError], int]:
    """Check one worksheet's XML against the limits → its error cells ((row, col) 0-based →
    :class:`CellError`) and the bytes of shared-string text its cells will become.

    The common case is one regular-expression pass and a few byte searches: every cell
    written ``<c r="C12"``, the farthest row and column among them, no formula, no error
    value.  Anything else (cells placed by counting, an area over the limit, formulas,
    errors) is walked cell by cell.
    """
    found = _SHEET_DATA.search(data)
    if found is None:
        return {}, 0
    prefix = found.group(1) or b""
    tag = b"<" + prefix + b"c"
    if len(data) // 4 > LIMITS.max_cells and data.count(tag) > LIMITS.max_cells:  # <c/> is 4 bytes
        raise _too_many_cells(source, sheet, f"有 {data.count(tag)} 个单元格")
    patterns = _patterns(prefix)
    cells = patterns.cells.findall(data)
    if len(cells) > LIMITS.max_cells:
        raise _too_many_cells(source, sheet, f"有 {len(cells)} 个单元格")
    text = _shared_text(data, patterns, strings) if strings else 0
    columns, rows, attributes, odd = map(set, zip(*cells)) if cells else (set(),) * 4
    max_col = max(map(_column_number, columns - {b""}), default=0)
    max_row = max(map(int, rows - {b""}), default=0)
    if (odd <= {b""} and max_row * max_col <= LIMITS.max_cells and patterns.formula.search(data) is None
            and not any(b't="e"' in attrs or b"t='e'" in attrs for attrs in attributes)):
        return {}, text  # every cell <c r="…">, no formula, no error value, a small area
    return _walk(data, patterns, sheet, source), text


def _shared_text(data: bytes, patterns: _Patterns, sizes: list[int]) -> int:
    """Bytes of shared-string text the sheet's cells show (each cell becomes its own string)."""
    shown = data.count(b'"s"') + data.count(b"'s'")  # at least every t="s"
    largest = max(sizes)
    if shown * largest <= LIMITS.max_text_bytes:
        return shown * largest
    indexes = patterns.shared.findall(data)
    total = max(shown - len(indexes), 0) * largest  # cells written some other way: assume the largest string
    counts: dict[bytes, int] = {}
    for index in indexes:
        counts[index] = counts.get(index, 0) + 1
    for index, count in counts.items():
        number = int(index)
        total += count * (sizes[number] if number < len(sizes) else 0)
    return total


def _walk(data: bytes, patterns: _Patterns, sheet: str, source: str) -> dict[tuple[int, int], CellError]:
    """Cell by cell: positions as calamine counts them, the area of the cells holding a value, the errors."""
    item, ref, value, formula = patterns.item, _REF, patterns.cached, patterns.formula
    errors: dict[tuple[int, int], CellError] = {}
    row = col = 0
    far_row = far_col = (0, 0)  # (row, col) 1-based of the cell farthest down / farthest right
    for match in item.finditer(data):
        attrs = match.group(1)
        if attrs is not None:  # a <row>
            number = _ROW_ATTR.search(attrs)
            row = int(number.group(1)) if number else row + 1
            col = 0
            continue
        attrs, body = match.group(2), match.group(4)
        named = ref.search(attrs)
        if named:
            col, cell_row = _column_number(named.group(1)), int(named.group(2))
        else:
            col, cell_row = col + 1, row
        if not body:
            continue  # <c/>: formatting only, no value
        kind = _T_ATTR.search(attrs)
        kind_text = kind.group(1) if kind else b"n"
        cached = value.search(body)
        if kind_text == b"e":
            code = cached.group(1).decode("utf-8", "replace").strip() if cached else ""
            errors[(cell_row - 1, col - 1)] = CellError(code or "#VALUE!")
        elif formula.search(body) and not (cached and cached.group(1).strip()) and kind_text not in (b"str", b"inlineStr"):
            errors[(cell_row - 1, col - 1)] = CellError(None)  # a formula saved without its result
        if cell_row > far_row[0]:
            far_row = (cell_row, col)
        if col > far_col[1]:
            far_col = (cell_row, col)
    if far_row[0] * far_col[1] > LIMITS.max_cells:
        far = sorted({far_row, far_col})
        names = "、".join(f"{sheet}!{column_letter(c - 1)}{r}" for r, c in far)
        raise _too_many_cells(source, sheet, f"的单元格 {names} 远离表格，使要读取的区域达 "
                                             f"{far_row[0]} 行 × {far_col[1]} 列")
    return errors


# ================================================================ .ods: content.xml
_ODS_ITEM = re.compile(rb"<table:table((?:\s[^>]*?)?)/?>|<table:table-row((?:\s[^>]*?)?)/?>|</table:table-row>|"
                       rb"<table:(?:covered-)?table-cell((?:\s[^>]*?)?)(/?)>")
_ODS_REPEAT = re.compile(rb"""number-(?:rows|columns)-repeated\s*=\s*["']([0-9]+)["']""")
_ODS_NAME = re.compile(rb"""table:name\s*=\s*["']([^"']*)["']""")


def scan_ods(content: bytes, source: str) -> None:
    """Refuse an .ods whose sheets (repeated rows and columns counted) would exceed the cell limit."""
    cells = sum(content.count(b"<table:" + tag) for tag in (b"table-cell", b"covered-table-cell"))
    if cells > LIMITS.max_cells:
        raise _refuse(source, f"工作簿有 {cells} 个单元格，超过上限 {LIMITS.max_cells} 个", expected=(
            "真实的决算公开表远少于此；确需更大时设置环境变量 NARRATE_MAX_CELLS"))
    sheet, row, rows_repeat, width, height, max_col, text = "", 0, 1, 0, 0, 0, 0
    for match in _ODS_ITEM.finditer(content):
        table, row_attrs, cell_attrs = match.group(1), match.group(2), match.group(3)
        if table is not None:
            name = _ODS_NAME.search(table)
            sheet, row, height, max_col = (name.group(1).decode("utf-8", "replace") if name else ""), 0, 0, 0
        elif row_attrs is not None:
            repeat = _ODS_REPEAT.search(row_attrs)
            rows_repeat, width = (int(repeat.group(1)) if repeat else 1), 0
            if match.group(0).endswith(b"/>"):
                row += rows_repeat
        elif cell_attrs is not None:
            repeat = _ODS_REPEAT.search(cell_attrs)
            span = int(repeat.group(1)) if repeat else 1
            width += span
            if not match.group(4):  # a cell with content: it extends the area, each copy its own text
                max_col = max(max_col, width)
                height = row + rows_repeat
                if height * max_col > LIMITS.max_cells:
                    raise _too_many_cells(source, sheet, f"的数据区域达 {height} 行 × {max_col} 列")
                end = content.find(b"</table:", match.end())
                text += ((end if end >= 0 else len(content)) - match.end()) * span * rows_repeat
                if text > LIMITS.max_text_bytes:
                    raise _too_much_text(source, sheet, text)
        else:  # </table:table-row>
            row += rows_repeat


# ================================================================ reading the cells
def _check_package(path: Path, source: str) -> dict[str, dict[tuple[int, int], CellError]] | None:
    """Check a zip workbook against the limits before anything reads it → error cells by sheet name
    (``None`` when the sheets are not .xlsx XML: .xls, .xlsb, .ods, or not a zip at all)."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return None  # .xls, or not a workbook: the reader says so
    try:
        with archive:
            check_zip_archive(archive, source)
            names = set(archive.namelist())
            if "content.xml" in names and "xl/workbook.xml" not in names:
                scan_ods(read_zip_part(archive, "content.xml", source), source)
                return None
            strings: list[int] = []
            for name in names:
                if name.lower().endswith("sharedstrings.xml"):
                    strings += shared_string_sizes(read_zip_part(archive, name, source), source)
            errors, text = {}, 0
            sheets = [(sheet.name, sheet.part) for sheet in _sheet_parts(archive, source) if sheet.part in names]
            seen = {part for _, part in sheets}  # and any worksheet the index does not lead to, in case a reader does
            sheets += [(name, name) for name in sorted(names - seen) if _WORKSHEET.search(name)]
            for name, part in sheets:
                errors[name], shown = scan_sheet(read_zip_part(archive, part, source), name, source, strings)
                text += shown
                if text > LIMITS.max_text_bytes:
                    raise _too_much_text(source, name, text)
            return errors
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError) as exc:  # damaged / encrypted part
        raise _refuse(source, f"无法读取 Excel 工作簿：{exc}", expected="用 Excel 或 WPS 打开后“另存为” .xlsx 格式再试") from None


def _with_errors(block: Block, errors: dict[tuple[int, int], CellError] | None) -> Block:
    for (r, c), error in (errors or {}).items():  # within the area checked: a formula without result may lie past the last value
        while r >= len(block.rows):
            block.rows.append([])
        row = block.rows[r]
        if not isinstance(row, list):
            row = block.rows[r] = list(row)
        if c >= len(row):
            row.extend([None] * (c + 1 - len(row)))
        row[c] = error
    return block


def _calamine_sheets(path: Path, source: str, want_hidden: bool) -> Iterator[tuple[str, bool, list[list[Any]]]]:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    try:
        for meta in workbook.sheets_metadata:
            hidden = str(getattr(meta.visible, "name", meta.visible)).lower().endswith("hidden")
            if hidden and not want_hidden:
                continue
            try:
                sheet = workbook.get_sheet_by_name(meta.name)
            except Exception:  # a chart sheet or a macro sheet: no cells
                continue
            end = sheet.end
            if end is not None and (end[0] + 1) * (end[1] + 1) > LIMITS.max_cells:  # .xls/.xlsb: not scanned above
                raise _too_many_cells(source, meta.name, f"的数据区域达 {end[0] + 1} 行 × {end[1] + 1} 列")
            yield meta.name, hidden, sheet.to_python(skip_empty_area=False)
    finally:
        close = getattr(workbook, "close", None)
        if close is not None:
            close()


def _openpyxl_sheets(path: Path, source: str, want_hidden: bool) -> Iterator[tuple[str, bool, list[list[Any]]]]:
    from openpyxl import load_workbook

    workbook = load_workbook(str(path), read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            hidden = sheet.sheet_state != "visible"
            if hidden and not want_hidden:
                continue
            yield sheet.title, hidden, [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_workbook(path: str | Path, engine: str = "calamine", hidden: bool = False) -> tuple[list[Block], list[Block]]:
    """The visible sheets of a workbook as grids of cell values, and (with ``hidden``) its hidden
    sheets; raises :class:`FiguresError`."""
    source = str(path)
    path = check_input_file(path, "一个 Excel 工作簿（.xlsx）")
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    try:
        errors = _check_package(path, source)
        sheets = _calamine_sheets if engine == "calamine" else _openpyxl_sheets
        shown: list[Block] = []
        hidden_blocks: list[Block] = []
        for name, is_hidden, rows in sheets(path, source, hidden):
            block = Block(name, rows)
            if is_hidden:
                hidden_blocks.append(block)
            else:
                shown.append(_with_errors(block, errors.get(name) if errors else None))
        return shown, hidden_blocks
    except FiguresError:
        raise
    except MemoryError:
        raise _refuse(source, "工作簿过大，内存不足以读取", expected="检查工作簿中是否有远离表格的多余单元格") from None
    except Exception as exc:  # calamine/openpyxl/zip errors: not a workbook, encrypted, damaged
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        hint = "用 Excel 或 WPS 打开后“另存为” .xlsx 格式再试"
        if "password" in detail.lower() or "encrypt" in detail.lower():
            hint = "工作簿设有打开密码；请取消密码后另存再试"
        raise FiguresError(source, [Problem(f"无法读取 Excel 工作簿：{detail}", expected=hint)]) from None


def read_blocks(path: str | Path, engine: str = "calamine") -> list[Block]:
    """The visible sheets of a workbook as grids of cell values (raises :class:`FiguresError`)."""
    return read_workbook(path, engine)[0]


def load_xlsx(path: str | Path, engine: str = "calamine", located: bool = False, profile: str | None = None) -> Any:
    """Read and validate a workbook → :class:`Figures` (raises :class:`FiguresError` naming cells;
    ``located``: the figures with their cells, :class:`~.located.Located`)."""
    blocks, hidden = read_workbook(path, engine, hidden=True)
    if not blocks:
        raise FiguresError(str(path), [Problem("工作簿中没有可读的工作表")])
    return figures_from_blocks(blocks, str(path), hidden=hidden, located=located, profile=profile)

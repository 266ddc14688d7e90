"""Grids of cells → the ten 公开 tables (and the sheets beside them) → :class:`Figures`.

Shared by the Excel reader (:mod:`narrate.loaders.xlsx`) and the Word reader
(:mod:`narrate.loaders.docx_tables`): they differ only in how they get their
grids.  A grid is a :class:`Block`: rows of cell values in reading order, with a
way to name each cell (``公开05表!C12`` in a workbook, ``第5个表格（公开05表）第12行第3列``
in a Word document).

How a table is found
--------------------
* Its **title** (``收入支出决算总表`` …) or its **number** (``公开01表``) in a cell or
  paragraph marks where it starts; it runs to the next title (or the sheets of
  表外数据, or the end of the sheet).  A sheet named after a table (``公开05表``)
  with no title inside is that table.  Tables may sit one per sheet or stacked
  on one sheet; a title found where no table follows (a 目录 line) is passed over.
* Its **header** (``项目/行次/金额``, ``科目代码/科目名称/…``, ``预算数/决算数`` …) tells
  which column holds which figure: columns are found by their header text,
  never by fixed addresses, so merged header cells, extra blank columns and
  re-ordered columns are all fine.
* Each table's ``部门名称：…``, ``2024年度`` and ``金额单位：万元`` (or ``元``, then
  converted to 万元 with ROUND_HALF_UP) are read from the lines above its header.

Cells: blank, ``——``, ``-`` = empty; amounts as numbers (a float is read through
its shortest text, never through binary arithmetic) or as text with thousands
separators; 科目代码 as numbers or text (``208 01 01``).  Rows of notes
(``注：…``, ``说明：本表无数据``) are skipped.

What the tables do not hold (上年数, 年初预算, reasons, counts …) is read from rows
that name their field in a ``字段`` column (see :mod:`narrate.workbook`, which
writes such sheets), and from grids keyed by 科目代码 whose second header row
names the fields.

Every figure remembers the cell it came from, so a problem found later by the
model (a negative amount, a duplicated 科目代码) is reported at that cell.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import functools
import math
import re
import types
import typing
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Iterable, Sequence

from ..errors import FiguresError, Problem

# ================================================================ cells and blocks


@dataclass(frozen=True)
class CellProblem(Problem):
    """A problem located at a cell: ``path`` is the cell's address, ``field`` the figures field."""

    field: str = ""
    """The field of the figures the cell feeds, e.g. ``tables.t05.rows[3].basic`` (may be empty)."""

    def describe(self) -> str:
        text = f"{self.path}：{self.message}" if self.path else self.message
        extras = []
        if self.found and self.found not in self.message and "实际为" not in self.message:
            extras.append(f"实际为 {self.found}")
        if self.expected:
            extras.append(f"应为 {self.expected}")
        if self.field:
            extras.append(f"字段 {self.field}")
        if extras:
            text += "（" + "；".join(extras) + "）"
        return text


def column_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class Block:
    """Rows of cell values in reading order, and how to name a cell.

    ``kind`` is ``"sheet"`` (a worksheet: cells are named ``Sheet!C12``) or
    ``"document"`` (a Word body: ``origins[r]`` tells what row ``r`` is —
    ``("p", n)`` the n-th paragraph, ``("t", t, row)`` row ``row`` of the t-th table).
    Cell values are whatever the reader gives: ``None``/``""`` for blank, ``str``,
    ``int``, ``float``, ``Decimal``, dates.
    """

    __slots__ = ("name", "rows", "kind", "origins")

    def __init__(self, name: str, rows: list[Sequence[Any]], kind: str = "sheet",
                 origins: list[tuple] | None = None) -> None:
        self.name = name
        self.rows = rows
        self.kind = kind
        self.origins = origins

    def value(self, r: int, c: int) -> Any:
        row = self.rows[r]
        return row[c] if 0 <= c < len(row) else None

    def address(self, r: int, c: int, label: str = "") -> str:
        if self.kind == "sheet":
            return f"{self.name}!{column_letter(c)}{r + 1}"
        origin = self.origins[r] if self.origins else ("p", r + 1)
        if origin[0] == "p":
            return f"第{origin[1]}段"
        where = f"（{label}）" if label else ""
        return f"第{origin[1]}个表格{where}第{origin[2]}行第{c + 1}列"


class Where(typing.NamedTuple):
    """A cell's address, formatted only when shown (``str(where)`` → ``公开05表!C12``)."""

    block: Block
    r: int
    c: int
    label: str = ""

    def __str__(self) -> str:
        return self.block.address(self.r, self.c, self.label)


# ================================================================ text helpers
_SPACE = re.compile(r"\s+")
_QUOTES = dict.fromkeys(map(ord, "“”\"'‘’「」『』"), None)
_ORDINAL = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）][、.．]?|\d+[.、．](?!\d)|其中[:：])"
)
_PAREN_CONTENT = re.compile(r"\([^()]*\)")
PLACEHOLDERS = {"-", "--", "—", "——", "－", "－－", "─", "――", "/", "／", "无"}


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value)


@functools.lru_cache(maxsize=16384)
def _norm_text(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).translate(_QUOTES)


def norm(value: Any) -> str:
    """Text for matching: NFKC (full-width → half-width), no whitespace, no quotes."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return _norm_text(value)
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return _norm_text(text_of(value))
    return ""


def strip_ordinal(text: str) -> str:
    """Drop leading 一、/（一）/1./其中： (repeatedly) from a label."""
    while True:
        new = _ORDINAL.sub("", text, count=1)
        if new == text:
            return text
        text = new


@functools.lru_cache(maxsize=16384)
def _key_text(text: str) -> str:
    return _PAREN_CONTENT.sub("", strip_ordinal(text))


def key(value: Any) -> str:
    """A label's key for lookups: normalised, without ordinal, without (…) contents."""
    text = norm(value)
    return _key_text(text) if text else ""


def display(value: Any) -> str:
    """A name as printed, for the data: line wraps joined, outer spaces and the ordinal dropped."""
    return _display(value) if isinstance(value, str) else _display(text_of(value))


@functools.lru_cache(maxsize=8192)
def _display(value: str) -> str:
    text = "".join(line.strip() for line in value.strip().splitlines())
    while True:
        new = _ORDINAL.sub("", text, count=1)
        if new == text:
            return text
        text = new


def show(value: Any) -> str:
    text = text_of(value)
    if isinstance(value, (_dt.date, _dt.datetime)):
        text = value.isoformat()
    text = text if len(text) <= 40 else text[:37] + "…"
    return f"“{text}”"


# ================================================================ amounts and codes
class CellValueError(ValueError):
    def __init__(self, message: str, expected: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.expected = expected


ERROR_CODES = frozenset({"#DIV/0!", "#REF!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA",
                         "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"})


class CellError:
    """A cell whose formula gave no figure: an Excel error (``#DIV/0!`` …, ``code``) or a formula
    saved without its result (``code`` is ``None``).  The workbook reader puts one where the
    grid would otherwise hold a blank; every parser below refuses it at its cell, so an error
    in a cell narrate reads is reported and one in a cell it ignores is not."""

    __slots__ = ("code",)

    def __init__(self, code: str | None = None) -> None:
        self.code = code

    def __repr__(self) -> str:
        return f"CellError({self.code!r})"

    def __str__(self) -> str:
        return self.code or "（公式未保存结果）"

    def problem(self) -> CellValueError:
        return cell_error(self.code)


def cell_error(code: str | None) -> CellValueError:
    """The problem of an error cell (``code`` such as ``#DIV/0!``) or of a formula without a saved result."""
    if code is None:
        return CellValueError("公式没有保存计算结果",
                              "请在 Excel 或 WPS 中打开后保存再试（或把公式改为数值）")
    return CellValueError(f"公式结果为 {code}",
                          "请在 Excel 或 WPS 中改正该单元格的公式（或其引用的单元格）使其得出数值后保存再试")


_AMOUNT_TEXT = re.compile(r"-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?")
CENT = Decimal("0.01")
TEN_THOUSAND = Decimal(10000)


def float_to_decimal(value: float) -> Decimal:
    """A float cell as the decimal it shows: its shortest repr, or Excel's 15 digits when that is shorter."""
    if math.isnan(value) or math.isinf(value):
        raise CellValueError(f"{value!r} 不是金额", "数字")
    exact = Decimal(repr(value))
    if exact.as_tuple().exponent < -2:  # type: ignore[operator]
        shown = Decimal(format(value, ".15g"))
        if shown.as_tuple().exponent >= -2 or len(shown.as_tuple().digits) < len(exact.as_tuple().digits):  # type: ignore[operator]
            return shown
    return exact


def parse_amount(value: Any, unit: str = "万元") -> Decimal | None:
    """A table cell → Decimal in 万元 (``None`` when blank); raises :class:`CellValueError`."""
    if value is None:
        return None
    if value.__class__ is CellError:
        raise value.problem()
    if isinstance(value, bool):
        raise CellValueError(f"{show(value)}不是金额", "数字，如 12423.32")
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time)):
        raise CellValueError(f"{show(value)}是日期，不是金额", "数字；请把单元格格式改为“数值”后重填")
    if isinstance(value, float):
        amount = float_to_decimal(value)
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        amount = value
    else:
        raw = str(value)
        text = unicodedata.normalize("NFKC", raw).strip().replace("，", ",")
        if not text or text in PLACEHOLDERS:
            return None
        if text in ERROR_CODES:  # an error as text: the openpyxl engine, .xls/.ods
            raise cell_error(text)
        if not _AMOUNT_TEXT.fullmatch(text):
            raise CellValueError(f"{show(raw)}不是金额", "数字，如 12423.32 或 12,423.32")
        amount = Decimal(text.replace(",", ""))
    if not amount.is_finite():
        raise CellValueError(f"{show(value)}不是金额", "数字")
    if unit == "元":
        amount = (amount / TEN_THOUSAND).quantize(CENT, rounding=ROUND_HALF_UP)
    return amount


def parse_count(value: Any) -> int | None:
    if is_blank(value):
        return None
    if value.__class__ is CellError:
        raise value.problem()
    if isinstance(value, bool):
        raise CellValueError(f"{show(value)}不是整数", "整数，如 5")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if text in PLACEHOLDERS:
        return None
    if text.isdigit():
        return int(text)
    if text in ERROR_CODES:
        raise cell_error(text)
    raise CellValueError(f"{show(value)}不是整数", "不小于 0 的整数，如 5")


def parse_code(value: Any) -> str | None:
    """科目代码: 2080101, 2080101.0, "2080101", "208 01 01" → "2080101"; ``None`` when blank."""
    if is_blank(value):
        return None
    if value.__class__ is CellError:
        raise value.problem()
    if isinstance(value, float):
        if not value.is_integer() or value < 0:
            raise CellValueError(f"科目代码{show(value)}应为整数", "数字串，如 2080101")
        return str(int(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    text = _SPACE.sub("", unicodedata.normalize("NFKC", str(value)))
    if text.isdigit():
        return text
    if text in ERROR_CODES:
        raise cell_error(text)
    raise CellValueError(f"科目代码{show(value)}应只含数字", "数字串，如 2080101")


# ================================================================ the ten tables
TABLE_TITLES: dict[int, str] = {
    1: "收入支出决算总表",
    2: "收入决算表",
    3: "支出决算表",
    4: "财政拨款收入支出决算总表",
    5: "一般公共预算财政拨款支出决算表",
    6: "一般公共预算财政拨款基本支出决算明细表",
    7: "政府性基金预算财政拨款收入支出决算表",
    8: "国有资本经营预算财政拨款支出决算表",
    9: "财政拨款“三公”经费支出决算表",
    10: "部门决算公开相关信息统计表",
}
_TITLE_ALIASES: dict[int, tuple[str, ...]] = {
    6: ("一般公共预算财政拨款基本支出决算表",),
    9: ("财政拨款三公经费支出决算表", "三公经费支出决算表"),
    10: ("部门决算相关信息统计表",),
}
_TITLES_BY_LENGTH = sorted(
    [(norm(t), n) for n, t in TABLE_TITLES.items()] + [(norm(a), n) for n, al in _TITLE_ALIASES.items() for a in al],
    key=lambda pair: -len(pair[0]),
)
_CODE_MARK = re.compile(r"公开0?(\d{1,2})(?:号)?表?")
_YEAR_PREFIX = re.compile(r"^\d{4}年度?")
_TOC_TAIL = re.compile(r"(?:[.…·．-]{2,}|\s)\d*$")
_PUNCT = re.compile(r"[,，。;；:：、!?！？]")
_TRIM = "()（）【】[]<>《》 -—_:：、."


def table_label(n: int) -> str:
    return f"公开{n:02d}表"


def full_label(n: int) -> str:
    return f"公开{n:02d}表 {TABLE_TITLES[n]}"


def _title_match(text: str) -> int | None:
    text = strip_ordinal(text)
    text = _YEAR_PREFIX.sub("", text)
    text = re.sub(r"\([^()]*\)$", "", text).strip(_TRIM)
    if not text:
        return None
    for title, n in _TITLES_BY_LENGTH:
        if text == title:
            return n
        if text.endswith(title):
            prefix = text[: -len(title)]
            if len(prefix) <= 40 and not _PUNCT.search(prefix):
                return n
    return None


def identify_title(value: Any) -> int | None:
    """The table number a title cell names (``收入支出决算总表``, ``公开01表`` …), else ``None``."""
    if not isinstance(value, str) or len(value) > 80:
        return None
    if "表" not in value and "公开" not in value:
        return None
    return _identify(value)


@functools.lru_cache(maxsize=4096)
def _identify(value: str) -> int | None:
    text = norm(value)
    text = _TOC_TAIL.sub("", text) if re.search(r"[.…·．]{2,}", text) else text
    match = _CODE_MARK.search(text)
    if match:
        n = int(match.group(1))
        if not 1 <= n <= 10:
            return None
        rest = (text[: match.start()] + text[match.end():]).strip(_TRIM)
        rest = _YEAR_PREFIX.sub("", rest).strip(_TRIM)
        if not rest or _title_match(rest) == n:
            return n
        return None
    return _title_match(text)


def _is_notes_header(row: Sequence[Any]) -> bool:
    return any(isinstance(v, str) and "字段" in v and norm(v) == "字段" for v in row)


_PART = re.compile(r"^第[一二三四五六七八九十]+部分")


@dataclass
class Region:
    """Where one table lies: rows ``start`` (its title) to ``end`` (exclusive) of ``block``."""

    n: int
    block: Block
    start: int
    end: int
    title: str
    label: str = ""

    def __post_init__(self) -> None:
        self.label = table_label(self.n)

    def addr(self, r: int, c: int) -> Where:
        return Where(self.block, r, c, self.label)

    def value(self, r: int, c: int) -> Any:
        row = self.block.rows[r]
        return row[c] if 0 <= c < len(row) else None

    def row(self, r: int) -> Sequence[Any]:
        return self.block.rows[r]


def find_regions(blocks: Sequence[Block]) -> tuple[dict[int, list[Region]], list[tuple[int | None, str, str]]]:
    """Candidate regions of each table, and the title-like cells seen (table number or None, text, address)."""
    regions: dict[int, list[Region]] = {}
    seen: list[tuple[int | None, str, str]] = []
    for block in blocks:
        marks: list[tuple[int, int, str]] = []  # (row, n, title text)
        stops: list[int] = []
        for r, row in enumerate(block.rows):
            found = None
            stop = False
            for c, value in enumerate(row):
                if value.__class__ is not str or not value:
                    continue
                if "表" in value:
                    n = identify_title(value)
                    if n is not None:
                        found = (n, value.strip())
                        seen.append((n, value.strip(), block.address(r, c)))
                        break
                    if len(value) <= 40 and "决算" in value and value.rstrip().endswith("表"):
                        seen.append((None, value.strip(), block.address(r, c)))
                elif "字段" in value and norm(value) == "字段":
                    stop = True
                elif c == 0 and "部分" in value and _PART.match(norm(value)):
                    stop = True
            if found:
                if not marks or marks[-1][1] != found[0] or any(s > marks[-1][0] for s in stops):
                    marks.append((r, found[0], found[1]))
            elif stop:
                stops.append(r)
        if not marks:
            n = identify_title(block.name) if block.kind == "sheet" else None
            if n is not None:
                end = min([s for s in stops] + [len(block.rows)])
                regions.setdefault(n, []).append(Region(n, block, 0, end, block.name))
            continue
        for i, (r, n, title) in enumerate(marks):
            end = marks[i + 1][0] if i + 1 < len(marks) else len(block.rows)
            end = min([s for s in stops if s > r] + [end])
            regions.setdefault(n, []).append(Region(n, block, r, end, title))
    return regions, seen


# ================================================================ building the data
class Builder:
    """Plain data for :class:`Figures`, each value remembering the cell it came from."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.data: dict[str, Any] = {}
        self.cells: dict[tuple, tuple[str, Any]] = {}
        self.problems: list[Problem] = []
        self.whole_tables: set[int] = set()
        """ids of blocks that are one table from top to bottom (nothing else to read there)."""

    def put(self, path: tuple, value: Any, addr: str | None = None, raw: Any = None) -> None:
        target = self.data
        for part in path[:-1]:
            target = target.setdefault(part, {})
        target[path[-1]] = value
        if addr:
            self.cells[path] = (addr, raw)

    def get(self, path: tuple, default: Any = None) -> Any:
        target: Any = self.data
        for part in path:
            if not isinstance(target, dict) or part not in target:
                return default
            target = target[part]
        return target

    def locate(self, path: tuple, addr: str, raw: Any = None) -> None:
        self.cells[path] = (addr, raw)

    def fail(self, addr: Any, message: str, found: Any = None, expected: str = "", field_path: str = "") -> None:
        self.problems.append(CellProblem(message, path=str(addr), found=show(found) if found is not None else "",
                                         expected=expected, field=field_path))


def dotted(path: Sequence[Any]) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


_META_SPLIT = re.compile(r"\s{2,}|\d{4}\s*年度|(?:金额)?单位\s*[:：]")


class TableReader:
    """Reads one region into the builder."""

    def __init__(self, region: Region, builder: Builder, strict: bool = True) -> None:
        self.region = region
        self.b = builder
        self.strict = strict
        self.unit = "万元"
        self.name: tuple[str, str] | None = None
        self.year: tuple[int, str] | None = None
        self.prefix = ("tables", f"t{region.n:02d}")

    # ------------------------------------------------------------ cells
    def amount(self, r: int, c: int | None, path: tuple) -> Decimal | None:
        if c is None:
            return None
        row = self.region.block.rows[r]
        raw = row[c] if c < len(row) else None
        if raw is None or raw == "":
            return None
        if raw.__class__ is float and self.unit == "万元":  # the common case, kept short
            text = repr(raw)
            dot = text.find(".")
            if "e" not in text and "n" not in text and (dot < 0 or len(text) - dot <= 3):
                value = Decimal(text)
                self.b.cells[path] = (Where(self.region.block, r, c, self.region.label), raw)
                return value
        if is_blank(raw):
            return None
        try:
            value = parse_amount(raw, self.unit)
        except CellValueError as exc:
            self.b.fail(self.region.addr(r, c), exc.message, expected=exc.expected, field_path=dotted(path))
            return None
        if value is not None:
            self.b.locate(path, self.region.addr(r, c), raw)
        return value

    def count(self, r: int, c: int | None, path: tuple) -> int | None:
        if c is None:
            return None
        raw = self.region.value(r, c)
        try:
            value = parse_count(raw)
        except CellValueError as exc:
            self.b.fail(self.region.addr(r, c), exc.message, expected=exc.expected, field_path=dotted(path))
            return None
        if value is not None:
            self.b.locate(path, self.region.addr(r, c), raw)
        return value

    def name_cell(self, r: int, c: int, raw: Any) -> str:
        """A name cell as printed (an error cell is reported and gives "")."""
        if raw.__class__ is CellError:
            exc = raw.problem()
            self.b.fail(self.region.addr(r, c), exc.message, expected=exc.expected)
            return ""
        return display(raw)

    def fail(self, r: int, c: int, message: str, expected: str = "", soft: bool = False) -> None:
        if soft and not self.strict:
            return
        self.b.fail(self.region.addr(r, c), message, expected=expected)

    # ------------------------------------------------------------ rows
    def rows(self, start: int | None = None) -> range:
        return range(self.region.start if start is None else start, self.region.end)

    def texts(self, r: int) -> list[str]:
        return [norm(v) for v in self.region.row(r)]

    def is_note(self, r: int) -> bool:
        for value in self.region.row(r):
            if not is_blank(value):
                text = norm(value)
                return (text.startswith("注") and not text.startswith("注册")) or text.startswith(("说明", "备注"))
        return False

    def is_blank_row(self, r: int) -> bool:
        return all(v is None or v == "" or (v.__class__ is str and not v.strip()) for v in self.region.row(r))

    def find_row(self, predicate, start: int | None = None) -> int | None:  # type: ignore[no-untyped-def]
        for r in self.rows(start):
            if predicate(self.texts(r)):
                return r
        return None

    # ------------------------------------------------------------ 部门名称, 年度, 金额单位
    def read_meta(self, until: int) -> None:
        """部门名称, 年度 and 金额单位 from the lines above the header (rows start..until-1)."""
        for r in range(self.region.start, until):
            row = self.region.row(r)
            for c, value in enumerate(row):
                if not isinstance(value, str) or not value.strip():
                    continue
                flat = "".join(line.strip() for line in value.strip().splitlines())
                unit = re.search(r"单位\s*[:：]\s*(万元|元)", flat)
                if unit:
                    self.unit = unit.group(1)
                year = re.search(r"(\d{4})\s*年度", unicodedata.normalize("NFKC", flat))
                if year and self.year is None:
                    self.year = (int(year.group(1)), self.region.addr(r, c))
                name = re.search(r"(?:(?:部门|单位)名称|编制单位)\s*[:：]\s*(.*)$", flat)
                if name and self.name is None:
                    rest = _META_SPLIT.split(name.group(1))[0].strip()
                    if not rest:
                        for later in row[c + 1:]:
                            if isinstance(later, str) and later.strip() and not _META_SPLIT.search(later):
                                rest = "".join(line.strip() for line in later.strip().splitlines())
                                break
                    if rest:
                        self.name = (rest, self.region.addr(r, c))

    # ------------------------------------------------------------ header columns
    def header_texts(self, top: int, bottom: int, skip: Iterable[int] = ()) -> dict[int, list[str]]:
        """Normalised header text of each column, top to bottom (rows top..bottom inclusive)."""
        skip = set(skip)
        out: dict[int, list[str]] = {}
        for r in range(top, bottom + 1):
            if r in skip:
                continue
            for c, value in enumerate(self.region.row(r)):
                text = key(value)
                if text:
                    out.setdefault(c, []).append(text)
        return out


def _match_header(texts: list[str], labels: dict[str, str]) -> str | None:
    for text in reversed(texts):
        if text in labels:
            return labels[text]
    joined = "".join(texts)
    if joined in labels:
        return labels[joined]
    for label in sorted(labels, key=len, reverse=True):
        if joined.endswith(label) and len(label) >= 2:
            return labels[label]
    return None


def _is_column_numbers(texts: list[str]) -> bool:
    """A 栏次 row: its filled cells are 1, 2, 3 … (or it says 栏次)."""
    filled = [t for t in texts if t]
    if any(t == "栏次" for t in filled):
        return True
    if len(filled) < 3 or not all(t.isdigit() for t in filled):
        return False
    numbers = [int(t) for t in filled]
    return numbers == list(range(numbers[0], numbers[0] + len(numbers))) and numbers[0] <= 1


# ---------------------------------------------------------------- 科目 tables: 02 03 05 07 08
CODE_HEADERS = {"科目代码", "科目编码", "功能分类科目代码", "功能分类科目编码", "代码", "编码"}
NAME_HEADERS = {"科目名称", "功能分类科目名称", "名称"}
TOTAL_LABELS = {"合计", "总计"}

SUBJECT_COLUMNS: dict[int, dict[str, str]] = {
    2: {"本年收入合计": "total", "合计": "total", "财政拨款收入": "fiscal", "上级补助收入": "superior_subsidy",
        "事业收入": "business", "经营收入": "operating", "附属单位上缴收入": "affiliated", "其他收入": "other"},
    3: {"本年支出合计": "total", "合计": "total", "基本支出": "basic", "项目支出": "project",
        "上缴上级支出": "to_superior", "经营支出": "operating", "对附属单位补助支出": "to_affiliated"},
    5: {"小计": "total", "合计": "total", "本年支出合计": "total", "本年支出小计": "total", "基本支出": "basic",
        "项目支出": "project"},
    7: {"年初结转和结余": "beginning_balance", "本年收入": "income", "小计": "total", "本年支出小计": "total",
        "本年支出合计": "total", "基本支出": "basic", "项目支出": "project", "年末结转和结余": "ending_balance"},
    8: {"合计": "total", "小计": "total", "本年支出合计": "total", "本年支出小计": "total", "基本支出": "basic",
        "项目支出": "project"},
}
SUBJECT_GROUPS = {"项目", "本年支出", "本年收入合计", "科目"}


def read_subject_table(t: TableReader) -> bool:
    labels = SUBJECT_COLUMNS[t.region.n]
    code_row = t.find_row(lambda texts: any(x in CODE_HEADERS for x in texts) or
                          (any(x in NAME_HEADERS for x in texts) and any(x in labels for x in map(key, texts))),
                          t.region.start + 1)
    if code_row is None:
        return False
    known = set(labels) | SUBJECT_GROUPS | CODE_HEADERS | NAME_HEADERS
    top = code_row
    while top - 1 > t.region.start and any(key(v) in known for v in t.region.row(top - 1)):
        top -= 1
    bottom = code_row
    skip: list[int] = []
    for r in range(code_row + 1, min(code_row + 4, t.region.end)):
        texts = t.texts(r)
        if _is_column_numbers(texts):
            bottom = r
            skip.append(r)
            break
        numbers = any(isinstance(v, (int, float, Decimal)) or (isinstance(v, str) and _AMOUNT_TEXT.fullmatch(v.strip()))
                      for v in t.region.row(r))
        if any(key(x) in labels for x in texts) and not numbers and not any(x in TOTAL_LABELS for x in texts):
            bottom = r
            continue
        break
    t.read_meta(top)
    headers = t.header_texts(top, bottom, skip)
    code_col = name_col = None
    columns: dict[int, str] = {}
    for c, texts in headers.items():
        if any(x in CODE_HEADERS for x in texts) and code_col is None:
            code_col = c
        elif any(x in NAME_HEADERS for x in texts) and name_col is None:
            name_col = c
        else:
            field_name = _match_header(texts, labels)
            if field_name is not None and field_name not in columns.values():
                columns[c] = field_name
    if code_col is None and name_col is not None:
        code_col = name_col - 1 if name_col > 0 else None
    if code_col is None:
        t.fail(code_row, 0, "找不到“科目代码”列", expected="表头中有“科目代码”“科目名称”")
        return True
    if name_col is None:
        name_col = code_col + 1
    if not columns:
        t.fail(code_row, code_col, "找不到金额列", expected="表头中有 " + "、".join(dict.fromkeys(labels)))
        return True

    prefix = t.prefix
    rows: list[dict[str, Any]] = []
    total_seen = False
    block_rows = t.region.block.rows
    for r in t.rows(bottom + 1):
        row = block_rows[r]
        code_raw = row[code_col] if code_col < len(row) else None
        name_raw = row[name_col] if name_col < len(row) else None
        plain_code = isinstance(code_raw, (int, float)) or (isinstance(code_raw, str) and code_raw.isdigit())
        if not plain_code:  # the fast path is a row with a plain code; anything else is looked at closely
            if t.is_blank_row(r) or t.is_note(r):
                continue
            texts = t.texts(r)
            if any(x in CODE_HEADERS for x in texts) or _is_column_numbers(texts):
                continue  # a header repeated on a new page
        code_key, name_key = key(code_raw), key(name_raw)
        if code_key in TOTAL_LABELS or (not code_key and name_key in TOTAL_LABELS):
            if total_seen:
                continue
            total_seen = True
            for c, field_name in columns.items():
                value = t.amount(r, c, prefix + ("total", field_name))
                if value is not None:
                    t.b.put(prefix + ("total", field_name), value)
            continue
        if is_blank(code_raw) and is_blank(name_raw):
            filled = [c for c in columns if not is_blank(t.region.value(r, c))]
            errors = [c for c in filled if t.region.value(r, c).__class__ is CellError]
            for c in errors:  # a formula's error or missing result: that is what to fix first
                exc = t.region.value(r, c).problem()
                t.fail(r, c, exc.message, expected=exc.expected)
            if filled and not errors:
                t.fail(r, code_col, "这一行有金额，但没有科目代码和科目名称", expected="科目代码（如 2080101）和科目名称")
            continue
        if isinstance(code_raw, str) and is_blank(name_raw):
            split = re.match(r"^\s*(\d[\d ]*\d)\s+(\S.*)$", code_raw)
            if split:
                code_raw, name_raw = split.group(1), split.group(2)
        try:
            code = parse_code(code_raw)
        except CellValueError as exc:
            if isinstance(code_raw, str) and not any(not is_blank(t.region.value(r, c)) for c in columns):
                continue  # a heading inside the table, no figures
            t.fail(r, code_col, exc.message, expected=exc.expected)
            continue
        if code is None:
            t.fail(r, code_col, f"科目{show(name_raw)}没有科目代码", expected="科目代码，如 2080101")
            continue
        index = len(rows)
        item: dict[str, Any] = {"code": code, "name": t.name_cell(r, name_col, name_raw) if not is_blank(name_raw) else ""}
        path = prefix + ("rows", index)
        t.b.locate(path, t.region.addr(r, code_col), code_raw)
        t.b.locate(path + ("code",), t.region.addr(r, code_col), code_raw)
        t.b.locate(path + ("name",), t.region.addr(r, name_col), name_raw)
        for c, field_name in columns.items():
            value = t.amount(r, c, path + (field_name,))
            if value is not None:
                item[field_name] = value
        rows.append(item)
    if rows:
        t.b.put(prefix + ("rows",), rows)
    else:
        t.b.data.setdefault("tables", {}).setdefault(prefix[1], {})
    return True


# ---------------------------------------------------------------- 01 and 04: 项目/行次/金额 side by side
T01_INCOME = {
    "一般公共预算财政拨款收入": ("income", "general_budget"),
    "政府性基金预算财政拨款收入": ("income", "government_fund"),
    "国有资本经营预算财政拨款收入": ("income", "state_capital"),
    "上级补助收入": ("income", "superior_subsidy"),
    "事业收入": ("income", "business"),
    "经营收入": ("income", "operating"),
    "附属单位上缴收入": ("income", "affiliated"),
    "其他收入": ("income", "other"),
    "本年收入合计": ("income_total",),
    "使用非财政拨款结余": ("use_of_non_fiscal_balance",),
    "年初结转和结余": ("beginning_balance",),
    "总计": ("income_grand_total",),
    "收入总计": ("income_grand_total",),
}
T01_EXPENDITURE = {
    "本年支出合计": ("expenditure_total",),
    "结余分配": ("surplus_distribution",),
    "年末结转和结余": ("ending_balance",),
    "总计": ("expenditure_grand_total",),
    "支出总计": ("expenditure_grand_total",),
}
FUNDS = {
    "一般公共预算财政拨款": "general_budget",
    "一般公共预算财政拨款收入": "general_budget",
    "政府性基金预算财政拨款": "government_fund",
    "政府性基金预算财政拨款收入": "government_fund",
    "国有资本经营预算财政拨款": "state_capital",
    "国有资本经营预算财政拨款收入": "state_capital",
}
T04_COLUMNS = {"合计": "total", "小计": "total", "金额": "total", **FUNDS}
T04_INCOME = {"本年收入合计": ("income", "total"), "年初财政拨款结转和结余": ("beginning_balance", "total"),
              "总计": ("income_grand_total",), "收入总计": ("income_grand_total",)}
T04_EXPENDITURE = {"本年支出合计": ("expenditure_total",), "年末财政拨款结转和结余": ("ending_balance",),
                   "总计": ("expenditure_grand_total",), "支出总计": ("expenditure_grand_total",)}

# the 类 of 支出功能分类科目 as printed in 公开01表 and 公开04表 (2024)
FUNCTION_CLASSES = (
    "一般公共服务支出", "外交支出", "国防支出", "公共安全支出", "教育支出", "科学技术支出", "文化旅游体育与传媒支出",
    "社会保障和就业支出", "卫生健康支出", "节能环保支出", "城乡社区支出", "农林水支出", "交通运输支出",
    "资源勘探工业信息等支出", "商业服务业等支出", "金融支出", "援助其他地区支出", "自然资源海洋气象等支出", "住房保障支出",
    "粮油物资储备支出", "国有资本经营预算支出", "灾害防治及应急管理支出", "其他支出", "债务还本支出", "债务付息支出",
    "抗疫特别国债安排的支出",
)


@dataclass
class _Group:
    label: int
    amounts: dict[int, str] = field(default_factory=dict)  # column → field ("amount" for 01)


def _side_groups(t: TableReader, column_labels: dict[str, str]) -> tuple[int, list[_Group]] | None:
    header = t.find_row(lambda texts: sum(1 for x in texts if key(x) == "项目") >= 1 and
                        any(key(x) in column_labels or key(x) == "行次" for x in texts), t.region.start + 1)
    if header is None:
        return None
    texts = [key(v) for v in t.region.row(header)]
    starts = [c for c, x in enumerate(texts) if x == "项目"]
    groups = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else max(len(texts), start + 1)
        group = _Group(start)
        for c in range(start + 1, end):
            if texts[c] in column_labels:
                group.amounts[c] = column_labels[texts[c]]
        if not group.amounts:  # no header over the amount: the column after 行次
            for c in range(start + 1, end):
                if texts[c] not in ("行次", ""):
                    group.amounts[c] = "total"
                    break
        groups.append(group)
    return header, groups


def _data_rows(t: TableReader, header: int) -> Iterable[int]:
    for r in t.rows(header + 1):
        row = t.region.row(r)
        if not any(v.__class__ is str and ("栏次" in v or "行次" in v or "注" in v or "说明" in v) for v in row):
            yield r  # the common case: a plain data row
            continue
        if t.is_blank_row(r) or t.is_note(r):
            continue
        texts = t.texts(r)
        if "栏次" in texts or sum(1 for x in texts if key(x) == "项目") >= 1 and "行次" in texts:
            continue
        yield r


def read_t01(t: TableReader) -> bool:
    found = _side_groups(t, {"金额": "total", "决算数": "total"})
    if found is None:
        return False
    header, groups = found
    top = header
    while top - 1 > t.region.start and any(key(v) in ("收入", "支出") for v in t.region.row(top - 1)):
        top -= 1
    t.read_meta(top)
    prefix = t.prefix
    expenditure: dict[str, Decimal] = {}
    side = "income"
    for r in _data_rows(t, header):
        for gi, group in enumerate(groups):
            raw = t.region.value(r, group.label)
            label = key(raw)
            amount_col = next(iter(group.amounts), None)
            if len(groups) >= 2:
                side = "income" if gi == 0 else "expenditure"
            elif label in ("支出",) or (label not in T01_INCOME and label.endswith("支出")):
                side = "expenditure"
            if label in ("收入", "支出"):
                continue
            if not label:
                if amount_col is not None and not is_blank(t.region.value(r, amount_col)):
                    t.fail(r, group.label, "这一行有金额，但没有项目名称", expected="项目名称，如“本年收入合计”")
                continue
            if side == "income":
                target = T01_INCOME.get(label)
                if target is None:
                    if amount_col is not None and not is_blank(t.region.value(r, amount_col)):
                        t.fail(r, group.label, f"不认识的收入项目{show(raw)}", soft=True,
                               expected="、".join(k for k in T01_INCOME if k not in ("收入总计",)))
                    continue
                value = t.amount(r, amount_col, prefix + target)
                if value is not None:
                    t.b.put(prefix + target, value)
            else:
                target = T01_EXPENDITURE.get(label)
                if target is not None:
                    value = t.amount(r, amount_col, prefix + target)
                    if value is not None:
                        t.b.put(prefix + target, value)
                    continue
                name = display(raw)
                path = prefix + ("expenditure", name)
                value = t.amount(r, amount_col, path)
                if value is not None:
                    expenditure[name] = value
    if expenditure:
        t.b.put(prefix + ("expenditure",), expenditure)
    t.b.data.setdefault("tables", {}).setdefault(prefix[1], {})
    return True


def read_t04(t: TableReader) -> bool:
    found = _side_groups(t, T04_COLUMNS)
    if found is None:
        return False
    header, groups = found
    top = header
    while top - 1 > t.region.start and any(key(v) in ("收入", "支出") for v in t.region.row(top - 1)):
        top -= 1
    t.read_meta(top)
    prefix = t.prefix
    expenditure: dict[str, dict[str, Decimal]] = {}
    after_beginning = False
    after_ending = False
    for r in _data_rows(t, header):
        for gi, group in enumerate(groups):
            raw = t.region.value(r, group.label)
            label = key(raw)
            filled = {c: f for c, f in group.amounts.items() if not is_blank(t.region.value(r, c))}
            if label in ("收入", "支出"):
                continue
            if not label:
                if filled:
                    t.fail(r, group.label, "这一行有金额，但没有项目名称", expected="项目名称，如“本年收入合计”")
                continue
            income_side = gi == 0 if len(groups) >= 2 else (label in T04_INCOME or label in FUNDS)
            if income_side:
                if label in FUNDS:
                    target = ("beginning_balance" if after_beginning else "income", FUNDS[label])
                elif label in T04_INCOME:
                    target = T04_INCOME[label]
                    if label == "年初财政拨款结转和结余":
                        after_beginning = True
                else:
                    if filled:
                        t.fail(r, group.label, f"不认识的收入项目{show(raw)}", soft=True,
                               expected="、".join(["一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款",
                                                  "本年收入合计", "年初财政拨款结转和结余", "总计"]))
                    continue
                column = next(iter(group.amounts), None)
                value = t.amount(r, column, prefix + target)
                if value is not None:
                    t.b.put(prefix + target, value)
                continue
            if label in FUNDS and after_ending:  # a sub-row of 年末财政拨款结转和结余
                column = next(iter(group.amounts), None)
                path = prefix + ("ending_balance", FUNDS[label])
                value = t.amount(r, column, path)
                if value is not None:
                    t.b.put(path, value)
                continue
            if label in T04_EXPENDITURE:
                base = prefix + T04_EXPENDITURE[label]
                if label == "年末财政拨款结转和结余":
                    after_ending = True
                for c, field_name in group.amounts.items():
                    value = t.amount(r, c, base + (field_name,))
                    if value is not None:
                        t.b.put(base + (field_name,), value)
                continue
            name = display(raw)
            values: dict[str, Decimal] = {}
            for c, field_name in group.amounts.items():
                value = t.amount(r, c, prefix + ("expenditure", name, field_name))
                if value is not None:
                    values[field_name] = value
            if filled:
                t.b.locate(prefix + ("expenditure", name), t.region.addr(r, group.label), raw)
                expenditure[name] = values
    if expenditure:
        t.b.put(prefix + ("expenditure",), expenditure)
    t.b.data.setdefault("tables", {}).setdefault(prefix[1], {})
    return True


# ---------------------------------------------------------------- 06: four groups of 科目代码/科目名称/决算数
# The rows of 公开06表 as printed (2024): four column groups, read down each group.
T06_GROUPS: tuple[tuple[tuple[str, str], ...], ...] = (
    (("301", "工资福利支出"), ("30101", "基本工资"), ("30102", "津贴补贴"), ("30103", "奖金"), ("30106", "伙食补助费"),
     ("30107", "绩效工资"), ("30108", "机关事业单位基本养老保险缴费"), ("30109", "职业年金缴费"),
     ("30110", "职工基本医疗保险缴费"), ("30111", "公务员医疗补助缴费"), ("30112", "其他社会保障缴费"),
     ("30113", "住房公积金"), ("30114", "医疗费"), ("30199", "其他工资福利支出"), ("303", "对个人和家庭的补助"),
     ("30301", "离休费"), ("30302", "退休费"), ("30303", "退职(役)费"), ("30304", "抚恤金"), ("30305", "生活补助"),
     ("30306", "救济费"), ("30307", "医疗费补助"), ("30308", "助学金"), ("30309", "奖励金"),
     ("30310", "个人农业生产补贴"), ("30311", "代缴社会保险费"), ("30399", "其他对个人和家庭的补助")),
    (("302", "商品和服务支出"), ("30201", "办公费"), ("30202", "印刷费"), ("30203", "咨询费"), ("30204", "手续费"),
     ("30205", "水费"), ("30206", "电费"), ("30207", "邮电费"), ("30208", "取暖费"), ("30209", "物业管理费"),
     ("30211", "差旅费"), ("30212", "因公出国（境）费用"), ("30213", "维修(护)费"), ("30214", "租赁费"),
     ("30215", "会议费"), ("30216", "培训费"), ("30217", "公务接待费"), ("30218", "专用材料费"),
     ("30224", "被装购置费"), ("30225", "专用燃料费"), ("30226", "劳务费"), ("30227", "委托业务费"),
     ("30228", "工会经费"), ("30229", "福利费"), ("30231", "公务用车运行维护费"), ("30239", "其他交通费用"),
     ("30240", "税金及附加费用"), ("30299", "其他商品和服务支出")),
    (("307", "债务利息及费用支出"), ("30701", "国内债务付息"), ("30702", "国外债务付息"), ("30703", "国内债务发行费用"),
     ("30704", "国外债务发行费用"), ("309", "资本性支出（基本建设）"), ("30901", "房屋建筑物购建"),
     ("30902", "办公设备购置"), ("30903", "专用设备购置"), ("30905", "基础设施建设"), ("30906", "大型修缮"),
     ("30907", "信息网络及软件购置更新"), ("30908", "物资储备"), ("30913", "公务用车购置"),
     ("30919", "其他交通工具购置"), ("30921", "文物和陈列品购置"), ("30922", "无形资产购置"),
     ("30999", "其他基本建设支出"), ("310", "资本性支出"), ("31001", "房屋建筑物购建"), ("31002", "办公设备购置"),
     ("31003", "专用设备购置"), ("31005", "基础设施建设"), ("31006", "大型修缮"), ("31007", "信息网络及软件购置更新"),
     ("31008", "物资储备"), ("31009", "土地补偿"), ("31010", "安置补助")),
    (("31011", "地上附着物和青苗补偿"), ("31012", "拆迁补偿"), ("31013", "公务用车购置"), ("31019", "其他交通工具购置"),
     ("31021", "文物和陈列品购置"), ("31022", "无形资产购置"), ("31099", "其他资本性支出"),
     ("311", "对企业补助（基本建设）"), ("31101", "资本金注入（基本建设）"), ("31199", "其他对企业补助"),
     ("312", "对企业补助"), ("31201", "资本金注入"), ("31203", "政府投资基金股权投资"), ("31204", "费用补贴"),
     ("31205", "利息补贴"), ("31206", "其他资本性补助"), ("31299", "其他对企业补助"), ("313", "对社会保障基金补助"),
     ("31302", "对社会保险基金补助"), ("31303", "补充全国社会保障基金"), ("31304", "对机关事业单位职业年金的补助"),
     ("399", "其他支出"), ("39907", "国家赔偿费用支出"), ("39908", "对民间非营利组织和群众性自治组织补贴"),
     ("39909", "经常性赠与"), ("39910", "资本性赠与"), ("39999", "其他支出")),
)
T06_NOT_APPLICABLE = ("309", "311")  # 基本建设 classes: printed "——" in a basic-expenditure table
T06_AMOUNT_HEADERS = {"决算数", "金额", "本年支出", "合计"}
T06_TOTALS = {"人员经费合计": "personnel_total", "公用经费合计": "public_total"}


def read_t06(t: TableReader) -> bool:
    header = t.find_row(lambda texts: any(x in CODE_HEADERS for x in texts), t.region.start + 1)
    if header is None:
        return False
    top = header
    while top - 1 > t.region.start and any(key(v) in ("人员经费", "公用经费") for v in t.region.row(top - 1)):
        top -= 1
    t.read_meta(top)
    texts = [key(v) for v in t.region.row(header)]
    starts = [c for c, x in enumerate(texts) if x in CODE_HEADERS]
    groups: list[tuple[int, int | None, int | None]] = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(texts)
        name_col = next((c for c in range(start + 1, end) if texts[c] in NAME_HEADERS), start + 1)
        amount_col = next((c for c in range(start + 1, end) if texts[c] in T06_AMOUNT_HEADERS), None)
        if amount_col is None:
            t.fail(header, start, "找不到“决算数”列", expected="每组“科目代码/科目名称/决算数”")
        groups.append((start, name_col, amount_col))
    prefix = t.prefix
    found: list[tuple[str, str, Decimal, int, int, int, Any, Any]] = []
    for r in t.rows(header + 1):
        row = t.region.row(r)
        if any(v.__class__ is str and ("合计" in v or "科目" in v or "注" in v or "说明" in v) for v in row):
            if t.is_blank_row(r) or t.is_note(r):
                continue
            keys = [key(v) for v in row]
            if any(x in CODE_HEADERS for x in keys):
                continue
        else:
            keys = []
        if any(x in T06_TOTALS for x in keys):
            for c, x in enumerate(keys):
                if x in T06_TOTALS:
                    for c2 in range(c + 1, len(row)):
                        if keys[c2] in T06_TOTALS:
                            break
                        if not is_blank(row[c2]) and keys[c2] != x:
                            path = prefix + (T06_TOTALS[x],)
                            value = t.amount(r, c2, path)
                            if value is not None:
                                t.b.put(path, value)
                            break
            continue
        for code_col, name_col, amount_col in groups:
            code_raw = t.region.value(r, code_col)
            if is_blank(code_raw) or amount_col is None:
                continue
            try:
                code = parse_code(code_raw)
            except CellValueError as exc:
                if is_blank(t.region.value(r, amount_col)):
                    continue
                t.fail(r, code_col, exc.message, expected=exc.expected)
                continue
            raw = t.region.value(r, amount_col)
            if is_blank(raw):
                continue
            try:
                value = parse_amount(raw, t.unit)
            except CellValueError as exc:
                t.b.fail(t.region.addr(r, amount_col), exc.message, expected=exc.expected)
                continue
            if value is None:  # "——"
                continue
            found.append((code or "", t.name_cell(r, name_col, t.region.value(r, name_col)), value, r, code_col, amount_col,
                          code_raw, raw))
    found.sort(key=lambda item: item[0])
    rows = []
    for i, (code, name, value, r, code_col, amount_col, code_raw, raw) in enumerate(found):
        path = prefix + ("rows", i)
        t.b.locate(path, t.region.addr(r, code_col), code_raw)
        t.b.locate(path + ("code",), t.region.addr(r, code_col), code_raw)
        t.b.locate(path + ("amount",), t.region.addr(r, amount_col), raw)
        rows.append({"code": code, "name": name, "amount": value})
    if rows:
        t.b.put(prefix + ("rows",), rows)
    t.b.data.setdefault("tables", {}).setdefault(prefix[1], {})
    return True


# ---------------------------------------------------------------- 09: 预算数 / 决算数
T09_ITEMS = {
    "合计": "total",
    "因公出国费": "overseas",
    "因公出国费用": "overseas",
    "公务用车购置及运行维护费": "vehicle_total",
    "小计": "vehicle_total",
    "公务用车购置费": "vehicle_purchase",
    "公务用车运行维护费": "vehicle_operation",
    "公务接待费": "reception",
}
T09_GROUPS = {"预算数": "budget", "全年预算数": "budget", "预算": "budget", "决算数": "actual", "决算": "actual"}


def read_t09(t: TableReader) -> bool:
    header = t.find_row(lambda texts: any(key(x) in T09_GROUPS and T09_GROUPS[key(x)] == "budget" for x in texts) and
                        any(key(x) in T09_GROUPS and T09_GROUPS[key(x)] == "actual" for x in texts),
                        t.region.start + 1)
    if header is None:
        return False
    t.read_meta(header)
    prefix = t.prefix
    group_cols = {c: T09_GROUPS[key(v)] for c, v in enumerate(t.region.row(header)) if key(v) in T09_GROUPS}
    # horizontal (as printed) when the next rows name the items across; vertical when items run down a column
    item_row = None
    for r in range(header + 1, min(header + 4, t.region.end)):
        if sum(1 for v in t.region.row(r) if key(v) in T09_ITEMS) >= 2:
            item_row = r
            break
    if item_row is not None:
        bottom = item_row
        for r in range(item_row + 1, min(item_row + 3, t.region.end)):
            if any(key(v) in T09_ITEMS for v in t.region.row(r)):
                bottom = r
        headers = t.header_texts(header + 1, bottom)
        width = max(len(t.region.row(r)) for r in range(header, bottom + 1))
        group = None
        columns: dict[int, tuple[str, str]] = {}
        for c in range(width):
            group = group_cols.get(c, group)
            texts = headers.get(c, [])
            item = _match_header(texts, T09_ITEMS) if texts else None
            if group and item:
                columns[c] = (group, item)
        for r in t.rows(bottom + 1):
            if t.is_blank_row(r) or t.is_note(r) or _is_column_numbers(t.texts(r)):
                continue
            for c, (group, item) in columns.items():
                path = prefix + (group, item)
                value = t.amount(r, c, path)
                if value is not None:
                    t.b.put(path, value)
            break
    else:
        label_col = next((c for c, v in enumerate(t.region.row(header)) if key(v) == "项目"), max(0, min(group_cols) - 1))
        for r in t.rows(header + 1):
            if t.is_blank_row(r) or t.is_note(r) or _is_column_numbers(t.texts(r)):
                continue
            raw = t.region.value(r, label_col)
            item = T09_ITEMS.get(key(raw))
            if item is None:
                if any(not is_blank(t.region.value(r, c)) for c in group_cols):
                    t.fail(r, label_col, f"不认识的项目{show(raw)}", soft=True, expected="、".join(TABLE_09_ROWS))
                continue
            for c, group in group_cols.items():
                path = prefix + (group, item)
                value = t.amount(r, c, path)
                if value is not None:
                    t.b.put(path, value)
    t.b.data.setdefault("tables", {}).setdefault(prefix[1], {})
    return True


TABLE_09_ROWS = ("合计", "因公出国（境）费", "公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费", "公务接待费")


# ---------------------------------------------------------------- 10: 统计表
T10_SECTIONS = {"政府采购情况": "procurement", "政府采购": "procurement", "机关运行经费": "admin",
                "国有资产占用情况": "assets", "国有资产占用": "assets"}
T10_ROWS: dict[str, dict[str, tuple[tuple[str, ...], str]]] = {
    "procurement": {
        "合计": (("procurement", "total"), "amount"),
        "政府采购合计": (("procurement", "total"), "amount"),
        "政府采购支出合计": (("procurement", "total"), "amount"),
        "货物": (("procurement", "goods"), "amount"),
        "工程": (("procurement", "works"), "amount"),
        "服务": (("procurement", "services"), "amount"),
        "授予中小企业合同金额": (("#procurement", "sme_amount"), "amount"),
        "授予小微企业合同金额": (("#procurement", "small_micro_amount"), "amount"),
    },
    "admin": {
        "行政单位": (("admin_operating_cost", "administrative"), "amount"),
        "参照公务员法管理事业单位": (("admin_operating_cost", "civil_servant_managed"), "amount"),
    },
    "assets": {
        "车辆数合计": (("vehicles", "total"), "count"),
        "副部级及以上领导用车": (("vehicles", "ministerial"), "count"),
        "主要负责人用车": (("vehicles", "principal"), "count"),
        "机要通信用车": (("vehicles", "confidential"), "count"),
        "应急保障用车": (("vehicles", "emergency"), "count"),
        "执法执勤用车": (("vehicles", "law_enforcement"), "count"),
        "特种专业技术用车": (("vehicles", "special"), "count"),
        "离退休干部服务用车": (("vehicles", "retired_cadres"), "count"),
        "其他用车": (("vehicles", "other"), "count"),
        "单价100万元以上设备": (("equipment_over_1m",), "count"),
    },
}
T10_VALUE_HEADERS = {"统计数", "金额", "数量", "决算数", "本年数"}


def read_t10(t: TableReader) -> bool:
    header = t.find_row(lambda texts: any(key(x) in T10_VALUE_HEADERS for x in texts), t.region.start + 1)
    if header is None:
        return False
    first_section = t.find_row(lambda texts: any(key(x) in T10_SECTIONS for x in texts), t.region.start + 1)
    top = min(header, first_section) if first_section is not None else header
    t.read_meta(top)
    prefix = t.prefix
    texts = [key(v) for v in t.region.row(header)]
    value_col = next(c for c, x in enumerate(texts) if x in T10_VALUE_HEADERS)
    label_col = next((c for c, x in enumerate(texts) if x == "项目"), 0)
    all_rows = {k: v for section in T10_ROWS.values() for k, v in section.items()}
    section = None
    for r in t.rows(top):
        if t.is_blank_row(r) or t.is_note(r):
            continue
        row = t.region.row(r)
        keys = [key(v) for v in row]
        if any(x in T10_VALUE_HEADERS for x in keys) and (label_col >= len(keys) or keys[label_col] in ("项目", "")):
            value_col = next(c for c, x in enumerate(keys) if x in T10_VALUE_HEADERS)
            continue
        raw = t.region.value(r, label_col)
        label = key(raw)
        if not label:
            label = next((x for x in keys if x), "")
            raw = next((v for v in row if not is_blank(v)), raw)
        if label in T10_SECTIONS:
            section = T10_SECTIONS[label]
            continue
        entry = (T10_ROWS.get(section or "", {}).get(label) or all_rows.get(label))
        if entry is None and label.startswith("其中"):
            entry = all_rows.get(label[2:])
        if entry is None:
            if not is_blank(t.region.value(r, value_col)) and r > header:
                t.fail(r, label_col, f"不认识的项目{show(raw)}", soft=True,
                       expected="政府采购（合计、货物、工程、服务）、机关运行经费（行政单位、参照公务员法管理事业单位）、车辆数等")
            continue
        target, kind = entry
        if target[0].startswith("#"):  # a figure outside the tables that some 10表 print
            path = (target[0][1:],) + target[1:]
            value = t.amount(r, value_col, path)
            if value is not None:
                t.b.put(path, value)
            continue
        path = prefix + target
        value = t.amount(r, value_col, path) if kind == "amount" else t.count(r, value_col, path)
        if value is not None:
            t.b.put(path, value)
    t.b.data.setdefault("tables", {}).setdefault(prefix[1], {})
    return True


READERS = {1: read_t01, 2: read_subject_table, 3: read_subject_table, 4: read_t04, 5: read_subject_table,
           6: read_t06, 7: read_subject_table, 8: read_subject_table, 9: read_t09, 10: read_t10}
HEADER_HINTS = {
    1: "“项目/行次/金额”", 2: "“科目代码/科目名称/本年收入合计……”", 3: "“科目代码/科目名称/本年支出合计……”",
    4: "“项目/行次/金额”和“合计/一般公共预算财政拨款……”", 5: "“科目代码/科目名称/小计/基本支出/项目支出”",
    6: "“科目代码/科目名称/决算数”", 7: "“科目代码/科目名称/年初结转和结余……”", 8: "“科目代码/科目名称/合计……”",
    9: "“预算数/决算数”", 10: "“项目/行次/统计数”",
}


# ================================================================ the fields outside the tables
@dataclass(frozen=True)
class Leaf:
    """A field of the figures outside the tables, as one row of a sheet."""

    path: tuple[str, ...]
    kind: str  # amount | count | int | text | choice | decimal
    titles: tuple[str, ...]
    description: str = ""
    choices: tuple[str, ...] = ()
    optional: bool = True
    default: Any = None
    container: str = ""  # "dict" (key is the next path part) or "list" (path part [n])

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


@dataclass(frozen=True)
class GridSpec:
    """A ``dict[科目代码, Model]`` field: a grid with one row per 科目."""

    path: tuple[str, ...]
    titles: tuple[str, ...]
    fields: tuple[Leaf, ...]

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


def _strip_optional(annotation: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return (args[0] if len(args) == 1 else annotation), True
    return annotation, False


def _base(annotation: Any) -> Any:
    if typing.get_origin(annotation) is typing.Annotated:
        return typing.get_args(annotation)[0]
    return annotation


def _kind(annotation: Any) -> tuple[str, tuple[str, ...]]:
    base = _base(annotation)
    if typing.get_origin(base) is typing.Literal:
        return "choice", tuple(str(a) for a in typing.get_args(base))
    if base is Decimal:
        return "amount", ()
    if base is int:
        return "count", ()
    if base is str:
        return "text", ()
    return "", ()


def _model_class(annotation: Any) -> Any:
    from pydantic import BaseModel

    base = _base(annotation)
    if isinstance(base, type) and issubclass(base, BaseModel):
        return base
    return None


def outside_fields() -> tuple[list[Leaf], list[GridSpec]]:
    """Every field of :class:`Figures` outside ``tables``, in model order (leaves and 科目 grids)."""
    from ..model import Figures

    leaves: list[Leaf] = []
    grids: list[GridSpec] = []

    def walk(model: Any, path: tuple[str, ...], titles: tuple[str, ...]) -> None:
        for name, info in model.model_fields.items():
            if not path and name == "tables":
                continue
            part = info.alias if (info.alias and not path) else name
            annotation, optional = _strip_optional(info.annotation)
            title = info.title or name
            sub = _model_class(annotation)
            if sub is not None:
                walk(sub, path + (part,), titles + (title,))
                continue
            base = _base(annotation)
            origin = typing.get_origin(base)
            if origin is dict:
                _, value_type = typing.get_args(base)
                item = _model_class(value_type)
                if item is not None:
                    fields = []
                    for item_name, item_info in item.model_fields.items():
                        item_ann, item_opt = _strip_optional(item_info.annotation)
                        kind, choices = _kind(item_ann)
                        fields.append(Leaf((item_name,), kind or "text", (item_info.title or item_name,),
                                           item_info.description or "", choices, item_opt))
                    grids.append(GridSpec(path + (part,), titles + (title,), tuple(fields)))
                    continue
                kind, choices = _kind(value_type)
                leaves.append(Leaf(path + (part,), kind or "text", titles + (title,), info.description or "",
                                   choices, True, None, "dict"))
                continue
            if origin is list:
                (item_type,) = typing.get_args(base)
                kind, choices = _kind(item_type)
                leaves.append(Leaf(path + (part,), kind or "text", titles + (title,), info.description or "",
                                   choices, True, None, "list"))
                continue
            kind, choices = _kind(annotation)
            if part == "$schema":
                kind = "text"
            default = None if info.is_required() else info.get_default(call_default_factory=True)
            leaves.append(Leaf(path + (part,), kind or "text", titles + (title,), info.description or "",
                               choices, optional or not info.is_required(), default))

    walk(Figures, (), ())
    return leaves, grids


_OUTSIDE_CACHE: dict[str, Any] = {}


def _outside_index() -> tuple[dict[str, Leaf], dict[str, GridSpec]]:
    if "index" not in _OUTSIDE_CACHE:
        leaves, grids = outside_fields()
        _OUTSIDE_CACHE["index"] = ({leaf.dotted: leaf for leaf in leaves}, {g.dotted: g for g in grids})
    return _OUTSIDE_CACHE["index"]


_PATH_LIKE = re.compile(r"^\$?[a-z_][a-z0-9_]*(?:\.[^\s.]+)*$")
_LIST_INDEX = re.compile(r"^(.*)\[(\d+)\]$")


def resolve_path(text: str) -> tuple[Leaf, tuple] | None:
    """``general_budget.prior_year`` / ``performance.grades.优`` / ``performance.systems[2]`` /
    ``general_budget.functions.208.uses`` → (leaf, data path) or ``None``."""
    leaves, grids = _outside_index()
    text = text.strip()
    index = None
    match = _LIST_INDEX.match(text)
    if match:
        text, index = match.group(1), int(match.group(2))
    if text in leaves:
        leaf = leaves[text]
        if leaf.container == "list" and index is not None:
            return leaf, leaf.path + (index,)
        if leaf.container == "":
            return leaf, leaf.path
        return None
    parts = text.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        head = ".".join(parts[:cut])
        if head in leaves and leaves[head].container == "dict" and cut == len(parts) - 1:
            return leaves[head], leaves[head].path + (parts[-1],)
        if head in grids and cut == len(parts) - 2:
            grid = grids[head]
            for item in grid.fields:
                if item.path[0] == parts[-1]:
                    code = parts[-2]
                    return item, grid.path + (code, parts[-1])
    return None


def _path_choices() -> list[str]:
    leaves, grids = _outside_index()
    return list(leaves) + list(grids)


def outside_value(leaf: Leaf, raw: Any) -> Any:
    """A cell value for a field outside the tables, as plain data the model accepts."""
    if raw.__class__ is CellError:
        raise raw.problem()
    if raw.__class__ is str and raw.strip() in ERROR_CODES:
        raise cell_error(raw.strip())
    if leaf.kind in ("amount",):
        if isinstance(raw, float):
            return float_to_decimal(raw)
        if isinstance(raw, str):
            return raw.strip()
        return raw
    if leaf.kind == "count":
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        if isinstance(raw, str) and raw.strip().isdigit():
            return int(raw.strip())
        return raw
    if leaf.kind in ("text", "choice"):
        if isinstance(raw, float):
            return str(int(raw)) if raw.is_integer() else repr(raw)
        if isinstance(raw, (_dt.datetime, _dt.date)):
            return raw.isoformat()
        if isinstance(raw, str):
            return raw
        return raw if isinstance(raw, (int, Decimal)) else str(raw)
    return raw


_VALUE_HEADERS = {"填写内容", "内容", "数值", "金额", "值", "填报数", "填写"}


def read_outside(block: Block, b: Builder) -> None:
    """Rows naming their field in a ``字段`` column, and 科目 grids keyed by a dict path."""
    leaves, grids = _outside_index()
    mode = None
    path_col = value_col = 0
    grid: GridSpec | None = None
    grid_cols: dict[int, Leaf] = {}
    code_col = 0
    lists: dict[tuple, list[tuple[int, Any, str]]] = {}
    for r, row in enumerate(block.rows):
        special = False
        for v in row:
            if v.__class__ is str and v and ("字段" in v or ("." in v and v.strip() in grids) or
                                             ("表" in v and identify_title(v) is not None)):
                special = True
                break
        if not special and mode is None:
            continue  # nothing here for this reader (a table row, before any 字段 header)
        if special:
            texts = [norm(v) if isinstance(v, str) else "" for v in row]
            if "字段" in texts:
                path_col = texts.index("字段")
                value_col = next((c for c, x in enumerate(texts) if x in _VALUE_HEADERS),
                                 path_col - 1 if path_col else 1)
                mode = "kv"
                continue
            spec = None
            for c, text in enumerate(texts):
                if text in grids and sum(1 for x in texts if x and x != text) >= 1:
                    spec = (c, grids[text])
                    break
            if spec is not None:
                code_col, grid = spec
                names = {leaf.path[0]: leaf for leaf in grid.fields}
                grid_cols = {c: names[x] for c, x in enumerate(texts) if x in names}
                mode = "grid"
                continue
            if any(identify_title(v) is not None for v in row if isinstance(v, str)):
                mode = None
                continue
        if mode == "kv":
            raw_path = row[path_col] if path_col < len(row) else None
            if not isinstance(raw_path, str) or not raw_path.strip():
                continue
            text = raw_path.strip()
            if not _PATH_LIKE.match(text) and not _LIST_INDEX.match(text):
                continue
            raw = row[value_col] if value_col < len(row) else None
            resolved = resolve_path(text)
            if resolved is None:
                close = difflib.get_close_matches(text, _path_choices(), n=1, cutoff=0.6)
                b.fail(block.address(r, path_col), f"不认识的字段{show(text)}",
                       expected=f"是否想写“{close[0]}”？" if close else "本工作簿“字段”列中的名称（勿修改）")
                continue
            if is_blank(raw):
                continue
            leaf, data_path = resolved
            _put_outside(b, leaf, data_path, raw, Where(block, r, value_col), lists)
        elif mode == "grid" and grid is not None:
            raw_code = row[code_col] if code_col < len(row) else None
            others = [c for c in grid_cols if c < len(row) and not is_blank(row[c])]
            if is_blank(raw_code):
                if others:
                    b.fail(block.address(r, code_col), "这一行填了内容，但没有科目代码", expected="科目代码，如 208")
                continue
            try:
                code = parse_code(raw_code)
            except CellValueError as exc:
                if not others or norm(raw_code) in CODE_HEADERS:
                    continue  # a heading row
                b.fail(block.address(r, code_col), exc.message, expected=exc.expected)
                continue
            base = grid.path + (code,)
            existing = b.get(base)
            if existing is None:
                b.put(base, {}, Where(block, r, code_col), raw_code)
            for c, leaf in grid_cols.items():
                raw = row[c] if c < len(row) else None
                if is_blank(raw):
                    continue
                _put_outside(b, leaf, base + leaf.path, raw, Where(block, r, c), lists)
    for path, items in lists.items():
        items.sort(key=lambda item: item[0])
        b.put(path, [value for _, value, _ in items])
        for i, (_, _, addr) in enumerate(items):
            b.locate(path + (i,), addr)


def _put_outside(b: Builder, leaf: Leaf, path: tuple, raw: Any, addr: Any,
                 lists: dict[tuple, list[tuple[int, Any, str]]]) -> None:
    try:
        value = outside_value(leaf, raw)
    except CellValueError as exc:
        b.fail(addr, exc.message, expected=exc.expected, field_path=dotted(path))
        return
    if leaf.container == "list":
        lists.setdefault(path[:-1], []).append((path[-1], value, addr))
        return
    if b.get(path) is not None and path in b.cells and b.cells[path][0] != addr:
        if b.get(path) == value:
            return
        b.fail(addr, f"字段 {dotted(path)} 重复填写", found=raw, expected=f"只在一处填写（已在 {b.cells[path][0]} 填写）")
        return
    b.put(path, value, addr, raw)


# ================================================================ whole documents
def _other_sheets_holding(n: int, done: Region, candidates: Sequence[Region], source: str, strict: bool) -> list[Region]:
    """Regions of table ``n`` on other sheets than ``done``'s that read as the table too (one per sheet)."""
    found: dict[int, Region] = {}
    for region in candidates:
        block = region.block
        if block is done.block or block.kind != "sheet" or id(block) in found:
            continue
        if READERS[n](TableReader(region, Builder(source), strict)):
            found[id(block)] = region
    return list(found.values())


def _hidden_holding(n: int, hidden: dict[int, list[Region]], source: str) -> Region | None:
    for region in hidden.get(n, []):
        if READERS[n](TableReader(region, Builder(source), False)):
            return region
    return None


def read_tables(blocks: Sequence[Block], b: Builder, only: Iterable[int] | None = None, strict: bool = True,
                hidden: Sequence[Block] = ()) -> dict:
    """Find and read the tables into ``b``; returns {"name": (text, addr), "year": (int, addr)} found in headers.

    A table found on two sheets is refused naming both; a table found only on a ``hidden``
    sheet is reported as hidden (rather than not found)."""
    regions, seen = find_regions(blocks)
    hidden_regions = find_regions(hidden)[0] if hidden else {}
    wanted = sorted(set(only) if only is not None else TABLE_TITLES)
    meta: dict[str, Any] = {}
    missing = []
    for n in wanted:
        candidates = regions.get(n, [])
        done = None
        for region in candidates:
            reader = TableReader(region, b, strict)
            if READERS[n](reader):
                done = reader
                break
        if done is None:
            in_hidden = _hidden_holding(n, hidden_regions, b.source)
            if in_hidden is not None:
                b.fail(in_hidden.addr(in_hidden.start, 0),
                       f"{full_label(n)}在隐藏的工作表“{in_hidden.block.name}”中，未读取",
                       expected="在 Excel 或 WPS 中右击工作表标签→“取消隐藏”后保存再试（隐藏的工作表常是旧数据，请先核对）")
            elif candidates:
                region = candidates[0]
                b.fail(region.addr(region.start, 0),
                       f"找到了{full_label(n)}的标题，但其后没有表头",
                       expected=f"标题之后是表头{HEADER_HINTS[n]}")
            else:
                missing.append(n)
            continue
        if len(candidates) > 1:
            for other in _other_sheets_holding(n, done.region, candidates, b.source, strict):
                b.fail(other.addr(other.start, 0),
                       f"{full_label(n)}在工作表“{done.region.block.name}”和“{other.block.name}”中各有一份，不知该用哪一份",
                       expected="只保留一份：删除另一张工作表，或删去其中的表格标题")
        b.locate(done.prefix, done.region.addr(done.region.start, 0))
        region = done.region
        if region.block.kind == "sheet" and region.end == len(region.block.rows) and \
                all(is_blank(v) for row in region.block.rows[:region.start] for v in row):
            b.whole_tables.add(id(region.block))
        if done.name and "name" not in meta:
            meta["name"] = done.name
        if done.year:
            if "year" not in meta:
                meta["year"] = done.year + (n,)
            elif done.year[0] != meta["year"][0]:
                first = meta["year"]
                b.fail(done.year[1], f"{table_label(n)}是 {done.year[0]} 年度的，而{table_label(first[2])}是 {first[0]} 年度的",
                       expected="十张表为同一年度")
    if missing:
        found_tables: dict[int, str] = {}
        unknown: list[str] = []
        for n, text, addr in seen:
            if n is None:
                unknown.append(f"“{text}”（{addr}）")
            elif n not in found_tables:
                found_tables[n] = f"{table_label(n)}（{addr}）"
        found_text = "找到的表：" + ("、".join(found_tables[n] for n in sorted(found_tables)) if found_tables else "无")
        if unknown:
            found_text += "；未认出的标题：" + "、".join(unknown[:10])
        names = "、".join(full_label(n) for n in missing)
        b.problems.append(CellProblem(
            f"找不到{names}。{found_text}",
            expected="每张表前有标题（如“收入支出决算总表”）或表号（如“公开01表”）；本表无数据时也请保留标题和表头",
        ))
    return meta


def figures_from_blocks(blocks: Sequence[Block], source: str, kind: str = "Excel 工作簿",
                        hidden: Sequence[Block] = ()) -> Any:
    """Read the ten tables and the sheets beside them from ``blocks`` → validated :class:`Figures`
    (``hidden``: the hidden sheets, looked at only to say that a table missing is on one of them)."""
    b = Builder(source)
    meta = read_tables(blocks, b, hidden=hidden)
    for block in blocks:
        if id(block) not in b.whole_tables:
            read_outside(block, b)
    unit = b.data.setdefault("unit", {})
    if "name" not in unit and "name" in meta:
        b.put(("unit", "name"), meta["name"][0], meta["name"][1], meta["name"][0])
    if "year" not in unit and "year" in meta:
        b.put(("unit", "year"), meta["year"][0], meta["year"][1], meta["year"][0])
    if "name" not in unit:
        b.problems.append(CellProblem("找不到单位名称", field="unit.name",
                                      expected="在表头写“部门名称：……”，或在“单位信息”表中填写单位名称"))
    if "year" not in unit:
        b.problems.append(CellProblem("找不到决算年度", field="unit.year",
                                      expected="在表头写“2024年度”，或在“单位信息”表中填写决算年度"))
    return validate(b)


def validate(b: Builder) -> Any:
    """The builder's data → :class:`Figures`; every problem reported at its cell."""
    from pydantic import ValidationError

    from ..model import Figures

    try:
        figures = Figures.model_validate(b.data)
    except ValidationError as exc:
        # with problems already found (a cell that is not a number …), what is missing follows from them
        errors = [e for e in exc.errors() if not (b.problems and e["type"] == "missing")]
        raise FiguresError(b.source, list(b.problems) + [map_error(err, b) for err in errors]) from None
    if b.problems:
        raise FiguresError(b.source, list(b.problems))
    return figures


def map_error(err: dict, b: Builder) -> Problem:
    """A pydantic error → a problem at the cell its value came from (or the field path)."""
    from .text import _problem, names_what_it_found

    problem = _problem(err, {})
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith(("function-", "json-or-python"))))
    for n in range(len(loc), 0, -1):
        if loc[:n] in b.cells:
            addr, raw = b.cells[loc[:n]]
            said = names_what_it_found(problem.message)
            found = show(raw) if raw is not None and n == len(loc) and not said else ""
            return CellProblem(problem.message, path=str(addr), found=found, expected=problem.expected, field=problem.path)
    return CellProblem(problem.message, path="", found=problem.found, expected=problem.expected, field=problem.path)

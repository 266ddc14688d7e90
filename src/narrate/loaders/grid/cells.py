"""Cells: the :class:`Block` a reader hands over, cell addresses, and parsing one cell.

A :class:`Block` is rows of cell values in reading order with a way to name each
cell (``公开05表!C12`` in a workbook, ``第5个表格（公开05表）第12行第3列`` in a Word
document).  The parsers here turn one cell into data: :func:`parse_amount`
(万元, or 元 converted with ROUND_HALF_UP), :func:`parse_count`, :func:`parse_code`
(科目代码); blank, ``——`` and ``-`` are empty, a float is read through its
shortest text, and an Excel error cell (:class:`CellError`) is refused at its
cell.  :func:`norm`, :func:`key` and :func:`display` give a label's text for
matching, for lookups and as printed.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
import re
import typing
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Sequence

from ...errors import Problem


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


AMOUNT_TEXT = re.compile(r"-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?")
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
        if not AMOUNT_TEXT.fullmatch(text):
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

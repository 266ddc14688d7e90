"""Reading one table's region: its cells, its 部门名称/年度/金额单位 lines and its header columns.

Columns are found by their header text, never by fixed addresses, so merged
header cells, extra blank columns and re-ordered columns are all fine.  Each
table shape has its reader (a function taking a :class:`TableReader`) in the
modules beside this one.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any, Iterable

from ..builder import Builder, dotted
from ..cells import CellError, CellValueError, Where, display, is_blank, key, norm, parse_amount, parse_count
from ..locate import Region

_META_SPLIT = re.compile(r"\s{2,}|\d{4}\s*年度|(?:金额)?单位\s*[:：]")


_FOOTER = re.compile(r"^[\u4e00-\u9fff（）()、]{1,12}[：:]")
"""A signature or contact line's start: "单位负责人：", "财务负责人:", "联系电话："."""


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
        """A note under the table ("注：…", "说明：…") or a signature/contact line ("单位负责人：张三",
        "制表人：李四  填报日期：…": a short label and a colon, and no number in the row)."""
        values = [v for v in self.region.row(r) if not is_blank(v)]
        if not values:
            return False
        text = norm(values[0])
        if (text.startswith("注") and not text.startswith("注册")) or text.startswith(("说明", "备注")):
            return True
        return bool(_FOOTER.match(text)) and not any(isinstance(v, (int, float)) for v in values)

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


def match_header(texts: list[str], labels: dict[str, str]) -> str | None:
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


def is_column_numbers(texts: list[str]) -> bool:
    """A 栏次 row: its filled cells are 1, 2, 3 … (or it says 栏次)."""
    filled = [t for t in texts if t]
    if any(t == "栏次" for t in filled):
        return True
    if len(filled) < 3 or not all(t.isdigit() for t in filled):
        return False
    numbers = [int(t) for t in filled]
    return numbers == list(range(numbers[0], numbers[0] + len(numbers))) and numbers[0] <= 1

"""Finding the ten tables in grids: by title (``收入支出决算总表``) or number (``公开01表``).

:func:`find_regions` marks where each table starts (its title or number in a
cell or paragraph) and where it ends (the next title, the sheets of 表外数据 with
their ``字段`` header, a ``第三部分`` heading, or the end of the sheet).  A sheet
named after a table with no title inside is that table; a title found where no
table follows (a 目录 line) is passed over later, when no header is found.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, Sequence

from .cells import Block, Where, norm, strip_ordinal

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

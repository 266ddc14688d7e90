"""Whole grids → :class:`Figures`: find each table, read it with its reader, then the 表外数据."""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from .builder import Builder, validate
from .cells import Block, CellProblem, is_blank
from .extra import read_outside
from .locate import TABLE_TITLES, Region, find_regions, full_label, table_label
from .tables import HEADER_HINTS, READERS, TableReader


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
        meta["missing"] = (missing, found_text)  # reported by report_missing, which knows the layout
    return meta


def report_missing(meta: dict[str, Any], b: Builder, absent: frozenset[str] = frozenset()) -> None:
    """The tables :func:`read_tables` did not find, as one problem — less those the layout does not publish."""
    missing, found_text = meta.get("missing", ([], ""))
    missing = [n for n in missing if f"t{n:02d}" not in absent]
    if missing:
        names = "、".join(full_label(n) for n in missing)
        b.problems.append(CellProblem(
            f"找不到{names}。{found_text}",
            expected="每张表前有标题（如“收入支出决算总表”）或表号（如“公开01表”）；本表无数据时也请保留标题和表头",
        ))


def figures_from_blocks(blocks: Sequence[Block], source: str, kind: str = "Excel 工作簿",
                        hidden: Sequence[Block] = (), located: bool = False, profile: str | None = None) -> Any:
    """Read the ten tables and the sheets beside them from ``blocks`` → validated :class:`Figures`
    (``hidden``: the hidden sheets, looked at only to say that a table missing is on one of them;
    ``located``: return a :class:`~narrate.loaders.located.Located`, the figures with their cells;
    ``profile``: the layout, else the one the figures name — a table it does not publish
    (``tables.absent``, e.g. 公开10表 in a nine-table layout) may be missing)."""
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
    if "missing" in meta:  # a nine-table layout publishes no 公开10表
        report_missing(meta, b, absent_tables(profile or b.data.get("profile")))
    blank = {key: str(b.blanks[("unit", key)]) for key in ("name", "year") if ("unit", key) in b.blanks}
    if "name" not in unit:  # named at the blank cell of 单位信息, when there is one
        b.problems.append(CellProblem("找不到单位名称", path=blank.get("name", ""), field="unit.name",
                                      expected="在表头写“部门名称：……”，或在“单位信息”表中填写单位名称"))
    if "year" not in unit:
        b.problems.append(CellProblem("找不到决算年度", path=blank.get("year", ""), field="unit.year",
                                      expected="在表头写“2024年度”，或在“单位信息”表中填写决算年度"))
    return validate(b, located)


def absent_tables(profile: object) -> frozenset[str]:
    """The tables a layout does not publish (:func:`narrate.rendering.absent_tables`); none for an unknown
    layout (reading reports the tables it misses; the layout's own error comes when it is used)."""
    from ...errors import TemplateError
    from ...rendering import absent_tables as of_layout

    try:
        return of_layout(str(profile) if profile else None)
    except TemplateError:
        return frozenset()

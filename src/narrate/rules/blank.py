"""Blank tables: a table the layout needs that holds no figure at all; figures put where the layout
does not take them (公开10表 in a nine-table layout, or its 表外数据 stand-ins in a ten-table one).

An empty workbook (only 单位名称 and 年度 filled in) must not pass ``check`` and render a chapter of
"0万元".  The profile names the tables that must hold data (``tables_with_data``, by default
公开01表–06表); a unit that truly has no such 收支 says so in ``unit.empty_tables`` (e.g. a unit
without 财政拨款 states 公开04表–06表), and then a table stated empty must indeed be blank.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterable, Iterator

from pydantic import BaseModel

from ..model import T10_STAND_INS, Figures, Tables, stand_ins_given
from .engine import Finding

BLANK = "空表"
MISPLACED = "填错位置"


def _figures_in(value: Any) -> Iterator[Decimal | int]:
    """Every non-zero amount or count inside a table (rows, columns, nested records)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return
    if isinstance(value, (Decimal, int)):
        if value:
            yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _figures_in(getattr(value, name))
    elif isinstance(value, dict):
        for item in value.values():
            yield from _figures_in(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _figures_in(item)


def has_data(table: Any) -> bool:
    return next(_figures_in(table), None) is not None


def title(key: str) -> str:
    return Tables.model_fields[key].title or key


def blank_table_findings(figures: Figures, tables_with_data: Iterable[str]) -> list[Finding]:
    stated = set(figures.unit.empty_table_keys)
    out: list[Finding] = []
    for key in tables_with_data:
        if key not in stated and not has_data(getattr(figures.tables, key)):
            name = title(key)
            out.append(Finding(BLANK, "error", BLANK,
                               f"{name} 没有数据（每个金额都是空白或 0）：请按印发的公开表填写；若本单位本年度确无此项收支，"
                               f"在 unit.empty_tables（工作簿“单位信息”中的“本年度无数据的公开表”）写明“{name.split()[0]}”"))
    for key in sorted(stated):
        if has_data(getattr(figures.tables, key)):
            name = title(key)
            out.append(Finding(BLANK, "error", BLANK,
                               f"unit.empty_tables 写明{name.split()[0]}本年度无数据，但{name} 中有数据：请删去该表号，或核对该表"))
    return out


def absent_table_findings(figures: Figures, absent_tables: Iterable[str]) -> list[Finding]:
    """An error for each figure the layout would silently ignore: 公开10表 filled in a layout
    without it, or the 表外数据 that stands in for it filled in a layout with it."""
    if "t10" in absent_tables:
        if not has_data(figures.tables.t10):
            return []
        return [Finding(MISPLACED, "error", MISPLACED,
                        "本版式不公开这张表（tables.absent 含 t10），tables.t10 中的数不会用到：机关运行经费、政府采购、"
                        f"车辆和设备请按正文所写填在表外数据（{'、'.join(T10_STAND_INS)}）")]
    name = title("t10").split()[0]
    return [Finding(MISPLACED, "error", MISPLACED,
                    f"{path} 只用于没有{name}的版式（tables.absent 含 t10），本版式不会用到：请填在{name}"
                    f"（tables.t10.{T10_STAND_INS[path]}）")
            for path in stand_ins_given(figures)]

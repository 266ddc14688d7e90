"""Blank tables: a table the layout needs that holds no figure at all.

An empty workbook (only 单位名称 and 年度 filled in) must not pass ``check`` and render a chapter of
"0万元".  The profile names the tables that must hold data (``tables_with_data``, by default
公开01表–06表); a unit that truly has no such 收支 says so in ``unit.empty_tables`` (e.g. a unit
without 财政拨款 states 公开04表–06表), and then a table stated empty must indeed be blank.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterable, Iterator

from pydantic import BaseModel

from ..model import Figures, Tables
from .engine import Finding

BLANK = "空表"


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

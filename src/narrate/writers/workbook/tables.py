"""The sheets 公开01表 … 公开10表: title lines, the header as printed (merged cells), 栏次 and the grid."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterable

from ...loaders.grid import FUNCTION_CLASSES, T06_GROUPS, T06_NOT_APPLICABLE, TABLE_TITLES, table_label
from ...rendering import chinese_numeral
from .layout import (
    SUBJECT_HEADS,
    SUBJECT_WIDTHS,
    T01_LEFT,
    T01_LEFT_TAIL,
    T01_RIGHT_TAIL,
    T04_FUND_FIELDS,
    T04_FUND_LABELS,
    T06_WIDTHS,
    T09_COLUMNS,
    T10_LAYOUT,
    TABLE_NOTES,
    TABLE_WIDTHS,
)
from .sheet import Sheet, blank_zero, value_at

ZERO = Decimal(0)


class Context:
    """What every table sheet needs: the figures (or None for the blank template) and the unit cells."""

    def __init__(self, figures: Any | None, unit_cells: dict[str, str]) -> None:
        self.figures = figures
        self.unit_cells = unit_cells

    @property
    def blank(self) -> bool:
        return self.figures is None

    def table(self, n: int) -> Any:
        return getattr(self.figures.tables, f"t{n:02d}") if self.figures is not None else None


def _head(sheet: Sheet, n: int, width: int, ctx: Context) -> int:
    """Title, 公开NN表, 部门名称 / 年度 / 金额单位 — returns the next free row."""
    sheet.table = n
    sheet.set(0, 0, TABLE_TITLES[n], "title")
    sheet.merge(0, 0, 0, width - 1)
    sheet.set(1, width - 1, table_label(n), "tag")
    if ctx.blank:
        name_cell, year_cell = ctx.unit_cells.get("unit.name"), ctx.unit_cells.get("unit.year")
        name: Any = f'="部门名称："&{name_cell}' if name_cell else "部门名称："
        year: Any = f'=IF({year_cell}="","    年度",{year_cell}&"年度")' if year_cell else "    年度"
    else:
        name = f"部门名称：{ctx.figures.unit.name}"
        year = f"{ctx.figures.unit.year}年度"
    middle = max(1, width // 2)
    sheet.set(2, 0, name, "meta")
    if middle > 1:
        sheet.merge(2, 0, 2, middle - 1)
    sheet.set(2, middle, year, "meta_center")
    sheet.set(2, width - 1, "金额单位：万元", "meta_right")
    return 3


def _note(sheet: Sheet, r: int, n: int, width: int, empty: bool = False) -> None:
    sheet.set(r, 0, TABLE_NOTES[n], "note")
    sheet.merge(r, 0, r, width - 1)
    if empty:
        sheet.set(r + 1, 0, "说明：本表无数据", "note")
        sheet.merge(r + 1, 0, r + 1, width - 1)


def _classes(names: Iterable[str]) -> list[str]:
    extra = [name for name in names if name not in FUNCTION_CLASSES]
    return list(FUNCTION_CLASSES) + extra


def t01_sheet(ctx: Context) -> Sheet:
    sheet = Sheet(table_label(1))
    t = ctx.table(1)
    width = 6
    r = _head(sheet, 1, width, ctx)
    top = r
    sheet.set(r, 0, "收入", "head")
    for c in (1, 2):
        sheet.set(r, c, None, "head")
    sheet.merge(r, 0, r, 2)
    sheet.set(r, 3, "支出", "head")
    for c in (4, 5):
        sheet.set(r, c, None, "head")
    sheet.merge(r, 3, r, 5)
    r += 1
    for off in (0, 3):
        for i, text in enumerate(("项目", "行次", "金额")):
            sheet.set(r, off + i, text, "head")
    r += 1
    for off, number in ((0, 1), (3, 2)):
        sheet.set(r, off, "栏次", "head")
        sheet.set(r, off + 1, None, "head")
        sheet.set(r, off + 2, number, "head")
    r += 1
    names = _classes(t.expenditure if t is not None else ())
    right = [(f"{chinese_numeral(i)}、{name}", ("expenditure", name)) for i, name in enumerate(names, start=1)]
    right += list(T01_RIGHT_TAIL)
    left = list(T01_LEFT) + [("", None)] * (len(names) - len(T01_LEFT)) + list(T01_LEFT_TAIL)
    for i, ((l_label, l_path), (r_label, r_path)) in enumerate(zip(left, right)):
        row = r + i
        for off, label, path, number in ((0, l_label, l_path, i + 1), (3, r_label, r_path, len(left) + i + 1)):
            sheet.set(row, off, label, "label")
            sheet.set(row, off + 1, number, "number")
            value = None
            if t is not None and path is not None:
                if path[0] == "expenditure":
                    value = t.expenditure.get(path[1])
                    value = blank_zero(value, keep_zero=True)
                else:
                    value = blank_zero(value_at(t, path))
            sheet.set(row, off + 2, value, "amount" if path is not None else "label",
                      "amount" if path is not None else "")
    end = r + len(left)
    sheet.grid = (top, end)
    _note(sheet, end + 1, 1, width)
    sheet.widths = dict(TABLE_WIDTHS[1])
    sheet.freeze = (r, 0)
    return sheet


def _group_header(sheet: Sheet, r: int, groups: tuple[tuple[str, int], ...]) -> None:
    """A header row of merged groups, e.g. 收入 over 3 columns then 支出 over 6."""
    c = 0
    for text, span in groups:
        sheet.set(r, c, text, "head")
        for extra in range(c + 1, c + span):
            sheet.set(r, extra, None, "head")
        sheet.merge(r, c, r, c + span - 1)
        c += span


def t04_sheet(ctx: Context) -> Sheet:
    sheet = Sheet(table_label(4))
    t = ctx.table(4)
    width = 9
    r = _head(sheet, 4, width, ctx)
    top = r
    _group_header(sheet, r, (("收入", 3), ("支出", 6)))
    r += 1
    for i, text in enumerate(("项目", "行次", "金额", "项目", "行次", "合计") + T04_FUND_LABELS):
        sheet.set(r, i, text, "head")
    r += 1
    for i, text in enumerate(("栏次", None, 1, "栏次", None, 2, 3, 4, 5)):
        sheet.set(r, i, text, "head")
    r += 1
    names = _classes(t.expenditure if t is not None else ())
    left: list[tuple[str, tuple | None]] = [
        (f"{chinese_numeral(i)}、{label}", ("income", f)) for i, (label, f) in
        enumerate(zip(T04_FUND_LABELS, T04_FUND_FIELDS), start=1)
    ]
    left += [("", None)] * (len(names) - 3)
    left += [("本年收入合计", ("income", "total")), ("年初财政拨款结转和结余", ("beginning_balance", "total"))]
    left += [(label, ("beginning_balance", f)) for label, f in zip(T04_FUND_LABELS, T04_FUND_FIELDS)]
    left += [("总计", ("income_grand_total",))]
    right: list[tuple[str, tuple | None]] = [
        (f"{chinese_numeral(i)}、{name}", ("expenditure", name)) for i, name in enumerate(names, start=1)
    ]
    right += [("本年支出合计", ("expenditure_total",)), ("年末财政拨款结转和结余", ("ending_balance",)),
              ("", None), ("", None), ("", None), ("总计", ("expenditure_grand_total",))]
    columns = ("total",) + T04_FUND_FIELDS
    for i, ((l_label, l_path), (r_label, r_path)) in enumerate(zip(left, right)):
        row = r + i
        sheet.set(row, 0, l_label, "label")
        sheet.set(row, 1, i + 1, "number")
        value = blank_zero(value_at(t, l_path)) if (t is not None and l_path) else None
        sheet.set(row, 2, value, "amount" if l_path else "label", "amount" if l_path else "")
        sheet.set(row, 3, r_label, "label")
        sheet.set(row, 4, len(left) + i + 1, "number")
        funds = None
        if t is not None and r_path is not None:
            funds = t.expenditure.get(r_path[1]) if r_path[0] == "expenditure" else value_at(t, r_path)
        values = [getattr(funds, c) if funds is not None else None for c in columns]
        if funds is not None and r_path is not None and r_path[0] == "expenditure" and not any(values):
            values = [ZERO] + [None] * 3  # an entry printed with 0.00: keep it
        else:
            values = [blank_zero(v) for v in values]
        for j, value in enumerate(values):
            sheet.set(row, 5 + j, value, "amount" if r_path else "label", "amount" if r_path else "")
    end = r + len(left)
    sheet.grid = (top, end)
    _note(sheet, end + 1, 4, width)
    sheet.widths = dict(TABLE_WIDTHS[4])
    sheet.freeze = (r, 0)
    return sheet


def subject_sheet(ctx: Context, n: int) -> Sheet:
    sheet = Sheet(table_label(n))
    t = ctx.table(n)
    fields = [f for _, _, fs in SUBJECT_HEADS[n] for f in fs]
    width = 2 + len(fields)
    r = _head(sheet, n, width, ctx)
    top = r
    sheet.set(r, 0, "项目", "head")
    sheet.set(r, 1, None, "head")
    sheet.merge(r, 0, r, 1)
    sheet.set(r + 1, 0, "科目代码", "head")
    sheet.set(r + 1, 1, "科目名称", "head")
    c = 2
    for upper, lower, fs in SUBJECT_HEADS[n]:
        sheet.set(r, c, upper, "head")
        if lower is None:
            sheet.set(r + 1, c, None, "head")
            sheet.merge(r, c, r + 1, c)
        else:
            for j, label in enumerate(lower.split("|")):
                if j:
                    sheet.set(r, c + j, None, "head")
                sheet.set(r + 1, c + j, label, "head")
            sheet.merge(r, c, r, c + len(fs) - 1)
        c += len(fs)
    r += 2
    sheet.set(r, 0, "栏次", "head")
    sheet.set(r, 1, None, "head")
    for j in range(len(fields)):
        sheet.set(r, 2 + j, j + 1, "head")
    r += 1
    sheet.set(r, 0, "合计", "label")
    sheet.set(r, 1, None, "label")
    sheet.merge(r, 0, r, 1)
    for j, f in enumerate(fields):
        value = blank_zero(getattr(t.total, f)) if t is not None else None
        sheet.set(r, 2 + j, value, "amount", "amount")
    r += 1
    data_start = r
    rows = list(t.rows) if t is not None else []
    for item in rows:
        sheet.set(r, 0, item.code, "code")
        sheet.set(r, 1, item.name, "name")
        for j, f in enumerate(fields):
            sheet.set(r, 2 + j, blank_zero(getattr(item, f)), "amount", "amount")
        r += 1
    if ctx.blank:
        for _ in range(40 if n in (2, 3, 5) else 15):
            sheet.set(r, 0, None, "code")
            sheet.set(r, 1, None, "name")
            for j in range(len(fields)):
                sheet.set(r, 2 + j, None, "amount", "amount")
            r += 1
    sheet.grid = (top, r)
    empty = t is not None and not rows and not any(getattr(t.total, f) for f in fields)
    _note(sheet, r + 1, n, width, empty=empty)
    code_width, name_width, amount_width = SUBJECT_WIDTHS
    sheet.widths = {0: code_width, 1: name_width, **{2 + j: amount_width for j in range(len(fields))}}
    sheet.freeze = (data_start - 1, 2)
    return sheet


def t06_sheet(ctx: Context) -> Sheet:
    sheet = Sheet(table_label(6))
    t = ctx.table(6)
    width = 12
    r = _head(sheet, 6, width, ctx)
    top = r
    _group_header(sheet, r, (("人员经费", 3), ("公用经费", 9)))
    r += 1
    for g in range(4):
        for i, text in enumerate(("科目代码", "科目名称", "决算数")):
            sheet.set(r, g * 3 + i, text, "head")
    r += 1
    groups: list[list[tuple[str, str]]] = [list(g) for g in T06_GROUPS]
    given = {row.code: row for row in t.rows} if t is not None else {}
    standard = {code for g in T06_GROUPS for code, _ in g}
    for row in given.values():
        if row.code not in standard:
            cls = row.code[:3]
            g = 0 if cls in ("301", "303") else 1 if cls == "302" else 3
            groups[g].append((row.code, row.name))
    length = max(len(g) for g in groups)
    for i in range(length):
        for g, items in enumerate(groups):
            c = g * 3
            if i >= len(items):
                for j in range(3):
                    sheet.set(r + i, c + j, None, "label")
                continue
            code, name = items[i]
            item = given.get(code)
            sheet.set(r + i, c, code, "label")
            sheet.set(r + i, c + 1, item.name if item is not None else name, "label")
            if item is not None:
                sheet.set(r + i, c + 2, item.amount, "amount", "amount")
            elif code[:3] in T06_NOT_APPLICABLE:
                sheet.set(r + i, c + 2, "——", "na")
            else:
                sheet.set(r + i, c + 2, None, "amount", "amount")
    r += length
    sheet.set(r, 0, "人员经费合计", "label")
    sheet.set(r, 1, None, "label")
    sheet.merge(r, 0, r, 1)
    sheet.set(r, 2, blank_zero(t.personnel_total) if t is not None else None, "amount", "amount")
    sheet.set(r, 3, "公用经费合计", "label")
    for c in range(4, 11):
        sheet.set(r, c, None, "label")
    sheet.merge(r, 3, r, 10)
    sheet.set(r, 11, blank_zero(t.public_total) if t is not None else None, "amount", "amount")
    r += 1
    sheet.grid = (top, r)
    _note(sheet, r + 1, 6, width)
    sheet.widths = {c: T06_WIDTHS[c % 3] for c in range(12)}
    sheet.freeze = (top + 2, 0)
    return sheet


def t09_sheet(ctx: Context) -> Sheet:
    sheet = Sheet(table_label(9))
    t = ctx.table(9)
    width = 12
    r = _head(sheet, 9, width, ctx)
    top = r
    for g, label in enumerate(("预算数", "决算数")):
        c = g * 6
        sheet.set(r, c, label, "head")
        for j in range(1, 6):
            sheet.set(r, c + j, None, "head")
        sheet.merge(r, c, r, c + 5)
        sheet.set(r + 1, c, "合计", "head")
        sheet.set(r + 1, c + 1, "因公出国（境）费", "head")
        sheet.set(r + 1, c + 2, "公务用车购置及运行维护费", "head")
        sheet.set(r + 1, c + 3, None, "head")
        sheet.set(r + 1, c + 4, None, "head")
        sheet.set(r + 1, c + 5, "公务接待费", "head")
        sheet.set(r + 2, c, None, "head")
        sheet.set(r + 2, c + 1, None, "head")
        sheet.set(r + 2, c + 2, "小计", "head")
        sheet.set(r + 2, c + 3, "公务用车购置费", "head")
        sheet.set(r + 2, c + 4, "公务用车运行维护费", "head")
        sheet.set(r + 2, c + 5, None, "head")
        sheet.merge(r + 1, c, r + 2, c)
        sheet.merge(r + 1, c + 1, r + 2, c + 1)
        sheet.merge(r + 1, c + 2, r + 1, c + 4)
        sheet.merge(r + 1, c + 5, r + 2, c + 5)
    for c in range(12):
        sheet.set(r + 3, c, c + 1, "head")
    r += 4
    for g, group in enumerate(("budget", "actual")):
        for j, f in enumerate(T09_COLUMNS):
            value = blank_zero(getattr(getattr(t, group), f)) if t is not None else None
            sheet.set(r, g * 6 + j, value, "amount", "amount")
    r += 1
    sheet.grid = (top, r)
    _note(sheet, r + 1, 9, width)
    sheet.widths = dict(TABLE_WIDTHS[9])
    return sheet


def t10_sheet(ctx: Context) -> Sheet:
    sheet = Sheet(table_label(10))
    t = ctx.table(10)
    width = 3
    r = _head(sheet, 10, width, ctx)
    if not ctx.blank:
        sheet.set(2, 0, f"单位名称：{ctx.figures.unit.name}", "meta")
    top = r
    number = 0
    for label, path, kind in T10_LAYOUT:
        if kind == "section":
            sheet.set(r, 0, label, "head_left")
            sheet.set(r, 1, None, "head_left")
            sheet.set(r, 2, None, "head_left")
            sheet.merge(r, 0, r, 2)
        elif kind == "header":
            for c, text in enumerate(("项目", "行次", "统计数")):
                sheet.set(r, c, text, "head")
        else:
            number += 1
            sheet.set(r, 0, label, "label")
            sheet.set(r, 1, number, "number")
            value = value_at(t, path) if (t is not None and path) else None
            if kind == "amount":
                sheet.set(r, 2, blank_zero(value), "amount", "amount")
            else:
                sheet.set(r, 2, value or None, "count", "count")
        r += 1
    sheet.grid = (top, r)
    _note(sheet, r + 1, 10, width)
    sheet.widths = dict(TABLE_WIDTHS[10])
    return sheet

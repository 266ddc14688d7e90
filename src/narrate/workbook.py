"""The fillable workbook: the ten 公开 tables as printed, plus sheets for what they do not hold.

``narrate template-xlsx`` writes it blank; ``narrate convert figures.yaml -o
figures.xlsx`` writes it filled.  :mod:`narrate.loaders.xlsx` reads it back —
and reads the 决算 software's own exports, since tables are found by title and
header, never by cell address.

Sheets, in order:

* **填表说明** — how to fill the workbook and what to run next;
* **单位信息** — 单位名称, 决算年度, 单位性质 …;
* **公开01表 … 公开10表** — title, 公开NN表, 部门名称 / 年度 / 金额单位：万元, the header as
  printed (merged cells included), 栏次, and the grid: the standard row labels of
  01/04/06/09/10, 科目 rows for 02/03/05/07/08;
* **上年与年初预算**, **原因与用途**, **三公与统计**, **政府采购**, **绩效** — one row
  per item: 项目 (Chinese), 填写内容 (the input), 说明, and 字段 (the field's
  name, which the reader goes by); per-科目 items as grids with one row per
  科目代码.

Input cells are light yellow; amount cells accept only decimals ≥ 0 and show
an input message; counts accept whole numbers; 单位性质 is a list.

The sheet layout is built as plain :class:`Sheet` objects first (values,
styles, merges), then rendered with openpyxl (imported only here).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

from .loaders.grid import (
    FUNCTION_CLASSES,
    T06_GROUPS,
    T06_NOT_APPLICABLE,
    TABLE_TITLES,
    GridSpec,
    Leaf,
    outside_fields,
    table_label,
)

ZERO = Decimal(0)

# ---------------------------------------------------------------- sheets as plain data


@dataclass
class Sheet:
    """One worksheet: cells (0-based row, column) → (value, style), merges, widths, validations."""

    name: str
    cells: dict[tuple[int, int], tuple[Any, str]] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    """Row heights in points, where wrapped text needs more than one line."""
    validations: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    table: int | None = None
    grid: tuple[int, int] = (0, 0)
    """For a table sheet: rows [start, end) of the grid (header to last data row); above it the title lines."""
    freeze: tuple[int, int] | None = None

    def set(self, r: int, c: int, value: Any, style: str = "", validation: str = "") -> None:
        self.cells[(r, c)] = (value, style)
        if validation:
            self.validations.setdefault(validation, []).append((r, c))

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        if (r1, c1) != (r2, c2):
            self.merges.append((r1, c1, r2, c2))

    @property
    def height(self) -> int:
        return max((r for r, _ in self.cells), default=-1) + 1

    @property
    def width(self) -> int:
        return max((c for _, c in self.cells), default=-1) + 1

    def rows(self) -> list[list[Any]]:
        """Cell values as a grid (merged cells: value in the first cell only)."""
        out = [[None] * self.width for _ in range(self.height)]
        for (r, c), (value, _) in self.cells.items():
            out[r][c] = value
        return out


_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 26 → 二十六."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def _amount(value: Decimal | None, keep_zero: bool = False) -> Decimal | None:
    if value is None:
        return None
    if value == 0 and not keep_zero:
        return None
    return value


# ---------------------------------------------------------------- the table sheets
NOTES = {
    1: "注：本表反映部门本年度的总收支和年末结转结余情况。本套报表金额单位转换时可能存在尾数误差。",
    2: "注：本表反映部门本年度取得的各项收入情况。",
    3: "注：本表反映部门本年度各项支出情况。",
    4: "注：本表反映部门本年度一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款的总收支和年末结转结余情况。",
    5: "注：本表反映部门本年度一般公共预算财政拨款支出情况。",
    6: "注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。",
    7: "注：本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况。",
    8: "注：本表反映部门本年度国有资本经营预算财政拨款支出情况。",
    9: "注：本表反映部门本年度“三公”经费支出预决算情况。其中，预算数为“三公”经费全年预算数，反映按规定程序调整后的预算数；"
       "决算数是包括当年财政拨款和以前年度结转资金安排的实际支出。",
    10: "注：本表反映部门本年度政府采购、机关运行经费和国有资产占用情况。",
}


class _Context:
    """What every table sheet needs: the figures (or None for the blank template) and the unit cells."""

    def __init__(self, figures: Any | None, unit_cells: dict[str, str]) -> None:
        self.figures = figures
        self.unit_cells = unit_cells

    @property
    def blank(self) -> bool:
        return self.figures is None

    def table(self, n: int) -> Any:
        return getattr(self.figures.tables, f"t{n:02d}") if self.figures is not None else None


def _head(sheet: Sheet, n: int, width: int, ctx: _Context) -> int:
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
    sheet.set(r, 0, NOTES[n], "note")
    sheet.merge(r, 0, r, width - 1)
    if empty:
        sheet.set(r + 1, 0, "说明：本表无数据", "note")
        sheet.merge(r + 1, 0, r + 1, width - 1)


def _value(obj: Any, path: Iterable[str]) -> Any:
    for part in path:
        obj = getattr(obj, part) if not isinstance(obj, dict) else obj.get(part)
        if obj is None:
            return None
    return obj


T01_LEFT = (
    ("一、一般公共预算财政拨款收入", ("income", "general_budget")),
    ("二、政府性基金预算财政拨款收入", ("income", "government_fund")),
    ("三、国有资本经营预算财政拨款收入", ("income", "state_capital")),
    ("四、上级补助收入", ("income", "superior_subsidy")),
    ("五、事业收入", ("income", "business")),
    ("六、经营收入", ("income", "operating")),
    ("七、附属单位上缴收入", ("income", "affiliated")),
    ("八、其他收入", ("income", "other")),
)
T01_LEFT_TAIL = (
    ("本年收入合计", ("income_total",)),
    ("使用非财政拨款结余（含专用结余）", ("use_of_non_fiscal_balance",)),
    ("年初结转和结余", ("beginning_balance",)),
    ("", None),
    ("总计", ("income_grand_total",)),
)
T01_RIGHT_TAIL = (
    ("本年支出合计", ("expenditure_total",)),
    ("结余分配", ("surplus_distribution",)),
    ("年末结转和结余", ("ending_balance",)),
    ("", None),
    ("总计", ("expenditure_grand_total",)),
)


def _classes(names: Iterable[str]) -> list[str]:
    extra = [name for name in names if name not in FUNCTION_CLASSES]
    return list(FUNCTION_CLASSES) + extra


def _t01(ctx: _Context) -> Sheet:
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
    right = [(f"{chinese_number(i)}、{name}", ("expenditure", name)) for i, name in enumerate(names, start=1)]
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
                    value = _amount(value, keep_zero=True)
                else:
                    value = _amount(_value(t, path))
            sheet.set(row, off + 2, value, "amount" if path is not None else "label",
                      "amount" if path is not None else "")
    end = r + len(left)
    sheet.grid = (top, end)
    _note(sheet, end + 1, 1, width)
    sheet.widths = {0: 34, 1: 6, 2: 14, 3: 34, 4: 6, 5: 14}
    sheet.freeze = (r, 0)
    return sheet


T04_FUND_LABELS = ("一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款")
T04_FUND_FIELDS = ("general_budget", "government_fund", "state_capital")


def _group_header(sheet: Sheet, r: int, groups: tuple[tuple[str, int], ...]) -> None:
    """A header row of merged groups, e.g. 收入 over 3 columns then 支出 over 6."""
    c = 0
    for text, span in groups:
        sheet.set(r, c, text, "head")
        for extra in range(c + 1, c + span):
            sheet.set(r, extra, None, "head")
        sheet.merge(r, c, r, c + span - 1)
        c += span


def _t04(ctx: _Context) -> Sheet:
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
        (f"{chinese_number(i)}、{label}", ("income", f)) for i, (label, f) in
        enumerate(zip(T04_FUND_LABELS, T04_FUND_FIELDS), start=1)
    ]
    left += [("", None)] * (len(names) - 3)
    left += [("本年收入合计", ("income", "total")), ("年初财政拨款结转和结余", ("beginning_balance", "total"))]
    left += [(label, ("beginning_balance", f)) for label, f in zip(T04_FUND_LABELS, T04_FUND_FIELDS)]
    left += [("总计", ("income_grand_total",))]
    right: list[tuple[str, tuple | None]] = [
        (f"{chinese_number(i)}、{name}", ("expenditure", name)) for i, name in enumerate(names, start=1)
    ]
    right += [("本年支出合计", ("expenditure_total",)), ("年末财政拨款结转和结余", ("ending_balance",)),
              ("", None), ("", None), ("", None), ("总计", ("expenditure_grand_total",))]
    columns = ("total",) + T04_FUND_FIELDS
    for i, ((l_label, l_path), (r_label, r_path)) in enumerate(zip(left, right)):
        row = r + i
        sheet.set(row, 0, l_label, "label")
        sheet.set(row, 1, i + 1, "number")
        value = _amount(_value(t, l_path)) if (t is not None and l_path) else None
        sheet.set(row, 2, value, "amount" if l_path else "label", "amount" if l_path else "")
        sheet.set(row, 3, r_label, "label")
        sheet.set(row, 4, len(left) + i + 1, "number")
        funds = None
        if t is not None and r_path is not None:
            funds = t.expenditure.get(r_path[1]) if r_path[0] == "expenditure" else _value(t, r_path)
        values = [getattr(funds, c) if funds is not None else None for c in columns]
        if funds is not None and r_path is not None and r_path[0] == "expenditure" and not any(values):
            values = [ZERO] + [None] * 3  # an entry printed with 0.00: keep it
        else:
            values = [_amount(v) for v in values]
        for j, value in enumerate(values):
            sheet.set(row, 5 + j, value, "amount" if r_path else "label", "amount" if r_path else "")
    end = r + len(left)
    sheet.grid = (top, end)
    _note(sheet, end + 1, 4, width)
    sheet.widths = {0: 30, 1: 6, 2: 14, 3: 30, 4: 6, 5: 14, 6: 16, 7: 16, 8: 16}
    sheet.freeze = (r, 0)
    return sheet


SUBJECT_HEADS: dict[int, tuple[tuple[str, str | None, tuple[str, ...]], ...]] = {
    # (upper label, lower label or None, fields under it)
    2: (("本年收入合计", None, ("total",)), ("财政拨款收入", None, ("fiscal",)), ("上级补助收入", None, ("superior_subsidy",)),
        ("事业收入", None, ("business",)), ("经营收入", None, ("operating",)), ("附属单位上缴收入", None, ("affiliated",)),
        ("其他收入", None, ("other",))),
    3: (("本年支出合计", None, ("total",)), ("基本支出", None, ("basic",)), ("项目支出", None, ("project",)),
        ("上缴上级支出", None, ("to_superior",)), ("经营支出", None, ("operating",)),
        ("对附属单位补助支出", None, ("to_affiliated",))),
    5: (("本年支出", "小计|基本支出|项目支出", ("total", "basic", "project")),),
    7: (("年初结转和结余", None, ("beginning_balance",)), ("本年收入", None, ("income",)),
        ("本年支出", "小计|基本支出|项目支出", ("total", "basic", "project")),
        ("年末结转和结余", None, ("ending_balance",))),
    8: (("本年支出", "合计|基本支出|项目支出", ("total", "basic", "project")),),
}


def _subject(ctx: _Context, n: int) -> Sheet:
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
        value = _amount(getattr(t.total, f)) if t is not None else None
        sheet.set(r, 2 + j, value, "amount", "amount")
    r += 1
    data_start = r
    rows = list(t.rows) if t is not None else []
    for item in rows:
        sheet.set(r, 0, item.code, "code")
        sheet.set(r, 1, item.name, "name")
        for j, f in enumerate(fields):
            sheet.set(r, 2 + j, _amount(getattr(item, f)), "amount", "amount")
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
    sheet.widths = {0: 12, 1: 36, **{2 + j: 14 for j in range(len(fields))}}
    sheet.freeze = (data_start - 1, 2)
    return sheet


def _t06(ctx: _Context) -> Sheet:
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
    sheet.set(r, 2, _amount(t.personnel_total) if t is not None else None, "amount", "amount")
    sheet.set(r, 3, "公用经费合计", "label")
    for c in range(4, 11):
        sheet.set(r, c, None, "label")
    sheet.merge(r, 3, r, 10)
    sheet.set(r, 11, _amount(t.public_total) if t is not None else None, "amount", "amount")
    r += 1
    sheet.grid = (top, r)
    _note(sheet, r + 1, 6, width)
    sheet.widths = {c: (9 if c % 3 == 0 else 24 if c % 3 == 1 else 12) for c in range(12)}
    sheet.freeze = (top + 2, 0)
    return sheet


T09_COLUMNS = ("total", "overseas", "vehicle_total", "vehicle_purchase", "vehicle_operation", "reception")


def _t09(ctx: _Context) -> Sheet:
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
            value = _amount(getattr(getattr(t, group), f)) if t is not None else None
            sheet.set(r, g * 6 + j, value, "amount", "amount")
    r += 1
    sheet.grid = (top, r)
    _note(sheet, r + 1, 9, width)
    sheet.widths = {c: 13 for c in range(12)}
    return sheet


T10_LAYOUT: tuple[tuple[str, tuple[str, ...] | None, str], ...] = (
    ("一、政府采购情况", None, "section"),
    ("项目", None, "header"),
    ("合计", ("procurement", "total"), "amount"),
    ("货物", ("procurement", "goods"), "amount"),
    ("工程", ("procurement", "works"), "amount"),
    ("服务", ("procurement", "services"), "amount"),
    ("二、机关运行经费", None, "section"),
    ("项目", None, "header"),
    ("（一）行政单位", ("admin_operating_cost", "administrative"), "amount"),
    ("（二）参照公务员法管理事业单位", ("admin_operating_cost", "civil_servant_managed"), "amount"),
    ("三、国有资产占用情况", None, "section"),
    ("（一）车辆数合计（辆）", ("vehicles", "total"), "count"),
    ("1．副部（省）级及以上领导用车", ("vehicles", "ministerial"), "count"),
    ("2．主要负责人用车", ("vehicles", "principal"), "count"),
    ("3．机要通信用车", ("vehicles", "confidential"), "count"),
    ("4．应急保障用车", ("vehicles", "emergency"), "count"),
    ("5．执法执勤用车", ("vehicles", "law_enforcement"), "count"),
    ("6．特种专业技术用车", ("vehicles", "special"), "count"),
    ("7．离退休干部服务用车", ("vehicles", "retired_cadres"), "count"),
    ("8．其他用车", ("vehicles", "other"), "count"),
    ("（二）单价100万元（含）以上设备（不含车辆）", ("equipment_over_1m",), "count"),
)


def _t10(ctx: _Context) -> Sheet:
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
            value = _value(t, path) if (t is not None and path) else None
            if kind == "amount":
                sheet.set(r, 2, _amount(value), "amount", "amount")
            else:
                sheet.set(r, 2, value or None, "count", "count")
        r += 1
    sheet.grid = (top, r)
    _note(sheet, r + 1, 10, width)
    sheet.widths = {0: 46, 1: 8, 2: 16}
    return sheet


# ---------------------------------------------------------------- sheets for what the tables do not hold
UNIT_SHEET = "单位信息"
PRIOR_SHEET = "上年与年初预算"
REASONS_SHEET = "原因与用途"
THREE_PUBLIC_SHEET = "三公与统计"
PROCUREMENT_SHEET = "政府采购"
PERFORMANCE_SHEET = "绩效"
OTHER_SHEET = "其他"
NOTE_SHEETS = (UNIT_SHEET, PRIOR_SHEET, REASONS_SHEET, THREE_PUBLIC_SHEET, PROCUREMENT_SHEET, PERFORMANCE_SHEET,
               OTHER_SHEET)
SHEET_INTRO = {
    UNIT_SHEET: "单位名称、决算年度等。公开表表头的“部门名称”“年度”可不填，以本表为准。",
    PRIOR_SHEET: "上年决算数与年初预算数（万元，两位小数）。不填的，正文中相应的比较句不写。"
                 "上年数也可用 narrate render … --prior 上年决算公开.docx 从上年文件自动填入。",
    REASONS_SHEET: "由单位撰写、原样写进正文的文字（增减变化的主要原因、主要用于、主要包括等）。每格写一段，"
                   "只写句子中间的那部分，结尾不要加句号：正文会在前面接上“主要原因是”“用于”等，并在后面加句号。",
    THREE_PUBLIC_SHEET: "“三公”经费的统计数（团组、人次、车辆数、接待批次等）与公务接待明细。",
    PROCUREMENT_SHEET: "政府采购中公开10表之外的金额（授予中小企业、小微企业合同金额等）。",
    PERFORMANCE_SHEET: "预算绩效管理情况：自评项目个数、涉及资金、自评等级等。",
    OTHER_SHEET: "其他表外数据。",
}


def sheet_for(leaf: Leaf) -> str:
    path = leaf.path
    top = path[0]
    if top in ("unit", "profile", "$schema"):
        return UNIT_SHEET
    if top == "performance":
        return PERFORMANCE_SHEET
    if top == "procurement":
        return PROCUREMENT_SHEET
    if top == "three_public" and len(path) > 1 and path[1] == "reception_detail":
        return THREE_PUBLIC_SHEET
    if leaf.kind == "text":
        return REASONS_SHEET
    if any(p in ("prior_year", "budget_initial") or p.startswith("prior_") for p in path):
        return PRIOR_SHEET
    if top == "three_public":
        return THREE_PUBLIC_SHEET
    return OTHER_SHEET


def _profile_hint() -> str:
    """The 版式 cell's hint: the bundled profiles and what each is."""
    import yaml

    from .rendering import templates_root

    names = []
    for folder in sorted((templates_root() / "zh").iterdir()):
        path = folder / "profile.yaml"
        if path.is_file():
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            about = data.get("description")
            names.append(f"{folder.name} —— {about}" if about else folder.name)
    return ("填版式名，内置的有：" + "；".join(names) + "。也可写自己的版式文件夹（含 profile.yaml）的路径。"
            "不填即用 default；命令行的 --profile 优先于本格")


def _hint(leaf: Leaf) -> str:
    if leaf.path == ("unit", "year"):
        return "四位年份，如 2024"
    if leaf.path == ("profile",):
        return _profile_hint()
    if leaf.path[-1] == "average_score":
        return "分数，如 92.50；不填则不写相应句子"
    if leaf.kind == "choice":
        return "可选：" + "、".join(leaf.choices)
    if leaf.kind == "amount":
        return "万元，两位小数" + ("；不填则不写相应句子，为零请填 0" if leaf.default is None else "")
    if leaf.kind == "count":
        if leaf.container == "dict":
            return "个数（整数）；可增加其他等级的行，字段写成 " + leaf.dotted + ".等级名"
        return "整数" + ("；不填即为 0" if leaf.default == 0 else "；不填则不写相应句子")
    text = leaf.description or ""
    if leaf.container == "list":
        return "每行一项" + (f"，{text}" if text else "")
    if isinstance(leaf.default, str) and leaf.default:
        return (text + "；" if text else "") + f"不填即为“{leaf.default}”"
    if not leaf.optional:
        return (text + "；" if text else "") + "必填"
    if text.startswith("不填"):  # the description says itself what happens when it is left blank
        return "一段文字，结尾不加句号；" + text
    return (text + "；" if text else "") + "一段文字，结尾不加句号；不填则不写这句"


def _validation(leaf: Leaf) -> str:
    if leaf.path[-1] == "average_score":
        return "score"
    if leaf.kind == "amount":
        return "given_amount"
    if leaf.kind == "count":
        return "year" if leaf.path == ("unit", "year") else "count"
    if leaf.kind == "choice":
        return "choice:" + ",".join(leaf.choices)
    return ""


def _input_style(leaf: Leaf) -> str:
    return {"amount": "amount", "count": "count", "choice": "name"}.get(leaf.kind, "text")


def _leaf_rows(leaf: Leaf, figures: Any | None) -> list[tuple[str, str, Any]]:
    """(字段, 项目, value) rows for a leaf: one, or one per dict key / list item."""
    title = " · ".join(leaf.titles[1:]) if len(leaf.titles) > 1 else leaf.titles[0]
    value = _value(figures, _attr_path(leaf.path)) if figures is not None else None
    if leaf.container == "dict":
        keys = list(value) if value else (["优", "良", "中", "差"] if leaf.path[-1] == "grades" else [])
        return [(f"{leaf.dotted}.{k}", f"{title} · {k}", (value or {}).get(k)) for k in keys]
    if leaf.container == "list":
        items = list(value or [])
        count = len(items) + (3 if figures is None else 2)
        return [(f"{leaf.dotted}[{i + 1}]", f"{title} {i + 1}", items[i] if i < len(items) else None)
                for i in range(count)]
    if figures is None:
        if leaf.path == ("$schema",):
            return []
        default = leaf.default if (isinstance(leaf.default, str) and leaf.default) else None
        return [(leaf.dotted, title, default)]
    if leaf.path == ("$schema",) and value is None:
        return []
    return [(leaf.dotted, title, value)]


def _attr_path(path: tuple[str, ...]) -> tuple[str, ...]:
    return tuple("schema_ref" if p == "$schema" else p for p in path)


def _notes_sheets(figures: Any | None) -> tuple[dict[str, Sheet], dict[str, str]]:
    leaves, grids = outside_fields()
    sheets: dict[str, Sheet] = {}
    cursor: dict[str, int] = {}
    last_section: dict[str, str] = {}
    addresses: dict[str, str] = {}

    def sheet(name: str) -> Sheet:
        if name not in sheets:
            s = Sheet(name)
            s.set(0, 0, name, "title_left")
            s.merge(0, 0, 0, 3)
            s.set(1, 0, SHEET_INTRO[name], "intro")
            s.merge(1, 0, 1, 3)
            for c, text in enumerate(("项目", "填写内容", "说明", "字段")):
                s.set(2, c, text, "head")
            s.widths = {0: 44, 1: 44, 2: 40, 3: 40}
            lines = _lines(SHEET_INTRO[name], sum(s.widths.values()))
            if lines > 1:
                s.heights[1] = 15 * lines
            s.freeze = (3, 0)
            sheets[name] = s
            cursor[name] = 3
        return sheets[name]

    for leaf in leaves:
        name = sheet_for(leaf)
        rows = _leaf_rows(leaf, figures)
        if not rows:
            continue
        s = sheet(name)
        r = cursor[name]
        section = leaf.titles[0]
        if len(leaf.titles) > 1 and last_section.get(name) != section:
            # "一、收入支出总计：上年数与原因" holds 上年数 on one sheet and 原因 on the other
            s.set(r, 0, section.removesuffix("：上年数与原因"), "section")
            s.merge(r, 0, r, 3)
            r += 1
            last_section[name] = section
        for path, title, value in rows:
            s.set(r, 0, title, "label")
            if isinstance(value, bool):
                value = str(value)
            s.set(r, 1, value, _input_style(leaf), _validation(leaf))
            hint = _hint(leaf)
            s.set(r, 2, hint, "hint")
            s.set(r, 3, path, "field")
            lines = max(_lines(title, s.widths[0]), _lines(hint, s.widths[2] * 11 / 9))  # hints are 9 pt
            if lines > 1:
                s.heights[r] = 15 * lines
            addresses[path] = f"'{name}'!$B${r + 1}"
            r += 1
        cursor[name] = r

    for grid in grids:
        functions = _value(figures, grid.path) if figures is not None else None
        codes = list(functions or {})
        parts = [
            (PRIOR_SHEET, [f for f in grid.fields if f.kind != "text" or f.path == ("name",)]),
            (REASONS_SHEET, [f for f in grid.fields if f.kind == "text"]),
        ]
        for name, fields in parts:
            if len(fields) <= 1 and any(f.path == ("name",) for f in fields):
                continue
            s = sheet(name)
            r = cursor[name] + 1
            s.set(r, 0, _grid_title(grid, name), "section")
            s.merge(r, 0, r, max(3, len(fields)))
            r += 1
            s.set(r, 0, "科目代码", "head")
            for j, f in enumerate(fields):
                s.set(r, 1 + j, _grid_head(grid, f), "head")
            r += 1
            s.set(r, 0, grid.dotted, "field")
            for j, f in enumerate(fields):
                s.set(r, 1 + j, f.path[0], "field")
            r += 1
            for code in codes:
                notes = functions[code]
                s.set(r, 0, code, "code")
                for j, f in enumerate(fields):
                    value = getattr(notes, f.path[0])
                    s.set(r, 1 + j, value, _input_style(f), _validation(f))
                r += 1
            for _ in range(30 if figures is None and grid.path[0] == "general_budget" else
                           10 if figures is None else 3):
                s.set(r, 0, None, "code")
                for j, f in enumerate(fields):
                    s.set(r, 1 + j, None, _input_style(f), _validation(f))
                r += 1
            cursor[name] = r
            if len(fields) + 1 > 4:
                for j in range(4, len(fields) + 1):
                    s.widths.setdefault(j, 40)
    return sheets, addresses


# The table each 科目 grid goes by (its 科目代码 and 科目名称).
GRID_TABLES = {"general_budget": 5, "government_fund": 7, "state_capital": 8}


def _grid_title(grid: GridSpec, sheet_name: str) -> str:
    """E.g. "五、一般公共预算财政拨款支出：按科目填写，一个科目一行（科目代码同公开05表：类3位、款5位、项7位）"."""
    part = " · ".join(grid.titles[:-1]) or grid.titles[-1]
    n = GRID_TABLES.get(grid.path[0])
    source = f"科目代码同{table_label(n)}" if n else "科目代码"
    title = f"{part}：按科目填写，一个科目一行（{source}：类3位、款5位、项7位）"
    if sheet_name == REASONS_SHEET:
        title += "；文字结尾不加句号"
    return title


def _grid_head(grid: GridSpec, leaf: Leaf) -> str:
    """A grid column's header: the field's title, the 科目名称 naming its table, amounts in 万元."""
    if leaf.path == ("name",):
        n = GRID_TABLES.get(grid.path[0])
        return f"科目名称（可不填，取自{table_label(n)}）" if n else "科目名称（可不填）"
    if leaf.kind == "amount":
        return f"{leaf.titles[0]}（万元）"
    return leaf.titles[0]


HELP_LINES = (
    ("title", "填表说明"),
    ("", "本工作簿用于 narrate 生成部门决算公开第三部分“情况说明”和第四部分“名词解释”。填好后保存为 .xlsx，然后运行："),
    ("code", "narrate check 本单位.xlsx            核对公开表之间的勾稽关系，列出缺少的表外数据"),
    ("code", "narrate render 本单位.xlsx -o 情况说明.docx      生成 Word 文档（也可 -o 情况说明.md）"),
    ("code", "narrate render 本单位.xlsx --prior 上年决算公开.docx -o 情况说明.docx      上年数取自上年已公开的文档"),
    ("section", "一、公开01表 至 公开10表"),
    ("", "照决算软件导出的公开表（或已印发的第二部分决算公开表）填写黄色单元格。金额单位为万元，保留两位小数，照表上所印填写（含尾数误差，不要“修正”）。"),
    ("", "表中空白的单元格即为 0。公开02、03、05、07、08表一个科目一行：科目代码（类3位、款5位、项7位）、科目名称和金额；每个款、项须有其上级类、款行。"),
    ("", "公开06表只填有金额的科目；“——”表示不适用。也可以不用本工作簿，直接用决算软件导出的 Excel 文件：narrate 按表题和表头查找各表，不要求固定的单元格位置；金额单位为元的表会自动换算为万元（四舍五入）。"),
    ("section", "二、表外数据（单位信息、上年与年初预算、原因与用途、三公与统计、政府采购、绩效）"),
    ("", "每行一项：“项目”说明填什么，“填写内容”是填写处，“说明”是格式提示，灰色的“字段”列供程序识别，请勿修改。不需要的行留空即可。"),
    ("", "按科目填写的部分（年初预算数、上年决算数、主要用于、增减原因）一个科目一行，先填科目代码。"),
    ("", "表外金额不填，正文中需要它的句子就不写；为零请填 0。文字原样写入正文，每格一段，结尾不加句号（正文会接着写并加句号）。"),
    ("section", "三、出错时"),
    ("", "narrate 会指出出错的单元格，例如：公开05表!C12：“1,2.3”不是金额（应为 数字，如 12423.32 或 12,423.32）。按提示改正后重新运行即可。"),
)


def _help_sheet() -> Sheet:
    s = Sheet("填表说明")
    for r, (style, text) in enumerate(HELP_LINES):
        s.set(r, 0, text, {"title": "title_left", "section": "section", "code": "code_text"}.get(style, "help"))
    s.widths = {0: 85}  # fits an A4 page
    for r, (_style, text) in enumerate(HELP_LINES):  # wrapped lines: rows tall enough to show them
        lines = _lines(text, 85)
        if lines > 1:
            s.heights[r] = 16.5 * lines
    return s


def _lines(text: str, width: float) -> int:
    """Lines ``text`` wraps to in a column ``width`` characters wide (a CJK character takes two)."""
    columns = sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)
    return max(1, -(-columns // max(1, int(width) - 5)))


def workbook_sheets(figures: Any | None = None) -> list[Sheet]:
    """The sheets of the workbook (blank when ``figures`` is None), as plain data."""
    notes, addresses = _notes_sheets(figures)
    ctx = _Context(figures, addresses)
    tables = [_t01(ctx)] + [_subject(ctx, n) for n in (2, 3)] + [_t04(ctx), _subject(ctx, 5), _t06(ctx)]
    tables += [_subject(ctx, n) for n in (7, 8)] + [_t09(ctx), _t10(ctx)]
    sheets = [_help_sheet()]
    if UNIT_SHEET in notes:
        sheets.append(notes[UNIT_SHEET])
    sheets += tables
    sheets += [notes[name] for name in NOTE_SHEETS if name != UNIT_SHEET and name in notes]
    return sheets


# ---------------------------------------------------------------- openpyxl rendering
def _styles() -> dict[str, dict[str, Any]]:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    yellow = PatternFill("solid", fgColor="FFF2CC")
    blue = PatternFill("solid", fgColor="DDEBF7")
    grey = PatternFill("solid", fgColor="F2F2F2")
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    right = Alignment(horizontal="right", vertical="center")
    return {
        "title": {"font": Font(bold=True, size=16), "alignment": center},
        "title_left": {"font": Font(bold=True, size=14), "alignment": Alignment(horizontal="left", vertical="center")},
        "tag": {"alignment": right},
        "meta": {"alignment": Alignment(horizontal="left", vertical="center")},
        "meta_center": {"alignment": Alignment(horizontal="center", vertical="center")},
        "meta_right": {"alignment": right},
        "head": {"font": Font(bold=True), "fill": blue, "border": border, "alignment": center},
        "head_left": {"font": Font(bold=True), "fill": blue, "border": border, "alignment": left},
        "label": {"border": border, "alignment": left},
        "number": {"border": border, "alignment": center, "font": Font(color="808080")},
        "amount": {"border": border, "fill": yellow, "number_format": "#,##0.00", "alignment": right},
        "count": {"border": border, "fill": yellow, "number_format": "0", "alignment": right},
        "code": {"border": border, "fill": yellow, "number_format": "@", "alignment": left},
        "name": {"border": border, "fill": yellow, "alignment": left},
        "text": {"border": border, "fill": yellow, "alignment": left, "number_format": "@"},
        "na": {"border": border, "fill": grey, "alignment": center, "font": Font(color="808080")},
        "field": {"border": border, "fill": grey, "font": Font(color="808080", size=9), "alignment": left},
        "hint": {"border": border, "font": Font(color="595959", size=9), "alignment": left},
        "section": {"font": Font(bold=True), "alignment": left},
        "intro": {"font": Font(color="595959"), "alignment": left},
        "note": {"font": Font(size=9, color="595959"), "alignment": left},
        "help": {"alignment": left},
        "code_text": {"font": Font(name="Consolas"), "alignment": left},
    }


_PROMPTS = {
    "amount": ("金额（万元）", "填写金额：单位万元，保留两位小数，照表上所印；空白即为 0。", "不是金额",
               "请填写不小于 0 的数字（万元，两位小数）。"),
    "given_amount": ("金额（万元）", "单位万元，保留两位小数；不填则不写相应句子，为零请填 0。", "不是金额",
                     "请填写不小于 0 的数字（万元，两位小数）。"),
    "score": ("得分", "填写分数，如 92.50；不填则不写相应句子。", "不是分数", "请填写不小于 0 的数字，如 92.50。"),
    "count": ("个数", "填写不小于 0 的整数。", "不是整数", "请填写不小于 0 的整数。"),
    "year": ("决算年度", "四位年份，如 2024。", "不是年份", "请填写四位年份，如 2024。"),
}


def _ranges(cells: list[tuple[int, int]]) -> str:
    """Cells → a space-separated list of A1 ranges, consecutive rows of a column joined."""
    from .loaders.grid import column_letter

    by_column: dict[int, list[int]] = {}
    for r, c in cells:
        by_column.setdefault(c, []).append(r)
    parts = []
    for c, rows in sorted(by_column.items()):
        rows.sort()
        start = prev = rows[0]
        for r in rows[1:] + [None]:  # type: ignore[list-item]
            if r is not None and r == prev + 1:
                prev = r
                continue
            letter = column_letter(c)
            parts.append(f"{letter}{start + 1}" if start == prev else f"{letter}{start + 1}:{letter}{prev + 1}")
            if r is not None:
                start = prev = r
    return " ".join(parts)


def _validation_object(kind: str) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    if kind.startswith("choice:"):
        choices = kind.split(":", 1)[1]
        dv = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
        dv.promptTitle, dv.prompt = "请选择", "可选：" + choices.replace(",", "、")
        dv.errorTitle, dv.error = "不在可选范围内", "请从下拉列表中选择。"
    elif kind in ("count", "year"):
        low, high = ("1990", "2100") if kind == "year" else ("0", "10000000")
        dv = DataValidation(type="whole", operator="between", formula1=low, formula2=high, allow_blank=True)
        dv.promptTitle, dv.prompt, dv.errorTitle, dv.error = _PROMPTS[kind]
    else:
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        dv.promptTitle, dv.prompt, dv.errorTitle, dv.error = _PROMPTS[kind]
    dv.showInputMessage = True
    dv.showErrorMessage = True
    return dv


def build_workbook(sheets: list[Sheet]) -> Any:
    """The sheets as an openpyxl Workbook."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    styles = _styles()
    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec in sheets:
        ws = workbook.create_sheet(spec.name)
        for (r, c), (value, style) in sorted(spec.cells.items()):
            cell = ws.cell(row=r + 1, column=c + 1)
            if value is not None:
                cell.value = value
                if isinstance(value, str) and value.startswith("=") and not (style.startswith("meta")):
                    cell.data_type = "s"  # text that looks like a formula stays text
            for attr, setting in styles.get(style, {}).items():
                setattr(cell, attr, setting)
        for r1, c1, r2, c2 in spec.merges:
            ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
        for c, width in spec.widths.items():
            ws.column_dimensions[get_column_letter(c + 1)].width = width
        for r, height in spec.heights.items():
            ws.row_dimensions[r + 1].height = height
        for kind, cells in spec.validations.items():
            dv = _validation_object(kind)
            dv.sqref = _ranges(cells)  # type: ignore[assignment]
            ws.add_data_validation(dv)
        if spec.freeze:
            ws.freeze_panes = ws.cell(row=spec.freeze[0] + 1, column=spec.freeze[1] + 1)
        _print_setup(ws, spec)
    return workbook


# Column widths (in characters) that fit across an A4 page at 100 %, and the
# height (points) of a page, inside the margins below.  A wider sheet is printed
# landscape, unless it is at most a fifth wider than a portrait page and takes
# fewer pages that way.  Either way it is scaled to one page wide.
PORTRAIT_WIDTH, LANDSCAPE_WIDTH = 95, 140
PORTRAIT_HEIGHT, LANDSCAPE_HEIGHT = 745, 500
ROW_HEIGHT = 15


def orientation(spec: Sheet) -> str:
    """"portrait" or "landscape" for printing ``spec`` on A4 (see PORTRAIT_WIDTH)."""
    width = sum(spec.widths.get(c, 8.43) for c in range(spec.width))
    if width <= PORTRAIT_WIDTH:
        return "portrait"
    height = sum(spec.heights.get(r, ROW_HEIGHT) for r in range(spec.height))

    def pages(page_width: float, page_height: float) -> int:
        return -(-int(height * min(1.0, page_width / width)) // page_height)

    if width <= 1.2 * PORTRAIT_WIDTH and pages(PORTRAIT_WIDTH, PORTRAIT_HEIGHT) < pages(LANDSCAPE_WIDTH,
                                                                                        LANDSCAPE_HEIGHT):
        return "portrait"
    return "landscape"


def print_rows(spec: Sheet) -> tuple[int, int] | None:
    """Rows (0-based, inclusive) printed at the top of every page: a table's header, a notes sheet's 项目/填写内容 row."""
    if spec.freeze is None or spec.freeze[0] == 0:
        return None
    last = spec.freeze[0] - 1
    return (spec.grid[0] if spec.table is not None else last, last)


def _print_setup(ws: Any, spec: Sheet) -> None:
    """A4, one page wide (as many pages down as needed), landscape where wide, the header on every page."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins

    setup = ws.page_setup
    setup.paperSize = ws.PAPERSIZE_A4
    setup.orientation = orientation(spec)
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.7, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    if spec.height and spec.width:
        ws.print_area = f"A1:{get_column_letter(spec.width)}{spec.height}"
    rows = print_rows(spec)
    if rows is not None:
        ws.print_title_rows = f"{rows[0] + 1}:{rows[1] + 1}"
    ws.oddFooter.center.text = "&A　第 &P 页，共 &N 页"


def workbook_bytes(figures: Any | None = None) -> bytes:
    """The workbook as .xlsx bytes: blank (``figures`` None) or filled with ``figures``."""
    workbook = build_workbook(workbook_sheets(figures))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_workbook(path: str | Path, figures: Any | None = None) -> None:
    """Write the workbook to ``path`` (atomically)."""
    from .writers import write_atomic

    write_atomic(path, workbook_bytes(figures))

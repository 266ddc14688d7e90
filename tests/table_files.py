"""Build workbooks and Word documents holding the ten 公开 tables, for the reader tests.

* :func:`export_workbook` writes the tables with openpyxl in a layout of its own
  — unlike the one ``narrate template-xlsx`` writes: a combined 部门名称/年度/单位
  line, data starting in column B, no 栏次 rows, 科目编码 as numbers, 04/10 without
  行次, 06 in two column groups, 09 running down (项目 | 预算数 | 决算数) — with
  options for stacking, text amounts, 元, an extra blank column, a missing table.
  It returns where each figure went, so tests can name the exact cell.
* :func:`docx_from_sheets` lays narrate's workbook sheets out as a disclosure's
  Part 2: title paragraphs, then a Word table per table (merged cells kept),
  optionally a 目录, the 表外数据 as tables, and Part 3 prose after.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from narrate.loaders.grid import TABLE_TITLES, T06_GROUPS

CLASSES_IN_ORDER = None  # set lazily from narrate.loaders.grid.FUNCTION_CLASSES


def _money(value: Decimal, *, text: bool, yuan: bool) -> Any:
    if yuan:
        value = value * 10000
    if text:
        return f"{value:,.2f}"
    return float(value)


class _Writer:
    def __init__(self, ws, row: int, offset: int, blank_column: bool) -> None:
        self.ws = ws
        self.row = row
        self.offset = offset
        self.blank_column = blank_column

    def col(self, c: int) -> int:
        """Layout column c (0-based) → sheet column (1-based), skipping the inserted blank column."""
        if self.blank_column and c >= 2:
            c += 1
        return self.offset + c + 1

    def put(self, c: int, value: Any) -> str:
        cell = self.ws.cell(row=self.row, column=self.col(c), value=value)
        return f"{self.ws.title}!{get_column_letter(cell.column)}{cell.row}"

    def merge(self, c1: int, c2: int, rows: int = 1) -> None:
        self.ws.merge_cells(start_row=self.row, start_column=self.col(c1), end_row=self.row + rows - 1,
                            end_column=self.col(c2))

    def next(self, n: int = 1) -> None:
        self.row += n


def export_workbook(figures, path: Path, *, stacked: bool = False, amounts_as_text: bool = False,
                    yuan: bool = False, blank_column: bool = False, skip: tuple[int, ...] = (),
                    merged: bool = True, overrides: dict | None = None) -> dict:
    """Write figures' ten tables in an 'export' layout; returns {(table, row key, field): 'Sheet!C12'}."""
    from openpyxl import Workbook

    from narrate.loaders.grid import FUNCTION_CLASSES

    overrides = overrides or {}
    where: dict = {}
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheet = workbook.create_sheet("Sheet1") if stacked else None
    t = figures.tables
    unit = "元" if yuan else "万元"
    writer = None

    def money(key: tuple, value: Decimal, c: int, force: bool = False) -> None:
        if key in overrides:
            where[key] = writer.put(c, overrides[key])
            return
        if value or force:
            where[key] = writer.put(c, _money(value, text=amounts_as_text, yuan=yuan))

    for n in range(1, 11):
        if n in skip:
            continue
        if stacked:
            writer = _Writer(sheet, (writer.row + 3) if writer else 2, 1, blank_column)
        else:
            writer = _Writer(workbook.create_sheet(f"表{n}"), 2, 1, blank_column)
        writer.put(0, TABLE_TITLES[n])
        if merged:
            writer.merge(0, 5)
        writer.next()
        writer.put(0, f"公开{n:02d}表")
        writer.next()
        writer.put(0, f"部门名称：{figures.unit.name}      {figures.unit.year}年度      金额单位：{unit}")
        writer.next(2)  # a blank row before the header

        if n == 1:
            for c, text in enumerate(("项目", "行次", "金额", "项目", "行次", "金额")):
                writer.put(c, text)
            writer.next()
            t01 = t.t01
            income = [("1、一般公共预算财政拨款收入", ("income", "general_budget")),
                      ("2、政府性基金预算财政拨款收入", ("income", "government_fund")),
                      ("3、国有资本经营预算财政拨款收入", ("income", "state_capital")),
                      ("4、上级补助收入", ("income", "superior_subsidy")), ("5、事业收入", ("income", "business")),
                      ("6、经营收入", ("income", "operating")), ("7、附属单位上缴收入", ("income", "affiliated")),
                      ("8、其他收入", ("income", "other")), ("本年收入合计", ("income_total",)),
                      ("使用非财政拨款结余", ("use_of_non_fiscal_balance",)),
                      ("年初结转和结余", ("beginning_balance",)), ("总计", ("income_grand_total",))]
            names = [c for c in FUNCTION_CLASSES if c in t01.expenditure] + \
                [c for c in t01.expenditure if c not in FUNCTION_CLASSES]
            spending = [(name, ("expenditure", name)) for name in names]
            spending += [("本年支出合计", ("expenditure_total",)), ("结余分配", ("surplus_distribution",)),
                         ("年末结转和结余", ("ending_balance",)), ("总计", ("expenditure_grand_total",))]
            length = max(len(income), len(spending))
            income = income[:-4] + [("", None)] * (length - len(income)) + income[-4:]
            spending = spending[:-4] + [("", None)] * (length - len(spending)) + spending[-4:]
            for i, ((l_label, l_path), (r_label, r_path)) in enumerate(zip(income, spending)):
                writer.put(0, l_label)
                writer.put(1, i + 1)
                if l_path:
                    value = getattr(getattr(t01, l_path[0]), l_path[1]) if len(l_path) == 2 else getattr(t01, l_path[0])
                    money((1, l_label, "amount"), value, 2)
                writer.put(3, r_label)
                writer.put(4, length + i + 1)
                if r_path:
                    if r_path[0] == "expenditure":
                        money((1, r_label, "amount"), t01.expenditure[r_path[1]], 5, force=True)
                    else:
                        money((1, r_label, "amount"), getattr(t01, r_path[0]), 5)
                writer.next()
        elif n in (2, 3, 5, 7, 8):
            table = getattr(t, f"t{n:02d}")
            columns = {
                2: [("本年收入合计", "total"), ("财政拨款收入", "fiscal"), ("上级补助收入", "superior_subsidy"),
                    ("事业收入", "business"), ("经营收入", "operating"), ("附属单位上缴收入", "affiliated"),
                    ("其他收入", "other")],
                3: [("本年支出合计", "total"), ("基本支出", "basic"), ("项目支出", "project"),
                    ("上缴上级支出", "to_superior"), ("经营支出", "operating"), ("对附属单位补助支出", "to_affiliated")],
                5: [("小计", "total"), ("基本支出", "basic"), ("项目支出", "project")],
                7: [("年初结转和结余", "beginning_balance"), ("本年收入", "income"), ("小计", "total"),
                    ("基本支出", "basic"), ("项目支出", "project"), ("年末结转和结余", "ending_balance")],
                8: [("合计", "total"), ("基本支出", "basic"), ("项目支出", "project")],
            }[n]
            if merged and n in (5, 8):
                writer.put(0, "项目")
                writer.merge(0, 1)
                writer.put(2, "本年支出")
                writer.merge(2, 4)
                writer.next()
            writer.put(0, "科目编码")
            writer.put(1, "科目名称")
            for j, (label, _) in enumerate(columns):
                writer.put(2 + j, label)
            writer.next()
            writer.put(1, "合计")
            for j, (_, f) in enumerate(columns):
                money((n, "合计", f), getattr(table.total, f), 2 + j)
            writer.next()
            for item in table.rows:
                writer.put(0, int(item.code))  # 科目代码 stored as a number
                writer.put(1, item.name)
                for j, (_, f) in enumerate(columns):
                    money((n, item.code, f), getattr(item, f), 2 + j)
                writer.next()
            if not table.rows:
                writer.put(0, "说明：本表无数据")
                writer.next()
        elif n == 4:
            for c, text in enumerate(("项目", "金额", "项目", "合计", "一般公共预算财政拨款",
                                      "政府性基金预算财政拨款", "国有资本经营预算财政拨款")):
                writer.put(c, text)
            writer.next()
            t04 = t.t04
            left = [("一般公共预算财政拨款", ("income", "general_budget")),
                    ("政府性基金预算财政拨款", ("income", "government_fund")),
                    ("国有资本经营预算财政拨款", ("income", "state_capital")),
                    ("本年收入合计", ("income", "total")), ("年初财政拨款结转和结余", ("beginning_balance", "total")),
                    ("一般公共预算财政拨款", ("beginning_balance", "general_budget")),
                    ("政府性基金预算财政拨款", ("beginning_balance", "government_fund")),
                    ("国有资本经营预算财政拨款", ("beginning_balance", "state_capital")),
                    ("总计", ("income_grand_total",))]
            names = [c for c in FUNCTION_CLASSES if c in t04.expenditure] + \
                [c for c in t04.expenditure if c not in FUNCTION_CLASSES]
            right = [(name, ("expenditure", name)) for name in names]
            right += [("本年支出合计", ("expenditure_total",)), ("年末财政拨款结转和结余", ("ending_balance",)),
                      ("总计", ("expenditure_grand_total",))]
            length = max(len(left), len(right))
            left = left[:3] + [("", None)] * (length - len(left)) + left[3:]
            right = right[:-3] + [("", None)] * (length - len(right)) + right[-3:]
            for (l_label, l_path), (r_label, r_path) in zip(left, right):
                writer.put(0, l_label)
                if l_path:
                    value = getattr(getattr(t04, l_path[0]), l_path[1]) if len(l_path) == 2 else getattr(t04, l_path[0])
                    money((4, l_label + "/" + l_path[0], "amount"), value, 1)
                writer.put(2, r_label)
                if r_path:
                    funds = t04.expenditure[r_path[1]] if r_path[0] == "expenditure" else getattr(t04, r_path[0])
                    for j, f in enumerate(("total", "general_budget", "government_fund", "state_capital")):
                        money((4, r_label, f), getattr(funds, f), 3 + j, force=(f == "total" and r_path[0] == "expenditure"))
                writer.next()
        elif n == 6:
            t06 = t.t06
            if merged:
                writer.put(0, "人员经费")
                writer.merge(0, 2)
                writer.put(3, "公用经费")
                writer.merge(3, 5)
                writer.next()
            for g in range(2):
                for i, text in enumerate(("科目代码", "科目名称", "决算数")):
                    writer.put(g * 3 + i, text)
            writer.next()
            personnel = [r for r in t06.rows if r.code[:3] in ("301", "303")]
            public = [r for r in t06.rows if r.code[:3] not in ("301", "303")]
            for i in range(max(len(personnel), len(public))):
                for g, items in enumerate((personnel, public)):
                    if i < len(items):
                        item = items[i]
                        writer.put(g * 3, item.code)  # text here
                        writer.put(g * 3 + 1, item.name)
                        money((6, item.code, "amount"), item.amount, g * 3 + 2, force=True)
                writer.next()
            writer.put(0, "人员经费合计")
            money((6, "人员经费合计", "amount"), t06.personnel_total, 2)
            writer.put(3, "公用经费合计")
            money((6, "公用经费合计", "amount"), t06.public_total, 5)
            writer.next()
        elif n == 9:
            for c, text in enumerate(("项目", "预算数", "决算数")):
                writer.put(c, text)
            writer.next()
            rows = [("合计", "total"), ("1.因公出国（境）费", "overseas"), ("2.公务用车购置及运行维护费", "vehicle_total"),
                    ("其中：公务用车购置费", "vehicle_purchase"), ("公务用车运行维护费", "vehicle_operation"),
                    ("3.公务接待费", "reception")]
            for label, f in rows:
                writer.put(0, label)
                money((9, f, "budget"), getattr(t.t09.budget, f), 1)
                money((9, f, "actual"), getattr(t.t09.actual, f), 2)
                writer.next()
        elif n == 10:
            t10 = t.t10
            writer.put(0, "项目")
            writer.put(1, "统计数")
            writer.next()
            rows = [("一、政府采购情况", None, None), ("合计", ("procurement", "total"), "amount"),
                    ("货物", ("procurement", "goods"), "amount"), ("工程", ("procurement", "works"), "amount"),
                    ("服务", ("procurement", "services"), "amount"), ("二、机关运行经费", None, None),
                    ("（一）行政单位", ("admin_operating_cost", "administrative"), "amount"),
                    ("（二）参照公务员法管理事业单位", ("admin_operating_cost", "civil_servant_managed"), "amount"),
                    ("三、国有资产占用情况", None, None), ("（一）车辆数合计(辆)", ("vehicles", "total"), "count"),
                    ("1.副部(省)级及以上领导用车", ("vehicles", "ministerial"), "count"),
                    ("2.主要负责人用车", ("vehicles", "principal"), "count"),
                    ("3.机要通信用车", ("vehicles", "confidential"), "count"),
                    ("4.应急保障用车", ("vehicles", "emergency"), "count"),
                    ("5.执法执勤用车", ("vehicles", "law_enforcement"), "count"),
                    ("6.特种专业技术用车", ("vehicles", "special"), "count"),
                    ("7.离退休干部服务用车", ("vehicles", "retired_cadres"), "count"),
                    ("8.其他用车", ("vehicles", "other"), "count"),
                    ("（二）单价100万元(含)以上设备(不含车辆)", ("equipment_over_1m",), "count")]
            for label, field_path, kind in rows:
                writer.put(0, label)
                if field_path is not None:
                    value = getattr(t10, field_path[0])
                    value = getattr(value, field_path[1]) if len(field_path) == 2 else value
                    if kind == "amount":
                        money((10, field_path[-1], "amount"), value, 1)
                    elif value:
                        where[(10, field_path[-1], "count")] = writer.put(1, value)
                writer.next()
        writer.put(0, "注：本表数据来自部门决算。")
        writer.next()
    workbook.save(path)
    return where


# ---------------------------------------------------------------- Word
def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _word_table(document, rows: list[list[Any]], merges: list[tuple[int, int, int, int]], first: int):
    """rows → a Word table; merges are (r1, c1, r2, c2) in sheet rows, ``first`` the sheet row of rows[0]."""
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    covered = set()
    for r1, c1, r2, c2 in merges:
        if r1 < first or r2 >= first + len(rows):
            continue
        table.cell(r1 - first, c1).merge(table.cell(r2 - first, c2))
        covered |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)} - {(r1, c1)}
    for i, row in enumerate(rows):
        cells = table.rows[i].cells  # once per row: table.cell() recomputes the whole grid each call
        for c, value in enumerate(row):
            if (first + i, c) in covered or value is None:
                continue
            cells[c].text = _text(value)
    return table


def docx_from_sheets(sheets, path: Path, *, notes: bool = True, toc: bool = False, prose: bool = False,
                     split: int | None = None) -> None:
    """narrate's workbook sheets laid out as a disclosure document (python-docx)."""
    import docx

    document = docx.Document()
    document.add_paragraph("第二部分 2024年度部门决算表")
    if toc:
        document.add_paragraph("目录")
        for n, title in TABLE_TITLES.items():
            document.add_paragraph(f"{n}．{title}（公开{n:02d}表）……………………{n + 2}")
    for sheet in sheets:
        rows = sheet.rows()
        if sheet.table is None:
            if not notes or sheet.name == "填表说明":
                continue
            document.add_paragraph(sheet.name)
            _word_table(document, rows[2:], sheet.merges, 2)
            continue
        start, end = sheet.grid
        for r in range(start):
            for value in rows[r]:
                if value not in (None, ""):
                    document.add_paragraph(_text(value))
        if split is not None and sheet.table == split:  # the table continues on a new page, header repeated
            middle = (start + end) // 2
            header = [r for r in range(start, end) if any(isinstance(v, str) and "科目代码" in v for v in rows[r])]
            _word_table(document, rows[start:middle], sheet.merges, start)
            document.add_paragraph("")
            second = [rows[h] for h in header] + rows[middle:end]
            _word_table(document, second, [], 0)
        else:
            _word_table(document, rows[start:end], sheet.merges, start)
        for r in range(end, len(rows)):
            for value in rows[r]:
                if value not in (None, ""):
                    document.add_paragraph(_text(value))
    if prose:
        document.add_paragraph("第三部分 2024年度部门决算情况说明")
        document.add_paragraph("一、收入支出决算总体情况说明")
        document.add_paragraph("2024年度收入、支出决算总计15194.61万元，详见公开01表。")
        document.add_paragraph("本单位2024年度没有国有资本经营预算财政拨款支出，公开08表为空表。")
        document.add_paragraph("合计")
    document.save(str(path))


__all__ = ["export_workbook", "docx_from_sheets", "T06_GROUPS"]

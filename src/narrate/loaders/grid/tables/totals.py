"""总表 — 公开01表 and 公开04表: 项目/行次/金额 groups side by side (收入 left, 支出 right)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable

from ..cells import display, is_blank, key, show
from .reader import TableReader

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
        if not any(v.__class__ is str and ("栏次" in v or "行次" in v or "注" in v or "说明" in v or "：" in v or ":" in v) for v in row):
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

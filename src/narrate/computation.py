"""Figures → Facts: every number and phrase choice the templates need, computed once.

:func:`compute` is a pure function.  It reads printed cells (never recomputing a
printed total), derives 占比 / 增减 / 完成率 through :mod:`narrate.facts`, and
returns :class:`Facts`: a read-only tree of records for the templates plus an
index of every :class:`~narrate.facts.Fact` by key (for provenance).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Iterable, Mapping

from .facts import Change, Fact, Source, add_up, change, completion, given, share
from .model import Figures, FunctionRow, ThreePublicItemNotes

OUTSIDE = "表外数据"


class Record:
    """A read-only bag of named values, as templates see them (``record.name``).

    The values live in the instance's ``__dict__``, so reading one is a plain
    attribute lookup (templates read hundreds per document); writing is refused.
    """

    def __init__(self, **values: Any) -> None:
        if "fields" in values:
            raise ValueError("a Record value may not be named 'fields'")
        self.__dict__.update(values)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Record is read-only")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("Record is read-only")

    def __repr__(self) -> str:
        return f"Record({', '.join(self.__dict__)})"

    def fields(self) -> Mapping[str, Any]:
        return MappingProxyType(self.__dict__)


@dataclass(frozen=True)
class Facts:
    """What the templates see (``context``) and every fact by key (``index``)."""

    context: Mapping[str, Any]
    index: Mapping[str, Fact]
    orphan_notes: tuple[str, ...] = ()
    """Codes of general_budget.functions that have no row in 公开05表."""
    profile: str | None = None
    """The layout the figures file asks for (its ``profile`` key), if any."""
    style: Any = None
    """The figures file's ``style:`` block (narrate.style.StyleSpec), over the profile's settings."""
    figures: Any = None
    """The figures these facts were computed from."""
    absent_tables: frozenset[str] = frozenset()
    """The tables the layout these facts were computed for does not publish (see :meth:`for_layout`)."""

    def for_layout(self, absent_tables: frozenset[str]) -> Facts:
        """These facts as a layout that does not publish ``absent_tables`` sees them (the profile's
        ``tables.absent``): without 公开10表, 机关运行经费, 政府采购 and 车辆 come from 表外数据."""
        if frozenset(absent_tables) == self.absent_tables or self.figures is None:
            return self
        return compute(self.figures, absent_tables)


class _Collector:
    """Creates facts and remembers each one by key."""

    def __init__(self) -> None:
        self.index: dict[str, Fact] = {}

    def add(self, fact: Fact | None) -> Fact | None:
        if fact is not None:
            self.index[fact.key] = fact
        return fact

    def cell(self, key: str, label: str, value: Decimal | int, table: str, row: str, column: str) -> Fact:
        kind = "count" if isinstance(value, int) else "amount"
        return self.add(given(key, label, value, Source(table, row, column), kind))  # type: ignore[return-value]

    def outside(self, key: str, label: str, value: Decimal | int | None) -> Fact | None:
        if value is None:
            return None
        kind = "count" if isinstance(value, int) else "amount"
        return self.add(given(key, label, value, Source(OUTSIDE, key, label), kind))

    def change(self, key: str, label: str, current: Fact, prior: Fact | None) -> Change | None:
        result = change(key, label, current, prior)
        if result is not None:
            self.add(result.amount)
            self.add(result.rate)
            self.add(result.base_zero_rate)
        return result

    def share(self, key: str, label: str, part: Fact, whole: Fact) -> Fact | None:
        return self.add(share(key, label, part, whole))

    def completion(self, key: str, label: str, actual: Fact, budget: Fact | None) -> Fact | None:
        return self.add(completion(key, label, actual, budget))


def _row_label(row: FunctionRow) -> str:
    return f"{row.code} {row.name}"


def compute(figures: Figures, absent_tables: Iterable[str] = ()) -> Facts:
    """Compute every fact of the narrative from validated figures.

    ``absent_tables``: the tables the layout does not publish (its profile's ``tables.absent``);
    with "t10" among them, the figures of 公开10表 are read from 表外数据 instead
    (``admin_operating_cost.amount``, ``procurement.total`` …, ``assets.vehicles``), and a figure
    left out there is None.  :meth:`Facts.for_layout` recomputes for another layout.
    """
    absent = frozenset(absent_tables)
    outside = "t10" in absent  # 公开10表's figures from 表外数据
    c = _Collector()
    t = figures.tables
    year = figures.unit.year
    context: dict[str, Any] = {
        "unit": Record(
            name=figures.unit.name,
            year=year,
            prior_year=year - 1,
            kind=figures.unit.kind,
            kinds=figures.unit.all_kinds,
            self_name=figures.unit.self_name,
        ),
        "totals": _totals(c, figures),
        "income": _income(c, figures),
        "expenditure": _expenditure(c, figures),
        "fiscal": _fiscal(c, figures),
        "general_budget": _general_budget(c, figures),
        "basic": _basic(c, figures),
        "fund": _fund(c, figures),
        "capital": _capital(c, figures),
        "three_public": _three_public(c, figures),
        "admin_cost": _admin_cost(c, figures, outside),
        "procurement": _procurement(c, figures, outside),
        "assets": _assets(c, figures, outside),
        "performance": _performance(c, figures),
        "glossary": Record(
            business_income=figures.glossary.business_income,
            operating_income=figures.glossary.operating_income,
            other_income=figures.glossary.other_income,
        ),
    }
    codes = {row.code for row in t.t05.rows}
    orphans = tuple(code for code in figures.general_budget.functions if code not in codes)
    return Facts(MappingProxyType(context), MappingProxyType(dict(c.index)), orphans, figures.profile, figures.style,
                 figures, absent)


# ---------------------------------------------------------------- 一 / 四
def _pair_of_totals(c: _Collector, prefix: str, table: str, label: str, income: Decimal, expenditure: Decimal,
                    notes: Any) -> Record:
    inc = c.cell(f"{prefix}.income", f"{label}收入总计", income, table, "收入总计", "金额")
    exp = c.cell(f"{prefix}.expenditure", f"{label}支出总计", expenditure, table, "支出总计", "金额")
    prior_inc = c.outside(f"{prefix}.prior_income_total", f"上年{label}收入总计", notes.prior_income_total)
    prior_exp = c.outside(f"{prefix}.prior_expenditure_total", f"上年{label}支出总计", notes.prior_expenditure_total)
    return Record(
        income=inc,
        expenditure=exp,
        income_change=c.change(f"{prefix}.income_change", f"{label}收入总计较上年", inc, prior_inc),
        expenditure_change=c.change(f"{prefix}.expenditure_change", f"{label}支出总计较上年", exp, prior_exp),
        reason=notes.change_reason,
    )


def _totals(c: _Collector, f: Figures) -> Record:
    t01 = f.tables.t01
    return _pair_of_totals(c, "totals", "公开01表", "", t01.income_grand_total, t01.expenditure_grand_total, f.totals)


def _fiscal(c: _Collector, f: Figures) -> Record:
    t04 = f.tables.t04
    return _pair_of_totals(
        c, "fiscal", "公开04表", "财政拨款", t04.income_grand_total, t04.expenditure_grand_total.total, f.fiscal_totals
    )


# ---------------------------------------------------------------- 二 / 三
INCOME_COLUMNS = (
    ("fiscal", "财政拨款收入"),
    ("superior_subsidy", "上级补助收入"),
    ("business", "事业收入"),
    ("operating", "经营收入"),
    ("affiliated", "附属单位上缴收入"),
    ("other", "其他收入"),
)
EXPENDITURE_COLUMNS = (
    ("basic", "基本支出"),
    ("project", "项目支出"),
    ("to_superior", "上缴上级支出"),
    ("operating", "经营支出"),
    ("to_affiliated", "对附属单位补助支出"),
)


def _listing(c: _Collector, prefix: str, table: str, total_label: str, totals: Any,
             columns: Iterable[tuple[str, str]]) -> Record:
    total = c.cell(f"{prefix}.total", total_label, totals.total, table, "合计", total_label)
    items = []
    by_key = {}
    for name, label in columns:
        amount = c.cell(f"{prefix}.{name}", label, getattr(totals, name), table, "合计", label)
        by_key[name] = amount
        if amount.is_zero:
            continue  # 不涉及的不列
        items.append(
            Record(key=name, name=label, amount=amount, share=c.share(f"{prefix}.{name}.share", f"{label}占比", amount, total))
        )
    return Record(total=total, items=items, **by_key)


def _income(c: _Collector, f: Figures) -> Record:
    return _listing(c, "income", "公开02表", "本年收入合计", f.tables.t02.total, INCOME_COLUMNS)


def _expenditure(c: _Collector, f: Figures) -> Record:
    return _listing(c, "expenditure", "公开03表", "本年支出合计", f.tables.t03.total, EXPENDITURE_COLUMNS)


# ---------------------------------------------------------------- 五
def _general_budget(c: _Collector, f: Figures) -> Record:
    t05 = f.tables.t05
    notes = f.general_budget
    total = c.cell("general_budget.total", "一般公共预算财政拨款支出", t05.total.total, "公开05表", "合计", "小计")
    all_spending = c.cell(
        "general_budget.all_spending", "本年支出合计", f.tables.t03.total.total, "公开03表", "合计", "本年支出合计"
    )
    prior = c.outside("general_budget.prior_year", "上年一般公共预算财政拨款支出", notes.prior_year)
    budget = c.outside("general_budget.budget_initial", "一般公共预算财政拨款支出年初预算", notes.budget_initial)
    full_year = c.outside("general_budget.budget_full_year", "一般公共预算财政拨款支出全年预算", notes.budget_full_year)
    completion_initial = c.completion("general_budget.completion", "一般公共预算财政拨款支出完成年初预算", total, budget)
    rows = []
    names = {row.code: row.name for row in t05.rows}
    for row in t05.rows:
        rows.append(_function_item(c, row, total, notes.functions.get(row.code), names))
    return Record(
        total=total,
        share_of_spending=c.share("general_budget.share", "一般公共预算财政拨款支出占本年支出合计的比例", total, all_spending),
        prior=prior,
        change=c.change("general_budget.change", "一般公共预算财政拨款支出较上年", total, prior),
        change_reason=notes.change_reason,
        budget_initial=budget,
        completion=completion_initial,
        budget_direction=_versus_budget(total, budget),
        budget_full_year=full_year,
        budget_options=_budget_options(c, "general_budget", "一般公共预算财政拨款支出", total, budget,
                                       completion_initial, full_year),
        budget_reason=notes.budget_reason,
        classes=[r for r in rows if r.level == "类"],
        items=[r for r in rows if r.level == "项"],
        rows=rows,
    )


def _option(basis: str, actual: Fact, budget: Fact | None, completion_fact: Fact | None) -> Record | None:
    if budget is None:
        return None
    return Record(basis=basis, budget=budget, completion=completion_fact, direction=_versus_budget(actual, budget))


def _budget_options(c: _Collector, key: str, label: str, actual: Fact, initial: Fact | None,
                    initial_completion: Fact | None, full_year: Fact | None, table: Record | None = None) -> Record:
    """Every budget ``actual`` can be compared with (:mod:`narrate.budget` picks one per profile).

    ``initial`` (年初预算) keeps its 完成率 key ``<key>.completion``; the 全年预算's is
    ``<key>.completion_full_year``; ``table`` is 公开09表's 预算数 (its meaning is the profile's).
    """
    full = c.completion(f"{key}.completion_full_year", f"{label}完成全年预算", actual, full_year)
    return Record(actual=actual, initial=_option("年初预算", actual, initial, initial_completion),
                  full_year=_option("全年预算", actual, full_year, full), table=table)


def _versus_budget(actual: Fact, budget: Fact | None) -> str | None:
    """'above' / 'below' / 'equal' against the budget, None when no budget is given."""
    if budget is None:
        return None
    return "above" if actual.value > budget.value else "below" if actual.value < budget.value else "equal"


def _function_item(c: _Collector, row: Any, total: Fact, notes: Any, names: Mapping[str, str],
                   prefix: str = "general_budget", table: str = "公开05表", column: str = "小计") -> Record:
    key = f"{prefix}.{row.code}"
    label = _row_label(row)
    amount = c.cell(f"{key}.amount", row.name, row.total, table, label, column)
    basic = c.cell(f"{key}.basic", f"{row.name} 基本支出", row.basic, table, label, "基本支出")
    project = c.cell(f"{key}.project", f"{row.name} 项目支出", row.project, table, label, "项目支出")
    budget = prior = full_year = None
    if notes is not None:
        budget = c.outside(f"{prefix}.functions.{row.code}.budget_initial", f"{row.name} 年初预算", notes.budget_initial)
        full_year = c.outside(f"{prefix}.functions.{row.code}.budget_full_year", f"{row.name} 全年预算",
                              notes.budget_full_year)
        prior = c.outside(f"{prefix}.functions.{row.code}.prior_year", f"{row.name} 上年决算", notes.prior_year)
    completion_initial = c.completion(f"{key}.completion", f"{row.name}完成年初预算", amount, budget)
    return Record(
        code=row.code,
        name=row.name,
        level=row.level,
        class_name=names.get(row.code[:3], ""),
        kuan_name=names.get(row.code[:5], "") if len(row.code) >= 5 else "",
        amount=amount,
        basic=basic,
        project=project,
        share=c.share(f"{key}.share", f"{row.name}占一般公共预算财政拨款支出的比例", amount, total),
        budget_initial=budget,
        completion=completion_initial,
        budget_direction=_versus_budget(amount, budget),
        budget_full_year=full_year,
        budget_options=_budget_options(c, key, row.name, amount, budget, completion_initial, full_year),
        prior=prior,
        change=c.change(f"{key}.change", f"{row.name}较上年", amount, prior),
        uses=notes.uses if notes else None,
        change_reason=notes.change_reason if notes else None,
        budget_reason=notes.budget_reason if notes else None,
    )


# ---------------------------------------------------------------- 六
PERSONNEL_CLASSES = ("301", "303")


def _basic(c: _Collector, f: Figures) -> Record:
    t05, t06 = f.tables.t05, f.tables.t06
    personnel_items = [r.name for r in t06.rows if len(r.code) == 5 and r.code[:3] in PERSONNEL_CLASSES and r.amount]
    public_items = [r.name for r in t06.rows if len(r.code) == 5 and r.code[:3] not in PERSONNEL_CLASSES and r.amount]
    return Record(
        total=c.cell("basic.total", "一般公共预算财政拨款基本支出", t05.total.basic, "公开05表", "合计", "基本支出"),
        personnel=c.cell("basic.personnel", "人员经费", t06.personnel_total, "公开06表", "人员经费合计", "决算数"),
        public=c.cell("basic.public", "公用经费", t06.public_total, "公开06表", "公用经费合计", "决算数"),
        personnel_summary=f.basic.personnel_summary,
        public_summary=f.basic.public_summary,
        personnel_items=personnel_items,
        public_items=public_items,
    )


# ---------------------------------------------------------------- 七 / 八
def _fund(c: _Collector, f: Figures) -> Record:
    t07 = f.tables.t07
    tot = t07.total
    empty = not t07.rows and not any((tot.beginning_balance, tot.income, tot.total, tot.ending_balance))
    expenditure = c.cell("fund.expenditure", "政府性基金预算财政拨款支出", tot.total, "公开07表", "合计", "本年支出 小计")
    names = {r.code: r.name for r in t07.rows}
    rows = [_function_item(c, r, expenditure, f.government_fund.functions.get(r.code), names,
                           prefix="government_fund", table="公开07表", column="本年支出 小计") for r in t07.rows]
    return Record(
        empty=empty,
        income=c.cell("fund.income", "政府性基金预算财政拨款收入", tot.income, "公开07表", "合计", "本年收入"),
        expenditure=expenditure,
        rows=rows,
        items=[r for r in rows if r.level == "项"],
    )


def _capital(c: _Collector, f: Figures) -> Record:
    t08 = f.tables.t08
    empty = not t08.rows and not t08.total.total and not f.tables.t04.income.state_capital
    expenditure = c.cell("capital.expenditure", "国有资本经营预算财政拨款支出", t08.total.total, "公开08表", "合计", "合计")
    names = {r.code: r.name for r in t08.rows}
    rows = [_function_item(c, r, expenditure, f.state_capital.functions.get(r.code), names,
                           prefix="state_capital", table="公开08表", column="合计") for r in t08.rows]
    return Record(
        empty=empty,
        income=c.cell("capital.income", "国有资本经营预算财政拨款收入", f.tables.t04.income.state_capital, "公开04表",
                      "三、国有资本经营预算财政拨款", "金额"),
        expenditure=expenditure,
        rows=rows,
        items=[r for r in rows if r.level == "项"],
    )


# ---------------------------------------------------------------- 九
THREE_PUBLIC_ITEMS = (
    ("overseas", "因公出国（境）费"),
    ("vehicle_purchase", "公务用车购置费"),
    ("vehicle_operation", "公务用车运行维护费"),
    ("reception", "公务接待费"),
)


def _three_public(c: _Collector, f: Figures) -> Record:
    t09 = f.tables.t09
    notes = f.three_public
    actual = c.cell("three_public.actual", "“三公”经费支出决算", t09.actual.total, "公开09表", "合计", "决算数")
    budget = c.cell("three_public.budget", "“三公”经费全年预算", t09.budget.total, "公开09表", "合计", "预算数")
    prior = c.outside("three_public.prior_year.total", "上年“三公”经费支出决算", notes.prior_year.total)
    items = {}
    for key, label in THREE_PUBLIC_ITEMS:
        item_notes: ThreePublicItemNotes = getattr(notes, key)
        a = c.cell(f"three_public.{key}.actual", f"{label}决算", getattr(t09.actual, key), "公开09表", label, "决算数")
        b = c.cell(f"three_public.{key}.budget", f"{label}预算", getattr(t09.budget, key), "公开09表", label, "预算数")
        p = c.outside(f"three_public.prior_year.{key}", f"上年{label}决算", getattr(notes.prior_year, key))
        done = c.completion(f"three_public.{key}.completion", f"{label}完成预算", a, b)
        items[key] = Record(
            key=key,
            name=label,
            actual=a,
            budget=b,
            completion=done,
            budget_options=_table_budget(c, f"three_public.{key}", label, a, b, done, notes, key),
            prior=p,
            change=c.change(f"three_public.{key}.change", f"{label}较上年", a, p),
            share=c.share(f"three_public.{key}.share", f"{label}占“三公”经费的比例", a, actual),
            change_reason=item_notes.change_reason,
            uses=item_notes.uses,
        )
    vehicle_actual = c.cell("three_public.vehicle.actual", "公务用车购置及运行维护费决算", t09.actual.vehicle_total,
                            "公开09表", "公务用车购置及运行维护费", "决算数 小计")
    vehicle_budget = c.cell("three_public.vehicle.budget", "公务用车购置及运行维护费预算", t09.budget.vehicle_total,
                            "公开09表", "公务用车购置及运行维护费", "预算数 小计")
    vehicle_prior = c.outside("three_public.prior_year.vehicle", "上年公务用车购置及运行维护费决算",
                              notes.prior_year.vehicle)
    prior_purchase, prior_operation = (items[k].prior for k in ("vehicle_purchase", "vehicle_operation"))
    if vehicle_prior is None and prior_purchase is not None and prior_operation is not None:
        vehicle_prior = c.add(add_up("three_public.prior_year.vehicle", "上年公务用车购置及运行维护费决算",
                                     prior_purchase, prior_operation))
    r = notes.reception_detail

    def part(key: str, label: str, p: Any) -> Record:
        return Record(
            amount=c.outside(f"three_public.reception_detail.{key}.amount", f"{label}金额", p.amount),
            batches=c.outside(f"three_public.reception_detail.{key}.batches", f"{label}批次", p.batches),
            people=c.outside(f"three_public.reception_detail.{key}.people", f"{label}人次", p.people),
            note=p.note,
        )

    done = c.completion("three_public.completion", "“三公”经费完成全年预算", actual, budget)
    vehicle_done = c.completion("three_public.vehicle.completion", "公务用车购置及运行维护费完成预算",
                                vehicle_actual, vehicle_budget)
    return Record(
        actual=actual,
        budget=budget,
        completion=done,
        budget_options=_table_budget(c, "three_public", "“三公”经费", actual, budget, done, notes, "total"),
        budget_direction=_versus_budget(actual, budget),
        budget_reason=notes.budget_reason,
        prior=prior,
        change=c.change("three_public.change", "“三公”经费较上年", actual, prior),
        change_reason=notes.change_reason,
        items=[items[k] for k, _ in THREE_PUBLIC_ITEMS],
        overseas=items["overseas"],
        vehicle_purchase=items["vehicle_purchase"],
        vehicle_operation=items["vehicle_operation"],
        reception=items["reception"],
        vehicle=Record(
            actual=vehicle_actual,
            budget=vehicle_budget,
            completion=vehicle_done,
            budget_options=_table_budget(c, "three_public.vehicle", "公务用车购置及运行维护费", vehicle_actual,
                                         vehicle_budget, vehicle_done, notes, "vehicle"),
            share=c.share("three_public.vehicle.share", "公务用车购置及运行维护费占“三公”经费的比例", vehicle_actual, actual),
            prior=vehicle_prior,
            change=c.change("three_public.vehicle.change", "公务用车购置及运行维护费较上年", vehicle_actual, vehicle_prior),
            change_reason=notes.vehicle.change_reason,
            uses=notes.vehicle.uses,
        ),
        none=actual.is_zero and budget.is_zero,
        overseas_groups=c.outside("three_public.overseas_groups", "因公出国（境）团组数", notes.overseas_groups),
        overseas_people=c.outside("three_public.overseas_people", "因公出国（境）人次", notes.overseas_people),
        vehicles_purchased=c.outside("three_public.vehicles_purchased", "购置公务用车辆数", notes.vehicles_purchased),
        vehicles_held=c.outside("three_public.vehicles_held", "公务用车保有量", notes.vehicles_held),
        reception_batches=c.outside("three_public.reception_detail.batches", "公务接待批次", r.batches),
        reception_people=c.outside("three_public.reception_detail.people", "公务接待人次", r.people),
        domestic=part("domestic", "国内公务接待", r.domestic),
        foreign_affairs=part("foreign_affairs", "外事接待", r.foreign_affairs),
        abroad=part("overseas", "国（境）外接待", r.overseas),
    )


def _table_budget(c: _Collector, key: str, label: str, actual: Fact, budget: Fact, done: Fact | None,
                  notes: Any, item: str) -> Record:
    """公开09表's 预算数 as a budget option (the profile says whether it is 年初预算 or 全年预算), beside
    the 年初预算 / 全年预算 given outside the table (``three_public.budget_initial`` / ``budget_full_year``)."""
    initial = c.outside(f"three_public.budget_initial.{item}", f"{label}年初预算", getattr(notes.budget_initial, item))
    full_year = c.outside(f"three_public.budget_full_year.{item}", f"{label}全年预算",
                          getattr(notes.budget_full_year, item))
    initial_done = c.completion(f"{key}.completion_initial", f"{label}完成年初预算", actual, initial)
    options = _budget_options(c, key, label, actual, initial, initial_done, full_year)
    return Record(actual=actual, initial=options.initial, full_year=options.full_year,
                  table=Record(basis=None, budget=budget, completion=done, direction=_versus_budget(actual, budget)))


# ---------------------------------------------------------------- 十
T10 = "公开10表"


def _statistic(c: _Collector, outside: bool, key: str, label: str, cell: Decimal | int, row: str,
               given_value: Any) -> Fact | None:
    """A figure of 公开10表: that table's cell (统计数 column), or — in a layout without the table
    (``outside``) — the figure typed outside the tables at the field named like the fact (None if left out)."""
    if outside:
        return c.outside(key, label, given_value)
    return c.cell(key, label, cell, T10, row, "统计数")


def _admin_cost(c: _Collector, f: Figures, outside: bool) -> Record:
    t10 = f.tables.t10.admin_operating_cost
    amount: Fact | None
    if outside:
        amount = c.outside("admin_operating_cost.amount", "机关运行经费", f.admin_operating_cost.amount)
    else:
        admin = c.cell("admin_cost.administrative", "机关运行经费（行政单位）", t10.administrative, T10,
                       "二、机关运行经费 (一) 行政单位", "统计数")
        csm = c.cell("admin_cost.civil_servant_managed", "机关运行经费（参公事业单位）", t10.civil_servant_managed,
                     T10, "二、机关运行经费 (二) 参照公务员法管理事业单位", "统计数")
        if csm.is_zero:
            amount = admin
        elif admin.is_zero:
            amount = csm
        else:
            amount = c.add(add_up("admin_cost.amount", "机关运行经费", admin, csm))
    prior = c.outside("admin_operating_cost.prior_year", "上年机关运行经费", f.admin_operating_cost.prior_year)
    return Record(
        amount=amount,
        prior=prior,
        change=c.change("admin_cost.change", "机关运行经费较上年", amount, prior) if amount is not None else None,
        reason=f.admin_operating_cost.change_reason,
    )


def _procurement(c: _Collector, f: Figures, outside: bool) -> Record:
    p, given_p = f.tables.t10.procurement, f.procurement
    row = "一、政府采购情况"
    total = _statistic(c, outside, "procurement.total", "政府采购支出总额", p.total, f"{row} 合计", given_p.total)
    sme = c.outside("procurement.sme_amount", "授予中小企业合同金额", f.procurement.sme_amount)
    small = c.outside("procurement.small_micro_amount", "授予小微企业合同金额", f.procurement.small_micro_amount)
    return Record(
        total=total,
        goods=_statistic(c, outside, "procurement.goods", "政府采购货物支出", p.goods, f"{row} 货物", given_p.goods),
        works=_statistic(c, outside, "procurement.works", "政府采购工程支出", p.works, f"{row} 工程", given_p.works),
        services=_statistic(c, outside, "procurement.services", "政府采购服务支出", p.services, f"{row} 服务",
                            given_p.services),
        sme=sme,
        small_micro=small,
        sme_share=c.share("procurement.sme_share", "授予中小企业合同金额占比", sme, total) if sme and total else None,
        sme_reserved=c.outside("procurement.sme_reserved", "面向中小企业预留政府采购项目预算金额", f.procurement.sme_reserved),
        small_micro_reserved=c.outside("procurement.small_micro_reserved", "面向小微企业预留政府采购项目预算金额",
                                       f.procurement.small_micro_reserved),
        sme_reserved_awarded=c.outside("procurement.sme_reserved_awarded", "预留项目中由中小企业供应商中标或成交的采购金额",
                                       f.procurement.sme_reserved_awarded),
        small_micro_reserved_awarded=c.outside("procurement.small_micro_reserved_awarded",
                                               "面向小微企业预留项目中由小微企业供应商中标或成交的采购金额",
                                               f.procurement.small_micro_reserved_awarded),
        sme_other_awarded=c.outside("procurement.sme_other_awarded", "其他政府采购项目中由中小企业供应商中标或成交的采购金额",
                                    f.procurement.sme_other_awarded),
        small_micro_share=(c.share("procurement.small_micro_share", "授予小微企业合同金额占比", small, total)
                           if small and total else None),
    )


VEHICLE_KINDS = (
    ("ministerial", "副部（省）级及以上领导用车"),
    ("principal", "主要负责人用车"),
    ("confidential", "机要通信用车"),
    ("emergency", "应急保障用车"),
    ("law_enforcement", "执法执勤用车"),
    ("special", "特种专业技术用车"),
    ("retired_cadres", "离退休干部服务用车"),
    ("other", "其他用车"),
)


def _assets(c: _Collector, f: Figures, outside: bool) -> Record:
    t10 = f.tables.t10
    v, given_v = t10.vehicles, f.assets.vehicles

    def count(name: str, label: str, row: str) -> Fact | None:
        return _statistic(c, outside, f"assets.vehicles.{name}", label, getattr(v, name), row,
                          getattr(given_v, name, None))

    all_kinds = [Record(key=key, name=label, count=count(key, label, f"车辆 {label}")) for key, label in VEHICLE_KINDS]
    return Record(
        vehicles=count("total", "车辆数合计", "(一) 车辆数合计(辆)"),
        vehicle_kinds=[k for k in all_kinds if k.count is not None and not k.count.is_zero],
        all_vehicle_kinds=all_kinds,
        **{k.key: k.count for k in all_kinds},
        equipment=_statistic(c, outside, "assets.equipment_over_1m", "单价100万元（含）以上设备", t10.equipment_over_1m,
                             "(二) 单价100万元(含)以上设备(不含车辆)", f.assets.equipment_over_1m),
        vehicles_note=f.assets.vehicles_note,
    )


def _performance(c: _Collector, f: Figures) -> Record:
    p = f.performance
    return Record(
        projects=c.outside("performance.self_evaluated_projects", "绩效自评项目个数", p.self_evaluated_projects),
        amount=c.outside("performance.amount", "绩效自评涉及资金", p.amount),
        grades=[Record(grade=g, count=c.outside(f"performance.grades.{g}", f"自评等级为“{g}”的项目个数", n))
                for g, n in p.grades.items()],
        project_level=p.project_level,
        other_matters=p.other_matters,
        systems=p.systems,
        mechanism=p.mechanism,
        target_projects=c.outside("performance.target_projects", "编报绩效目标的项目个数", p.target_projects),
        target_amount=c.outside("performance.target_amount", "编报绩效目标的项目涉及预算金额", p.target_amount),
        tracking_projects=c.outside("performance.tracking_projects", "绩效跟踪评价的项目个数", p.tracking_projects),
        tracking_amount=c.outside("performance.tracking_amount", "绩效跟踪评价的项目涉及预算金额", p.tracking_amount),
        average_score=c.outside("performance.average_score", "绩效自评平均得分", p.average_score),
        problems_found=c.outside("performance.problems_found", "绩效自评发现问题个数", p.problems_found),
        problems_fixed=c.outside("performance.problems_fixed", "已完成整改的问题个数", p.problems_fixed),
        problems_fixing=c.outside("performance.problems_fixing", "正在整改的问题个数", p.problems_fixing),
    )

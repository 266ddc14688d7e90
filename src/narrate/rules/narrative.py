"""What the narrative will lack: inputs outside the tables, and reasons for changes.

Works on the computed facts and on what the chosen profile's render reads (:mod:`narrate.reads`):
a missing input or a missing reason is reported only when the layout's templates consult that
field for this unit, and the finding names the section (its heading as rendered) that will lack it.
Which figures field feeds which record of the template context is this module's knowledge; which
of them a layout prints is never listed here — the render shows it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterator

from ..budget import INITIAL, Policy, pick
from ..computation import Facts
from ..model import ProcurementNotes
from ..reads import Reads
from .engine import Finding

NEEDS_REASON = "需说明原因"
MISSING = "缺少数据"


def _missing(path: str, what: str, section: str, lacks: str) -> Finding:
    return Finding(MISSING, "info", MISSING, f"未填 {path}（{what}）：“{section}”将{lacks}")


def _rate_exceeds(rate: Any, threshold: Decimal) -> bool:
    """A change needs a reason when its rate exceeds the threshold (always when there is no rate)."""
    if threshold.is_infinite():
        return False
    return rate is None or rate.value > threshold


def _change_reason(change: Any, reason: Any, path: str, what: str, threshold: Decimal,
                   section: str | None) -> Iterator[Finding]:
    if section is None or change is None or change.equal or reason:
        return
    if _rate_exceeds(change.rate, threshold):
        direction = "增加" if change.increase else "减少"
        rate = f"，{'增长' if change.increase else '下降'}{change.rate.value}%" if change.rate else ""
        yield Finding(NEEDS_REASON, "warning", NEEDS_REASON,
                      f"{what}较上年{direction}{change.amount.value}万元{rate}，未说明原因（“{section}”）：请填写 {path}")


def _budget_reason(actual: Any, basis: Any, reason: Any, path: str, what: str, threshold: Decimal,
                   section: str | None) -> Iterator[Finding]:
    """``basis``: the budget the profile compares with (:func:`narrate.budget.pick`), its label printed."""
    if section is None or basis is None or reason or actual.value == basis.budget.value:
        return
    budget = basis.budget
    rate = None if budget.value == 0 else abs(actual.value - budget.value) * 100 / budget.value
    if not threshold.is_infinite() and (rate is None or rate > threshold):
        direction = "大于" if actual.value > budget.value else "小于"
        yield Finding(NEEDS_REASON, "warning", NEEDS_REASON,
                      f"{what}决算数 {actual.value} {direction}{basis.label}数 {budget.value}，"
                      f"未说明原因（“{section}”）：请填写 {path}")


def _budget_field(policy: Policy) -> tuple[str, str]:
    """The field a missing budget names, and what it is, under the profile's baseline."""
    if policy.baseline == INITIAL:
        return "budget_initial", "年初预算数"
    return "budget_full_year", "全年预算数"


PROCUREMENT_FIELDS = (("total", "total"), ("sme", "sme_amount"), ("small_micro", "small_micro_amount"), ("sme_reserved", "sme_reserved"),
                      ("small_micro_reserved", "small_micro_reserved"), ("sme_reserved_awarded", "sme_reserved_awarded"),
                      ("small_micro_reserved_awarded", "small_micro_reserved_awarded"),
                      ("sme_other_awarded", "sme_other_awarded"))
"""政府采购: the template record's name of each ``procurement.*`` field (``total``: only a layout
without 公开10表 takes it from 表外数据; with that table it is never None)."""
ASSET_FIELDS = (("vehicles", "assets.vehicles", "车辆数"),
                ("equipment", "assets.equipment_over_1m", "单价100万元（含）以上设备台（套）数"))
"""国有资产: the figures a layout without 公开10表 takes from 表外数据."""
THREE_PUBLIC_KEYS = ("overseas", "vehicle_purchase", "vehicle_operation", "vehicle", "reception")
THREE_PUBLIC_NAMES = {"vehicle": "公务用车购置及运行维护费"}


def narrative_findings(facts: Facts, reads: Reads, reason_threshold: Decimal = Decimal(0),
                       explains: frozenset[str] = frozenset({"change", "budget"}),
                       budget_policy: Policy | None = None) -> list[Finding]:
    """Missing inputs (info) and changes without a reason (warnings, above ``reason_threshold`` percent).

    ``reads``: what the profile's render of these facts read (:class:`narrate.reads.Reads`).
    ``explains`` says which differences the layout explains: "change" (较上年) and/or
    "budget" (决算与预算); a profile's ``reasons`` key sets it.
    """
    c = facts.context
    policy = budget_policy or Policy()
    field, field_name = _budget_field(policy)
    out: list[Finding] = []
    t = reason_threshold if "change" in explains else Decimal("Infinity")
    bt = reason_threshold if "budget" in explains else Decimal("Infinity")
    seen = reads.where

    for key, path, label in (("totals", "totals", ""), ("fiscal", "fiscal_totals", "财政拨款")):
        record = c[key]
        for side, name in (("income", "收入总计"), ("expenditure", "支出总计")):
            section = seen(record, f"{side}_change")
            if record.__dict__[f"{side}_change"] is None and section:
                out.append(_missing(f"{path}.prior_{side}_total", f"上年{label}{name}", section, "不写与上年的比较"))
        out.extend(_change_reason(record.income_change, record.reason, f"{path}.change_reason", f"{label}收入总计", t,
                                  seen(record, "reason")))

    gb = c["general_budget"]
    section = seen(gb, "change", "prior")
    if gb.prior is None and section:
        out.append(_missing("general_budget.prior_year", "上年一般公共预算财政拨款支出", section, "不写与上年的比较"))
    gb_basis = pick(gb, policy)
    section = seen(gb, "budget_options", "budget_initial", "completion")
    if gb_basis is None and section:
        out.append(_missing(f"general_budget.{field}", field_name, section, f"不写{field_name[:-1]}和完成率"))
    out.extend(_change_reason(gb.change, gb.change_reason, "general_budget.change_reason", "一般公共预算财政拨款支出", t,
                              seen(gb, "change_reason")))
    out.extend(_budget_reason(gb.total, gb_basis, gb.budget_reason, "general_budget.budget_reason",
                              "一般公共预算财政拨款支出", bt, seen(gb, "budget_reason")))
    for code in facts.orphan_notes:
        out.append(Finding("数据不对应", "warning", "数据不对应",
                           f"general_budget.functions 中的科目 {code} 在公开05表中没有这一行，其年初预算、上年数和说明不会用到"))
    for prefix, rows in (("general_budget", gb.rows), ("government_fund", c["fund"].rows),
                         ("state_capital", c["capital"].rows)):
        for item in rows:
            out.extend(_function_findings(item, f"{prefix}.functions.{item.code}", policy, field, field_name, t, bt,
                                          seen))

    tp = c["three_public"]
    section = seen(tp, "change", "prior")
    if tp.prior is None and section:
        out.append(_missing("three_public.prior_year.total", "上年“三公”经费", section, "不写与上年的比较"))
    out.extend(_change_reason(tp.change, tp.change_reason, "three_public.change_reason", "“三公”经费", t,
                              seen(tp, "change_reason")))
    out.extend(_budget_reason(tp.actual, pick(tp, policy), tp.budget_reason, "three_public.budget_reason",
                              "“三公”经费", bt, seen(tp, "budget_reason")))
    for key in THREE_PUBLIC_KEYS:
        item = getattr(tp, key)
        name = THREE_PUBLIC_NAMES.get(key, getattr(item, "name", key))
        section = seen(item, "change", "prior")
        if item.prior is None and section:
            alternative = ("；或分别填写 three_public.prior_year.vehicle_purchase 和 three_public.prior_year.vehicle_operation"
                           if key == "vehicle" else "")
            out.append(_missing(f"three_public.prior_year.{key}", f"上年{name}{alternative}", section,
                                f"不写{name}与上年的比较"))
        out.extend(_change_reason(item.change, item.change_reason, f"three_public.{key}.change_reason", name, t,
                                  seen(item, "change_reason")))
    for part, field_key, name in (("domestic", "domestic", "国内公务接待费"), ("foreign_affairs", "foreign_affairs", "外事接待费"),
                                  ("abroad", "overseas", "国（境）外接待费")):
        record = getattr(tp, part)
        section = seen(record, "amount")
        if record.amount is None and section and part == "domestic":
            out.append(_missing(f"three_public.reception_detail.{field_key}.amount", name, section, "不写国内接待明细"))

    a = c["admin_cost"]
    section = seen(a, "amount")
    if a.amount is None and section:
        out.append(_missing("admin_operating_cost.amount", "机关运行经费", section, "不写机关运行经费"))
    section = seen(a, "change", "prior")
    if a.prior is None and section:
        out.append(_missing("admin_operating_cost.prior_year", "上年机关运行经费", section, "不写与上年的比较"))
    out.extend(_change_reason(a.change, a.reason, "admin_operating_cost.change_reason", "机关运行经费", t,
                              seen(a, "reason")))
    p = c["procurement"]
    section = seen(p, "goods")
    if p.total is not None and p.goods is None and section:
        out.append(_missing("procurement.goods、procurement.works、procurement.services", "政府采购货物、工程、服务支出",
                            section, "只写政府采购支出总额，不写其中货物、工程、服务各多少"))
    for name, path in PROCUREMENT_FIELDS:
        what = ProcurementNotes.model_fields[path].title
        section = seen(p, name)
        if getattr(p, name) is None and section:
            out.append(_missing(f"procurement.{path}", what, section, f"不写{what}"))
    assets = c["assets"]
    for name, path, what in ASSET_FIELDS:
        section = seen(assets, name)
        if getattr(assets, name) is None and section:
            out.append(_missing(path, what, section, f"不写{what}"))
    perf = c["performance"]
    section = seen(perf, "projects")
    if perf.projects is None and section:
        out.append(_missing("performance.self_evaluated_projects", "绩效自评项目个数", section, "写“未开展项目绩效自评”"))
    return out


def _function_findings(item: Any, base: str, policy: Policy, field: str, field_name: str, t: Decimal, bt: Decimal,
                       seen: Any) -> Iterator[Finding]:
    what = f"{item.code} {item.name}"
    basis = pick(item, policy)
    section = seen(item, "budget_options", "budget_initial", "completion")
    if basis is None and section:
        yield _missing(f"{base}.{field}", f"{what} {field_name}", section, f"不写该科目的{field_name[:-1]}和完成率")
    section = seen(item, "change", "prior")
    if item.prior is None and section:
        yield _missing(f"{base}.prior_year", f"{what} 上年决算数", section, "不写该科目与上年的比较")
    section = seen(item, "uses")
    if not item.uses and section:
        yield _missing(f"{base}.uses", f"{what} 主要用于", section, "不写该科目“用于……”")
    yield from _change_reason(item.change, item.change_reason, f"{base}.change_reason", what, t,
                              seen(item, "change_reason"))
    yield from _budget_reason(item.amount, basis, item.budget_reason, f"{base}.budget_reason", what, bt,
                              seen(item, "budget_reason"))

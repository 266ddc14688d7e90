"""What the narrative will lack: inputs outside the tables, and reasons for changes.

Works on the computed facts (the same ones the templates print), so what it
reports is exactly what the text will omit or leave unexplained.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterator

from ..budget import INITIAL, Policy, pick
from ..computation import Facts
from .engine import Finding

NEEDS_REASON = "需说明原因"
MISSING = "缺少数据"


class _Named:
    """A record seen with a key and a name (for the combined 公务用车 item)."""

    def __init__(self, record: Any, key: str, name: str) -> None:
        self._record, self.key, self.name = record, key, name

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._record, attr)


def _missing(path: str, what: str, sentence: str) -> Finding:
    return Finding(MISSING, "info", MISSING, f"未填 {path}（{what}）：{sentence}")


def _rate_exceeds(rate: Any, threshold: Decimal) -> bool:
    """A change needs a reason when its rate exceeds the threshold (always when there is no rate)."""
    if threshold.is_infinite():
        return False
    return rate is None or rate.value > threshold


def _change_reason(change: Any, reason: Any, path: str, what: str, threshold: Decimal) -> Iterator[Finding]:
    if change is None or change.equal or reason:
        return
    if _rate_exceeds(change.rate, threshold):
        direction = "增加" if change.increase else "减少"
        rate = f"，{'增长' if change.increase else '下降'}{change.rate.value}%" if change.rate else ""
        yield Finding(NEEDS_REASON, "warning", NEEDS_REASON,
                      f"{what}较上年{direction}{change.amount.value}万元{rate}，未说明原因：请填写 {path}")


def _budget_reason(actual: Any, basis: Any, reason: Any, path: str, what: str, threshold: Decimal) -> Iterator[Finding]:
    """``basis``: the budget the profile compares with (:func:`narrate.budget.pick`), its label printed."""
    if basis is None or reason or actual.value == basis.budget.value:
        return
    budget = basis.budget
    rate = None if budget.value == 0 else abs(actual.value - budget.value) * 100 / budget.value
    if not threshold.is_infinite() and (rate is None or rate > threshold):
        direction = "大于" if actual.value > budget.value else "小于"
        yield Finding(NEEDS_REASON, "warning", NEEDS_REASON,
                      f"{what}决算数 {actual.value} {direction}{basis.label}数 {budget.value}，未说明原因：请填写 {path}")


def _budget_field(policy: Policy) -> tuple[str, str]:
    """The field a missing budget names, and what it is, under the profile's baseline."""
    if policy.baseline == INITIAL:
        return "budget_initial", "年初预算数"
    return "budget_full_year", "全年预算数"


LEVEL_DIGITS = {"类": 3, "款": 5, "项": 7}


def narrative_findings(facts: Facts, reason_threshold: Decimal = Decimal(0),
                       explains: frozenset[str] = frozenset({"change", "budget"}), detail_level: str = "类",
                       three_public_items: tuple[str, ...] = ("overseas", "vehicle_purchase", "vehicle_operation",
                                                              "reception"),
                       detail_prior: bool = True, budget_policy: Policy | None = None) -> list[Finding]:
    """Missing inputs (info) and changes without a reason (warnings, above ``reason_threshold`` percent).

    ``explains`` says which differences the layout explains: "change" (较上年) and/or
    "budget" (决算与年初预算); a profile's ``reasons`` key sets it.
    """
    c = facts.context
    policy = budget_policy or Policy()
    field, field_name = _budget_field(policy)
    out: list[Finding] = []
    t = reason_threshold
    if "change" not in explains:
        t = Decimal("Infinity")
    bt = reason_threshold if "budget" in explains else Decimal("Infinity")
    for key, section, label in (("totals", "一、收入支出决算总体情况", ""), ("fiscal", "四、财政拨款收支决算总体情况", "财政拨款")):
        record = c[key]
        path = "totals" if key == "totals" else "fiscal_totals"
        if record.income_change is None:
            out.append(_missing(f"{path}.prior_income_total", f"上年{label}收入总计", f"{section}将不写与上年的比较"))
        if record.expenditure_change is None:
            out.append(_missing(f"{path}.prior_expenditure_total", f"上年{label}支出总计", f"{section}将不写与上年的比较"))
        out.extend(_change_reason(record.income_change, record.reason, f"{path}.change_reason", f"{label}收入总计", t))
    gb = c["general_budget"]
    if gb.prior is None:
        out.append(_missing("general_budget.prior_year", "上年一般公共预算财政拨款支出", "五（一）将不写与上年的比较"))
    gb_basis = pick(gb, policy)
    if gb_basis is None:
        out.append(_missing(f"general_budget.{field}", field_name, f"五（三）将不写{field_name[:-1]}和完成率"))
    out.extend(_change_reason(gb.change, gb.change_reason, "general_budget.change_reason", "一般公共预算财政拨款支出", t))
    out.extend(_budget_reason(gb.total, gb_basis, gb.budget_reason, "general_budget.budget_reason",
                              "一般公共预算财政拨款支出", bt))
    for code in facts.orphan_notes:
        out.append(Finding("数据不对应", "warning", "数据不对应",
                           f"general_budget.functions 中的科目 {code} 在公开05表中没有这一行，其年初预算、上年数和说明不会用到"))
    detail_rows = [r for r in gb.rows if len(r.code) == LEVEL_DIGITS.get(detail_level, 3)]
    level_note = f"五（三）该{detail_level}"
    for item in detail_rows:
        base = f"general_budget.functions.{item.code}"
        what = f"{item.code} {item.name}"
        item_basis = pick(item, policy)
        if item_basis is None:
            out.append(_missing(f"{base}.{field}", f"{what} {field_name}", f"{level_note}将不写{field_name[:-1]}和完成率"))
        if item.prior is None and detail_prior:
            out.append(_missing(f"{base}.prior_year", f"{what} 上年决算数", f"{level_note}将不写与上年的比较"))
        if not item.uses:
            out.append(_missing(f"{base}.uses", f"{what} 主要用于", f"{level_note}将不写“用于……”"))
        out.extend(_change_reason(item.change, item.change_reason, f"{base}.change_reason", what, t))
        out.extend(_budget_reason(item.amount, item_basis, item.budget_reason, f"{base}.budget_reason", what, bt))
    tp = c["three_public"]
    if tp.prior is None:
        out.append(_missing("three_public.prior_year.total", "上年“三公”经费", "九（一）将不写与上年的比较"))
    out.extend(_change_reason(tp.change, tp.change_reason, "three_public.change_reason", "“三公”经费", t))
    for key in three_public_items:
        item = getattr(tp, key)
        if key == "vehicle":
            item = _Named(item, "vehicle", "公务用车购置及运行维护费")
        if item.prior is None:
            out.append(_missing(f"three_public.prior_year.{item.key}", f"上年{item.name}", f"九（一）{item.name}将不写与上年的比较"))
        out.extend(_change_reason(item.change, item.change_reason, f"three_public.{item.key}.change_reason", item.name, t))
    if tp.domestic.amount is None:
        out.append(_missing("three_public.reception_detail.domestic.amount", "国内公务接待费", "九（二）将不写国内接待明细"))
    a = c["admin_cost"]
    if not a.amount.is_zero and a.prior is None:
        out.append(_missing("admin_operating_cost.prior_year", "上年机关运行经费", "十（一）将不写与上年的比较"))
    out.extend(_change_reason(a.change, a.reason, "admin_operating_cost.change_reason", "机关运行经费", t))
    if c["procurement"].sme is None:
        out.append(_missing("procurement.sme_amount", "授予中小企业合同金额", "十（二）将不写中小企业、小微企业合同金额"))
    if c["performance"].projects is None:
        out.append(_missing("performance.self_evaluated_projects", "绩效自评项目个数", "十（四）将写“未开展项目绩效自评”"))
    return out

"""Hypothesis strategies that build random, internally consistent units (as plain data).

A unit is generated bottom-up in cents, so every printed total is exactly the
sum of its parts: 项 → 款 → 类 → 合计 in 公开05表 (and 02/03/04/01 from it),
人员经费 + 公用经费 = 基本支出 in 公开06表, 三公 totals from their items, and
公开10表 counts from their kinds.  Figures outside the tables (上年, 年初预算)
are absent, 0, equal to this year, or random; free text is drawn from a
vocabulary without direction words (增加/减少/持平/相同…), so any such word
in the output comes from the templates.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

CLASSES = [
    ("201", "一般公共服务支出"), ("205", "教育支出"), ("207", "文化旅游体育与传媒支出"), ("208", "社会保障和就业支出"),
    ("210", "卫生健康支出"), ("212", "城乡社区支出"), ("213", "农林水支出"), ("221", "住房保障支出"),
]
WORDS = ["人员经费", "项目资金", "工作经费", "专项补助", "设备购置", "培训", "公用经费", "退休补贴", "信息化建设", "会议"]


def cents_to_amount(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


amounts_in_cents = st.one_of(
    st.just(0),
    st.integers(min_value=1, max_value=99),                 # tiny: under 1 万元
    st.integers(min_value=100, max_value=10_000_000),      # ordinary
    st.integers(min_value=10_000_000, max_value=5_000_000_000_00 // 100),  # large
)

free_text = st.one_of(
    st.none(),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map("、".join),
)


@st.composite
def relative_to(draw, current: Decimal) -> Decimal | None:
    """An input relative to this year's figure: absent, 0, equal, or random."""
    choice = draw(st.sampled_from(["absent", "zero", "equal", "random", "random"]))
    if choice == "absent":
        return None
    if choice == "zero":
        return Decimal("0.00")
    if choice == "equal":
        return current
    return cents_to_amount(draw(amounts_in_cents))


@st.composite
def function_tree(draw) -> list[dict[str, Any]]:
    """Rows of 公开05表: 类/款/项 with basic and project amounts; parents are sums of children."""
    classes = draw(st.lists(st.sampled_from(CLASSES), min_size=1, max_size=4, unique_by=lambda c: c[0]))
    rows: list[dict[str, Any]] = []
    for code, name in sorted(classes):
        kuan_rows = []
        for k in range(draw(st.integers(1, 3))):
            kuan = f"{code}{k + 1:02d}"
            items = []
            for i in range(draw(st.integers(1, 3))):
                basic, project = draw(amounts_in_cents), draw(amounts_in_cents)
                items.append({"code": f"{kuan}{i + 1:02d}", "name": f"项{kuan}{i + 1:02d}", "basic": basic, "project": project})
            kuan_rows.append(({"code": kuan, "name": f"款{kuan}", "basic": sum(x["basic"] for x in items),
                               "project": sum(x["project"] for x in items)}, items))
        rows.append({"code": code, "name": name, "basic": sum(k["basic"] for k, _ in kuan_rows),
                     "project": sum(k["project"] for k, _ in kuan_rows)})
        for kuan_row, items in kuan_rows:
            rows.append(kuan_row)
            rows.extend(items)
    return rows


def _money(row: dict[str, Any]) -> dict[str, Any]:
    out = {"code": row["code"], "name": row["name"], "total": cents_to_amount(row["basic"] + row["project"])}
    if row["basic"]:
        out["basic"] = cents_to_amount(row["basic"])
    if row["project"]:
        out["project"] = cents_to_amount(row["project"])
    return out


@st.composite
def units(draw) -> dict[str, Any]:
    """A consistent unit's figures as plain data (Decimal amounts, int counts)."""
    tree = draw(function_tree())
    classes = [r for r in tree if len(r["code"]) == 3]
    basic = sum(r["basic"] for r in classes)
    project = sum(r["project"] for r in classes)
    total = basic + project
    kind = draw(st.sampled_from(["行政单位", "事业单位", "参公事业单位"]))
    year = draw(st.integers(2015, 2030))

    # 公开06表: split 基本支出 into 人员经费 (301/303) and 公用经费 (302/310)
    personnel = draw(st.integers(0, basic))
    public = basic - personnel
    reception_basic = draw(st.integers(0, public))
    vehicle_basic = draw(st.integers(0, public - reception_basic))
    office = public - reception_basic - vehicle_basic
    t06_rows = [
        {"code": "301", "name": "工资福利支出", "amount": cents_to_amount(personnel)},
        {"code": "30101", "name": "基本工资", "amount": cents_to_amount(personnel)},
        {"code": "302", "name": "商品和服务支出", "amount": cents_to_amount(public)},
        {"code": "30201", "name": "办公费", "amount": cents_to_amount(office)},
        {"code": "30217", "name": "公务接待费", "amount": cents_to_amount(reception_basic)},
        {"code": "30231", "name": "公务用车运行维护费", "amount": cents_to_amount(vehicle_basic)},
    ]

    # 公开09表: actual items ≥ the 06表 basic items
    overseas = draw(amounts_in_cents)
    purchase = draw(st.one_of(st.just(0), amounts_in_cents))
    operation = vehicle_basic + draw(st.one_of(st.just(0), amounts_in_cents))
    reception = reception_basic + draw(st.one_of(st.just(0), amounts_in_cents))
    budget = {k: draw(st.one_of(st.just(0), amounts_in_cents)) for k in ("overseas", "purchase", "operation", "reception")}

    def three(o: int, p: int, v: int, r: int) -> dict[str, Decimal]:
        return {"total": cents_to_amount(o + p + v + r), "overseas": cents_to_amount(o),
                "vehicle_total": cents_to_amount(p + v), "vehicle_purchase": cents_to_amount(p),
                "vehicle_operation": cents_to_amount(v), "reception": cents_to_amount(r)}

    actual = three(overseas, purchase, operation, reception)
    goods, works, services = (draw(amounts_in_cents) for _ in range(3))
    vehicle_kinds = {k: draw(st.integers(0, 5)) for k in ("emergency", "law_enforcement", "other")}
    total_amount = cents_to_amount(total)
    fiscal_year_totals = {"total": total_amount, "general_budget": total_amount}
    admin = cents_to_amount(public) if kind != "事业单位" else Decimal("0.00")
    data: dict[str, Any] = {
        "unit": {"name": draw(st.sampled_from(["某某县财政局", "某某区教育局", "某某市档案馆"])), "year": year, "kind": kind},
        "tables": {
            "t01": {"income": {"general_budget": total_amount}, "income_total": total_amount,
                    "income_grand_total": total_amount,
                    "expenditure": {r["name"]: cents_to_amount(r["basic"] + r["project"]) for r in classes},
                    "expenditure_total": total_amount, "expenditure_grand_total": total_amount},
            "t02": {"total": {"total": total_amount, "fiscal": total_amount},
                    "rows": [{"code": r["code"], "name": r["name"], "total": cents_to_amount(r["basic"] + r["project"]),
                              "fiscal": cents_to_amount(r["basic"] + r["project"])} for r in tree]},
            "t03": {"total": {"total": total_amount, "basic": cents_to_amount(basic), "project": cents_to_amount(project)},
                    "rows": [_money(r) for r in tree]},
            "t04": {"income": {"total": total_amount, "general_budget": total_amount}, "income_grand_total": total_amount,
                    "expenditure": {r["name"]: {"total": cents_to_amount(r["basic"] + r["project"]),
                                                "general_budget": cents_to_amount(r["basic"] + r["project"])}
                                    for r in classes},
                    "expenditure_total": fiscal_year_totals, "expenditure_grand_total": fiscal_year_totals},
            "t05": {"total": {"total": total_amount, "basic": cents_to_amount(basic), "project": cents_to_amount(project)},
                    "rows": [_money(r) for r in tree]},
            "t06": {"rows": t06_rows, "personnel_total": cents_to_amount(personnel), "public_total": cents_to_amount(public)},
            "t09": {"budget": three(budget["overseas"], budget["purchase"], budget["operation"], budget["reception"]),
                    "actual": actual},
            "t10": {"procurement": {"total": cents_to_amount(goods + works + services), "goods": cents_to_amount(goods),
                                    "works": cents_to_amount(works), "services": cents_to_amount(services)},
                    "admin_operating_cost": {"administrative" if kind == "行政单位" else "civil_servant_managed": admin},
                    "vehicles": {"total": sum(vehicle_kinds.values()), **vehicle_kinds},
                    "equipment_over_1m": draw(st.integers(0, 3))},
        },
    }
    prior_total = draw(relative_to(total_amount))
    data["totals"] = {"prior_income_total": prior_total, "prior_expenditure_total": prior_total,
                      "change_reason": draw(free_text)}
    data["fiscal_totals"] = {"prior_income_total": prior_total, "prior_expenditure_total": prior_total,
                             "change_reason": draw(free_text)}
    data["general_budget"] = {
        "prior_year": draw(relative_to(total_amount)), "budget_initial": draw(relative_to(total_amount)),
        "change_reason": draw(free_text), "budget_reason": draw(free_text),
        "functions": {
            r["code"]: {"budget_initial": draw(relative_to(cents_to_amount(r["basic"] + r["project"]))),
                        "prior_year": draw(relative_to(cents_to_amount(r["basic"] + r["project"]))),
                        "uses": draw(free_text), "change_reason": draw(free_text), "budget_reason": draw(free_text)}
            for r in classes if draw(st.integers(0, 3))  # 3 in 4 classes come with notes
        },
    }
    data["basic"] = {"personnel_summary": draw(free_text), "public_summary": draw(free_text)}
    data["three_public"] = {
        "prior_year": {"total": draw(relative_to(actual["total"])), "overseas": draw(relative_to(actual["overseas"])),
                       "vehicle_purchase": draw(relative_to(actual["vehicle_purchase"])),
                       "vehicle_operation": draw(relative_to(actual["vehicle_operation"])),
                       "reception": draw(relative_to(actual["reception"]))},
        "change_reason": draw(free_text),
        **{k: {"change_reason": draw(free_text), "uses": draw(free_text)}
           for k in ("overseas", "vehicle_purchase", "vehicle_operation", "reception")},
        "overseas_groups": draw(st.integers(0, 5)), "overseas_people": draw(st.integers(0, 30)),
        "vehicles_purchased": draw(st.integers(0, 2)), "vehicles_held": draw(st.integers(0, sum(vehicle_kinds.values()))),
    }
    if draw(st.booleans()):
        batches, people = draw(st.integers(0, 20)), draw(st.integers(0, 200))
        data["three_public"]["reception_detail"] = {
            "batches": batches, "people": people,
            "domestic": {"amount": actual["reception"], "batches": batches, "people": people, "note": draw(free_text)},
            "foreign_affairs": {"amount": Decimal("0.00"), "batches": 0, "people": 0},
            "overseas": {"amount": Decimal("0.00"), "batches": 0, "people": 0, "note": draw(free_text)},
        }
    data["admin_operating_cost"] = {"prior_year": draw(relative_to(admin)), "change_reason": draw(free_text)}
    procurement_total = goods + works + services
    sme = draw(st.integers(0, procurement_total))
    data["procurement"] = {"sme_amount": cents_to_amount(sme), "small_micro_amount": cents_to_amount(draw(st.integers(0, sme)))}
    if draw(st.booleans()):
        grades = {"优": draw(st.integers(0, 20)), "良": draw(st.integers(0, 5))}
        data["performance"] = {"self_evaluated_projects": sum(grades.values()), "grades": grades,
                               "amount": cents_to_amount(draw(amounts_in_cents))}
    return _drop_none(data)


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value

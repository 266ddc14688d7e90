"""Synthetic units: varied, internally consistent figures for tests and benchmarks.

A unit is built bottom-up in cents, so every printed total is exactly the sum
of its parts (项 → 款 → 类 → 合计 in 公开05表, and 02/03/04/01 from it; 人员经费 +
公用经费 = 基本支出 in 公开06表; “三公” totals from their items; 公开10表 counts from
their kinds).  Figures outside the tables (上年, 年初预算) are absent, 0, equal
to this year, or random.  Free text comes from a vocabulary without direction
words (增加/减少/持平/相同…), so any such word in the output comes from templates.

The builder draws its choices from a *picker*, so the same code serves a
seeded generator (:func:`synthetic_unit`, :func:`synthetic_units`, for
benchmarks and ``render_many`` examples) and Hypothesis strategies
(tests/strategies.py, for property tests).
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any, Iterator, Protocol, Sequence

from .rules.blank import has_data

CLASSES = [
    ("201", "一般公共服务支出"), ("205", "教育支出"), ("207", "文化旅游体育与传媒支出"), ("208", "社会保障和就业支出"),
    ("210", "卫生健康支出"), ("212", "城乡社区支出"), ("213", "农林水支出"), ("221", "住房保障支出"),
]
WORDS = ["人员经费", "项目资金", "工作经费", "专项补助", "设备购置", "培训", "公用经费", "退休补贴", "信息化建设", "会议"]
UNIT_NAMES = ["某某县财政局", "某某区教育局", "某某市档案馆", "某某县农业农村局", "某某区卫生健康委员会"]


class Picker(Protocol):
    """Where the builder's choices come from."""

    def integer(self, low: int, high: int) -> int: ...
    def choice(self, options: Sequence[Any]) -> Any: ...
    def subset(self, options: Sequence[Any], low: int, high: int) -> list[Any]: ...
    def cents(self) -> int: ...


class RandomPicker:
    """Choices from a seeded :class:`random.Random`: the same seed gives the same units."""

    def __init__(self, seed: int | random.Random) -> None:
        self.rng = seed if isinstance(seed, random.Random) else random.Random(seed)

    def integer(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def choice(self, options: Sequence[Any]) -> Any:
        return self.rng.choice(list(options))

    def subset(self, options: Sequence[Any], low: int, high: int) -> list[Any]:
        return self.rng.sample(list(options), self.rng.randint(low, min(high, len(options))))

    def cents(self) -> int:
        kind = self.rng.randint(0, 3)
        return (0, self.rng.randint(1, 99), self.rng.randint(100, 10_000_000), self.rng.randint(10_000_000, 5_000_000_000))[kind]


def amount(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def _text(pick: Picker) -> str | None:
    if pick.integer(0, 2) == 0:
        return None
    return "、".join(pick.subset(WORDS, 1, 4))


def _relative(pick: Picker, current: Decimal) -> Decimal | None:
    choice = pick.choice(["absent", "zero", "equal", "random", "random"])
    if choice == "absent":
        return None
    if choice == "zero":
        return Decimal("0.00")
    if choice == "equal":
        return current
    return amount(pick.cents())


def _tree(pick: Picker) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for code, name in sorted(pick.subset(CLASSES, 1, 4)):
        kuan_rows = []
        for k in range(pick.integer(1, 3)):
            kuan = f"{code}{k + 1:02d}"
            items = [{"code": f"{kuan}{i + 1:02d}", "name": f"项{kuan}{i + 1:02d}", "basic": pick.cents(), "project": pick.cents()}
                     for i in range(pick.integer(1, 3))]
            kuan_rows.append(({"code": kuan, "name": f"款{kuan}", "basic": sum(x["basic"] for x in items),
                               "project": sum(x["project"] for x in items)}, items))
        rows.append({"code": code, "name": name, "basic": sum(k["basic"] for k, _ in kuan_rows),
                     "project": sum(k["project"] for k, _ in kuan_rows)})
        for kuan_row, items in kuan_rows:
            rows.append(kuan_row)
            rows.extend(items)
    return rows


def _money(row: dict[str, Any]) -> dict[str, Any]:
    out = {"code": row["code"], "name": row["name"], "total": amount(row["basic"] + row["project"])}
    if row["basic"]:
        out["basic"] = amount(row["basic"])
    if row["project"]:
        out["project"] = amount(row["project"])
    return out


def build_unit(pick: Picker, name: str | None = None) -> dict[str, Any]:
    """One consistent unit's figures as plain data (Decimal amounts, int counts)."""
    tree = _tree(pick)
    classes = [r for r in tree if len(r["code"]) == 3]
    basic = sum(r["basic"] for r in classes)
    project = sum(r["project"] for r in classes)
    total = amount(basic + project)
    kind = pick.choice(["行政单位", "事业单位", "参公事业单位"])

    personnel = pick.integer(0, basic)
    public = basic - personnel
    reception_basic = pick.integer(0, public)
    vehicle_basic = pick.integer(0, public - reception_basic)
    t06_rows = [
        {"code": "301", "name": "工资福利支出", "amount": amount(personnel)},
        {"code": "30101", "name": "基本工资", "amount": amount(personnel)},
        {"code": "302", "name": "商品和服务支出", "amount": amount(public)},
        {"code": "30201", "name": "办公费", "amount": amount(public - reception_basic - vehicle_basic)},
        {"code": "30217", "name": "公务接待费", "amount": amount(reception_basic)},
        {"code": "30231", "name": "公务用车运行维护费", "amount": amount(vehicle_basic)},
    ]

    def three(o: int, p: int, v: int, r: int) -> dict[str, Decimal]:
        return {"total": amount(o + p + v + r), "overseas": amount(o), "vehicle_total": amount(p + v),
                "vehicle_purchase": amount(p), "vehicle_operation": amount(v), "reception": amount(r)}

    def maybe_zero() -> int:
        return 0 if pick.integer(0, 1) == 0 else pick.cents()

    actual = three(pick.cents(), maybe_zero(), vehicle_basic + maybe_zero(), reception_basic + maybe_zero())
    budget = three(maybe_zero(), maybe_zero(), maybe_zero(), maybe_zero())
    goods, works, services = pick.cents(), pick.cents(), pick.cents()
    kinds = {k: pick.integer(0, 5) for k in ("emergency", "law_enforcement", "other")}
    admin = amount(public) if kind != "事业单位" else Decimal("0.00")
    fiscal = {"total": total, "general_budget": total}
    data: dict[str, Any] = {
        "unit": {"name": name or pick.choice(UNIT_NAMES), "year": pick.integer(2015, 2030), "kind": kind},
        "tables": {
            "t01": {"income": {"general_budget": total}, "income_total": total, "income_grand_total": total,
                    "expenditure": {r["name"]: amount(r["basic"] + r["project"]) for r in classes},
                    "expenditure_total": total, "expenditure_grand_total": total},
            "t02": {"total": {"total": total, "fiscal": total},
                    "rows": [{"code": r["code"], "name": r["name"], "total": amount(r["basic"] + r["project"]),
                              "fiscal": amount(r["basic"] + r["project"])} for r in tree]},
            "t03": {"total": {"total": total, "basic": amount(basic), "project": amount(project)},
                    "rows": [_money(r) for r in tree]},
            "t04": {"income": {"total": total, "general_budget": total}, "income_grand_total": total,
                    "expenditure": {r["name"]: {"total": amount(r["basic"] + r["project"]),
                                                "general_budget": amount(r["basic"] + r["project"])} for r in classes},
                    "expenditure_total": fiscal, "expenditure_grand_total": fiscal},
            "t05": {"total": {"total": total, "basic": amount(basic), "project": amount(project)},
                    "rows": [_money(r) for r in tree]},
            "t06": {"rows": t06_rows, "personnel_total": amount(personnel), "public_total": amount(public)},
            "t09": {"budget": budget, "actual": actual},
            "t10": {"procurement": {"total": amount(goods + works + services), "goods": amount(goods),
                                    "works": amount(works), "services": amount(services)},
                    "admin_operating_cost": {"administrative" if kind == "行政单位" else "civil_servant_managed": admin},
                    "vehicles": {"total": sum(kinds.values()), **kinds},
                    "equipment_over_1m": pick.integer(0, 3)},
        },
    }
    prior_total = _relative(pick, total)
    for key in ("totals", "fiscal_totals"):
        data[key] = {"prior_income_total": prior_total, "prior_expenditure_total": prior_total, "change_reason": _text(pick)}
    data["general_budget"] = {
        "prior_year": _relative(pick, total), "budget_initial": _relative(pick, total),
        "change_reason": _text(pick), "budget_reason": _text(pick),
        "functions": {
            r["code"]: {"budget_initial": _relative(pick, amount(r["basic"] + r["project"])),
                        "prior_year": _relative(pick, amount(r["basic"] + r["project"])),
                        "uses": _text(pick), "change_reason": _text(pick), "budget_reason": _text(pick)}
            for r in classes if pick.integer(0, 3)  # 3 in 4 classes come with notes
        },
    }
    data["basic"] = {"personnel_summary": _text(pick), "public_summary": _text(pick)}
    data["three_public"] = {
        "prior_year": {key: _relative(pick, actual[key])
                       for key in ("total", "overseas", "vehicle_purchase", "vehicle_operation", "reception")},
        "change_reason": _text(pick),
        **{k: {"change_reason": _text(pick), "uses": _text(pick)}
           for k in ("overseas", "vehicle_purchase", "vehicle_operation", "reception")},
        "overseas_groups": pick.integer(0, 5), "overseas_people": pick.integer(0, 30),
        "vehicles_purchased": pick.integer(0, 2), "vehicles_held": pick.integer(0, sum(kinds.values())),
    }
    if pick.integer(0, 1):
        batches, people = pick.integer(0, 20), pick.integer(0, 200)
        data["three_public"]["reception_detail"] = {
            "batches": batches, "people": people,
            "domestic": {"amount": actual["reception"], "batches": batches, "people": people, "note": _text(pick)},
            "foreign_affairs": {"amount": Decimal("0.00"), "batches": 0, "people": 0},
            "overseas": {"amount": Decimal("0.00"), "batches": 0, "people": 0, "note": _text(pick)},
        }
    data["admin_operating_cost"] = {"prior_year": _relative(pick, admin), "change_reason": _text(pick)}
    sme = pick.integer(0, goods + works + services)
    data["procurement"] = {"sme_amount": amount(sme), "small_micro_amount": amount(pick.integer(0, sme))}
    if pick.integer(0, 1):
        grades = {"优": pick.integer(0, 20), "良": pick.integer(0, 5)}
        data["performance"] = {"self_evaluated_projects": sum(grades.values()), "grades": grades, "amount": amount(pick.cents())}
    blank = [key for key, table in data["tables"].items() if not has_data(table)]
    if blank:  # a unit with no such 收支 states its empty tables, as a real one must
        data["unit"]["empty_tables"] = "、".join(f"公开{key[1:]}表" for key in sorted(blank))
    return _drop_none(data)


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value


def synthetic_unit(seed: int, name: str | None = None) -> dict[str, Any]:
    """The unit of a seed (plain data; ``narrate.figures_from_data`` validates it)."""
    return build_unit(RandomPicker(seed), name)


def synthetic_units(count: int, seed: int = 0) -> Iterator[dict[str, Any]]:
    """``count`` varied units, named 单位0001…, reproducible from ``seed``."""
    rng = random.Random(seed)
    for i in range(count):
        yield build_unit(RandomPicker(rng.randrange(2**32)), name=f"合成单位{i + 1:04d}")

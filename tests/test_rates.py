"""Every rate in the example's text recomputes from the figures, derived here independently.

This test does not use narrate's facts or numbers modules: it reads the example
YAML with plain PyYAML (numbers as text → Decimal), applies the documented
formulas with ROUND_HALF_UP, and compares with the rates printed in each
paragraph, in order.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import yaml

import narrate

RATE = re.compile(r"(\d[\d,]*\.\d{2})%")


class DecimalLoader(yaml.SafeLoader):
    pass


DecimalLoader.add_constructor("tag:yaml.org,2002:float", lambda loader, node: Decimal(node.value))
DecimalLoader.add_constructor("tag:yaml.org,2002:int", lambda loader, node: Decimal(node.value))


def pct(a, b) -> str:
    return str((Decimal(a) / Decimal(b) * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def growth(now, before) -> str:
    return pct(abs(Decimal(now) - Decimal(before)), before)


def expected_rates(data) -> dict[str, list[str]]:
    """Paragraph prefix → the rates that paragraph must print, in order."""
    t = data["tables"]
    year = data["unit"]["year"]
    out: dict[str, list[str]] = {}
    t01, t04 = t["t01"], t["t04"]
    out[f"{year}年度收入总计"] = [
        growth(t01["income_grand_total"], data["totals"]["prior_income_total"]),
        growth(t01["expenditure_grand_total"], data["totals"]["prior_expenditure_total"]),
    ]
    out[f"{year}年度财政拨款收入总计"] = [
        growth(t04["income_grand_total"], data["fiscal_totals"]["prior_income_total"]),
        growth(t04["expenditure_grand_total"]["total"], data["fiscal_totals"]["prior_expenditure_total"]),
    ]
    t02_total = t["t02"]["total"]
    out["财政拨款收入"] = [pct(t02_total["fiscal"], t02_total["total"])]
    t03_total = t["t03"]["total"]
    out["基本支出"] = [pct(t03_total["basic"], t03_total["total"])]
    out["项目支出"] = [pct(t03_total["project"], t03_total["total"])]
    t05_total = t["t05"]["total"]["total"]
    gb = data["general_budget"]
    out[f"{year}年一般公共预算财政拨款决算支出"] = [
        pct(t05_total, t03_total["total"]),
        growth(t05_total, gb["prior_year"]),
    ]
    out[f"{year}年度一般公共预算财政拨款支出年初预算"] = [pct(t05_total, gb["budget_initial"])]
    for row in t["t05"]["rows"]:
        if len(row["code"]) != 3:
            continue
        out[f"{row['name']}(类)"] = [pct(row["total"], t05_total)]
        notes = gb["functions"][row["code"]]
        rates = [pct(row["total"], notes["budget_initial"])]
        if notes["prior_year"] != 0:
            rates.append(growth(row["total"], notes["prior_year"]))
        out[f"{row['name']}年初预算"] = rates
    t09 = t["t09"]
    tp = data["three_public"]
    out[f"{year}年度“三公”经费"] = [pct(t09["actual"]["total"], t09["budget"]["total"]),
                                  growth(t09["actual"]["total"], tp["prior_year"]["total"])]
    names = {"overseas": "因公出国（境）费支出", "vehicle_purchase": "公务用车购置费支出",
             "vehicle_operation": "公务用车运行维护费支出", "reception": "公务接待费支出"}
    for key, name in names.items():
        actual = t09["actual"].get(key, Decimal(0))
        budget = t09["budget"].get(key, Decimal(0))
        prior = tp["prior_year"][key]
        rates = [pct(actual, budget)] if budget else []
        if prior and actual != prior:
            rates.append(growth(actual, prior))
        out[name] = rates
    out[f"{year}年机关运行经费支出"] = [
        growth(t["t10"]["admin_operating_cost"]["administrative"], data["admin_operating_cost"]["prior_year"])
    ]
    return out


def test_every_printed_rate_recomputes(example_path, example_document):
    data = yaml.load(example_path.read_text(encoding="utf-8"), Loader=DecimalLoader)
    expected = expected_rates(data)
    seen = set()
    for block in example_document.blocks:
        printed = [m.replace(",", "") for m in RATE.findall(block.text)]
        matches = [prefix for prefix in expected if block.text.startswith(prefix)]
        if not printed:
            assert not any(expected[p] for p in matches), f"rates missing in: {block.text[:40]}"
            continue
        assert len(matches) == 1, f"a paragraph prints rates nobody derived: {block.text[:60]}"
        assert printed == expected[matches[0]], block.text[:60]
        seen.add(matches[0])
    assert seen == {p for p, rates in expected.items() if rates}
    assert len(seen) >= 15

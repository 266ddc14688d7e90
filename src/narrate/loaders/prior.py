"""Last year's figures (上年) from last year's published document.

The 上年 figures the narrative compares against are the totals of last year's
tables: 收入总计/支出总计 (公开01表), 财政拨款收入/支出总计 (公开04表), the
一般公共预算财政拨款支出 total and each 类 (公开05表), the “三公”经费 决算数
(公开09表) and 机关运行经费 (公开10表).  :func:`prior_from_document` reads them
from last year's Word document, workbook or figures file; :func:`merge_prior`
fills them into this year's figures wherever the figures leave them out.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import FiguresError, Problem

PRIOR_TABLES = (1, 4, 5, 9, 10)
THREE_PUBLIC_PRIOR = ("total", "overseas", "vehicle_purchase", "vehicle_operation", "reception")


def _figures_of(path: Path) -> tuple[Any, bool, bool]:
    """Last year's figures (tables 01/04/05/09 at least, and 10 unless its layout has nine tables),
    whether its year is known, and whether it has 公开10表."""
    from .grid import Builder, read_tables, validate
    from .grid.read import report_missing
    from .text import FORMATS, load_text

    suffix = path.suffix.lower()
    if suffix in FORMATS:
        from .grid.read import absent_tables

        figures = load_text(path)
        return figures, True, "t10" not in absent_tables(figures.profile)
    if suffix in (".docx", ".docm"):
        from .docx_tables import read_blocks
    else:
        from .xlsx import SUFFIXES, read_blocks  # type: ignore[assignment]

        if suffix not in SUFFIXES:
            raise FiguresError(str(path), [Problem(f"不认识的上年文件类型“{path.suffix}”",
                                                   expected="上年的决算公开 Word 文档（.docx）、Excel 工作簿（.xlsx）或数据文件")])
    blocks = read_blocks(path)
    b = Builder(str(path))
    meta = read_tables(blocks, b, only=PRIOR_TABLES, strict=False)
    report_missing(meta, b, absent=frozenset({"t10"}))  # a nine-table document: no 上年机关运行经费
    has_t10 = 10 not in meta.get("missing", ((), ""))[0]
    b.put(("unit", "name"), meta["name"][0] if "name" in meta else "（上年）")
    year_known = "year" in meta
    b.put(("unit", "year"), meta["year"][0] if year_known else 1990)
    return validate(b), year_known, has_t10


def prior_from_document(path: str | Path) -> dict[str, Any]:
    """The 上年 figures in last year's document, shaped like figures data.

    ``path`` is last year's published disclosure (.docx), its tables as a
    workbook (.xlsx), or last year's figures file (.yaml/.json/.toml).  Returns::

        {"unit": {"name": …, "year": 2023},            # year only when the document states it
         "totals": {"prior_income_total": …, "prior_expenditure_total": …},        # 公开01表 总计
         "fiscal_totals": {"prior_income_total": …, "prior_expenditure_total": …}, # 公开04表 总计
         "general_budget": {"prior_year": …,                                       # 公开05表 合计
                            "functions": {"208": {"prior_year": …}, …}},           # 公开05表 each 类
         "three_public": {"prior_year": {"total": …, "overseas": …, …}},           # 公开09表 决算数
         "admin_operating_cost": {"prior_year": …}}                               # 公开10表 机关运行经费

    ``admin_operating_cost`` only when last year's 机关运行经费 is known: from its 公开10表, or from its
    表外数据 ``admin_operating_cost.amount`` (a nine-table layout).  Raises :class:`FiguresError` when the
    document cannot be read or lacks one of the other tables.
    """
    from ..limits import check_input_file

    path = check_input_file(path, "上年的决算公开文件")
    figures, year_known, has_t10 = _figures_of(path)
    t = figures.tables
    unit: dict[str, Any] = {"name": figures.unit.name}
    if year_known:
        unit["year"] = figures.unit.year
    admin = t.t10.admin_operating_cost
    admin_total = admin.administrative + admin.civil_servant_managed if has_t10 else None
    prior = {
        "unit": unit,
        "totals": {"prior_income_total": t.t01.income_grand_total,
                   "prior_expenditure_total": t.t01.expenditure_grand_total},
        "fiscal_totals": {"prior_income_total": t.t04.income_grand_total,
                          "prior_expenditure_total": t.t04.expenditure_grand_total.total},
        "general_budget": {
            "prior_year": t.t05.total.total,
            "functions": {row.code: {"prior_year": row.total} for row in t.t05.rows if len(row.code) == 3},
        },
        "three_public": {"prior_year": {name: getattr(t.t09.actual, name) for name in THREE_PUBLIC_PRIOR}},
    }
    if figures.admin_operating_cost.amount is not None:  # a nine-table layout's figures give it outside the tables
        admin_total = figures.admin_operating_cost.amount
    if admin_total is not None:
        prior["admin_operating_cost"] = {"prior_year": admin_total}
    return prior


def merge_prior(figures: Any, prior: dict[str, Any], source: str = "上年文件",
                filled: list[str] | None = None) -> Any:
    """``figures`` with the 上年 fields it leaves out (``None``) taken from ``prior``.

    Fields the figures give are kept.  Per-类 上年数 are filled for the 类 of this
    year's 公开05表: a 类 absent from last year's table had 0 last year.  Raises
    :class:`FiguresError` when ``prior`` is of another year than the year before
    the figures'.  ``filled`` (when given) receives the dotted path of each field filled.
    """
    from ..model import Figures
    from .text import figures_from_data

    year = figures.unit.year
    prior_year = prior.get("unit", {}).get("year")
    if prior_year is not None and prior_year != year - 1:
        raise FiguresError(source, [Problem(
            f"上年文件是 {prior_year} 年度的，而数据是 {year} 年度的",
            expected=f"{year - 1} 年度的决算公开文件",
        )])
    data = figures.model_dump(by_alias=True)
    out = filled if filled is not None else []

    def fill(target: dict, source_part: dict, path: str) -> None:
        for name, value in source_part.items():
            if path == "general_budget" and name == "functions":
                continue
            if isinstance(value, dict):
                fill(target.setdefault(name, {}), value, f"{path}.{name}" if path else name)
            elif target.get(name) is None:
                target[name] = value
                out.append(f"{path}.{name}" if path else name)

    for section, value in prior.items():
        if section == "unit" or not isinstance(value, dict):
            continue
        fill(data.setdefault(section, {}), value, section)

    last_year = prior.get("general_budget", {}).get("functions", {})
    if "general_budget" in prior:
        functions = data["general_budget"].setdefault("functions", {})
        for row in figures.tables.t05.rows:
            if len(row.code) != 3:
                continue
            notes = functions.setdefault(row.code, {})
            if notes.get("prior_year") is None:
                notes["prior_year"] = last_year.get(row.code, {}).get("prior_year", Decimal(0))
                out.append(f"general_budget.functions.{row.code}.prior_year")
        if not functions:
            del data["general_budget"]["functions"]
    if not out:
        return figures
    result = figures_from_data(data, source=source)
    assert isinstance(result, Figures)
    return result

"""The sheets for what the tables do not hold (单位信息, 上年与年初预算, 原因与用途 …) and 填表说明.

One row per field of the figures outside the tables (found by
:func:`narrate.loaders.grid.outside_fields`): 项目, 填写内容 (the input), 说明 (a
hint made from the field's kind and description) and 字段 (the field's name,
which the reader goes by); the ``dict[科目代码, …]`` fields as grids, one row per 科目.
"""

from __future__ import annotations

from typing import Any

from ...loaders.grid import GridSpec, Leaf, outside_fields, table_label
from ...model import T10_STAND_INS, stand_ins_given
from .layout import (
    GRID_COLUMN_WIDTH,
    GRID_TABLES,
    HELP_LINES,
    HELP_WIDTH,
    NOTES_WIDTHS,
    OTHER_SHEET,
    PERFORMANCE_SHEET,
    PRIOR_SHEET,
    PROCUREMENT_SHEET,
    REASONS_SHEET,
    SHEET_INTRO,
    THREE_PUBLIC_SHEET,
    UNIT_SHEET,
)
from .sheet import Sheet, value_at, wrapped_lines


def sheet_for(leaf: Leaf) -> str:
    path = leaf.path
    top = path[0]
    if top in ("unit", "profile", "$schema", "style"):
        return UNIT_SHEET
    if top == "performance":
        return PERFORMANCE_SHEET
    if top == "procurement":
        return PROCUREMENT_SHEET
    if _is_stand_in(leaf):  # 机关运行经费, 车辆, 设备 of a layout without 公开10表
        return THREE_PUBLIC_SHEET
    if top == "three_public" and len(path) > 1 and path[1] == "reception_detail":
        return THREE_PUBLIC_SHEET
    if leaf.kind == "text":
        return REASONS_SHEET
    if any(p in ("prior_year", "budget_initial", "budget_full_year") or p.startswith("prior_") for p in path):
        return PRIOR_SHEET
    if top == "three_public":
        return THREE_PUBLIC_SHEET
    return OTHER_SHEET


def _profile_hint() -> str:
    """The 版式 cell's hint: the bundled profiles and what each is."""
    import yaml

    from ...rendering import templates_root

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
    value = value_at(figures, _attr_path(leaf.path)) if figures is not None else None
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


def _is_stand_in(leaf: Leaf) -> bool:
    return any(leaf.dotted == path or leaf.dotted.startswith(path + ".") for path in T10_STAND_INS)


def notes_sheets(figures: Any | None, absent_tables: frozenset[str] = frozenset()) -> tuple[dict[str, Sheet], dict[str, str]]:
    """The sheets of 表外数据.  The fields that stand in for 公开10表 (``admin_operating_cost.amount``,
    ``procurement.total`` …) appear when the layout has no 公开10表 (``absent_tables``) or the figures fill them."""
    leaves, grids = outside_fields()
    if "t10" not in absent_tables and (figures is None or not stand_ins_given(figures)):
        leaves = [leaf for leaf in leaves if not _is_stand_in(leaf)]
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
            s.widths = dict(NOTES_WIDTHS)
            lines = wrapped_lines(SHEET_INTRO[name], sum(s.widths.values()))
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
            lines = max(wrapped_lines(title, s.widths[0]), wrapped_lines(hint, s.widths[2] * 11 / 9))  # hints are 9 pt
            if lines > 1:
                s.heights[r] = 15 * lines
            addresses[path] = f"'{name}'!$B${r + 1}"
            r += 1
        cursor[name] = r

    for grid in grids:
        functions = value_at(figures, grid.path) if figures is not None else None
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
                    s.widths.setdefault(j, GRID_COLUMN_WIDTH)
    return sheets, addresses


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


def help_sheet() -> Sheet:
    s = Sheet("填表说明")
    for r, (style, text) in enumerate(HELP_LINES):
        s.set(r, 0, text, {"title": "title_left", "section": "section", "code": "code_text"}.get(style, "help"))
    s.widths = {0: HELP_WIDTH}
    for r, (_style, text) in enumerate(HELP_LINES):  # wrapped lines: rows tall enough to show them
        lines = wrapped_lines(text, HELP_WIDTH)
        if lines > 1:
            s.heights[r] = 16.5 * lines
    return s

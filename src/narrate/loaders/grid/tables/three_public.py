"""公开09表 (“三公”经费): 预算数 and 决算数 per item, printed across (two header rows) or running down."""

from __future__ import annotations

from ..cells import is_blank, key, show
from .reader import TableReader, is_column_numbers, match_header

T09_ITEMS = {
    "合计": "total",
    "因公出国费": "overseas",
    "因公出国费用": "overseas",
    "公务用车购置及运行维护费": "vehicle_total",
    "小计": "vehicle_total",
    "公务用车购置费": "vehicle_purchase",
    "公务用车运行维护费": "vehicle_operation",
    "公务接待费": "reception",
}
T09_GROUPS = {"预算数": "budget", "全年预算数": "budget", "预算": "budget", "决算数": "actual", "决算": "actual"}


def read_t09(t: TableReader) -> bool:
    header = t.find_row(lambda texts: any(key(x) in T09_GROUPS and T09_GROUPS[key(x)] == "budget" for x in texts) and
                        any(key(x) in T09_GROUPS and T09_GROUPS[key(x)] == "actual" for x in texts),
                        t.region.start + 1)
    if header is None:
        return False
    t.read_meta(header)
    prefix = t.prefix
    group_cols = {c: T09_GROUPS[key(v)] for c, v in enumerate(t.region.row(header)) if key(v) in T09_GROUPS}
    # horizontal (as printed) when the next rows name the items across; vertical when items run down a column
    item_row = None
    for r in range(header + 1, min(header + 4, t.region.end)):
        if sum(1 for v in t.region.row(r) if key(v) in T09_ITEMS) >= 2:
            item_row = r
            break
    if item_row is not None:
        bottom = item_row
        for r in range(item_row + 1, min(item_row + 3, t.region.end)):
            if any(key(v) in T09_ITEMS for v in t.region.row(r)):
                bottom = r
        headers = t.header_texts(header + 1, bottom)
        width = max(len(t.region.row(r)) for r in range(header, bottom + 1))
        group = None
        columns: dict[int, tuple[str, str]] = {}
        for c in range(width):
            group = group_cols.get(c, group)
            texts = headers.get(c, [])
            item = match_header(texts, T09_ITEMS) if texts else None
            if group and item:
                columns[c] = (group, item)
        for r in t.rows(bottom + 1):
            if t.is_blank_row(r) or t.is_note(r) or is_column_numbers(t.texts(r)):
                continue
            for c, (group, item) in columns.items():
                path = prefix + (group, item)
                value = t.amount(r, c, path)
                if value is not None:
                    t.b.put(path, value)
            break
    else:
        label_col = next((c for c, v in enumerate(t.region.row(header)) if key(v) == "项目"), max(0, min(group_cols) - 1))
        for r in t.rows(header + 1):
            if t.is_blank_row(r) or t.is_note(r) or is_column_numbers(t.texts(r)):
                continue
            raw = t.region.value(r, label_col)
            item = T09_ITEMS.get(key(raw))
            if item is None:
                if any(not is_blank(t.region.value(r, c)) for c in group_cols):
                    t.fail(r, label_col, f"不认识的项目{show(raw)}", soft=True, expected="、".join(TABLE_09_ROWS))
                continue
            for c, group in group_cols.items():
                path = prefix + (group, item)
                value = t.amount(r, c, path)
                if value is not None:
                    t.b.put(path, value)
    t.b.data.setdefault("tables", {}).setdefault(prefix[1], {})
    return True


TABLE_09_ROWS = ("合计", "因公出国（境）费", "公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费", "公务接待费")

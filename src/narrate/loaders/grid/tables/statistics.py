"""公开10表 (相关信息统计表): sections 政府采购 / 机关运行经费 / 国有资产占用, one figure per row."""

from __future__ import annotations

from ..cells import is_blank, key, show
from .reader import TableReader

T10_SECTIONS = {"政府采购情况": "procurement", "政府采购": "procurement", "机关运行经费": "admin",
                "国有资产占用情况": "assets", "国有资产占用": "assets"}
T10_ROWS: dict[str, dict[str, tuple[tuple[str, ...], str]]] = {
    "procurement": {
        "合计": (("procurement", "total"), "amount"),
        "政府采购合计": (("procurement", "total"), "amount"),
        "政府采购支出合计": (("procurement", "total"), "amount"),
        "货物": (("procurement", "goods"), "amount"),
        "工程": (("procurement", "works"), "amount"),
        "服务": (("procurement", "services"), "amount"),
        "授予中小企业合同金额": (("#procurement", "sme_amount"), "amount"),
        "授予小微企业合同金额": (("#procurement", "small_micro_amount"), "amount"),
    },
    "admin": {
        "行政单位": (("admin_operating_cost", "administrative"), "amount"),
        "参照公务员法管理事业单位": (("admin_operating_cost", "civil_servant_managed"), "amount"),
    },
    "assets": {
        "车辆数合计": (("vehicles", "total"), "count"),
        "副部级及以上领导用车": (("vehicles", "ministerial"), "count"),
        "主要负责人用车": (("vehicles", "principal"), "count"),
        "机要通信用车": (("vehicles", "confidential"), "count"),
        "应急保障用车": (("vehicles", "emergency"), "count"),
        "执法执勤用车": (("vehicles", "law_enforcement"), "count"),
        "特种专业技术用车": (("vehicles", "special"), "count"),
        "离退休干部服务用车": (("vehicles", "retired_cadres"), "count"),
        "其他用车": (("vehicles", "other"), "count"),
        "单价100万元以上设备": (("equipment_over_1m",), "count"),
    },
}
T10_VALUE_HEADERS = {"统计数", "金额", "数量", "决算数", "本年数"}


def read_t10(t: TableReader) -> bool:
    header = t.find_row(lambda texts: any(key(x) in T10_VALUE_HEADERS for x in texts), t.region.start + 1)
    if header is None:
        return False
    first_section = t.find_row(lambda texts: any(key(x) in T10_SECTIONS for x in texts), t.region.start + 1)
    top = min(header, first_section) if first_section is not None else header
    t.read_meta(top)
    prefix = t.prefix
    texts = [key(v) for v in t.region.row(header)]
    value_col = next(c for c, x in enumerate(texts) if x in T10_VALUE_HEADERS)
    label_col = next((c for c, x in enumerate(texts) if x == "项目"), 0)
    all_rows = {k: v for section in T10_ROWS.values() for k, v in section.items()}
    section = None
    for r in t.rows(top):
        if t.is_blank_row(r) or t.is_note(r):
            continue
        row = t.region.row(r)
        keys = [key(v) for v in row]
        if any(x in T10_VALUE_HEADERS for x in keys) and (label_col >= len(keys) or keys[label_col] in ("项目", "")):
            value_col = next(c for c, x in enumerate(keys) if x in T10_VALUE_HEADERS)
            continue
        raw = t.region.value(r, label_col)
        label = key(raw)
        if not label:
            label = next((x for x in keys if x), "")
            raw = next((v for v in row if not is_blank(v)), raw)
        if label in T10_SECTIONS:
            section = T10_SECTIONS[label]
            continue
        entry = (T10_ROWS.get(section or "", {}).get(label) or all_rows.get(label))
        if entry is None and label.startswith("其中"):
            entry = all_rows.get(label[2:])
        if entry is None:
            if not is_blank(t.region.value(r, value_col)) and r > header:
                t.fail(r, label_col, f"不认识的项目{show(raw)}", soft=True,
                       expected="政府采购（合计、货物、工程、服务）、机关运行经费（行政单位、参照公务员法管理事业单位）、车辆数等")
            continue
        target, kind = entry
        if target[0].startswith("#"):  # a figure outside the tables that some 10表 print
            path = (target[0][1:],) + target[1:]
            value = t.amount(r, value_col, path)
            if value is not None:
                t.b.put(path, value)
            continue
        path = prefix + target
        value = t.amount(r, value_col, path) if kind == "amount" else t.count(r, value_col, path)
        if value is not None:
            t.b.put(path, value)
    t.b.data.setdefault("tables", {}).setdefault(prefix[1], {})
    return True

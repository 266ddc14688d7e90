"""科目 tables — 公开02/03/05/07/08表: one row per 科目 (科目代码, 科目名称, amounts), a 合计 row."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from ..cells import AMOUNT_TEXT, CellError, CellValueError, is_blank, key, parse_code, show
from .reader import TableReader, is_column_numbers, match_header

CODE_HEADERS = {"科目代码", "科目编码", "功能分类科目代码", "功能分类科目编码", "代码", "编码"}
NAME_HEADERS = {"科目名称", "功能分类科目名称", "名称"}
TOTAL_LABELS = {"合计", "总计"}

SUBJECT_COLUMNS: dict[int, dict[str, str]] = {
    2: {"本年收入合计": "total", "合计": "total", "财政拨款收入": "fiscal", "上级补助收入": "superior_subsidy",
        "事业收入": "business", "经营收入": "operating", "附属单位上缴收入": "affiliated", "其他收入": "other"},
    3: {"本年支出合计": "total", "合计": "total", "基本支出": "basic", "项目支出": "project",
        "上缴上级支出": "to_superior", "经营支出": "operating", "对附属单位补助支出": "to_affiliated"},
    5: {"小计": "total", "合计": "total", "本年支出合计": "total", "本年支出小计": "total", "基本支出": "basic",
        "项目支出": "project"},
    7: {"年初结转和结余": "beginning_balance", "本年收入": "income", "小计": "total", "本年支出小计": "total",
        "本年支出合计": "total", "基本支出": "basic", "项目支出": "project", "年末结转和结余": "ending_balance"},
    8: {"合计": "total", "小计": "total", "本年支出合计": "total", "本年支出小计": "total", "基本支出": "basic",
        "项目支出": "project"},
}
SUBJECT_GROUPS = {"项目", "本年支出", "本年收入合计", "科目"}


def read_subject_table(t: TableReader) -> bool:
    labels = SUBJECT_COLUMNS[t.region.n]
    code_row = t.find_row(lambda texts: any(x in CODE_HEADERS for x in texts) or
                          (any(x in NAME_HEADERS for x in texts) and any(x in labels for x in map(key, texts))),
                          t.region.start + 1)
    if code_row is None:
        return False
    known = set(labels) | SUBJECT_GROUPS | CODE_HEADERS | NAME_HEADERS
    top = code_row
    while top - 1 > t.region.start and any(key(v) in known for v in t.region.row(top - 1)):
        top -= 1
    bottom = code_row
    skip: list[int] = []
    for r in range(code_row + 1, min(code_row + 4, t.region.end)):
        texts = t.texts(r)
        if is_column_numbers(texts):
            bottom = r
            skip.append(r)
            break
        numbers = any(isinstance(v, (int, float, Decimal)) or (isinstance(v, str) and AMOUNT_TEXT.fullmatch(v.strip()))
                      for v in t.region.row(r))
        if any(key(x) in labels for x in texts) and not numbers and not any(x in TOTAL_LABELS for x in texts):
            bottom = r
            continue
        break
    t.read_meta(top)
    headers = t.header_texts(top, bottom, skip)
    code_col = name_col = None
    columns: dict[int, str] = {}
    for c, texts in headers.items():
        if any(x in CODE_HEADERS for x in texts) and code_col is None:
            code_col = c
        elif any(x in NAME_HEADERS for x in texts) and name_col is None:
            name_col = c
        else:
            field_name = match_header(texts, labels)
            if field_name is not None and field_name not in columns.values():
                columns[c] = field_name
    if code_col is None and name_col is not None:
        code_col = name_col - 1 if name_col > 0 else None
    if code_col is None:
        t.fail(code_row, 0, "找不到“科目代码”列", expected="表头中有“科目代码”“科目名称”")
        return True
    if name_col is None:
        name_col = code_col + 1
    if not columns:
        t.fail(code_row, code_col, "找不到金额列", expected="表头中有 " + "、".join(dict.fromkeys(labels)))
        return True

    prefix = t.prefix
    rows: list[dict[str, Any]] = []
    total_seen = False
    block_rows = t.region.block.rows
    for r in t.rows(bottom + 1):
        row = block_rows[r]
        code_raw = row[code_col] if code_col < len(row) else None
        name_raw = row[name_col] if name_col < len(row) else None
        plain_code = isinstance(code_raw, (int, float)) or (isinstance(code_raw, str) and code_raw.isdigit())
        if not plain_code:  # the fast path is a row with a plain code; anything else is looked at closely
            if t.is_blank_row(r) or t.is_note(r):
                continue
            texts = t.texts(r)
            if any(x in CODE_HEADERS for x in texts) or is_column_numbers(texts):
                continue  # a header repeated on a new page
        code_key, name_key = key(code_raw), key(name_raw)
        if code_key in TOTAL_LABELS or (not code_key and name_key in TOTAL_LABELS):
            if total_seen:
                continue
            total_seen = True
            for c, field_name in columns.items():
                value = t.amount(r, c, prefix + ("total", field_name))
                if value is not None:
                    t.b.put(prefix + ("total", field_name), value)
            continue
        if is_blank(code_raw) and is_blank(name_raw):
            filled = [c for c in columns if not is_blank(t.region.value(r, c))]
            errors = [c for c in filled if t.region.value(r, c).__class__ is CellError]
            for c in errors:  # a formula's error or missing result: that is what to fix first
                exc = t.region.value(r, c).problem()
                t.fail(r, c, exc.message, expected=exc.expected)
            if filled and not errors:
                t.fail(r, code_col, "这一行有金额，但没有科目代码和科目名称", expected="科目代码（如 2080101）和科目名称")
            continue
        if isinstance(code_raw, str) and is_blank(name_raw):
            split = re.match(r"^\s*(\d[\d ]*\d)\s+(\S.*)$", code_raw)
            if split:
                code_raw, name_raw = split.group(1), split.group(2)
        try:
            code = parse_code(code_raw)
        except CellValueError as exc:
            if isinstance(code_raw, str) and not any(not is_blank(t.region.value(r, c)) for c in columns):
                continue  # a heading inside the table, no figures
            t.fail(r, code_col, exc.message, expected=exc.expected)
            continue
        if code is None:
            t.fail(r, code_col, f"科目{show(name_raw)}没有科目代码", expected="科目代码，如 2080101")
            continue
        index = len(rows)
        item: dict[str, Any] = {"code": code, "name": t.name_cell(r, name_col, name_raw) if not is_blank(name_raw) else ""}
        path = prefix + ("rows", index)
        t.b.locate(path, t.region.addr(r, code_col), code_raw)
        t.b.locate(path + ("code",), t.region.addr(r, code_col), code_raw)
        t.b.locate(path + ("name",), t.region.addr(r, name_col), name_raw)
        for c, field_name in columns.items():
            value = t.amount(r, c, path + (field_name,))
            if value is not None:
                item[field_name] = value
        rows.append(item)
    if rows:
        t.b.put(prefix + ("rows",), rows)
    else:
        t.b.data.setdefault("tables", {}).setdefault(prefix[1], {})
    return True

"""公开06表 (基本支出明细): four column groups of 科目代码/科目名称/决算数, read down each group."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..cells import CellValueError, is_blank, key, parse_amount, parse_code
from .reader import TableReader
from .subjects import CODE_HEADERS, NAME_HEADERS

# The rows of 公开06表 as printed (2024): four column groups, read down each group.
T06_GROUPS: tuple[tuple[tuple[str, str], ...], ...] = (
    (("301", "工资福利支出"), ("30101", "基本工资"), ("30102", "津贴补贴"), ("30103", "奖金"), ("30106", "伙食补助费"),
     ("30107", "绩效工资"), ("30108", "机关事业单位基本养老保险缴费"), ("30109", "职业年金缴费"),
     ("30110", "职工基本医疗保险缴费"), ("30111", "公务员医疗补助缴费"), ("30112", "其他社会保障缴费"),
     ("30113", "住房公积金"), ("30114", "医疗费"), ("30199", "其他工资福利支出"), ("303", "对个人和家庭的补助"),
     ("30301", "离休费"), ("30302", "退休费"), ("30303", "退职(役)费"), ("30304", "抚恤金"), ("30305", "生活补助"),
     ("30306", "救济费"), ("30307", "医疗费补助"), ("30308", "助学金"), ("30309", "奖励金"),
     ("30310", "个人农业生产补贴"), ("30311", "代缴社会保险费"), ("30399", "其他对个人和家庭的补助")),
    (("302", "商品和服务支出"), ("30201", "办公费"), ("30202", "印刷费"), ("30203", "咨询费"), ("30204", "手续费"),
     ("30205", "水费"), ("30206", "电费"), ("30207", "邮电费"), ("30208", "取暖费"), ("30209", "物业管理费"),
     ("30211", "差旅费"), ("30212", "因公出国（境）费用"), ("30213", "维修(护)费"), ("30214", "租赁费"),
     ("30215", "会议费"), ("30216", "培训费"), ("30217", "公务接待费"), ("30218", "专用材料费"),
     ("30224", "被装购置费"), ("30225", "专用燃料费"), ("30226", "劳务费"), ("30227", "委托业务费"),
     ("30228", "工会经费"), ("30229", "福利费"), ("30231", "公务用车运行维护费"), ("30239", "其他交通费用"),
     ("30240", "税金及附加费用"), ("30299", "其他商品和服务支出")),
    (("307", "债务利息及费用支出"), ("30701", "国内债务付息"), ("30702", "国外债务付息"), ("30703", "国内债务发行费用"),
     ("30704", "国外债务发行费用"), ("309", "资本性支出（基本建设）"), ("30901", "房屋建筑物购建"),
     ("30902", "办公设备购置"), ("30903", "专用设备购置"), ("30905", "基础设施建设"), ("30906", "大型修缮"),
     ("30907", "信息网络及软件购置更新"), ("30908", "物资储备"), ("30913", "公务用车购置"),
     ("30919", "其他交通工具购置"), ("30921", "文物和陈列品购置"), ("30922", "无形资产购置"),
     ("30999", "其他基本建设支出"), ("310", "资本性支出"), ("31001", "房屋建筑物购建"), ("31002", "办公设备购置"),
     ("31003", "专用设备购置"), ("31005", "基础设施建设"), ("31006", "大型修缮"), ("31007", "信息网络及软件购置更新"),
     ("31008", "物资储备"), ("31009", "土地补偿"), ("31010", "安置补助")),
    (("31011", "地上附着物和青苗补偿"), ("31012", "拆迁补偿"), ("31013", "公务用车购置"), ("31019", "其他交通工具购置"),
     ("31021", "文物和陈列品购置"), ("31022", "无形资产购置"), ("31099", "其他资本性支出"),
     ("311", "对企业补助（基本建设）"), ("31101", "资本金注入（基本建设）"), ("31199", "其他对企业补助"),
     ("312", "对企业补助"), ("31201", "资本金注入"), ("31203", "政府投资基金股权投资"), ("31204", "费用补贴"),
     ("31205", "利息补贴"), ("31206", "其他资本性补助"), ("31299", "其他对企业补助"), ("313", "对社会保障基金补助"),
     ("31302", "对社会保险基金补助"), ("31303", "补充全国社会保障基金"), ("31304", "对机关事业单位职业年金的补助"),
     ("399", "其他支出"), ("39907", "国家赔偿费用支出"), ("39908", "对民间非营利组织和群众性自治组织补贴"),
     ("39909", "经常性赠与"), ("39910", "资本性赠与"), ("39999", "其他支出")),
)
T06_NOT_APPLICABLE = ("309", "311")  # 基本建设 classes: printed "——" in a basic-expenditure table
T06_AMOUNT_HEADERS = {"决算数", "金额", "本年支出", "合计"}
T06_TOTALS = {"人员经费合计": "personnel_total", "公用经费合计": "public_total"}


def read_t06(t: TableReader) -> bool:
    header = t.find_row(lambda texts: any(x in CODE_HEADERS for x in texts), t.region.start + 1)
    if header is None:
        return False
    top = header
    while top - 1 > t.region.start and any(key(v) in ("人员经费", "公用经费") for v in t.region.row(top - 1)):
        top -= 1
    t.read_meta(top)
    texts = [key(v) for v in t.region.row(header)]
    starts = [c for c, x in enumerate(texts) if x in CODE_HEADERS]
    groups: list[tuple[int, int | None, int | None]] = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(texts)
        name_col = next((c for c in range(start + 1, end) if texts[c] in NAME_HEADERS), start + 1)
        amount_col = next((c for c in range(start + 1, end) if texts[c] in T06_AMOUNT_HEADERS), None)
        if amount_col is None:
            t.fail(header, start, "找不到“决算数”列", expected="每组“科目代码/科目名称/决算数”")
        groups.append((start, name_col, amount_col))
    prefix = t.prefix
    found: list[tuple[str, str, Decimal, int, int, int, Any, Any]] = []
    for r in t.rows(header + 1):
        row = t.region.row(r)
        if any(v.__class__ is str and ("合计" in v or "科目" in v or "注" in v or "说明" in v or "：" in v or ":" in v) for v in row):
            if t.is_blank_row(r) or t.is_note(r):
                continue
            keys = [key(v) for v in row]
            if any(x in CODE_HEADERS for x in keys):
                continue
        else:
            keys = []
        if any(x in T06_TOTALS for x in keys):
            for c, x in enumerate(keys):
                if x in T06_TOTALS:
                    for c2 in range(c + 1, len(row)):
                        if keys[c2] in T06_TOTALS:
                            break
                        if not is_blank(row[c2]) and keys[c2] != x:
                            path = prefix + (T06_TOTALS[x],)
                            value = t.amount(r, c2, path)
                            if value is not None:
                                t.b.put(path, value)
                            break
            continue
        for code_col, name_col, amount_col in groups:
            code_raw = t.region.value(r, code_col)
            if is_blank(code_raw) or amount_col is None:
                continue
            try:
                code = parse_code(code_raw)
            except CellValueError as exc:
                if is_blank(t.region.value(r, amount_col)):
                    continue
                t.fail(r, code_col, exc.message, expected=exc.expected)
                continue
            raw = t.region.value(r, amount_col)
            if is_blank(raw):
                continue
            try:
                value = parse_amount(raw, t.unit)
            except CellValueError as exc:
                t.b.fail(t.region.addr(r, amount_col), exc.message, expected=exc.expected)
                continue
            if value is None:  # "——"
                continue
            found.append((code or "", t.name_cell(r, name_col, t.region.value(r, name_col)), value, r, code_col, amount_col,
                          code_raw, raw))
    found.sort(key=lambda item: item[0])
    rows = []
    for i, (code, name, value, r, code_col, amount_col, code_raw, raw) in enumerate(found):
        path = prefix + ("rows", i)
        t.b.locate(path, t.region.addr(r, code_col), code_raw)
        t.b.locate(path + ("code",), t.region.addr(r, code_col), code_raw)
        t.b.locate(path + ("amount",), t.region.addr(r, amount_col), raw)
        rows.append({"code": code, "name": name, "amount": value})
    if rows:
        t.b.put(prefix + ("rows",), rows)
    t.b.data.setdefault("tables", {}).setdefault(prefix[1], {})
    return True

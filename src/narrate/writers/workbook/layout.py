"""The workbook's layout as data: row labels, headers, footnotes, sheet names and intros, column widths, help text.

The code that lays these out on sheets is in :mod:`.tables` (the ten tables) and
:mod:`.notes` (the sheets for what the tables do not hold); changing a label, a
note or a width needs only this file.  Widths are in characters (Excel's unit).
"""

from __future__ import annotations

# ---------------------------------------------------------------- the table sheets
TABLE_NOTES = {
    1: "注：本表反映部门本年度的总收支和年末结转结余情况。本套报表金额单位转换时可能存在尾数误差。",
    2: "注：本表反映部门本年度取得的各项收入情况。",
    3: "注：本表反映部门本年度各项支出情况。",
    4: "注：本表反映部门本年度一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款的总收支和年末结转结余情况。",
    5: "注：本表反映部门本年度一般公共预算财政拨款支出情况。",
    6: "注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。",
    7: "注：本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况。",
    8: "注：本表反映部门本年度国有资本经营预算财政拨款支出情况。",
    9: "注：本表反映部门本年度“三公”经费支出预决算情况。其中，预算数为“三公”经费全年预算数，反映按规定程序调整后的预算数；"
       "决算数是包括当年财政拨款和以前年度结转资金安排的实际支出。",
    10: "注：本表反映部门本年度政府采购、机关运行经费和国有资产占用情况。",
}


T01_LEFT = (
    ("一、一般公共预算财政拨款收入", ("income", "general_budget")),
    ("二、政府性基金预算财政拨款收入", ("income", "government_fund")),
    ("三、国有资本经营预算财政拨款收入", ("income", "state_capital")),
    ("四、上级补助收入", ("income", "superior_subsidy")),
    ("五、事业收入", ("income", "business")),
    ("六、经营收入", ("income", "operating")),
    ("七、附属单位上缴收入", ("income", "affiliated")),
    ("八、其他收入", ("income", "other")),
)
T01_LEFT_TAIL = (
    ("本年收入合计", ("income_total",)),
    ("使用非财政拨款结余（含专用结余）", ("use_of_non_fiscal_balance",)),
    ("年初结转和结余", ("beginning_balance",)),
    ("", None),
    ("总计", ("income_grand_total",)),
)
T01_RIGHT_TAIL = (
    ("本年支出合计", ("expenditure_total",)),
    ("结余分配", ("surplus_distribution",)),
    ("年末结转和结余", ("ending_balance",)),
    ("", None),
    ("总计", ("expenditure_grand_total",)),
)


T04_FUND_LABELS = ("一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款")
T04_FUND_FIELDS = ("general_budget", "government_fund", "state_capital")


SUBJECT_HEADS: dict[int, tuple[tuple[str, str | None, tuple[str, ...]], ...]] = {
    # (upper label, lower label or None, fields under it)
    2: (("本年收入合计", None, ("total",)), ("财政拨款收入", None, ("fiscal",)), ("上级补助收入", None, ("superior_subsidy",)),
        ("事业收入", None, ("business",)), ("经营收入", None, ("operating",)), ("附属单位上缴收入", None, ("affiliated",)),
        ("其他收入", None, ("other",))),
    3: (("本年支出合计", None, ("total",)), ("基本支出", None, ("basic",)), ("项目支出", None, ("project",)),
        ("上缴上级支出", None, ("to_superior",)), ("经营支出", None, ("operating",)),
        ("对附属单位补助支出", None, ("to_affiliated",))),
    5: (("本年支出", "小计|基本支出|项目支出", ("total", "basic", "project")),),
    7: (("年初结转和结余", None, ("beginning_balance",)), ("本年收入", None, ("income",)),
        ("本年支出", "小计|基本支出|项目支出", ("total", "basic", "project")),
        ("年末结转和结余", None, ("ending_balance",))),
    8: (("本年支出", "合计|基本支出|项目支出", ("total", "basic", "project")),),
}


T09_COLUMNS = ("total", "overseas", "vehicle_total", "vehicle_purchase", "vehicle_operation", "reception")


T10_LAYOUT: tuple[tuple[str, tuple[str, ...] | None, str], ...] = (
    ("一、政府采购情况", None, "section"),
    ("项目", None, "header"),
    ("合计", ("procurement", "total"), "amount"),
    ("货物", ("procurement", "goods"), "amount"),
    ("工程", ("procurement", "works"), "amount"),
    ("服务", ("procurement", "services"), "amount"),
    ("二、机关运行经费", None, "section"),
    ("项目", None, "header"),
    ("（一）行政单位", ("admin_operating_cost", "administrative"), "amount"),
    ("（二）参照公务员法管理事业单位", ("admin_operating_cost", "civil_servant_managed"), "amount"),
    ("三、国有资产占用情况", None, "section"),
    ("（一）车辆数合计（辆）", ("vehicles", "total"), "count"),
    ("1．副部（省）级及以上领导用车", ("vehicles", "ministerial"), "count"),
    ("2．主要负责人用车", ("vehicles", "principal"), "count"),
    ("3．机要通信用车", ("vehicles", "confidential"), "count"),
    ("4．应急保障用车", ("vehicles", "emergency"), "count"),
    ("5．执法执勤用车", ("vehicles", "law_enforcement"), "count"),
    ("6．特种专业技术用车", ("vehicles", "special"), "count"),
    ("7．离退休干部服务用车", ("vehicles", "retired_cadres"), "count"),
    ("8．其他用车", ("vehicles", "other"), "count"),
    ("（二）单价100万元（含）以上设备（不含车辆）", ("equipment_over_1m",), "count"),
)


# Column widths of the table sheets: fixed per table, or per column kind.
TABLE_WIDTHS: dict[int, dict[int, float]] = {
    1: {0: 34, 1: 6, 2: 14, 3: 34, 4: 6, 5: 14},
    4: {0: 30, 1: 6, 2: 14, 3: 30, 4: 6, 5: 14, 6: 16, 7: 16, 8: 16},
    9: {c: 13 for c in range(12)},
    10: {0: 46, 1: 8, 2: 16},
}
SUBJECT_WIDTHS = (12, 36, 14)
"""公开02/03/05/07/08表: 科目代码, 科目名称, each amount column."""
T06_WIDTHS = (9, 24, 12)
"""公开06表: 科目代码, 科目名称, 决算数 of each of the four column groups."""


# ---------------------------------------------------------------- sheets for what the tables do not hold
UNIT_SHEET = "单位信息"
PRIOR_SHEET = "上年与年初预算"
REASONS_SHEET = "原因与用途"
THREE_PUBLIC_SHEET = "三公与统计"
PROCUREMENT_SHEET = "政府采购"
PERFORMANCE_SHEET = "绩效"
OTHER_SHEET = "其他"
NOTE_SHEETS = (UNIT_SHEET, PRIOR_SHEET, REASONS_SHEET, THREE_PUBLIC_SHEET, PROCUREMENT_SHEET, PERFORMANCE_SHEET,
               OTHER_SHEET)
SHEET_INTRO = {
    UNIT_SHEET: "单位名称、决算年度等。公开表表头的“部门名称”“年度”可不填，以本表为准。",
    PRIOR_SHEET: "上年决算数与年初预算数（万元，两位小数）。不填的，正文中相应的比较句不写。"
                 "上年数也可用 narrate render … --prior 上年决算公开.docx 从上年文件自动填入。",
    REASONS_SHEET: "由单位撰写、原样写进正文的文字（增减变化的主要原因、主要用于、主要包括等）。每格写一段，"
                   "只写句子中间的那部分，结尾不要加句号：正文会在前面接上“主要原因是”“用于”等，并在后面加句号。",
    THREE_PUBLIC_SHEET: "“三公”经费的统计数（团组、人次、车辆数、接待批次等）与公务接待明细。",
    PROCUREMENT_SHEET: "政府采购中公开10表之外的金额（授予中小企业、小微企业合同金额等）。",
    PERFORMANCE_SHEET: "预算绩效管理情况：自评项目个数、涉及资金、自评等级等。",
    OTHER_SHEET: "其他表外数据。",
}


NOTES_WIDTHS = {0: 44, 1: 44, 2: 40, 3: 40}
"""项目, 填写内容, 说明, 字段."""
GRID_COLUMN_WIDTH = 40
"""A 科目 grid's columns beyond the fourth."""
HELP_WIDTH = 85  # fits an A4 page


# The table each 科目 grid goes by (its 科目代码 and 科目名称).
GRID_TABLES = {"general_budget": 5, "government_fund": 7, "state_capital": 8}


HELP_LINES = (
    ("title", "填表说明"),
    ("", "本工作簿用于 narrate 生成部门决算公开第三部分“情况说明”和第四部分“名词解释”。填好后保存为 .xlsx，然后运行："),
    ("code", "narrate check 本单位.xlsx            核对公开表之间的勾稽关系，列出缺少的表外数据"),
    ("code", "narrate render 本单位.xlsx -o 情况说明.docx      生成 Word 文档（也可 -o 情况说明.md）"),
    ("code", "narrate render 本单位.xlsx --prior 上年决算公开.docx -o 情况说明.docx      上年数取自上年已公开的文档"),
    ("section", "一、公开01表 至 公开10表"),
    ("", "照决算软件导出的公开表（或已印发的第二部分决算公开表）填写黄色单元格。金额单位为万元，保留两位小数，照表上所印填写（含尾数误差，不要“修正”）。"),
    ("", "表中空白的单元格即为 0。公开02、03、05、07、08表一个科目一行：科目代码（类3位、款5位、项7位）、科目名称和金额；每个款、项须有其上级类、款行。"),
    ("", "公开06表只填有金额的科目；“——”表示不适用。也可以不用本工作簿，直接用决算软件导出的 Excel 文件：narrate 按表题和表头查找各表，不要求固定的单元格位置；金额单位为元的表会自动换算为万元（四舍五入）。"),
    ("section", "二、表外数据（单位信息、上年与年初预算、原因与用途、三公与统计、政府采购、绩效）"),
    ("", "每行一项：“项目”说明填什么，“填写内容”是填写处，“说明”是格式提示，灰色的“字段”列供程序识别，请勿修改。不需要的行留空即可。"),
    ("", "按科目填写的部分（年初预算数、上年决算数、主要用于、增减原因）一个科目一行，先填科目代码。"),
    ("", "表外金额不填，正文中需要它的句子就不写；为零请填 0。文字原样写入正文，每格一段，结尾不加句号（正文会接着写并加句号）。"),
    ("section", "三、出错时"),
    ("", "narrate 会指出出错的单元格，例如：公开05表!C12：“1,2.3”不是金额（应为 数字，如 12423.32 或 12,423.32）。按提示改正后重新运行即可。"),
)


# Input messages of the validated cells: (title, prompt, error title, error).
PROMPTS = {
    "amount": ("金额（万元）", "填写金额：单位万元，保留两位小数，照表上所印；空白即为 0。", "不是金额",
               "请填写不小于 0 的数字（万元，两位小数）。"),
    "given_amount": ("金额（万元）", "单位万元，保留两位小数；不填则不写相应句子，为零请填 0。", "不是金额",
                     "请填写不小于 0 的数字（万元，两位小数）。"),
    "score": ("得分", "填写分数，如 92.50；不填则不写相应句子。", "不是分数", "请填写不小于 0 的数字，如 92.50。"),
    "count": ("个数", "填写不小于 0 的整数。", "不是整数", "请填写不小于 0 的整数。"),
    "year": ("决算年度", "四位年份，如 2024。", "不是年份", "请填写四位年份，如 2024。"),
}

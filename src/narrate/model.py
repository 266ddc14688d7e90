"""The figures of one unit's 决算公开: the validated, immutable input model.

Everything narrate needs to write Parts 3 and 4 lives here: the ten public
tables (公开01表 … 公开10表) as printed, plus what the tables do not hold (上年
figures, 年初预算, counts, 政府采购 and 绩效 details) and the staff-written text
(主要原因, 用于, 主要包括) attached to the item it explains.

Conventions
-----------
* Amounts are :class:`~decimal.Decimal` in 万元 with at most 2 decimals.  They
  may be written as numbers or as text with thousands separators
  ("12,423.32").  A table cell left out (printed blank) is 0.
* A non-table input left out (``None``) means "not given": the sentence that
  needs it is left out of the text, and ``narrate check`` says so.
* 科目代码 are strings of digits ("2080101"); numbers and spaced forms
  ("208 01 01") are accepted and normalised.
* Free text is one paragraph: line breaks are joined, control characters are
  refused.  It is printed literally, never run as a template.
"""

from __future__ import annotations

import math
import re
import typing
import reprlib
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from .style import StyleSpec

MAX_AMOUNT = Decimal("1e10")  # 万元: a trillion 元; anything larger is a typing slip
MAX_TEXT = 4000


_CENT = Decimal("0.01")
_PLAIN_AMOUNT = re.compile(r"(?:0|[1-9]\d{0,9})(?:\.\d{1,2})?")
"""An amount as JSON files usually hold it ("12423.32"): below MAX_AMOUNT, at most 2 decimals."""


def brief(value: object, limit: int = 40) -> str:
    """What was found, for a message: at most ``limit`` characters (then "…"), whatever the input's size.

    Never converts a huge int to text (Python refuses beyond 4300 digits) and never walks a whole container.
    """
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 4 * limit:
        return f"一个约 {int(value.bit_length() * 0.30103) + 1} 位的整数"
    if isinstance(value, str):
        text = value
    elif isinstance(value, (int, float, Decimal, bool)) or value is None:
        text = str(value) if isinstance(value, Decimal) else repr(value)
    else:
        text = _REPR.repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


class _BoundedRepr(reprlib.Repr):
    def repr_int(self, x: int, level: int) -> str:
        return brief(x, self.maxlong)


_REPR = _BoundedRepr()
_REPR.maxlevel, _REPR.maxstring, _REPR.maxother, _REPR.maxlong = 2, 20, 20, 20


def _parse_amount(value: object) -> Decimal:
    if value.__class__ is Decimal and value.is_finite() and -MAX_AMOUNT < value < MAX_AMOUNT:  # type: ignore[operator]
        cents = value.quantize(_CENT)  # type: ignore[attr-defined]
        if cents == value:  # the common case: a number with at most 2 decimals
            return cents
    if value.__class__ is str and _PLAIN_AMOUNT.fullmatch(value):  # type: ignore[arg-type]
        return Decimal(value).quantize(_CENT)  # type: ignore[arg-type]
    if isinstance(value, bool):
        raise ValueError(f"应为金额（数字），实际为布尔值 {value!r}")
    if value is None or (isinstance(value, str) and value.strip() in ("", "-", "—", "——")):
        return Decimal(0)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise ValueError(f"应为金额，实际为 {value!r}")
        value = repr(value)
    if isinstance(value, int):
        if abs(value) >= MAX_AMOUNT:
            raise ValueError(f"金额 {brief(value)} 过大（单位为万元，应小于 {MAX_AMOUNT:,.0f}）")
        value = Decimal(value)
    if isinstance(value, str):
        text = value.strip().replace("，", ",")
        if not re.fullmatch(r"-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?", text):
            raise ValueError(f"“{brief(value)}”不是金额，应为数字，如 12423.32 或 12,423.32")
        if re.match(r"-?0\d", text):
            raise ValueError(f"“{brief(value)}”以 0 开头，不是金额（是代码还是多写了 0？）；金额应为数字，如 700 或 0.70")
        if len(text) > 40:
            raise ValueError(f"金额 {brief(value)} 过大（单位为万元，应小于 {MAX_AMOUNT:,.0f}）")
        value = Decimal(text.replace(",", ""))
    if not isinstance(value, Decimal):
        raise ValueError(f"应为金额（数字），实际为 {type(value).__name__} {brief(value)}")
    try:
        if not value.is_finite():
            raise ValueError(f"应为金额，实际为 {value}")
    except InvalidOperation as exc:  # pragma: no cover - signalling NaN
        raise ValueError(f"应为金额，实际为 {value}") from exc
    if abs(value) >= MAX_AMOUNT:
        raise ValueError(f"金额 {brief(value)} 过大（单位为万元，应小于 {MAX_AMOUNT:,.0f}）")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2 and value != value.quantize(Decimal("0.01")):
        raise ValueError(f"金额 {brief(value)} 超过两位小数；万元金额应保留两位小数（四舍五入后再填）")
    return value.quantize(_CENT)


def _parse_given_amount(value: object) -> Decimal:
    """An amount outside the tables: a blank is not 0 here (leave the field out to mean "not given").

    Never negative, as the table cells it is compared with (上年数, 年初预算 … beside 本年 cells).
    """
    if isinstance(value, str) and value.strip() in ("", "-", "—", "——"):
        raise ValueError(f"“{value}”不是金额；不填请删除该项（或写 null），为零请写 0")
    return _non_negative(_parse_amount(value))


def _non_negative(value: Decimal) -> Decimal:
    if value < 0:
        raise ValueError(f"金额不能为负数，实际为 {value}")
    return value


def _parse_count(value: object) -> int:
    if isinstance(value, bool):
        raise ValueError(f"应为整数，实际为 {value!r}")
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return 0
    if isinstance(value, (float, Decimal)):
        if value != value or value in (math.inf, -math.inf) or int(value) != value:
            raise ValueError(f"应为整数，实际为 {brief(value)}")
        value = int(value)
    if isinstance(value, str):
        if not value.strip().isdigit():
            raise ValueError(f"“{brief(value)}”不是整数")
        if len(value.strip()) > 20:
            raise ValueError(f"个数 {brief(value.strip())} 过大")
        value = int(value.strip())
    if not isinstance(value, int):
        raise ValueError(f"应为整数，实际为 {type(value).__name__}")
    if value < 0:
        raise ValueError(f"个数不能为负数，实际为 {brief(value)}")
    if value > 10_000_000:
        raise ValueError(f"个数 {brief(value)} 过大")
    return value


_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000-\uf8ff\ufffe\uffff]")


def _parse_text(value: object) -> str:
    if value.__class__ is str and value.isprintable() and unicodedata.is_normalized("NFC", value):  # type: ignore[attr-defined]
        # The common case: one line, no control or private-use characters, already NFC.
        text = value.strip()  # type: ignore[attr-defined]
        if len(text) <= MAX_TEXT:
            return text
    if not isinstance(value, str):
        if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 4 * MAX_TEXT:
            raise ValueError(f"文字过长：{brief(value)}")
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            value = str(value)
        else:
            raise ValueError(f"应为文字，实际为 {type(value).__name__}")
    bad = _FORBIDDEN.search(value)
    if bad:
        raise ValueError(
            f"文字中含有 Word 无法保存的控制字符 U+{ord(bad.group()):04X}（第 {bad.start() + 1} 个字符）"
        )
    text = unicodedata.normalize("NFC", value)
    text = "".join(line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    text = text.replace("\t", " ")
    if len(text) > MAX_TEXT:
        raise ValueError(f"文字过长：{len(text)} 个字符，最多 {MAX_TEXT} 个")
    return text


def _parse_code(value: object) -> str:
    if value.__class__ is str and value.isascii() and value.isdigit():  # type: ignore[attr-defined]
        return value  # type: ignore[return-value]
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(f"科目代码应为数字串，实际为 {brief(value)}")
    if isinstance(value, int) and value.bit_length() > 128:
        raise ValueError(f"科目代码过长：{brief(value)}")
    code = re.sub(r"\s+", "", str(value))
    if not code.isdigit():
        raise ValueError(f"科目代码“{brief(value)}”应只含数字")
    return code


def _parse_year(value: object) -> int:
    """A year: 2024, "2024", "2024年" or "2024年度"."""
    if isinstance(value, str) and len(value) < 20 and value.strip().removesuffix("年度").removesuffix("年").isdigit():
        return int(value.strip().removesuffix("年度").removesuffix("年"))
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"决算年度应为四位年份，如 2024，实际为 {brief(value)}")
    return value


def _parse_cell(value: object) -> Decimal:
    """A table cell: an amount, never negative (one validator call per cell: tables hold hundreds)."""
    if value.__class__ is str and _PLAIN_AMOUNT.fullmatch(value):  # type: ignore[arg-type]
        return Decimal(value).quantize(_CENT)  # type: ignore[arg-type]  # the common case, as _parse_amount's
    return _non_negative(_parse_amount(value))


TABLE_KEYS = tuple(f"t{n:02d}" for n in range(1, 11))


def table_keys(text: str) -> tuple[str, ...]:
    """Table numbers as written — "公开07表、08表", "7,8", "t07 t08" — as keys ("t07", "t08"), sorted."""
    import re as _re

    keys: list[str] = []
    for item in _re.split(r"[、,，;；\s]+", text):
        if not item:
            continue
        number = _re.fullmatch(r"(?:[tT]|公开)?0?(\d{1,2})表?", item)
        key = f"t{int(number.group(1)):02d}" if number else ""
        if key not in TABLE_KEYS:
            raise ValueError(f"“{brief(item)}”不是公开表的表号；应为 公开01表 至 公开10表（如“公开07表”“07”或“t07”）")
        if key not in keys:
            keys.append(key)
    return tuple(sorted(keys))


def _check_table_list(value: str) -> str:
    table_keys(value)
    return value


Amount = Annotated[Decimal, BeforeValidator(_parse_given_amount)]
Cell = Annotated[Decimal, BeforeValidator(_parse_cell)]
Count = Annotated[int, BeforeValidator(_parse_count)]
Text = Annotated[str, BeforeValidator(_parse_text)]
Code = Annotated[str, BeforeValidator(_parse_code)]

ZERO = Decimal(0)


class Model(BaseModel):
    # defer_build: a model's validator is built when it is first used, not at import; reading a
    # file builds Figures' (which covers every nested model) and no other, which halves this
    # module's import time (a cold ``narrate render`` pays it every time).
    # cache_strings: pydantic-core keeps the strings it makes in a cache of its own; only the keys (field
    # names, the same in every unit) are worth it — cached values made a batch worker grow ~1.5 MiB.
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True, defer_build=True,
                              cache_strings="keys")


def _cell(title: str) -> object:
    return Field(default=ZERO, title=title)


def _opt(title: str, description: str = "") -> object:
    return Field(default=None, title=title, description=description or None)


# ---------------------------------------------------------------- unit
UnitKind = Literal["行政单位", "事业单位", "参公事业单位", "部门"]
OneKind = Literal["行政单位", "事业单位", "参公事业单位"]


class Unit(Model):
    """单位基本信息."""

    name: Text = Field(title="单位名称", min_length=1)
    year: Annotated[int, BeforeValidator(_parse_year)] = Field(title="决算年度", ge=1990, le=2100, description="如 2024")
    kind: UnitKind = Field(default="行政单位", title="单位性质",
                           description="行政单位 / 事业单位 / 参公事业单位；由几类单位组成的部门写“部门”并在 kinds 中列出，"
                                       "或直接写成列表，如 [行政单位, 事业单位]")
    kinds: list[OneKind] = Field(default_factory=list, title="所属单位的性质（部门）",
                                 description="部门决算涵盖的各类单位，如 [行政单位, 参公事业单位, 事业单位]；单一性质的单位不填")
    amount_unit: Literal["万元"] = Field(default="万元", title="金额单位")
    self_name: Text = Field(
        default="本部门（单位）", title="文中自称", description="正文中单位的自称，如“本部门（单位）”"
    )
    empty_tables: Annotated[str, BeforeValidator(_parse_text), AfterValidator(_check_table_list)] = Field(
        default="", title="本年度无数据的公开表",
        description="本单位确无此项收支、公开表为空表的表号，如“公开04表、公开05表”；"
                    "版式要求有数据的表（默认 01–06 表）为空而未在此写明时，核对报错",
    )

    @model_validator(mode="before")
    @classmethod
    def _kind_list(cls, data: object) -> object:
        """``kind: [行政单位, 事业单位]`` → kind 部门 with those kinds; a one-item list is that kind."""
        if isinstance(data, dict) and isinstance(data.get("kind"), (list, tuple)):
            given = list(dict.fromkeys(data["kind"]))
            allowed = typing.get_args(OneKind)
            for i, item in enumerate(given):
                if item not in allowed:
                    raise ValueError(f"unit.kind 第 {i + 1} 项“{brief(item)}”不是单位性质；应为 {'、'.join(allowed)}")
            if not given:
                raise ValueError("unit.kind 是空列表；应为单位性质，如 行政单位，或 [行政单位, 事业单位]")
            data = {**data, "kind": given[0] if len(given) == 1 else "部门"}
            if len(given) > 1:
                data["kinds"] = given
        return data

    @model_validator(mode="after")
    def _kinds_of_department(self) -> "Unit":
        if self.kind == "部门" and not self.kinds:
            raise ValueError("单位性质为“部门”时，请在 unit.kinds 中列出所属单位的性质，如 [行政单位, 事业单位]")
        if self.kind != "部门" and self.kinds and list(self.kinds) != [self.kind]:
            raise ValueError(f"unit.kinds 只用于单位性质为“部门”的情形；单位性质为“{self.kind}”时请删除 kinds")
        return self

    @property
    def all_kinds(self) -> tuple[str, ...]:
        """Every kind of unit the 决算 covers: ``kinds`` of a 部门, else the one ``kind``."""
        return tuple(dict.fromkeys(self.kinds)) if self.kind == "部门" else (self.kind,)

    @property
    def empty_table_keys(self) -> tuple[str, ...]:
        """``empty_tables`` as table keys ("t04", "t05")."""
        return table_keys(self.empty_tables)



# ---------------------------------------------------------------- rows keyed by 科目代码
class FunctionRow(Model):
    """A row of a table by 功能分类科目: 类 (3 digits), 款 (5), 项 (7)."""

    code: Code = Field(title="科目代码")
    name: Text = Field(title="科目名称", min_length=1)

    @model_validator(mode="after")
    def _code_length(self) -> "FunctionRow":
        if len(self.code) not in (3, 5, 7):
            raise ValueError(f"功能分类科目代码“{self.code}”应为 3 位（类）、5 位（款）或 7 位（项）")
        return self

    @property
    def level(self) -> Literal["类", "款", "项"]:
        return {3: "类", 5: "款", 7: "项"}[len(self.code)]  # type: ignore[return-value]


class IncomeColumns(Model):
    total: Cell = _cell("本年收入合计")
    fiscal: Cell = _cell("财政拨款收入")
    superior_subsidy: Cell = _cell("上级补助收入")
    business: Cell = _cell("事业收入")
    operating: Cell = _cell("经营收入")
    affiliated: Cell = _cell("附属单位上缴收入")
    other: Cell = _cell("其他收入")


class ExpenditureColumns(Model):
    total: Cell = _cell("本年支出合计")
    basic: Cell = _cell("基本支出")
    project: Cell = _cell("项目支出")
    to_superior: Cell = _cell("上缴上级支出")
    operating: Cell = _cell("经营支出")
    to_affiliated: Cell = _cell("对附属单位补助支出")


class SpendingColumns(Model):
    total: Cell = _cell("小计（合计）")
    basic: Cell = _cell("基本支出")
    project: Cell = _cell("项目支出")


class FundColumns(Model):
    beginning_balance: Cell = _cell("年初结转和结余")
    income: Cell = _cell("本年收入")
    total: Cell = _cell("本年支出小计")
    basic: Cell = _cell("基本支出")
    project: Cell = _cell("项目支出")
    ending_balance: Cell = _cell("年末结转和结余")


class IncomeRow(FunctionRow, IncomeColumns):
    pass


class ExpenditureRow(FunctionRow, ExpenditureColumns):
    pass


class SpendingRow(FunctionRow, SpendingColumns):
    pass


class FundRow(FunctionRow, FundColumns):
    pass


class RowError(ValueError):
    """A table's problem that lies in one of its rows: ``where`` is that row below the table (("rows", 3)),
    so readers report it at the row (``公开05表!A43``, a line of the figures file) rather than at the table."""

    def __init__(self, message: str, where: tuple) -> None:
        super().__init__(message)
        self.where = where


def error_loc(err: dict) -> tuple:
    """A pydantic error's location, down to the row a :class:`RowError` names."""
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith(("function-", "json-or-python"))))
    return loc + getattr(err.get("ctx", {}).get("error"), "where", ())


def _unique_codes(rows: list, table: str) -> None:
    """科目代码 are unique, and each 款/项 comes with its 类/款 (7 digits → 5 → 3)."""
    seen: set[str] = set()
    for index, row in enumerate(rows):
        if row.code in seen:
            raise RowError(f"{table}科目代码 {row.code} 重复", ("rows", index))
        seen.add(row.code)
    for index, row in enumerate(rows):
        parent = row.code[:-2] if len(row.code) > 3 else None
        if parent and parent not in seen:
            level = {5: "款", 7: "项"}[len(row.code)]
            parent_level = {3: "类", 5: "款"}[len(parent)]
            raise RowError(
                f"{table}科目 {row.code} {row.name}（{level}）缺少上级{parent_level}科目 {parent}；"
                f"请补上 {parent} 这一行", ("rows", index)
            )


# ---------------------------------------------------------------- 公开01表
class T01Income(Model):
    general_budget: Cell = _cell("一般公共预算财政拨款收入")
    government_fund: Cell = _cell("政府性基金预算财政拨款收入")
    state_capital: Cell = _cell("国有资本经营预算财政拨款收入")
    superior_subsidy: Cell = _cell("上级补助收入")
    business: Cell = _cell("事业收入")
    operating: Cell = _cell("经营收入")
    affiliated: Cell = _cell("附属单位上缴收入")
    other: Cell = _cell("其他收入")


class T01(Model):
    """公开01表 收入支出决算总表."""

    income: T01Income = Field(default_factory=T01Income, title="收入（各项）")
    income_total: Cell = _cell("本年收入合计")
    use_of_non_fiscal_balance: Cell = _cell("使用非财政拨款结余（含专用结余）")
    beginning_balance: Cell = _cell("年初结转和结余")
    income_grand_total: Cell = _cell("收入总计")
    expenditure: dict[Text, Cell] = Field(
        default_factory=dict, title="支出（按功能分类 类级）", description="类名称 → 金额，如 教育支出: 1817.23；空行不填"
    )
    expenditure_total: Cell = _cell("本年支出合计")
    surplus_distribution: Cell = _cell("结余分配")
    ending_balance: Cell = _cell("年末结转和结余")
    expenditure_grand_total: Cell = _cell("支出总计")


# ---------------------------------------------------------------- 公开02/03/05/07/08表
class T02(Model):
    """公开02表 收入决算表."""

    total: IncomeColumns = Field(default_factory=IncomeColumns, title="合计行")
    rows: list[IncomeRow] = Field(default_factory=list, title="科目行")

    @model_validator(mode="after")
    def _unique(self) -> "T02":
        _unique_codes(self.rows, "公开02表")
        return self


class T03(Model):
    """公开03表 支出决算表."""

    total: ExpenditureColumns = Field(default_factory=ExpenditureColumns, title="合计行")
    rows: list[ExpenditureRow] = Field(default_factory=list, title="科目行")

    @model_validator(mode="after")
    def _unique(self) -> "T03":
        _unique_codes(self.rows, "公开03表")
        return self


class T04Funds(Model):
    total: Cell = _cell("合计")
    general_budget: Cell = _cell("一般公共预算财政拨款")
    government_fund: Cell = _cell("政府性基金预算财政拨款")
    state_capital: Cell = _cell("国有资本经营预算财政拨款")


class T04(Model):
    """公开04表 财政拨款收入支出决算总表."""

    income: T04Funds = Field(default_factory=T04Funds, title="本年收入（一般公共/政府性基金/国有资本经营）",
                             description="total 为本年收入合计")
    beginning_balance: T04Funds = Field(default_factory=T04Funds, title="年初财政拨款结转和结余")
    income_grand_total: Cell = _cell("收入总计")
    expenditure: dict[Text, T04Funds] = Field(default_factory=dict, title="支出（按功能分类 类级）")
    expenditure_total: T04Funds = Field(default_factory=T04Funds, title="本年支出合计")
    ending_balance: T04Funds = Field(default_factory=T04Funds, title="年末财政拨款结转和结余")
    expenditure_grand_total: T04Funds = Field(default_factory=T04Funds, title="支出总计")


class T05(Model):
    """公开05表 一般公共预算财政拨款支出决算表."""

    total: SpendingColumns = Field(default_factory=SpendingColumns, title="合计行")
    rows: list[SpendingRow] = Field(default_factory=list, title="科目行")

    @model_validator(mode="after")
    def _unique(self) -> "T05":
        _unique_codes(self.rows, "公开05表")
        return self


class EconomicRow(Model):
    """A row of 公开06表 by 经济分类科目: 类 (3 digits) or 款 (5 digits)."""

    code: Code = Field(title="科目代码")
    name: Text = Field(title="科目名称", min_length=1)
    amount: Cell = _cell("决算数")

    @model_validator(mode="after")
    def _code_length(self) -> "EconomicRow":
        if len(self.code) not in (3, 5):
            raise ValueError(f"经济分类科目代码“{self.code}”应为 3 位（类）或 5 位（款）")
        return self


class T06(Model):
    """公开06表 一般公共预算财政拨款基本支出决算明细表."""

    rows: list[EconomicRow] = Field(default_factory=list, title="经济分类科目行（空行可不填）")
    personnel_total: Cell = _cell("人员经费合计")
    public_total: Cell = _cell("公用经费合计")

    @model_validator(mode="after")
    def _unique(self) -> "T06":
        _unique_codes(self.rows, "公开06表")
        return self


class T07(Model):
    """公开07表 政府性基金预算财政拨款收入支出决算表."""

    total: FundColumns = Field(default_factory=FundColumns, title="合计行")
    rows: list[FundRow] = Field(default_factory=list, title="科目行")

    @model_validator(mode="after")
    def _unique(self) -> "T07":
        _unique_codes(self.rows, "公开07表")
        return self


class T08(Model):
    """公开08表 国有资本经营预算财政拨款支出决算表."""

    total: SpendingColumns = Field(default_factory=SpendingColumns, title="合计行")
    rows: list[SpendingRow] = Field(default_factory=list, title="科目行")

    @model_validator(mode="after")
    def _unique(self) -> "T08":
        _unique_codes(self.rows, "公开08表")
        return self


# ---------------------------------------------------------------- 公开09表
class ThreePublicAmounts(Model):
    total: Cell = _cell("合计")
    overseas: Cell = _cell("因公出国（境）费")
    vehicle_total: Cell = _cell("公务用车购置及运行维护费 小计")
    vehicle_purchase: Cell = _cell("公务用车购置费")
    vehicle_operation: Cell = _cell("公务用车运行维护费")
    reception: Cell = _cell("公务接待费")


class T09(Model):
    """公开09表 财政拨款“三公”经费支出决算表."""

    budget: ThreePublicAmounts = Field(default_factory=ThreePublicAmounts, title="预算数（全年预算）")
    actual: ThreePublicAmounts = Field(default_factory=ThreePublicAmounts, title="决算数")


# ---------------------------------------------------------------- 公开10表
class Procurement(Model):
    total: Cell = _cell("政府采购 合计")
    goods: Cell = _cell("货物")
    works: Cell = _cell("工程")
    services: Cell = _cell("服务")


class AdminOperatingCost(Model):
    administrative: Cell = _cell("行政单位")
    civil_servant_managed: Cell = _cell("参照公务员法管理事业单位")


class Vehicles(Model):
    total: Count = Field(default=0, title="车辆数合计（辆）")
    ministerial: Count = Field(default=0, title="副部（省）级及以上领导用车")
    principal: Count = Field(default=0, title="主要负责人用车")
    confidential: Count = Field(default=0, title="机要通信用车")
    emergency: Count = Field(default=0, title="应急保障用车")
    law_enforcement: Count = Field(default=0, title="执法执勤用车")
    special: Count = Field(default=0, title="特种专业技术用车")
    retired_cadres: Count = Field(default=0, title="离退休干部服务用车")
    other: Count = Field(default=0, title="其他用车")


class T10(Model):
    """公开10表 部门决算公开相关信息统计表."""

    procurement: Procurement = Field(default_factory=Procurement, title="一、政府采购情况")
    admin_operating_cost: AdminOperatingCost = Field(default_factory=AdminOperatingCost, title="二、机关运行经费")
    vehicles: Vehicles = Field(default_factory=Vehicles, title="三、国有资产占用情况 （一）车辆")
    equipment_over_1m: Count = Field(default=0, title="单价100万元（含）以上设备（不含车辆）台（套）")


class Tables(Model):
    """第二部分 决算公开表：公开01表 … 公开10表."""

    t01: T01 = Field(default_factory=T01, title="公开01表 收入支出决算总表")
    t02: T02 = Field(default_factory=T02, title="公开02表 收入决算表")
    t03: T03 = Field(default_factory=T03, title="公开03表 支出决算表")
    t04: T04 = Field(default_factory=T04, title="公开04表 财政拨款收入支出决算总表")
    t05: T05 = Field(default_factory=T05, title="公开05表 一般公共预算财政拨款支出决算表")
    t06: T06 = Field(default_factory=T06, title="公开06表 一般公共预算财政拨款基本支出决算明细表")
    t07: T07 = Field(default_factory=T07, title="公开07表 政府性基金预算财政拨款收入支出决算表")
    t08: T08 = Field(default_factory=T08, title="公开08表 国有资本经营预算财政拨款支出决算表")
    t09: T09 = Field(default_factory=T09, title="公开09表 财政拨款“三公”经费支出决算表")
    t10: T10 = Field(default_factory=T10, title="公开10表 部门决算公开相关信息统计表")


# ---------------------------------------------------------------- what the tables do not hold
class TotalsNotes(Model):
    """上年 figures and the reason for a pair of 总计 (收入总计 / 支出总计)."""

    prior_income_total: Amount | None = _opt("上年收入总计")
    prior_expenditure_total: Amount | None = _opt("上年支出总计")
    change_reason: Text | None = _opt("增减变化的主要原因")


class FunctionNotes(Model):
    """一个功能科目的补充数据与说明（一般公共预算财政拨款支出）."""

    name: Text | None = _opt("科目名称（可不填，取自公开05表）")
    budget_initial: Amount | None = _opt("年初预算数")
    budget_full_year: Amount | None = _opt("全年预算数", "年初预算 + 年中追加/调整；年中成立的单位年初预算为 0")
    prior_year: Amount | None = _opt("上年决算数")
    uses: Text | None = _opt("主要用于", "“用于……”之后的文字，不含句号")
    change_reason: Text | None = _opt("较上年增减的主要原因")
    budget_reason: Text | None = _opt("决算数与年初预算数差异的主要原因")


class GeneralBudgetNotes(Model):
    """五、一般公共预算财政拨款支出：上年、年初预算与说明."""

    prior_year: Amount | None = _opt("上年一般公共预算财政拨款支出")
    budget_initial: Amount | None = _opt("年初预算数（合计）")
    budget_full_year: Amount | None = _opt("全年预算数（合计）", "年初预算 + 年中追加/调整；年中成立的单位年初预算为 0")
    change_reason: Text | None = _opt("较上年增减的主要原因")
    budget_reason: Text | None = _opt("决算数与年初预算数差异的主要原因")
    functions: dict[Code, FunctionNotes] = Field(default_factory=dict, title="按功能科目（类/款/项代码）")


class BasicNotes(Model):
    """六、基本支出：人员经费、公用经费的“主要包括”."""

    personnel_summary: Text | None = _opt("人员经费主要包括", "不填则按公开06表非零款名列举")
    public_summary: Text | None = _opt("公用经费主要包括", "不填则按公开06表非零款名列举")


class ThreePublicItemNotes(Model):
    change_reason: Text | None = _opt("与上年相比变化（或相同）的主要原因")
    uses: Text | None = _opt("主要用于")


class ReceptionPart(Model):
    amount: Amount | None = _opt("金额")
    batches: Count = Field(default=0, title="批次")
    people: Count = Field(default=0, title="人次")
    note: Text | None = _opt("主要是")


class ReceptionNotes(Model):
    batches: Count = Field(default=0, title="公务接待 批次（合计）")
    people: Count = Field(default=0, title="公务接待 人次（合计）")
    domestic: ReceptionPart = Field(default_factory=ReceptionPart, title="国内接待")
    foreign_affairs: ReceptionPart = Field(default_factory=ReceptionPart, title="其中：外事接待")
    overseas: ReceptionPart = Field(default_factory=ReceptionPart, title="国（境）外接待")


class ThreePublicPrior(Model):
    total: Amount | None = _opt("合计")
    overseas: Amount | None = _opt("因公出国（境）费")
    vehicle: Amount | None = _opt("公务用车购置及运行维护费（小计）", "上年只知小计、未分购置费和运行维护费时填写")
    vehicle_purchase: Amount | None = _opt("公务用车购置费")
    vehicle_operation: Amount | None = _opt("公务用车运行维护费")
    reception: Amount | None = _opt("公务接待费")


class ThreePublicBudget(ThreePublicPrior):
    """“三公”经费的年初预算或全年预算（公开09表只有一栏“预算数”时，另一种可在此给出）."""


class ThreePublicNotes(Model):
    """九、“三公”经费：上年数、说明与统计数."""

    prior_year: ThreePublicPrior = Field(default_factory=ThreePublicPrior, title="上年决算数")
    budget_initial: ThreePublicBudget = Field(
        default_factory=ThreePublicBudget, title="年初预算数",
        description="可不填；公开09表“预算数”是全年预算、而版式要与年初预算比较时填写")
    budget_full_year: ThreePublicBudget = Field(
        default_factory=ThreePublicBudget, title="全年预算数",
        description="可不填；公开09表“预算数”是年初预算（如上海模板）、而年中追加了预算或单位年中成立时填写")
    change_reason: Text | None = _opt("合计较上年增减的主要原因")
    budget_reason: Text | None = _opt("决算数与预算数差异的主要原因")
    overseas: ThreePublicItemNotes = Field(default_factory=ThreePublicItemNotes, title="因公出国（境）费")
    vehicle_purchase: ThreePublicItemNotes = Field(default_factory=ThreePublicItemNotes, title="公务用车购置费")
    vehicle_operation: ThreePublicItemNotes = Field(default_factory=ThreePublicItemNotes, title="公务用车运行维护费")
    vehicle: ThreePublicItemNotes = Field(default_factory=ThreePublicItemNotes, title="公务用车购置及运行维护费（合并说明时）")
    reception: ThreePublicItemNotes = Field(default_factory=ThreePublicItemNotes, title="公务接待费")
    overseas_groups: Count = Field(default=0, title="因公出国（境）团组数")
    overseas_people: Count = Field(default=0, title="因公出国（境）人次")
    vehicles_purchased: Count = Field(default=0, title="购置公务用车辆数")
    vehicles_held: Count = Field(default=0, title="财政拨款负担的公务用车保有量（辆）")
    reception_detail: ReceptionNotes = Field(default_factory=ReceptionNotes, title="公务接待明细")


NINE_TABLES = "无公开10表的版式（tables.absent 含 t10，如 central-style）才填：按正文所写；有公开10表的版式填在公开10表"
T10_STAND_INS = {"admin_operating_cost.amount": "admin_operating_cost", "procurement.total": "procurement.total",
                 "procurement.goods": "procurement.goods", "procurement.works": "procurement.works",
                 "procurement.services": "procurement.services", "assets.vehicles": "vehicles",
                 "assets.equipment_over_1m": "equipment_over_1m"}
"""The 表外数据 fields a layout without 公开10表 reads instead of that table (narrate.computation), each
with its place in ``tables.t10``."""


def stand_ins_given(figures: Figures) -> list[str]:
    """The fields of :data:`T10_STAND_INS` that ``figures`` fill."""
    given = []
    for path in T10_STAND_INS:
        value = figures
        for name in path.split("."):
            value = getattr(value, name)
        if value is not None:
            given.append(path)
    return given


class AdminCostNotes(Model):
    """机关运行经费：上年数与说明（无公开10表的版式还有本年数）."""

    amount: Amount | None = _opt("机关运行经费", NINE_TABLES)
    prior_year: Amount | None = _opt("上年机关运行经费")
    change_reason: Text | None = _opt("增减变化的主要原因")


class ProcurementNotes(Model):
    """政府采购：公开10表之外的金额（无公开10表的版式还有总额与货物、工程、服务）."""

    total: Amount | None = _opt("政府采购支出总额", NINE_TABLES)
    goods: Amount | None = _opt("政府采购货物支出", NINE_TABLES)
    works: Amount | None = _opt("政府采购工程支出", NINE_TABLES)
    services: Amount | None = _opt("政府采购服务支出", NINE_TABLES)

    @model_validator(mode="after")
    def _parts_together(self) -> "ProcurementNotes":
        parts = [name for name in ("goods", "works", "services") if getattr(self, name) is not None]
        if parts and (len(parts) < 3 or self.total is None):
            raise ValueError("货物（goods）、工程（works）、服务（services）支出要一并填写（没有的填 0），并填写总额（total）；"
                             f"只填了 {'、'.join(([] if self.total is None else ['total']) + parts)}")
        return self
    sme_amount: Amount | None = _opt("授予中小企业合同金额")
    small_micro_amount: Amount | None = _opt("其中：授予小微企业合同金额")
    sme_reserved: Amount | None = _opt("面向中小企业预留政府采购项目预算金额")
    small_micro_reserved: Amount | None = _opt("面向小微企业预留政府采购项目预算金额")
    sme_reserved_awarded: Amount | None = _opt("预留项目中由中小企业供应商中标或成交的采购金额")
    small_micro_reserved_awarded: Amount | None = _opt("面向小微企业预留项目中由小微企业供应商中标或成交的采购金额")
    sme_other_awarded: Amount | None = _opt("其他政府采购项目中由中小企业供应商中标或成交的采购金额")


class AssetNotes(Model):
    """国有资产占用：车辆情况补充说明（无公开10表的版式还有车辆数与大型设备数）."""

    vehicles: Vehicles | None = Field(default=None, title="车辆数", description=NINE_TABLES)
    equipment_over_1m: Count | None = _opt("单价100万元（含）以上设备（不含车辆）台（套）", NINE_TABLES)
    vehicles_note: Text | None = _opt("车辆情况补充说明")


class PerformanceNotes(Model):
    """预算绩效：自评情况."""

    self_evaluated_projects: Count | None = _opt("绩效自评项目个数")
    amount: Amount | None = _opt("涉及资金（万元）")
    grades: dict[Text, Count] = Field(default_factory=dict, title="自评等级个数", description="如 优: 14, 良: 1")
    project_level: Text = Field(default="二级项目", title="项目层级", description="如“二级项目”")
    other_matters: Text = Field(default="无。", title="其他需要说明的事项")
    systems: list[Text] = Field(default_factory=list, title="预算绩效管理制度名称", description="如《……预算绩效管理办法》")
    mechanism: Text | None = _opt("预算绩效管理工作机制", "“建立了……的预算绩效管理工作机制”中的内容")
    target_projects: Count | None = _opt("编报绩效目标的项目个数")
    target_amount: Amount | None = _opt("编报绩效目标的项目涉及预算金额")
    tracking_projects: Count | None = _opt("绩效跟踪评价的项目个数")
    tracking_amount: Amount | None = _opt("绩效跟踪评价的项目涉及预算金额")
    average_score: Annotated[Decimal, BeforeValidator(_parse_given_amount)] | None = _opt("绩效自评平均得分")
    problems_found: Count | None = _opt("绩效自评中发现问题个数")
    problems_fixed: Count | None = _opt("已经完成整改的问题个数")
    problems_fixing: Count | None = _opt("正在整改的问题个数")


class FundNotes(Model):
    """政府性基金 / 国有资本经营预算财政拨款支出：各科目的年初预算、用途与原因."""

    functions: dict[Code, FunctionNotes] = Field(default_factory=dict, title="按功能科目（项代码）")


class GlossaryNotes(Model):
    """名词解释中“主要是：……”的内容（该项收入不为零时列出）."""

    business_income: Text | None = _opt("事业收入主要是", "如“展览门票、培训”，文中写作“主要是：……收入等”")
    operating_income: Text | None = _opt("经营收入主要是")
    other_income: Text | None = _opt("其他收入主要是")


class Figures(Model):
    """一个单位的决算公开数据：十张公开表 + 表外数据与说明."""

    model_config = ConfigDict(title="narrate 决算公开数据", frozen=True, extra="forbid", populate_by_name=True)

    schema_ref: str | None = Field(
        default=None, alias="$schema", title="JSON Schema 地址",
        description="可选：编辑器用来提示和检查的 JSON Schema（narrate schema -o figures.schema.json 生成）；不影响结果",
    )
    unit: Unit = Field(title="单位")
    tables: Tables = Field(default_factory=Tables, title="公开表")
    totals: TotalsNotes = Field(default_factory=TotalsNotes, title="一、收入支出总计：上年数与原因")
    fiscal_totals: TotalsNotes = Field(default_factory=TotalsNotes, title="四、财政拨款收入支出总计：上年数与原因")
    general_budget: GeneralBudgetNotes = Field(default_factory=GeneralBudgetNotes, title="五、一般公共预算财政拨款支出")
    basic: BasicNotes = Field(default_factory=BasicNotes, title="六、基本支出")
    three_public: ThreePublicNotes = Field(default_factory=ThreePublicNotes, title="九、“三公”经费")
    admin_operating_cost: AdminCostNotes = Field(default_factory=AdminCostNotes, title="机关运行经费")
    procurement: ProcurementNotes = Field(default_factory=ProcurementNotes, title="政府采购")
    assets: AssetNotes = Field(default_factory=AssetNotes, title="国有资产占用")
    performance: PerformanceNotes = Field(default_factory=PerformanceNotes, title="预算绩效")
    government_fund: FundNotes = Field(default_factory=FundNotes, title="政府性基金预算财政拨款支出")
    state_capital: FundNotes = Field(default_factory=FundNotes, title="国有资本经营预算财政拨款支出")
    glossary: GlossaryNotes = Field(default_factory=GlossaryNotes, title="名词解释补充")
    profile: Text | None = _opt("版式", "如 default、shanghai-2024；命令行 --profile 优先")
    style: StyleSpec = Field(default_factory=StyleSpec, title="本单位的印法与措辞",
                             description="覆盖版式的 numbers / wording 设置，见 docs/profiles.md")

"""A layout's conventions and wording variants as data: profile.yaml's ``numbers:``/``wording:``/``tables:``,
overridable per unit by the figures file's ``style:`` block.

Every setting defaults to the reference document's choice, so a profile or unit that says nothing prints
as before.  While one document renders, its :class:`Style` is the *current* style (a context variable, so
batch threads never mix units): the number filters format through it and templates — macros imported
without context included — read it as the global ``style`` (``{% if style.zero_counts %}``).
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from decimal import Decimal
from typing import Annotated, Any, Iterator, Literal, Mapping, Optional

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from .numbers import DEFAULT_CONVENTIONS, Conventions

TABLE_KEYS = ("t01", "t02", "t03", "t04", "t05", "t06", "t07", "t08", "t09", "t10")
DEFAULT_TABLE_NAMES = {key: f"公开{key[1:]}表" for key in TABLE_KEYS}


_NUMBER_LIKE = re.compile(r"\d\s*(?:%|％|万元|辆|个|人次|批次)")


def _phrase(text: str) -> str:
    """A fixed phrase printed as is: it may not look like a number (those are printed from facts only)."""
    if _NUMBER_LIKE.search(text):
        raise ValueError(f"“{text}”含有数字加单位：固定说法中不能写数字（数字只能由数据算出后印出）")
    return text


def _as_int(value: Any) -> Any:
    """A workbook cell gives "1" or 1.0 where a YAML file gives 1."""
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    if isinstance(value, (float, Decimal)) and value == int(value):
        return int(value)
    return value


def _as_text(value: Any) -> Any:
    """A workbook cell gives the number 0 where a YAML file gives "0"."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (float, Decimal)):
        return "0.00" if value == 0 else str(value)
    return value


Phrase = Annotated[str, Field(min_length=1, max_length=60), AfterValidator(_phrase)]


class _Block(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class NumbersSpec(_Block):
    """``numbers:`` — how amounts and rates print."""

    thousands: Optional[bool] = Field(default=None, title="金额千分位", description="true：15,194.61；false：15194.61")
    zero: Optional[Annotated[Literal["0", "0.00"], BeforeValidator(_as_text)]] = Field(default=None, title="金额为 0 时印作", description="“0”或“0.00”")
    rate_decimals: Optional[Annotated[Literal[1, 2], BeforeValidator(_as_int)]] = Field(default=None, title="比例的小数位数",
                                                    description="2：占比12.35%；1：占比12.3%（按精确值四舍五入）")
    zero_base: Optional[Literal["omit", "hundred", "phrase"]] = Field(
        default=None, title="上年为 0 时的增长率", description="omit 不写；hundred 写“增长100.00%”；phrase 写 zero_base_phrase")
    zero_base_phrase: Optional[Phrase] = Field(default=None, title="上年为 0 时代替增长率的文字",
                                            description="默认“（基数为0，不可比）”")
    zero_budget: Optional[Literal["omit", "zero"]] = Field(
        default=None, title="预算为 0 时的完成率", description="omit 不写；zero 写“完成预算的0%”")


class WordingSpec(_Block):
    """``wording:`` — variants of one layout's sentences."""

    same_as_budget: Optional[Phrase] = Field(default=None, title="决算数与预算数相同时的说法",
                                          description="如“与预算数持平”“基本持平”“同预算数持平”“决算数与预算数持平”")
    item_completion: Optional[bool] = Field(default=None, title="项级说明是否写完成年初预算",
                                            description="true：“年初预算为X万元，支出决算为Y万元，完成年初预算的Z%”")
    three_public_none: Optional[bool] = Field(
        default=None, title="三公经费全为 0 时只写一句", description="true：“YYYY年度无“三公”经费财政拨款支出。”")
    zero_counts: Optional[bool] = Field(default=None, title="写出为 0 的个数",
                                        description="false（默认）：“共接待0批次、0人次”之类不写")
    merge_below: Optional[Decimal] = Field(default=None, ge=0, le=100, title="占比低于此值（%）的小项合并说明",
                                           description="如 1：占比都不到 1% 的几项写作“两项合计X万元，占0.1%”")
    names: dict[Annotated[str, Field(pattern=r"^\d{3}(\d{2}){0,2}$")], Phrase] = Field(
        default_factory=dict, title="科目名称（按科目代码）",
                                  description="正文中印的科目名称，如 {\"2080505\": \"养老保险缴费\"}；表中的代码不变")


class TablesSpec(_Block):
    """``tables:`` — the layout's own table numbers and titles."""

    names: dict[Literal["t01", "t02", "t03", "t04", "t05", "t06", "t07", "t08", "t09", "t10"], str] = Field(
        default_factory=dict, title="各表在本版式中的名称", description="如 t09: 公开表七")
    absent: list[Literal["t01", "t02", "t03", "t04", "t05", "t06", "t07", "t08", "t09", "t10"]] = Field(
        default_factory=list, title="本版式不公开的表", description="如 [t10]：其数字取自表外数据")


class StyleSpec(_Block):
    """A figures file's ``style:`` block: the unit's own numbers and wording, over its profile's."""

    numbers: NumbersSpec = Field(default_factory=NumbersSpec, title="数字的印法")
    wording: WordingSpec = Field(default_factory=WordingSpec, title="措辞")


@dataclass(frozen=True)
class Style:
    """The settings in force for one document."""

    numbers: Conventions = DEFAULT_CONVENTIONS
    same_as_budget: str = "与预算数持平"
    item_completion: bool = False
    three_public_none: bool = False
    zero_counts: bool = False
    merge_below: Decimal | None = None
    names: Mapping[str, str] = field(default_factory=dict)
    table_names: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_TABLE_NAMES))
    absent_tables: frozenset[str] = frozenset()

    def overridden(self, numbers: NumbersSpec | None, wording: WordingSpec | None) -> "Style":
        """This style with the given blocks' set keys over it."""
        style = self
        if numbers is not None and numbers.model_fields_set:  # a block left empty changes nothing
            set_numbers = {k: v for k, v in numbers.model_dump().items() if v is not None}
            if set_numbers:
                style = replace(style, numbers=replace(style.numbers, **set_numbers))
        if wording is not None and wording.model_fields_set:
            set_wording = {k: v for k, v in wording.model_dump().items() if v is not None and k != "names"}
            if set_wording or wording.names:
                style = replace(style, **set_wording, names={**style.names, **wording.names})
        return style

    def with_tables(self, tables: TablesSpec | None) -> "Style":
        if tables is None:
            return self
        return replace(self, table_names={**self.table_names, **tables.names}, absent_tables=frozenset(tables.absent))

    def table_name(self, key: str) -> str:
        """The layout's name of a narrate table key ("t09" → "公开09表" or "表七"); an absent table's figures
        are 表外数据 (the layout gives them only in the text)."""
        if key in self.absent_tables:
            return f"表外数据（本版式无{DEFAULT_TABLE_NAMES.get(key, key)}）"
        return self.table_names.get(key, DEFAULT_TABLE_NAMES.get(key, key))

    @cached_property
    def renames_tables(self) -> bool:
        """Whether the layout names any table otherwise than narrate does (or leaves one out)."""
        return bool(self.absent_tables) or any(self.table_names.get(k) != v for k, v in DEFAULT_TABLE_NAMES.items())

    def cite(self, text: str) -> str:
        """``text`` with narrate's table names ("公开09表") replaced by the layout's ("表七")."""
        if not self.renames_tables:
            return text
        return _TABLE_NAME.sub(lambda m: self.table_name(f"t{m[1]}"), text)


_TABLE_NAME = re.compile(r"公开(0[1-9]|10)表")
DEFAULT_STYLE = Style()
_CURRENT: ContextVar[Style] = ContextVar("narrate_style", default=DEFAULT_STYLE)


def current() -> Style:
    return _CURRENT.get()


@contextmanager
def using(style: Style) -> Iterator[Style]:
    """Make ``style`` the current one while a document renders."""
    token = _CURRENT.set(style)
    try:
        yield style
    finally:
        _CURRENT.reset(token)


class StyleView:
    """The template global ``style``: the current style's settings, read-only (``style.rate_decimals``)."""

    def __getattr__(self, name: str) -> Any:
        style = _CURRENT.get()
        if name in _NUMBER_SETTINGS:
            return getattr(style.numbers, name)
        if name in _STYLE_SETTINGS:
            return getattr(style, name)
        raise AttributeError(f"style 没有设置项 {name}")


_NUMBER_SETTINGS = frozenset(f.name for f in fields(Conventions))
_STYLE_SETTINGS = frozenset(f.name for f in fields(Style))


def table_name(key: str) -> str:
    """The current layout's name of a table key (for messages; "公开09表" by default)."""
    return current().table_name(key)

"""Facts: every number the text may print, with its value, formula and source cells.

Pure functions over :class:`~decimal.Decimal`.  A :class:`Fact` is either a cell
read from a table (or a figure given outside the tables: 上年, 年初预算, counts),
or a computation over other facts (占比, 增减额, 增长率, 完成率).  The formula
is kept as text with the operands as printed, so a reviewer can recompute it.

Formulas (see docs/figures.md):

* 占比   = 部分 ÷ 分母 × 100, rounded half up to 0.01 (每项独立取整，不强制合计100%)
* 增减额 = |本年 − 上年|; 方向 增加 / 减少 / 持平 by the sign
* 增长率 = |本年 − 上年| ÷ 上年 × 100; not defined when 上年 = 0
* 完成率 = 决算数 ÷ 预算数 × 100; not defined when 预算数 = 0

Each computed fact carries two texts made by the same helper: ``formula``, machine-parseable
("|15,194.61 − 7,211.33|", recomputed by tests/recompute.py), and ``wording``, as a finance
officer writes it ("本年数 − 上年数 = 15,194.61 − 7,211.33 = 7,983.28"; see :attr:`Fact.how`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Literal

from .numbers import HUNDRED, ZERO, exact_percent, format_operand, format_rate, round2

OUTSIDE = "表外数据"
"""The ``table`` of a :class:`Source` for a figure given outside the 公开 tables (上年数, 年初预算 …)."""


@dataclass(frozen=True, init=False)
class Source:
    """Where a figure comes from: a table cell, or an input outside the tables."""

    table: str
    """"公开05表", or for inputs outside the tables e.g. "上年决算数"."""
    row: str = ""
    """Row as printed: "208 社会保障和就业支出", "合计", "公务接待费"."""
    column: str = ""
    """Column as printed: "基本支出", "决算数"."""

    def __init__(self, table: str, row: str = "", column: str = "") -> None:
        self.__dict__.update(table=table, row=row, column=column)  # in one step, as Fact's fields

    def __str__(self) -> str:
        return " ".join(p for p in (self.table, self.row, self.column) if p)

    @property
    def outside(self) -> bool:
        """A figure typed outside the tables (表外数据), not read from a table."""
        return self.table == OUTSIDE


Kind = Literal["amount", "rate", "count"]


@dataclass(frozen=True, init=False)
class Fact:
    """One number that may appear in the text."""

    key: str
    """Stable identifier, e.g. ``general_budget.208.completion``."""
    label: str
    """What it is, in Chinese: "社会保障和就业支出 完成年初预算的比例"."""
    value: Decimal
    kind: Kind
    # formula and wording have no class-level default (``__init__`` gives ""), so a computed fact's
    # texts, written when first read, reach ``__getattr__``.
    formula: str
    """"12,423.32 ÷ 11,090.22 × 100"; empty for a figure read as printed."""
    sources: tuple[Source, ...] = ()
    wording: str
    """The computation as a finance officer writes it: "增减额 ÷ 上年数 × 100% = 7,983.28 ÷ 7,211.33 × 100%
    = 110.70%"; empty for a figure read as printed."""
    exact: Decimal | None = field(default=None, compare=False, repr=False)
    """A rate's unrounded quotient, so a profile printing 1 decimal rounds from it (numbers.format_rate)."""

    def __init__(self, key: str, label: str, value: Decimal, kind: Kind, formula: str = "",
                 sources: tuple[Source, ...] = (), wording: str = "", exact: Decimal | None = None) -> None:
        # The fields in one step: a frozen dataclass's own __init__ sets them one by one through
        # object.__setattr__, four times slower, and a unit makes some 200 facts.
        self.__dict__.update(key=key, label=label, value=value, kind=kind, formula=formula, sources=sources,
                             wording=wording, exact=exact)

    @classmethod
    def computed(cls, key: str, label: str, value: Decimal, kind: Kind, sources: tuple[Source, ...],
                 texts: tuple[str, str, tuple[Decimal, ...]], exact: Decimal | None = None) -> Fact:
        """A computed fact whose :attr:`formula` and :attr:`wording` are written when first read.

        ``texts``: the two as patterns over the operands, and the operands — ``("{0} ÷ {1} × 100",
        "部分 ÷ 合计 × 100% = {0} ÷ {1} × 100% = {result}", (part, whole))``; each operand is printed by
        :func:`~narrate.numbers.format_operand`, ``{result}`` as the value.  A unit makes some 200 facts
        and prints a third of them, and only ``narrate explain`` and the review copy show how.
        """
        fact = cls.__new__(cls)
        fact.__dict__.update(key=key, label=label, value=value, kind=kind, sources=sources, exact=exact, _texts=texts)
        return fact

    def __getattr__(self, name: str) -> str:  # only called for a computed fact's texts not yet written
        texts = self.__dict__.get("_texts")
        if texts is None or name not in ("formula", "wording"):
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        formula, wording, operands = texts
        shown = tuple(map(format_operand, operands))
        result = format_rate(self.value) if self.kind == "rate" else format_operand(self.value)
        self.__dict__.update(formula=formula.format(*shown), wording=wording.format(*shown, result=result))
        self.__dict__.pop("_texts", None)
        return self.__dict__[name]

    def __getstate__(self) -> dict:
        """Pickled with its texts written."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @property
    def how(self) -> str:
        """How the number was obtained, in words: its :attr:`wording` (else its formula), or for a figure
        taken as given "照表列示" (read from a table) or "表外数据（填报）" (typed outside the tables)."""
        if self.wording or self.formula:
            return self.wording or self.formula
        return "表外数据（填报）" if self.sources and all(s.outside for s in self.sources) else "照表列示"

    @property
    def is_zero(self) -> bool:
        """True for 0 (templates test ``fact.is_zero``; ``{% if fact %}`` only tests presence)."""
        return self.value == ZERO


Direction = Literal["increase", "decrease", "equal"]


@dataclass(frozen=True)
class Change:
    """A year-over-year change: 增加/减少 ``amount``, 增长/下降 ``rate`` (None when 上年 = 0)."""

    current: Fact
    prior: Fact
    amount: Fact
    rate: Fact | None
    direction: Direction
    base_zero_rate: Fact | None = None
    """When 上年 is 0 and the figure grew: "100%", for profiles whose convention prints it (``zero_base: hundred``)."""

    @property
    def increase(self) -> bool:
        return self.direction == "increase"

    @property
    def decrease(self) -> bool:
        return self.direction == "decrease"

    @property
    def equal(self) -> bool:
        return self.direction == "equal"


def given(key: str, label: str, value: Decimal | int, source: Source, kind: Kind = "amount") -> Fact:
    """A figure as printed in a table or given as input."""
    return Fact(key, label, value if value.__class__ is Decimal else Decimal(value), kind, "", (source,))


def _worded(names: str, operands: str) -> str:
    """The wording pattern "本年数 − 上年数 = {0} − {1} = {result}": the names, the operands, the result
    (see :meth:`Fact.computed`; ``names`` may hold any text)."""
    return names.replace("{", "{{").replace("}", "}}") + f" = {operands} = {{result}}"


def _rate(key: str, label: str, part: Decimal, whole: Decimal, sources: tuple[Source, ...], names: str,
          operands: str = "{0} ÷ {1}", values: tuple[Decimal, ...] | None = None,
          worded_operands: str | None = None) -> Fact:
    """A rate = part ÷ whole × 100, rounded half up to 0.01, keeping the exact quotient (1-decimal profiles
    round from it); ``operands`` (a pattern over ``values``, by default part and whole) make the formula,
    ``names`` ("部分 ÷ 合计 × 100%") the wording."""
    exact = exact_percent(part, whole)
    texts = (f"{operands} × 100", _worded(names, f"{worded_operands or operands} × 100%"), values or (part, whole))
    return Fact.computed(key, label, round2(exact), "rate", sources, texts, exact)


def _sources(*facts: Fact) -> tuple[Source, ...]:
    """The facts' source cells, each once, in order of first appearance."""
    return tuple(dict.fromkeys(src for fact in facts for src in fact.sources))


def share(key: str, label: str, part: Fact, whole: Fact) -> Fact | None:
    """占比 = part ÷ whole × 100 (None when whole is 0)."""
    if whole.value == ZERO:
        return None
    return _rate(key, label, part.value, whole.value, _sources(part, whole), "部分 ÷ 合计 × 100%")


def merged_share(key: str, label: str, parts: list[Fact], whole: Fact) -> Fact | None:
    """占比 of several small items together ("两项合计占0.1%") = (a + b + …) ÷ whole × 100."""
    if whole.value == ZERO or not parts:
        return None
    added = sum((p.value for p in parts), ZERO)
    operands = f"({' + '.join(f'{{{i}}}' for i in range(len(parts)))}) ÷ {{{len(parts)}}}"
    return _rate(key, label, added, whole.value, _sources(*parts, whole), "各项合计 ÷ 合计 × 100%", operands,
                 (*(p.value for p in parts), whole.value))


def add_up(key: str, label: str, first: Fact, second: Fact) -> Fact:
    """The sum of two amounts (e.g. 行政 + 参公 机关运行经费), with the formula "a + b"."""
    return Fact.computed(key, label, first.value + second.value, "amount", _sources(first, second),
                         ("{0} + {1}", _worded(f"{first.label} + {second.label}", "{0} + {1}"),
                          (first.value, second.value)))


def completion(key: str, label: str, actual: Fact, budget: Fact | None, budget_name: str = "年初预算数") -> Fact | None:
    """完成率 = 决算 ÷ 预算 × 100 (None when the budget is missing or 0); ``budget_name`` names the
    budget in the wording ("决算数 ÷ 年初预算数 × 100%")."""
    if budget is None or budget.value == ZERO:
        return None
    return _rate(key, label, actual.value, budget.value, _sources(actual, budget), f"决算数 ÷ {budget_name} × 100%")


def change(key: str, label: str, current: Fact, prior: Fact | None) -> Change | None:
    """增减额 and 增长率 of ``current`` against ``prior`` (None when 上年 is not given)."""
    if prior is None:
        return None
    diff = round2(current.value - prior.value)
    direction: Direction = "increase" if diff > 0 else "decrease" if diff < 0 else "equal"
    # {0} is 本年, {1} 上年, {2} the 增减额; the wording subtracts the smaller from the larger,
    # so the officer's subtraction gives the printed amount
    worded = _DECREASE_WORDED if direction == "decrease" else _INCREASE_WORDED
    sources = _sources(current, prior)
    operands = (current.value, prior.value, abs(diff))
    amount = Fact.computed(f"{key}.amount", f"{label} 增减额", abs(diff), "amount", sources,
                           ("|{0} − {1}|", worded, operands))
    rate = base_zero = None
    if prior.value != ZERO and direction != "equal":
        rate = _rate(f"{key}.rate", f"{label} 增长率" if direction == "increase" else f"{label} 下降率",
                     abs(diff), abs(prior.value), sources, "增减额 ÷ 上年数 × 100%", "|{0} − {1}| ÷ {1}", operands,
                     "{2} ÷ {1}")
    elif direction == "increase":  # 上年为 0: some layouts print "增长100%" by convention
        base_zero = Fact(f"{key}.rate", f"{label} 增长率（上年为0，按惯例记为100%）", HUNDRED, "rate",
                         BASE_ZERO_FORMULA.format(format_operand(current.value)), sources, "上年为0，按惯例记为 100%",
                         HUNDRED)
    return Change(current, prior, amount, rate, direction, base_zero)


_INCREASE_WORDED = _worded("本年数 − 上年数", "{0} − {1}")
_DECREASE_WORDED = _worded("上年数 − 本年数", "{1} − {0}")


BASE_ZERO_FORMULA = "上年为0（本年 {}）：按惯例记为 100"

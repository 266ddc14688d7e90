"""Which budget a sentence compares 决算 with: 年初预算, 全年预算 or (plain) 预算.

Real layouts differ: the reference document and Shanghai compare each 科目 with its 年初预算,
Guangdong's 三公 text with the 全年预算 (年初预算 + 年中追加/调整), and a unit created during
the year has a 年初预算 of 0 and a 全年预算 > 0.  :mod:`narrate.computation` computes every
option a record has (:func:`options`: the budget, 完成率 and direction against each figure given);
the profile's ``budget`` block (:class:`Policy`) picks one per sentence (:func:`pick`), and the
label it prints always names the figure the 完成率 was computed from — never "完成年初预算的X%"
from a full-year figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .computation import Record
from .reads import note

INITIAL, FULL_YEAR, PLAIN = "年初预算", "全年预算", "预算"
Baseline = Literal["年初预算", "全年预算", "预算"]


@dataclass(frozen=True)
class Policy:
    """A profile's ``budget`` block."""

    baseline: str = INITIAL
    """What each 预决算 sentence compares with."""
    fallback: bool = True
    """Under a 年初预算 baseline, a 年初预算 of 0 (or none) with a 全年预算 given compares with the 全年预算."""
    three_public_column: str = FULL_YEAR
    """What 公开09表's 预算数 column is in this layout (年初预算 or 全年预算)."""
    label: str | None = None
    """The word printed for the baseline; default: the baseline's own name (a fallback prints 全年预算)."""


def pick(record: Any, policy: Policy) -> Record | None:
    """The budget ``record``'s sentence compares with under ``policy``, or None when it has none.

    The result has ``budget`` (Fact), ``completion`` (Fact? — none when the budget is 0), ``direction``
    (above / below / equal), ``basis`` (年初预算 / 全年预算: the figure used) and ``label`` (the word to print).
    """
    found = getattr(record, "budget_options", None)
    if found is None:
        return None
    initial, full_year = found.initial, found.full_year
    table = getattr(found, "table", None)
    if table is not None:  # 公开09表: its column is what the layout says it is
        table = Record(basis=policy.three_public_column, budget=table.budget, completion=table.completion,
                       direction=table.direction)
        if policy.three_public_column == INITIAL:
            initial = initial or table
        else:
            full_year = full_year or table
    if policy.baseline == FULL_YEAR:
        chosen = full_year
    elif policy.baseline == INITIAL:
        chosen = initial
        if policy.fallback and full_year is not None and (initial is None or initial.budget.is_zero):
            chosen = full_year
    else:
        chosen = full_year or initial
    if chosen is None:
        chosen = table  # 公开09表's 预算数 is the only budget of 三公: printed under its own name
    if chosen is None:
        return None
    label = chosen.basis
    if policy.label and chosen.basis == policy.baseline:
        label = policy.label
    elif policy.baseline == PLAIN:
        label = policy.label or PLAIN
    return Record(budget=chosen.budget, completion=chosen.completion, direction=chosen.direction,
                  basis=chosen.basis, label=label)


class Picker:
    """``basis(item)`` in templates: :func:`pick` under one profile's policy."""

    def __init__(self, policy: Policy) -> None:
        self._policy = policy

    def __call__(self, record: Any) -> Record | None:
        note(record, "budget_options")  # what narrate check asks of the render: this record's budgets were read
        return pick(record, self._policy)

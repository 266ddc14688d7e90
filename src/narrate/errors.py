"""The one exception type narrate raises for bad input, with structured details.

A :class:`FiguresError` carries one or more :class:`Problem` records.  Each names
where the problem is (file, field path, line when the format has lines), what
was found and what was expected, so the CLI can print a clear Chinese message
and other tools can read the details.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input."""

    message: str
    """What is wrong, in Chinese, one sentence."""
    path: str = ""
    """Field path inside the figures, e.g. ``tables.t05.rows[3].basic``."""
    found: str = ""
    """What was found (as text), empty when nothing was found."""
    expected: str = ""
    """What was expected."""
    line: int | None = None
    """1-based line in the input file, where the format has lines."""

    def describe(self) -> str:
        """One line in Chinese: where, what is wrong, what was found and expected."""
        where = ""
        if self.path:
            where = f"字段 {self.path}"
            if self.line is not None:
                where += f"（第 {self.line} 行）"
            where += "："
        elif self.line is not None:
            where = f"第 {self.line} 行："
        text = where + self.message
        extras = []
        if self.found:
            extras.append(f"实际为 {self.found}")
        if self.expected:
            extras.append(f"应为 {self.expected}")
        if extras:
            text += "（" + "；".join(extras) + "）"
        return text


@dataclass
class FiguresError(Exception):
    """Input figures that narrate cannot use.

    ``source`` is the file name (or ``<data>`` for figures given in memory);
    ``problems`` lists every problem found, in input order.
    """

    source: str
    problems: list[Problem] = field(default_factory=list)
    partial: Any = field(default=None, repr=False, compare=False)
    """From a workbook or Word document: the figures as far as they could be read
    (:class:`narrate.loaders.located.Located`, its ``unreadable`` paths left out), or None."""

    def __post_init__(self) -> None:
        super().__init__(self.__str__())

    def __str__(self) -> str:
        head = f"{self.source}：数据有误（{len(self.problems)} 处）"
        return "\n".join([head] + [f"  - {p.describe()}" for p in self.problems])


class TemplateError(Exception):
    """A template (bundled or the user's) failed: names the file, line and cause."""

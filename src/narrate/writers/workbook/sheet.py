"""One worksheet as plain data (:class:`Sheet`), and the small helpers the sheet builders share."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable


@dataclass
class Sheet:
    """One worksheet: cells (0-based row, column) → (value, style), merges, widths, validations."""

    name: str
    cells: dict[tuple[int, int], tuple[Any, str]] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    """Row heights in points, where wrapped text needs more than one line."""
    validations: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    table: int | None = None
    grid: tuple[int, int] = (0, 0)
    """For a table sheet: rows [start, end) of the grid (header to last data row); above it the title lines."""
    freeze: tuple[int, int] | None = None

    def set(self, r: int, c: int, value: Any, style: str = "", validation: str = "") -> None:
        self.cells[(r, c)] = (value, style)
        if validation:
            self.validations.setdefault(validation, []).append((r, c))

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        if (r1, c1) != (r2, c2):
            self.merges.append((r1, c1, r2, c2))

    @property
    def height(self) -> int:
        return max((r for r, _ in self.cells), default=-1) + 1

    @property
    def width(self) -> int:
        return max((c for _, c in self.cells), default=-1) + 1

    def rows(self) -> list[list[Any]]:
        """Cell values as a grid (merged cells: value in the first cell only)."""
        out = [[None] * self.width for _ in range(self.height)]
        for (r, c), (value, _) in self.cells.items():
            out[r][c] = value
        return out


def blank_zero(value: Decimal | None, keep_zero: bool = False) -> Decimal | None:
    if value is None:
        return None
    if value == 0 and not keep_zero:
        return None
    return value


def value_at(obj: Any, path: Iterable[str]) -> Any:
    for part in path:
        obj = getattr(obj, part) if not isinstance(obj, dict) else obj.get(part)
        if obj is None:
            return None
    return obj


def wrapped_lines(text: str, width: float) -> int:
    """Lines ``text`` wraps to in a column ``width`` characters wide (a CJK character takes two)."""
    columns = sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)
    return max(1, -(-columns // max(1, int(width) - 5)))

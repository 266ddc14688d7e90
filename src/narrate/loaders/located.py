"""Figures with where each figure was read: :class:`Located` (figures, :class:`CellMap`).

Kept apart from :mod:`narrate.model` so the model stays pure (equal figures are equal wherever they
were read), and from :mod:`narrate.loaders.grid` so a data file does not import the grid readers.
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping, NamedTuple, Sequence


def dotted(path: Sequence[Any]) -> str:
    """A field path as text: ("tables", "t05", "rows", 4, "basic") → "tables.t05.rows[4].basic"."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


class CellMap(Mapping[str, str]):
    """Where each figure was read: a field path of the figures (``tables.t05.rows[4].basic``) → its cell
    (``公开05表!E12``; in a Word document ``第6个表格（公开05表）第10行第4列``).  Addresses are made
    when asked for; a figure not read from a cell (left blank, or from a data file) is not in the map."""

    def __init__(self, cells: Mapping[tuple, tuple[Any, Any]] | None = None) -> None:
        self._cells = cells or {}
        self._by_path: dict[str, Any] | None = None

    def _index(self) -> dict[str, Any]:
        if self._by_path is None:
            self._by_path = {dotted(path): addr for path, (addr, _raw) in self._cells.items()}
        return self._by_path

    def __getitem__(self, path: str) -> str:
        return str(self._index()[path])

    def __iter__(self) -> Iterator[str]:
        return iter(self._index())

    def __len__(self) -> int:
        return len(self._index())


class Located(NamedTuple):
    """Figures with the cell each figure came from (:func:`narrate.loaders.load_located`)."""

    figures: Any
    cells: CellMap
    unreadable: frozenset[str] = frozenset()
    """Field paths whose cells could not be read (set only on :attr:`FiguresError.partial`)."""

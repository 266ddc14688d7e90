"""The data being read: :class:`Builder` keeps each value with the cell it came from.

:func:`validate` turns the builder's data into :class:`Figures`, reporting every
problem the model finds (a negative amount, a duplicated 科目代码) at the cell
the value came from (:func:`map_error`).
"""

from __future__ import annotations

from typing import Any

from ...errors import FiguresError, Problem
from ..located import CellMap, Located, dotted
from .cells import CellProblem, show


class Builder:
    """Plain data for :class:`Figures`, each value remembering the cell it came from."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.data: dict[str, Any] = {}
        self.cells: dict[tuple, tuple[str, Any]] = {}
        self.problems: list[Problem] = []
        self.blanks: dict[tuple, Any] = {}
        """Cells of fields outside the tables left blank: where a missing 单位名称 is to be filled."""
        self.whole_tables: set[int] = set()
        """ids of blocks that are one table from top to bottom (nothing else to read there)."""

    def put(self, path: tuple, value: Any, addr: str | None = None, raw: Any = None) -> None:
        target = self.data
        for part in path[:-1]:
            target = target.setdefault(part, {})
        target[path[-1]] = value
        if addr:
            self.cells[path] = (addr, raw)

    def get(self, path: tuple, default: Any = None) -> Any:
        target: Any = self.data
        for part in path:
            if not isinstance(target, dict) or part not in target:
                return default
            target = target[part]
        return target

    def locate(self, path: tuple, addr: str, raw: Any = None) -> None:
        self.cells[path] = (addr, raw)

    def fail(self, addr: Any, message: str, found: Any = None, expected: str = "", field_path: str = "") -> None:
        self.problems.append(CellProblem(message, path=str(addr), found=show(found) if found is not None else "",
                                         expected=expected, field=field_path))


def validate(b: Builder, located: bool = False) -> Any:
    """The builder's data → :class:`Figures` (with ``located``, a :class:`Located`); every problem
    reported at its cell.  The :class:`FiguresError` raised carries in ``partial`` the figures as far
    as they could be read (see :func:`_partial`), so ``narrate check`` can still run the rules."""
    from pydantic import ValidationError

    from ...model import Figures

    try:
        figures = Figures.model_validate(b.data)
    except ValidationError as exc:
        # with problems already found (a cell that is not a number …), what is missing follows from them
        errors = [e for e in exc.errors() if not (b.problems and e["type"] == "missing")]
        problems = list(b.problems) + [map_error(err, b) for err in errors]
        raise FiguresError(b.source, problems, partial=_partial(b, exc.errors())) from None
    if b.problems:
        raise FiguresError(b.source, list(b.problems), partial=Located(figures, CellMap(b.cells), _unreadable(b)))
    return Located(figures, CellMap(b.cells)) if located else figures


UNREAD_NAME = "（单位名称未能读取）"


def _unreadable(b: Builder) -> frozenset[str]:
    return frozenset(p.field for p in b.problems if isinstance(p, CellProblem) and p.field)


def _partial(b: Builder, errors: list[dict]) -> Located | None:
    """The figures without the values the model refused (each left out, as if blank), a missing 单位名称
    standing in as :data:`UNREAD_NAME`; None when that does not make valid figures (a refused row,
    a missing 年度 …): then no rule can be run."""
    import copy

    from pydantic import ValidationError

    from ...model import Figures, error_loc

    data = copy.deepcopy(b.data)
    unreadable = set(_unreadable(b))
    for _round in range(3):
        for err in errors:
            loc = error_loc(err)
            if loc == ("unit", "name") and err["type"] == "missing":
                data.setdefault("unit", {})["name"] = UNREAD_NAME
                continue
            if not loc or not isinstance(loc[-1], str) or "rows" in loc[-2:]:
                return None  # a whole row or table refused: what is left cannot be checked
            target: Any = data
            for part in loc[:-1]:
                try:
                    target = target[part]
                except (KeyError, IndexError, TypeError):
                    return None
            if not isinstance(target, dict) or loc[-1] not in target:
                return None
            del target[loc[-1]]
            unreadable.add(dotted(loc))
        try:
            return Located(Figures.model_validate(data), CellMap(b.cells), frozenset(unreadable))
        except ValidationError as exc:
            errors = exc.errors()
    return None


def map_error(err: dict, b: Builder) -> Problem:
    """A pydantic error → a problem at the cell its value came from (or the field path)."""
    from ...model import error_loc
    from ..text import _problem, names_what_it_found

    problem = _problem(err, {})
    loc = error_loc(err)
    for n in range(len(loc), 0, -1):
        if loc[:n] in b.cells:
            addr, raw = b.cells[loc[:n]]
            said = names_what_it_found(problem.message)
            found = show(raw) if raw is not None and n == len(loc) and not said else ""
            return CellProblem(problem.message, path=str(addr), found=found, expected=problem.expected, field=problem.path)
    return CellProblem(problem.message, path="", found=problem.found, expected=problem.expected, field=problem.path)

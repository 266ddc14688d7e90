"""The small engine that evaluates the rules of ``catalog.yaml`` on a Figures.

A rule compares one cell (``total``) with a sum of cells (``parts`` − ``minus``)
by ``eq``, ``le`` or ``ge``.  Cell paths are resolved against the figures (see
the catalog's header for the syntax); every resolved cell keeps a Chinese label
("公开05表 208 社会保障和就业支出 基本支出") so findings name both sides.

Tolerance for equality: max(0.01, 0.005 × number of addends).  A difference
within it is a rounding tail (尾数误差, information); beyond it, the rule's
severity (error unless the rule says warning).
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Literal

from pydantic import BaseModel

from ..model import Figures, FunctionRow, Tables
from ..numbers import format_operand

Severity = Literal["error", "warning", "info"]
CATALOG = Path(__file__).with_name("catalog.yaml")
CENT = Decimal("0.01")
HALF_CENT = Decimal("0.005")
ZERO = Decimal(0)
LEVELS = {"类": 3, "款": 5, "项": 7}


@dataclass(frozen=True)
class Cell:
    """A resolved cell: its label as a reader would name it, its value, and its place in the figures
    (``path``: ``tables.t05.rows[4].basic``; empty for a cell the figures do not hold, such as a
    row not listed) — the CLI names it as a workbook cell through the loader's cell map."""

    label: str
    value: Decimal
    path: str = field(default="", compare=False)

    def __str__(self) -> str:
        return f"{self.label} = {format_operand(self.value)}"


class _LazyCell:
    """A cell whose label is computed only if a finding shows it."""

    __slots__ = ("node", "value")

    def __init__(self, node: Any) -> None:
        self.node = node
        self.value = Decimal(node.value)

    @property
    def label(self) -> str:
        return self.node.label

    def resolved(self) -> Cell:
        return Cell(self.label, self.value, self.node.path)


@dataclass(frozen=True)
class Finding:
    """One result of ``narrate check``."""

    rule: str
    """Rule id ("A1", "H1", …) or the kind of narrative check ("缺少数据", "需说明原因")."""
    severity: Severity
    category: str
    """"勾稽", "尾数误差", "缺少数据" or "需说明原因"."""
    message: str
    cells: tuple[Cell, ...] = ()
    difference: Decimal | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "category": self.category,
            "message": self.message,
            "cells": [{"label": c.label, "value": str(c.value), "path": c.path} for c in self.cells],
            "difference": None if self.difference is None else str(self.difference),
        }


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    total: str
    parts: tuple[str, ...]
    minus: tuple[str, ...] = ()
    compare: Literal["eq", "le", "ge"] = "eq"
    severity: Severity = "error"
    each: str | None = None
    include_total: bool = False
    requires: tuple[str, ...] = ()

    @cached_property
    def figures_check(self) -> Check | None:
        """The rule's numbers-first check on a Figures (:func:`_figures_check`), made on first use."""
        return _figures_check(self)

    @cached_property
    def row_check(self) -> Check | None:
        """The ``each`` rule's numbers-first check on a row (:func:`_row_check`), made on first use."""
        return _row_check(self)


@dataclass(frozen=True)
class Hierarchy:
    id: str
    description: str
    tables: tuple[tuple[str, tuple[str, ...]], ...]


@lru_cache(maxsize=4)
def load_catalog(path: Path = CATALOG) -> tuple[tuple[Rule, ...], tuple[Hierarchy, ...]]:
    """The rules and hierarchies of a catalog file."""
    import yaml

    data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    rules = tuple(
        Rule(
            id=str(r["id"]),
            description=r["description"],
            total=r["total"],
            parts=tuple(r["parts"]),
            minus=tuple(r.get("minus", ())),
            compare=r.get("compare", "eq"),
            severity=r.get("severity", "error"),
            each=r.get("each"),
            include_total=bool(r.get("include_total", False)),
            requires=tuple(r.get("requires", ())),
        )
        for r in data["rules"]
    )
    hierarchies = tuple(
        Hierarchy(h["id"], h["description"], tuple((t, tuple(cols)) for t, cols in h["tables"].items()))
        for h in data.get("hierarchies", ())
    )
    return rules, hierarchies


# ---------------------------------------------------------------- cell paths
_SEGMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*|\*)(?:\[([^\]]+)\])?")


class _Missing:
    """A cell the figures do not give (a non-table input left out)."""


MISSING = _Missing()


class _Node:
    """A value found on a path, with its label built only when a finding needs it."""

    __slots__ = ("_parent", "_suffix", "value", "_step")

    def __init__(self, parent: "_Node | str", suffix: Any, value: Any, step: str | int | None = "") -> None:
        self._parent, self._suffix, self.value, self._step = parent, suffix, value, step

    @property
    def path(self) -> str:
        """Where the value is in the figures ("tables.t05.rows[4].basic"); "" for one they do not hold."""
        step = self._step
        if step is None:
            return ""
        if not isinstance(self._parent, _Node):
            return step
        head = self._parent.path
        if not head:
            return ""
        if isinstance(step, int):  # a row: its position in the table
            return f"{head}.rows[{step}]"
        return f"{head}.{step}" if step else head

    @property
    def label(self) -> str:
        suffix = self._suffix
        if isinstance(suffix, tuple):  # (model class, field name): the field's Chinese title
            suffix = _title(*suffix)
        elif callable(suffix):
            suffix = suffix()
        head = self._parent.label if isinstance(self._parent, _Node) else self._parent
        return f"{head} {suffix}" if suffix else head


@lru_cache(maxsize=32)
def _table_name(key: str) -> str:
    title = Tables.model_fields[key].title or key
    return title.split(" ")[0]


def _row_label(row: Any) -> str:
    return f"{row.code} {row.name}" if isinstance(row, FunctionRow) or hasattr(row, "code") else "合计"


def _field_title(model: BaseModel, name: str) -> str:
    return _title(type(model), name)


@lru_cache(maxsize=1024)
def _title(model: type, name: str) -> str:
    field = model.model_fields.get(name)  # type: ignore[attr-defined]
    return field.title if field and field.title else name


@lru_cache(maxsize=1024)
def _field_names(model: type) -> tuple[str, ...]:
    return tuple(model.model_fields)  # type: ignore[attr-defined]


@lru_cache(maxsize=4096)
def _parse(path: str) -> tuple[bool, tuple[tuple[str, str | None], ...]]:
    """A cell path → (relative?, segments of (name, selector))."""
    relative = path.startswith(".")
    segments = []
    for part in filter(None, (path[1:] if relative else path).split(".")):
        name, selector = _SEGMENT.fullmatch(part).groups()  # type: ignore[union-attr]
        segments.append((name, selector))
    return relative, tuple(segments)


class _RowLabel:
    """A row's label ("208 社会保障和就业支出"), made when asked for."""

    __slots__ = ("row",)

    def __init__(self, row: Any) -> None:
        self.row = row

    def __call__(self) -> str:
        return _row_label(self.row)


class Resolver:
    """Resolves cell paths against one Figures."""

    def __init__(self, figures: Figures) -> None:
        self.figures = figures
        self.unreadable: frozenset[str] = frozenset()
        """Field paths of cells that could not be read: a rule touching one is skipped."""
        self._indexes: dict[int, tuple[Any, dict[str, list[Any]]]] = {}
        self._places: dict[int, tuple[Any, dict[int, int]]] = {}

    def positions(self, value: Any) -> dict[int, int]:
        """A table's rows: id of each row → its position (for field paths), made once per check."""
        entry = self._places.get(id(value))
        if entry is None or entry[0] is not value:
            entry = self._places[id(value)] = (value, {id(r): i for i, r in enumerate(value.rows)})
        return entry[1]

    def _rows_by(self, value: Any) -> dict[str, list[Any]]:
        """A table's rows by code and by level ("类", "款", "项"), indexed once per check."""
        entry = self._indexes.get(id(value))
        if entry is None or entry[0] is not value:
            index: dict[str, list[Any]] = {}
            for r in value.rows:
                index.setdefault(r.code, []).append(r)
            for level, length in LEVELS.items():
                index[level] = [r for r in value.rows if len(r.code) == length]
            entry = self._indexes[id(value)] = (value, index)
        return entry[1]

    def roots(self, head: str) -> _Node:
        if _is_table(head):
            return _Node(_table_name(head), "", getattr(self.figures.tables, head), f"tables.{head}")
        return _Node("表外数据", head, self._root_value(head), head)

    def _root_value(self, head: str) -> Any:
        if _is_table(head):
            return getattr(self.figures.tables, head)
        if head in type(self.figures).model_fields:
            return getattr(self.figures, head)
        raise KeyError(f"unknown root {head!r}")

    def cells(self, path: str, row: _Node | None = None) -> list[Cell | _Missing]:
        """All cells a path names (wildcards expand); MISSING for a non-table input left out."""
        if row is not None and "{" in path:
            path = path.replace("{code}", getattr(row.value, "code", "")).replace("{name}", getattr(row.value, "name", ""))
        out: list[Cell | _Missing] = []
        for node in self._walk(path, row):
            if node.value is None:
                out.append(MISSING)
            else:
                out.append(_LazyCell(node))
        return out

    def rows(self, path: str) -> list[_Node]:
        """The rows an ``each`` path names."""
        return self._walk(path, None)

    def values(self, path: str) -> list[Any]:
        """The bare values a path of the figures names — what :meth:`_walk` finds, without its labelled
        nodes (for the numbers-first checks; tests/test_rule_values.py holds the two together)."""
        relative, segments = _parse(path)
        if relative:
            raise KeyError(f"relative path {path}")
        (head, selector), segments = segments[0], segments[1:]
        values = [self._root_value(head)]
        if selector:
            values = self._select_values(values[0], selector)
        for name, selector in segments:
            values = [child for value in values for child in _step_values(value, name)]
            if selector:
                values = [child for value in values for child in self._select_values(value, selector)]
        return values

    def _select_values(self, value: Any, selector: str) -> list[Any]:
        """:meth:`_select`'s values."""
        if isinstance(value, dict):
            if selector in value:
                return [value[selector]]
            return [Decimal(0) if not _is_model_dict(value) else _Zero()]
        if getattr(value, "rows", None) is None:
            raise KeyError(f"[{selector}] on {type(value).__name__}")
        if selector == "*":
            return list(value.rows)
        chosen = self._rows_by(value).get(selector, [])
        return chosen if chosen or selector in LEVELS else [_Zero()]

    def _walk(self, path: str, row: _Node | None) -> list[_Node]:
        relative, segments = _parse(path)
        if relative:
            assert row is not None, f"relative path {path} outside 'each'"
            nodes = [row]
        else:
            (name, selector), segments = segments[0], segments[1:]
            nodes = [self.roots(name)]
            if selector:
                nodes = self._select(nodes[0], selector)
        for name, selector in segments:
            nodes = [child for node in nodes for child in self._step(node, name)]
            if selector:
                nodes = [child for node in nodes for child in self._select(node, selector)]
        return nodes

    def total_row(self, path: str) -> _Node:
        table = path.partition("[")[0].partition(".")[0]
        node = self.roots(table)
        return _Node(node, "合计", node.value.total, "total")

    @staticmethod
    def _step(node: _Node, name: str) -> list[_Node]:
        value = node.value
        if isinstance(value, _Zero):
            return [_Node(node, "", Decimal(0), None)]
        if value is None:  # a block left out (assets.vehicles): each of its fields is left out too
            return [_Node(node, name, None, name)]
        if name == "*":
            if isinstance(value, BaseModel):
                return [_Node(node, (type(value), f), getattr(value, f), f) for f in _field_names(type(value))]
            if isinstance(value, dict):
                return [_Node(node, k, v, k) for k, v in value.items()]
            raise KeyError(f"'*' on {type(value).__name__}")
        if isinstance(value, BaseModel):
            return [_Node(node, (type(value), name), getattr(value, name), name)]
        raise KeyError(f"{name!r} on {type(value).__name__}")

    def _select(self, node: _Node, selector: str) -> list[_Node]:
        value = node.value
        if isinstance(value, dict):
            if selector in value:
                return [_Node(node, selector, value[selector], selector)]
            return [_Node(node, f"{selector}（未列）", Decimal(0) if not _is_model_dict(value) else _Zero(), None)]
        if getattr(value, "rows", None) is None:
            raise KeyError(f"[{selector}] on {type(value).__name__}")
        if selector == "*":
            chosen = value.rows
        else:
            chosen = self._rows_by(value).get(selector, [])
            if not chosen and selector not in LEVELS:
                return [_Node(node, f"{selector}（未填）", _Zero(), None)]
        where = self.positions(value)
        return [_Node(node, _RowLabel(r), r, where[id(r)]) for r in chosen]


def _is_table(head: str) -> bool:
    return len(head) == 3 and head[0] == "t" and head[1:].isdigit()


def _step_values(value: Any, name: str) -> list[Any]:
    """:meth:`Resolver._step`'s values."""
    if isinstance(value, _Zero):
        return [Decimal(0)]
    if value is None:  # a block left out: each of its fields is left out too
        return [None]
    if name == "*":
        if isinstance(value, BaseModel):
            return [getattr(value, f) for f in _field_names(type(value))]
        if isinstance(value, dict):
            return list(value.values())
        raise KeyError(f"'*' on {type(value).__name__}")
    if isinstance(value, BaseModel):
        return [getattr(value, name)]
    raise KeyError(f"{name!r} on {type(value).__name__}")


class _Zero:
    """A row or group that is not in the figures: every column reads 0."""

    def __getattr__(self, name: str) -> Decimal:
        return Decimal(0)


def _is_model_dict(value: dict) -> bool:
    return any(isinstance(v, BaseModel) for v in value.values())


# ---------------------------------------------------------------- evaluation
def tolerance(addends: int) -> Decimal:
    """The rounding tail that ``addends`` printed figures can explain."""
    return max(CENT, HALF_CENT * addends)


def evaluate(figures: Figures, rules: Iterable[Rule] | None = None,
             hierarchies: Iterable[Hierarchy] | None = None, unreadable: frozenset[str] = frozenset(),
             absent_tables: frozenset[str] = frozenset()) -> list[Finding]:
    """Every rule finding (errors, warnings and rounding notes) for the figures; a rule touching a
    cell of ``unreadable`` (field paths of cells that could not be read) is skipped, and so is a
    rule over a table of ``absent_tables`` (one the layout does not publish, e.g. "t10")."""
    catalog_rules, catalog_hierarchies = load_catalog()
    resolver = Resolver(figures)
    resolver.unreadable = unreadable
    findings: list[Finding] = []
    for rule in catalog_rules if rules is None else rules:
        if absent_tables and _tables_of(rule) & absent_tables:
            continue
        findings.extend(_evaluate_rule(resolver, rule))
    for hierarchy in catalog_hierarchies if hierarchies is None else hierarchies:
        findings.extend(_evaluate_hierarchy(resolver, hierarchy))
    return findings


@lru_cache(maxsize=256)
def _tables_of(rule: Rule) -> frozenset[str]:
    """The heads of a rule's paths ("t10", "procurement"…), worked out once per rule."""
    paths = (rule.total, *rule.parts, *rule.minus, *rule.requires, *((rule.each,) if rule.each else ()))
    return frozenset(re.split(r"[.\[]", p, maxsplit=1)[0] for p in paths)


def _evaluate_rule(resolver: Resolver, rule: Rule) -> list[Finding]:
    if rule.each is None:
        holds = rule.figures_check
        if holds(resolver.figures) if holds is not None else _holds_exactly(resolver, rule):
            return []  # the common case, decided on the numbers alone
        if any(isinstance(c, _Missing) for path in rule.requires for c in resolver.cells(path)):
            return []
        return _compare(rule, resolver.cells(rule.total), _flat(resolver, rule.parts), _flat(resolver, rule.minus),
                        resolver.unreadable)
    if any(isinstance(c, _Missing) for path in rule.requires for c in resolver.cells(path)):
        return []
    holds = rule.row_check
    if holds is not None and all(map(holds, resolver.values(rule.each))) and (
            not rule.include_total or holds(resolver.total_row(rule.each).value)):
        return []  # every row holds, decided on its numbers alone
    out: list[Finding] = []
    rows = resolver.rows(rule.each)
    if rule.include_total:
        rows = [resolver.total_row(rule.each)] + rows
    for row in rows:
        if holds is None:
            out.extend(_compare(rule, resolver.cells(rule.total, row), _flat(resolver, rule.parts, row),
                                _flat(resolver, rule.minus, row), resolver.unreadable))
        elif not holds(row.value):  # the row's own columns, labelled as the resolver would
            out.extend(_compare(rule, *_column_cells(row, rule), resolver.unreadable))
    return out


def _holds_exactly(resolver: Resolver, rule: Rule) -> bool:
    """For a rule with wildcards or row selectors: True when it certainly gives no finding, decided on its
    cells' bare values as :func:`_compare` would (a required cell, the total or an operand left out, or
    the sides exactly as the rule says); anything unusual goes to the labelled resolver."""
    try:
        if any(v is None for path in rule.requires for v in resolver.values(path)):
            return True
        totals = [v for v in resolver.values(rule.total) if v is not None]
        parts = [v for path in rule.parts for v in resolver.values(path)]
        minus = [v for path in rule.minus for v in resolver.values(path)]
        if not totals or None in parts or None in minus:
            return True
        diff = sum(totals, ZERO) - (sum(parts, ZERO) - sum(minus, ZERO))
    except (KeyError, AttributeError, TypeError, ArithmeticError):
        return False
    return diff == 0 if rule.compare == "eq" else diff <= 0 if rule.compare == "le" else diff >= 0


def _column_cells(row: _Node, rule: Rule) -> tuple[list[Cell], list[Cell], list[Cell]]:
    """The total, parts and minus cells of a rule over a row's columns ("公开03表 208 社会保障和就业支出 基本支出")."""
    head, value, model, where = row.label, row.value, type(row.value), row.path

    def cells(paths: Iterable[str]) -> list[Cell]:
        return [Cell(f"{head} {_title(model, p[1:])}", getattr(value, p[1:]), f"{where}{p}" if where else "")
                for p in paths]

    return cells((rule.total,)), cells(rule.parts), cells(rule.minus)


# ---------------------------------------------------------------- numbers first
# Most rules hold exactly.  Each rule whose cells are plain attribute paths is
# compiled once into a check on the bare values (one ``attrgetter`` for all its
# cells) that says "certainly no finding"; only when it cannot say so does the
# labelled resolver — the reference — build the cells a finding shows.  Anything
# unusual (a wildcard, a row selector, an absent sub-table) goes that way too.
Check = Callable[[Any], bool]


def _plain(path: str) -> bool:
    return not any(c in path for c in "[*{")


def _attribute(path: str) -> str:
    """A plain figures path as an attribute path: "t01.income_total" → "tables.t01.income_total"."""
    head = path.partition(".")[0]
    return f"tables.{path}" if len(head) == 3 and head[0] == "t" and head[1:].isdigit() else path


_EXACT: dict[str, Callable[[Any, Any], bool]] = {"eq": operator.eq, "le": operator.le, "ge": operator.ge}


def _sides_check(read: Callable[[Any], tuple], required: int, parts: int, minus: int, compare: str) -> Check:
    """A check over ``read(obj)`` = (*required, total, *parts, *minus): True when no finding can follow.

    A cell left out (None) — a required one, the total or an operand — means the rule does
    not apply; otherwise the comparison must hold exactly (total = / ≤ / ≥ parts − minus):
    a rounding tail or a real difference goes to the resolver, which builds the finding.
    """
    exact = _EXACT[compare]
    needed = slice(0, required)
    total_at = required
    plus = slice(required + 1, required + 1 + parts)
    less = slice(required + 1 + parts, None)

    def holds(obj: Any) -> bool:
        try:
            values = read(obj)
        except AttributeError:  # an absent sub-table: let the resolver decide
            return False
        total = values[total_at]
        if total is None or (required and any(v is None for v in values[needed])):
            return True
        try:
            return bool(exact(total, sum(values[plus], ZERO) - sum(values[less], ZERO)))
        except TypeError:  # an operand left out (None): no finding; any other odd value: the resolver decides
            return any(v is None for v in values)

    return holds


def _reader(paths: tuple[str, ...]) -> Callable[[Any], tuple]:
    get = operator.attrgetter(*paths)
    return get if len(paths) > 1 else (lambda obj: (get(obj),))


def _figures_check(rule: Rule) -> Check | None:
    """For a rule over plain cell paths of the figures: its numbers-first check, else None."""
    paths = (*rule.requires, rule.total, *rule.parts, *rule.minus)
    if not all(_plain(p) and not p.startswith(".") for p in paths):
        return None
    return _sides_check(_reader(tuple(map(_attribute, paths))), len(rule.requires), len(rule.parts), len(rule.minus),
                        rule.compare)


def _row_check(rule: Rule) -> Check | None:
    """For an ``each`` rule over a row's own columns (".total", ".basic"…): its numbers-first check, else None."""
    paths = (rule.total, *rule.parts, *rule.minus)
    if not all(p.startswith(".") and p[1:].isidentifier() for p in paths):
        return None
    return _sides_check(_reader(tuple(p[1:] for p in paths)), 0, len(rule.parts), len(rule.minus), rule.compare)


def _flat(resolver: Resolver, paths: Iterable[str], row: _Node | None = None) -> list[Cell | _Missing]:
    return [cell for path in paths for cell in resolver.cells(path, row)]


def _resolved(cell: Any) -> Cell:
    return cell.resolved() if isinstance(cell, _LazyCell) else cell


def _path(cell: Any) -> str:
    return cell.node.path if isinstance(cell, _LazyCell) else cell.path


def _compare(rule: Rule, totals: list, parts: list, minus: list, skip: frozenset[str] = frozenset()) -> list[Finding]:
    present_totals = [c for c in totals if c is not MISSING]
    if not present_totals or any(c is MISSING for c in parts) or any(c is MISSING for c in minus):
        return []
    if skip and any(_path(c) in skip for c in (*present_totals, *parts, *minus)):
        return []  # rests on a cell that could not be read
    total_value = sum((c.value for c in present_totals), ZERO)
    plus = [c for c in parts if c.value != 0]  # a blank cell is exactly 0: no tail
    less = [c for c in minus if c.value != 0]
    expected = sum((c.value for c in plus), ZERO) - sum((c.value for c in less), ZERO)
    diff = total_value - expected
    tol = tolerance(len(plus) + len(less))
    if rule.compare == "le":
        violated, within = diff > tol, diff > 0
    elif rule.compare == "ge":
        violated, within = diff < -tol, diff < 0
    else:
        violated, within = abs(diff) > tol, diff != 0
    if not violated and not within:
        return []  # the common case: no labels, no message to build
    total = _resolved(present_totals[0]) if len(present_totals) == 1 else \
        Cell(" + ".join(c.label for c in present_totals), total_value)
    return [_finding(rule.id, rule.description, rule.compare, rule.severity, violated,
                     total, [_resolved(c) for c in plus], [_resolved(c) for c in less],
                     expected, diff, tol)]


_SIGN = {"eq": "≠", "le": ">", "ge": "<"}


def _finding(rule_id: str, description: str, compare: str, severity: Severity, violated: bool, total: Cell,
             plus: list[Cell], less: list[Cell], expected: Decimal, diff: Decimal, tol: Decimal) -> Finding:
    """The finding of a rule that does not hold exactly: beyond the tolerance (``violated``), at the
    rule's severity; within it, a rounding tail (尾数误差, "info")."""
    formula = " + ".join([format_operand(c.value) for c in plus]) or "0"
    if less:
        formula += "".join([f" − {format_operand(c.value)}" for c in less])
    message = (f"{rule_id} {description}：{total.label} {format_operand(total.value)} {_SIGN[compare]} {formula}"
               f" = {format_operand(expected)}，差额 {format_operand(diff)}")
    cells = (total, *plus, *less)
    if violated:
        return Finding(rule_id, severity, "勾稽", message, cells, diff)
    return Finding(rule_id, "info", "尾数误差",
                   f"{message}（在尾数误差 {format_operand(tol)} 以内，系元转换为万元的四舍五入所致）", cells, diff)


def _evaluate_hierarchy(resolver: Resolver, hierarchy: Hierarchy) -> list[Finding]:
    out: list[Finding] = []
    for table, columns in hierarchy.tables:
        node = resolver.roots(table)
        rows = list(node.value.rows)
        by_code = {r.code: r for r in rows}
        children: dict[str, list[Any]] = {}
        for r in rows:
            if len(r.code) > 3:
                children.setdefault(r.code[:-2], []).append(r)
        classes = [r for r in rows if len(r.code) == 3]
        total = getattr(node.value, "total", None)
        groups: list[tuple[str, Any, list[Any]]] = []
        if total is not None and classes:  # 合计 = Σ类 (function tables have a total row; 06表 has none)
            groups.append(("合计", total, classes))
        groups.extend((code, by_code[code], kids) for code, kids in children.items() if code in by_code)
        read = _reader(columns)
        for code, parent, kids in groups:
            # All columns of a group at once; the common case (every column adds up) builds nothing.
            if read(parent) == tuple(map(sum, zip(*map(read, kids)))):
                continue
            for column in columns:
                value = getattr(parent, column)
                parts = [getattr(k, column) for k in kids]
                if value == sum(parts):
                    continue
                where = resolver.positions(node.value)
                if resolver.unreadable and _rests_on(node, where, parent, kids, column, resolver.unreadable):
                    continue
                out.extend(_hierarchy_finding(hierarchy, node, where, code, parent, kids, column))
    return out


def _rests_on(node: _Node, where: dict[int, int], parent: Any, kids: list[Any], column: str,
              skip: frozenset[str]) -> bool:
    """Whether a hierarchy check touches a cell that could not be read (``where``: rows' positions)."""
    paths = [f"{node.path}.rows[{where[id(r)]}].{column}" for r in (parent, *kids) if id(r) in where]
    if id(parent) not in where:
        paths.append(f"{node.path}.total.{column}")
    return any(p in skip for p in paths)


def _hierarchy_finding(hierarchy: Hierarchy, node: _Node, where: dict[int, int], code: str, parent: Any,
                       kids: list[Any], column: str) -> list[Finding]:
    """The finding of a parent row whose ``column`` is not exactly the sum of its children's
    (``where``: the position of each row, for the cells' field paths)."""
    table, title = node.label, _field_title(parent, column)

    def path(row: Any) -> str:  # "tables.t05.rows[4].basic"
        return f"{node.path}.rows[{where[id(row)]}].{column}"

    if code == "合计":
        description, parent_label = f"{table} 合计 = Σ类", f"{table} 合计 {title}"
        parent_path = f"{node.path}.total.{column}"
    else:
        level, child_level = {3: ("类", "款"), 5: ("款", "项")}[len(code)]
        description, parent_label = f"{table} {level} = Σ{child_level}", f"{table} {_row_label(parent)} {title}"
        parent_path = path(parent)
    total = getattr(parent, column)
    plus = [Cell(f"{table} {_row_label(k)} {title}", value, path(k)) for k in kids if (value := getattr(k, column)) != 0]
    expected = sum((c.value for c in plus), ZERO)
    diff = total - expected
    tol = tolerance(len(plus))
    return [_finding(hierarchy.id, description, "eq", "error", abs(diff) > tol, Cell(parent_label, total, parent_path),
                     plus, [], expected, diff, tol)]

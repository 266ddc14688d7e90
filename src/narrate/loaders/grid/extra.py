"""表外数据: the fields of the figures outside the ten tables, found by reflecting on the model.

:func:`outside_fields` walks :class:`Figures` (every field but ``tables``) into
:class:`Leaf` rows (上年数, 年初预算, reasons, counts …) and :class:`GridSpec` grids
(``dict[科目代码, …]`` fields, one row per 科目).  :func:`read_outside` reads the
rows that name their field in a ``字段`` column (as :mod:`narrate.writers.workbook`
writes them) and the grids whose header names the dict path.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
import types
import typing
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .builder import Builder, dotted
from .cells import (
    ERROR_CODES,
    Block,
    CellError,
    CellValueError,
    Where,
    cell_error,
    float_to_decimal,
    is_blank,
    norm,
    parse_code,
    show,
)
from .locate import identify_title
from .tables import CODE_HEADERS


@dataclass(frozen=True)
class Leaf:
    """A field of the figures outside the tables, as one row of a sheet."""

    path: tuple[str, ...]
    kind: str  # amount | count | int | text | choice | decimal
    titles: tuple[str, ...]
    description: str = ""
    choices: tuple[str, ...] = ()
    optional: bool = True
    default: Any = None
    container: str = ""  # "dict" (key is the next path part) or "list" (path part [n])

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


@dataclass(frozen=True)
class GridSpec:
    """A ``dict[科目代码, Model]`` field: a grid with one row per 科目."""

    path: tuple[str, ...]
    titles: tuple[str, ...]
    fields: tuple[Leaf, ...]

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


def _strip_optional(annotation: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return (args[0] if len(args) == 1 else annotation), True
    return annotation, False


def _base(annotation: Any) -> Any:
    if typing.get_origin(annotation) is typing.Annotated:
        return typing.get_args(annotation)[0]
    return annotation


def _kind(annotation: Any) -> tuple[str, tuple[str, ...]]:
    base = _base(annotation)
    if typing.get_origin(base) is typing.Literal:
        return "choice", tuple(str(a) for a in typing.get_args(base))
    if base is Decimal:
        return "amount", ()
    if base is int:
        return "count", ()
    if base is str:
        return "text", ()
    return "", ()


def _model_class(annotation: Any) -> Any:
    from pydantic import BaseModel

    base = _base(annotation)
    if isinstance(base, type) and issubclass(base, BaseModel):
        return base
    return None


def outside_fields() -> tuple[list[Leaf], list[GridSpec]]:
    """Every field of :class:`Figures` outside ``tables``, in model order (leaves and 科目 grids)."""
    from ...model import Figures

    leaves: list[Leaf] = []
    grids: list[GridSpec] = []

    def walk(model: Any, path: tuple[str, ...], titles: tuple[str, ...]) -> None:
        for name, info in model.model_fields.items():
            if not path and name == "tables":
                continue
            part = info.alias if (info.alias and not path) else name
            annotation, optional = _strip_optional(info.annotation)
            title = info.title or name
            sub = _model_class(annotation)
            if sub is not None:
                walk(sub, path + (part,), titles + (title,))
                continue
            base = _base(annotation)
            origin = typing.get_origin(base)
            if origin is dict:
                _, value_type = typing.get_args(base)
                item = _model_class(value_type)
                if item is not None:
                    fields = []
                    for item_name, item_info in item.model_fields.items():
                        item_ann, item_opt = _strip_optional(item_info.annotation)
                        kind, choices = _kind(item_ann)
                        fields.append(Leaf((item_name,), kind or "text", (item_info.title or item_name,),
                                           item_info.description or "", choices, item_opt))
                    grids.append(GridSpec(path + (part,), titles + (title,), tuple(fields)))
                    continue
                kind, choices = _kind(value_type)
                leaves.append(Leaf(path + (part,), kind or "text", titles + (title,), info.description or "",
                                   choices, True, None, "dict"))
                continue
            if origin is list:
                (item_type,) = typing.get_args(base)
                kind, choices = _kind(item_type)
                leaves.append(Leaf(path + (part,), kind or "text", titles + (title,), info.description or "",
                                   choices, True, None, "list"))
                continue
            kind, choices = _kind(annotation)
            if part == "$schema":
                kind = "text"
            default = None if info.is_required() else info.get_default(call_default_factory=True)
            leaves.append(Leaf(path + (part,), kind or "text", titles + (title,), info.description or "",
                               choices, optional or not info.is_required(), default))

    walk(Figures, (), ())
    return leaves, grids


_OUTSIDE_CACHE: dict[str, Any] = {}


def _outside_index() -> tuple[dict[str, Leaf], dict[str, GridSpec]]:
    if "index" not in _OUTSIDE_CACHE:
        leaves, grids = outside_fields()
        _OUTSIDE_CACHE["index"] = ({leaf.dotted: leaf for leaf in leaves}, {g.dotted: g for g in grids})
    return _OUTSIDE_CACHE["index"]


_PATH_LIKE = re.compile(r"^\$?[a-z_][a-z0-9_]*(?:\.[^\s.]+)*$")
_LIST_INDEX = re.compile(r"^(.*)\[(\d+)\]$")


def resolve_path(text: str) -> tuple[Leaf, tuple] | None:
    """``general_budget.prior_year`` / ``performance.grades.优`` / ``performance.systems[2]`` /
    ``general_budget.functions.208.uses`` → (leaf, data path) or ``None``."""
    leaves, grids = _outside_index()
    text = text.strip()
    index = None
    match = _LIST_INDEX.match(text)
    if match:
        text, index = match.group(1), int(match.group(2))
    if text in leaves:
        leaf = leaves[text]
        if leaf.container == "list" and index is not None:
            return leaf, leaf.path + (index,)
        if leaf.container == "":
            return leaf, leaf.path
        return None
    parts = text.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        head = ".".join(parts[:cut])
        if head in leaves and leaves[head].container == "dict" and cut == len(parts) - 1:
            return leaves[head], leaves[head].path + (parts[-1],)
        if head in grids and cut == len(parts) - 2:
            grid = grids[head]
            for item in grid.fields:
                if item.path[0] == parts[-1]:
                    code = parts[-2]
                    return item, grid.path + (code, parts[-1])
    return None


def _path_choices() -> list[str]:
    leaves, grids = _outside_index()
    return list(leaves) + list(grids)


def outside_value(leaf: Leaf, raw: Any) -> Any:
    """A cell value for a field outside the tables, as plain data the model accepts."""
    if raw.__class__ is CellError:
        raise raw.problem()
    if raw.__class__ is str and raw.strip() in ERROR_CODES:
        raise cell_error(raw.strip())
    if leaf.kind in ("amount",):
        if isinstance(raw, float):
            return float_to_decimal(raw)
        if isinstance(raw, str):
            return raw.strip()
        return raw
    if leaf.kind == "count":
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        if isinstance(raw, str) and raw.strip().isdigit():
            return int(raw.strip())
        return raw
    if leaf.kind in ("text", "choice"):
        if isinstance(raw, float):
            return str(int(raw)) if raw.is_integer() else repr(raw)
        if isinstance(raw, (_dt.datetime, _dt.date)):
            return raw.isoformat()
        if isinstance(raw, str):
            return raw
        return raw if isinstance(raw, (int, Decimal)) else str(raw)
    return raw


_VALUE_HEADERS = {"填写内容", "内容", "数值", "金额", "值", "填报数", "填写"}


def read_outside(block: Block, b: Builder) -> None:
    """Rows naming their field in a ``字段`` column, and 科目 grids keyed by a dict path."""
    leaves, grids = _outside_index()
    mode = None
    path_col = value_col = 0
    grid: GridSpec | None = None
    grid_cols: dict[int, Leaf] = {}
    code_col = 0
    lists: dict[tuple, list[tuple[int, Any, str]]] = {}
    for r, row in enumerate(block.rows):
        special = False
        for v in row:
            if v.__class__ is str and v and ("字段" in v or ("." in v and v.strip() in grids) or
                                             ("表" in v and identify_title(v) is not None)):
                special = True
                break
        if special and mode == "kv" and _names_a_field(row, path_col):
            special = False  # a field's value may read like a title ("公开07表"): the 字段 column decides
        if not special and mode is None:
            continue  # nothing here for this reader (a table row, before any 字段 header)
        if special:
            texts = [norm(v) if isinstance(v, str) else "" for v in row]
            if "字段" in texts:
                path_col = texts.index("字段")
                value_col = next((c for c, x in enumerate(texts) if x in _VALUE_HEADERS),
                                 path_col - 1 if path_col else 1)
                mode = "kv"
                continue
            spec = None
            for c, text in enumerate(texts):
                if text in grids and sum(1 for x in texts if x and x != text) >= 1:
                    spec = (c, grids[text])
                    break
            if spec is not None:
                code_col, grid = spec
                names = {leaf.path[0]: leaf for leaf in grid.fields}
                grid_cols = {c: names[x] for c, x in enumerate(texts) if x in names}
                mode = "grid"
                continue
            if any(identify_title(v) is not None for v in row if isinstance(v, str)):
                mode = None
                continue
        if mode == "kv":
            raw_path = row[path_col] if path_col < len(row) else None
            if not isinstance(raw_path, str) or not raw_path.strip():
                continue
            text = raw_path.strip()
            if not _PATH_LIKE.match(text) and not _LIST_INDEX.match(text):
                continue
            raw = row[value_col] if value_col < len(row) else None
            resolved = resolve_path(text)
            if resolved is None:
                close = difflib.get_close_matches(text, _path_choices(), n=1, cutoff=0.6)
                b.fail(block.address(r, path_col), f"不认识的字段{show(text)}",
                       expected=f"是否想写“{close[0]}”？" if close else "本工作簿“字段”列中的名称（勿修改）")
                continue
            if is_blank(raw):
                b.blanks.setdefault(resolved[1], Where(block, r, value_col))
                continue
            leaf, data_path = resolved
            _put_outside(b, leaf, data_path, raw, Where(block, r, value_col), lists)
        elif mode == "grid" and grid is not None:
            raw_code = row[code_col] if code_col < len(row) else None
            others = [c for c in grid_cols if c < len(row) and not is_blank(row[c])]
            if is_blank(raw_code):
                if others:
                    b.fail(block.address(r, code_col), "这一行填了内容，但没有科目代码", expected="科目代码，如 208")
                continue
            try:
                code = parse_code(raw_code)
            except CellValueError as exc:
                if not others or norm(raw_code) in CODE_HEADERS:
                    continue  # a heading row
                b.fail(block.address(r, code_col), exc.message, expected=exc.expected)
                continue
            base = grid.path + (code,)
            existing = b.get(base)
            if existing is None:
                b.put(base, {}, Where(block, r, code_col), raw_code)
            for c, leaf in grid_cols.items():
                raw = row[c] if c < len(row) else None
                if is_blank(raw):
                    continue
                _put_outside(b, leaf, base + leaf.path, raw, Where(block, r, c), lists)
    for path, items in lists.items():
        items.sort(key=lambda item: item[0])
        b.put(path, [value for _, value, _ in items])
        for i, (_, _, addr) in enumerate(items):
            b.locate(path + (i,), addr)


def _names_a_field(row: list, path_col: int) -> bool:
    raw = row[path_col] if path_col < len(row) else None
    return isinstance(raw, str) and resolve_path(raw.strip()) is not None


def _put_outside(b: Builder, leaf: Leaf, path: tuple, raw: Any, addr: Any,
                 lists: dict[tuple, list[tuple[int, Any, str]]]) -> None:
    try:
        value = outside_value(leaf, raw)
    except CellValueError as exc:
        b.fail(addr, exc.message, expected=exc.expected, field_path=dotted(path))
        return
    if leaf.container == "list":
        lists.setdefault(path[:-1], []).append((path[-1], value, addr))
        return
    if b.get(path) is not None and path in b.cells and b.cells[path][0] != addr:
        if b.get(path) == value:
            return
        b.fail(addr, f"字段 {dotted(path)} 重复填写", found=raw, expected=f"只在一处填写（已在 {b.cells[path][0]} 填写）")
        return
    b.put(path, value, addr, raw)

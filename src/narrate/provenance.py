"""Provenance: every number printed in a Document, where it is and how it was obtained.

>>> for entry in narrate.explain(document):
...     print(entry.printed, entry.formula, entry.sources)

Each :class:`Entry` gives the number as printed ("81.76%", "12,423.32万元" is
printed as "12,423.32"), the block it is in (index and heading path), the
formula with its operands ("12,423.32 ÷ 15,194.61 × 100"; empty for a figure
taken as printed), the same in words (``how``: "部分 ÷ 合计 × 100% = 12,423.32 ÷ 15,194.61
× 100% = 81.76%", or "照表列示" / "表外数据（填报）" for a figure taken as given) and the source
cells (table, row, column).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterator, Mapping

from .document import Document
from .facts import Source


@dataclass(frozen=True)
class Entry:
    """One printed number and its provenance."""

    block: int
    """Index of the block (paragraph) in the document."""
    section: str
    """The headings above the block, joined by " / "."""
    printed: str
    """The number as printed in the text."""
    key: str
    label: str
    kind: str
    value: str
    formula: str
    sources: tuple[str, ...]
    context: str
    """The printed number with a few characters around it."""
    convention: str = ""
    """The number convention that printed it (thousands separators, zero, rate decimals…)."""
    how: str = ""
    """How it was obtained, in words (:attr:`narrate.facts.Fact.how`)."""
    cells: tuple[str, ...] = ()
    """The workbook cell of each source ("公开01表!C37"; "" where not known), given a source map."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "block": self.block,
            "section": self.section,
            "printed": self.printed,
            "key": self.key,
            "label": self.label,
            "kind": self.kind,
            "value": self.value,
            "formula": self.formula,
            "sources": list(self.sources),
            "context": self.context,
            "convention": self.convention,
            "how": self.how,
            "cells": list(self.cells),
        }

    def shown_sources(self) -> list[str]:
        """Each source as a reader finds it: "公开01表!C37（公开01表 收入总计 金额）", else as labelled."""
        cells = self.cells or ("",) * len(self.sources)
        return [f"{cell}（{source}）" if cell else source for source, cell in zip(self.sources, cells)]


def _numbers(value: Any, path: str) -> Iterator[tuple[int, str]]:
    """(id of each Decimal in the figures, its field path), depth first."""
    from pydantic import BaseModel

    if isinstance(value, Decimal):
        yield id(value), path
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _numbers(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _numbers(item, f"{path}.{key}")
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _numbers(item, f"{path}[{index}]")


def source_cells(facts: Any, figures: Any, cells: Mapping[str, str]) -> dict[Source, str]:
    """Each source of the facts → the workbook cell it was read from (``公开01表!C37``).

    ``cells`` is the loader's cell map (:func:`narrate.loaders.load_located`).  A fact taken as
    given holds the very number object of the figures it was read from, so its one source is
    matched to that number's field path by identity (a number object found at two paths, such as
    the shared default 0, is matched to none; a figure of 表外数据 whose key is its field path, such as
    a count, by that key); a computed fact's sources are those of its operands.
    """
    if not cells:
        return {}
    paths: dict[int, str | None] = {}
    for key, path in _numbers(figures, ""):
        paths[key] = None if key in paths else path
    out: dict[Source, str] = {}
    for fact in facts.index.values():
        if fact.formula or len(fact.sources) != 1:
            continue
        source = fact.sources[0]
        path = paths.get(id(fact.value))
        if path and path in cells:
            out[source] = cells[path]
        elif source.outside and source.row in cells:  # a count (small ints are shared): its key is its path
            out[source] = cells[source.row]
    return out


def explain(document: Document, cells: Mapping[Source, str] | None = None) -> list[Entry]:
    """Every number the document prints, in reading order, with formula and sources
    (``cells``: each source's workbook cell, from :func:`source_cells`)."""
    cells = cells or {}
    entries: list[Entry] = []
    headings: dict[int, str] = {}
    for index, block in enumerate(document.blocks):
        if block.kind == "heading":
            headings = {lvl: text for lvl, text in headings.items() if lvl < block.level}
            headings[block.level] = block.text
        section = " / ".join(headings[lvl] for lvl in sorted(headings))
        for number in block.numbers:
            fact = number.fact
            left = max(0, number.start - 12)
            right = min(len(block.text), number.end + 6)
            entries.append(Entry(
                block=index,
                section=section,
                printed=number.text,
                key=fact.key,
                label=fact.label,
                kind=fact.kind,
                value=str(fact.value),
                formula=fact.formula,
                sources=number.sources if number.sources is not None else tuple(str(s) for s in fact.sources),
                context=("…" if left else "") + block.text[left:right] + ("…" if right < len(block.text) else ""),
                convention=number.convention,
                how=fact.how,
                cells=tuple(cells.get(s, "") for s in fact.sources) if cells else (),
            ))
    return entries

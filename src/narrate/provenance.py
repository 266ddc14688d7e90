"""Provenance: every number printed in a Document, where it is and how it was obtained.

>>> for entry in narrate.explain(document):
...     print(entry.printed, entry.formula, entry.sources)

Each :class:`Entry` gives the number as printed ("81.76%", "12,423.32万元" is
printed as "12,423.32"), the block it is in (index and heading path), the
formula with its operands ("12,423.32 ÷ 15,194.61 × 100"; empty for a figure
taken as printed) and the source cells (table, row, column).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .document import Document


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
        }


def explain(document: Document) -> list[Entry]:
    """Every number the document prints, in reading order, with formula and sources."""
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
            ))
    return entries

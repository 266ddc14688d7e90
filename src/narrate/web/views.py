"""What the templates show: the chapter with its numbers marked, the findings grouped.

Only arrangement for display; the numbers, formulas, sources and findings are the
library's own (``narrate.explain``, ``narrate.check``, ``narrate.lint``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import narrate

HEADING_TAGS = {0: "h2", 1: "h3", 2: "h4", 3: "h5"}


@dataclass(frozen=True)
class Piece:
    text: str
    number: Any = None
    """A :class:`narrate.provenance.Entry` when this piece is a printed number."""


@dataclass(frozen=True)
class BlockView:
    index: int
    tag: str
    pieces: tuple[Piece, ...]


def chapter(document: Any) -> list[BlockView]:
    """Every block, its text cut into plain pieces and numbers (each with its explain entry)."""
    entries = iter(narrate.explain(document))
    views = []
    for index, block in enumerate(document.blocks):
        pieces, at = [], 0
        for number in block.numbers:
            entry = next(entries)
            if number.start > at:
                pieces.append(Piece(block.text[at:number.start]))
            pieces.append(Piece(block.text[number.start:number.end], entry))
            at = number.end
        if at < len(block.text):
            pieces.append(Piece(block.text[at:]))
        tag = HEADING_TAGS.get(block.level, "h5") if block.kind == "heading" else "p"
        views.append(BlockView(index, tag, tuple(pieces)))
    return views


def changed(before: list[BlockView], after: list[BlockView]) -> list[BlockView] | None:
    """The blocks that differ, or None when paragraphs were added or removed (show the whole chapter)."""
    if len(before) != len(after):
        return None
    return [b for a, b in zip(before, after) if a.pieces != b.pieces or a.tag != b.tag]


GROUPS = (
    ("errors", "错误", "必须修改：有错误时不能下载文档"),
    ("reasons", "需说明原因", "在下方“需要填写”中写明原因"),
    ("missing", "缺少数据", "文中相应句子将不写"),
    ("other", "其他提示", ""),
    ("tails", "尾数误差", "公开表由元转换为万元四舍五入所致，不用改"),
)


def findings(report: Any) -> list[tuple[str, str, str, list[Any]]]:
    """The check's findings in the page's groups: (key, title, hint, findings), empty groups left out."""
    sorted_out: dict[str, list[Any]] = {key: [] for key, _, _ in GROUPS}
    for f in report.findings:
        if f.severity == "error":
            key = "errors"
        elif f.category == "需说明原因":
            key = "reasons"
        elif f.category == "缺少数据":
            key = "missing"
        elif f.category == "尾数误差":
            key = "tails"
        else:
            key = "other"
        sorted_out[key].append(f)
    return [(key, title, hint, sorted_out[key]) for key, title, hint in GROUPS if sorted_out[key]]


def marked_sentence(sentence: str) -> list[tuple[str, bool]]:
    """A lint finding's sentence ("…【12.5%】…") as (text, is_the_marked_span) pieces."""
    out: list[tuple[str, bool]] = []
    rest = sentence
    while "【" in rest and "】" in rest.split("【", 1)[1]:
        before, tail = rest.split("【", 1)
        inside, rest = tail.split("】", 1)
        out += [(before, False), (inside, True)]
    out.append((rest, False))
    return [(t, m) for t, m in out if t]

"""A neutral document tree between rendering and writing.

One rendering produces a :class:`Document`; every writer (Word, Markdown, text)
reads the same tree.  Each printed number keeps a link to the :class:`Fact` it
came from, so provenance travels with the text.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Callable, Literal

from .facts import Fact


@dataclass(frozen=True, init=False)
class Number:
    """A number as printed in a block: ``text`` is ``block.text[start:end]``."""

    text: str
    start: int
    end: int
    fact: Fact
    convention: str = ""
    """How it was printed (the profile's number conventions), for ``narrate explain``."""
    sources: tuple[str, ...] | None = None
    """The fact's sources as the layout names its tables ("表五 合计 小计"); None: as the fact names them."""

    def __init__(self, text: str, start: int, end: int, fact: Fact, convention: str = "",
                 sources: tuple[str, ...] | None = None) -> None:
        # In one step, as Fact's fields (a document prints some 80 numbers)
        self.__dict__.update(text=text, start=start, end=end, fact=fact, convention=convention, sources=sources)


@dataclass(frozen=True, init=False)
class Block:
    """A heading or a body paragraph.

    ``level`` is 0 for a part title (第三部分 情况说明), 1 for "一、", 2 for
    "（一）", 3 for "1、" headings; body paragraphs have level 0 and kind
    "paragraph".
    """

    kind: Literal["heading", "paragraph"]
    text: str
    level: int = 0
    numbers: tuple[Number, ...]  # () by default; no class-level default, so found() numbers reach __getattr__

    def __init__(self, kind: Literal["heading", "paragraph"], text: str, level: int = 0,
                 numbers: tuple[Number, ...] = ()) -> None:
        self.__dict__.update(kind=kind, text=text, level=level, numbers=numbers)  # in one step, as Number's

    @classmethod
    def found(cls, text: str, numbers: Callable[[], tuple[Number, ...]]) -> Block:
        """A body paragraph whose :attr:`numbers` are found when first read, by calling ``numbers()``:
        the Word, Markdown and text writers never read them, ``narrate explain`` and the review copy do."""
        block = cls.__new__(cls)
        block.__dict__.update(kind="paragraph", text=text, level=0, _numbers=numbers)
        return block

    def __getattr__(self, name: str) -> tuple[Number, ...]:  # only called for numbers not yet found
        find = self.__dict__.get("_numbers")
        if find is None or name != "numbers":
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        numbers = self.__dict__["numbers"] = find()
        self.__dict__.pop("_numbers", None)
        return numbers

    def __getstate__(self) -> dict:
        """Pickled with its numbers found."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class Document:
    """Parts 3 and 4 of one unit's 决算公开, ready to write."""

    title: str
    blocks: tuple[Block, ...]

    def paragraphs(self) -> list[str]:
        """Every block's text, headings included, in order."""
        return [b.text for b in self.blocks]

    def numbers(self) -> list[tuple[int, Number]]:
        """Every printed number with the index of its block, in reading order."""
        return [(i, n) for i, b in enumerate(self.blocks) for n in b.numbers]

"""Markdown and plain-text writers: the same Document as the Word writer, as text.

Markdown: the part title is ``#``, "一、" headings ``##``, "（一）" ``###``,
"1、" ``####``; paragraphs are separated by a blank line.  Plain text: one
block per line with a blank line between blocks.  Both end with a newline and
are UTF-8.
"""

from __future__ import annotations

import re

from ..document import Document

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def _escape(text: str) -> str:
    text = _MD_SPECIAL.sub(r"\\\1", text)
    if text[:1] in "#+-=" or re.match(r"\d+\.\s", text):
        text = "\\" + text
    return text


def markdown_text(document: Document) -> str:
    """The document as Markdown."""
    out = []
    for block in document.blocks:
        if block.kind == "heading":
            out.append("#" * (block.level + 1) + " " + _escape(block.text))
        else:
            out.append(_escape(block.text))
    return "\n\n".join(out) + "\n"


def plain_text(document: Document) -> str:
    """The document as plain text, one block per paragraph."""
    return "\n\n".join(block.text for block in document.blocks) + "\n"

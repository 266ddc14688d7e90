"""Paragraphs and runs as WordprocessingML text, and review mode's comments (批注) on each number.

Written as XML text, not built element by element (see :func:`paragraphs_xml`);
python-docx (its XML parser) is imported only where the text is parsed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ...document import Block
from ...facts import Fact
from .look import COMMENT_AUTHOR, COMMENT_INITIALS


@dataclass(frozen=True)
class Styles:
    """The style ids to use in one document.

    ``normal`` is None when the Normal style is the document's default
    paragraph style (body paragraphs then carry no w:pStyle).
    """

    normal: str | None
    headings: dict[int, str]
    comment_text: str = ""
    comment_ref: str = ""

    def for_block(self, block: Block, i: int) -> str | None:
        if block.kind == "paragraph":
            return self.normal
        if block.kind == "heading":
            style_id = self.headings.get(block.level)
            if style_id is None:
                raise ValueError(f"blocks[{i}]：标题级别 {block.level!r} 不在 0–3 之内：{block.text!r}")
            return style_id
        raise ValueError(f"blocks[{i}]：未知的段落类型 {block.kind!r}")


# XML 1.0 cannot hold these (tab, LF, CR are fine).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# What becomes w:tab or w:br in a run (see _run_xml).
_BREAKS = re.compile("(\r\n|[\t\n\r])")


def check_text(text: str, where: str) -> None:
    bad = _NOT_XML.search(text)
    if bad:
        raise ValueError(
            f"{where} 含有 Word 文档无法保存的字符 U+{ord(bad.group()):04X}"
            f"（位置 {bad.start()}）：{text!r}"
        )


def paragraph_elements(items: Iterable[tuple[int, Block]], styles: Styles, review: Review | None):
    """The w:p elements for ``(index, block)`` pairs, ready to insert into a body.

    ``index`` is the block's place in its :class:`Document` (for messages).
    With ``review`` (a :class:`Review` of the same document) each number gets
    its comment; call its :meth:`Review.finish` once all paragraphs are made.
    """
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    xml = paragraphs_xml(items, styles, review)
    return list(parse_xml(f'<w:body {nsdecls("w")}>{xml}</w:body>')) if xml else []


def paragraphs_xml(items: Iterable[tuple[int, Block]], styles: Styles, review: Review | None = None) -> str:
    """The w:p elements of :func:`paragraph_elements` as XML text (prefix ``w:``, no namespace declaration).

    Paragraphs are written as text and parsed once (or not at all, by the
    default layout's writer): python-docx's Paragraph.style and Run.text look
    the style up and walk the text a character at a time, and even plain lxml
    element building cost more than the rest of the writing.
    """
    pieces: list[str] = []
    for i, block in items:
        where = f"第 {i + 1} 段（blocks[{i}]）"
        check_text(block.text, where)
        style_id = styles.for_block(block, i)
        if review is None:
            pieces.append(_paragraph_xml(style_id, block.text))
        else:
            pieces.append(review.paragraph_xml(style_id, block, i, where))
    return "".join(pieces)


def _paragraph_xml(style_id: str | None, text: str) -> str:
    """A w:p with the style and the text as one run (see :func:`_run_xml`), as lxml would serialise it."""
    if style_id is None:
        return f"<w:p>{_run_xml(text)}</w:p>" if text else "<w:p/>"
    style = f'<w:pPr><w:pStyle w:val="{_attr(style_id)}"/></w:pPr>'
    return f"<w:p>{style}{_run_xml(text) if text else ''}</w:p>"


class Review:
    """Review mode: the paragraphs with their numbers as commented runs, and the comments.

    Both are written as XML text and parsed in one go (paragraphs by
    :func:`paragraph_elements`, comments by :meth:`finish`): building a
    hundred comments element by element (or with python-docx's
    ``add_comment``, which also stamps the current time) took longer than the
    rest of the document.  The comment styles are resolved (or added) by
    :func:`styles_in` in review mode only, so the output without review is
    untouched.  Comment ids continue after any the document already has.
    """

    def __init__(self, doc, styles: Styles, cells: Mapping[Any, str] | None = None) -> None:
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        self._cells = cells or {}
        """Each source's workbook cell (:func:`narrate.provenance.source_cells`), named in the comments."""

        doc.comments  # noqa: B018 -- gets or creates word/comments.xml and its relationship
        self._comments_root = doc.part.part_related_by(RT.COMMENTS).element
        used = [int(v) for v in self._comments_root.xpath("./w:comment/@w:id") if v.isdigit()]
        self._next_id = max(used, default=-1) + 1
        self._text_style = styles.comment_text
        self._ref_style = styles.comment_ref
        self._comments: list[str] = []

    def paragraph_xml(self, style_id: str | None, block: Block, i: int, where: str) -> str:
        """A w:p (XML text) in which each number is a run of its own with a comment on it.

        The text between numbers goes into plain runs.  Around a number's run:
        w:commentRangeStart, the run, w:commentRangeEnd, then a run holding the
        w:commentReference (the mark Word shows), as Word itself writes them.
        """
        text = block.text
        out = ["<w:p>"]
        if style_id is not None:
            out.append(f'<w:pPr><w:pStyle w:val="{_attr(style_id)}"/></w:pPr>')
        pos = 0
        ref = _attr(self._ref_style)
        for n, number in enumerate(block.numbers):
            start, end = number.start, number.end
            if not (pos <= start < end <= len(text)) or text[start:end] != number.text:
                raise ValueError(
                    f"blocks[{i}]：第 {n + 1} 个数字 {number.text!r} 的位置 {start}–{end}"
                    f"与段落文字不符（须按顺序、不重叠、恰为该数字）：{text!r}"
                )
            if start > pos:
                out.append(_run_xml(text[pos:start]))
            cid = self._add_comment(number.fact, f"{where}第 {n + 1} 个数字的批注")
            out.append(
                f'<w:commentRangeStart w:id="{cid}"/>{_run_xml(number.text)}'
                f'<w:commentRangeEnd w:id="{cid}"/>'
                f'<w:r><w:rPr><w:rStyle w:val="{ref}"/></w:rPr>'
                f'<w:commentReference w:id="{cid}"/></w:r>'
            )
            pos = end
        if pos < len(text):
            out.append(_run_xml(text[pos:]))
        out.append("</w:p>")
        return "".join(out)

    def _add_comment(self, fact: Fact, where: str) -> int:
        """Add the comment for ``fact``; its id (0, 1, 2 … in reading order)."""
        lines = comment_lines(fact, self._cells)
        for line in lines:
            check_text(line, where)
        cid = self._next_id
        self._next_id += 1
        para = f'<w:p><w:pPr><w:pStyle w:val="{_attr(self._text_style)}"/></w:pPr>'
        first = (  # the comment's own mark, first in its first paragraph
            f'<w:r><w:rPr><w:rStyle w:val="{_attr(self._ref_style)}"/></w:rPr><w:annotationRef/></w:r>'
        )
        body = "".join(
            para + (first if k == 0 else "") + (_run_xml(line) if line else "") + "</w:p>"
            for k, line in enumerate(lines)
        )
        self._comments.append(
            f'<w:comment w:id="{cid}" w:author="{COMMENT_AUTHOR}" w:initials="{COMMENT_INITIALS}">'
            f"{body}</w:comment>"
        )
        return cid

    def finish(self) -> None:
        """Parse the comments written so far and add them to the comments part."""
        if self._comments:
            from docx.oxml import parse_xml
            from docx.oxml.ns import nsdecls

            xml = f'<w:x {nsdecls("w")}>{"".join(self._comments)}</w:x>'
            self._comments_root.extend(list(parse_xml(xml)))
            self._comments = []


def _run_xml(text: str) -> str:
    """A w:r holding ``text``, as XML text: a tab becomes w:tab, a line feed, CR or CR LF a w:br,
    everything else goes verbatim (escaped) into w:t, with xml:space="preserve" when it starts
    or ends with white space."""
    if text and "\t" not in text and "\n" not in text and "\r" not in text:  # most runs: one w:t
        space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
        return f"<w:r><w:t{space}>{escape(text)}</w:t></w:r>"
    out = ["<w:r>"]
    for piece in _BREAKS.split(text):
        if piece == "\t":
            out.append("<w:tab/>")
        elif piece in ("\n", "\r", "\r\n"):
            out.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if piece[0].isspace() or piece[-1].isspace() else ""
            out.append(f"<w:t{space}>{escape(piece)}</w:t>")
    out.append("</w:r>")
    return "".join(out)


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    """``text`` escaped for a double-quoted XML attribute (a user's style id)."""
    return escape(text).replace('"', "&quot;")


def comment_lines(fact: Fact, cells: Mapping[Any, str] | None = None) -> list[str]:
    """The paragraphs of a number's comment: label, how it was obtained (in words), sources
    (with ``cells``, each as its workbook cell: "公开01表!C37（公开01表 收入总计 金额）")."""
    how = f"计算：{fact.how}" if fact.formula else f"取数：{fact.how}"
    cells = cells or {}
    where = "；".join(f"{cells[s]}（{s}）" if s in cells else str(s) for s in fact.sources) or "未注明"
    return [fact.label, how, f"来源：{where}"]


def review_of(doc, styles: Styles, review: Any) -> Review | None:  # type: ignore[no-untyped-def]
    """The :class:`Review` of a ``review`` option: False (none), True, or a map of each source to its
    workbook cell (:func:`narrate.provenance.source_cells`), named in the comments."""
    if not review:
        return None
    return Review(doc, styles, review if isinstance(review, Mapping) else None)

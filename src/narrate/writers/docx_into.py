"""Parts 3 and 4 inserted into the unit's own Word document (``narrate render --into``).

The target document stays as it is — its tables, paragraphs, headers and
footers, sections, numbering and styles — except where the chapter goes:

* **Placeholders.**  A paragraph whose whole text is ``{{情况说明}}`` is
  replaced by Part 3 (the heading "第三部分 …" through the last block before the
  next part heading), ``{{名词解释}}`` by Part 4.  If instead there is one
  paragraph ``{{情况说明及名词解释}}`` (or ``{{narrate}}``), both parts go
  there.  Spaces and full-width braces （｛｛…｝｝） in a placeholder paragraph
  are allowed, so is any case of ``narrate``.
* **After a heading** (``after_heading``): the chapter goes right after the
  paragraph whose text equals the given text (spaces ignored), e.g.
  "第三部分 情况说明" already typed in the document; narrate's own part
  heading is then left out.  Two texts: Part 3 after the first, Part 4
  after the second.  One text, and the next paragraph with text after it is
  Part 4's heading (a document with both part headings typed and nothing
  under them): Part 3 goes after the first, Part 4 after that heading.
* **Part headings already typed.**  A placeholder paragraph right after the
  part's own heading (empty paragraphs between do not count), e.g. a
  paragraph "第三部分 情况说明" and then ``{{情况说明}}``, gets the part
  without narrate's heading.  Two part headings are the same when their
  texts are, ignoring white space, full/half-width forms and punctuation
  (``：、，.``), or when one lacks the "第X部分" the other has, or both start
  with the same "第X部分" (see :func:`same_part_heading`).

The paragraphs are written by :mod:`narrate.writers.docx` and use the target
document's styles of the same names (Normal, Heading 1–4; in review mode the
comment styles); a style the target lacks is added from narrate's look.  A
placeholder or heading paragraph that ends a section (carries the section
break) passes the break on to the last inserted paragraph, so the section
layout is unchanged; bookmarks in a placeholder paragraph move to the first
inserted paragraph.

A placeholder or heading that is missing, ambiguous or inside a table raises
:class:`PlaceholderError` (a :class:`ValueError`) naming the file and what was
looked for; nothing is changed.  The result is deterministic for identical
inputs.  :func:`insertion` also tells how many paragraphs went in (the part
headings left out are not counted); :func:`insert_into` returns the bytes only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from pathlib import Path

from docx.oxml.ns import qn

from ..document import Block, Document
from .docx import WordFileError
from .docx.package import save_stable
from .docx.paragraphs import paragraph_elements, review_of
from .docx.reference import open_word, word_label
from .docx.style_ids import styles_in

__all__ = ["DEFAULT_PLACEHOLDERS", "Insertion", "PlaceholderError", "Placeholders", "insert_into", "insertion"]


@dataclass(frozen=True)
class Placeholders:
    """The placeholder paragraphs looked for, each as its whole text."""

    part3: tuple[str, ...] = ("{{情况说明}}",)
    """Where Part 3 (情况说明) goes."""
    part4: tuple[str, ...] = ("{{名词解释}}",)
    """Where Part 4 (名词解释) goes."""
    both: tuple[str, ...] = ("{{情况说明及名词解释}}", "{{narrate}}")
    """Where both parts go, one after the other (used instead of the two above)."""


DEFAULT_PLACEHOLDERS = Placeholders()


class PlaceholderError(WordFileError):
    """The target document has no (or no unambiguous) place for the chapter."""


@dataclass(frozen=True)
class Insertion:
    """What :func:`insertion` made: the new document and how much went in."""

    data: bytes
    """The new .docx file."""
    paragraphs: int
    """Paragraphs inserted (headings and body; part headings the document already had are not counted)."""


_W_P, _W_PPR, _W_T, _W_SECTPR, _W_PSTYLE, _W_VAL, _W_TBL, _W_SDT = (
    qn(t) for t in ("w:p", "w:pPr", "w:t", "w:sectPr", "w:pStyle", "w:val", "w:tbl", "w:sdt")
)
_BLOCK_PARENTS = frozenset(qn(t) for t in ("w:body", "w:sdtContent"))
_NOT_HERE = {qn("w:tc"): "表格", qn("w:txbxContent"): "文本框"}
_BOOKMARKS = frozenset(qn(t) for t in ("w:bookmarkStart", "w:bookmarkEnd"))
_PART_NUMBER = re.compile(r"^第[一二三四五六七八九十百零〇0-9]+部分")
_HEADING_PUNCTUATION = re.compile(r"[:：、,，.．。;；]")

Items = list[tuple[int, Block]]


def insert_into(
    document: Document,
    target: str | Path | bytes,
    placeholders: Placeholders = DEFAULT_PLACEHOLDERS,
    after_heading: str | Sequence[str] | None = None,
    review: Any = False,
) -> bytes:
    """``target`` (a .docx path or bytes) with Parts 3 and 4 of ``document`` inserted.

    Without ``after_heading`` the chapter replaces the placeholder paragraphs
    (see :class:`Placeholders`); with it, the chapter follows the paragraph(s)
    with that text (one text: both parts; two texts: Part 3, Part 4).
    ``review`` adds the provenance comments as :func:`~narrate.writers.docx.docx_bytes`
    does.  Returns the new .docx bytes; the file itself is not written.
    """
    return insertion(document, target, placeholders, after_heading, review).data


def insertion(
    document: Document,
    target: str | Path | bytes,
    placeholders: Placeholders = DEFAULT_PLACEHOLDERS,
    after_heading: str | Sequence[str] | None = None,
    review: Any = False,
) -> Insertion:
    """As :func:`insert_into`, with the number of paragraphs actually inserted."""
    doc = open_word(target, "目标文档")
    label = word_label(target, "目标文档")
    body = doc.element.body
    if after_heading is not None:
        texts = [after_heading] if isinstance(after_heading, str) else list(after_heading)
        plan = _after_headings(body, doc.styles.element, document, texts, label)
    else:
        plan = _at_placeholders(body, document, placeholders, label)

    styles = styles_in(doc, review, user=True)
    marked = review_of(doc, styles, review)
    order = {p: n for n, p in enumerate(body.iter(_W_P))}
    count = 0
    for paragraph, items, replace in sorted(plan, key=lambda step: order[step[0]]):
        elements = paragraph_elements(items, styles, marked)
        count += len(elements)
        if replace:
            _replace(paragraph, elements)
        else:
            _insert_after(paragraph, elements)
    if marked is not None:
        marked.finish()
    return Insertion(save_stable(doc), count)


# -- where the chapter goes ---------------------------------------------------


def _at_placeholders(body, document: Document, placeholders: Placeholders, label: str):
    keys = {}
    for role in ("part3", "part4", "both"):
        for text in getattr(placeholders, role):
            keys[_placeholder_key(text)] = role
    found: dict[str, list] = {"part3": [], "part4": [], "both": []}
    near: list[str] = []  # paragraphs holding a placeholder among other text
    for p in body.iter(_W_P):
        text = _text(p)
        key = _placeholder_key(text)
        role = keys.get(key)
        if role is not None:
            _check_block_level(p, text.strip(), label)
            found[role].append(p)
        elif any(k in key for k in keys):
            near.append(text.strip())

    names = {role: "、".join(getattr(placeholders, role)) for role in found}
    for role, paragraphs in found.items():
        if len(paragraphs) > 1:
            raise PlaceholderError(
                f"{label} 中占位段落 {names[role]} 出现了 {len(paragraphs)} 次；每个占位段落只能有一处"
            )
    if found["both"]:
        if found["part3"] or found["part4"]:
            raise PlaceholderError(
                f"{label} 中既有 {names['both']}，又有 {names['part3']} 或 {names['part4']}；"
                "只用其中一种：两部分放在一处，或分别放在两处"
            )
        at = found["both"][0]
        return [(at, _without_typed_heading(at, list(enumerate(document.blocks))), True)]
    if found["part3"] and found["part4"]:
        part3, part4 = _split_parts(document)
        return [(at, _without_typed_heading(at, items), True)
                for at, items in ((found["part3"][0], part3), (found["part4"][0], part4))]

    missing = [names[r] for r in ("part3", "part4") if not found[r]]
    message = (
        f"{label} 中没有找到占位段落 {'、'.join(missing)}。"
        f"请在要放第三部分的位置单独起一段，只写 {names['part3']}，"
        f"在要放第四部分的位置单独起一段，只写 {names['part4']}"
    )
    if placeholders.both:
        message += f"；或者只写一段 {placeholders.both[0]}，两部分都放在那里"
    if near:
        message += f"。以下段落含有占位符但还有其他文字，不能作为占位段落：{'；'.join(near[:3])}"
    raise PlaceholderError(message)


def _after_headings(body, styles_root, document: Document, texts: list[str], label: str):
    if not 1 <= len(texts) <= 2 or not all(t.strip() for t in texts):
        raise PlaceholderError(
            "--after-heading 应给出一个或两个段落文字（两个时：第三部分放在第一个之后，第四部分放在第二个之后）"
        )
    anchors = [_find_heading(body, styles_root, text, label) for text in texts]
    if len(anchors) == 2 and anchors[0] is anchors[1]:
        raise PlaceholderError(f"{label} 中“{texts[0]}”和“{texts[1]}”是同一段")
    if len(anchors) == 1:
        steps = _with_next_heading(anchors[0], document, texts[0])
        if steps is not None:
            return steps
        items = _without_heading(list(enumerate(document.blocks)), texts[0])
        return [(anchors[0], items, False)]
    part3, part4 = _split_parts(document)
    return [
        (anchors[0], _without_heading(part3, texts[0]), False),
        (anchors[1], _without_heading(part4, texts[1]), False),
    ]


def _find_heading(body, styles_root, text: str, label: str):
    """The one block-level paragraph whose text is ``text`` (spaces ignored).

    If several are, those in a table of contents are passed over and those
    with a heading style (or outline level) preferred.
    """
    key = _squash(text)
    candidates = [
        p for p in body.iter(_W_P) if _squash(_text(p)) == key and _block_level(p) is None
    ]
    if not candidates:
        raise PlaceholderError(
            f"{label} 中没有找到文字为“{text}”的段落（--after-heading）；"
            "该段须只有这些文字（空格不计），且不在表格或文本框中"
        )
    if len(candidates) > 1:
        styles = _style_names(styles_root)
        candidates = [p for p in candidates if not _in_toc(p, styles)] or candidates
        headings = [p for p in candidates if _is_heading(p, styles)]
        if len(candidates) > 1 and len(headings) == 1:
            candidates = headings
    if len(candidates) > 1:
        raise PlaceholderError(
            f"{label} 中有 {len(candidates)} 段文字为“{text}”，无法确定插在哪一段之后；"
            "请给要用的那一段设置标题样式，或改用占位段落 {{情况说明}} / {{名词解释}}"
        )
    return candidates[0]


def _without_heading(items: Items, anchor_text: str) -> Items:
    """``items`` without narrate's part headings that repeat the anchor paragraph."""
    return [
        (i, b)
        for i, b in items
        if not (_is_part_heading(b) and same_part_heading(anchor_text, b.text))
    ]


def _with_next_heading(anchor, document: Document, anchor_text: str):
    """One anchor followed (next paragraph with text) by Part 4's own heading: Part 3 after the anchor, Part 4 after that.

    None when the next paragraph is not Part 4's heading or the chapter has no two parts.
    """
    following = _neighbour(anchor, forward=True)
    if following is None:
        return None
    try:
        part3, part4 = _split_parts(document)
    except PlaceholderError:
        return None
    if not (_is_part_heading(part4[0][1]) and same_part_heading(_text(following), part4[0][1].text)):
        return None
    return [
        (anchor, _without_heading(part3, anchor_text), False),
        (following, [(i, b) for i, b in part4 if (i, b) != part4[0]], False),
    ]


def _without_typed_heading(placeholder, items: Items) -> Items:
    """``items`` without their first part heading if the paragraph before ``placeholder`` already is that heading."""
    before = _neighbour(placeholder, forward=False)
    heads = [(i, b) for i, b in items if _is_part_heading(b)]
    if before is None or not heads or not same_part_heading(_text(before), heads[0][1].text):
        return items
    return [step for step in items if step != heads[0]]


def _neighbour(p, forward: bool):
    """The nearest body paragraph with text before (or after) ``p``, at the same level; None past a table.

    Empty paragraphs (and bookmarks and other markers between paragraphs) are passed over.
    """
    sibling = p.getnext() if forward else p.getprevious()
    while sibling is not None:
        if sibling.tag == _W_P:
            if _text(sibling).strip():
                return sibling if _block_level(sibling) is None else None
        elif sibling.tag in (_W_TBL, _W_SDT, _W_SECTPR):
            return None
        sibling = sibling.getnext() if forward else sibling.getprevious()
    return None


def _is_part_heading(block: Block) -> bool:
    return block.kind == "heading" and block.level == 0


def same_part_heading(a: str, b: str) -> bool:
    """Whether two texts are the same part heading, compared loosely.

    White space, full/half-width forms and the punctuation ``：、，.`` do not
    count; "情况说明" is "第三部分 情况说明" (one text lacks the "第X部分"),
    and two texts starting with the same "第X部分" are the same part.
    """
    a, b = _heading_key(a), _heading_key(b)
    if not a or not b:
        return False
    if a == b:
        return True
    ma, mb = _PART_NUMBER.match(a), _PART_NUMBER.match(b)
    if ma and mb:
        return ma.group() == mb.group()
    rest_a = a[ma.end():] if ma else a
    rest_b = b[mb.end():] if mb else b
    return bool(rest_a) and rest_a == rest_b


def _heading_key(text: str) -> str:
    return _HEADING_PUNCTUATION.sub("", _squash(unicodedata.normalize("NFKC", text)))


def _split_parts(document: Document) -> tuple[Items, Items]:
    """Part 3 and Part 4: the blocks from each part heading (level-0 heading) to the next.

    A part is known by its heading ("情况说明" or "第三部分…", "名词解释" or
    "第四部分…"), or else by order when there are exactly two.  Blocks before
    the first part heading go with Part 3.
    """
    groups: list[Items] = []
    for i, block in enumerate(document.blocks):
        if not groups or (block.kind == "heading" and block.level == 0):
            groups.append([])
        groups[-1].append((i, block))
    lead: Items = []
    if groups and not (groups[0][0][1].kind == "heading" and groups[0][0][1].level == 0):
        lead = groups.pop(0)

    def title(group: Items) -> str:
        return _squash(group[0][1].text)

    part3 = [g for g in groups if "情况说明" in title(g) or title(g).startswith("第三部分")]
    part4 = [g for g in groups if "名词解释" in title(g) or title(g).startswith("第四部分")]
    if len(part3) == 1 and len(part4) == 1 and part3[0] is not part4[0] and len(groups) == 2:
        return lead + part3[0], part4[0]
    if len(groups) == 2 and not part3 and not part4:
        return lead + groups[0], groups[1]
    heads = "、".join(f"“{g[0][1].text}”" for g in groups) or "（无）"
    raise PlaceholderError(
        f"生成的文字分不出第三部分和第四部分（部分标题：{heads}）；"
        "请在目标文档中只放一个占位段落 {{情况说明及名词解释}}，两部分都放在那里"
    )


# -- putting the paragraphs in ------------------------------------------------


def _replace(placeholder, elements: list) -> None:
    """Put ``elements`` where ``placeholder`` is, and remove it.

    Its section break (w:sectPr) moves to the last new paragraph, its
    bookmarks to the first; with nothing to insert, a placeholder carrying a
    section break stays as an empty paragraph.
    """
    for el in elements:
        placeholder.addprevious(el)
    marks = [c for c in placeholder if c.tag in _BOOKMARKS]
    if elements:
        first = elements[0]
        at = 1 if len(first) and first[0].tag == _W_PPR else 0
        for n, mark in enumerate(marks):
            first.insert(at + n, mark)
    if _move_section_break(placeholder, elements):
        placeholder.getparent().remove(placeholder)
    else:  # keep the section break where it is; the paragraph is emptied
        for child in list(placeholder):
            if child.tag != _W_PPR and child.tag not in _BOOKMARKS:
                placeholder.remove(child)


def _insert_after(anchor, elements: list) -> None:
    """Put ``elements`` right after ``anchor``; its section break moves to the last of them."""
    here = anchor
    for el in elements:
        here.addnext(el)
        here = el
    _move_section_break(anchor, elements)


def _move_section_break(paragraph, elements: list) -> bool:
    """Move ``paragraph``'s w:sectPr to the last of ``elements``; False if it has one and there is nowhere to go."""
    pPr = paragraph.find(_W_PPR)
    sectPr = None if pPr is None else pPr.find(_W_SECTPR)
    if sectPr is None:
        return True
    if not elements:
        return False
    last = elements[-1]
    last_pPr = last.find(_W_PPR)
    if last_pPr is None:
        last_pPr = last.makeelement(_W_PPR, {})
        last.insert(0, last_pPr)
    last_pPr.append(sectPr)  # w:sectPr comes last in w:pPr (before w:pPrChange, which is not here)
    return True


# -- reading the target -------------------------------------------------------


def _text(p) -> str:
    """A paragraph's own text (w:t), leaving out paragraphs nested in it (text boxes)."""
    out = []
    for t in p.iter(_W_T):
        parent = t.getparent()
        while parent is not None and parent.tag != _W_P:
            parent = parent.getparent()
        if parent is p and t.text:
            out.append(t.text)
    return "".join(out)


def _squash(text: str) -> str:
    """``text`` without any white space (ASCII or full-width)."""
    return "".join(text.split())


def _placeholder_key(text: str) -> str:
    return _squash(text).replace("｛", "{").replace("｝", "}").lower()


def _block_level(p) -> str | None:
    """None if ``p`` is a paragraph of the body (also inside a content control); else where it is."""
    parent = p.getparent()
    while parent is not None and parent.tag != qn("w:body"):
        where = _NOT_HERE.get(parent.tag)
        if where:
            return where
        parent = parent.getparent()
    return None if p.getparent().tag in _BLOCK_PARENTS else "其他位置"


def _check_block_level(p, text: str, label: str) -> None:
    where = _block_level(p)
    if where is not None:
        raise PlaceholderError(
            f"{label} 中的占位段落 {text} 位于{where}中；请把它放在{where}之外，单独成一段"
        )


def _style_names(styles_root) -> dict[str, tuple[str, bool]]:
    """Paragraph style id → (name without spaces, lower case; has an outline level)."""
    out: dict[str, tuple[str, bool]] = {}
    for style in styles_root.findall(qn("w:style")):
        name = style.find(qn("w:name"))
        pPr = style.find(qn("w:pPr"))
        out[style.get(qn("w:styleId")) or ""] = (
            _squash(name.get(qn("w:val")) or "" if name is not None else "").lower(),
            pPr is not None and pPr.find(qn("w:outlineLvl")) is not None,
        )
    return out


def _paragraph_style(p) -> str:
    pPr = p.find(_W_PPR)
    style = None if pPr is None else pPr.find(_W_PSTYLE)
    return "" if style is None else style.get(_W_VAL) or ""


def _in_toc(p, styles) -> bool:
    name = styles.get(_paragraph_style(p), ("", False))[0]
    if name.startswith("toc") or name.startswith("目录"):
        return True
    parent = p.getparent()
    while parent is not None:
        if parent.tag == qn("w:sdt"):
            gallery = parent.find(f"{qn('w:sdtPr')}/{qn('w:docPartObj')}/{qn('w:docPartGallery')}")
            if gallery is not None and "contents" in (gallery.get(_W_VAL) or "").lower():
                return True
        parent = parent.getparent()
    return False


def _is_heading(p, styles) -> bool:
    pPr = p.find(_W_PPR)
    if pPr is not None and pPr.find(qn("w:outlineLvl")) is not None:
        return True
    name, outline = styles.get(_paragraph_style(p), ("", False))
    return outline or name.startswith("heading") or name.startswith("标题")

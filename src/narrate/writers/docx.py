"""Word writer: a :class:`~narrate.document.Document` as ``.docx`` bytes.

The output follows the look of a Chinese official document (GB/T 9704):

* A4 portrait, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm: with
  lines of exactly 28.95 pt, 22 lines fill a page as GB/T 9704 asks.  There is
  no character grid, so a line holds 27 三号 characters, not the standard's 28
  (Word's ``linesAndChars`` grid would squeeze in 28, but LibreOffice then
  gives every character two grid cells).
* Footer: the page number as "— N —" (em dashes U+2014 around a real PAGE
  field), 宋体 四号 (14 pt), about 7 mm below the text block; odd and even
  pages have their own footers (``w:evenAndOddHeaders``): odd pages at the
  right, even pages at the left, each one character (280 twips,
  ``w:rightChars``/``w:leftChars`` 100) in from the margin (单页码居右空一字，
  双页码居左空一字).
* Document defaults: 仿宋_GB2312 16 pt in every font slot (ascii, hAnsi,
  eastAsia, cs), language zh-CN for East Asian text.

Styles, by block:

=====================  ============  =========================================
Block                  Word style    Look
=====================  ============  =========================================
paragraph              ``Normal``    仿宋_GB2312 三号 (16 pt), first line indented
                       (正文)         2 characters, exact line spacing 28.95 pt,
                                     no space before/after, justified
heading, level 0       ``Heading 1`` 黑体 二号 (22 pt), centred, not indented,
(第三部分 情况说明)                   starts a new page, one blank line after
heading, level 1       ``Heading 2`` 黑体 三号, indented 2 characters
(一、…)
heading, level 2       ``Heading 3`` 楷体_GB2312 三号, indented 2 characters
(（一）…)
heading, level 3       ``Heading 4`` 仿宋_GB2312 三号 bold, indented 2 characters
(1、…)
=====================  ============  =========================================

Body paragraphs use Word's built-in ``Normal`` style itself (no extra body
style): it is what a user's new paragraphs get, so text typed later in Word
looks the same.  The headings are Word's built-in heading styles with outline
levels 1–4, so the navigation pane and a table of contents see them; their
theme fonts and blue colour from python-docx's template are replaced by the
explicit fonts above and automatic (black) colour, and they keep with the next
paragraph.

Text is never interpreted: each block's text goes into one run as it is.  The
only translation is the one Word needs: a tab becomes ``w:tab`` and a line
feed, carriage return or CR LF a ``w:br`` line break (a justified line ending
in such a break is not stretched: ``w:doNotExpandShiftReturn``).  Characters
that an XML 1.0 file cannot hold (C0 controls other than tab/LF/CR, lone
surrogates, U+FFFE/U+FFFF) raise :class:`ValueError` naming the block.

Review mode (``docx_bytes(document, review=True)``): the text is the same, but
in every paragraph and heading each printed :class:`~narrate.document.Number`
is a run of its own carrying a Word comment (批注) on exactly that run, so a
reviewer can point at a number and read how it was obtained.  The comment has
three paragraphs: the fact's label; "计算：" and the formula (or "取数：照表列示"
for a figure read as printed); "来源：" and the source cells joined by "；"
(or "来源：未注明" when the fact names none).  Author "narrate", initials "N",
no date; comment ids 0, 1, 2 … in reading order.  The comments are set in
宋体 10.5 pt (the styles ``CommentText`` / ``CommentReference``, added only in
review mode).  Each number's ``start``/``end`` must slice its ``text`` out of the
block, in order and without overlap, or :class:`ValueError` names the block.
Without ``review`` the output is exactly as described above (no comments part,
one run per paragraph).

Reference document (``docx_bytes(document, reference_doc=path_or_bytes)``), as
pandoc's ``--reference-doc``: the output starts from the user's .docx with its
content removed, keeping its page setup (the last section's size, orientation,
margins), that section's headers and footers, its styles and document defaults,
numbering, theme, font table and settings.  Pictures, links, comments and the
thumbnail of the removed content are dropped, footnotes and endnotes keep only
their separators, and the core properties are reset as above.  Styles are
matched by name, not id (Chinese Word writes ids such as "a" for Normal and
"2" for heading 2): Normal, Heading 1–4 and, in review mode, the comment styles
("annotation text", "annotation reference"); one the reference lacks is added
from narrate's look above, its ``basedOn``/``next`` mapped to the reference's
ids, and the font table learns narrate's fonts.  A reference without section
properties gets narrate's page.  A .dotx template is read as a document; a
missing, unreadable, .doc, non-zip, non-Word or damaged file raises
:class:`WordFileError` (a :class:`ValueError`) naming the file.  To insert the
chapter into an existing document instead, see :mod:`narrate.writers.docx_into`,
which uses :func:`paragraph_elements` and the same style matching.

Deterministic: the same :class:`Document` (and reference document) gives the
same bytes on every call and every run (fixed zip entry dates and attributes, stable entry order, no
created/modified/printed dates in the core properties).

Fast: loading and restyling python-docx's default template is done once per
process (:func:`_template`).  With the default layout (no reference document,
no review) each call writes the paragraphs as XML text (:func:`paragraphs_xml`)
into the prepared package and writes the zip directly, compressing only the
parts that hold the document's own text; otherwise it opens a fresh document
from the prepared bytes (or the reference), adds the same paragraphs and saves.  :func:`docx_bytes` and
:class:`WordFileError` are public; :func:`paragraph_elements`,
:func:`open_word` and :func:`save_stable` are shared with
:mod:`~narrate.writers.docx_into`; every other Word/XML detail stays in this module.
"""

from __future__ import annotations

import copy
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.package import Package
from docx.shared import Mm, Pt
from lxml import etree

from ..document import Block, Document
from ..errors import FiguresError
from ..limits import check_input_file, check_zip_package
from ..facts import Fact

__all__ = ["WordFileError", "docx_bytes"]

# -- the look -----------------------------------------------------------------

_BODY_FONT = "仿宋_GB2312"
_BODY_SIZE = 16  # 三号
_LINE = Pt(28.95)  # 579 twips: 22 lines in the 225 mm text block
_INDENT = Pt(2 * _BODY_SIZE)  # 2 characters = 640 twips
_INDENT_CHARS = "200"  # w:firstLineChars, in 1/100 character

# block level -> (style name, font, size in pt, bold)
_HEADINGS = {
    0: ("Heading 1", "黑体", 22, False),
    1: ("Heading 2", "黑体", 16, False),
    2: ("Heading 3", "楷体_GB2312", 16, False),
    3: ("Heading 4", "仿宋_GB2312", 16, True),
}

_FOOTER_FONT = "宋体"
_FOOTER_SIZE = 14  # 四号
_EM_DASH = "\u2014"

# Fonts named by the styles, with the hints Word uses to substitute a missing
# font (altName, GB2312 charset): a machine without 仿宋_GB2312 falls back to 仿宋.
_FONT_TABLE = (
    ("仿宋_GB2312", "仿宋", "modern", "fixed"),
    ("楷体_GB2312", "楷体", "modern", "fixed"),
    ("黑体", "SimHei", "modern", "fixed"),
    ("宋体", "SimSun", "auto", "variable"),
)

# Styles kept from python-docx's template (the rest are table/list styles and
# their linked character styles, which only make every open slower).
_KEEP_STYLES = frozenset(
    {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "Footer"}
    | {f"Heading{n}" for n in range(1, 5)}
)

_RT_STYLES_WITH_EFFECTS = (
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
)

_ZIP_DATE = (2000, 1, 1, 0, 0, 0)

# XML 1.0 cannot hold these (tab, LF, CR are fine).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_BREAKS = re.compile("(\r\n|[\t\n\r])")

# Review mode: comment author and the look of the comment text.
_COMMENT_AUTHOR = "narrate"
_COMMENT_INITIALS = "N"
_COMMENT_TEXT_STYLE = "CommentText"
_COMMENT_REF_STYLE = "CommentReference"
_COMMENT_FONT = "宋体"
_COMMENT_SIZE = 21  # half-points: 五号, 10.5 pt

# Schema order of the children of w:pPr and w:rPr (CT_PPrBase / CT_RPr), so
# an added child lands where Word expects it.
_PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
    "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd",
    "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
    "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
    "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
_RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps",
    "w:smallCaps", "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss",
    "w:imprint", "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden",
    "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs",
    "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText",
    "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
    "w:specVanish", "w:oMath",
)  # fmt: skip


# -- public -------------------------------------------------------------------


class WordFileError(ValueError):
    """A user's Word file (reference or target document) that narrate cannot use.

    The message, in Chinese, names the file and what is wrong with it.
    """


def docx_bytes(
    document: Document, review: bool = False, reference_doc: str | Path | bytes | None = None
) -> bytes:
    """The document as a .docx file (bytes), identical for identical input.

    With ``review`` every printed number carries a Word comment with its
    provenance (label, formula, source cells); the text stays the same.

    With ``reference_doc`` (a path or the bytes of a .docx) the page setup,
    headers and footers and the styles come from that document, as pandoc's
    ``--reference-doc`` does; its own content is left out.  A style the
    reference document lacks (matched by name) is narrate's own.
    """
    _check_text(document.title, "标题（title）")
    if reference_doc is None and not review:
        return _plain_docx(document)
    if reference_doc is None:
        doc = docx.Document(io.BytesIO(_template()))
        styles = _styles_in(doc, review, user=False)
    else:
        doc = open_word(reference_doc, "参考文档")
        _clear_content(doc)
        _trim_package(doc)  # also its thumbnail, a picture of its content
        _set_core_properties(doc)
        _no_expand_shift_return(doc.settings.element)
        styles = _styles_in(doc, review, user=True)
    doc.core_properties.title = document.title

    body = doc.element.body
    marked = _Review(doc, styles) if review else None
    body.extend(paragraph_elements(enumerate(document.blocks), styles, marked))
    if marked is not None:
        marked.finish()
    body.append(body.sectPr)  # the section properties stay the body's last child
    return save_stable(doc)


# -- per call -----------------------------------------------------------------


def _check_text(text: str, where: str) -> None:
    bad = _NOT_XML.search(text)
    if bad:
        raise ValueError(
            f"{where} 含有 Word 文档无法保存的字符 U+{ord(bad.group()):04X}"
            f"（位置 {bad.start()}）：{text!r}"
        )


def save_stable(doc) -> bytes:
    """A python-docx document saved as deterministic .docx bytes."""
    out = io.BytesIO()
    doc.save(out)
    return _stable_zip(out.getvalue())


def paragraph_elements(items: Iterable[tuple[int, Block]], styles: _Styles, review: _Review | None):
    """The w:p elements for ``(index, block)`` pairs, ready to insert into a body.

    ``index`` is the block's place in its :class:`Document` (for messages).
    With ``review`` (a :class:`_Review` of the same document) each number gets
    its comment; call its :meth:`_Review.finish` once all paragraphs are made.
    """
    xml = paragraphs_xml(items, styles, review)
    return list(parse_xml(f'<w:body {nsdecls("w")}>{xml}</w:body>')) if xml else []


def paragraphs_xml(items: Iterable[tuple[int, Block]], styles: _Styles, review: _Review | None = None) -> str:
    """The w:p elements of :func:`paragraph_elements` as XML text (prefix ``w:``, no namespace declaration).

    Paragraphs are written as text and parsed once (or not at all, by the
    default layout's writer): python-docx's Paragraph.style and Run.text look
    the style up and walk the text a character at a time, and even plain lxml
    element building cost more than the rest of the writing.
    """
    pieces: list[str] = []
    for i, block in items:
        where = f"第 {i + 1} 段（blocks[{i}]）"
        _check_text(block.text, where)
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


class _Review:
    """Review mode: the paragraphs with their numbers as commented runs, and the comments.

    Both are written as XML text and parsed in one go (paragraphs by
    :func:`paragraph_elements`, comments by :meth:`finish`): building a
    hundred comments element by element (or with python-docx's
    ``add_comment``, which also stamps the current time) took longer than the
    rest of the document.  The comment styles are resolved (or added) by
    :func:`_styles_in` in review mode only, so the output without review is
    untouched.  Comment ids continue after any the document already has.
    """

    def __init__(self, doc, styles: _Styles) -> None:
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
        lines = _comment_lines(fact)
        for line in lines:
            _check_text(line, where)
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
            f'<w:comment w:id="{cid}" w:author="{_COMMENT_AUTHOR}" w:initials="{_COMMENT_INITIALS}">'
            f"{body}</w:comment>"
        )
        return cid

    def finish(self) -> None:
        """Parse the comments written so far and add them to the comments part."""
        if self._comments:
            xml = f'<w:x {nsdecls("w")}>{"".join(self._comments)}</w:x>'
            self._comments_root.extend(list(parse_xml(xml)))
            self._comments = []


def _run_xml(text: str) -> str:
    """A w:r holding ``text``, as XML text: a tab becomes w:tab, a line feed, CR or CR LF a w:br,
    everything else goes verbatim (escaped) into w:t, with xml:space="preserve" when it starts
    or ends with white space."""
    out = ["<w:r>"]
    for piece in _BREAKS.split(text):
        if piece == "\t":
            out.append("<w:tab/>")
        elif piece in ("\n", "\r", "\r\n"):
            out.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if piece[0].isspace() or piece[-1].isspace() else ""
            out.append(f"<w:t{space}>{_escape(piece)}</w:t>")
    out.append("</w:r>")
    return "".join(out)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    """``text`` escaped for a double-quoted XML attribute (a user's style id)."""
    return _escape(text).replace('"', "&quot;")


def _comment_lines(fact: Fact) -> list[str]:
    """The paragraphs of a number's comment: label, formula, sources."""
    how = f"计算：{fact.formula}" if fact.formula else "取数：照表列示"
    where = "；".join(str(s) for s in fact.sources) or "未注明"
    return [fact.label, how, f"来源：{where}"]


@lru_cache(maxsize=1)
def _comment_styles() -> tuple:
    """w:style elements for comment text (宋体 五号, plain lines) and comment marks."""
    font = _COMMENT_FONT
    size = str(_COMMENT_SIZE)
    xml = (
        f'<w:styles {nsdecls("w")}>'
        f'<w:style w:type="paragraph" w:styleId="{_COMMENT_TEXT_STYLE}">'
        '<w:name w:val="annotation text"/><w:basedOn w:val="Normal"/>'
        '<w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
        '<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
        '<w:ind w:left="0" w:leftChars="0" w:firstLine="0" w:firstLineChars="0"/>'
        '<w:jc w:val="left"/></w:pPr>'
        f'<w:rPr><w:rFonts w:ascii="{font}" w:eastAsia="{font}" w:hAnsi="{font}" w:cs="{font}"/>'
        f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'
        "</w:style>"
        f'<w:style w:type="character" w:styleId="{_COMMENT_REF_STYLE}">'
        '<w:name w:val="annotation reference"/><w:basedOn w:val="DefaultParagraphFont"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>'
        '<w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr>'
        "</w:style>"
        "</w:styles>"
    )
    return tuple(parse_xml(xml))


def _stable_zip(blob: bytes, replace: dict[str, bytes] | None = None) -> bytes:
    """Rewrite a zip with fixed dates and attributes, entries in the same order.

    python-docx stamps every entry with the current time; this makes the bytes
    depend only on the content.  ``replace`` swaps the content of named entries.
    """
    replace = replace or {}
    with zipfile.ZipFile(io.BytesIO(blob)) as src:
        entries = [(e.filename, replace.get(e.filename) or src.read(e)) for e in src.infolist()]
    return _zip(entries)


def _dos_date_time() -> tuple[int, int]:
    year, month, day, hour, minute, second = _ZIP_DATE
    return (year - 1980) << 9 | month << 5 | day, hour << 11 | minute << 5 | second // 2


def _deflate(data: bytes) -> tuple[int, bytes]:
    """CRC and raw deflate of an entry."""
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return zlib.crc32(data), packer.compress(data) + packer.flush()


# The parts that hold a document's own content are compressed afresh every time; the
# template's unchanging parts (styles, settings, fonts…) once per process.
_PER_DOCUMENT = frozenset({"word/document.xml", "docProps/core.xml", "word/comments.xml"})
_deflate_part = lru_cache(maxsize=64)(_deflate)


def _zip(entries: Iterable[tuple[str, bytes]]) -> bytes:
    """A deterministic zip (deflated entries, fixed dates, no extra fields), in the given order."""
    date, time_ = _dos_date_time()
    out = bytearray()
    central = bytearray()
    count = 0
    for name, data in entries:
        crc, packed = _deflate(data) if name in _PER_DOCUMENT else _deflate_part(data)
        raw_name = name.encode("utf-8")
        flags = 0 if raw_name.isascii() else 0x800  # UTF-8 names
        offset = len(out)
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flags, 8, time_, date, crc, len(packed), len(data),
                           len(raw_name), 0) + raw_name + packed
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, flags, 8, time_, date, crc, len(packed),
                               len(data), len(raw_name), 0, 0, 0, 0, 0, offset) + raw_name
        count += 1
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(central), len(out), 0)
    return bytes(out + central + end)


# -- styles by name, and the user's Word files -------------------------------


@dataclass(frozen=True)
class _Styles:
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


# Style names as Word writes them in styles.xml (built-in styles keep their
# English names in every language), with the names some Chinese editions of
# WPS write instead.  Compared without case and spaces.
_NAME_ALIASES = {
    "normal": ("正文",),
    "heading1": ("标题1",),
    "heading2": ("标题2",),
    "heading3": ("标题3",),
    "heading4": ("标题4",),
    "annotationtext": ("批注文字",),
    "annotationreference": ("批注引用",),
    "defaultparagraphfont": ("默认段落字体",),
}


_ALIAS_OF = {alias: canonical for canonical, aliases in _NAME_ALIASES.items() for alias in aliases}


def _name_key(name: str) -> str:
    key = "".join(name.split()).lower()
    return _ALIAS_OF.get(key, key)


def _styles_in(doc, review: bool, user: bool) -> _Styles:
    """Normal, Heading 1–4 (and the comment styles in review mode) of ``doc``, by name.

    A style ``doc`` lacks is copied from narrate's template (its references to
    other styles mapped to ``doc``'s ids); ``user`` marks a user's document,
    whose font table then also learns narrate's fonts if a style was added.
    """
    root = doc.styles.element
    by_name: dict[tuple[str, str], object] = {}
    ids: set[str] = set()
    default_paragraph = None
    default_character = None
    for style in root.findall(qn("w:style")):
        kind = style.get(qn("w:type")) or "paragraph"
        sid = style.get(qn("w:styleId")) or ""
        ids.add(sid)
        name = style.find(qn("w:name"))
        key = _name_key(name.get(qn("w:val")) if name is not None else sid)
        by_name.setdefault((kind, key), style)
        if style.get(qn("w:default")) in ("1", "true", "on"):
            if kind == "paragraph" and default_paragraph is None:
                default_paragraph = style
            elif kind == "character" and default_character is None:
                default_character = style
    if default_character is None:
        default_character = by_name.get(("character", "defaultparagraphfont"))
    mapped = {"DefaultParagraphFont": None if default_character is None else default_character.get(qn("w:styleId"))}
    added = False

    def resolve(kind: str, name: str, own) -> str:
        nonlocal added
        found = by_name.get((kind, _name_key(name)))
        if found is not None:
            return found.get(qn("w:styleId"))
        new = copy.deepcopy(own)
        sid = base = new.get(qn("w:styleId"))
        n = 1
        while sid in ids:
            sid = f"{base}narrate{'' if n == 1 else n}"
            n += 1
        new.set(qn("w:styleId"), sid)
        ids.add(sid)
        if new.get(qn("w:default")) is not None and (kind != "paragraph" or default_paragraph is not None):
            del new.attrib[qn("w:default")]
        for ref in ("w:basedOn", "w:next", "w:link"):
            el = new.find(qn(ref))
            if el is None:
                continue
            target = mapped.get(el.get(qn("w:val")))
            if target is None or ref == "w:link":
                new.remove(el)
            else:
                el.set(qn("w:val"), target)
        root.append(new)
        added = True
        by_name[(kind, _name_key(name))] = new
        return sid

    own = _own_styles()
    normal = resolve("paragraph", "Normal", own["Normal"])
    mapped["Normal"] = normal
    normal_style = by_name[("paragraph", "normal")]
    is_default = normal_style is default_paragraph or (
        default_paragraph is None and normal_style.get(qn("w:default")) is not None
    )
    headings = {
        level: resolve("paragraph", spec[0], own[spec[0]]) for level, spec in _HEADINGS.items()
    }
    comment_text = comment_ref = ""
    if review:
        text_style, ref_style = _comment_styles()
        comment_text = resolve("paragraph", "annotation text", text_style)
        comment_ref = resolve("character", "annotation reference", ref_style)
    if added and user:
        _add_fonts(doc)
    return _Styles(None if is_default else normal, headings, comment_text, comment_ref)


@lru_cache(maxsize=1)
def _own_styles() -> dict:
    """narrate's Normal and Heading 1–4 (w:style elements) from the template, by name."""
    doc = docx.Document(io.BytesIO(_template()))
    return {name: doc.styles[name].element for name in ["Normal", *(s[0] for s in _HEADINGS.values())]}


def _add_fonts(doc) -> None:
    """Add narrate's fonts (with their substitution hints) to ``doc``'s font table."""
    for rel in doc.part.rels.values():
        if rel.reltype == RT.FONT_TABLE and not rel.is_external:
            part = rel.target_part
            if hasattr(part, "_element"):  # pragma: no cover -- python-docx parses no font table
                return
            try:
                part._blob = _font_table(part.blob)
            except etree.XMLSyntaxError:  # pragma: no cover -- a broken table stays as it is
                pass
            return


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls: Office 97–2003
_CT_TEMPLATE_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"


def word_label(source: str | Path | bytes, role: str) -> str:
    """How messages name a user's Word file: "参考文档 X.docx", "目标文档（内存中的文件）"."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return f"{role}（内存中的文件）"
    return f"{role} {source}"


def open_word(source: str | Path | bytes, role: str):
    """A user's .docx (path or bytes) opened with python-docx.

    ``role`` ("参考文档", "目标文档") starts every message.  A Word template
    (.dotx) is opened as a document.  Anything else raises
    :class:`WordFileError` naming the file: missing, unreadable, a .doc, not a
    zip, not a Word document, damaged.
    """
    label = word_label(source, role)
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    else:
        try:
            check_input_file(source, "Word 文件（.docx）")  # no FIFO, device or oversized file is read
        except FiguresError as exc:
            raise WordFileError(f"{label}：{'；'.join(p.describe() for p in exc.problems)}") from None
        try:
            data = Path(source).read_bytes()
        except FileNotFoundError:
            raise WordFileError(f"{label} 不存在") from None
        except IsADirectoryError:
            raise WordFileError(f"{label} 是文件夹，应为 Word 文件（.docx）") from None
        except OSError as exc:
            raise WordFileError(f"无法读取{label}：{exc.strerror or exc}") from None
    if data.startswith(_OLE_MAGIC):
        raise WordFileError(
            f"{label} 是旧版 Office 文件（如 Word 97-2003 的 .doc 或 WPS 的 .wps），不是 .docx；"
            "请在 Word 或 WPS 中“另存为”Word 文档（*.docx）后再用"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            if "[Content_Types].xml" not in z.namelist():
                raise WordFileError(f"{label} 不是 Word 文档（.docx）：压缩包中没有 Word 文档的内容")
            types = z.read("[Content_Types].xml")
            if _CT_TEMPLATE_MAIN.encode() in types:  # a .dotx: open it as a document
                data = _stable_zip(data, {"[Content_Types].xml": types.replace(
                    _CT_TEMPLATE_MAIN.encode(), CT.WML_DOCUMENT_MAIN.encode())})
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError):
        raise WordFileError(
            f"{label} 不是 Word 文档（.docx）：无法作为 zip 压缩包打开，文件可能已损坏或不是 .docx"
        ) from None
    try:
        check_zip_package(io.BytesIO(data), "Word 文档（.docx）")  # a zip bomb is refused before parsing
    except FiguresError as exc:
        raise WordFileError(f"{label}：{'；'.join(p.describe() for p in exc.problems)}") from None
    try:
        package = Package.open(io.BytesIO(data))
        part = package.main_document_part
    except WordFileError:
        raise
    except Exception as exc:  # python-docx/lxml/zipfile raise many kinds here
        raise WordFileError(f"{label} 已损坏，无法作为 Word 文档打开（{type(exc).__name__}: {exc}）") from None
    if part.content_type != CT.WML_DOCUMENT_MAIN:
        what = "含宏的 Word 文档（.docm），请另存为 .docx" if "macroEnabled" in part.content_type else (
            f"不是 Word 文档（内容类型 {part.content_type}）")
        raise WordFileError(f"{label} {what}")
    try:
        doc = part.document
        doc.styles  # noqa: B018 -- parse the styles now, so a broken part fails here
        doc.element.body  # noqa: B018
    except Exception as exc:
        raise WordFileError(f"{label} 已损坏，无法作为 Word 文档打开（{type(exc).__name__}: {exc}）") from None
    if doc.element.body is None:
        raise WordFileError(f"{label} 已损坏：没有正文（w:body）")
    return doc


# Relationships of the main document part used only by its content; they go
# when the content goes (reference documents), unless something still uses them.
_CONTENT_RELS = frozenset({
    RT.IMAGE, RT.HYPERLINK, RT.OLE_OBJECT, RT.PACKAGE, RT.CHART, RT.DIAGRAM_DATA,
    RT.DIAGRAM_LAYOUT, RT.DIAGRAM_QUICK_STYLE, RT.DIAGRAM_COLORS, RT.HEADER,
    RT.FOOTER, RT.VIDEO, RT.AUDIO, RT.CONTROL, RT.A_F_CHUNK, RT.COMMENTS,
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/subDocument",
    "http://schemas.microsoft.com/office/2007/relationships/media",
    "http://schemas.microsoft.com/office/2007/relationships/diagramDrawing",
    "http://schemas.microsoft.com/office/2011/relationships/commentsExtended",
    "http://schemas.microsoft.com/office/2016/09/relationships/commentsIds",
    "http://schemas.microsoft.com/office/2018/08/relationships/commentsExtensible",
})  # fmt: skip
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _clear_content(doc) -> None:
    """Empty a reference document: no body content, only the last section's properties.

    Pictures, links, comments and headers/footers of other sections that only
    the content used are dropped; footnotes and endnotes keep only Word's
    separators.  Without section properties, narrate's page setup is used.
    """
    body = doc.element.body
    sectPr = body.sectPr
    for child in list(body):
        if child is not sectPr:
            body.remove(child)
    if sectPr is None:
        own = docx.Document(io.BytesIO(_template())).element.body.sectPr
        for ref in own.findall(qn("w:headerReference")) + own.findall(qn("w:footerReference")):
            own.remove(ref)
        body.append(own)
    used = {
        value
        for el in doc.element.iter()
        for key, value in el.attrib.items()
        if key.startswith(f"{{{_R_NS}}}") or key.endswith("}relid")
    }
    for rId, rel in list(doc.part.rels.items()):
        if rel.reltype in _CONTENT_RELS and rId not in used:
            del doc.part.rels[rId]
        elif rel.reltype in (RT.FOOTNOTES, RT.ENDNOTES) and not rel.is_external:
            _keep_separators(rel.target_part)


def _keep_separators(part) -> None:
    """A footnotes/endnotes part with only its separator notes (those with a w:type)."""
    try:
        root = parse_xml(part.blob)
    except etree.XMLSyntaxError:  # pragma: no cover
        return
    for note in list(root):
        if note.get(qn("w:type")) in (None, "normal"):
            root.remove(note)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _no_expand_shift_return(settings) -> None:
    """A justified line that ends in a line break keeps normal spacing (w:compat)."""
    compat = settings.find(qn("w:compat"))
    if compat is not None and compat.find(qn("w:doNotExpandShiftReturn")) is None:
        compat.insert(0, OxmlElement("w:doNotExpandShiftReturn"))  # first in CT_Compat


# -- the plain case, assembled without python-docx's object layer ------------


@dataclass(frozen=True)
class _Package:
    """The configured template taken apart once: static entries, and the two parts that change."""

    entries: tuple[tuple[str, bytes], ...]
    """Every zip entry in order; document.xml and core.xml are placeholders here."""
    body_head: bytes
    body_tail: bytes
    core_head: bytes
    core_tail: bytes
    styles: "_Styles"


_TITLE_MARK = "\ue0ffNARRATE-TITLE\ue0ff"


@lru_cache(maxsize=1)
def _package() -> _Package:
    doc = docx.Document(io.BytesIO(_template()))
    styles = _styles_in(doc, False, user=False)
    doc.core_properties.title = _TITLE_MARK
    marker = OxmlElement("w:p")
    body = doc.element.body
    body.insert(len(body) - 1, marker)  # just before the body's sectPr
    blob = io.BytesIO()
    doc.save(blob)
    with zipfile.ZipFile(io.BytesIO(blob.getvalue())) as z:
        entries = tuple((info.filename, z.read(info)) for info in z.infolist())
    parts = dict(entries)
    document_xml = parts["word/document.xml"].decode("utf-8")
    head, tail = document_xml.split("<w:p/>", 1)
    core = parts["docProps/core.xml"].decode("utf-8")
    core_head, core_tail = core.split(_TITLE_MARK, 1)
    return _Package(entries, head.encode("utf-8"), tail.encode("utf-8"), core_head.encode("utf-8"),
                    core_tail.encode("utf-8"), styles)


def _plain_docx(document: Document) -> bytes:
    """The default layout without review: paragraphs serialised once, package written in one pass.

    Gives the same document as the general path (same parts, the same
    :func:`paragraphs_xml`), several times faster: no python-docx load and save, no zip rewrite.
    """
    package = _package()
    inner = paragraphs_xml(enumerate(document.blocks), package.styles).encode("utf-8")
    replace = {
        "word/document.xml": package.body_head + inner + package.body_tail,
        "docProps/core.xml": package.core_head + _escape(document.title).encode("utf-8") + package.core_tail,
    }
    return _zip((name, replace.get(name, data)) for name, data in package.entries)


# -- once per process: the configured template --------------------------------


@lru_cache(maxsize=1)
def _template() -> bytes:
    """python-docx's default template, restyled and trimmed, as .docx bytes."""
    doc = docx.Document()
    _trim_package(doc)
    _set_defaults(doc)
    _set_body_style(doc.styles["Normal"])
    for name, font, size, bold in _HEADINGS.values():
        _set_heading_style(doc.styles[name], font, size, bold, part_title=(name == "Heading 1"))
    _prune_styles(doc)
    _set_footer_style(doc.styles["Footer"])
    _set_section(doc)
    _set_core_properties(doc)
    _set_settings(doc)

    out = io.BytesIO()
    doc.save(out)
    blob = out.getvalue()
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        fonts = _font_table(z.read("word/fontTable.xml"))
    return _stable_zip(blob, {"word/fontTable.xml": fonts})


def _trim_package(doc) -> None:
    """Drop template parts the output has no use for (and that cost load time)."""
    unused = {_RT_STYLES_WITH_EFFECTS, RT.CUSTOM_XML}
    for rId, rel in list(doc.part.rels.items()):
        if rel.reltype in unused:
            doc.part.drop_rel(rId)
    package_rels = doc.part.package.rels
    for rId, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package_rels[rId]


def _set_defaults(doc) -> None:
    """w:docDefaults: the body font in every slot, 三号, language zh-CN."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rPr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for child in list(rPr):
        rPr.remove(child)
    rPr.append(_fonts_element(_BODY_FONT))
    rPr.append(_element("w:sz", val=str(2 * _BODY_SIZE)))
    rPr.append(_element("w:szCs", val=str(2 * _BODY_SIZE)))
    rPr.append(_element("w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"))

    pPr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    for child in list(pPr):
        pPr.remove(child)
    pPr.append(_element("w:spacing", after="0", line="240", lineRule="auto"))


def _set_body_style(style) -> None:
    _set_font(style, _BODY_FONT, _BODY_SIZE, bold=None)
    _set_paragraph(style, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    style.paragraph_format.widow_control = True


def _set_heading_style(style, font: str, size: int, bold: bool, part_title: bool) -> None:
    _set_font(style, font, size, bold=bold)
    if part_title:
        _set_paragraph(style, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
        fmt = style.paragraph_format
        fmt.page_break_before = True  # each part (第三部分, 第四部分) on a new page
        fmt.space_after = _LINE  # one blank line under the part title
    else:
        _set_paragraph(style, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    fmt = style.paragraph_format
    fmt.keep_with_next = True
    fmt.keep_together = True
    level = int(style.name.rsplit(" ", 1)[1]) - 1
    _child(style.element.get_or_add_pPr(), "w:outlineLvl", _PPR_ORDER).set(qn("w:val"), str(level))
    style.hidden = False
    style.unhide_when_used = False
    style.quick_style = True


def _set_footer_style(style) -> None:
    _set_font(style, _FOOTER_FONT, _FOOTER_SIZE, bold=None)
    pPr = style.element.get_or_add_pPr()
    tabs = pPr.find(qn("w:tabs"))  # Letter-size centre/right tabs
    if tabs is not None:
        pPr.remove(tabs)
    fmt = style.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    fmt.first_line_indent = Pt(0)
    _child(pPr, "w:ind", _PPR_ORDER).set(qn("w:firstLineChars"), "0")


def _set_font(style, name: str, size: int, bold: bool | None) -> None:
    """Explicit font in every slot and size; no theme fonts, colour or italics.

    Without a w:color the text is "automatic", i.e. black on the white page.
    """
    font = style.font
    font.size = Pt(size)
    _child(style.element.get_or_add_rPr(), "w:szCs", _RPR_ORDER).set(qn("w:val"), str(2 * size))
    if bold is not None:
        font.bold = bold
        font.cs_bold = bold
    font.italic = None
    font.cs_italic = None
    font.color.rgb = None
    rPr = style.element.get_or_add_rPr()
    old = rPr.find(qn("w:rFonts"))
    new = _fonts_element(name)
    if old is None:
        _insert(rPr, new, _RPR_ORDER)
    else:
        old.addprevious(new)
        rPr.remove(old)


def _set_paragraph(style, indent: bool, align) -> None:
    """Exact 28.95 pt lines, no space before/after, first-line indent or none."""
    fmt = style.paragraph_format
    fmt.alignment = align
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = _LINE
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.left_indent = Pt(0)
    fmt.first_line_indent = _INDENT if indent else Pt(0)
    ind = _child(style.element.get_or_add_pPr(), "w:ind", _PPR_ORDER)
    ind.set(qn("w:firstLineChars"), _INDENT_CHARS if indent else "0")
    ind.set(qn("w:leftChars"), "0")


def _prune_styles(doc) -> None:
    root = doc.styles.element
    for style in root.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in _KEEP_STYLES:
            root.remove(style)
    for style in root.findall(qn("w:style")):
        for ref in ("w:link", "w:next", "w:basedOn"):
            el = style.find(qn(ref))
            if el is not None and el.get(qn("w:val")) not in _KEEP_STYLES:
                style.remove(el)


def _set_section(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(210)
    section.page_height = Mm(297)
    section.top_margin = Mm(37)
    section.bottom_margin = Mm(35)
    section.left_margin = Mm(28)
    section.right_margin = Mm(26)
    section.header_distance = Mm(15)
    # With a 四号 line about 5 mm high, the page number's top sits about
    # 35 − 23 − 5 = 7 mm below the text block (GB/T 9704).
    section.footer_distance = Mm(23)
    section.gutter = Mm(0)

    # 22 lines of 28.95 pt fill the 225 mm text block.  No character grid
    # (w:type="linesAndChars" with charSpace -849 gives Word 28 characters a line,
    # but LibreOffice then puts each 16 pt character in two grid cells).
    sectPr = doc.element.body.sectPr
    grid = sectPr.find(qn("w:docGrid"))  # no python-docx API for the grid
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sectPr.append(grid)
    for key in list(grid.attrib):
        del grid.attrib[key]
    grid.set(qn("w:linePitch"), "579")

    # GB/T 9704: odd pages carry the number at the right, even pages at the
    # left, each one 四号 character in from the margin (空一字).
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
        footer.is_linked_to_previous = False
        _page_number(footer.paragraphs[0], doc.styles["Footer"], odd)


def _page_number(paragraph, style, odd: bool) -> None:
    """"— N —" with a PAGE field: at the right (odd pages) or left (even), one character in."""
    paragraph.style = style
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    side = "right" if odd else "left"
    ind = _child(paragraph._p.get_or_add_pPr(), "w:ind", _PPR_ORDER)
    ind.set(qn(f"w:{side}"), str(_FOOTER_SIZE * 20))  # one 四号 character: 280 twips
    ind.set(qn(f"w:{side}Chars"), "100")  # Word goes by this one (1/100 character)
    paragraph.add_run(_EM_DASH + " ")
    paragraph.add_run().element.append(_element("w:fldChar", fldCharType="begin"))
    instr = _element("w:instrText")
    instr.set(_XML_SPACE, "preserve")
    instr.text = " PAGE "
    paragraph.add_run().element.append(instr)
    paragraph.add_run().element.append(_element("w:fldChar", fldCharType="separate"))
    paragraph.add_run("1")
    paragraph.add_run().element.append(_element("w:fldChar", fldCharType="end"))
    paragraph.add_run(" " + _EM_DASH)


def _set_core_properties(doc) -> None:
    props = doc.core_properties
    props.author = ""
    props.comments = ""
    props.last_modified_by = ""
    props.revision = 1
    props.language = "zh-CN"
    props.title = ""
    element = doc.part.package.part_related_by(RT.CORE_PROPERTIES).element
    for tag in ("dcterms:created", "dcterms:modified", "cp:lastPrinted"):
        for el in element.findall(qn(tag)):
            element.remove(el)


def _set_settings(doc) -> None:
    settings = doc.settings.element
    for tag in ("w:savePreviewPicture",):
        for el in settings.findall(qn(tag)):
            settings.remove(el)
    # A justified line that ends in a line break (a "\n" in the text) keeps
    # normal spacing instead of being stretched to the margin.
    _no_expand_shift_return(settings)  # w:compat is in python-docx's template
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


def _font_table(xml: bytes) -> bytes:
    """word/fontTable.xml with the Chinese fonts and their substitution hints."""
    root = parse_xml(xml)
    present = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, alt, family, pitch in _FONT_TABLE:
        if name in present:
            continue
        font = _element("w:font", name=name)
        font.append(_element("w:altName", val=alt))
        font.append(_element("w:charset", val="86"))
        font.append(_element("w:family", val=family))
        font.append(_element("w:pitch", val=pitch))
        root.append(font)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# -- small oxml helpers -------------------------------------------------------


def _element(tag: str, **attrs: str):
    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el


def _fonts_element(name: str):
    return _element("w:rFonts", ascii=name, eastAsia=name, hAnsi=name, cs=name)


def _insert(parent, child, order: tuple[str, ...]) -> None:
    tag = _prefixed(child.tag)
    parent.insert_element_before(child, *order[order.index(tag) + 1 :])


def _child(parent, tag: str, order: tuple[str, ...]):
    """The ``tag`` child of ``parent``, added in schema order if missing."""
    el = parent.find(qn(tag))
    if el is None:
        el = OxmlElement(tag)
        parent.insert_element_before(el, *order[order.index(tag) + 1 :])
    return el


def _prefixed(clark: str) -> str:
    return "w:" + clark.rsplit("}", 1)[1]

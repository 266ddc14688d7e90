"""Word writer: a :class:`~narrate.document.Document` as ``.docx`` bytes.

The output follows the look of a Chinese official document (GB/T 9704):

* A4 portrait, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm: with
  lines of exactly 28.95 pt, 22 lines fill a page as GB/T 9704 asks.  There is
  no character grid, so a line holds 27 三号 characters, not the standard's 28
  (Word's ``linesAndChars`` grid would squeeze in 28, but LibreOffice then
  gives every character two grid cells).
* Footer: the page number as "— N —" (em dashes U+2014 around a real PAGE
  field), 宋体 四号 (14 pt), centred, about 7 mm below the text block.
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

Deterministic: the same :class:`Document` gives the same bytes on every call
and every run (fixed zip entry dates and attributes, stable entry order, no
created/modified/printed dates in the core properties).

Fast: loading and restyling python-docx's default template is done once per
process (:func:`_template`); each call opens a fresh document from the
prepared bytes, adds the paragraphs and saves.  Only :func:`docx_bytes` is
public; every Word/XML detail stays in this module.
"""

from __future__ import annotations

import io
import re
import zipfile
from functools import lru_cache

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

from ..document import Document

__all__ = ["docx_bytes"]

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

_W_P, _W_PPR, _W_PSTYLE, _W_R, _W_T, _W_TAB, _W_BR, _W_VAL = (
    qn(t) for t in ("w:p", "w:pPr", "w:pStyle", "w:r", "w:t", "w:tab", "w:br", "w:val")
)
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_BREAKS = re.compile("(\r\n|[\t\n\r])")

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


def docx_bytes(document: Document) -> bytes:
    """The document as a .docx file (bytes), identical for identical input."""
    _check_text(document.title, "标题（title）")
    doc = docx.Document(io.BytesIO(_template()))
    doc.core_properties.title = document.title

    style_ids = _style_ids()
    body = doc.element.body
    for i, block in enumerate(document.blocks):
        _check_text(block.text, f"第 {i + 1} 段（blocks[{i}]）")
        if block.kind == "paragraph":
            style_id = None  # Normal, the default paragraph style
        elif block.kind == "heading":
            style_id = style_ids.get(block.level)
            if style_id is None:
                raise ValueError(
                    f"blocks[{i}]：标题级别 {block.level!r} 不在 0–3 之内：{block.text!r}"
                )
        else:
            raise ValueError(f"blocks[{i}]：未知的段落类型 {block.kind!r}")
        _add_paragraph(body, style_id, block.text)
    body.append(body.sectPr)  # the section properties stay the body's last child

    out = io.BytesIO()
    doc.save(out)
    return _stable_zip(out.getvalue())


# -- per call -----------------------------------------------------------------


def _check_text(text: str, where: str) -> None:
    bad = _NOT_XML.search(text)
    if bad:
        raise ValueError(
            f"{where} 含有 Word 文档无法保存的字符 U+{ord(bad.group()):04X}"
            f"（位置 {bad.start()}）：{text!r}"
        )


def _add_paragraph(body, style_id: str | None, text: str) -> None:
    """Append a w:p with the style and the text as one run.

    Plain lxml on python-docx's tree: python-docx's Paragraph.style and
    Run.text look the style up and walk the text a character at a time, which
    made them most of the writing time.  In the text, a tab becomes w:tab and a
    line feed, CR or CR LF a w:br; everything else goes verbatim into w:t.
    """
    p = etree.SubElement(body, _W_P)
    if style_id is not None:
        etree.SubElement(etree.SubElement(p, _W_PPR), _W_PSTYLE, {_W_VAL: style_id})
    if not text:
        return
    r = etree.SubElement(p, _W_R)
    for piece in _BREAKS.split(text):
        if piece == "\t":
            etree.SubElement(r, _W_TAB)
        elif piece in ("\n", "\r", "\r\n"):
            etree.SubElement(r, _W_BR)
        elif piece:
            t = etree.SubElement(r, _W_T)
            t.text = piece
            if piece[0].isspace() or piece[-1].isspace():
                t.set(_XML_SPACE, "preserve")


def _stable_zip(blob: bytes, replace: dict[str, bytes] | None = None) -> bytes:
    """Rewrite a zip with fixed dates and attributes, entries in the same order.

    python-docx stamps every entry with the current time; this makes the bytes
    depend only on the content.  ``replace`` swaps the content of named entries.
    """
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blob)) as src, zipfile.ZipFile(out, "w") as dst:
        for entry in src.infolist():
            data = replace.get(entry.filename)
            if data is None:
                data = src.read(entry)
            info = zipfile.ZipInfo(entry.filename, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            dst.writestr(info, data)
    return out.getvalue()


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


@lru_cache(maxsize=1)
def _style_ids() -> dict[int, str]:
    """Heading level → style id in the template ("Heading1" …)."""
    doc = docx.Document(io.BytesIO(_template()))
    return {level: doc.styles[spec[0]].style_id for level, spec in _HEADINGS.items()}


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

    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.style = doc.styles["Footer"]
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
    compat = settings.find(qn("w:compat"))  # present in python-docx's template
    if compat is not None and compat.find(qn("w:doNotExpandShiftReturn")) is None:
        compat.insert(0, OxmlElement("w:doNotExpandShiftReturn"))  # first in CT_Compat
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

"""narrate's styles: on the template (document defaults, Normal, Heading 1–4, Footer, the font table), and the comment styles."""

from __future__ import annotations

from functools import lru_cache

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from lxml import etree

from .look import (
    BODY_FONT,
    BODY_SIZE,
    COMMENT_FONT,
    COMMENT_REF_STYLE,
    COMMENT_SIZE,
    COMMENT_TEXT_STYLE,
    FONT_TABLE,
    FOOTER_FONT,
    FOOTER_SIZE,
    INDENT_CHARS,
    LINE_PT,
)
from .oxml import PPR_ORDER, RPR_ORDER, child_ordered, insert_ordered, w_element, w_fonts

_LINE = Pt(LINE_PT)
_INDENT = Pt(2 * BODY_SIZE)  # 2 characters = 640 twips


# Styles kept from python-docx's template (the rest are table/list styles and
# their linked character styles, which only make every open slower).
_KEEP_STYLES = frozenset(
    {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "Footer"}
    | {f"Heading{n}" for n in range(1, 5)}
)


def set_defaults(doc) -> None:
    """w:docDefaults: the body font in every slot, 三号, language zh-CN."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rPr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for child in list(rPr):
        rPr.remove(child)
    rPr.append(w_fonts(BODY_FONT))
    rPr.append(w_element("w:sz", val=str(2 * BODY_SIZE)))
    rPr.append(w_element("w:szCs", val=str(2 * BODY_SIZE)))
    rPr.append(w_element("w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"))

    pPr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    for child in list(pPr):
        pPr.remove(child)
    pPr.append(w_element("w:spacing", after="0", line="240", lineRule="auto"))


def set_body_style(style) -> None:
    _set_font(style, BODY_FONT, BODY_SIZE, bold=None)
    _set_paragraph(style, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    style.paragraph_format.widow_control = True


def set_heading_style(style, font: str, size: int, bold: bool, part_title: bool) -> None:
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
    child_ordered(style.element.get_or_add_pPr(), "w:outlineLvl", PPR_ORDER).set(qn("w:val"), str(level))
    style.hidden = False
    style.unhide_when_used = False
    style.quick_style = True


def set_footer_style(style) -> None:
    _set_font(style, FOOTER_FONT, FOOTER_SIZE, bold=None)
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
    child_ordered(pPr, "w:ind", PPR_ORDER).set(qn("w:firstLineChars"), "0")


def _set_font(style, name: str, size: int, bold: bool | None) -> None:
    """Explicit font in every slot and size; no theme fonts, colour or italics.

    Without a w:color the text is "automatic", i.e. black on the white page.
    """
    font = style.font
    font.size = Pt(size)
    child_ordered(style.element.get_or_add_rPr(), "w:szCs", RPR_ORDER).set(qn("w:val"), str(2 * size))
    if bold is not None:
        font.bold = bold
        font.cs_bold = bold
    font.italic = None
    font.cs_italic = None
    font.color.rgb = None
    rPr = style.element.get_or_add_rPr()
    old = rPr.find(qn("w:rFonts"))
    new = w_fonts(name)
    if old is None:
        insert_ordered(rPr, new, RPR_ORDER)
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
    ind = child_ordered(style.element.get_or_add_pPr(), "w:ind", PPR_ORDER)
    ind.set(qn("w:firstLineChars"), INDENT_CHARS if indent else "0")
    ind.set(qn("w:leftChars"), "0")


def prune_styles(doc) -> None:
    root = doc.styles.element
    for style in root.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in _KEEP_STYLES:
            root.remove(style)
    for style in root.findall(qn("w:style")):
        for ref in ("w:link", "w:next", "w:basedOn"):
            el = style.find(qn(ref))
            if el is not None and el.get(qn("w:val")) not in _KEEP_STYLES:
                style.remove(el)


def font_table(xml: bytes) -> bytes:
    """word/fontTable.xml with the Chinese fonts and their substitution hints."""
    root = parse_xml(xml)
    present = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, alt, family, pitch in FONT_TABLE:
        if name in present:
            continue
        font = w_element("w:font", name=name)
        font.append(w_element("w:altName", val=alt))
        font.append(w_element("w:charset", val="86"))
        font.append(w_element("w:family", val=family))
        font.append(w_element("w:pitch", val=pitch))
        root.append(font)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


@lru_cache(maxsize=1)
def comment_styles() -> tuple:
    """w:style elements for comment text (宋体 五号, plain lines) and comment marks."""
    font = COMMENT_FONT
    size = str(COMMENT_SIZE)
    xml = (
        f'<w:styles {nsdecls("w")}>'
        f'<w:style w:type="paragraph" w:styleId="{COMMENT_TEXT_STYLE}">'
        '<w:name w:val="annotation text"/><w:basedOn w:val="Normal"/>'
        '<w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
        '<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
        '<w:ind w:left="0" w:leftChars="0" w:firstLine="0" w:firstLineChars="0"/>'
        '<w:jc w:val="left"/></w:pPr>'
        f'<w:rPr><w:rFonts w:ascii="{font}" w:eastAsia="{font}" w:hAnsi="{font}" w:cs="{font}"/>'
        f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'
        "</w:style>"
        f'<w:style w:type="character" w:styleId="{COMMENT_REF_STYLE}">'
        '<w:name w:val="annotation reference"/><w:basedOn w:val="DefaultParagraphFont"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>'
        '<w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr>'
        "</w:style>"
        "</w:styles>"
    )
    return tuple(parse_xml(xml))

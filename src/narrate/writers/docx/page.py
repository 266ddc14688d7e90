"""Page setup: A4 and GB/T 9704 margins, the line grid, the “— N —” page-number footers, core properties, settings."""

from __future__ import annotations

from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from .look import EM_DASH, FOOTER_SIZE
from .oxml import PPR_ORDER, child_ordered, w_element

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def set_section(doc) -> None:
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
    ind = child_ordered(paragraph._p.get_or_add_pPr(), "w:ind", PPR_ORDER)
    ind.set(qn(f"w:{side}"), str(FOOTER_SIZE * 20))  # one 四号 character: 280 twips
    ind.set(qn(f"w:{side}Chars"), "100")  # Word goes by this one (1/100 character)
    paragraph.add_run(EM_DASH + " ")
    paragraph.add_run().element.append(w_element("w:fldChar", fldCharType="begin"))
    instr = w_element("w:instrText")
    instr.set(_XML_SPACE, "preserve")
    instr.text = " PAGE "
    paragraph.add_run().element.append(instr)
    paragraph.add_run().element.append(w_element("w:fldChar", fldCharType="separate"))
    paragraph.add_run("1")
    paragraph.add_run().element.append(w_element("w:fldChar", fldCharType="end"))
    paragraph.add_run(" " + EM_DASH)


def set_core_properties(doc) -> None:
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


def set_settings(doc) -> None:
    settings = doc.settings.element
    for tag in ("w:savePreviewPicture",):
        for el in settings.findall(qn(tag)):
            settings.remove(el)
    # A justified line that ends in a line break (a "\n" in the text) keeps
    # normal spacing instead of being stretched to the margin.
    no_expand_shift_return(settings)  # w:compat is in python-docx's template
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


def no_expand_shift_return(settings) -> None:
    """A justified line that ends in a line break keeps normal spacing (w:compat)."""
    compat = settings.find(qn("w:compat"))
    if compat is not None and compat.find(qn("w:doNotExpandShiftReturn")) is None:
        compat.insert(0, OxmlElement("w:doNotExpandShiftReturn"))  # first in CT_Compat

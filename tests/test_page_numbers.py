"""Page numbers as GB/T 9704 asks: "— N —", 宋体 四号, odd pages right, even pages left, one character in.

Read from the .docx parts themselves (settings.xml, the section's footer
references, footer*.xml and styles.xml), for the default layout, review mode
and the reference-document path.
"""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from lxml import etree

from narrate.document import Block, Document
from narrate.writers.docx import docx_bytes

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

DOC = Document("页码", (
    Block("heading", "第三部分 情况说明", 0),
    Block("paragraph", "正文。"),
    Block("heading", "第四部分 名词解释", 0),
    Block("paragraph", "一、财政拨款收入：指单位从同级财政部门取得的财政预算资金。"),
))


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def footers(data: bytes) -> dict[str, etree._Element]:
    """Footer type ("default", "even", …) → the footer part's root, as the section refers to them."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        document = etree.fromstring(z.read("word/document.xml"))
        rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target") for rel in rels.iter(f"{REL}Relationship")}
        sectPr = document.find("w:body/w:sectPr", NS)
        return {
            ref.get(_w("type")): etree.fromstring(z.read("word/" + targets[ref.get(f"{{{R}}}id")]))
            for ref in sectPr.findall("w:footerReference", NS)
        }


def settings(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("word/settings.xml"))


def number_paragraph(footer) -> etree._Element:
    (p,) = footer.findall("w:p", NS)
    return p


def check_page_number(p, side: str) -> None:
    """``side`` "right" (odd pages) or "left" (even pages)."""
    assert p.find("w:pPr/w:pStyle", NS).get(_w("val")) == "Footer"
    assert p.find("w:pPr/w:jc", NS).get(_w("val")) == side
    ind = p.find("w:pPr/w:ind", NS)
    assert ind.get(_w(f"{side}Chars")) == "100"  # 空一字
    assert ind.get(_w(side)) == "280"  # one 四号 character in twips, for readers without *Chars
    other = "left" if side == "right" else "right"
    assert ind.get(_w(other)) is None and ind.get(_w(f"{other}Chars")) is None
    text = "".join(t.text for t in p.iter(_w("t")))
    assert text == "\u2014 1 \u2014"  # "— N —", the N a PAGE field's cached result
    kinds = [f.get(_w("fldCharType")) for f in p.iter(_w("fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    assert "".join(i.text for i in p.iter(_w("instrText"))).strip() == "PAGE"


@pytest.fixture(scope="module", params=[False, True], ids=["plain", "review"])
def data(request) -> bytes:
    return docx_bytes(DOC, review=request.param)


def test_odd_and_even_footers_are_on(data):
    assert settings(data).find("w:evenAndOddHeaders", NS) is not None
    assert set(footers(data)) == {"default", "even"}


def test_odd_pages_number_at_the_right_one_character_in(data):
    check_page_number(number_paragraph(footers(data)["default"]), "right")


def test_even_pages_number_at_the_left_one_character_in(data):
    check_page_number(number_paragraph(footers(data)["even"]), "left")


def test_page_number_font_is_songti_sihao(data):
    word = docx.Document(io.BytesIO(data))
    section = word.sections[0]
    for footer in (section.footer, section.even_page_footer):
        (paragraph,) = footer.paragraphs
        style = paragraph.style
        assert style.name == "Footer"
        assert style.font.size.pt == 14
        fonts = style.element.rPr.find(_w("rFonts"))
        for slot in ("ascii", "hAnsi", "eastAsia"):  # half-width digits and dashes in 宋体 too
            assert fonts.get(_w(slot)) == "宋体"
        for run in paragraph.runs:  # nothing overrides the style's font
            assert run.element.rPr is None


def test_python_docx_sees_both_footers(data):
    word = docx.Document(io.BytesIO(data))
    assert word.settings.odd_and_even_pages_header_footer
    section = word.sections[0]
    assert section.footer.paragraphs[0].text == "\u2014 1 \u2014"
    assert section.even_page_footer.paragraphs[0].text == "\u2014 1 \u2014"


# -- --reference-doc: the reference's own footers and settings, as docs/word.md says ----------


def _reference(even_odd: bool, page_number: bool = True) -> bytes:
    d = docx.Document()
    section = d.sections[0]
    if page_number:
        section.footer.paragraphs[0].text = "第 页（参考）"
    if even_odd:
        d.settings.odd_and_even_pages_header_footer = True
        section.even_page_footer.paragraphs[0].text = "偶数页页脚（参考）"
    d.add_paragraph("参考文档的正文")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def test_reference_doc_footer_is_the_reference_s_own():
    data = docx_bytes(DOC, reference_doc=_reference(even_odd=False))
    assert settings(data).find("w:evenAndOddHeaders", NS) is None
    found = footers(data)
    assert set(found) == {"default"}
    assert "".join(t.text for t in found["default"].iter(_w("t"))) == "第 页（参考）"


def test_reference_doc_with_odd_and_even_footers_keeps_both():
    data = docx_bytes(DOC, reference_doc=_reference(even_odd=True))
    assert settings(data).find("w:evenAndOddHeaders", NS) is not None
    found = footers(data)
    assert "".join(t.text for t in found["even"].iter(_w("t"))) == "偶数页页脚（参考）"
    assert "".join(t.text for t in found["default"].iter(_w("t"))) == "第 页（参考）"


def test_reference_doc_without_section_properties_gets_no_page_number():
    """docs/word.md: the page setup falls back to narrate's, but headers and footers come only from the reference."""
    d = docx.Document(io.BytesIO(_reference(even_odd=False, page_number=False)))
    body = d.element.body
    body.remove(body.sectPr)
    out = io.BytesIO()
    d.save(out)
    data = docx_bytes(DOC, reference_doc=out.getvalue())
    assert footers(data) == {}

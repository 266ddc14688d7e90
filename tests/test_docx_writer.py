"""The Word writer: page, styles, footer, text and determinism of docx_bytes."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from narrate.document import Block, Document, Number
from narrate.facts import Fact, Source
from narrate.writers.docx import docx_bytes

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
THEME_ATTRS = ("asciiTheme", "eastAsiaTheme", "hAnsiTheme", "cstheme")

BLOCKS = (
    Block("heading", "第三部分 情况说明", 0),
    Block("heading", "一、收入支出决算总体情况说明", 1),
    Block(
        "paragraph",
        "2024年度收入总计15,194.61万元，支出总计15,194.61万元。与上年相比，收入总计增加"
        "7,983.28万元，增长110.70%，主要原因是就业补助资金增加。",
    ),
    Block("heading", "（一）一般公共预算财政拨款支出决算总体情况", 2),
    Block("paragraph", "2024年度一般公共预算财政拨款支出15,194.61万元，占本年支出合计的100.00%。"),
    Block("heading", "1、预算绩效管理工作开展情况", 3),
    Block("paragraph", "按照预算绩效管理要求，本单位组织对2024年度一般公共预算项目支出开展绩效自评。"),
    Block("heading", "第四部分 名词解释", 0),
    Block("paragraph", "一、财政拨款收入：指单位从同级财政部门取得的财政预算资金。"),
)
DOC = Document("阳城县人力资源和社会保障局2024年度决算公开", BLOCKS)

HEADING_LOOK = {  # style -> (eastAsia font, size pt, bold, outline level)
    "Heading 1": ("黑体", 22, False, 0),
    "Heading 2": ("黑体", 16, False, 1),
    "Heading 3": ("楷体_GB2312", 16, False, 2),
    "Heading 4": ("仿宋_GB2312", 16, True, 3),
}


@pytest.fixture(scope="module")
def data() -> bytes:
    return docx_bytes(DOC)


@pytest.fixture(scope="module")
def word(data: bytes):
    return docx.Document(io.BytesIO(data))


def part_xml(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name).decode("utf-8")


def style_rfonts(style):
    rPr = style.element.rPr
    return None if rPr is None else rPr.find(qn("w:rFonts"))


# -- page ---------------------------------------------------------------------


def test_a4_page_and_margins(word):
    (section,) = word.sections
    for value, mm in [
        (section.page_width, 210),
        (section.page_height, 297),
        (section.top_margin, 37),
        (section.bottom_margin, 35),
        (section.left_margin, 28),
        (section.right_margin, 26),
    ]:
        assert abs(value.mm - mm) < 0.1


# -- body ---------------------------------------------------------------------


def test_defaults_font_size_and_language(word):
    defaults = word.styles.element.find(qn("w:docDefaults"))
    rPr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rPr.find(qn("w:rFonts"))
    for slot in ("ascii", "hAnsi", "eastAsia"):
        assert fonts.get(qn(f"w:{slot}")) == "仿宋_GB2312"
    assert not any(fonts.get(qn(f"w:{a}")) for a in THEME_ATTRS)
    assert rPr.find(qn("w:sz")).get(qn("w:val")) == "32"
    assert rPr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"


def test_normal_style(word):
    normal = word.styles["Normal"]
    assert normal.font.size == Pt(16)
    assert normal.font.name == "仿宋_GB2312"
    assert style_rfonts(normal).get(qn("w:eastAsia")) == "仿宋_GB2312"
    fmt = normal.paragraph_format
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert 28 <= fmt.line_spacing.pt <= 29
    assert fmt.space_before == 0 and fmt.space_after == 0
    assert fmt.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert fmt.first_line_indent == Pt(32)  # 640 twips
    ind = normal.element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"
    assert ind.get(qn("w:firstLine")) == "640"


def test_body_paragraphs_use_normal(word):
    body = [p for p, b in zip(word.paragraphs, BLOCKS) if b.kind == "paragraph"]
    assert body and all(p.style.name == "Normal" for p in body)


def test_eastasia_font_in_styles_xml(data):
    xml = part_xml(data, "word/styles.xml")
    assert 'w:eastAsia="仿宋_GB2312"' in xml
    assert 'w:eastAsia="zh-CN"' in xml


# -- headings -----------------------------------------------------------------


def test_heading_paragraph_styles(word):
    expected = [f"Heading {b.level + 1}" for b in BLOCKS if b.kind == "heading"]
    got = [p.style.name for p, b in zip(word.paragraphs, BLOCKS) if b.kind == "heading"]
    assert got == expected


@pytest.mark.parametrize("name", list(HEADING_LOOK))
def test_heading_style_look(word, name):
    font_name, size, bold, outline = HEADING_LOOK[name]
    style = word.styles[name]
    fonts = style_rfonts(style)
    for slot in ("ascii", "hAnsi", "eastAsia"):
        assert fonts.get(qn(f"w:{slot}")) == font_name
    assert not any(fonts.get(qn(f"w:{a}")) for a in THEME_ATTRS)
    assert style.font.size == Pt(size)
    assert bool(style.font.bold) is bold
    assert not style.font.italic
    color = style.element.rPr.find(qn("w:color"))
    assert color is None or (
        color.get(qn("w:val")) == "000000" and color.get(qn("w:themeColor")) is None
    )

    pPr = style.element.pPr
    assert pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == str(outline)
    fmt = style.paragraph_format
    assert fmt.keep_with_next
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert 28 <= fmt.line_spacing.pt <= 29
    ind = pPr.find(qn("w:ind"))
    if name == "Heading 1":
        assert fmt.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert fmt.first_line_indent == 0
        assert ind.get(qn("w:firstLineChars")) == "0"
    else:
        assert fmt.first_line_indent == Pt(32)
        assert ind.get(qn("w:firstLineChars")) == "200"


def test_no_theme_fonts_or_theme_colours_left_in_styles(data):
    xml = part_xml(data, "word/styles.xml")
    for attr in THEME_ATTRS + ("themeColor",):
        assert f"w:{attr}=" not in xml


# -- footer -------------------------------------------------------------------


def test_footer_page_number(word):
    footer = word.sections[0].footer
    assert not footer.is_linked_to_previous
    (paragraph,) = footer.paragraphs
    element = paragraph._p
    kinds = [f.get(qn("w:fldCharType")) for f in element.iter(f"{W}fldChar")]
    assert kinds == ["begin", "separate", "end"]
    instr = "".join(i.text for i in element.iter(f"{W}instrText"))
    assert instr.strip() == "PAGE"
    text = paragraph.text
    assert text.startswith("\u2014 ") and text.endswith(" \u2014")
    style = paragraph.style
    # odd pages (the default footer): at the right; even pages: see test_page_numbers.py
    assert paragraph.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert style.font.size == Pt(14)
    assert style_rfonts(style).get(qn("w:eastAsia")) == "宋体"
    assert not style.paragraph_format.first_line_indent


# -- text ---------------------------------------------------------------------


def test_texts_come_back_in_order(word):
    assert [p.text for p in word.paragraphs] == DOC.paragraphs()


def test_text_is_stored_verbatim():
    texts = [
        "  前后有空格  ",
        "<b>&amp; {x} **粗** $1 %s \\n",
        "全角　空格、emoji 😀、U+00A0\u00a0、零宽\u200b",
    ]
    doc = Document("", tuple(Block("paragraph", t) for t in texts))
    word = docx.Document(io.BytesIO(docx_bytes(doc)))
    assert [p.text for p in word.paragraphs] == texts


def test_tab_and_line_breaks():
    doc = Document("", (Block("paragraph", "甲\t乙\n丙\r\n丁"),))
    word = docx.Document(io.BytesIO(docx_bytes(doc)))
    (p,) = word.paragraphs
    assert p.text == "甲\t乙\n丙\n丁"
    assert len(p._p.findall(f".//{W}br")) == 2
    assert "<w:doNotExpandShiftReturn/>" in part_xml(docx_bytes(doc), "word/settings.xml")


def test_empty_document():
    word = docx.Document(io.BytesIO(docx_bytes(Document("", ()))))
    assert word.paragraphs == []
    assert abs(word.sections[0].page_width.mm - 210) < 0.1


@pytest.mark.parametrize("bad", ["\x00", "\x0b", "\x1f", "\ud800", "\uffff"])
def test_text_that_xml_cannot_hold_is_refused(bad):
    doc = Document("t", (Block("paragraph", "正常"), Block("paragraph", f"坏{bad}字")))
    with pytest.raises(ValueError, match=r"blocks\[1\]"):
        docx_bytes(doc)


def test_unknown_heading_level_is_refused():
    with pytest.raises(ValueError, match="标题级别"):
        docx_bytes(Document("t", (Block("heading", "（五）", 4),)))


# -- package ------------------------------------------------------------------


def test_core_properties(word):
    props = word.core_properties
    assert props.title == DOC.title
    assert props.language == "zh-CN"
    assert props.created is None and props.modified is None and props.last_printed is None


def test_zip_entries_have_fixed_dates(data):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        infos = z.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(2000, 1, 1, 0, 0, 0)}


def test_same_document_same_bytes(data):
    again = docx_bytes(Document(DOC.title, tuple(BLOCKS)))
    assert again == data
    assert docx_bytes(DOC) == data


def test_same_bytes_in_a_fresh_process(data):
    """Bytes do not depend on the process (time, hash seed, cached state)."""
    code = (
        "import hashlib, sys\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "from test_docx_writer import DOC\n"
        "from narrate.writers.docx import docx_bytes\n"
        "print(hashlib.sha256(docx_bytes(DOC)).hexdigest())\n"
    )
    here = Path(__file__).resolve().parent
    env = dict(os.environ, PYTHONHASHSEED="12345")
    src = str(here.parent / "src")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
    out = subprocess.run(
        [sys.executable, "-c", code, str(here)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == hashlib.sha256(data).hexdigest()


def test_different_titles_differ_only_in_core_properties():
    a = docx_bytes(Document("甲", BLOCKS))
    b = docx_bytes(Document("乙", BLOCKS))
    assert a != b
    assert part_xml(a, "word/document.xml") == part_xml(b, "word/document.xml")


# -- review mode --------------------------------------------------------------


def number(text: str, block_text: str, fact: Fact, occurrence: int = 0) -> Number:
    start = -1
    for _ in range(occurrence + 1):
        start = block_text.index(text, start + 1)
    return Number(text, start, start + len(text), fact)


GIVEN = Fact("a", "收入总计", Decimal("15194.61"), "amount", "", (Source("公开01表", "收入总计", "金额"),))
RATE = Fact(
    "b",
    "收入总计增长率",
    Decimal("110.70"),
    "rate",
    "|15,194.61 − 7,211.33| ÷ 7,211.33 × 100",
    (Source("公开01表", "收入总计", "金额"), Source("上年决算数")),
)
BARE = Fact("c", "项目个数", Decimal(3), "count")


def review_doc() -> Document:
    heading = "一、15,194.61万元"
    body = "15,194.61\t增长 110.70% 与\n3"
    return Document(
        "t",
        (
            Block("heading", heading, 1, (number("15,194.61", heading, GIVEN),)),
            Block(
                "paragraph",
                body,
                numbers=(
                    number("15,194.61", body, GIVEN),
                    number("110.70%", body, RATE),
                    number("3", body, BARE, occurrence=0),
                ),
            ),
            Block("paragraph", "没有数字的段落"),
        ),
    )


def comments_of(data: bytes) -> list[str]:
    root = docx.Document(io.BytesIO(data))
    return [c.text for c in root.comments]


def test_review_keeps_text_and_styles():
    doc = review_doc()
    data = docx_bytes(doc, review=True)
    word = docx.Document(io.BytesIO(data))
    assert [p.text for p in word.paragraphs] == [b.text.replace("\r\n", "\n") for b in doc.blocks]
    assert [p.style.name for p in word.paragraphs] == ["Heading 2", "Normal", "Normal"]
    assert len(word.paragraphs[2].runs) == 1  # no numbers: one run, as without review


def test_review_heading_and_edges_get_comments():
    """Numbers at the very start and end of a text, in a heading, next to a tab."""
    data = docx_bytes(review_doc(), review=True)
    assert comments_of(data) == [
        "收入总计\n取数：照表列示\n来源：公开01表 收入总计 金额",
        "收入总计\n取数：照表列示\n来源：公开01表 收入总计 金额",
        "收入总计增长率\n计算：|15,194.61 − 7,211.33| ÷ 7,211.33 × 100\n来源：公开01表 收入总计 金额；上年决算数",
        "项目个数\n取数：照表列示\n来源：未注明",
    ]
    xml = part_xml(data, "word/document.xml")
    assert xml.count("<w:commentRangeStart") == xml.count("<w:commentRangeEnd") == 4
    assert xml.count("<w:commentReference") == 4
    # text between numbers keeps its spaces, tab and line break
    assert '<w:t xml:space="preserve">增长 </w:t>' in xml
    assert '<w:r><w:tab/><w:t xml:space="preserve">增长 </w:t></w:r>' in xml
    assert '<w:r><w:t xml:space="preserve"> 与</w:t><w:br/></w:r>' in xml


def test_review_number_run_holds_only_the_number():
    data = docx_bytes(review_doc(), review=True)
    body = docx.Document(io.BytesIO(data)).element.body
    for start in body.iter(f"{W}commentRangeStart"):
        run = start.getnext()
        assert run.tag == f"{W}r"
        assert run.getnext().tag == f"{W}commentRangeEnd"
        assert run.getnext().get(qn("w:id")) == start.get(qn("w:id"))


def test_review_comments_part_is_deterministic():
    a = docx_bytes(review_doc(), review=True)
    assert docx_bytes(review_doc(), review=True) == a
    assert "w:date" not in part_xml(a, "word/comments.xml")


def test_review_without_numbers_has_no_comments_but_same_text():
    data = docx_bytes(DOC, review=True)
    word = docx.Document(io.BytesIO(data))
    assert [p.text for p in word.paragraphs] == DOC.paragraphs()
    assert len(word.comments) == 0


@pytest.mark.parametrize(
    "spans",
    [
        [(0, 3, "abc")],  # text does not match the block
        [(5, 9, "数字")],  # past the end
        [(2, 4, "34"), (1, 3, "23")],  # out of order / overlapping
        [(2, 2, "")],  # empty
    ],
)
def test_review_refuses_numbers_that_do_not_fit(spans):
    text = "1234五"
    numbers = tuple(Number(t, a, b, GIVEN) for a, b, t in spans)
    doc = Document("t", (Block("paragraph", "正常"), Block("paragraph", text, numbers=numbers)))
    docx_bytes(doc)  # without review the spans are not used
    with pytest.raises(ValueError, match=r"blocks\[1\]"):
        docx_bytes(doc, review=True)


def test_review_refuses_comment_text_that_xml_cannot_hold():
    bad = Fact("x", "坏\x01标签", Decimal(1), "count", "", (Source("表"),))
    doc = Document("t", (Block("paragraph", "1个", numbers=(Number("1", 0, 1, bad),)),))
    with pytest.raises(ValueError, match=r"blocks\[0\].*批注"):
        docx_bytes(doc, review=True)


def test_plain_fast_path_equals_the_general_path(example_document):
    """The plain writer assembles the package directly; it must give the very bytes python-docx's path gives."""
    import io as _io

    import docx as _docx

    from narrate.writers.docx import docx_bytes
    from narrate.writers.docx.package import save_stable
    from narrate.writers.docx.paragraphs import paragraph_elements
    from narrate.writers.docx.style_ids import styles_in
    from narrate.writers.docx.template import template

    doc = _docx.Document(_io.BytesIO(template()))
    styles = styles_in(doc, False, user=False)
    doc.core_properties.title = example_document.title
    body = doc.element.body
    body.extend(paragraph_elements(enumerate(example_document.blocks), styles, None))
    body.append(body.sectPr)
    assert docx_bytes(example_document) == save_stable(doc)


def test_shipped_plain_package_is_a_fresh_build():
    """writers/docx/plain-package.zip (the template taken apart, so a plain render needs no python-docx)
    is what build_package() makes today: after changing the Word look run `python -m narrate.writers.docx.plain`."""
    from narrate.writers.docx.plain import PREBUILT, build_package, package_from_bytes

    assert package_from_bytes(PREBUILT.read_bytes()) == build_package()

"""--reference-doc: page setup, headers/footers and styles from the user's own Word file."""

from __future__ import annotations

import base64
import io
import zipfile

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from narrate.cli import main
from narrate.writers import to_bytes, write
from narrate.writers.docx import WordFileError, docx_bytes

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REF_BODY = "参考文档自己的正文，不应出现在输出中"
REF_CELL = "参考文档里的表格"
# a 1×1 PNG, to see that the reference document's pictures are left out
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def reference(drop: tuple[str, ...] = (), style_ids: dict[str, str] | None = None) -> bytes:
    """A user's style document: 宋体 12pt body, 方正小标宋 18pt Heading 2, 25.4 mm margins, a header.

    ``drop`` removes styles by name; ``style_ids`` renames style ids (as Chinese Word does).
    """
    d = docx.Document()
    normal = d.styles["Normal"]
    normal.font.name = "宋体"
    normal.font.size = Pt(12)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    h2 = d.styles["Heading 2"]
    h2.font.name = "方正小标宋简体"
    h2.font.size = Pt(18)
    h2.element.rPr.rFonts.set(qn("w:eastAsia"), "方正小标宋简体")
    section = d.sections[0]
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Mm(25.4))
    section.header.paragraphs[0].text = "内部资料"
    d.add_paragraph(REF_BODY)
    d.add_table(rows=1, cols=2).cell(0, 0).text = REF_CELL
    d.add_picture(io.BytesIO(PNG))
    d.add_comment(d.paragraphs[0].runs, text="参考文档的批注", author="某人")
    styles = d.styles.element
    for name in drop:
        styles.remove(d.styles[name].element)
    for old, new in (style_ids or {}).items():
        for el in styles.iter():
            for attr in (qn("w:styleId"), qn("w:val")):
                if el.get(attr) == old and (attr == qn("w:styleId") or el.tag != qn("w:name")):
                    el.set(attr, new)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def ref_bytes() -> bytes:
    return reference()


@pytest.fixture(scope="module")
def styled(example_document, ref_bytes) -> bytes:
    return docx_bytes(example_document, reference_doc=ref_bytes)


@pytest.fixture(scope="module")
def word(styled):
    return docx.Document(io.BytesIO(styled))


def package_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))


def test_margins_from_reference(word):
    (section,) = word.sections
    for value in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin):
        assert abs(value.mm - 25.4) < 0.1


def test_normal_font_from_reference(word):
    normal = word.styles["Normal"]
    assert normal.font.name == "宋体"
    assert normal.font.size == Pt(12)
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"


def test_heading_font_from_reference(word):
    h2 = word.styles["Heading 2"]
    assert h2.font.name == "方正小标宋简体"
    assert h2.font.size == Pt(18)
    assert h2.element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"


def test_header_from_reference(word):
    assert [p.text for p in word.sections[0].header.paragraphs] == ["内部资料"]


def test_reference_content_left_out(styled, word):
    text = package_text(styled)
    assert REF_BODY not in text and REF_CELL not in text and "参考文档的批注" not in text
    assert word.tables == []
    with zipfile.ZipFile(io.BytesIO(styled)) as z:
        names = z.namelist()
    assert not any(n.startswith("word/media/") for n in names)
    assert not any("thumbnail" in n for n in names)  # a picture of the reference's first page
    assert "word/comments.xml" not in names


def test_same_text_and_styles_as_plain_output(example_document, word):
    plain = docx.Document(io.BytesIO(docx_bytes(example_document)))
    assert [p.text for p in word.paragraphs] == [p.text for p in plain.paragraphs]
    assert [p.style.name for p in word.paragraphs] == [p.style.name for p in plain.paragraphs]
    assert word.core_properties.title == example_document.title
    assert word.core_properties.author == "" and word.core_properties.modified is None


def test_deterministic(example_document, ref_bytes, styled, tmp_path):
    assert docx_bytes(example_document, reference_doc=ref_bytes) == styled
    path = tmp_path / "样式.docx"
    path.write_bytes(ref_bytes)
    assert docx_bytes(example_document, reference_doc=path) == styled
    assert docx_bytes(example_document, reference_doc=str(path)) == styled


def test_missing_styles_fall_back_to_narrate(example_document):
    data = docx_bytes(example_document, reference_doc=reference(drop=("Heading 1", "Heading 3", "Heading 4")))
    word = docx.Document(io.BytesIO(data))
    h1, h3 = word.styles["Heading 1"], word.styles["Heading 3"]
    assert h1.font.name == "黑体" and h1.font.size == Pt(22) and h1.paragraph_format.page_break_before
    assert h3.font.name == "楷体_GB2312" and h3.font.size == Pt(16)
    assert h3.base_style.name == "Normal"
    assert word.styles["Heading 2"].font.name == "方正小标宋简体"  # still the reference's
    assert word.styles["Normal"].font.name == "宋体"
    fonts = package_text(data)
    assert 'w:name="楷体_GB2312"' in fonts  # font table learns the fallback's font


def test_chinese_word_style_ids(example_document):
    """Chinese Word writes style ids "a", "1", "2" …: styles are matched by name, not id."""
    ids = {"Normal": "a", "Heading1": "1", "Heading2": "2", "Heading3": "3", "Heading4": "4"}
    data = docx_bytes(example_document, reference_doc=reference(style_ids=ids))
    word = docx.Document(io.BytesIO(data))
    body = word.element.body
    used = [p.find(f"{W}pPr/{W}pStyle") for p in body.iter(f"{W}p")]
    got = {None if s is None else s.get(qn("w:val")) for s in used}
    assert got == {None, "1", "2", "3", "4"}  # body paragraphs: the default style, no w:pStyle
    assert word.styles["Heading 2"].font.name == "方正小标宋简体"
    assert [word.styles[f"Heading {n}"].style_id for n in range(1, 5)] == ["1", "2", "3", "4"]
    assert word.styles["Normal"].style_id == "a"  # no second Normal or Heading added


def test_review_with_reference(example_document, ref_bytes):
    data = docx_bytes(example_document, review=True, reference_doc=ref_bytes)
    word = docx.Document(io.BytesIO(data))
    assert len(word.comments) == len(example_document.numbers())
    assert [c.author for c in word.comments][:1] == ["narrate"]
    assert word.styles["annotation text"] is not None
    assert docx_bytes(example_document, review=True, reference_doc=ref_bytes) == data


def test_reference_without_section_properties_uses_narrate_page(example_document):
    d = docx.Document()
    d.element.body.remove(d.element.body.sectPr)
    out = io.BytesIO()
    d.save(out)
    word = docx.Document(io.BytesIO(docx_bytes(example_document, reference_doc=out.getvalue())))
    assert abs(word.sections[0].top_margin.mm - 37) < 0.1


def test_word_template_dotx_is_accepted(example_document, ref_bytes):
    src = zipfile.ZipFile(io.BytesIO(ref_bytes))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"template.main+xml")
            dst.writestr(name, data)
    word = docx.Document(io.BytesIO(docx_bytes(example_document, reference_doc=out.getvalue())))
    assert word.styles["Heading 2"].font.name == "方正小标宋简体"


def test_writers_pass_reference_through(example_document, ref_bytes, styled, tmp_path):
    assert to_bytes(example_document, "docx", reference_doc=ref_bytes) == styled
    target = tmp_path / "out.docx"
    write(example_document, target, reference_doc=ref_bytes)
    assert target.read_bytes() == styled


@pytest.mark.parametrize(
    "content, words",
    [
        (None, "不存在"),
        (b"", "zip"),
        (b"plain text, not a zip", "zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".doc"),
        ("zip-without-word", "不是 Word 文档"),
        ("xlsx", "不是 Word 文档"),
        ("broken-xml", "已损坏"),
    ],
)
def test_unusable_reference_files(example_document, ref_bytes, tmp_path, content, words):
    path = tmp_path / "样式.docx"
    if content == "zip-without-word":
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("hello.txt", "hi")
    elif content == "xlsx":
        with zipfile.ZipFile(path, "w") as z, zipfile.ZipFile(io.BytesIO(ref_bytes)) as src:
            for name in src.namelist():
                data = src.read(name)
                if name == "[Content_Types].xml":
                    data = data.replace(
                        b"wordprocessingml.document.main+xml", b"spreadsheetml.sheet.main+xml"
                    )
                z.writestr(name, data)
    elif content == "broken-xml":
        with zipfile.ZipFile(path, "w") as z, zipfile.ZipFile(io.BytesIO(ref_bytes)) as src:
            for name in src.namelist():
                z.writestr(name, b"<w:document" if name == "word/document.xml" else src.read(name))
    elif content is not None:
        path.write_bytes(content)
    with pytest.raises(WordFileError) as info:
        docx_bytes(example_document, reference_doc=path)
    message = str(info.value)
    assert "参考文档" in message and str(path) in message and words in message


# -- command line ---------------------------------------------------------------


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_cli_reference_doc(tmp_path, ref_bytes, styled):
    ref = tmp_path / "样式.docx"
    ref.write_bytes(ref_bytes)
    out = tmp_path / "out.docx"
    result = run("demo", "-o", str(out), "--reference-doc", str(ref))
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == styled


@pytest.mark.parametrize("output", ["out.md", "out.txt", "-"])
def test_cli_reference_doc_needs_word_output(tmp_path, ref_bytes, output):
    ref = tmp_path / "样式.docx"
    ref.write_bytes(ref_bytes)
    target = output if output == "-" else str(tmp_path / output)
    result = run("demo", "-o", target, "--reference-doc", str(ref))
    assert result.exit_code == 2
    assert "docx" in result.output and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == [ref]


@pytest.mark.parametrize("content", [None, b"not a docx"])
def test_cli_bad_reference_doc(tmp_path, content):
    ref = tmp_path / "样式.docx"
    if content is not None:
        ref.write_bytes(content)
    out = tmp_path / "out.docx"
    result = run("demo", "-o", str(out), "--reference-doc", str(ref))
    assert result.exit_code == 2
    assert "参考文档" in result.output and "样式.docx" in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)  # a clean exit, not an exception
    assert not out.exists()

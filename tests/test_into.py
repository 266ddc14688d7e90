"""--into: Parts 3 and 4 inserted into the unit's own Word document, the rest kept."""

from __future__ import annotations

import copy
import io

import docx
import pytest
from click.testing import CliRunner
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

from narrate.cli import main
from narrate.writers.docx import WordFileError
from narrate.writers.docx_into import PlaceholderError, insert_into

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TITLE = "阳城县人力资源和社会保障局2024年度部门决算公开"
MIDDLE = "（以上为第三部分。）"
CLOSING = "第五部分 附件"
TABLE1 = [["项目", "本年", "上年"], ["收入合计", "15,194.61", "7,211.33"]]
TABLE2 = [["附件一", "附件二"]]


def target(*middle: str, heading_styles: bool = True, section_break_after: str | None = None) -> bytes:
    """A unit's disclosure document: title, a table, ``middle`` paragraphs, closing text, a table.

    Default ``middle``: {{情况说明}}, a paragraph, {{名词解释}}.  Header "部门决算公开",
    footer "第 1 页", left margin 30 mm, Heading 2 in 方正小标宋简体.  Without
    ``heading_styles`` the document has no Heading 1–4 styles at all.
    ``section_break_after`` puts a section break in that paragraph.
    """
    middle = middle or ("{{情况说明}}", MIDDLE, "{{名词解释}}")
    d = docx.Document()
    section = d.sections[0]
    section.left_margin = Mm(30)
    section.header.paragraphs[0].text = "部门决算公开"
    section.footer.paragraphs[0].text = "第 1 页"
    h2 = d.styles["Heading 2"]
    h2.font.name = "方正小标宋简体"
    h2.font.size = Pt(18)
    d.add_paragraph(TITLE, style="Title")
    add_table(d, TABLE1)
    for text in middle:
        style = "Heading 1" if text.startswith("第") and "部分" in text and heading_styles else None
        p = d.add_paragraph(text, style=style)
        if text == section_break_after:
            sect = copy.deepcopy(d.element.body.sectPr)
            p._p.get_or_add_pPr().append(sect)
    d.add_paragraph(CLOSING)
    add_table(d, TABLE2)
    if not heading_styles:
        for n in range(1, 10):
            d.styles.element.remove(d.styles[f"Heading {n}"].element)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def add_table(d, rows):
    table = d.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text


def tables_of(word):
    return [[[c.text for c in row.cells] for row in t.rows] for t in word.tables]


def texts(word):
    return [p.text for p in word.paragraphs]


@pytest.fixture(scope="module")
def parts(example_document):
    """(Part 3 texts, Part 4 texts) of the example."""
    texts_ = example_document.paragraphs()
    split = texts_.index("第四部分 名词解释")
    return texts_[:split], texts_[split:]


@pytest.fixture(scope="module")
def target_bytes() -> bytes:
    return target()


@pytest.fixture(scope="module")
def inserted(example_document, target_bytes) -> bytes:
    return insert_into(example_document, target_bytes)


@pytest.fixture(scope="module")
def word(inserted):
    return docx.Document(io.BytesIO(inserted))


# -- the document around the chapter is kept ------------------------------------


def test_parts_land_between_the_right_neighbours(word, parts):
    part3, part4 = parts
    assert len(part3) == 61
    assert texts(word) == [TITLE, *part3, MIDDLE, *part4, CLOSING]


def test_tables_kept(word):
    assert tables_of(word) == [TABLE1, TABLE2]
    body = list(word.element.body)
    tables = [i for i, el in enumerate(body) if el.tag == f"{W}tbl"]
    paragraphs = [el for el in body if el.tag == f"{W}p"]
    assert body[tables[0] - 1] is paragraphs[0]  # title, then the first table
    assert body[tables[1] - 1] is paragraphs[-1]  # closing paragraph, then the second table


def test_placeholders_gone(inserted):
    assert "{{" not in docx.Document(io.BytesIO(inserted)).element.xml


def test_header_footer_and_section_kept(word, target_bytes):
    before = docx.Document(io.BytesIO(target_bytes))
    (section,) = word.sections
    assert [p.text for p in section.header.paragraphs] == ["部门决算公开"]
    assert [p.text for p in section.footer.paragraphs] == ["第 1 页"]
    assert etree.tostring(word.element.body.sectPr) == etree.tostring(before.element.body.sectPr)
    assert abs(section.left_margin.mm - 30) < 0.1
    assert word.element.body[-1].tag == f"{W}sectPr"


def test_target_styles_used_and_kept(word, target_bytes):
    before = docx.Document(io.BytesIO(target_bytes))
    assert etree.tostring(word.styles.element) == etree.tostring(before.styles.element)
    styles = [p.style.name for p in word.paragraphs]
    assert styles[1:3] == ["Heading 1", "Heading 2"]
    assert word.styles["Heading 2"].font.name == "方正小标宋简体"
    assert styles.count("Heading 1") == 2
    body = [p for p, s in zip(word.paragraphs, styles) if s == "Normal"]
    assert len(body) > 40
    assert word.core_properties.title == before.core_properties.title


def test_missing_heading_styles_are_added_from_narrate(example_document):
    data = insert_into(example_document, target(heading_styles=False))
    word = docx.Document(io.BytesIO(data))
    h1, h4 = word.styles["Heading 1"], word.styles["Heading 4"]
    assert h1.font.name == "黑体" and h1.font.size == Pt(22)
    assert h4.font.name == "仿宋_GB2312" and h4.font.bold
    assert word.styles["Normal"].font.name != "仿宋_GB2312"  # the target's own Normal stays
    assert [p.style.name for p in word.paragraphs][1:3] == ["Heading 1", "Heading 2"]


def test_deterministic(example_document, target_bytes, inserted, tmp_path):
    assert insert_into(example_document, target_bytes) == inserted
    path = tmp_path / "公开.docx"
    path.write_bytes(target_bytes)
    assert insert_into(example_document, path) == inserted


# -- where the chapter goes -------------------------------------------------------


@pytest.mark.parametrize("mark", ["{{情况说明及名词解释}}", "{{narrate}}", "{{NARRATE}}"])
def test_one_placeholder_takes_both_parts(example_document, parts, mark):
    word = docx.Document(io.BytesIO(insert_into(example_document, target(mark, MIDDLE))))
    assert texts(word) == [TITLE, *parts[0], *parts[1], MIDDLE, CLOSING]


def test_placeholder_with_spaces_full_width_braces_and_split_runs(example_document, parts):
    data = target("｛｛情况说明｝｝", MIDDLE, "XX")
    d = docx.Document(io.BytesIO(data))
    p = next(p for p in d.paragraphs if p.text == "XX")
    p.text = ""
    for piece in (" {{", "名词", "解释 }} "):
        p.add_run(piece)
    out = io.BytesIO()
    d.save(out)
    word = docx.Document(io.BytesIO(insert_into(example_document, out.getvalue())))
    assert texts(word) == [TITLE, *parts[0], MIDDLE, *parts[1], CLOSING]


def test_placeholders_in_any_order(example_document, parts):
    word = docx.Document(io.BytesIO(insert_into(example_document, target("{{名词解释}}", MIDDLE, "{{情况说明}}"))))
    assert texts(word) == [TITLE, *parts[1], MIDDLE, *parts[0], CLOSING]


def test_section_break_in_placeholder_is_kept(example_document, parts):
    data = target("{{情况说明}}", MIDDLE, "{{名词解释}}", section_break_after="{{情况说明}}")
    before = docx.Document(io.BytesIO(data))
    assert len(before.sections) == 2
    word = docx.Document(io.BytesIO(insert_into(example_document, data)))
    assert len(word.sections) == 2
    last_of_part3 = word.paragraphs[len(parts[0])]
    assert last_of_part3.text == parts[0][-1]
    assert last_of_part3._p.pPr.find(qn("w:sectPr")) is not None


def test_after_heading_does_not_repeat_the_part_heading(example_document, parts):
    data = target("第三部分 情况说明", MIDDLE)
    word = docx.Document(io.BytesIO(insert_into(example_document, data, after_heading="第三部分 情况说明")))
    assert texts(word) == [TITLE, "第三部分 情况说明", *parts[0][1:], *parts[1], MIDDLE, CLOSING]
    assert tables_of(word) == [TABLE1, TABLE2]


def test_after_two_headings(example_document, parts):
    data = target("第三部分  情况说明", MIDDLE, "第四部分 名词解释", "旧的名词解释（用户自行删除）")
    word = docx.Document(io.BytesIO(insert_into(
        example_document, data, after_heading=["第三部分 情况说明", "第四部分 名词解释"]
    )))
    assert texts(word) == [
        TITLE, "第三部分  情况说明", *parts[0][1:], MIDDLE, "第四部分 名词解释", *parts[1][1:],
        "旧的名词解释（用户自行删除）", CLOSING,
    ]


def test_after_heading_prefers_the_heading_over_a_table_of_contents(example_document, parts):
    data = target("目录", "第三部分 情况说明", "第四部分 名词解释", MIDDLE, "第三部分 情况说明")
    d = docx.Document(io.BytesIO(data))
    for p in d.paragraphs[2:4]:  # the contents lines: plain paragraphs
        p.style = d.styles["Normal"]
    out = io.BytesIO()
    d.save(out)
    word = docx.Document(io.BytesIO(insert_into(example_document, out.getvalue(), after_heading="第三部分 情况说明")))
    got = texts(word)
    assert got[:6] == [TITLE, "目录", "第三部分 情况说明", "第四部分 名词解释", MIDDLE, "第三部分 情况说明"]
    assert got[6:] == [*parts[0][1:], *parts[1], CLOSING]


def test_after_heading_that_is_not_there(example_document, target_bytes):
    with pytest.raises(PlaceholderError, match="第三部分 情况说明"):
        insert_into(example_document, target_bytes, after_heading="第三部分 情况说明")


def test_review_comments_continue_after_existing_ones(example_document):
    d = docx.Document(io.BytesIO(target()))
    d.add_comment(d.paragraphs[0].runs, text="单位自己的批注", author="审核人")
    out = io.BytesIO()
    d.save(out)
    word = docx.Document(io.BytesIO(insert_into(example_document, out.getvalue(), review=True)))
    comments = list(word.comments)
    assert len(comments) == 1 + len(example_document.numbers())
    assert comments[0].text == "单位自己的批注"
    assert len({c.comment_id for c in comments}) == len(comments)
    assert word.styles["annotation text"] is not None


# -- errors ----------------------------------------------------------------------


def test_missing_placeholder(example_document, tmp_path):
    path = tmp_path / "公开.docx"
    path.write_bytes(target("{{情况说明}}", MIDDLE))
    with pytest.raises(PlaceholderError) as info:
        insert_into(example_document, path)
    message = str(info.value)
    assert str(path) in message and "{{名词解释}}" in message and "{{情况说明及名词解释}}" in message
    assert isinstance(info.value, ValueError)


def test_placeholder_among_other_text_is_named(example_document):
    with pytest.raises(PlaceholderError, match="见{{情况说明}}"):
        insert_into(example_document, target("见{{情况说明}}", "{{名词解释}}"))


@pytest.mark.parametrize(
    "middle, words",
    [
        (("{{情况说明}}", "{{情况说明}}", "{{名词解释}}"), "出现了 2 次"),
        (("{{narrate}}", "{{名词解释}}"), "只用其中一种"),
    ],
)
def test_ambiguous_placeholders(example_document, middle, words):
    with pytest.raises(PlaceholderError, match=words):
        insert_into(example_document, target(*middle))


def test_placeholder_in_a_table_is_refused(example_document):
    d = docx.Document(io.BytesIO(target("{{名词解释}}")))
    d.tables[0].cell(1, 0).text = "{{情况说明}}"
    out = io.BytesIO()
    d.save(out)
    with pytest.raises(PlaceholderError, match="表格"):
        insert_into(example_document, out.getvalue())


def test_unusable_target(example_document, tmp_path):
    with pytest.raises(WordFileError, match="目标文档 .*不存在"):
        insert_into(example_document, tmp_path / "无.docx")
    bad = tmp_path / "坏.docx"
    bad.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(WordFileError, match="zip"):
        insert_into(example_document, bad)


# -- command line -----------------------------------------------------------------


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_cli_into(tmp_path, target_bytes, inserted):
    report = tmp_path / "公开.docx"
    report.write_bytes(target_bytes)
    out = tmp_path / "out.docx"
    result = run("demo", "--into", str(report), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == inserted
    assert report.read_bytes() == target_bytes


def test_cli_into_same_file_is_refused(tmp_path, target_bytes):
    """The --into document is an input: never overwritten, even though the result would contain it."""
    report = tmp_path / "公开.docx"
    report.write_bytes(target_bytes)
    result = run("demo", "--into", str(report), "-o", str(report))
    assert result.exit_code == 2, result.output
    assert "同一个文件" in result.output
    assert report.read_bytes() == target_bytes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["公开.docx"]  # no temporary file left


def test_cli_render_into_after_heading(tmp_path, example_path, parts):
    report = tmp_path / "公开.docx"
    report.write_bytes(target("第三部分 情况说明", MIDDLE))
    out = tmp_path / "out.docx"
    result = run("render", str(example_path), "--into", str(report), "--after-heading", "第三部分 情况说明",
                 "-o", str(out))
    assert result.exit_code == 0, result.output
    assert texts(docx.Document(str(out))).count("第三部分 情况说明") == 1


@pytest.mark.parametrize(
    "args, words",
    [
        (["--into", "{report}", "-o", "{tmp}/out.md"], "只用于 Word 输出"),
        (["--into", "{report}", "-o", "-"], "docx"),
        (["--after-heading", "第三部分 情况说明", "-o", "{tmp}/out.docx"], "须与 --into 一起使用"),
        (["--into", "{report}", "--reference-doc", "{report}", "-o", "{tmp}/out.docx"], "--reference-doc"),
        (["--into", "{tmp}/无.docx", "-o", "{tmp}/out.docx"], "不存在"),
        (["--into", "{tmp}/坏.docx", "-o", "{tmp}/out.docx"], "不是 Word 文档"),
        (["--into", "{plain}", "-o", "{tmp}/out.docx"], "没有找到占位段落"),
    ],
)
def test_cli_errors(tmp_path, target_bytes, args, words):
    report = tmp_path / "公开.docx"
    report.write_bytes(target_bytes)
    (tmp_path / "坏.docx").write_bytes(b"this is not a zip")
    plain = tmp_path / "无占位.docx"
    plain.write_bytes(target(MIDDLE))
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    filled = [a.format(report=report, tmp=tmp_path, plain=plain) for a in args]
    result = run("demo", *filled)
    assert result.exit_code == 2, result.output
    assert words in result.output and "Traceback" not in result.output
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # nothing written


def test_into_bookmark_in_placeholder_moves_to_first_paragraph(example_document, parts):
    d = docx.Document(io.BytesIO(target()))
    p = next(p for p in d.paragraphs if p.text == "{{情况说明}}")
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), "7")
    start.set(qn("w:name"), "情况说明")
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), "7")
    p._p.insert(0, start)
    p._p.append(end)
    out = io.BytesIO()
    d.save(out)
    word = docx.Document(io.BytesIO(insert_into(example_document, out.getvalue())))
    first = word.paragraphs[1]
    assert first.text == parts[0][0]
    assert first._p.find(qn("w:bookmarkStart")).get(qn("w:name")) == "情况说明"
    assert first._p.find(qn("w:bookmarkEnd")) is not None



def test_custom_placeholders(example_document, parts):
    from narrate.writers.docx_into import Placeholders

    marks = Placeholders(part3=("【第三部分】",), part4=("【第四部分】",), both=())
    word = docx.Document(io.BytesIO(insert_into(example_document, target("【第三部分】", MIDDLE, "【第四部分】"),
                                                placeholders=marks)))
    assert texts(word) == [TITLE, *parts[0], MIDDLE, *parts[1], CLOSING]
    with pytest.raises(PlaceholderError, match="【第四部分】"):
        insert_into(example_document, target("【第三部分】", MIDDLE), placeholders=marks)

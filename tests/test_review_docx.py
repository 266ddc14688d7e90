"""Review mode of the Word writer: a provenance comment (批注) on every printed number."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from lxml import etree

import narrate
from narrate.writers import to_bytes
from narrate.writers.docx import docx_bytes

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def document():
    return narrate.render(narrate.compute(narrate.load(narrate.example_path())))


@pytest.fixture(scope="module")
def review(document) -> bytes:
    return docx_bytes(document, review=True)


@pytest.fixture(scope="module")
def word(review):
    return docx.Document(io.BytesIO(review))


def part(data: bytes, name: str):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


def comment_texts(data: bytes) -> dict[str, str]:
    """Comment id → its text, paragraphs joined by newlines."""
    root = part(data, "word/comments.xml")
    return {
        c.get(f"{W}id"): "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in c.iter(f"{W}p"))
        for c in root.iter(f"{W}comment")
    }


def anchored_texts(data: bytes) -> list[tuple[str, str]]:
    """(comment id, text between its commentRangeStart and commentRangeEnd), in document order."""
    body = part(data, "word/document.xml").find(f"{W}body")
    out: list[tuple[str, str]] = []
    open_ranges: dict[str, list[str]] = {}
    for el in body.iter(f"{W}commentRangeStart", f"{W}commentRangeEnd", f"{W}t"):
        if el.tag == f"{W}commentRangeStart":
            open_ranges[el.get(f"{W}id")] = []
        elif el.tag == f"{W}commentRangeEnd":
            cid = el.get(f"{W}id")
            out.append((cid, "".join(open_ranges.pop(cid))))
        else:
            for pieces in open_ranges.values():
                pieces.append(el.text or "")
    assert not open_ranges
    return out


def test_text_is_the_same_as_without_review(document, word):
    plain = docx.Document(io.BytesIO(docx_bytes(document)))
    assert [p.text for p in word.paragraphs] == [p.text for p in plain.paragraphs]
    assert [p.text for p in word.paragraphs] == document.paragraphs()
    assert [p.style.name for p in word.paragraphs] == [p.style.name for p in plain.paragraphs]


def test_one_comment_per_number(document, word, review):
    count = len(document.numbers())
    assert count > 100
    assert len(word.comments) == count
    assert len(comment_texts(review)) == count


def test_comment_ids_in_document_order(review):
    ids = [cid for cid, _ in anchored_texts(review)]
    assert ids == [str(i) for i in range(len(ids))]
    assert list(comment_texts(review)) == ids
    body = part(review, "word/document.xml")
    refs = [r.get(f"{W}id") for r in body.iter(f"{W}commentReference")]
    assert refs == ids


def test_each_comment_anchors_its_number(document, review):
    anchored = anchored_texts(review)
    assert [text for _, text in anchored] == [n.text for _, n in document.numbers()]


def test_number_is_its_own_run(word):
    p = next(p for p in word.paragraphs if "81.76%" in p.text)
    runs = [r.text for r in p.runs]
    assert "81.76%" in runs and "12,423.32" in runs


def test_comment_text_of_a_share(word, review):
    p = next(p for p in word.paragraphs if "81.76%" in p.text)
    ids = [el.get(f"{W}id") for el in p._p.iter(f"{W}commentRangeStart")]
    texts = comment_texts(review)
    first = texts[ids[0]].splitlines()  # 12,423.32: read as printed from 公开05表
    assert len(first) == 3
    assert first[1] == "取数：照表列示"
    assert first[2].startswith("来源：公开05表")
    (share_id,) = [cid for cid, text in anchored_texts(review) if cid in ids and text == "81.76%"]
    share = texts[share_id]
    assert "12,423.32 ÷ 15,194.61 × 100" in share
    assert "公开05表" in share
    lines = share.splitlines()
    assert lines[1] == "计算：部分 ÷ 合计 × 100% = 12,423.32 ÷ 15,194.61 × 100% = 81.76%"  # as an officer writes it
    assert lines[2] == "来源：公开05表 208 社会保障和就业支出 小计；公开05表 合计 小计"


def test_every_comment_follows_the_fact(document, review):
    texts = comment_texts(review)
    for k, (_, number) in enumerate(document.numbers()):
        fact = number.fact
        lines = texts[str(k)].splitlines()
        assert lines[0] == fact.label
        assert lines[1] == (f"计算：{fact.wording}" if fact.formula else f"取数：{fact.how}")
        assert fact.how in ("照表列示", "表外数据（填报）") or fact.wording
        assert lines[2] == "来源：" + "；".join(str(s) for s in fact.sources)


def test_comment_author_initials_and_no_date(word):
    for comment in word.comments:
        assert comment.author == "narrate"
        assert comment.initials == "N"
        assert comment.timestamp is None


def test_comment_styles_exist(word):
    text = word.styles["annotation text"]
    assert text.style_id == "CommentText"
    assert text.font.size.pt == 10.5
    assert not text.paragraph_format.first_line_indent
    assert word.styles["annotation reference"].style_id == "CommentReference"


def test_two_review_renders_same_bytes(document, review):
    assert docx_bytes(document, review=True) == review


def test_review_false_unchanged(document, review):
    plain = docx_bytes(document)
    assert docx_bytes(document, review=False) == plain
    assert to_bytes(document, "docx") == plain
    assert to_bytes(document, "docx", review=True) == review
    assert review != plain
    with zipfile.ZipFile(io.BytesIO(plain)) as z:
        assert "word/comments.xml" not in z.namelist()
        assert b"CommentText" not in z.read("word/styles.xml")


def test_review_is_ignored_for_text_formats(document):
    for fmt in ("md", "txt"):
        assert to_bytes(document, fmt, review=True) == to_bytes(document, fmt)


def test_write_passes_review_through(document, review, tmp_path):
    target = tmp_path / "review.docx"
    narrate.writers.write(document, target, review=True)
    assert target.read_bytes() == review

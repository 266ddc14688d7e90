"""narrate lint --review: the review .docx, opened again with python-docx, has one comment per finding,
each anchored on exactly the finding's words (the 【】 span of its sentence) in the finding's paragraph."""

from __future__ import annotations

import re
from pathlib import Path

import docx
from docx.oxml.ns import qn

import narrate
from narrate.linting.review import AUTHOR, review_bytes

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = (ROOT / "tests" / "data" / "reference_parts_3_4.txt").read_text(encoding="utf-8")


def _chapter_docx(path: Path, text: str) -> None:
    """The chapter as Word writes it: each paragraph in runs of 5 characters (a span crosses runs)."""
    document = docx.Document()
    for line in text.splitlines():
        if line.strip():
            p = document.add_paragraph()
            for i in range(0, len(line), 5):
                p.add_run(line[i:i + 5])
    document.save(str(path))


def _anchors(path: Path) -> dict[str, tuple[str, str]]:
    """Comment id → (the paragraph's whole text, the text between the comment's range start and end)."""
    anchors = {}
    for p in docx.Document(str(path)).element.body.iter(qn("w:p")):
        whole = "".join(t.text or "" for t in p.iter(qn("w:t")))
        inside: dict[str, list[str]] = {}
        for node in p.iter():
            if node.tag == qn("w:commentRangeStart"):
                inside[node.get(qn("w:id"))] = []
            elif node.tag == qn("w:commentRangeEnd"):
                cid = node.get(qn("w:id"))
                anchors[cid] = (whole, "".join(inside.pop(cid)))
            elif node.tag == qn("w:t"):
                for parts in inside.values():
                    parts.append(node.text or "")
    return anchors


def test_each_comment_is_anchored_on_its_findings_words(tmp_path):
    wrong = (REFERENCE.replace("占比81.76%", "占比81.67%")                       # 占比, in the middle of a run
             .replace("较上年决算增加552.81万元", "较上年决算减少552.81万元")   # 方向: the word, not the number
             .replace("卫生健康支出(类)76.19万元", "卫生健康支出(类)76.91万元")  # 金额
             .replace("六、一般公共预算财政拨款基本支出决算情况说明\n", ""))     # 缺少章节: the whole chapter
    chapter = tmp_path / "情况说明.docx"
    _chapter_docx(chapter, wrong)
    report = narrate.lint(chapter, figures=ROOT / "examples" / "yangcheng-2024.yaml")
    assert {f.category for f in report.findings} >= {"占比", "方向", "金额", "缺少章节", "小数位"}
    out = tmp_path / "审阅.docx"
    out.write_bytes(review_bytes(chapter, report))

    document = docx.Document(str(out))
    comments = list(document.comments)
    assert len(comments) == len(report.findings)
    assert all(c.author == AUTHOR for c in comments)
    anchors = _anchors(out)
    paragraphs = {p.number: p.text for p in narrate.linting.read_chapter(chapter).paragraphs}
    for comment, finding in zip(comments, report.findings):  # added in the report's order
        whole, anchored = anchors[str(comment.comment_id)]
        assert comment.text.startswith(f"[{finding.title}·{finding.category}]")
        if finding.paragraph == 0:  # about the whole chapter: on its first paragraph
            assert whole == paragraphs[1] and anchored == whole
            continue
        assert whole == paragraphs[finding.paragraph]
        (span,) = re.findall(r"【(.*?)】", finding.sentence)
        assert anchored == span == whole[finding.start:finding.end], (finding.describe(), anchored)
        if finding.expected:
            assert f"应为：{finding.expected}" in comment.text
    by_category = {f.category: anchors[str(c.comment_id)][1] for c, f in zip(comments, report.findings)}
    assert by_category["占比"] == "81.67%" and by_category["方向"] == "减少" and by_category["金额"] == "76.91"

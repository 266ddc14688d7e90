"""``narrate lint --review OUT.docx``: the user's own Word file with a comment at each finding.

The document is the user's, unchanged except that the runs around each
finding's span are split so the comment covers exactly the marked words
(Word anchors comments on whole runs).  Offsets count the characters of the
paragraph's w:t elements, as :func:`narrate.linting.read.read_docx` reads them.
Comments are added with python-docx's ``add_comment`` (author "narrate lint");
a finding about the whole chapter (a missing section) is anchored on the
chapter's first paragraph.
"""

from __future__ import annotations

import copy
import io
from pathlib import Path
from typing import Any

from .read import docx_document, read_docx
from .report import Finding, LintReport

AUTHOR = "narrate lint"
INITIALS = "NL"


def _runs(p: Any) -> list[tuple[Any, int, int]]:
    """(w:r, start, end) of every run with text, offsets over the paragraph's w:t text."""
    from docx.oxml.ns import qn

    out = []
    pos = 0
    for r in p.iter(qn("w:r")):
        length = sum(len(t.text or "") for t in r.iter(qn("w:t")))
        out.append((r, pos, pos + length))
        pos += length
    return out


def _split(p: Any, at: int) -> None:
    """Split the run holding offset ``at`` so that a run starts exactly there (single-w:t runs only)."""
    from docx.oxml.ns import qn

    for r, a, b in _runs(p):
        if a < at < b:
            texts = list(r.iter(qn("w:t")))
            if len(texts) != 1 or r.getparent() is None:
                return
            second = copy.deepcopy(r)
            t1, t2 = texts[0], next(second.iter(qn("w:t")))
            t1.text, t2.text = t1.text[:at - a], t1.text[at - a:]
            for t in (t1, t2):
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            r.addnext(second)
            return


def _comment_lines(f: Finding) -> list[str]:
    lines = [f"[{f.title}·{f.category}] {f.message}"]
    if f.found or f.expected:
        lines.append(f"实际：{f.found or '（无）'}；应为：{f.expected or '（无）'}")
    if f.formula:
        lines.append(f"计算：{f.formula}")
    if f.sources:
        lines.append(f"来源：{'；'.join(f.sources)}")
    return lines


def review_bytes(path: str | Path, report: LintReport) -> bytes:
    """The Word file at ``path`` with a comment at each of the report's findings."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

    path = Path(path)
    chapter = read_docx(path)
    document = docx_document(path)
    body_ps = list(document.element.body.iterchildren(qn("w:p")))
    for f in report.findings:
        number = f.paragraph if f.paragraph else 1
        if not chapter.paragraphs or number > len(chapter.paragraphs):
            continue
        p = body_ps[chapter.paragraphs[number - 1].origin]
        if f.start >= 0:
            _split(p, f.start)
            _split(p, f.end)
            runs = [r for r, a, b in _runs(p) if a >= f.start and b <= f.end and b > a]
            if not runs:
                runs = [r for r, a, b in _runs(p) if a < f.end and b > f.start]
        else:
            runs = [r for r, a, b in _runs(p) if b > a]
        if not runs:
            continue
        paragraph = Paragraph(p, document._body)
        lines = _comment_lines(f)
        comment = document.add_comment([Run(runs[0], paragraph), Run(runs[-1], paragraph)],
                                       text=lines[0], author=AUTHOR, initials=INITIALS)
        for line in lines[1:]:
            comment.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()

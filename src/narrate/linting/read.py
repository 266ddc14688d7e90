"""A chapter's text → paragraphs with their section headings.

Reads plain text (.txt), Markdown (.md), Word (.docx, body paragraphs in order,
tables skipped) and text-based PDF (:mod:`narrate.linting.pdf`).  A heading is a
Word heading style, a Markdown ``#`` line, or a short line numbered like the
chapter's headings (第三部分 …, 一、…, （一）…, 1、…) holding no amount and no
sentence punctuation; everything else is a body paragraph.

When the text holds a whole disclosure (a table of contents, Parts 1–5), only
the chapter is kept: from the last paragraph starting "第三部分" up to
"第五部分" (or the end).  Paragraphs are numbered from 1 over the chapter's
non-empty paragraphs, headings included — for narrate's own output that is
the block index + 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import FiguresError, Problem

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
WORD_SUFFIXES = (".docx", ".docm")
PDF_SUFFIXES = (".pdf",)
SUFFIXES = TEXT_SUFFIXES + WORD_SUFFIXES + PDF_SUFFIXES

CN = "一二三四五六七八九十"
_NUMBERING = (
    (0, re.compile(rf"^第[{CN}]+部分")),
    (1, re.compile(rf"^[{CN}]+[、.．]")),
    (2, re.compile(rf"^[（(][{CN}]+[）)]")),
    (3, re.compile(r"^\d{1,2}[、.．](?!\d)")),
)
_SENTENCE_MARKS = re.compile(r"[，；：:,;]|。.|\d[\d,.]*\s*(?:万元|万|%|％)")
_PAGE_NUMBER = re.compile(r"[\t .…·]+\d+$")  # "第三部分 情况说明\t20" in a table of contents


@dataclass
class Paragraph:
    """One non-empty paragraph of the chapter."""

    number: int
    """1-based over the chapter's paragraphs, headings included."""
    text: str
    heading: bool = False
    level: int = 0
    section: str = ""
    """The title of the innermost heading above (or of this heading), as printed."""
    origin: int = -1
    """Where it came from: the index of the paragraph in the source (Word: body paragraph index)."""


@dataclass
class Chapter:
    source: str
    paragraphs: list[Paragraph]
    kind: str = "text"
    """"text", "markdown", "word" or "pdf"."""
    has_tables: bool = False
    """A Word/PDF file that also holds tables (a whole disclosure)."""
    grid: Any = None
    """PDF only: the body's rows (lines and table rows) and their origins, for the table reader."""


def heading_level(text: str) -> int | None:
    """The level of a numbered heading line (0 第三部分, 1 一、, 2 （一）, 3 1、), or None for body text."""
    text = text.strip()
    if not text or len(text) > 48:
        return None
    for level, pattern in _NUMBERING:
        if pattern.match(text):
            if level == 0:
                return 0
            body = text[:-1] if text.endswith("。") else text
            if _SENTENCE_MARKS.search(body):
                return None
            return level
    return None


def title_of(text: str) -> str:
    """A heading without its numbering: "（一）机关运行经费支出情况说明" → "机关运行经费支出情况说明"."""
    text = _PAGE_NUMBER.sub("", text.strip())
    for _, pattern in _NUMBERING[1:]:
        m = pattern.match(text)
        if m:
            return text[m.end():].strip()
    return text


def section_key(title: str) -> str:
    """A heading title compared loosely: no numbering, quotes, brackets, spaces or final "。"."""
    title = re.sub(r"^第[一二三四五六七八九十]+部分\s*", "", title_of(title))
    return re.sub(r"[“”\"'‘’（）()\s。.、]", "", title)


@lru_cache(maxsize=1)
def known_titles() -> frozenset[str]:
    """The section titles of the bundled profiles (keys as :func:`section_key` makes them): a
    paragraph reading exactly like one is a heading even without its number (Word's automatic
    numbering keeps "一、" out of the text)."""
    from ..rendering import bundled_profiles, load_profile

    keys: set[str] = set()

    def walk(section: Any) -> None:
        if "{{" not in section.title:
            keys.add(section_key(section.title))
        for child in section.sections:
            walk(child)

    for name in bundled_profiles():
        for part in load_profile(name).parts:
            walk(part)
    return frozenset(k for k in keys if len(k) >= 4)


def _chapter_only(lines: list[tuple[str, bool | None, int]]) -> list[tuple[str, bool | None, int]]:
    starts = [i for i, (text, _, _) in enumerate(lines)
              if text.startswith("第三部分") and not _PAGE_NUMBER.search(text)]
    if not starts:
        return lines
    start = starts[-1]
    end = next((i for i in range(start + 1, len(lines)) if re.match(r"^第[五六七八九]部分", lines[i][0])), len(lines))
    return lines[start:end]


def paragraphs_from(lines: list[tuple[str, bool | None, int]], source: str = "<文字>") -> list[Paragraph]:
    """(text, is_heading or None to guess, origin) → numbered paragraphs with their sections.

    Refuses a chapter longer than ``NARRATE_MAX_LINT_CHARS`` (a real one has some 20,000 characters)."""
    from ..limits import LIMITS

    out: list[Paragraph] = []
    section = ""
    chapter = _chapter_only([(t.strip(), h, o) for t, h, o in lines if t.strip()])
    size = sum(len(t) for t, _, _ in chapter)
    if size > LIMITS.max_lint_chars:
        raise FiguresError(source, [Problem(
            f"情况说明过长（{size} 个字符，上限 {LIMITS.max_lint_chars}）",
            expected="真实的情况说明只有几万字；确需更长时设置环境变量 NARRATE_MAX_LINT_CHARS")])
    for text, marked, origin in chapter:
        level = heading_level(text)
        if level is None and marked is None and len(text) <= 48 and section_key(text) in known_titles():
            level, marked = 1, True
        heading = level is not None if marked is None else (marked or level == 0)
        if heading:
            section = title_of(text)
        out.append(Paragraph(len(out) + 1, text, heading, level or 0, section, origin))
    return out


def read_text(text: str, source: str = "<文字>", markdown: bool = False) -> Chapter:
    """Paragraphs of a text: one per line (blank lines are ignored)."""
    lines: list[tuple[str, bool | None, int]] = []
    for i, line in enumerate(text.splitlines()):
        marked: bool | None = None
        if markdown:
            m = re.match(r"^\s*#{1,6}\s+(.*)$", line)
            if m:
                line, marked = m[1], True
            line = re.sub(r"\\([\\`*_\[\]<>|#+\-=.])", r"\1", line)
            line = re.sub(r"^\s*(?:[-*+]\s+|>\s*)", "", line)
        lines.append((line.replace("\u3000", " "), marked, i))
    return Chapter(source, paragraphs_from(lines, source), "markdown" if markdown else "text")


def docx_document(path: Path):  # type: ignore[no-untyped-def]
    """python-docx's Document of ``path``, or a FiguresError naming the file."""
    from ..limits import check_zip_package

    check_zip_package(path, ".docx")
    try:
        import docx

        return docx.Document(str(path))
    except Exception as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise FiguresError(str(path), [Problem(f"无法读取 Word 文档：{detail}",
                                               expected=".docx 格式的 Word 文档（.doc 请先另存为 .docx）")]) from None


def read_docx(path: Path) -> Chapter:
    """Body paragraphs of a Word document in order (tables are skipped; ``origin`` is the
    index among the body's w:p elements, as :mod:`narrate.linting.review` finds them again)."""
    from docx.oxml.ns import qn

    document = docx_document(path)
    body = document.element.body
    lines: list[tuple[str, bool | None, int]] = []
    tables = 0
    styles = {s.style_id: (s.name or "") for s in document.styles}
    for index, p in enumerate(body.iterchildren(qn("w:p"))):
        text = "".join(node.text or "" for node in p.iter(qn("w:t")))
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        name = styles.get(style.get(qn("w:val")), "") if style is not None else ""
        marked = True if re.match(r"^(Heading|标题)\s*\d", name) or name == "Title" else None
        lines.append((text, marked, index))
    tables = len(list(body.iterchildren(qn("w:tbl"))))
    chapter = Chapter(str(path), paragraphs_from(lines, str(path)), "word", has_tables=tables > 0)
    return chapter

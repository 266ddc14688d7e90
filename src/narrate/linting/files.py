"""A chapter (or a whole disclosure) from a file: picks the reader by suffix — Word and text
(:mod:`narrate.linting.read`) or PDF (:mod:`narrate.linting.pdf`)."""

from __future__ import annotations

from pathlib import Path

from ..errors import FiguresError, Problem
from .pdf import read_pdf
from .read import PDF_SUFFIXES, SUFFIXES, WORD_SUFFIXES, Chapter, read_docx, read_text


def read_path(path: str | Path) -> Chapter:
    """Read a chapter (or a whole disclosure) from a file; FiguresError when it cannot be read."""
    from ..limits import check_input_file

    path = Path(path)
    source = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise FiguresError(source, [Problem(
            f"不认识的文件类型“{path.suffix}”",
            expected="情况说明的 Word 文档（.docx）、文本（.txt）、Markdown（.md）或 PDF（.pdf）")])
    check_input_file(path, "情况说明或决算公开文件")
    if suffix in WORD_SUFFIXES:
        return read_docx(path)
    if suffix in PDF_SUFFIXES:
        return read_pdf(path)
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes almost anything
        raise FiguresError(source, [Problem("无法解码文字", expected="UTF-8 或 GBK 编码的文本")])
    if "\x00" in text:
        raise FiguresError(source, [Problem("这不是文本文件（含有二进制内容）",
                                            expected="UTF-8 或 GBK 编码的文本")])
    chapter = read_text(text, source, markdown=suffix in (".md", ".markdown"))
    return chapter

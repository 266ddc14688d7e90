"""Writers: one Document, several formats (.docx, .md, .txt).

:func:`write` picks the format from the file extension and writes atomically:
the bytes go to a temporary file beside the target, which is renamed over the
target only once complete, so an existing file is never left half-written.
To put the chapter into an existing Word document instead, see
:func:`narrate.writers.docx_into.insert_into`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..document import Document

FORMATS = {".docx": "docx", ".md": "md", ".markdown": "md", ".txt": "txt"}


def to_bytes(
    document: Document,
    fmt: str,
    *,
    review: bool = False,
    reference_doc: str | Path | bytes | None = None,
) -> bytes:
    """The document in ``fmt`` ("docx", "md" or "txt").

    ``review`` puts a provenance comment (批注) on every number in Word output;
    ``reference_doc`` (a .docx path or bytes) gives Word output that file's
    page setup, headers/footers and styles (see
    :func:`narrate.writers.docx.docx_bytes`).  Markdown and text ignore both.
    """
    if fmt == "docx":
        from .docx import docx_bytes

        return docx_bytes(document, review=review, reference_doc=reference_doc)
    from .markdown import markdown_text, plain_text

    if fmt == "md":
        return markdown_text(document).encode("utf-8")
    if fmt == "txt":
        return plain_text(document).encode("utf-8")
    raise ValueError(f"unknown format {fmt!r}; use one of docx, md, txt")


def format_for(path: str | Path) -> str:
    """The format implied by a file name's extension."""
    suffix = Path(path).suffix.lower()
    try:
        return FORMATS[suffix]
    except KeyError:
        raise ValueError(f"不支持的输出格式“{suffix}”：输出文件的扩展名应为 .docx、.md 或 .txt") from None


def _mode_for(target: Path) -> int:
    """An existing file keeps its permissions; a new one gets 0666 less the umask, as open() would give."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or Path("."))
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, _mode_for(target))  # mkstemp makes 0600; give the file the usual permissions
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write(
    document: Document,
    path: str | Path,
    fmt: str | None = None,
    *,
    review: bool = False,
    reference_doc: str | Path | bytes | None = None,
) -> None:
    """Write the document to ``path`` in the format of its extension (or ``fmt``).

    ``review``: Word output with a provenance comment on every number;
    ``reference_doc``: Word output in that .docx file's page setup and styles
    (see :func:`to_bytes`).
    """
    data = to_bytes(document, fmt or format_for(path), review=review, reference_doc=reference_doc)
    write_atomic(path, data)

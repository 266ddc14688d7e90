"""Writers: one Document, several formats (.docx, .md, .txt).

:func:`write` picks the format from the file extension and writes atomically:
the bytes go to a temporary file beside the target, which is renamed over the
target only once complete, so an existing file is never left half-written.
To put the chapter into an existing Word document instead, see
:func:`narrate.writers.docx_into.insert_into`.
"""

from __future__ import annotations

import os
import signal
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
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


def mode_for(target: Path) -> int:
    """An existing file keeps its permissions; a new one gets 0666 less the umask, as open() would give."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


class _Terminated(BaseException):
    """SIGTERM arrived while a temporary file existed."""


@contextmanager
def _sigterm_cleans_up() -> Iterator[None]:
    """While writing, SIGTERM raises :class:`_Terminated` so the temporary file is removed.

    Only in the main thread (where Python runs signal handlers) and only when
    SIGTERM is not ignored; the previous handler is restored afterwards.
    """
    sigterm = getattr(signal, "SIGTERM", None)
    if sigterm is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(sigterm)
    if previous in (signal.SIG_IGN, None):  # ignored, or a handler not set from Python: leave it alone
        yield
        return

    def terminated(signum: int, frame: object) -> None:
        raise _Terminated(signum)

    signal.signal(sigterm, terminated)
    try:
        yield
    finally:
        signal.signal(sigterm, previous)


@contextmanager
def _sigterm_deferred() -> Iterator[None]:
    """SIGTERM held back (where the platform can) until the block ends."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _replace_via_temp(target: Path, chunks: Iterable[bytes]) -> None:
    """Write ``chunks`` to a temporary file beside ``target`` and rename it over ``target``."""
    tmp = None
    try:
        with _sigterm_deferred():  # so that ``tmp`` is known before SIGTERM can interrupt
            tmp_fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        with os.fdopen(tmp_fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
        os.chmod(tmp, mode_for(target))  # mkstemp makes 0600; give the file the usual permissions
        os.replace(tmp, target)
    except BaseException:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
        raise


def write_atomic(path: str | Path, data: bytes | Iterable[bytes]) -> None:
    """Write ``data`` (bytes, or an iterable of bytes) to ``path`` through a temporary file and a rename.

    Either the whole new file is in place or the old one (if any) is untouched:
    a failed write, an exception or SIGTERM removes the temporary file (on
    SIGTERM the process then ends as the signal's previous handler says).  A
    symlink to a regular file is written through (the target replaced, the
    link kept); a dangling symlink or a non-regular file (FIFO, device,
    folder) is refused with :class:`narrate.paths.OutputError`, as is a write
    that fails (its message names ``path``, not the temporary file).
    """
    from ..paths import output_target, write_failed

    target = output_target(path)  # checked at the last moment
    chunks = (data,) if isinstance(data, (bytes, bytearray, memoryview)) else data
    try:
        with _sigterm_cleans_up():
            _replace_via_temp(target, chunks)
    except _Terminated as exc:
        signal.raise_signal(exc.args[0])  # the previous disposition: by default the process ends here
        raise InterruptedError(f"写入 {path} 时收到终止信号，未写入") from None
    except OSError as exc:
        raise write_failed(path, exc) from None


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

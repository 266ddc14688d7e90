"""How much narrate reads before refusing: one place for every input limit.

A finance bureau runs narrate on files it did not write (see ``docs/security.md``).
Every reader checks its input against these limits *before* materialising it, so
a hostile file ends in a clear :class:`~narrate.errors.FiguresError`, never in a
MemoryError, a native abort or a hang.  The defaults are far above any real
disclosure (the bundled example workbook is ~30 KB, its Word document ~40 KB);
each can be raised with an environment variable, read once at import.

=============================  ============================  ========
limit                          environment variable          default
=============================  ============================  ========
input file size                NARRATE_MAX_INPUT_MB          64
uncompressed .xlsx/.docx       NARRATE_MAX_UNZIPPED_MB       256
cells in one sheet's range     NARRATE_MAX_CELLS             2000000
text in one workbook's cells   NARRATE_MAX_TEXT_MB           64
YAML nodes reached by aliases  NARRATE_MAX_YAML_ALIAS_NODES  10000
columns of a Word table row    NARRATE_MAX_TABLE_COLUMNS     64
user template: seconds         NARRATE_TEMPLATE_SECONDS      60
user template: operations      NARRATE_TEMPLATE_OPERATIONS   20000000
user template: output, MB      NARRATE_TEMPLATE_OUTPUT_MB    16
pages of a PDF (narrate lint)  NARRATE_MAX_PDF_PAGES         2000
characters of a linted chapter NARRATE_MAX_LINT_CHARS        2000000
findings listed by lint        NARRATE_MAX_LINT_FINDINGS     5000
=============================  ============================  ========

A sheet's *range* runs from A1 to its farthest cell holding a value (readers materialise
all of it); the *text* limit counts each cell that shows a shared string (.xlsx) or a
repeated text cell (.ods) once per cell, since every such cell becomes its own string.

The template limits apply to templates run in the sandbox (a ``--templates`` folder or a
profile folder outside narrate), per rendered document: *operations* counts calls, loop
iterations, ``range`` items and checked operators; *output* is in millions of characters and
also bounds any one string or list a template builds.  See ``docs/security.md``.
"""

from __future__ import annotations

import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .errors import FiguresError, Problem

MIB = 1 << 20


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        return default
    return value if value > 0 else default


@dataclass(frozen=True)
class Limits:
    """The limits in force (see the module's table for their environment variables)."""

    max_input_bytes: int = 64 * MIB
    max_unzipped_bytes: int = 256 * MIB
    max_cells: int = 2_000_000
    max_yaml_alias_nodes: int = 10_000
    max_table_columns: int = 64  # Word allows at most 63 columns
    template_seconds: int = 60
    template_operations: int = 20_000_000
    template_output_chars: int = 16_000_000
    max_text_bytes: int = 64 * MIB
    max_pdf_pages: int = 2000
    max_lint_chars: int = 2_000_000
    max_lint_findings: int = 5000

    @classmethod
    def from_env(cls) -> "Limits":
        return cls(
            max_input_bytes=_env_int("NARRATE_MAX_INPUT_MB", 64) * MIB,
            max_unzipped_bytes=_env_int("NARRATE_MAX_UNZIPPED_MB", 256) * MIB,
            max_cells=_env_int("NARRATE_MAX_CELLS", 2_000_000),
            max_yaml_alias_nodes=_env_int("NARRATE_MAX_YAML_ALIAS_NODES", 10_000),
            max_table_columns=_env_int("NARRATE_MAX_TABLE_COLUMNS", 64),
            template_seconds=_env_int("NARRATE_TEMPLATE_SECONDS", 60),
            template_operations=_env_int("NARRATE_TEMPLATE_OPERATIONS", 20_000_000),
            template_output_chars=_env_int("NARRATE_TEMPLATE_OUTPUT_MB", 16) * 1_000_000,
            max_text_bytes=_env_int("NARRATE_MAX_TEXT_MB", 64) * MIB,
            max_pdf_pages=_env_int("NARRATE_MAX_PDF_PAGES", 2000),
            max_lint_chars=_env_int("NARRATE_MAX_LINT_CHARS", 2_000_000),
            max_lint_findings=_env_int("NARRATE_MAX_LINT_FINDINGS", 5000),
        )


LIMITS = Limits.from_env()


def check_input_file(path: str | Path, kind: str = "输入文件") -> Path:
    """Refuse what is not a readable regular file of bounded size: missing, a folder, a FIFO,
    a device (``/dev/zero``), a socket, or larger than the limit.  Returns the path.

    Checked with ``os.stat`` (following symlinks) *before* opening, so reading never blocks
    on a FIFO and never streams an endless device.
    """
    path = Path(path)
    source = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise FiguresError(source, [Problem("文件不存在", expected=kind)]) from None
    except OSError as exc:
        raise FiguresError(source, [Problem(f"无法读取：{exc.strerror or exc}", expected=kind)]) from None
    if stat.S_ISDIR(info.st_mode):
        raise FiguresError(source, [Problem("这是一个文件夹，不是文件", expected=kind)])
    if not stat.S_ISREG(info.st_mode):
        raise FiguresError(source, [Problem("这不是普通文件（是管道、设备或套接字）", expected=kind)])
    if info.st_size > LIMITS.max_input_bytes:
        raise FiguresError(source, [Problem(
            f"文件过大（{info.st_size / MIB:.1f} MB，上限 {LIMITS.max_input_bytes // MIB} MB）",
            expected="真实的决算公开文件远小于此；确需更大时设置环境变量 NARRATE_MAX_INPUT_MB",
        )])
    return path


def check_zip_package(path: str | Path, kind: str) -> None:
    """Refuse an Office package (.xlsx/.docx) whose parts would unpack beyond the limit.

    Reads only the zip's central directory.  A zip whose directory understates a part's
    size is caught by the reader itself (the decompressor stops at the declared size or
    the CRC check fails); callers that read parts themselves use :func:`read_zip_part`.
    """
    source = str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            check_zip_archive(archive, source)
    except zipfile.BadZipFile:
        raise FiguresError(source, [Problem(f"不是有效的 {kind} 文件（文件已损坏，或不是 Office 格式）",
                                            expected=f"用 Office 或 WPS 打开后另存为 {kind} 再试")]) from None


def check_zip_archive(archive: zipfile.ZipFile, source: str) -> None:
    """:func:`check_zip_package` for a zip already open (``source`` names it in the message)."""
    total = sum(max(info.file_size, 0) for info in archive.infolist())
    if total > LIMITS.max_unzipped_bytes:
        raise FiguresError(source, [Problem(
            f"文件解压后过大（{total / MIB:.0f} MB，上限 {LIMITS.max_unzipped_bytes // MIB} MB），可能是“压缩炸弹”",
            expected="真实的决算公开文件解压后远小于此；确需更大时设置环境变量 NARRATE_MAX_UNZIPPED_MB",
        )])


def read_zip_part(archive: zipfile.ZipFile, name: str, source: str, budget: int | None = None) -> bytes:
    """One part of a zip, read in chunks and refused as soon as it passes ``budget`` bytes
    (default: the unzipped limit), whatever its header claims."""
    budget = LIMITS.max_unzipped_bytes if budget is None else budget
    chunks: list[bytes] = []
    size = 0
    with archive.open(name) as handle:
        while chunk := handle.read(1 << 16):
            size += len(chunk)
            if size > budget:
                raise FiguresError(source, [Problem(
                    f"{name} 解压后超过 {budget // MIB} MB，可能是“压缩炸弹”",
                    expected="确需更大时设置环境变量 NARRATE_MAX_UNZIPPED_MB",
                )])
            chunks.append(chunk)
    return b"".join(chunks)

"""Where narrate may write: never over one of its inputs, never over a special file.

:func:`refuse_same_file` compares the output with every input by identity
(``os.path.samefile``: device and inode, so a symlink or a hard link to an
input is caught too).  :func:`output_target` decides, at the last moment
before writing, which regular file a path names: a symlink to a regular file
stands for its target (the link is kept); a dangling symlink, a FIFO, a
device, a socket or a folder is refused.  :func:`write_failed` turns an
``OSError`` raised while writing into a message naming the user's file, not
the hidden temporary one.

Refusals raise :class:`OutputError`, a :class:`~narrate.errors.FiguresError`
(and an ``OSError``, so callers that caught write errors still do).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Mapping
from pathlib import Path

from .errors import FiguresError, Problem

StrPath = str | os.PathLike


class OutputError(FiguresError, OSError):
    """The output cannot be written where asked; nothing was written and no file was replaced."""

    def __str__(self) -> str:
        return "\n".join(p.describe() for p in self.problems)


def _refuse(output: StrPath, message: str) -> OutputError:
    return OutputError(str(output), [Problem(message)])


def same_file(a: StrPath, b: StrPath) -> bool:
    """Whether both paths name the same existing file (through symlinks and hard links)."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def refuse_same_file(output: StrPath, inputs: Mapping[str, StrPath | None]) -> None:
    """Raise :class:`OutputError` when ``output`` is the same file as one of ``inputs``
    (role → path, e.g. ``{"数据文件": figures, "参考文档": reference_doc}``; ``None`` skipped)."""
    for role, path in inputs.items():
        if path is not None and same_file(output, path):
            raise _refuse(output, f"输出文件 {output} 与{role} {path} 是同一个文件，写入会覆盖{role}；请另选输出文件名")


NOT_REGULAR = "不是普通文件（是{what}），不能作为输出文件；请给普通文件名，要输出到标准输出请用 -o -"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "文件夹"
    if stat.S_ISFIFO(mode):
        return "管道"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备"
    if stat.S_ISSOCK(mode):
        return "套接字"
    return "特殊文件"


def output_target(path: StrPath) -> Path:
    """The regular file that writing ``path`` replaces (or creates).

    A symlink stands for its final target, so the link survives the write; a
    dangling symlink is refused (writing would create a file somewhere the
    user did not name).  Anything existing that is not a regular file is
    refused.  A missing folder is reported as such.
    """
    named = Path(path)
    target = named
    if named.is_symlink():
        try:
            target = Path(os.path.realpath(named, strict=True))
        except OSError:
            raise _refuse(named, f"输出文件 {named} 是指向 {os.readlink(named)} 的符号链接，"
                                 "而链接的目标不存在；请先创建目标文件，或另选输出文件名") from None
    try:
        info = os.stat(target)
    except FileNotFoundError:
        folder = target.parent
        if not folder.is_dir():
            raise _refuse(named, f"文件夹不存在：{named.parent}（无法写入 {named}）") from None
        return target
    except OSError as exc:
        raise write_failed(named, exc) from None
    if not stat.S_ISREG(info.st_mode):
        raise _refuse(named, f"输出 {named} " + NOT_REGULAR.format(what=_kind(info.st_mode)))
    return target


REASONS = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EFBIG: "文件超过系统允许的大小",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EROFS: "磁盘或文件夹是只读的",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOTDIR: "路径中有一部分不是文件夹",
    errno.ENAMETOOLONG: "文件名过长",
}


def write_failed(output: StrPath, exc: OSError) -> OutputError:
    """The error to raise when writing ``output`` failed with ``exc`` (on the temporary file or the rename)."""
    if exc.errno == errno.ENOENT and not Path(output).parent.is_dir():
        return _refuse(output, f"文件夹不存在：{Path(output).parent}（无法写入 {output}）")
    reason = REASONS.get(exc.errno or 0) or exc.strerror or str(exc)
    return _refuse(output, f"无法写入 {output}：{reason}")

"""The output folder of a batch: its lock, the manifest of which unit owns which output name, the
names themselves, and summary.csv / summary.json streamed to temporary files and renamed at the end."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import stat
import tempfile
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from .. import __version__

MANIFEST = ".narrate-batch.json"
LOCK = ".narrate-batch.lock"
MAX_NAME_BYTES = 255
"""File names are capped in UTF-8 bytes: 255 on most file systems (ext4, XFS, APFS, NTFS counts UTF-16 units)."""
MAX_STEM_BYTES = MAX_NAME_BYTES - 40
"""Room left for "-NNNNN", the longest extension and write_atomic's temporary ".NAME.XXXXXXXX.tmp"."""
SUMMARY_FIELDS = ("input", "unit", "year", "status", "message", "outputs", "seconds")


class BatchError(Exception):
    """A batch that cannot start (its output folder is busy, the scheduler unreachable): a message for the user."""


_UNSAFE = re.compile(r'[\\/:*?"<>|\s\x00-\x1f]+')


def _cut(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes, at a character boundary."""
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")


def output_stem(unit: str, year: int | None, fallback: str) -> str:
    """A file name stem from the unit name and year: "阳城县人力资源和社会保障局-2024".

    At most :data:`MAX_STEM_BYTES` UTF-8 bytes (a long name is cut at a character boundary, the year kept).
    """
    suffix = f"-{year}" if year else ""
    stem = _cut(_UNSAFE.sub("_", unit).strip("._") or fallback, MAX_STEM_BYTES - len(suffix)).rstrip("._")
    return (stem or _cut(fallback, MAX_STEM_BYTES - len(suffix))) + suffix


@dataclass
class BatchRow:
    """One row of the summary."""

    input: str
    unit: str
    year: int | None
    status: str
    message: str
    outputs: list[str]
    seconds: float


@contextmanager
def _folder_lock(out: Path, wait: float, on_wait: Callable[[str], None] | None) -> Iterator[None]:
    """Hold ``out``'s lock file for the run: refuse at once (``wait`` 0) or after waiting ``wait`` seconds."""
    from filelock import FileLock, Timeout

    path = out / LOCK
    busy = f"输出文件夹 {out} 正由另一个 narrate batch 使用（锁文件 {path}）"
    lock = FileLock(str(path))
    try:
        if os.path.lexists(path) and not _regular(path):  # older filelock releases open it following links
            raise OSError(0, "不是普通文件")
        try:
            lock.acquire(timeout=0)
        except Timeout:
            if wait <= 0:
                raise BatchError(f"{busy}。等那次运行结束后再试，或加 --wait 秒数 等它结束。") from None
            if on_wait:
                on_wait(f"{busy}，等待它结束（最多 {wait:g} 秒）…")
            try:
                lock.acquire(timeout=wait)
            except Timeout:
                raise BatchError(f"等了 {wait:g} 秒，{busy}，未运行。") from None
    except OSError as exc:
        raise BatchError(f"无法使用锁文件 {path}：{exc.strerror or exc}（它应是普通文件，不能是符号链接或文件夹）") from None
    try:
        yield
    finally:
        lock.release()


class _Streamed:
    """A text file written bit by bit under a temporary name beside ``target``, renamed into place at the end."""

    def __init__(self, target: Path) -> None:
        fd, self.tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        self.target = target
        self.handle = open(fd, "w", encoding="utf-8", newline="")

    def commit(self) -> None:
        from ..writers import mode_for

        self.handle.close()
        os.chmod(self.tmp, mode_for(self.target))
        os.replace(self.tmp, self.target)  # a symlink at target is replaced, never followed

    def discard(self) -> None:
        self.handle.close()
        with suppress(FileNotFoundError):
            os.unlink(self.tmp)


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


class _Manifest:
    """``.narrate-batch.json``: per unit identity (the input's resolved path) its hash, outputs, status
    and every name stem it ever owned.  Entries of units not in this run are kept: their names stay theirs.

    Entries of this run go to a journal file as they come (memory stays flat); :meth:`save` writes
    them and the untouched old entries, one a line, to a temporary file renamed into place.
    """

    def __init__(self, out: Path) -> None:
        self.path = out / MANIFEST
        self.old: dict[str, dict[str, Any]] = {}
        self.journal: _Streamed | None = None
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if not isinstance(data, dict):
            return
        units = data.get("units") if data.get("format") == 2 else data  # format 1: keyed by the path as given
        for key, entry in (units.items() if isinstance(units, dict) else ()):
            if not isinstance(entry, dict):
                continue
            outputs = [n for n in entry.get("outputs") or [] if isinstance(n, str) and _plain_name(n)]
            names = [n for n in entry.get("names") or [Path(n).stem for n in outputs] if isinstance(n, str)]
            identity = key if units is not data else identity_of(key)
            self.old[identity] = {**entry, "outputs": outputs, "names": names}

    def owners(self) -> dict[str, str]:
        return {stem: identity for identity, entry in self.old.items() for stem in entry["names"]}

    def record(self, identity: str, entry: dict[str, Any], stem: str | None) -> None:
        names = self.old.pop(identity, {}).get("names", [])
        if stem and stem not in names:
            names = names + [stem]
        if self.journal is None:
            self.journal = _Streamed(self.path)
        self.journal.handle.write(f"{json.dumps(identity, ensure_ascii=False)}: "
                                  f"{json.dumps({**entry, 'names': names}, ensure_ascii=False, sort_keys=True)}\n")

    def save(self) -> None:
        """This run's entries, then the old ones it did not touch (nothing to do if the run recorded none)."""
        if self.journal is None:
            return
        target = _Streamed(self.path)
        try:
            self.journal.handle.close()
            lines = open(self.journal.tmp, encoding="utf-8", newline="")
            target.handle.write('{"format": 2, "units": {')
            first = True
            for line in lines:
                target.handle.write(("\n" if first else ",\n") + line.rstrip("\n"))
                first = False
            for identity, entry in self.old.items():
                target.handle.write(("\n" if first else ",\n") + f"{json.dumps(identity, ensure_ascii=False)}: "
                                    f"{json.dumps(entry, ensure_ascii=False, sort_keys=True)}")
                first = False
            target.handle.write("\n}}\n")
            lines.close()
            target.commit()
        except BaseException:
            target.discard()
            raise
        finally:
            self.journal.discard()


def _plain_name(name: str) -> bool:
    return bool(name) and "/" not in name and "\\" not in name and not name.startswith(".")


class _Namer:
    """Gives each unit an output name stem: its own from earlier runs, else the first of STEM, STEM-2, …
    that no other unit owns and under which nothing lies in the output folder yet (another unit's output
    of this run, a file of the user's, a symlink, an input).  Only the old manifest's names are held in
    memory; this run's are on disk."""

    def __init__(self, out: Path, formats: tuple[str, ...], owners: dict[str, str], inputs_here: list[str]) -> None:
        self.out, self.formats, self.owners, self.inputs_here = out, formats, owners, inputs_here

    def _is_input(self, path: Path) -> bool:
        return any(os.path.lexists(path) and os.path.samefile(path, source) for source in self.inputs_here)

    def claim(self, identity: str, stem: str) -> str:
        n = 1
        while True:
            candidate = stem if n == 1 else f"{stem}-{n}"
            owner = self.owners.get(candidate)
            paths = [self.out / f"{candidate}.{fmt}" for fmt in self.formats]
            if owner == identity and not any(map(self._is_input, paths)):
                return candidate
            if owner is None and not any(map(os.path.lexists, paths)):
                return candidate
            n += 1


def _row_json(row: BatchRow) -> str:
    """``json.dumps(asdict(row), ensure_ascii=False, indent=1)`` as an element of a list at depth 1 —
    the same text, built from C-encoded scalars (the indenting encoder is pure Python, ~4× slower)."""
    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    outputs = "[\n" + ",\n".join("    " + dump(n) for n in row.outputs) + "\n   ]" if row.outputs else "[]"
    values = (row.input, row.unit, row.year, row.status, row.message, None, row.seconds)
    body = ",\n".join(f"   {dump(name)}: {outputs if name == 'outputs' else dump(value)}"
                       for name, value in zip(SUMMARY_FIELDS, values))
    return "{\n" + body + "\n  }"


class _Summary:
    """summary.csv and summary.json, streamed row by row to temporary files; complete files appear at the end."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.counts = dict.fromkeys(("ok", "warnings", "errors", "skipped"), 0)
        self.csv = _Streamed(out / "summary.csv")
        self.units = _Streamed(out / "summary.json")  # the "units" list; the head is written at the end
        self.csv.handle.write("\ufeff")  # BOM: Excel reads UTF-8
        self.writer = csv.writer(self.csv.handle)
        self.writer.writerow(SUMMARY_FIELDS)

    def add(self, row: BatchRow) -> None:
        self.writer.writerow([row.input, row.unit, row.year or "", row.status, row.message, ";".join(row.outputs),
                              row.seconds])
        self.units.handle.write(("" if sum(self.counts.values()) == 0 else ",") + "\n  " + _row_json(row))
        self.counts[row.status] = self.counts.get(row.status, 0) + 1

    def finish(self) -> None:
        """The same bytes as ``json.dumps({"narrate", "counts", "units"}, ensure_ascii=False, indent=1)``."""
        self.units.handle.close()
        final = _Streamed(self.out / "summary.json")
        try:
            head = json.dumps({"narrate": __version__, "counts": self.counts}, ensure_ascii=False, indent=1)
            final.handle.write(head[:-2] + ',\n "units": [')
            with open(self.units.tmp, encoding="utf-8", newline="") as units:
                shutil.copyfileobj(units, final.handle)
            final.handle.write("\n ]\n}" if sum(self.counts.values()) else "]\n}")
            final.commit()
        except BaseException:
            final.discard()
            raise
        finally:
            self.units.discard()
        self.csv.commit()

    def discard(self) -> None:
        self.csv.discard()
        self.units.discard()

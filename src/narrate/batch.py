"""Many units in one run: ``render_many`` for libraries, ``run_batch`` behind ``narrate batch``.

The per-unit function :func:`render_unit` is pure and picklable: it takes a
:class:`UnitJob` (a figures file path or a :class:`~narrate.model.Figures`,
plus options) and returns a :class:`UnitResult` holding the rendered bytes and
the check summary; it writes nothing.  So a process pool, Dask, Ray or Spark
can map it unchanged.  :func:`render_many` maps it over processes (or an
existing Dask cluster) and yields results in input order, streaming: only a
small window of units is in flight, so memory stays flat as the count grows.
One unit's failure of any kind (a bad file, MemoryError, RecursionError, a bug)
is that unit's failed result, never the end of the batch.

:func:`run_batch` / :func:`iter_batch` are the shell around it for ``narrate
batch``: one run per output folder at a time (a file lock), inputs expanded,
units whose input and settings are unchanged skipped, outputs named and written
atomically, ``summary.csv`` / ``summary.json`` streamed to temporary files and
renamed into place at the end.  An output name belongs to one unit (the input's
resolved path) for good: the manifest ``.narrate-batch.json`` records it, and no
later run gives it to another unit, writes over a file narrate did not write
there, over an input, or through a symlink.
"""

from __future__ import annotations

import csv
import glob
import hashlib
import itertools
import json
import os
import re
import shutil
import stat
import tempfile
import time
from collections import deque
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Literal

from . import __version__

INPUT_SUFFIXES = (".yaml", ".yml", ".json", ".toml", ".xlsx", ".docx")
MANIFEST = ".narrate-batch.json"
LOCK = ".narrate-batch.lock"
MAX_NAME_BYTES = 255
"""File names are capped in UTF-8 bytes: 255 on most file systems (ext4, XFS, APFS, NTFS counts UTF-16 units)."""
MAX_STEM_BYTES = MAX_NAME_BYTES - 40
"""Room left for "-NNNNN", the longest extension and write_atomic's temporary ".NAME.XXXXXXXX.tmp"."""
Status = Literal["ok", "warnings", "errors", "skipped"]


@dataclass(frozen=True)
class UnitJob:
    """One unit to render: a figures file (path) or Figures already in memory, and the options."""

    source: Any
    """A path (str or Path) of a figures file, or a :class:`~narrate.model.Figures`."""
    formats: tuple[str, ...] = ("docx",)
    profile: str | None = None
    templates: str | None = None
    reason_threshold: str = "0"
    label: str = ""
    """How the unit is named in results (defaults to the path)."""


@dataclass(frozen=True)
class UnitResult:
    """What rendering one unit gave: its status, first message, check counts and the output bytes."""

    source: str
    status: Status
    unit: str = ""
    year: int | None = None
    message: str = ""
    errors: int = 0
    warnings: int = 0
    notes: int = 0
    outputs: dict[str, bytes] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status in ("ok", "warnings", "skipped")


def render_unit(job: UnitJob) -> UnitResult:
    """Load (if a path), check, compute and render one unit. Pure: reads its input, writes nothing.

    Never raises for bad job contents (a source that is neither a path nor Figures, an unknown format,
    a bad ``reason_threshold``…): the result has status "errors" and the message says what was wrong.
    """
    try:
        return _render_unit(job)
    except Exception as exc:  # noqa: BLE001 - a failed result, never an exception, whatever the job holds
        source = getattr(job, "label", "") or getattr(job, "source", job)
        label = source if isinstance(source, str) else type(source).__name__
        return UnitResult(label, "errors", message=f"无法处理此单位：{type(exc).__name__}: {str(exc)[:200]}", errors=1)


def _render_unit(job: UnitJob) -> UnitResult:
    from .computation import compute
    from .errors import FiguresError, TemplateError
    from .loaders import load
    from .rendering import render
    from .rules import check_and_render
    from .writers import to_bytes

    start = time.perf_counter()
    label = job.label or str(job.source if not hasattr(job.source, "unit") else job.source.unit.name)
    unit, year = "", None
    try:
        figures = job.source if hasattr(job.source, "unit") else load(job.source)
        unit, year = figures.unit.name, figures.unit.year
        facts = compute(figures)
        report, document = check_and_render(figures, reason_threshold=job.reason_threshold, profile=job.profile,
                                            facts=facts)
        counts = dict(errors=len(report.errors), warnings=len(report.warnings), notes=len(report.notes))
        if not report.ok:
            return UnitResult(label, "errors", unit, year, report.errors[0].message, **counts,
                              seconds=time.perf_counter() - start)
        if job.templates:  # the check rendered the layout alone; the user's templates change the text
            document = render(facts, profile=job.profile, templates=job.templates)
        outputs = {fmt: to_bytes(document, fmt) for fmt in job.formats}
        status: Status = "warnings" if report.warnings else "ok"
        message = report.warnings[0].message if report.warnings else ""
        return UnitResult(label, status, unit, year, message, **counts, outputs=outputs,
                          seconds=time.perf_counter() - start)
    except FiguresError as exc:
        first = exc.problems[0].describe() if exc.problems else str(exc)
        return UnitResult(label, "errors", unit, year, first, errors=len(exc.problems) or 1,
                          seconds=time.perf_counter() - start)
    except (TemplateError, ValueError, OSError) as exc:
        return UnitResult(label, "errors", unit, year, str(exc), errors=1, seconds=time.perf_counter() - start)


def _label(job: UnitJob) -> str:
    source = job.source
    return job.label or str(source.unit.name if hasattr(source, "unit") else source)


_CRASH = ((MemoryError, "内存不足"), (RecursionError, "嵌套过深，超出递归深度"))


def failed_result(job: UnitJob, exc: BaseException) -> UnitResult:
    """The failed result of a unit whose processing raised ``exc``: one unit never stops the others."""
    what = next((text for kind, text in _CRASH if isinstance(exc, kind)), "出现意外错误")
    detail = str(exc).strip()[:300]
    message = f"处理该单位时{what}（{type(exc).__name__}{'：' + detail if detail else ''}），未生成文档"
    return UnitResult(_label(job), "errors", message=message, errors=1)


def render_unit_safely(job: UnitJob) -> UnitResult:
    """:func:`render_unit`, with any exception (MemoryError, RecursionError, a bug) turned into that unit's result."""
    try:
        return render_unit(job)
    except Exception as exc:  # noqa: BLE001 — every failure of one unit is that unit's row
        return failed_result(job, exc)


def _warm_up(job: UnitJob) -> None:
    """Prepare here, before the pool forks, what every unit needs once: the modules imported and,
    by rendering a bundled example with ``job``'s options, the layout's templates compiled, the rule
    catalog's checks built and the Word package's fixed parts made.  The workers inherit it all (and
    freeze it), so neither the first pair of workers nor each fresh pair pays for it again.
    """
    from .api import example_path
    from .rendering import bundled_profiles

    layout = job.profile if job.profile in bundled_profiles() else "default"
    render_unit(replace(job, source=str(example_path(layout)), label="warm-up"))  # never raises


CHUNK_SECONDS = 0.05
"""A worker is handed about this much work at a time (by the units rendered so far), at most MAX_CHUNK units."""
MAX_CHUNK = 16


class _Chunks:
    """The jobs in chunks of ``fixed`` units, or by default: 4 at first, then as many as take about
    :data:`CHUNK_SECONDS` at the pace of the units rendered so far (:meth:`done` tells it).  Quick
    units travel between the processes 16 at a time; slow ones (workbooks) still spread over the workers."""

    def __init__(self, jobs: Iterable[UnitJob], fixed: int | None) -> None:
        self.jobs, self.fixed = iter(jobs), fixed
        self.units, self.seconds = 0, 0.0

    def done(self, results: list[UnitResult]) -> list[UnitResult]:
        self.units += len(results)
        self.seconds += sum(r.seconds for r in results)
        return results

    def size(self) -> int:
        if self.fixed:
            return self.fixed
        if not self.units:
            return 4
        if self.seconds <= 0:
            return MAX_CHUNK
        return max(1, min(MAX_CHUNK, int(CHUNK_SECONDS * self.units / self.seconds)))

    def __iter__(self) -> Iterator[list[UnitJob]]:
        while chunk := list(itertools.islice(self.jobs, self.size())):
            yield chunk


def render_many(units: Iterable[Any], workers: int | None = None, formats: Iterable[str] = ("docx",),
                profile: str | None = None, templates: str | None = None,
                chunksize: int | None = None, scheduler: Any = None) -> Iterator[UnitResult]:
    """Render many units, yielding one :class:`UnitResult` per unit in input order.

    ``units``: figures file paths, :class:`~narrate.model.Figures` or :class:`UnitJob`.
    ``workers``: processes (default: the number of cores; 1 renders in this process).
    ``scheduler``: the address of a Dask scheduler (or a ``distributed.Client``) to render on
    instead; needs ``pip install 'narrate[dask]'``.  Files are read here and shipped as bytes.
    Results stream: only a few chunks per worker are in flight, so memory stays flat.
    ``chunksize``: units handed to a worker at a time (default: by how long units take, see :class:`_Chunks`).
    A unit that fails in any way gives a result with status ``errors``; the others go on.
    Raises TypeError when ``units`` is not iterable; a bad unit gives a failed UnitResult, never raises.
    """
    jobs = (u if isinstance(u, UnitJob) else UnitJob(u, tuple(formats), profile, templates) for u in units)
    if scheduler is not None:
        yield from _dask_results(jobs, scheduler)
        return
    workers = workers or os.cpu_count() or 1
    if workers <= 1:
        yield from map(render_unit_safely, jobs)
        return
    yield from _pool_results(jobs, workers, chunksize)


YOUNG_OBJECTS = 10_000
"""A worker's collector looks at its young objects once this many more exist (Python's default: 700)."""


def _worker_setup() -> None:
    """A pool worker's collector: what the worker inherits (modules, compiled templates and rules) is
    frozen, never walked; and a unit leaves no reference cycles (its objects are freed as it ends), so
    collecting while it runs — every 700 new objects by default, several times a unit — finds nothing."""
    import gc

    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS, *gc.get_threshold()[1:])


def _render_chunk(chunk: list[UnitJob]) -> list[UnitResult]:
    return [render_unit_safely(job) for job in chunk]


RECYCLE_UNITS = 2000
"""Units a pool's workers render before a fresh pair replaces them (memory flat however many units)."""


class WorkerLost(Exception):
    """The process rendering a unit died (killed for memory, a native crash)."""

    def __str__(self) -> str:
        return "处理该单位的进程意外退出（可能因内存耗尽被系统终止，或崩溃）"


def _pool_results(jobs: Iterable[UnitJob], workers: int, chunksize: int | None) -> Iterator[UnitResult]:
    """Chunks of jobs over a process pool, at most 4 chunks per worker in flight, results in order;
    the workers are replaced every :data:`RECYCLE_UNITS` units.

    A worker that dies takes its pool with it: the chunks in flight are then rendered again one unit
    at a time in a fresh pool, and a unit that kills that one too is that unit's failed result.
    """
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    jobs = iter(jobs)
    first = next(jobs, None)
    if first is None:
        return
    _warm_up(first)
    jobs = itertools.chain([first], jobs)
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_setup)

    pool = new_pool()

    def fresh(broken: ProcessPoolExecutor) -> ProcessPoolExecutor:
        nonlocal pool
        if pool is broken:
            broken.shutdown(wait=True, cancel_futures=True)
            pool = new_pool()
        return pool

    def alone(job: UnitJob) -> UnitResult:
        current = pool
        try:
            return current.submit(render_unit_safely, job).result()
        except BrokenProcessPool:
            fresh(current)
            return failed_result(job, WorkerLost())

    chunks = _Chunks(jobs, chunksize)

    def settle(chunk: list[UnitJob], owner: ProcessPoolExecutor, future: Future) -> list[UnitResult]:
        try:
            return chunks.done(future.result())
        except BrokenProcessPool:
            fresh(owner)
            return [alone(job) for job in chunk]

    pending: deque[tuple[list[UnitJob], ProcessPoolExecutor, Future]] = deque()
    submitted = 0
    try:
        for chunk in chunks:
            if submitted >= RECYCLE_UNITS:  # fresh workers: what a long run leaves behind in one never piles up
                while pending:
                    yield from settle(*pending.popleft())
                pool.shutdown(wait=True)
                pool = new_pool()
                submitted = 0
            submitted += len(chunk)
            try:
                pending.append((chunk, pool, pool.submit(_render_chunk, chunk)))
            except BrokenProcessPool:
                pending.append((chunk, pool, _broken_future()))
            if len(pending) >= 4 * workers:
                yield from settle(*pending.popleft())
        while pending:
            yield from settle(*pending.popleft())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _broken_future() -> Any:
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    future: Future = Future()
    future.set_exception(BrokenProcessPool("pool broken before submit"))
    return future


# ---------------------------------------------------------------- Dask
@dataclass(frozen=True)
class Shipped:
    """A figures file's path (for messages) and bytes, sent to a worker that need not see the file."""

    path: str
    data: bytes


def ship(job: UnitJob) -> UnitJob:
    """The job with its input file read here (size-checked) and carried as bytes."""
    from .limits import check_input_file

    if not isinstance(job.source, (str, os.PathLike)):
        return job
    path = check_input_file(job.source)
    return replace(job, source=Shipped(str(job.source), path.read_bytes()), label=_label(job))


def render_shipped(job: UnitJob) -> UnitResult:
    """:func:`render_unit_safely` on a worker: a shipped input is written to a private temporary folder first."""
    if not isinstance(job.source, Shipped):
        return render_unit_safely(job)
    original = job.source.path
    with tempfile.TemporaryDirectory(prefix="narrate-unit-") as tmp:
        local = Path(tmp) / Path(original).name
        local.write_bytes(job.source.data)
        result = render_unit_safely(replace(job, source=str(local)))
    return replace(result, message=result.message.replace(str(local), original))


def _dask_results(jobs: Iterable[UnitJob], scheduler: Any, window: int = 64) -> Iterator[UnitResult]:
    from .errors import FiguresError

    try:
        from distributed import Client
    except ImportError:
        raise BatchError("用 Dask 集群生成需要安装 Dask：pip install 'narrate[dask]'") from None
    if isinstance(scheduler, Client):
        client = scheduler
    else:
        try:
            client = Client(scheduler, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise BatchError(f"无法连接 Dask 调度器 {scheduler}：{exc}") from None
    pending: deque[tuple[UnitJob, Any]] = deque()

    def settle() -> UnitResult:
        job, future = pending.popleft()
        if isinstance(future, UnitResult):
            return future
        try:
            return future.result()
        except Exception as exc:  # noqa: BLE001 — a lost worker fails this unit only
            return failed_result(job, exc)

    try:
        for job in jobs:
            try:
                pending.append((job, client.submit(render_shipped, ship(job), pure=False)))
            except FiguresError as exc:  # unreadable input: that unit's row
                message = exc.problems[0].describe() if exc.problems else str(exc)
                pending.append((job, UnitResult(_label(job), "errors", message=message, errors=1)))
            except OSError as exc:
                pending.append((job, failed_result(job, exc)))
            if len(pending) >= window:
                yield settle()
        while pending:
            yield settle()
    finally:
        if client is not scheduler:
            client.close()


# ---------------------------------------------------------------- narrate batch
class BatchError(Exception):
    """A batch that cannot start (its output folder is busy, the scheduler unreachable): a message for the user."""


def _search(folder: str) -> Iterator[str]:
    """The figures files under ``folder`` (not following symlinked folders), from directory entries alone:
    no system call per file but for symlinks (system calls are what a bureau's 10,000 files cost)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from _search(entry.path)
            elif (os.path.splitext(entry.name)[1].lower() in INPUT_SUFFIXES
                  and not entry.name.startswith((".", "~$")) and entry.is_file()):
                yield os.path.normpath(entry.path)
        except OSError:
            continue


def _real_folder(path: str, cache: dict[str, str]) -> str:
    """The resolved folder of ``path``, one ``realpath`` per folder."""
    folder = os.path.dirname(path) or "."
    if folder not in cache:
        cache[folder] = os.path.realpath(folder)
    return cache[folder]


def identity_of(path: str, cache: dict[str, str] | None = None) -> str:
    """A unit's identity: its input's resolved folder and its file name (what owns output names)."""
    return os.path.join(_real_folder(path, {} if cache is None else cache), os.path.basename(path))


def find_inputs(inputs: Iterable[str], exclude: str | Path | None = None) -> list[str]:
    """Files, folders (searched recursively) and glob patterns → the figures files' paths, sorted, without duplicates.

    Files found by searching a folder or a pattern inside ``exclude`` (the output folder) are left out;
    a file named explicitly is kept (and never written over: see :class:`_Namer`).  Plain strings, not
    :class:`~pathlib.Path` objects: a bureau's ten thousand paths stay small.
    """
    found: set[str] = set()
    named: set[str] = set()
    missing: list[str] = []
    for item in inputs:
        pattern = glob.has_magic(item)
        paths = sorted(glob.glob(item, recursive=True)) if pattern else [item]
        if not paths:
            missing.append(item)
        for path in paths:
            if os.path.isdir(path):
                found.update(_search(path))
            elif os.path.exists(path):
                (found if pattern else named).add(os.path.normpath(path))
            else:
                missing.append(item)
    if missing:
        raise FileNotFoundError("、".join(missing))
    if exclude is not None:
        out, folders = os.path.join(os.path.realpath(exclude), ""), {}  # type: ignore[var-annotated]
        found = {p for p in found if not os.path.join(_real_folder(p, folders), "").startswith(out)}
    return sorted(found | named)


def expand_inputs(inputs: Iterable[str], exclude: Path | None = None) -> list[Path]:
    """:func:`find_inputs` as :class:`~pathlib.Path` objects."""
    return [Path(p) for p in find_inputs(inputs, exclude)]


def _settings_tail(formats: tuple[str, ...], profile: str | None, templates: str | None) -> bytes:
    """What besides the input decides a unit's output: narrate's version, formats, profile, template contents."""
    tail = f"\0{__version__}\0{','.join(formats)}\0{profile}".encode()
    if templates:
        for template in sorted(Path(templates).rglob("*")):
            if template.is_file():
                tail += template.name.encode() + b"\0" + template.read_bytes()
    return tail


def input_hash(path: Path, formats: tuple[str, ...], profile: str | None, templates: str | None,
               tail: bytes | None = None) -> str:
    """Content hash of a unit's input and everything else that decides its output (``tail``: precomputed)."""
    from .limits import check_input_file

    with open(check_input_file(path), "rb") as handle:
        digest = hashlib.file_digest(handle, "sha256")
    digest.update(_settings_tail(formats, profile, templates) if tail is None else tail)
    return digest.hexdigest()


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
        from .writers import mode_for

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


class _Listing:
    """Paths held as one NUL-separated string (a path cannot hold NUL): ten thousand of them cost
    their characters, not ten thousand objects — and the pool workers forked later inherit no more."""

    def __init__(self, paths: list[str]) -> None:
        self.text = "\0".join(paths)

    def __iter__(self) -> Iterator[str]:
        text, start = self.text, 0
        while start < len(text):
            end = text.find("\0", start)
            end = len(text) if end < 0 else end
            yield text[start:end]
            start = end + 1


def iter_batch(inputs: Iterable[str], outdir: str | Path, formats: tuple[str, ...] = ("docx",),
               workers: int | None = None, profile: str | None = None, templates: str | None = None,
               force: bool = False, scheduler: Any = None, wait: float = 0.0,
               on_wait: Callable[[str], None] | None = None) -> Iterator[BatchRow]:
    """Check and render every unit into ``outdir``, yielding the summary rows in input order as they are done.

    Holds ``outdir``'s lock while running (:class:`BatchError` if another run holds it for ``wait``
    seconds).  summary.csv/json appear complete once the last row is yielded; the manifest is
    saved even when the run is interrupted, so the names of outputs written so far stay owned.
    """
    from .errors import FiguresError
    from .writers import write_atomic

    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    with _folder_lock(out, wait, on_wait):
        files = _Listing(find_inputs(inputs, exclude=out))
        manifest = _Manifest(out)
        here, folders = os.path.realpath(out), {}  # type: ignore[var-annotated]
        namer = _Namer(out, formats, manifest.owners(), [p for p in files if _real_folder(p, folders) == here])
        tail = _settings_tail(formats, profile, templates)
        plan: deque[tuple[str, str, str, BatchRow | None]] = deque()  # in input order; rows decided up front

        def jobs() -> Iterator[UnitJob]:
            for path in files:
                identity = identity_of(path, folders)
                try:
                    digest = input_hash(path, formats, profile, templates, tail)
                except (FiguresError, OSError) as exc:
                    message = exc.problems[0].describe() if isinstance(exc, FiguresError) and exc.problems else (
                        f"无法读取：{getattr(exc, 'strerror', None) or exc}")
                    plan.append((path, identity, "", BatchRow(path, "", None, "errors", message, [], 0.0)))
                    continue
                entry = manifest.old.get(identity)
                if (not force and entry and entry.get("hash") == digest and entry.get("status") in ("ok", "warnings")
                        and entry["outputs"] and all(_regular(out / name) for name in entry["outputs"])):
                    plan.append((path, identity, digest, BatchRow(
                        path, entry.get("unit", ""), entry.get("year"), "skipped", "输入与 narrate 版本未变，跳过",
                        entry["outputs"], 0.0)))
                    continue
                plan.append((path, identity, digest, None))
                yield UnitJob(path, formats, profile, templates, label=path)

        def decided() -> Iterator[BatchRow]:
            while plan and plan[0][3] is not None:
                yield plan.popleft()[3]  # type: ignore[misc]

        def written(result: UnitResult) -> BatchRow:
            path, identity, digest, _ = plan.popleft()
            names: list[str] = []
            status, message, stem = result.status, result.message, None
            try:
                if result.outputs:
                    stem = namer.claim(identity, output_stem(result.unit, result.year, Path(path).stem))
                    for fmt, data in result.outputs.items():
                        write_atomic(out / f"{stem}.{fmt}", data)
                        names.append(f"{stem}.{fmt}")
            except OSError as exc:
                status, message = "errors", f"无法写入 {exc.filename or out}：{exc.strerror or exc}"
            manifest.record(identity, {"input": path, "hash": digest, "outputs": names, "status": status,
                                       "unit": result.unit, "year": result.year}, stem)
            return BatchRow(path, result.unit, result.year, status, message, names, round(result.seconds, 4))

        summary = _Summary(out)
        try:
            for result in render_many(jobs(), workers=workers, scheduler=scheduler):
                for row in decided():
                    summary.add(row)
                    yield row
                row = written(result)
                summary.add(row)
                yield row
            for row in decided():
                summary.add(row)
                yield row
            summary.finish()
        except BaseException:
            summary.discard()
            raise
        finally:
            manifest.save()


def run_batch(inputs: Iterable[str], outdir: str | Path, formats: tuple[str, ...] = ("docx",), workers: int | None = None,
              profile: str | None = None, templates: str | None = None, force: bool = False,
              progress: Callable[[int], None] | None = None, scheduler: Any = None,
              wait: float = 0.0) -> list[BatchRow]:
    """Check and render every unit into ``outdir``; returns the summary rows (also written as summary.csv/json).

    ``scheduler``: a Dask scheduler address (or ``distributed.Client``) to render on instead of local processes.
    For very many units prefer :func:`iter_batch`, which holds no rows.
    """
    rows = []
    for row in iter_batch(inputs, outdir, formats, workers, profile, templates, force, scheduler, wait):
        rows.append(row)
        if progress:
            progress(1)
    return rows


SUMMARY_FIELDS = ("input", "unit", "year", "status", "message", "outputs", "seconds")

"""Many units in one run: ``render_many`` for libraries, ``run_batch`` behind ``narrate batch``.

The per-unit function :func:`render_unit` is pure and picklable: it takes a
:class:`UnitJob` (a figures file path or a :class:`~narrate.model.Figures`,
plus options) and returns a :class:`UnitResult` holding the rendered bytes and
the check summary; it writes nothing.  So a process pool, Dask, Ray or Spark
can map it unchanged.  :func:`render_many` maps it over processes and yields
results in input order, streaming (memory stays flat as the count grows).

:func:`run_batch` is the shell around it for ``narrate batch``: it expands
inputs, skips units whose input and narrate version are unchanged, names and
writes the outputs (atomically), and writes ``summary.csv`` / ``summary.json``.
"""

from __future__ import annotations

import csv
import glob
import hashlib
import io
import json
import os
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Literal

from . import __version__

INPUT_SUFFIXES = (".yaml", ".yml", ".json", ".toml", ".xlsx", ".docx")
MANIFEST = ".narrate-batch.json"
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
    from .rules import check
    from .writers import to_bytes

    start = time.perf_counter()
    label = job.label or str(job.source if not hasattr(job.source, "unit") else job.source.unit.name)
    unit, year = "", None
    try:
        figures = job.source if hasattr(job.source, "unit") else load(job.source)
        unit, year = figures.unit.name, figures.unit.year
        facts = compute(figures)
        report = check(figures, reason_threshold=job.reason_threshold, profile=job.profile, facts=facts)
        counts = dict(errors=len(report.errors), warnings=len(report.warnings), notes=len(report.notes))
        if not report.ok:
            return UnitResult(label, "errors", unit, year, report.errors[0].message, **counts,
                              seconds=time.perf_counter() - start)
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


def _warm_up() -> None:
    """Import and prepare what every unit needs once, before the pool forks."""
    from . import computation, rendering, rules  # noqa: F401
    from .loaders import text  # noqa: F401
    from .writers import docx  # noqa: F401


def render_many(units: Iterable[Any], workers: int | None = None, formats: Iterable[str] = ("docx",),
                profile: str | None = None, templates: str | None = None,
                chunksize: int = 4) -> Iterator[UnitResult]:
    """Render many units, yielding one :class:`UnitResult` per unit in input order.

    ``units``: figures file paths, :class:`~narrate.model.Figures` or :class:`UnitJob`.
    ``workers``: processes (default: the number of cores; 1 renders in this process).
    Results stream: at most a few chunks are held at a time, so memory stays flat.
    Raises TypeError when ``units`` is not iterable; a bad unit gives a failed UnitResult, never raises.
    """
    jobs = (u if isinstance(u, UnitJob) else UnitJob(u, tuple(formats), profile, templates) for u in units)
    workers = workers or os.cpu_count() or 1
    if workers <= 1:
        yield from map(render_unit, jobs)
        return
    import multiprocessing

    _warm_up()
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with context.Pool(workers) as pool:
        yield from pool.imap(render_unit, jobs, chunksize=chunksize)


# ---------------------------------------------------------------- narrate batch
def expand_inputs(inputs: Iterable[str], exclude: Path | None = None) -> list[Path]:
    """Files, folders (searched recursively) and glob patterns → the figures files, sorted, without duplicates."""
    found: set[Path] = set()
    missing: list[str] = []
    for item in inputs:
        paths = [Path(p) for p in sorted(glob.glob(item, recursive=True))] if glob.has_magic(item) else [Path(item)]
        if not paths:
            missing.append(item)
        for path in paths:
            if path.is_dir():
                found.update(p for p in path.rglob("*") if p.suffix.lower() in INPUT_SUFFIXES and p.is_file()
                             and not p.name.startswith((".", "~$")))
            elif path.exists():
                found.add(path)
            else:
                missing.append(item)
    if missing:
        raise FileNotFoundError("、".join(missing))
    if exclude is not None:
        out = exclude.resolve()
        found = {p for p in found if out not in p.resolve().parents}
    return sorted(found, key=lambda p: str(p))


def input_hash(path: Path, formats: tuple[str, ...], profile: str | None, templates: str | None) -> str:
    """Content hash of a unit's input and everything else that decides its output."""
    digest = hashlib.sha256()
    digest.update(path.read_bytes())
    digest.update(f"\0{__version__}\0{','.join(formats)}\0{profile}".encode())
    if templates:
        for template in sorted(Path(templates).rglob("*")):
            if template.is_file():
                digest.update(template.name.encode() + b"\0" + template.read_bytes())
    return digest.hexdigest()


_UNSAFE = re.compile(r'[\\/:*?"<>|\s\x00-\x1f]+')


def output_stem(unit: str, year: int | None, fallback: str) -> str:
    """A file name stem from the unit name and year: "阳城县人力资源和社会保障局-2024"."""
    stem = _UNSAFE.sub("_", unit).strip("._") or fallback
    return f"{stem}-{year}" if year else stem


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


def run_batch(inputs: Iterable[str], outdir: str | Path, formats: tuple[str, ...] = ("docx",), workers: int | None = None,
              profile: str | None = None, templates: str | None = None, force: bool = False,
              progress: Callable[[int], None] | None = None) -> list[BatchRow]:
    """Check and render every unit into ``outdir``; returns the summary rows (also written as summary.csv/json)."""
    from .writers import write_atomic

    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    files = expand_inputs(inputs, exclude=out)
    manifest_path = out / MANIFEST
    try:
        manifest: dict[str, Any] = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        manifest = {}
    hashes = {str(p): input_hash(p, formats, profile, templates) for p in files}
    taken: set[str] = set()
    todo: list[Path] = []
    rows: dict[str, BatchRow] = {}
    for path in files:  # unchanged units keep their names and are skipped
        entry = manifest.get(str(path))
        if (not force and entry and entry.get("hash") == hashes[str(path)]
                and all((out / name).exists() for name in entry.get("outputs", []))
                and entry.get("status") in ("ok", "warnings")):
            rows[str(path)] = BatchRow(str(path), entry.get("unit", ""), entry.get("year"), "skipped",
                                       "输入与 narrate 版本未变，跳过", entry["outputs"], 0.0)
            taken.update(Path(n).stem for n in entry["outputs"])
    for path in files:
        if str(path) not in rows:
            todo.append(path)
    jobs = (UnitJob(str(p), formats, profile, templates, label=str(p)) for p in todo)
    new_manifest = {k: v for k, v in manifest.items() if k in rows}
    for result in render_many(jobs, workers=workers):
        names: list[str] = []
        if result.outputs:
            stem = output_stem(result.unit, result.year, Path(result.source).stem)
            unique, n = stem, 1
            while unique in taken:
                n += 1
                unique = f"{stem}-{n}"
            taken.add(unique)
            for fmt, data in result.outputs.items():
                name = f"{unique}.{fmt}"
                write_atomic(out / name, data)
                names.append(name)
        rows[result.source] = BatchRow(result.source, result.unit, result.year, result.status, result.message,
                                       names, round(result.seconds, 4))
        new_manifest[result.source] = {"hash": hashes[result.source], "outputs": names, "status": result.status,
                                       "unit": result.unit, "year": result.year}
        if progress:
            progress(1)
    ordered = [rows[str(p)] for p in files]
    write_atomic(manifest_path, json.dumps(new_manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8"))
    write_summary(out, ordered)
    return ordered


SUMMARY_FIELDS = ("input", "unit", "year", "status", "message", "outputs", "seconds")


def write_summary(out: Path, rows: list[BatchRow]) -> None:
    from .writers import write_atomic

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(SUMMARY_FIELDS)
    for row in rows:
        writer.writerow([row.input, row.unit, row.year or "", row.status, row.message, ";".join(row.outputs), row.seconds])
    write_atomic(out / "summary.csv", ("\ufeff" + buffer.getvalue()).encode("utf-8"))  # BOM: Excel reads UTF-8
    counts = {s: sum(r.status == s for r in rows) for s in ("ok", "warnings", "errors", "skipped")}
    payload = {"narrate": __version__, "counts": counts, "units": [asdict(r) for r in rows]}
    write_atomic(out / "summary.json", json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8"))

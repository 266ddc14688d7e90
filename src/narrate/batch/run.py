"""``narrate batch``: every unit of the inputs checked and rendered into one output folder (the lock held,
unchanged units skipped, outputs named and written atomically, the summary streamed), rows in input order."""

from __future__ import annotations

import os
from collections import deque
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .folder import BatchRow, _folder_lock, _Manifest, _Namer, _regular, _Summary, output_stem
from .inputs import _real_folder, _settings_tail, find_inputs, identity_of, input_hash
from .pool import render_many
from .unit import UnitJob, UnitResult


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
    from ..errors import FiguresError
    from ..writers import write_atomic

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

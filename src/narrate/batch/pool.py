"""Units over a local process pool: :func:`render_many`, chunks sized by pace, workers that freeze what
they inherit and are replaced every :data:`RECYCLE_UNITS` units, a dead worker failing only its units."""

from __future__ import annotations

import itertools
import os
from collections import deque
from typing import Any, Iterable, Iterator

from .unit import UnitJob, UnitResult, _warm_up, failed_result, render_unit_safely


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
        from .cluster import dask_results

        yield from dask_results(jobs, scheduler)
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

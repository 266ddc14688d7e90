"""Units on an existing Dask cluster (``narrate batch --scheduler``): inputs read here and shipped as
bytes, results in input order, a lost worker failing only its unit."""

from __future__ import annotations

import os
import tempfile
from collections import deque
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable, Iterator

from .unit import UnitJob, UnitResult, _label, failed_result, render_unit_safely


@dataclass(frozen=True)
class Shipped:
    """A figures file's path (for messages) and bytes, sent to a worker that need not see the file."""

    path: str
    data: bytes


def ship(job: UnitJob) -> UnitJob:
    """The job with its input file read here (size-checked) and carried as bytes."""
    from ..limits import check_input_file

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


def dask_results(jobs: Iterable[UnitJob], scheduler: Any, window: int = 64) -> Iterator[UnitResult]:
    from ..errors import FiguresError

    from .folder import BatchError

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

"""One unit: :class:`UnitJob` in, :class:`UnitResult` out (:func:`render_unit`, pure and picklable), and
the failed result a crash of any kind becomes."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Any, Literal

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
    from ..computation import compute
    from ..errors import FiguresError, TemplateError
    from ..loaders import load
    from ..rendering import absent_tables, render
    from ..rules import check_and_render
    from ..writers import to_bytes

    start = time.perf_counter()
    label = job.label or str(job.source if not hasattr(job.source, "unit") else job.source.unit.name)
    unit, year = "", None
    try:
        figures = job.source if hasattr(job.source, "unit") else load(job.source)
        unit, year = figures.unit.name, figures.unit.year
        facts = compute(figures, absent_tables(job.profile or figures.profile))  # once, for the unit's layout
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
    from ..api import example_path
    from ..rendering import bundled_profiles

    layout = job.profile if job.profile in bundled_profiles() else "default"
    render_unit(replace(job, source=str(example_path(layout)), label="warm-up"))  # never raises

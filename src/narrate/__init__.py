"""narrate — 部门决算公开 情况说明 and 名词解释, computed from the tables and written in Chinese.

The pipeline, one function per stage::

    figures  = narrate.load("unit.yaml")        # read + validate   → Figures
    report   = narrate.check(figures)           # 勾稽 rules        → Report (errors, warnings, notes)
    facts    = narrate.compute(figures)         # exact Decimal     → Facts (every number, with provenance)
    document = narrate.render(facts)            # Jinja2 templates  → Document (headings, paragraphs)
    narrate.write(document, "情况说明.docx")     # Word / Markdown / text
    narrate.explain(document)                   # every printed number: formula and source cells

or in one call: ``narrate.render_file("unit.yaml", "情况说明.docx")``; many units,
across processes, in input order: ``for result in narrate.render_many(paths): …``
(the per-unit function ``narrate.render_unit`` is pure and picklable).

Bad input raises :class:`FiguresError`, which names the file, the field (and
line) and what was found and expected.  Heavy modules are imported on first
use, so ``import narrate`` is cheap.

What each public function raises (and nothing else for bad arguments):

==================  ==========================================================================
load                FiguresError (unreadable or invalid input); TypeError (not a path)
figures_from_data   FiguresError (anything invalid, named by field)
check               ValueError (bad ``reason_threshold``); TypeError (not Figures);
                    TemplateError (unknown or broken profile)
compute             TypeError (not Figures)
render              TypeError (not Facts); TemplateError (profile or templates)
write               TypeError (not a Document, or not a path); ValueError (unknown output format);
                    OSError (the output cannot be written)
to_bytes            TypeError (not a Document); ValueError (unknown format)
explain             TypeError (not a Document)
render_file         as load, render and write
render_many         TypeError (``units`` not iterable); a bad unit gives a failed UnitResult
render_unit         nothing: a bad job gives a UnitResult with status "errors" and the message
example_path        TypeError (name not a str); TemplateError (unknown profile name)
==================  ==========================================================================
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .errors import FiguresError, Problem, TemplateError

__version__ = "0.1.0"

__all__ = [
    "load",
    "figures_from_data",
    "check",
    "Report",
    "compute",
    "render",
    "write",
    "to_bytes",
    "explain",
    "render_file",
    "render_many",
    "render_unit",
    "UnitJob",
    "UnitResult",
    "example_path",
    "lint",
    "Figures",
    "Facts",
    "Fact",
    "Document",
    "FiguresError",
    "TemplateError",
    "Problem",
    "__version__",
]

_LAZY = {
    "load": ("narrate.loaders", "load"),
    "figures_from_data": ("narrate.loaders", "figures_from_data"),
    "check": ("narrate.rules", "check"),
    "Report": ("narrate.rules", "Report"),
    "compute": ("narrate.computation", "compute"),
    "Facts": ("narrate.computation", "Facts"),
    "Fact": ("narrate.facts", "Fact"),
    "render": ("narrate.rendering", "render"),
    "write": ("narrate.writers", "write"),
    "to_bytes": ("narrate.writers", "to_bytes"),
    "Figures": ("narrate.model", "Figures"),
    "Document": ("narrate.document", "Document"),
    "explain": ("narrate.provenance", "explain"),
    "render_file": ("narrate.api", "render_file"),
    "render_many": ("narrate.batch", "render_many"),
    "render_unit": ("narrate.batch", "render_unit"),
    "UnitJob": ("narrate.batch", "UnitJob"),
    "UnitResult": ("narrate.batch", "UnitResult"),
    "example_path": ("narrate.api", "example_path"),
    "lint": ("narrate.linting", "lint"),
}

if TYPE_CHECKING:  # pragma: no cover
    from .api import example_path, render_file
    from .batch import UnitJob, UnitResult, render_many, render_unit
    from .computation import Facts, compute
    from .document import Document
    from .facts import Fact
    from .loaders import figures_from_data, load
    from .model import Figures
    from .provenance import explain
    from .rendering import render
    from .rules import Report, check
    from .writers import to_bytes, write


# Stages whose first argument is the previous stage's result: a wrong type is a TypeError naming it,
# not an AttributeError from deep inside.
_FIRST_ARGUMENT = {
    "compute": ("narrate.model", "Figures", "narrate.load 的结果"),
    "render": ("narrate.computation", "Facts", "narrate.compute 的结果"),
    "write": ("narrate.document", "Document", "narrate.render 的结果"),
    "to_bytes": ("narrate.document", "Document", "narrate.render 的结果"),
    "explain": ("narrate.document", "Document", "narrate.render 的结果"),
}
_RAISES = {
    "compute": "TypeError when ``figures`` is not Figures.",
    "render": "TypeError when ``facts`` is not Facts; TemplateError for an unknown or broken profile or templates.",
    "write": "TypeError when ``document`` is not a Document or ``output`` not a path; ValueError for an unknown "
             "output format; OSError when the output cannot be written.",
    "to_bytes": "TypeError when ``document`` is not a Document; ValueError for an unknown format.",
    "explain": "TypeError when ``document`` is not a Document.",
}


def _guarded(name: str, function: Any) -> Any:
    from functools import wraps

    module, kind, hint = _FIRST_ARGUMENT[name]
    expected = getattr(import_module(module), kind)

    @wraps(function)
    def call(first: Any, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(first, expected):
            raise TypeError(f"narrate.{name} 的第一个参数应为 {kind}（{hint}），实际为 {type(first).__name__}")
        return function(first, *args, **kwargs)

    call.__doc__ = f"{function.__doc__ or ''}\n\nRaises: {_RAISES[name]}\n"
    return call


def __getattr__(name: str) -> Any:
    try:
        module, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'narrate' has no attribute {name!r}") from None
    value = getattr(import_module(module), attr)
    if name in _FIRST_ARGUMENT:
        value = _guarded(name, value)
    globals()[name] = value
    return value

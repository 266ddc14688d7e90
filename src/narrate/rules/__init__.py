"""``narrate check``: cross-table rules (勾稽) as data, plus what the narrative will lack.

>>> report = narrate.check(figures)
>>> report.errors, report.warnings, report.notes

Rules live in ``catalog.yaml`` beside this file (one entry per rule: id,
description, the cells it compares); :mod:`.engine` evaluates them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable, Mapping

from ..model import Figures
from .engine import Cell, Finding, evaluate, tolerance
from .blank import absent_table_findings, blank_table_findings
from .narrative import narrative_findings

__all__ = ["check", "check_and_render", "Report", "Finding", "Cell", "tolerance", "parse_reason_threshold", "addresses", "suspects"]

_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Report:
    """All findings of a check, errors first, in rule order within each severity."""

    findings: tuple[Finding, ...]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def notes(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "info"]

    @property
    def ok(self) -> bool:
        """No rule errors (warnings and notes allowed)."""
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "counts": {"error": len(self.errors), "warning": len(self.warnings), "info": len(self.notes)},
            "findings": [f.as_dict() for f in self.findings],
        }


def addresses(finding: Finding, cells: Mapping[str, str]) -> list[str]:
    """The cells a finding names, as the loader's cell map gives them (``公开01表!C37``), each once."""
    return list(dict.fromkeys(cells[c.path] for c in finding.cells if c.path and c.path in cells))


def suspects(findings: Iterable[Finding], cells: Mapping[str, str]) -> list[tuple[str, int]]:
    """The cells shared by more than one error finding, the most shared first (then in reading
    order of the findings): (address, how many findings name it).  One wrong cell breaks every
    rule it is in, so the first is the most likely wrong cell."""
    counts: dict[str, int] = {}
    for finding in findings:
        if finding.severity == "error":
            for address in addresses(finding, cells):
                counts[address] = counts.get(address, 0) + 1
    shared = [(address, n) for address, n in counts.items() if n > 1]
    return sorted(shared, key=lambda pair: -pair[1])


def parse_reason_threshold(value: object) -> Decimal:
    """``reason_threshold`` as a Decimal percent: a finite number ≥ 0 ("10", 10, 7.5, "10%").

    The one validator for ``narrate.check(…, reason_threshold=…)``, ``UnitJob.reason_threshold`` and the
    CLI's ``--reason-threshold``.  Raises ValueError with a Chinese message naming the option and what was given.
    """
    from ..model import brief

    number = None
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    elif isinstance(value, str) and len(value) <= 40:
        try:
            number = Decimal(value.strip().removesuffix("%").strip())
        except InvalidOperation:
            number = None
    if number is None or not number.is_finite() or number < 0 or number.adjusted() > 6:
        shown = f"“{brief(value)}”" if isinstance(value, str) else brief(value)
        raise ValueError(f"reason_threshold（--reason-threshold）应为 0 到 1000000 之间的百分数，如 10 表示 10%；"
                         f"实际为 {shown}")
    return number


def _cited(finding: Finding, style: Any) -> Finding:
    """The finding naming the tables as the layout does (profile ``tables:``; "公开09表" → "表七")."""
    from dataclasses import replace

    if not style.renames_tables:
        return finding
    cells = tuple(replace(c, label=style.cite(c.label)) for c in finding.cells)
    return replace(finding, message=style.cite(finding.message), cells=cells)


def check(figures: Figures, reason_threshold: Decimal | int | str = 0, profile: str | None = None,
          facts: Any = None, unreadable: frozenset[str] = frozenset()) -> Report:
    """Check the tables (勾稽, rounding tails) and list what the narrative will lack.

    ``reason_threshold`` (percent): a year-over-year or budget difference whose
    rate is at most this is not flagged "需说明原因"; the default 0 flags every
    change.  Which differences need a reason is the profile's ``reasons`` list
    (the default layout explains year-over-year changes, not budget differences).
    ``facts``: the already computed facts of these figures, to avoid computing them twice.
    ``unreadable``: field paths of cells that could not be read (:attr:`FiguresError.partial`);
    the rules touching them are skipped.

    Raises ValueError for a ``reason_threshold`` that is not a finite number ≥ 0 (see
    :func:`parse_reason_threshold`), TypeError when ``figures`` is not :class:`~narrate.model.Figures`,
    :class:`~narrate.TemplateError` for an unknown or broken ``profile``.
    """
    return check_and_render(figures, reason_threshold, profile, facts, unreadable)[0]


def check_and_render(figures: Figures, reason_threshold: Decimal | int | str = 0, profile: str | None = None,
                     facts: Any = None, unreadable: frozenset[str] = frozenset()) -> tuple[Report, Any]:
    """:func:`check`, and the Document the layout renders for these figures on the way — the chapter
    :func:`narrate.render` gives for ``profile`` without user templates (check reads which fields it
    prints), so a caller rendering right after the check need not render twice.  Raises as :func:`check`.
    """
    from ..computation import compute
    from ..reads import Reads
    from ..rendering import load_profile, render

    threshold = parse_reason_threshold(reason_threshold)
    if not isinstance(figures, Figures):
        raise TypeError(f"narrate.check 需要 Figures（narrate.load 的结果），实际为 {type(figures).__name__}")
    layout = load_profile(str(profile or figures.profile or "default"))
    absent = layout.style.absent_tables
    facts = facts.for_layout(absent) if facts is not None else compute(figures, absent)
    reads = Reads()
    try:
        document = render(facts, profile=str(layout.folder), reads=reads)  # what this layout prints for this unit
        findings = (blank_table_findings(figures, layout.tables_with_data) + absent_table_findings(figures, absent)
                    + evaluate(figures, unreadable=unreadable, absent_tables=absent)
                    + narrative_findings(facts, reads, threshold, layout.reasons, layout.budget))
    finally:
        reads.release()
    findings = [_cited(f, layout.style) for f in findings]
    ordered = sorted(enumerate(findings), key=lambda pair: (_ORDER[pair[1].severity], pair[0]))
    return Report(tuple(f for _, f in ordered)), document

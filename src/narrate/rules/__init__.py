"""``narrate check``: cross-table rules (勾稽) as data, plus what the narrative will lack.

>>> report = narrate.check(figures)
>>> report.errors, report.warnings, report.notes

Rules live in ``catalog.yaml`` beside this file (one entry per rule: id,
description, the cells it compares); :mod:`.engine` evaluates them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..model import Figures
from .engine import Cell, Finding, evaluate, tolerance
from .narrative import narrative_findings

__all__ = ["check", "Report", "Finding", "Cell", "tolerance"]

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


def check(figures: Figures, reason_threshold: Decimal | int | str = 0, profile: str | None = None,
          facts: Any = None) -> Report:
    """Check the tables (勾稽, rounding tails) and list what the narrative will lack.

    ``reason_threshold`` (percent): a year-over-year or budget difference whose
    rate is at most this is not flagged "需说明原因"; the default 0 flags every
    change.  Which differences need a reason is the profile's ``reasons`` list
    (the default layout explains year-over-year changes, not budget differences).
    ``facts``: the already computed facts of these figures, to avoid computing them twice.
    """
    from ..computation import compute
    from ..rendering import load_profile

    layout = load_profile(str(profile or figures.profile or "default"))
    findings = evaluate(figures) + narrative_findings(facts or compute(figures), Decimal(str(reason_threshold)), layout.reasons,
                                                      layout.detail_level, layout.three_public_items,
                                                      layout.detail_prior)
    ordered = sorted(enumerate(findings), key=lambda pair: (_ORDER[pair[1].severity], pair[0]))
    return Report(tuple(f for _, f in ordered))

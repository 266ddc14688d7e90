"""The rules' numbers-first checks decide exactly as the labelled resolver does.

``Resolver.values`` walks a cell path for bare values (no labels) so that a rule with wildcards or row
selectors, or an ``each`` rule, can be settled on its numbers when it certainly gives no finding; only
otherwise are the labelled cells built.  These tests hold ``values`` to what ``_walk`` finds, and the
findings of ``evaluate`` to those of the resolver alone, on valid units and on broken ones.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import narrate
from narrate.rules import engine
from narrate.synthetic import synthetic_units

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _figures() -> list[narrate.Figures]:
    units = [narrate.load(p) for p in sorted(EXAMPLES.glob("*.yaml"))]
    units += [narrate.figures_from_data(d) for d in synthetic_units(30, seed=11)]
    broken = []
    for figures in units[:12]:  # a cell off by more than the tolerance, and by a rounding tail
        t05 = figures.tables.t05
        for delta in (Decimal("7.00"), Decimal("0.01")):
            row = t05.rows[0].model_copy(update={"basic": t05.rows[0].basic + delta})
            tables = figures.tables.model_copy(update={"t05": t05.model_copy(update={"rows": [row, *t05.rows[1:]]})})
            broken.append(figures.model_copy(update={"tables": tables}))
        t01 = figures.tables.t01
        broken.append(figures.model_copy(update={"tables": figures.tables.model_copy(
            update={"t01": t01.model_copy(update={"income_total": t01.income_total + Decimal("3.00")})})}))
    return units + broken


FIGURES = _figures()


def _paths() -> list[str]:
    rules, _ = engine.load_catalog()
    paths = {p for r in rules for p in (r.total, *r.parts, *r.minus, *r.requires, r.each or "")}
    return sorted(p for p in paths if p and not p.startswith(".") and "{" not in p)


@pytest.mark.parametrize("path", _paths())
def test_values_are_what_the_walk_finds(path):
    for figures in FIGURES:
        resolver = engine.Resolver(figures)
        try:
            expected = [node.value for node in resolver._walk(path, None)]
        except (KeyError, AttributeError) as exc:
            with pytest.raises(type(exc)):
                resolver.values(path)
            continue
        assert resolver.values(path) == expected, path


def _labelled_only(figures: narrate.Figures, monkeypatch: pytest.MonkeyPatch) -> list[engine.Finding]:
    with monkeypatch.context() as patch:
        patch.setattr(engine.Rule, "figures_check", property(lambda rule: None))
        patch.setattr(engine.Rule, "row_check", property(lambda rule: None))
        patch.setattr(engine, "_holds_exactly", lambda resolver, rule: False)
        return engine.evaluate(figures)


def test_findings_are_those_of_the_labelled_resolver(monkeypatch):
    some_findings = 0
    for figures in FIGURES:
        found = engine.evaluate(figures)
        assert [f.as_dict() for f in found] == [f.as_dict() for f in _labelled_only(figures, monkeypatch)]
        some_findings += bool(found)
    assert some_findings > 10  # the broken units do give findings

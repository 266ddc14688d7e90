"""Rendering a unit leaves no reference cycles: everything it made is freed as soon as it ends.

Batch workers rely on it (``narrate.batch.pool._worker_setup`` lets their collector run rarely): a cycle
through a unit's records — a template's context and the macros it defines, the watched records of a
check — would keep the whole unit alive until a collection.  Counted with the collector, not timed.
"""

from __future__ import annotations

import gc
import json
from collections import Counter
from pathlib import Path

import pytest

from narrate.batch import UnitJob, render_unit
from narrate.batch.pool import _worker_setup
from narrate.synthetic import synthetic_units

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


OURS = ("narrate", "jinja2", "pydantic", "docx", "lxml")
"""Whose garbage counts: a unit's objects.  Other threads' garbage (a Dask cluster an earlier test ran
leaves asyncio futures and contexts behind for a while) is not the unit's."""


def _cyclic_garbage(job: UnitJob) -> Counter:
    """The types (of narrate and the libraries it renders with) of what the collector finds unreachable
    after ``job`` is rendered."""
    render_unit(job)  # once first: caches filled on first use are kept, not garbage
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        result = render_unit(job)
        del result
        gc.collect()
        return Counter(type(o).__name__ for o in gc.garbage if type(o).__module__.split(".")[0] in OURS)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
@pytest.mark.parametrize("formats", [("docx",), ("md", "txt")])
def test_rendering_an_example_leaves_no_cycles(example, formats):
    result = render_unit(UnitJob(str(EXAMPLES / example), formats))
    assert result.ok, result.message
    assert _cyclic_garbage(UnitJob(str(EXAMPLES / example), formats)) == Counter()


def test_a_unit_with_warnings_leaves_no_cycles(tmp_path):
    path = tmp_path / "unit.json"
    path.write_text(json.dumps(next(iter(synthetic_units(1, seed=3))), ensure_ascii=False, default=str),
                    encoding="utf-8")
    assert render_unit(UnitJob(str(path))).status == "warnings"
    assert _cyclic_garbage(UnitJob(str(path))) == Counter()


def test_a_failed_unit_leaves_no_cycles(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"unit": {"name": "x"}}', encoding="utf-8")
    assert render_unit(UnitJob(str(path))).status == "errors"
    assert _cyclic_garbage(UnitJob(str(path))) == Counter()


def test_worker_setup_freezes_and_raises_the_young_threshold():
    before_threshold, before_frozen = gc.get_threshold(), gc.get_freeze_count()
    try:
        _worker_setup()
        assert gc.get_threshold()[0] > 700 and gc.get_freeze_count() >= before_frozen
    finally:
        gc.unfreeze()
        gc.set_threshold(*before_threshold)

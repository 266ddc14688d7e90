"""Every public function, called with bad arguments, raises only what its docstring documents (issue 10, defect 16)."""

from __future__ import annotations

from pathlib import Path

import pytest

import narrate

DOCUMENTED = (narrate.FiguresError, narrate.TemplateError, ValueError, TypeError, OSError)
BAD = [None, 123, "", "无此文件.yaml", b"\xff", ["x"], {"unit": 1}, 1.5, object()]


def _calls(figures, facts, document, tmp: Path):
    """(function name, call) pairs: each public function with each bad argument in each position."""
    for bad in BAD:
        yield "load", lambda b=bad: narrate.load(b)
        yield "figures_from_data", lambda b=bad: narrate.figures_from_data(b)
        yield "figures_from_data", lambda b=bad: narrate.figures_from_data({"unit": b})
        yield "check", lambda b=bad: narrate.check(b)
        yield "check", lambda b=bad: narrate.check(figures, reason_threshold=b)
        yield "check", lambda b=bad: narrate.check(figures, profile=b)
        yield "compute", lambda b=bad: narrate.compute(b)
        yield "render", lambda b=bad: narrate.render(b)
        yield "render", lambda b=bad: narrate.render(facts, profile=b)
        yield "write", lambda b=bad: narrate.write(b, tmp / "x.md")
        yield "write", lambda b=bad: narrate.write(document, b if b != "" else tmp)
        yield "to_bytes", lambda b=bad: narrate.to_bytes(b, "md")
        yield "to_bytes", lambda b=bad: narrate.to_bytes(document, b)
        yield "explain", lambda b=bad: narrate.explain(b)
        yield "render_file", lambda b=bad: narrate.render_file(b, tmp / "y.md")
        yield "render_file", lambda b=bad: narrate.render_file(narrate.example_path(), b if b != "" else tmp)
        yield "example_path", lambda b=bad: narrate.example_path(b)


def test_public_functions_raise_only_documented_exceptions(example_figures, tmp_path):
    facts = narrate.compute(example_figures)
    document = narrate.render(facts)
    undocumented = []
    for name, call in _calls(example_figures, facts, document, tmp_path):
        try:
            call()
        except DOCUMENTED:
            pass
        except Exception as exc:  # noqa: BLE001 - the point of the test
            undocumented.append(f"{name}: {type(exc).__name__}: {exc}")
    assert not undocumented, "\n".join(undocumented)


@pytest.mark.parametrize("job", [narrate.UnitJob(None), narrate.UnitJob(123), narrate.UnitJob("无此文件.yaml"),
                                 narrate.UnitJob(narrate.example_path, formats=("pdf",)),
                                 narrate.UnitJob(str(Path(__file__)), reason_threshold="abc"),
                                 narrate.UnitJob("x.yaml", formats=None), None, "x.yaml"])
def test_render_unit_never_raises(job):
    result = narrate.render_unit(job)
    assert isinstance(result, narrate.UnitResult) and result.status == "errors" and result.message


def test_render_many_with_bad_units_yields_failed_results():
    results = list(narrate.render_many([None, 123, narrate.example_path()], workers=1, formats=("md",)))
    assert [r.status for r in results][:2] == ["errors", "errors"] and results[2].ok


def test_public_functions_document_their_exceptions():
    for name in narrate.__all__:
        value = getattr(narrate, name)
        if callable(value) and not isinstance(value, type):
            doc = value.__doc__ or ""
            assert "Raises" in doc or "raises" in doc, f"narrate.{name} does not document what it raises"

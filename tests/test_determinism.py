"""The same input gives byte-identical output, within a process and across processes."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest

import narrate


@pytest.mark.parametrize("fmt", ["docx", "md", "txt"])
def test_same_input_same_bytes_in_process(example_path, fmt):
    first = narrate.to_bytes(narrate.render(narrate.compute(narrate.load(example_path))), fmt)
    second = narrate.to_bytes(narrate.render(narrate.compute(narrate.load(example_path))), fmt)
    assert first == second


def test_same_input_same_bytes_across_processes(tmp_path):
    digests = []
    for i in range(2):
        out = tmp_path / f"run{i}.docx"
        result = subprocess.run([sys.executable, "-m", "narrate.cli", "demo", "-o", str(out)], capture_output=True)
        assert result.returncode == 0, result.stderr
        digests.append(hashlib.sha256(out.read_bytes()).hexdigest())
    assert digests[0] == digests[1]


def test_the_checks_render_is_the_render():
    """render and batch reuse the Document check renders on the way (no second render): it must be the
    very chapter narrate.render gives — for every bundled example under its profile, and every format."""
    from pathlib import Path

    from narrate.rules import check_and_render

    examples = sorted((Path(narrate.example_path()).parent).glob("*.yaml"))
    assert len(examples) >= 3
    for path in examples:
        figures = narrate.load(path)
        facts = narrate.compute(figures)
        _, checked = check_and_render(figures, facts=facts)
        plain = narrate.render(facts)
        for fmt in ("docx", "md", "txt"):
            assert narrate.to_bytes(checked, fmt) == narrate.to_bytes(plain, fmt), (path.name, fmt)
        assert narrate.to_bytes(checked, "docx", review=True) == narrate.to_bytes(plain, "docx", review=True)

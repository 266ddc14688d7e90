"""The harness itself: a clean run is not mistaken for a refusal, and the limit really applies."""

from __future__ import annotations

from .harness import GIB, assert_refused, run, run_python


def test_valid_render_passes_under_the_limit(tmp_path, example_path):
    outcome = run("render", example_path, "-o", tmp_path / "x.md")
    assert outcome.returncode == 0, outcome.stderr
    assert (tmp_path / "x.md").read_text(encoding="utf-8").startswith("#")


def test_address_space_limit_is_enforced():
    outcome = run_python("b = bytearray(2 * (1 << 30))", address_space=GIB)
    assert outcome.returncode != 0 and "MemoryError" in outcome.stderr


def test_missing_input_is_a_clean_refusal(tmp_path):
    assert_refused(run("render", tmp_path / "无此文件.yaml", "-o", tmp_path / "x.md"), "无此文件.yaml")

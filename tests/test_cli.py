"""The narrate command as a user runs it: exit codes, messages, files written (or not)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from narrate.cli import main


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_help_lists_commands():
    result = run("--help")
    assert result.exit_code == 0
    for command in ("render", "demo", "example"):
        assert command in result.output


@pytest.mark.parametrize("command", ["render", "demo", "example"])
def test_each_command_has_help(command):
    result = run(command, "--help")
    assert result.exit_code == 0 and "-o" in result.output


@pytest.mark.parametrize("suffix", [".docx", ".md", ".txt"])
def test_demo_writes_each_format(tmp_path, suffix):
    out = tmp_path / f"out{suffix}"
    result = run("demo", "-o", str(out))
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    if suffix == ".docx":
        assert data[:2] == b"PK"
    else:
        assert "第三部分 情况说明" in data.decode("utf-8")


def test_render_to_stdout():
    from narrate import example_path

    result = run("render", str(example_path()), "-o", "-")
    assert result.exit_code == 0
    assert result.stdout.startswith("第三部分 情况说明\n\n一、收入支出决算总体情况说明\n")


def test_example_then_render_equals_demo(tmp_path):
    figures = tmp_path / "unit.yaml"
    assert run("example", "-o", str(figures)).exit_code == 0
    assert run("render", str(figures), "-o", str(tmp_path / "a.md")).exit_code == 0
    assert run("demo", "-o", str(tmp_path / "b.md")).exit_code == 0
    assert (tmp_path / "a.md").read_bytes() == (tmp_path / "b.md").read_bytes()


def test_example_refuses_to_overwrite(tmp_path):
    figures = tmp_path / "unit.yaml"
    figures.write_text("mine", encoding="utf-8")
    result = run("example", "-o", str(figures))
    assert result.exit_code == 2 and "--force" in result.output
    assert figures.read_text(encoding="utf-8") == "mine"
    assert run("example", "-o", str(figures), "--force").exit_code == 0


def test_bad_input_exits_2_without_traceback_and_keeps_existing_output(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("unit:\n  name: 单位\n  year: 2024\ntables:\n  t05:\n    total: {total: '1,2.3'}\n", encoding="utf-8")
    out = tmp_path / "out.docx"
    out.write_bytes(b"previous good document")
    result = subprocess.run(
        [sys.executable, "-m", "narrate.cli", "render", str(bad), "-o", str(out)],
        capture_output=True, text=True,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "bad.yaml" in result.stderr and "tables.t05.total.total" in result.stderr and "第 6 行" in result.stderr
    assert out.read_bytes() == b"previous good document"
    assert {p.name for p in tmp_path.iterdir()} == {"bad.yaml", "out.docx"}  # no temporary file left


def test_unknown_output_format(tmp_path):
    result = run("demo", "-o", str(tmp_path / "out.pdf"))
    assert result.exit_code == 2 and ".pdf" in result.output
    assert not (tmp_path / "out.pdf").exists()


def test_missing_figures_file(tmp_path):
    result = run("render", str(tmp_path / "none.yaml"), "-o", str(tmp_path / "o.md"))
    assert result.exit_code == 2 and "不存在" in result.output
    assert not (tmp_path / "o.md").exists()


def test_unknown_profile(tmp_path):
    result = run("demo", "-o", str(tmp_path / "o.md"), "--profile", "nowhere")
    assert result.exit_code == 2 and "nowhere" in result.output and "default" in result.output


def test_output_folder_missing(tmp_path):
    result = run("demo", "-o", str(tmp_path / "no" / "such" / "o.md"))
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_schema_command_writes_the_schema(tmp_path):
    import json

    out = tmp_path / "figures.schema.json"
    assert run("schema", "-o", str(out)).exit_code == 0
    schema = json.loads(out.read_text(encoding="utf-8"))
    assert "unit" in schema["properties"] and schema["additionalProperties"] is False


def test_example_points_editors_at_a_schema_beside_it(tmp_path):
    figures = tmp_path / "unit.yaml"
    assert run("example", "-o", str(figures)).exit_code == 0
    assert "# yaml-language-server: $schema=figures.schema.json" in figures.read_text(encoding="utf-8")


def test_review_docx_has_comments(tmp_path):
    import docx

    out = tmp_path / "review.docx"
    assert run("demo", "-o", str(out), "--review").exit_code == 0
    assert len(docx.Document(str(out)).comments) > 100
    assert run("demo", "-o", str(tmp_path / "r.md"), "--review").exit_code == 2


def test_outputs_get_ordinary_permissions(tmp_path):
    import os

    out = tmp_path / "o.md"
    assert run("demo", "-o", str(out)).exit_code == 0
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask
    out.chmod(0o640)
    assert run("demo", "-o", str(out)).exit_code == 0
    assert out.stat().st_mode & 0o777 == 0o640

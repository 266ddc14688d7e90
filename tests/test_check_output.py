"""What `narrate check` prints: 尾数误差 summarised in one line unless --verbose; JSON keeps every finding."""

from __future__ import annotations

import json

from click.testing import CliRunner

from narrate.cli import main


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_rounding_tails_summarised_by_default(example_path):
    result = run("check", str(example_path))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    # the reference tables carry 26 tails (seed-notes: 03/05 表 rows, 06 表 totals, …), listed as one line
    assert "提示 26 处" in lines[0]
    assert len(lines) == 2 and "26 处尾数误差" in lines[1] and "--verbose" in lines[1]


def test_verbose_lists_each_tail(example_path):
    result = run("check", "--verbose", str(example_path))
    tails = [line for line in result.output.splitlines() if "[提示·尾数误差]" in line]
    assert len(tails) == 26 and all("差额" in line for line in tails)


def test_json_keeps_every_tail(example_path):
    result = run("check", "--json", str(example_path))
    findings = json.loads(result.output)["findings"]
    assert sum(f["category"] == "尾数误差" for f in findings) == 26

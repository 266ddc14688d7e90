"""The command line speaks Chinese throughout: click's usage lines, help headings and errors too."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from narrate.locale import COMPILED, compile_catalog

ENGLISH = re.compile(r"\b(Usage|Options|Commands|Error|Missing|Try|No such|Invalid|Show this|Got unexpected|"
                     r"requires an argument|is not one of|does not exist)\b")


def narrate(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "narrate", *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=120)


@pytest.mark.parametrize("args, words", [
    (["render"], ["缺少参数", "FIGURES", "用法", "查看帮助"]),
    (["render", "x.yaml"], ["缺少选项", "--output"]),
    (["bogus"], ["没有命令", "bogus"]),
    (["rendr"], ["是否想写", "render"]),
    (["render", "x.yaml", "-o", "y.docx", "--format", "pdf"], ["值无效", "pdf", "docx"]),
    (["render", "x.yaml", "-o", "y.docx", "--bogus"], ["没有选项", "--bogus"]),
    (["render", "x.yaml", "-o"], ["后面要写一个值"]),
    (["render", "a.yaml", "b.yaml", "-o", "y.docx"], ["多出了参数", "b.yaml"]),
])
def test_usage_errors_in_chinese(args, words):
    result = narrate(*args)
    assert result.returncode == 2
    assert not ENGLISH.search(result.stderr), result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


@pytest.mark.parametrize("args", [["--help"], ["render", "--help"], ["batch", "--help"], ["check", "-h"]])
def test_help_in_chinese(args):
    result = narrate(*args)
    assert result.returncode == 0
    assert "用法:" in result.stdout and "选项:" in result.stdout and "[选项]" in result.stdout
    assert "显示本帮助并退出" in result.stdout
    assert not ENGLISH.search(result.stdout), result.stdout


def test_version_in_chinese():
    result = narrate("--version")
    assert result.returncode == 0 and "版本" in result.stdout


def test_compiled_catalog_matches_its_source():
    """click.zh_CN.mo is click.zh_CN.po compiled: run `python -m narrate.locale` after editing the .po."""
    assert COMPILED.read_bytes() == compile_catalog()

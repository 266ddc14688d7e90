"""Cold start: what a fresh process imports (structural, never timed).

``narrate render`` from a fresh process is mostly imports; each module a command
does not use is start-up time for nothing.  These tests run the command in a
child process and check ``sys.modules`` when it is done: the heavy readers and
writers of other formats, Babel, and the test and parallel tools stay out.
The figures behind this are in docs/performance.md (cold start).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from narrate.numbers import PYTHON_WRITES_LOCALE, _locale_writes_like_python

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "yangcheng-2024.yaml"

# What no render of a YAML file needs: the Excel and Word readers, the workbook writer, batch runs,
# Babel (numbers.PYTHON_WRITES_LOCALE), and tools only tests or other commands use.
NEVER_FOR_RENDER = (
    "openpyxl", "python_calamine", "dask", "hypothesis", "pytest", "babel", "docxtpl",
    "narrate.loaders.xlsx", "narrate.loaders.grid", "narrate.loaders.docx_tables", "narrate.loaders.prior",
    "narrate.writers.workbook", "narrate.batch", "narrate.schema", "narrate.dump", "narrate.synthetic",
    "narrate.provenance", "narrate.writers.docx_into", "narrate.api",
)
# Only the Word writer needs python-docx and lxml.
WORD_ONLY = ("docx", "lxml", "narrate.writers.docx")

_MODULES_AFTER = """
import json, runpy, sys
sys.argv = ["narrate", *json.loads(sys.argv[1])]
try:
    runpy.run_module("narrate", run_name="__main__", alter_sys=True)
except SystemExit as exc:
    if exc.code:
        raise
print(json.dumps(sorted(sys.modules)))
"""


def _modules_after(*args: str) -> set[str]:
    """The modules imported by ``python -m narrate ARGS`` in a fresh process, once it is done."""
    result = subprocess.run([sys.executable, "-c", _MODULES_AFTER, json.dumps(list(args))],
                            capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return set(json.loads(result.stdout.splitlines()[-1]))


def _present(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(name for name in names if name in modules)


def test_import_narrate_is_cheap() -> None:
    result = subprocess.run([sys.executable, "-c", "import json, sys, narrate; print(json.dumps(sorted(sys.modules)))"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    modules = set(json.loads(result.stdout))
    assert sorted(m for m in modules if m.startswith("narrate")) == ["narrate", "narrate.errors"]
    assert not _present(modules, ("pydantic", "click", "jinja2", "yaml", *NEVER_FOR_RENDER, *WORD_ONLY))


@pytest.mark.parametrize("suffix", ["md", "txt"])
def test_text_render_imports_only_what_it_uses(tmp_path: Path, suffix: str) -> None:
    modules = _modules_after("render", str(EXAMPLE), "-o", str(tmp_path / f"x.{suffix}"))
    assert (tmp_path / f"x.{suffix}").is_file()
    assert {"narrate.rendering", "narrate.writers.markdown"} <= modules  # the test ran the real command
    assert not _present(modules, NEVER_FOR_RENDER + WORD_ONLY)


def test_word_render_imports_no_reader_or_babel(tmp_path: Path) -> None:
    modules = _modules_after("render", str(EXAMPLE), "-o", str(tmp_path / "x.docx"))
    assert (tmp_path / "x.docx").is_file()
    assert "narrate.writers.docx" in modules
    assert not _present(modules, NEVER_FOR_RENDER)


def test_help_imports_no_pipeline() -> None:
    modules = _modules_after("--help")
    # importlib.metadata too: click's version_option reads narrate's version only for --version.
    pipeline = ("pydantic", "jinja2", "yaml", "importlib.metadata", "narrate.model", "narrate.rendering",
                "narrate.computation")
    assert not _present(modules, pipeline + NEVER_FOR_RENDER + WORD_ONLY)


def test_recorded_locale_fact_is_babels() -> None:
    # numbers.PYTHON_WRITES_LOCALE stands in for asking Babel at run time; it must say what Babel says.
    assert PYTHON_WRITES_LOCALE == _locale_writes_like_python()

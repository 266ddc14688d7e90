"""Installed as a user would (a non-editable wheel, run from another folder), narrate renders.

Builds the wheel, installs it into a private folder, and runs ``narrate demo``
from a temporary working directory with only that folder first on the path, so
templates and the example must come from inside the installed package.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from reference import reference_paragraphs

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    wheels = tmp_path_factory.mktemp("wheels")
    target = tmp_path_factory.mktemp("site")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(ROOT)],
        capture_output=True, text=True,
    )
    assert build.returncode == 0, build.stderr
    wheel = next(wheels.glob("narrate-*.whl"))
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        capture_output=True, text=True,
    )
    assert install.returncode == 0, install.stderr
    return target


def run_installed(target: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(target)}
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True)


def test_wheel_ships_templates_and_example(installed):
    package = installed / "narrate"
    assert (package / "templates" / "zh" / "default" / "profile.yaml").is_file()
    assert (package / "examples" / "yangcheng-2024.yaml").is_file()
    assert (package / "py.typed").is_file()


def test_installed_package_renders_from_another_folder(installed, tmp_path):
    probe = run_installed(installed, tmp_path, "-c", "import narrate, sys; print(narrate.__file__)")
    assert probe.returncode == 0 and probe.stdout.strip().startswith(str(installed)), probe.stdout + probe.stderr
    for name in ("out.md", "out.docx"):
        result = run_installed(installed, tmp_path, "-m", "narrate.cli", "demo", "-o", name)
        assert result.returncode == 0, result.stderr
    md = (tmp_path / "out.md").read_text(encoding="utf-8")
    paragraphs = [p.lstrip("#").strip() for p in md.split("\n\n") if p.strip()]
    assert len(paragraphs) == len(reference_paragraphs()) == 74
    assert (tmp_path / "out.docx").read_bytes()[:2] == b"PK"

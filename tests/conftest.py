from __future__ import annotations

import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS))  # tests/reference.py, tests/strategies.py

import narrate  # noqa: E402


@pytest.fixture(scope="session")
def example_path() -> Path:
    return narrate.example_path()


@pytest.fixture(scope="session")
def example_figures(example_path):
    return narrate.load(example_path)


@pytest.fixture(scope="session")
def example_document(example_figures):
    return narrate.render(narrate.compute(example_figures))

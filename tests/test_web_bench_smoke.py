"""Smoke test: benchmarks/bench_web.py runs in --quick mode and reports both cases (no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="网页版依赖未安装（pip install -e '.[test]'）")

ROOT = Path(__file__).resolve().parents[1]


def test_bench_web_quick_reports_both_cases():
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_web.py"), "--quick", "--json"],
                          cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout)
    assert set(results["cases"]) == {"upload_review", "type_reason"}
    assert all(row["median_ms"] > 0 for row in results["cases"].values())
    assert set(results["targets"]) == {"upload_review_median_ms", "type_reason_median_ms"}

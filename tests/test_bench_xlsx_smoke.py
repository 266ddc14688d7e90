"""Smoke test: benchmarks/bench_xlsx.py runs in --quick mode and reports every figure (no timing asserted)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "bench_xlsx.py"


def _positive(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value > 0


def test_bench_xlsx_quick():
    proc = subprocess.run([sys.executable, str(SCRIPT), "--quick", "--json"], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out["results"]) == {"grids_calamine", "grids_openpyxl", "load_calamine", "load_openpyxl",
                                   "load_yaml", "render"}
    for name, result in out["results"].items():
        for key in ("median_ms", "p90_ms", "min_ms", "runs"):
            assert _positive(result[key]), (name, key)
    for name, ratio in out["ratios"].items():
        assert _positive(ratio), name
    assert out["workbook"]["sheets"] == 17 and _positive(out["workbook"]["cells"])
    assert isinstance(out["read_under_render"], bool)


def test_bench_xlsx_table_output():
    proc = subprocess.run([sys.executable, str(SCRIPT), "--quick", "--repeat", "2"], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "python-calamine" in proc.stdout and "openpyxl" in proc.stdout and "render" in proc.stdout

"""Smoke test: benchmarks/bench_coldstart.py runs and reports every figure (no timing is asserted)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "bench_coldstart.py"


def _positive(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value > 0


def test_cold_start_benchmark_reports_every_figure() -> None:
    # This checkout as its own baseline: the comparison path runs too, and gives the same bytes.
    proc = subprocess.run([sys.executable, str(SCRIPT), "--quick", "--rounds", "1", "--json", "--baseline", str(ROOT)],
                          cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert proc.returncode == 0, f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    results = json.loads(proc.stdout)
    cold = results["cold_start"]
    for name in ("python_pass", "import", "help", "render", "render_md", "baseline_render"):
        for key in ("median_s", "min_s", "cpu_median_s", "cpu_min_s", "runs"):
            assert _positive(cold[name][key]), (name, key)
        assert math.isfinite(cold[name]["minus_python_s"]), name
    versus = cold["versus_baseline"]
    assert versus["same_docx_bytes"] is True
    for key in ("median_s_ratio", "min_s_ratio", "cpu_median_s_ratio", "cpu_min_s_ratio"):
        assert _positive(versus[key]), key
    target = results["targets"]["render_cold_start_s"]
    assert target["target"] == 0.25 and _positive(target["measured"]) and isinstance(target["pass"], bool)
    assert results["settings"]["bytecode_cache"] is True

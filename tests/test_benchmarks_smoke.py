"""Smoke test: benchmarks/bench_pipeline.py runs and reports every figure.

No timing is asserted (machines differ); only that the script exits 0 in
--quick mode and that its JSON carries the expected keys with positive numbers.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "bench_pipeline.py"


def _positive(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value > 0


@pytest.fixture(scope="module")
def results() -> dict:
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert proc.returncode == 0, f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    return json.loads(proc.stdout)


def test_machine_facts(results: dict) -> None:
    machine = results["machine"]
    assert machine["python"]
    assert machine["platform"]
    assert _positive(machine["cpu_count"])


def test_in_process_figures(results: dict) -> None:
    ip = results["in_process"]
    narrate = ip["narrate"]
    for key in ("median_ms", "p90_ms", "min_ms", "runs", "docx_bytes", "blocks"):
        assert _positive(narrate[key]), key
    assert set(narrate["stages_median_ms"]) == {"load", "compute", "render", "docx"}
    for stage, value in narrate["stages_median_ms"].items():
        assert _positive(value), stage
    baseline = ip["baseline"]
    for key in ("median_ms", "p90_ms", "min_ms", "runs", "docx_bytes"):
        assert _positive(baseline[key]), key
    assert _positive(ip["ratio"])
    check = ip["check"]  # None when narrate has no rules check
    if check is not None:
        for key in ("median_ms", "p90_ms", "min_ms", "runs"):
            assert _positive(check[key]), key


def test_cold_start_figures(results: dict) -> None:
    cold = results["cold_start"]
    for key in ("help_median_s", "help_python_pass_median_s", "demo_median_s",
                "demo_python_pass_median_s", "python_pass_median_s", "help_runs", "demo_runs"):
        assert _positive(cold[key]), key
    # Differences to the `python -c pass` floor may be of either sign; just numbers.
    for key in ("help_minus_python_s", "demo_minus_python_s"):
        assert isinstance(cold[key], float) and math.isfinite(cold[key]), key


def test_targets_reported(results: dict) -> None:
    targets = results["targets"]
    assert set(targets) == {"pipeline_median_ms", "help_cold_start_s"}
    for name, target in targets.items():
        assert _positive(target["target"]), name
        assert _positive(target["measured"]), name
        assert isinstance(target["pass"], bool), name
    assert isinstance(results["all_targets_met"], bool)

"""Smoke tests: benchmarks/bench_pipeline.py, bench_docxtpl.py and bench_batch.py run and report every figure.

No timing is asserted (machines differ, CI is busy): only that each script exits 0 in
--quick mode and that its JSON has the expected structure — every key, measured values
as finite numbers, counts of what was done exact.  Never how large or small a time is,
nor how two times compare.
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


def _number(value: object) -> bool:
    """A measured figure: a finite real number (its size is the machine's business)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _positive(value: object) -> bool:
    """A count or size that is positive by construction (runs, bytes, blocks), never a timing."""
    return _number(value) and value > 0  # type: ignore[operator]


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
        assert _number(narrate[key]), key
    assert set(narrate["stages_median_ms"]) == {"load", "compute", "render", "docx"}
    for stage, value in narrate["stages_median_ms"].items():
        assert _number(value), stage
    baseline = ip["baseline"]
    for key in ("median_ms", "p90_ms", "min_ms", "runs", "docx_bytes"):
        assert _number(baseline[key]), key
    assert _number(ip["ratio"])
    check = ip["check"]  # None when narrate has no rules check
    if check is not None:
        for key in ("median_ms", "p90_ms", "min_ms", "runs"):
            assert _number(check[key]), key


def test_cold_start_figures(results: dict) -> None:
    cold = results["cold_start"]
    for key in ("help_median_s", "help_python_pass_median_s", "demo_median_s",
                "demo_python_pass_median_s", "python_pass_median_s", "help_runs", "demo_runs"):
        assert _number(cold[key]), key
    # Differences to the `python -c pass` floor may be of either sign; just numbers.
    for key in ("help_minus_python_s", "demo_minus_python_s"):
        assert isinstance(cold[key], float) and math.isfinite(cold[key]), key


def test_targets_reported(results: dict) -> None:
    targets = results["targets"]
    assert set(targets) == {"pipeline_median_ms", "help_cold_start_s"}
    for name, target in targets.items():
        assert _positive(target["target"]), name
        assert _number(target["measured"]), name
        assert isinstance(target["pass"], bool), name
    assert isinstance(results["all_targets_met"], bool)


# ---------------------------------------------------------------- bench_docxtpl.py
def _run_quick_json(script: Path, timeout: int) -> dict:
    proc = subprocess.run(
        [sys.executable, str(script), "--quick", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )
    assert proc.returncode == 0, f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    return json.loads(proc.stdout)


def _assert_targets(results: dict, names: set[str]) -> None:
    targets = results["targets"]
    assert set(targets) == names
    for name, target in targets.items():
        assert _positive(target["target"]), name
        assert _number(target["measured"]), name
        assert isinstance(target["pass"], bool), name
    assert isinstance(results["all_targets_met"], bool)


@pytest.fixture(scope="module")
def docxtpl_results() -> dict:
    pytest.importorskip("docxtpl")
    return _run_quick_json(ROOT / "benchmarks" / "bench_docxtpl.py", timeout=180)


def test_docxtpl_figures(docxtpl_results: dict) -> None:
    assert docxtpl_results["machine"]["python"]
    assert _positive(docxtpl_results["machine"]["cpu_count"])
    ip = docxtpl_results["in_process"]
    for key in ("blocks", "placeholders", "verified_paragraphs", "ratio", "ratio_styled"):
        assert _number(ip[key]), key
    # the docxtpl output was checked against all of narrate's paragraphs
    assert ip["verified_paragraphs"] == ip["blocks"]
    narrate = ip["narrate"]
    for key in ("median_ms", "p90_ms", "min_ms", "runs", "docx_bytes"):
        assert _number(narrate[key]), key
    assert set(narrate["stages_median_ms"]) == {"load", "compute", "check", "render", "docx"}
    for stage, value in narrate["stages_median_ms"].items():
        assert _number(value), stage
    for side in ("docxtpl", "docxtpl_styled"):
        for key in ("median_ms", "p90_ms", "min_ms", "runs", "docx_bytes", "template_bytes"):
            assert _number(ip[side][key]), (side, key)
        assert set(ip[side]["stages_median_ms"]) == {"open", "render", "save"}
        for stage, value in ip[side]["stages_median_ms"].items():
            assert _number(value), (side, stage)


def test_docxtpl_targets_reported(docxtpl_results: dict) -> None:
    _assert_targets(docxtpl_results, {"ratio_narrate_docxtpl", "narrate_median_ms"})


# ---------------------------------------------------------------- bench_batch.py
@pytest.fixture(scope="module")
def batch_results() -> dict:
    if not Path("/proc/self/status").exists():
        pytest.skip("bench_batch.py reads memory from /proc (Linux only)")
    return _run_quick_json(ROOT / "benchmarks" / "bench_batch.py", timeout=300)


def test_batch_runs_verified(batch_results: dict) -> None:
    bureau = batch_results["bureau"]
    units, small = bureau["units"], bureau["units_small"]
    assert _positive(units) and _positive(small) and small < units
    assert set(bureau["batch"]) == {str(small), str(units)}
    for count, run in ((small, bureau["batch"][str(small)]), (units, bureau["batch"][str(units)])):
        for key in ("wall_s", "units_per_s", "unit_seconds_sum", "peak_rss_total_mib", "peak_rss_single_mib",
                    "peak_pss_total_mib", "hwm_single_mib", "ru_maxrss_mib", "spawner_rss_mib", "processes",
                    "samples"):
            assert _number(run[key]), (count, key)
        # every unit rendered: ok with or without warnings, one .docx each
        assert run["counts"]["errors"] == 0
        assert run["counts"]["ok"] + run["counts"]["warnings"] == count
        assert run["docx_files"] == count
    assert _number(bureau["growth"])
    for size in ("1000", "10000"):
        assert _number(bureau[f"batch_s_at_{size}"]) and isinstance(bureau[f"batch_s_at_{size}_extrapolated"], bool)
    assert _number(batch_results["ru_maxrss_children_mib"])


def test_batch_names_its_scratch_folder_and_times_the_files_there(batch_results: dict) -> None:
    scratch = batch_results["settings"]["scratch"]
    assert Path(scratch["folder"]).is_dir() and scratch["filesystem"]
    files = batch_results["bureau"]["files"]
    assert files["count"] == batch_results["bureau"]["units"]
    assert _positive(files["bytes_each"]) and _number(files["wall_s"])


def test_the_filesystem_of_a_path_is_found_in_proc_mounts() -> None:
    import importlib.util

    if not Path("/proc/mounts").exists():
        pytest.skip("no /proc/mounts (not Linux)")
    spec = importlib.util.spec_from_file_location("bench_batch", ROOT / "benchmarks" / "bench_batch.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    mounts = [line.split() for line in Path("/proc/mounts").read_text(encoding="utf-8").splitlines()]
    root = next(fields[2] for fields in reversed(mounts) if fields[1] == "/")
    assert bench.filesystem_of(Path("/")) == root
    proc = next(fields[2] for fields in mounts if fields[1] == "/proc")
    assert bench.filesystem_of(Path("/proc/self")) == proc


def test_batch_extrapolation_is_never_negative() -> None:
    """The smaller run slower than the larger one (a busy machine) must not give a negative estimate."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_batch", ROOT / "benchmarks" / "bench_batch.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    runs = {"15": {"units": 15, "wall_s": 9.0, "units_per_s": 15 / 9.0},
            "60": {"units": 60, "wall_s": 3.0, "units_per_s": 20.0}}
    assert bench.at_size(runs, 1000) == (50.0, True)  # 1000 ÷ the larger run's 20 units/s
    assert bench.at_size(runs, 60) == (3.0, False)


def test_batch_baseline_loop(batch_results: dict) -> None:
    bureau = batch_results["bureau"]
    loop = bureau["loop"]
    assert _positive(loop["sample"])
    for key in ("mean_s", "median_s", "min_s", "extrapolated_s", "extrapolated_small_s"):
        assert _number(loop[key]), key
    assert _number(bureau["speedup"])


def test_batch_cold_start(batch_results: dict) -> None:
    cold = batch_results["cold_start"]
    for key in ("help_median_s", "help_python_pass_median_s", "render_median_s", "render_python_pass_median_s",
                "python_pass_median_s", "help_runs", "render_runs"):
        assert _number(cold[key]), key
    for key in ("help_minus_python_s", "render_minus_python_s"):
        assert isinstance(cold[key], float) and math.isfinite(cold[key]), key


def test_batch_targets_reported(batch_results: dict) -> None:
    _assert_targets(batch_results, {"batch_1000_units_s", "batch_10000_units_s", "peak_rss_total_mib",
                                    "peak_rss_growth", "help_cold_start_s", "render_cold_start_s"})


# ----------------------------------------------------------------- bench_instructions.py
def _instructions_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_instructions", ROOT / "benchmarks" / "bench_instructions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_instruction_counts_are_read_from_valgrinds_summary(tmp_path) -> None:
    bench = _instructions_module()
    report = "==41== Cachegrind, a high-precision tracing profiler\n==41== \n==41== I   refs:      1,234,567,890\n"
    assert bench.instructions(report) == 1_234_567_890
    with pytest.raises(ValueError, match="no instruction count"):
        bench.instructions("==41== ERROR SUMMARY: 0 errors\n")
    assert bench.source_folder(str(ROOT)) == ROOT / "src" and bench.source_folder(str(ROOT / "src")) == ROOT / "src"
    with pytest.raises(SystemExit, match="no narrate package"):
        bench.source_folder(str(tmp_path))


def test_instructions_benchmark_says_what_it_needs_without_valgrind(tmp_path) -> None:
    """No valgrind on the PATH: a clear message and exit 2, never a figure made up."""
    (tmp_path / "python").symlink_to(sys.executable)
    proc = subprocess.run([str(tmp_path / "python"), str(ROOT / "benchmarks" / "bench_instructions.py"), "--quick"],
                          cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=60,
                          env={"PATH": str(tmp_path), "PYTHONPATH": str(ROOT / "src")})
    assert proc.returncode == 2 and "valgrind" in proc.stderr and proc.stdout == ""

"""Helpers shared by the benchmark scripts in this folder.

The scripts are run as ``python benchmarks/bench_x.py``; Python puts this
folder first on ``sys.path`` for them, so they ``from common import …`` (each
script also adds the folder itself, for when it is loaded by file path).

Statistics (``percentile``, ``summary_ms``, ``medians_ms``), narrate's public
functions and command (``public``, ``narrate_command``), fresh-process timing
(``time_process``, ``cold_starts``), machine facts (``machine``,
``machine_lines``), targets (``target``, ``verdict``) and output (``table``,
``print_json``, ``finish``) and the command line (``BenchParser``).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import statistics
import subprocess
import sys
import gc
import time
import types
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

ROOT = Path(__file__).resolve().parents[1]
PYTHON_PASS = (sys.executable, "-c", "pass")  # the floor no Python command can beat


# ----------------------------------------------------------------- statistics
def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) with linear interpolation between closest ranks."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    if len(ordered) == 1:
        return ordered[0]
    pos = (len(ordered) - 1) * q / 100.0
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def summary_ms(seconds: Sequence[float]) -> dict[str, float]:
    """Median, p90 and minimum in milliseconds of timings in seconds, and their count."""
    ms = [s * 1000.0 for s in seconds]
    return {
        "median_ms": statistics.median(ms),
        "p90_ms": percentile(ms, 90),
        "min_ms": min(ms),
        "runs": len(ms),
    }


def measure(cases: dict[str, Callable[[], Any]], repeat: int, warmup: int) -> dict[str, dict[str, float]]:
    """Each case timed ``repeat`` times, interleaved, after ``warmup`` rounds; garbage collected between
    rounds, not inside a timing → summary_ms per case."""
    for _ in range(warmup):
        for fn in cases.values():
            fn()
    times: dict[str, list[float]] = {name: [] for name in cases}
    gc_was = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeat):
            for name, fn in cases.items():
                start = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - start)
            gc.collect()
    finally:
        if gc_was:
            gc.enable()
    return {name: summary_ms(values) for name, values in times.items()}


def medians_ms(samples: Mapping[str, Sequence[float]]) -> dict[str, float]:
    """The median in milliseconds of each named series of timings in seconds (same order)."""
    return {name: statistics.median(values) * 1000.0 for name, values in samples.items()}


# ----------------------------------------------------------------- narrate
def public(name: str) -> Callable[..., Any]:
    """``narrate.<name>`` — the public function.

    Should a package attribute ever be shadowed by a submodule of the same name
    (``narrate.compute`` the module rather than the function), take the
    function from that module instead, so the benchmark measures the same code.
    """
    import narrate

    value = getattr(narrate, name)
    if isinstance(value, types.ModuleType):
        value = getattr(value, name)
    return value


def narrate_command() -> list[str]:
    """The ``narrate`` console script of this interpreter's environment, else ``python -m narrate.cli``."""
    folder = Path(sys.executable).parent
    for name in ("narrate", "narrate.exe"):
        script = folder / name
        if script.is_file():
            return [str(script)]
    return [sys.executable, "-m", "narrate.cli"]


# ----------------------------------------------------------------- processes
def time_process(argv: Sequence[str], cwd: str | Path) -> float:
    """Seconds from start to exit of ``argv`` in a fresh process; RuntimeError with its stderr if it fails."""
    t0 = time.perf_counter()
    result = subprocess.run(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - t0
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {result.returncode}: "
                           f"{result.stderr.decode('utf-8', 'replace').strip()}")
    return elapsed


def cold_starts(series: Mapping[str, tuple[Sequence[str], int]], cwd: str | Path) -> dict[str, Any]:
    """Cold starts of each ``name: (argv, runs)``, one series after the other, each run
    interleaved with ``python -c pass`` (alternating which goes first).

    Returns ``<name>_median_s``, ``<name>_python_pass_median_s``, ``<name>_minus_python_s``
    and ``<name>_runs`` for each series, then ``python_pass_median_s`` over all of them.
    No warm-up here: the callers run each command once, unrecorded, first.
    """
    results: dict[str, Any] = {}
    all_floor: list[float] = []
    for name, (argv, runs) in series.items():
        times: list[float] = []
        floor: list[float] = []
        for i in range(runs):
            pair = [(argv, times), (PYTHON_PASS, floor)]
            for cmd, sink in pair if i % 2 == 0 else reversed(pair):
                sink.append(time_process(cmd, cwd))
        all_floor += floor
        results[f"{name}_median_s"] = statistics.median(times)
        results[f"{name}_python_pass_median_s"] = statistics.median(floor)
        results[f"{name}_minus_python_s"] = statistics.median(times) - statistics.median(floor)
        results[f"{name}_runs"] = runs
    results["python_pass_median_s"] = statistics.median(all_floor)
    return results


# ----------------------------------------------------------------- machine
def package_versions(names: Iterable[str]) -> dict[str, str]:
    """Installed version of each distribution, ``"?"`` where it is not installed."""
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in names:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "?"
    return found


def machine(*, narrate_version: bool = False, bytecode_flag: bool = True,
            versions: Sequence[str] = ()) -> dict[str, Any]:
    """Facts about the machine and interpreter for the report header.

    Always python, implementation, executable, cpu_count, platform, date and
    load_average; optionally ``narrate`` (its version), ``PYTHONDONTWRITEBYTECODE``
    (on by default) and ``versions`` of the given distributions, in that order.
    """
    info: dict[str, Any] = {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "executable": sys.executable,
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "date": _dt.date.today().isoformat(),
    }
    if narrate_version:
        info["narrate"] = package_versions(["narrate"])["narrate"]
    if bytecode_flag:
        # Set in some environments: then no __pycache__ is written, and a cold
        # start compiles narrate's own (editable) sources every time.
        info["PYTHONDONTWRITEBYTECODE"] = bool(os.environ.get("PYTHONDONTWRITEBYTECODE"))
    info["load_average"] = list(os.getloadavg()) if hasattr(os, "getloadavg") else None
    if versions:
        info["versions"] = package_versions(versions)
    return info


def machine_lines(m: Mapping[str, Any]) -> list[str]:
    """The report's header lines about the machine (after the title): interpreter and
    platform (and narrate's version), load average and PYTHONDONTWRITEBYTECODE, versions."""
    first = f"python {m['python']} ({m['implementation']}), cpu_count {m['cpu_count']}, {m['platform']}"
    if "narrate" in m:
        first += f", narrate {m['narrate']}"
    lines = [first]
    extra = []
    if m["load_average"] is not None:
        extra.append("load average " + " ".join(f"{x:.2f}" for x in m["load_average"]))
    if m.get("PYTHONDONTWRITEBYTECODE"):
        extra.append("PYTHONDONTWRITEBYTECODE set")
    if extra:
        lines.append("; ".join(extra))
    if "versions" in m:
        lines.append(", ".join(f"{k} {v}" for k, v in m["versions"].items()))
    return lines


# ----------------------------------------------------------------- targets
def target(limit: float, measured: float) -> dict[str, Any]:
    """A target row of the results: met when ``measured ≤ limit``."""
    return {"target": limit, "measured": measured, "pass": measured <= limit}


def verdict(row: Mapping[str, Any]) -> str:
    """``PASS`` or ``FAIL`` for a ``target`` row."""
    return "PASS" if row["pass"] else "FAIL"


# ----------------------------------------------------------------- output
def table(rows: list[tuple[str, ...]]) -> str:
    """Rows as text columns: the first left-aligned, the others right-aligned, a rule under the header row."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def ms_row(label: str, summary: Mapping[str, Any]) -> tuple[str, str, str, str]:
    """A table row: label, median, p90 and minimum of a ``summary_ms`` result."""
    return (label, f"{summary['median_ms']:.2f}", f"{summary['p90_ms']:.2f}", f"{summary['min_ms']:.2f}")


def stage_rows(stages_median_ms: Mapping[str, float]) -> list[tuple[str, str, str, str]]:
    """Indented table rows of each stage's median (ms) under an ``ms_row``."""
    return [(f"  stage {stage}", f"{value:.2f}", "", "") for stage, value in stages_median_ms.items()]


def cold_start_rows(cold: Mapping[str, Any], labels: Mapping[str, str]) -> list[tuple[str, ...]]:
    """Table rows (with header) of ``cold_starts`` results, one per ``name: label``."""
    rows: list[tuple[str, ...]] = [("cold start (fresh process)", "median s", "python -c pass s", "difference s",
                                    "runs")]
    for name, label in labels.items():
        rows.append((label, f"{cold[f'{name}_median_s']:.3f}", f"{cold[f'{name}_python_pass_median_s']:.3f}",
                     f"{cold[f'{name}_minus_python_s']:.3f}", str(cold[f"{name}_runs"])))
    return rows


def print_json(results: Any) -> None:
    """The results as indented JSON on stdout, non-ASCII as is, and a newline."""
    json.dump(results, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def finish(results: dict[str, Any], targets: Callable[[dict[str, Any]], dict[str, dict[str, Any]]],
           print_report: Callable[[dict[str, Any]], None], args: argparse.Namespace) -> int:
    """Adds ``targets`` and ``all_targets_met`` to the results, prints them (JSON with
    ``--json``, else the report) and returns the exit status (1 with ``--check`` on a miss)."""
    results["targets"] = targets(results)
    results["all_targets_met"] = all(t["pass"] for t in results["targets"].values())
    if args.json:
        print_json(results)
    else:
        print_report(results)
    if args.check and not results["all_targets_met"]:
        return 1
    return 0


# ----------------------------------------------------------------- command line
class BenchParser(argparse.ArgumentParser):
    """The command line of a benchmark script: described by the first paragraph of
    its docstring, with counts whose default depends on ``--quick`` and the
    ``--quick``, ``--json`` and ``--check`` options."""

    def __init__(self, doc: str) -> None:
        super().__init__(description=doc.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
        self.quick_defaults: dict[str, tuple[int, int]] = {}

    def add_count(self, flag: str, full: int, quick: int, what: str) -> None:
        """An integer option; when not given it is ``full``, or ``quick`` with ``--quick``."""
        action = self.add_argument(flag, type=int, default=None, help=f"{what} (default {full}; {quick} with --quick)")
        self.quick_defaults[action.dest] = (full, quick)

    def add_repeat_options(self) -> None:
        """``--repeat`` and ``--warmup`` of the in-process measurements."""
        self.add_count("--repeat", 50, 5, "in-process runs of each side after warm-up")
        self.add_count("--warmup", 5, 2, "warm-up runs")

    def add_output_options(self, quick_help: str) -> None:
        """``--quick``, ``--json`` and ``--check`` (added last, after the script's own options)."""
        self.add_argument("--quick", action="store_true", help=quick_help)
        self.add_argument("--json", action="store_true", help="print the results as JSON (nothing else on stdout)")
        self.add_argument("--check", action="store_true", help="exit 1 if a target is missed")

    def parse_known_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                         namespace: argparse.Namespace | None = None) -> tuple[argparse.Namespace, list[str]]:
        parsed, extras = super().parse_known_args(args, namespace)
        for dest, (full, quick) in self.quick_defaults.items():
            if getattr(parsed, dest) is None:
                setattr(parsed, dest, quick if parsed.quick else full)
        return parsed, extras

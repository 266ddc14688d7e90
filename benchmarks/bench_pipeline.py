#!/usr/bin/env python
"""Benchmark narrate on its bundled example, beside baselines measured in the same run.

Run from the project root with the project's venv::

    .venv/bin/python benchmarks/bench_pipeline.py            # full run (50 repeats)
    .venv/bin/python benchmarks/bench_pipeline.py --quick    # smoke run, a few repeats
    .venv/bin/python benchmarks/bench_pipeline.py --json     # results as JSON on stdout
    .venv/bin/python benchmarks/bench_pipeline.py --check    # exit 1 if a target is missed

What is measured (see benchmarks/README.md):

* In process, after warm-up, on the bundled example: narrate end to end
  (load → compute → render → .docx bytes) with the split per stage, and a
  baseline — python-docx writing the same headings and paragraphs into its
  default template — interleaved run by run with narrate so both see the same
  machine state.  Also, for information only, ``narrate.check`` (the table
  rules the CLI's ``render``/``demo`` run before rendering), when narrate has it.
* Cold start, in fresh processes: ``narrate --help`` and ``narrate demo -o
  <tmp>.docx``, each interleaved with ``python -c pass`` runs of the same
  interpreter as the floor.

Targets: end-to-end median ≤ 50 ms, ``narrate --help`` cold start ≤ 0.3 s.
A miss is printed; only ``--check`` turns it into exit status 1.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gc
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Sequence

# Targets (see README.md).
TARGET_PIPELINE_MEDIAN_MS = 50.0
TARGET_HELP_COLD_S = 0.3

STAGES = ("load", "compute", "render", "docx")


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
    ms = [s * 1000.0 for s in seconds]
    return {
        "median_ms": statistics.median(ms),
        "p90_ms": percentile(ms, 90),
        "min_ms": min(ms),
        "runs": len(ms),
    }


# ----------------------------------------------------------------- in process
def _public(name: str) -> Callable[..., Any]:
    """``narrate.<name>`` — the public pipeline function.

    Should a package attribute ever be shadowed by a submodule of the same name
    (``narrate.compute`` the module rather than the function), take the
    function from that module instead, so the benchmark measures the same code.
    """
    import types

    import narrate

    value = getattr(narrate, name)
    if isinstance(value, types.ModuleType):
        value = getattr(value, name)
    return value


def _stage_functions() -> tuple[Callable[..., Any], ...]:
    """load, compute, render, to_bytes and example_path from narrate's public API."""
    return tuple(_public(n) for n in ("example_path", "load", "compute", "render", "to_bytes"))


def _optional_check(path: Path, load) -> Callable[[], Any] | None:  # type: ignore[no-untyped-def]
    """``narrate.check`` bound to the example's figures (warmed up), or None if narrate has none."""
    try:
        check = _public("check")
    except AttributeError:
        return None
    figures = load(path)
    for _ in range(2):
        check(figures)
    return lambda: check(figures)


def run_narrate(path: Path, load, compute, render, to_bytes) -> tuple[float, dict[str, float], bytes, Any]:  # type: ignore[no-untyped-def]
    """One end-to-end run; returns (total seconds, per-stage seconds, docx bytes, document)."""
    clock = time.perf_counter
    t0 = clock()
    figures = load(path)
    t1 = clock()
    facts = compute(figures)
    t2 = clock()
    document = render(facts)
    t3 = clock()
    data = to_bytes(document, "docx")
    t4 = clock()
    stages = {"load": t1 - t0, "compute": t2 - t1, "render": t3 - t2, "docx": t4 - t3}
    return t4 - t0, stages, data, document


def run_baseline(blocks: Sequence[tuple[str, str, int]]) -> tuple[float, bytes]:
    """python-docx: default template, add_heading / add_paragraph for each block, save to memory."""
    import docx

    clock = time.perf_counter
    t0 = clock()
    doc = docx.Document()
    for kind, text, level in blocks:
        if kind == "heading":
            doc.add_heading(text, level)
        else:
            doc.add_paragraph(text)
    buffer = io.BytesIO()
    doc.save(buffer)
    data = buffer.getvalue()
    return clock() - t0, data


def bench_in_process(repeat: int, warmup: int) -> dict[str, Any]:
    example_path, load, compute, render, to_bytes = _stage_functions()
    import docx  # noqa: F401  (import cost is not part of either measurement)

    path = example_path()
    # Warm-up: imports, template compilation, python-docx's template, caches.
    _, _, data, document = run_narrate(path, load, compute, render, to_bytes)
    blocks = [(b.kind, b.text, b.level) for b in document.blocks]
    for _ in range(warmup):
        run_narrate(path, load, compute, render, to_bytes)
        run_baseline(blocks)

    totals: list[float] = []
    stages: dict[str, list[float]] = {s: [] for s in STAGES}
    base: list[float] = []
    base_bytes = 0
    gc.collect()
    for i in range(repeat):
        # Interleave, alternating which goes first, so drift hits both equally.
        order = (0, 1) if i % 2 == 0 else (1, 0)
        for which in order:
            if which == 0:
                total, split, data, _ = run_narrate(path, load, compute, render, to_bytes)
                totals.append(total)
                for name in STAGES:
                    stages[name].append(split[name])
            else:
                elapsed, bdata = run_baseline(blocks)
                base.append(elapsed)
                base_bytes = len(bdata)

    check = _optional_check(path, load)
    if check is not None:
        check_times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            check()
            check_times.append(time.perf_counter() - t0)
        check_summary: dict[str, Any] | None = summary_ms(check_times)
    else:
        check_summary = None

    narrate_summary = summary_ms(totals)
    narrate_summary["stages_median_ms"] = {s: statistics.median(stages[s]) * 1000.0 for s in STAGES}
    narrate_summary["docx_bytes"] = len(data)
    narrate_summary["blocks"] = len(blocks)
    baseline_summary = summary_ms(base)
    baseline_summary["docx_bytes"] = base_bytes
    return {
        "example": str(path),
        "narrate": narrate_summary,
        "baseline": baseline_summary,
        "ratio": narrate_summary["median_ms"] / baseline_summary["median_ms"],
        # Informational, not part of the end-to-end figure or its target: the
        # CLI's render/demo run narrate.check(figures) before rendering.
        "check": check_summary,
    }


# ----------------------------------------------------------------- cold start
def narrate_command() -> list[str]:
    """The ``narrate`` console script of this interpreter's environment, else ``python -m narrate.cli``."""
    folder = Path(sys.executable).parent
    for name in ("narrate", "narrate.exe"):
        script = folder / name
        if script.is_file():
            return [str(script)]
    return [sys.executable, "-m", "narrate.cli"]


def _time_process(argv: list[str], cwd: str) -> float:
    t0 = time.perf_counter()
    result = subprocess.run(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - t0
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {result.returncode}: "
                           f"{result.stderr.decode('utf-8', 'replace').strip()}")
    return elapsed


def bench_cold(help_runs: int, demo_runs: int) -> dict[str, Any]:
    narrate = narrate_command()
    python_pass = [sys.executable, "-c", "pass"]
    with tempfile.TemporaryDirectory(prefix="narrate-bench-") as tmp:
        out = str(Path(tmp) / "demo.docx")
        help_cmd = narrate + ["--help"]
        demo_cmd = narrate + ["demo", "-o", out]
        # One unrecorded run of each: bytecode caches written, files in the page cache.
        for argv in (python_pass, help_cmd, demo_cmd):
            _time_process(argv, tmp)

        help_times, pass_help = [], []
        for i in range(help_runs):
            pair = [(help_cmd, help_times), (python_pass, pass_help)]
            for argv, sink in pair if i % 2 == 0 else reversed(pair):
                sink.append(_time_process(argv, tmp))
        demo_times, pass_demo = [], []
        for i in range(demo_runs):
            pair = [(demo_cmd, demo_times), (python_pass, pass_demo)]
            for argv, sink in pair if i % 2 == 0 else reversed(pair):
                sink.append(_time_process(argv, tmp))

    help_s = statistics.median(help_times)
    demo_s = statistics.median(demo_times)
    pass_h = statistics.median(pass_help)
    pass_d = statistics.median(pass_demo)
    return {
        "command": narrate,
        "help_median_s": help_s,
        "help_python_pass_median_s": pass_h,
        "help_minus_python_s": help_s - pass_h,
        "help_runs": help_runs,
        "demo_median_s": demo_s,
        "demo_python_pass_median_s": pass_d,
        "demo_minus_python_s": demo_s - pass_d,
        "demo_runs": demo_runs,
        "python_pass_median_s": statistics.median(pass_help + pass_demo),
    }


# ----------------------------------------------------------------- report
def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "executable": sys.executable,
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "date": _dt.date.today().isoformat(),
        # Set in some environments: then no __pycache__ is written, and a cold
        # start compiles narrate's own (editable) sources every time.
        "PYTHONDONTWRITEBYTECODE": bool(os.environ.get("PYTHONDONTWRITEBYTECODE")),
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
    }


def targets(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    pipe = results["in_process"]["narrate"]["median_ms"]
    help_s = results["cold_start"]["help_median_s"]
    return {
        "pipeline_median_ms": {"target": TARGET_PIPELINE_MEDIAN_MS, "measured": pipe,
                               "pass": pipe <= TARGET_PIPELINE_MEDIAN_MS},
        "help_cold_start_s": {"target": TARGET_HELP_COLD_S, "measured": help_s,
                              "pass": help_s <= TARGET_HELP_COLD_S},
    }


def _table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def print_report(results: dict[str, Any]) -> None:
    m = results["machine"]
    s = results["settings"]
    ip = results["in_process"]
    cs = results["cold_start"]
    nar, base = ip["narrate"], ip["baseline"]
    print(f"narrate benchmark — {m['date']}")
    print(f"python {m['python']} ({m['implementation']}), cpu_count {m['cpu_count']}, {m['platform']}")
    extra = []
    if m["load_average"] is not None:
        extra.append("load average " + " ".join(f"{x:.2f}" for x in m["load_average"]))
    if m["PYTHONDONTWRITEBYTECODE"]:
        extra.append("PYTHONDONTWRITEBYTECODE set")
    if extra:
        print("; ".join(extra))
    print(f"example {ip['example']} ({nar['blocks']} blocks); repeat {s['repeat']}, warm-up {s['warmup']}"
          f"{', quick' if s['quick'] else ''}")
    print()
    rows = [
        ("in process (after warm-up)", "median ms", "p90 ms", "min ms"),
        ("narrate load→compute→render→docx", f"{nar['median_ms']:.2f}", f"{nar['p90_ms']:.2f}",
         f"{nar['min_ms']:.2f}"),
    ]
    for stage in STAGES:
        rows.append((f"  stage {stage}", f"{nar['stages_median_ms'][stage]:.2f}", "", ""))
    rows.append(("baseline python-docx, same blocks", f"{base['median_ms']:.2f}", f"{base['p90_ms']:.2f}",
                 f"{base['min_ms']:.2f}"))
    rows.append(("ratio narrate / baseline", f"{ip['ratio']:.2f}x", "", ""))
    if ip.get("check"):
        chk = ip["check"]
        rows.append(("narrate.check (CLI only, not above)", f"{chk['median_ms']:.2f}", f"{chk['p90_ms']:.2f}",
                     f"{chk['min_ms']:.2f}"))
    print(_table(rows))
    print()
    rows = [
        ("cold start (fresh process)", "median s", "python -c pass s", "difference s", "runs"),
        ("narrate --help", f"{cs['help_median_s']:.3f}", f"{cs['help_python_pass_median_s']:.3f}",
         f"{cs['help_minus_python_s']:.3f}", str(cs["help_runs"])),
        ("narrate demo -o <tmp>.docx", f"{cs['demo_median_s']:.3f}", f"{cs['demo_python_pass_median_s']:.3f}",
         f"{cs['demo_minus_python_s']:.3f}", str(cs["demo_runs"])),
    ]
    print(_table(rows))
    print(f"(command: {' '.join(cs['command'])})")
    print()
    rows = [("target", "limit", "measured", "result")]
    t = results["targets"]
    rows.append(("end-to-end median", f"≤ {t['pipeline_median_ms']['target']:.0f} ms",
                 f"{t['pipeline_median_ms']['measured']:.2f} ms",
                 "PASS" if t["pipeline_median_ms"]["pass"] else "FAIL"))
    rows.append(("narrate --help cold start", f"≤ {t['help_cold_start_s']['target']:.1f} s",
                 f"{t['help_cold_start_s']['measured']:.3f} s",
                 "PASS" if t["help_cold_start_s"]["pass"] else "FAIL"))
    print(_table(rows))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=None,
                        help="in-process runs of each side after warm-up (default 50; 5 with --quick)")
    parser.add_argument("--warmup", type=int, default=None, help="warm-up runs (default 5; 2 with --quick)")
    parser.add_argument("--help-runs", type=int, default=None,
                        help="cold starts of `narrate --help` (default 10; 3 with --quick)")
    parser.add_argument("--demo-runs", type=int, default=None,
                        help="cold starts of `narrate demo` (default 5; 2 with --quick)")
    parser.add_argument("--quick", action="store_true", help="smoke run with few repeats")
    parser.add_argument("--json", action="store_true", help="print the results as JSON (nothing else on stdout)")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)

    def pick(value: int | None, full: int, quick: int) -> int:
        return value if value is not None else (quick if args.quick else full)

    repeat = pick(args.repeat, 50, 5)
    warmup = pick(args.warmup, 5, 2)
    help_runs = pick(args.help_runs, 10, 3)
    demo_runs = pick(args.demo_runs, 5, 2)
    if min(repeat, help_runs, demo_runs) < 1 or warmup < 0:
        parser.error("--repeat, --help-runs and --demo-runs must be ≥ 1, --warmup ≥ 0")

    results: dict[str, Any] = {
        "machine": machine(),
        "settings": {"repeat": repeat, "warmup": warmup, "help_runs": help_runs, "demo_runs": demo_runs,
                     "quick": args.quick},
        "in_process": bench_in_process(repeat, warmup),
        "cold_start": bench_cold(help_runs, demo_runs),
    }
    results["targets"] = targets(results)
    results["all_targets_met"] = all(t["pass"] for t in results["targets"].values())

    if args.json:
        json.dump(results, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print_report(results)
    if args.check and not results["all_targets_met"]:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

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

import gc
import io
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Sequence

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:  # there already when run as a script; also when loaded by file path
    sys.path.insert(0, _HERE)

from common import (  # noqa: E402
    PYTHON_PASS, BenchParser, cold_start_rows, cold_starts, finish, machine, machine_lines, medians_ms, ms_row,
    narrate_command, public, stage_rows, summary_ms, table, target, time_process, verdict,
)

# Targets (see README.md).
TARGET_PIPELINE_MEDIAN_MS = 50.0
TARGET_HELP_COLD_S = 0.3

STAGES = ("load", "compute", "render", "docx")


# ----------------------------------------------------------------- in process
def _stage_functions() -> tuple[Callable[..., Any], ...]:
    """load, compute, render, to_bytes and example_path from narrate's public API."""
    return tuple(public(n) for n in ("example_path", "load", "compute", "render", "to_bytes"))


def _optional_check(path: Path, load) -> Callable[[], Any] | None:  # type: ignore[no-untyped-def]
    """``narrate.check`` bound to the example's figures (warmed up), or None if narrate has none."""
    try:
        check = public("check")
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
    narrate_summary["stages_median_ms"] = medians_ms(stages)
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
def bench_cold(help_runs: int, demo_runs: int) -> dict[str, Any]:
    narrate = narrate_command()
    with tempfile.TemporaryDirectory(prefix="narrate-bench-") as tmp:
        out = str(Path(tmp) / "demo.docx")
        help_cmd = narrate + ["--help"]
        demo_cmd = narrate + ["demo", "-o", out]
        # One unrecorded run of each: bytecode caches written, files in the page cache.
        for argv in (PYTHON_PASS, help_cmd, demo_cmd):
            time_process(argv, tmp)
        # help_* and demo_* figures, each series interleaved with `python -c pass`.
        cold = cold_starts({"help": (help_cmd, help_runs), "demo": (demo_cmd, demo_runs)}, tmp)
    return {"command": narrate, **cold}


# ----------------------------------------------------------------- report
def targets(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    pipe = results["in_process"]["narrate"]["median_ms"]
    help_s = results["cold_start"]["help_median_s"]
    return {
        "pipeline_median_ms": target(TARGET_PIPELINE_MEDIAN_MS, pipe),
        "help_cold_start_s": target(TARGET_HELP_COLD_S, help_s),
    }


def print_report(results: dict[str, Any]) -> None:
    m = results["machine"]
    s = results["settings"]
    ip = results["in_process"]
    cs = results["cold_start"]
    nar, base = ip["narrate"], ip["baseline"]
    print(f"narrate benchmark — {m['date']}")
    for line in machine_lines(m):
        print(line)
    print(f"example {ip['example']} ({nar['blocks']} blocks); repeat {s['repeat']}, warm-up {s['warmup']}"
          f"{', quick' if s['quick'] else ''}")
    print()
    rows = [
        ("in process (after warm-up)", "median ms", "p90 ms", "min ms"),
        ms_row("narrate load→compute→render→docx", nar),
        *stage_rows(nar["stages_median_ms"]),
        ms_row("baseline python-docx, same blocks", base),
        ("ratio narrate / baseline", f"{ip['ratio']:.2f}x", "", ""),
    ]
    if ip.get("check"):
        rows.append(ms_row("narrate.check (CLI only, not above)", ip["check"]))
    print(table(rows))
    print()
    print(table(cold_start_rows(cs, {"help": "narrate --help", "demo": "narrate demo -o <tmp>.docx"})))
    print(f"(command: {' '.join(cs['command'])})")
    print()
    rows = [("target", "limit", "measured", "result")]
    t = results["targets"]
    rows.append(("end-to-end median", f"≤ {t['pipeline_median_ms']['target']:.0f} ms",
                 f"{t['pipeline_median_ms']['measured']:.2f} ms",
                 verdict(t["pipeline_median_ms"])))
    rows.append(("narrate --help cold start", f"≤ {t['help_cold_start_s']['target']:.1f} s",
                 f"{t['help_cold_start_s']['measured']:.3f} s",
                 verdict(t["help_cold_start_s"])))
    print(table(rows))


def main(argv: list[str] | None = None) -> int:
    parser = BenchParser(__doc__)
    parser.add_repeat_options()
    parser.add_count("--help-runs", 10, 3, "cold starts of `narrate --help`")
    parser.add_count("--demo-runs", 5, 2, "cold starts of `narrate demo`")
    parser.add_output_options("smoke run with few repeats")
    args = parser.parse_args(argv)
    repeat, warmup, help_runs, demo_runs = args.repeat, args.warmup, args.help_runs, args.demo_runs
    if min(repeat, help_runs, demo_runs) < 1 or warmup < 0:
        parser.error("--repeat, --help-runs and --demo-runs must be ≥ 1, --warmup ≥ 0")

    results: dict[str, Any] = {
        "machine": machine(),
        "settings": {"repeat": repeat, "warmup": warmup, "help_runs": help_runs, "demo_runs": demo_runs,
                     "quick": args.quick},
        "in_process": bench_in_process(repeat, warmup),
        "cold_start": bench_cold(help_runs, demo_runs),
    }
    return finish(results, targets, print_report, args)


if __name__ == "__main__":
    sys.exit(main())

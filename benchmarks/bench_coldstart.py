#!/usr/bin/env python
"""Benchmark narrate's cold start: fresh processes, beside ``python -c pass`` and, optionally, another checkout.

Run from the project root with the project's venv::

    .venv/bin/python benchmarks/bench_coldstart.py                       # 15 rounds
    .venv/bin/python benchmarks/bench_coldstart.py --quick               # smoke run, 3 rounds
    .venv/bin/python benchmarks/bench_coldstart.py --baseline ../main    # side by side with another checkout
    .venv/bin/python benchmarks/bench_coldstart.py --json                # results as JSON on stdout
    .venv/bin/python benchmarks/bench_coldstart.py --check               # exit 1 if the target is missed

What is measured (see benchmarks/README.md): each round runs, once each and in
an order that rotates from round to round, ``python -c pass`` (the floor),
``python -c "import narrate"``, ``narrate --help``, ``narrate render
examples/yangcheng-2024.yaml -o <tmp>/x.docx`` and the same to ``x.md`` — and,
with ``--baseline DIR``, that ``render … -o x.docx`` with DIR's sources
(``DIR/src``: a checkout of main, say).  Every narrate command is ``python -m
narrate`` of this interpreter with ``PYTHONPATH`` set to the checkout's
``src``, so the code measured is the checkout's whatever is installed.  For each
command: wall-clock median and minimum, and CPU time (user + system of the
child, from ``wait4``) median and minimum — on a busy machine the CPU time is
the steadier figure, and the ratio to the baseline run in the same rounds the
fair comparison.

Target: ``render … -o x.docx`` median ≤ 0.25 s (wall, on a quiet machine).
A miss is printed; only ``--check`` turns it into exit status 1.  POSIX only (``wait4``).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Sequence

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:  # there already when run as a script; also when loaded by file path
    sys.path.insert(0, _HERE)

from common import (  # noqa: E402
    PYTHON_PASS, ROOT, BenchParser, finish, machine, machine_lines, table, target, verdict,
)

TARGET_RENDER_COLD_S = 0.25
EXAMPLE = ROOT / "examples" / "yangcheng-2024.yaml"
LABELS = {
    "python_pass": "python -c pass",
    "import": "python -c 'import narrate'",
    "help": "narrate --help",
    "render": "narrate render <example> -o x.docx",
    "render_md": "narrate render <example> -o x.md",
    "baseline_render": "baseline: render … -o x.docx",
}


def run_once(argv: Sequence[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one fresh process; RuntimeError with its stderr if it fails."""
    t0 = time.perf_counter()
    child = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
    stderr = child.stderr.read() if child.stderr else b""
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - t0
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here: keep Popen from waiting again
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {child.returncode}: {stderr.decode('utf-8', 'replace').strip()}")
    return wall, usage.ru_utime + usage.ru_stime


def commands(tmp: Path, baseline: Path | None, bytecode: bool) -> dict[str, tuple[list[str], dict[str, str]]]:
    """Each series' argv and environment (narrate's with PYTHONPATH at the checkout's src).

    With ``bytecode`` the children write and read compiled modules under ``tmp`` (PYTHONPYCACHEPREFIX,
    PYTHONDONTWRITEBYTECODE cleared), as an installed wheel has them; the warm-up run compiles.
    """
    base = dict(os.environ)
    if bytecode:
        base.pop("PYTHONDONTWRITEBYTECODE", None)
        base["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")

    def narrate(src: Path, *args: str) -> tuple[list[str], dict[str, str]]:
        return [sys.executable, "-m", "narrate", *args], {**base, "PYTHONPATH": str(src)}

    out = str(tmp / "x.docx")
    series = {
        "python_pass": (list(PYTHON_PASS), base),
        "import": ([sys.executable, "-c", "import narrate"], {**base, "PYTHONPATH": str(ROOT / "src")}),
        "help": narrate(ROOT / "src", "--help"),
        "render": narrate(ROOT / "src", "render", str(EXAMPLE), "-o", out),
        "render_md": narrate(ROOT / "src", "render", str(EXAMPLE), "-o", str(tmp / "x.md")),
    }
    if baseline is not None:
        series["baseline_render"] = narrate(baseline / "src", "render", str(EXAMPLE), "-o", str(tmp / "base.docx"))
    return series


def bench(rounds: int, baseline: Path | None, bytecode: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="narrate-cold-") as folder:
        tmp = Path(folder)
        series = commands(tmp, baseline, bytecode)
        for argv, env in series.values():  # one unrecorded run of each: bytecode written, files cached
            run_once(argv, env, tmp)
        samples: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in series}
        names = list(series)
        for i in range(rounds):
            shift = i % len(names)
            for name in names[shift:] + names[:shift]:
                wall, cpu = run_once(*series[name], tmp)
                samples[name][0].append(wall)
                samples[name][1].append(cpu)
        same_bytes = None
        if baseline is not None:
            same_bytes = (tmp / "x.docx").read_bytes() == (tmp / "base.docx").read_bytes()
    results: dict[str, Any] = {}
    for name, (wall, cpu) in samples.items():
        results[name] = {"median_s": statistics.median(wall), "min_s": min(wall),
                         "cpu_median_s": statistics.median(cpu), "cpu_min_s": min(cpu), "runs": len(wall)}
    floor = results["python_pass"]["median_s"]
    for name, row in results.items():
        row["minus_python_s"] = row["median_s"] - floor
    if baseline is not None:
        new, old = results["render"], results["baseline_render"]
        results["versus_baseline"] = {
            "baseline": str(baseline), "same_docx_bytes": same_bytes,
            **{f"{key}_ratio": new[key] / old[key] for key in ("median_s", "min_s", "cpu_median_s", "cpu_min_s")},
        }
    return results


def targets(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {"render_cold_start_s": target(TARGET_RENDER_COLD_S, results["cold_start"]["render"]["median_s"])}


def print_report(results: dict[str, Any]) -> None:
    m, cs = results["machine"], results["cold_start"]
    print(f"narrate cold-start benchmark — {m['date']}")
    for line in machine_lines(m):
        print(line)
    print(f"{results['settings']['rounds']} rounds, each command once a round (rotating order)"
          f"{', quick' if results['settings']['quick'] else ''}; narrate = python -m narrate, PYTHONPATH=<checkout>/src; "
          + ("bytecode cached in the temporary folder" if results["settings"]["bytecode_cache"]
             else "environment as is (no bytecode cache when PYTHONDONTWRITEBYTECODE is set)"))
    print()
    rows = [("cold start (fresh process)", "median s", "min s", "CPU median s", "CPU min s", "- python -c pass s")]
    for name, label in LABELS.items():
        if name in cs:
            row = cs[name]
            rows.append((label, f"{row['median_s']:.3f}", f"{row['min_s']:.3f}", f"{row['cpu_median_s']:.3f}",
                         f"{row['cpu_min_s']:.3f}", f"{row['minus_python_s']:.3f}"))
    print(table(rows))
    versus = cs.get("versus_baseline")
    if versus:
        print(f"render / baseline ({versus['baseline']}): median {versus['median_s_ratio']:.2f}x, "
              f"min {versus['min_s_ratio']:.2f}x, CPU median {versus['cpu_median_s_ratio']:.2f}x, "
              f"CPU min {versus['cpu_min_s_ratio']:.2f}x; same .docx bytes: {versus['same_docx_bytes']}")
    print()
    t = results["targets"]["render_cold_start_s"]
    print(table([("target", "limit", "measured", "result"),
                 ("narrate render cold start (median)", f"≤ {t['target']:.2f} s", f"{t['measured']:.3f} s",
                  verdict(t))]))


def main(argv: list[str] | None = None) -> int:
    parser = BenchParser(__doc__)
    parser.add_count("--rounds", 15, 3, "rounds; each runs every command once")
    parser.add_argument("--baseline", type=Path, default=None, metavar="DIR",
                        help="another checkout (with src/ and templates/) whose render runs in the same rounds")
    parser.add_argument("--as-is", action="store_true",
                        help="run the children in this environment as it is (by default they get a bytecode "
                             "cache in the temporary folder, even when PYTHONDONTWRITEBYTECODE is set)")
    parser.add_output_options("smoke run with few rounds")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be ≥ 1")
    if args.baseline is not None and not (args.baseline / "src" / "narrate").is_dir():
        parser.error(f"--baseline {args.baseline}: no src/narrate there")
    results: dict[str, Any] = {
        "machine": machine(versions=("pydantic", "jinja2", "click", "python-docx", "PyYAML")),
        "settings": {"rounds": args.rounds, "quick": args.quick, "bytecode_cache": not args.as_is},
        "cold_start": bench(args.rounds, args.baseline.resolve() if args.baseline else None, not args.as_is),
    }
    return finish(results, targets, print_report, args)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python
"""Instructions a batch unit costs, counted by valgrind: a figure that does not drift with the machine.

Run from the project root with the project's venv (needs ``valgrind``; on Debian ``apt-get install valgrind``)::

    .venv/bin/python benchmarks/bench_instructions.py                          # this tree, 50 units (~15 s)
    .venv/bin/python benchmarks/bench_instructions.py --baseline ../old/src    # and a baseline, side by side
    .venv/bin/python benchmarks/bench_instructions.py --units 200 --json

Wall times on a shared VM drift by ±10–20 % from minute to minute, more than most single changes save.
The number of instructions the CPU executes does not: each side renders the same synthetic units
(``narrate.synthetic``, every 4th as YAML, as ``bench_batch.py`` writes them) the way a ``narrate batch``
worker does (:func:`narrate.batch.unit.render_unit`: load, check, render, ``.docx``), once warmed up and
frozen, under ``valgrind --tool=cachegrind --cache-sim=no`` with ``PYTHONHASHSEED=0``.  Instructions a
unit = (instructions of N units − instructions of 0 units) ÷ N, so imports and the warm-up cancel out;
the same tree gives the same count to the last digit.  ``--baseline SRC`` (another checkout's ``src``
folder, or the checkout itself) is counted the same way, with its own templates, and the ratio printed.

Instructions are not time (cache misses and branches differ), but a change that saves instructions in
this loop saves time in every worker; check the result with ``bench_batch.py --units 10000``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from common import ROOT, BenchParser, finish, table  # noqa: E402

# What each side runs under valgrind: argv = folder, count.
CHILD = """
import gc, sys
from pathlib import Path
from narrate.batch.unit import UnitJob, _warm_up, render_unit
paths = sorted(str(p) for p in Path(sys.argv[1]).iterdir())
count = int(sys.argv[2])
_warm_up(UnitJob(paths[0]))
render_unit(UnitJob(paths[0]))
gc.freeze()
gc.set_threshold(10000, 10, 10)  # as a batch worker (narrate.batch.pool.YOUNG_OBJECTS)
for path in paths[:count]:
    render_unit(UnitJob(path))
"""

_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def instructions(report: str) -> int:
    """The total of cachegrind's summary (``==123== I   refs:      1,234,567``)."""
    found = _REFS.search(report)
    if found is None:
        raise ValueError(f"no instruction count in valgrind's report: {report[-300:]!r}")
    return int(found.group(1).replace(",", ""))


def source_folder(path: str) -> Path:
    """A checkout or its ``src`` folder → the folder holding the ``narrate`` package."""
    folder = Path(path).resolve()
    for candidate in (folder, folder / "src"):
        if (candidate / "narrate" / "__init__.py").is_file():
            return candidate
    raise SystemExit(f"{path}: no narrate package there (give a checkout or its src folder)")


def count(src: Path, units: Path, n: int) -> int:
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(src)}
    argv = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
            sys.executable, "-c", CHILD, str(units), str(n)]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"valgrind failed ({done.returncode}): {done.stderr[-500:]}")
    return instructions(done.stderr)


def per_unit(src: Path, units: Path, n: int) -> float:
    return (count(src, units, n) - count(src, units, 0)) / n


def main(argv: list[str] | None = None) -> int:
    parser = BenchParser(__doc__)
    parser.add_count("--units", 50, 5, "synthetic units rendered under valgrind")
    parser.add_argument("--baseline", help="another checkout (or its src folder) counted side by side")
    parser.add_argument("--seed", type=int, default=7, help="seed of the synthetic units (default 7)")
    parser.add_output_options("a smoke run: 5 units")
    args, _ = parser.parse_known_args(argv)
    if shutil.which("valgrind") is None:
        print("bench_instructions.py 需要 valgrind（Debian/Ubuntu：apt-get install valgrind）", file=sys.stderr)
        return 2
    from bench_batch import unit_files, write_files

    sides = {"this tree": ROOT / "src"}
    if args.baseline:
        sides["baseline"] = source_folder(args.baseline)
    with tempfile.TemporaryDirectory(prefix="narrate-ir-") as tmp:
        files, _ = unit_files(args.units, 4, args.seed)
        write_files(Path(tmp), files)
        results: dict[str, Any] = {"units": args.units, "seed": args.seed,
                                   "sides": {name: {"src": str(src), "instructions_per_unit": per_unit(src, Path(tmp),
                                                                                                     args.units)}
                                             for name, src in sides.items()}}
    if args.baseline:
        mine, base = (results["sides"][k]["instructions_per_unit"] for k in ("this tree", "baseline"))
        results["ratio"] = mine / base
    return finish(results, lambda r: {}, _report, args)


def _report(results: dict[str, Any]) -> None:
    rows = [("side", "instructions a unit", "source")]
    for name, side in results["sides"].items():
        rows.append((name, f"{side['instructions_per_unit'] / 1e6:.3f} M", side["src"]))
    print(f"{results['units']} synthetic units (seed {results['seed']}), valgrind cachegrind, PYTHONHASHSEED=0\n")
    print(table(rows))
    if "ratio" in results:
        print(f"\nthis tree ÷ baseline: {results['ratio']:.4f}")


if __name__ == "__main__":
    sys.exit(main())

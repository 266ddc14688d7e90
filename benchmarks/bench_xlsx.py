#!/usr/bin/env python
"""Reading the example workbook: python-calamine beside openpyxl (read-only), beside rendering.

Run from the project root with the project's venv::

    .venv/bin/python benchmarks/bench_xlsx.py            # full run (40 repeats)
    .venv/bin/python benchmarks/bench_xlsx.py --quick    # smoke run, a few repeats
    .venv/bin/python benchmarks/bench_xlsx.py --json     # results as JSON on stdout
    .venv/bin/python benchmarks/bench_xlsx.py --check    # exit 1 if the read is not under the render

The workbook is the bundled example written by ``narrate convert`` (the ten
tables and the sheets of 表外数据, 17 sheets).  In one process, after warm-up,
run by run interleaved so every measurement sees the same machine state:

* ``grids``: the workbook's cells as Python values — ``python-calamine`` and
  ``openpyxl`` (``read_only=True, data_only=True``);
* ``load``: the whole read, grids → tables found by title/header → validated
  ``Figures`` (what ``narrate.load("x.xlsx")`` does), with each engine;
* ``load_yaml``: the same figures from the bundled YAML, for reference;
* ``render``: ``narrate.render(narrate.compute(figures))`` plus the .docx bytes —
  what the read is compared against (target: the calamine load below the render).
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:  # there already when run as a script; also when loaded by file path
    sys.path.insert(0, _HERE)

from common import ROOT, measure, print_json  # noqa: E402

sys.path.insert(0, str(ROOT / "src"))

import narrate  # noqa: E402
from narrate.loaders.grid import figures_from_blocks  # noqa: E402
from narrate.loaders.xlsx import read_blocks  # noqa: E402
from narrate.writers.workbook import write_workbook  # noqa: E402
from narrate.writers import to_bytes  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a few repeats (smoke run)")
    parser.add_argument("--repeat", type=int, default=None, help="measured runs per case (default 40, quick 5)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--check", action="store_true", help="exit 1 when the calamine load is not under the render")
    args = parser.parse_args(argv)
    repeat = args.repeat or (5 if args.quick else 40)
    warmup = 2 if args.quick else 5

    figures = narrate.load(narrate.example_path())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "example.xlsx"
        write_workbook(path, figures)
        assert narrate.load(path) == figures, "the example workbook does not read back to the example"
        sheets = len(read_blocks(path))
        cells = sum(len(row) for block in read_blocks(path) for row in block.rows)

        def render() -> bytes:
            return to_bytes(narrate.render(narrate.compute(figures)), "docx")

        cases = {
            "grids_calamine": lambda: read_blocks(path, "calamine"),
            "grids_openpyxl": lambda: read_blocks(path, "openpyxl"),
            "load_calamine": lambda: figures_from_blocks(read_blocks(path, "calamine"), str(path)),
            "load_openpyxl": lambda: figures_from_blocks(read_blocks(path, "openpyxl"), str(path)),
            "load_yaml": lambda: narrate.load(narrate.example_path()),
            "render": render,
        }
        results = measure(cases, repeat, warmup)
        size = path.stat().st_size

    med = {name: r["median_ms"] for name, r in results.items()}
    out = {
        "machine": {"python": platform.python_version(), "implementation": platform.python_implementation(),
                    "platform": platform.platform()},
        "workbook": {"bytes": size, "sheets": sheets, "cells": cells},
        "repeat": repeat,
        "warmup": warmup,
        "results": results,
        "ratios": {
            "grids_openpyxl_over_calamine": med["grids_openpyxl"] / med["grids_calamine"],
            "load_openpyxl_over_calamine": med["load_openpyxl"] / med["load_calamine"],
            "load_calamine_over_render": med["load_calamine"] / med["render"],
            "grids_calamine_over_render": med["grids_calamine"] / med["render"],
            "load_calamine_over_yaml": med["load_calamine"] / med["load_yaml"],
        },
        "parse_ms": med["load_calamine"] - med["grids_calamine"],
    }
    out["read_under_render"] = med["load_calamine"] < med["render"]
    if args.json:
        print_json(out)
    else:
        print(f"narrate xlsx benchmark — python {out['machine']['python']}, {out['machine']['platform']}")
        print(f"example workbook: {size} bytes, {sheets} sheets, {cells} cells; repeat {repeat}, warm-up {warmup}")
        print()
        labels = {
            "grids_calamine": "cells as Python values — python-calamine",
            "grids_openpyxl": "cells as Python values — openpyxl read_only",
            "load_calamine": "narrate.load(x.xlsx) — calamine (default)",
            "load_openpyxl": "narrate.load(x.xlsx) — openpyxl engine",
            "load_yaml": "narrate.load(example.yaml), for reference",
            "render": "render + .docx bytes (the comparison)",
        }
        print(f"{'':46}  {'median ms':>9}  {'p90 ms':>7}  {'min ms':>7}")
        for name, label in labels.items():
            r = results[name]
            print(f"{label:46}  {r['median_ms']:9.2f}  {r['p90_ms']:7.2f}  {r['min_ms']:7.2f}")
        ratios = out["ratios"]
        print()
        print(f"openpyxl / calamine: cells {ratios['grids_openpyxl_over_calamine']:.1f}x, "
              f"whole load {ratios['load_openpyxl_over_calamine']:.1f}x")
        print(f"narrate's own work on the grids (tables found, checked, validated): {out['parse_ms']:.2f} ms")
        print(f"load (calamine) / load (YAML): {ratios['load_calamine_over_yaml']:.2f}")
        print(f"cells (calamine) / render: {ratios['grids_calamine_over_render']:.2f}")
        print(f"load (calamine) / render: {ratios['load_calamine_over_render']:.2f}  "
              f"→ {'PASS' if out['read_under_render'] else 'MISS'} (target: read under render)")
    if args.check and not out["read_under_render"]:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

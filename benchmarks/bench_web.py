#!/usr/bin/env python
"""``narrate serve``: upload of the example workbook → review page, and re-render after typing a reason.

Run from the project root with the project's venv (needs the ``web`` extra)::

    .venv/bin/python benchmarks/bench_web.py            # full run
    .venv/bin/python benchmarks/bench_web.py --quick    # smoke run
    .venv/bin/python benchmarks/bench_web.py --json     # results as JSON on stdout

A real server (uvicorn, in a thread, 127.0.0.1, a free port) and an HTTP client (httpx), after warm-up:

* ``upload_review``: a fresh session POSTs the example workbook (``narrate convert
  examples/yangcheng-2024.yaml -o x.xlsx``) to /upload and GETs /review: the workbook read, checked,
  computed, rendered and the page made server-side (target ≤ 300 ms);
* ``type_reason``: in a session opened on the example with one change reason left out, POST /api/text
  with a reason: figures rebuilt from plain data, checked, rendered, changed paragraphs returned
  (target ≤ 100 ms).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from common import BenchParser, finish, machine, machine_lines, ms_row, summary_ms, table, target, verdict  # noqa: E402

UPLOAD_TARGET_MS = 300.0
REASON_TARGET_MS = 100.0


def measure(repeat: int, warmup: int) -> dict:
    import httpx2 as httpx

    from narrate.web import create_app
    from narrate.web.server import start_in_thread
    from web_helpers import REASON_PATH, example_workbook, without_reason

    with tempfile.TemporaryDirectory() as tmp:
        workbook = example_workbook(Path(tmp)).read_bytes()
        missing = without_reason(Path(tmp)).read_bytes()
    server, thread, url = start_in_thread(create_app())
    upload_times, reason_times = [], []
    try:
        for n in range(warmup + repeat):
            with httpx.Client(base_url=url, timeout=120) as client:
                start = time.perf_counter()
                assert client.post("/upload", params={"name": "x.xlsx"}, content=workbook).status_code == 200
                page = client.get("/review")
                elapsed = time.perf_counter() - start
                assert page.status_code == 200 and "第三部分" in page.text
                if n >= warmup:
                    upload_times.append(elapsed)
        with httpx.Client(base_url=url, timeout=120) as client:
            assert client.post("/upload", params={"name": "r.yaml"}, content=missing).status_code == 200
            for n in range(warmup + repeat):
                start = time.perf_counter()
                answer = client.post("/api/text", json={"path": REASON_PATH, "text": f"原因第{n}稿"})
                elapsed = time.perf_counter() - start
                assert answer.json()["ok"] and answer.json()["blocks"]
                if n >= warmup:
                    reason_times.append(elapsed)
    finally:
        server.should_exit = True
        thread.join(timeout=60)
    return {"upload_review": summary_ms(upload_times), "type_reason": summary_ms(reason_times)}


def targets(results: dict) -> dict:
    return {
        "upload_review_median_ms": target(UPLOAD_TARGET_MS, results["cases"]["upload_review"]["median_ms"]),
        "type_reason_median_ms": target(REASON_TARGET_MS, results["cases"]["type_reason"]["median_ms"]),
    }


def print_report(results: dict) -> None:
    print("narrate serve (HTTP, real server on 127.0.0.1)")
    print("\n".join(machine_lines(results["machine"])))
    rows = [("case", "median ms", "p90 ms", "min ms")]
    rows += [ms_row(name, row) for name, row in results["cases"].items()]
    print(table(rows))
    for name, row in results["targets"].items():
        print(f"  {name}: {row['measured']:.1f} ≤ {row['target']:.0f}  {verdict(row)}")


def main(argv: list[str] | None = None) -> int:
    parser = BenchParser(__doc__)
    parser.add_count("--repeat", 30, 3, "measured runs of each case")
    parser.add_count("--warmup", 3, 1, "warm-up runs")
    parser.add_output_options("a few runs (smoke run)")
    args = parser.parse_args(argv)
    results = {"machine": machine(narrate_version=True), "cases": measure(args.repeat, args.warmup)}
    return finish(results, targets, print_report, args)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python
"""``narrate lint`` on the reference chapter: each input form, beside rendering the same chapter.

Run from the project root with the project's venv::

    .venv/bin/python benchmarks/bench_lint.py            # full run (20 repeats; PDF 3)
    .venv/bin/python benchmarks/bench_lint.py --quick    # smoke run
    .venv/bin/python benchmarks/bench_lint.py --json     # results as JSON on stdout

In one process, after warm-up, run by run interleaved:

* ``render``: ``narrate.render(narrate.compute(figures))`` of the example — the baseline: linting with
  tables renders narrate's own chapter once, so it cannot be cheaper than this;
* ``lint_text``: the reference chapter (tests/data/reference_parts_3_4.txt) alone, self-consistency only;
* ``lint_figures``: the same with the example figures (.yaml): both layers;
* ``lint_docx``: a whole disclosure in Word (the ten tables, then the chapter), its tables read from it;
* ``lint_pdf``: the whole disclosure as PDF (tests/data/lint_disclosure.pdf, 34 pages): characters and
  ruling lines read by PDFium (pypdfium2), lines and tables built by pdfplumber
  (see src/narrate/linting/pdfium.py);
* ``lint_pdf_pdfminer``: the same with pdfplumber parsing every page itself (pdfminer.six) — the path
  before PDFium was used, the same result;
* ``pdf_text_pdfplumber`` / ``pdf_text_pypdfium2``: the PDF's text alone with each library (the library
  alone, nothing of narrate).

The issue's targets are checked on the medians and printed PASS/MISS beside the library-alone times of
the same run (the machine may be busy: compare within one run): a 30-page PDF disclosure in ≤ 1 s, the
Word disclosure in ≤ 0.2 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from common import ROOT, measure, print_json  # noqa: E402

sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

import narrate  # noqa: E402

CHAPTER = ROOT / "tests" / "data" / "reference_parts_3_4.txt"
PDF = ROOT / "tests" / "data" / "lint_disclosure.pdf"
FIGURES = ROOT / "examples" / "yangcheng-2024.yaml"
TARGETS_MS = {"lint_pdf": 1000.0, "lint_docx": 200.0}


def _whole_disclosure(path: Path) -> None:
    import docx
    from table_files import docx_from_sheets

    from narrate.writers.workbook import workbook_sheets

    docx_from_sheets(workbook_sheets(narrate.load(FIGURES)), path)
    document = docx.Document(str(path))
    for line in CHAPTER.read_text(encoding="utf-8").splitlines():
        if line.strip():
            document.add_paragraph(line)
    document.save(str(path))


def _lint_pdf_pdfminer() -> Any:
    """``narrate lint`` of the PDF with PDFium switched off: pdfplumber parses every page itself."""
    from narrate.linting import pdfium

    was = pdfium.open_document
    pdfium.open_document = lambda path: None
    try:
        return narrate.lint(PDF)
    finally:
        pdfium.open_document = was


def _pdfplumber_text() -> str:
    import pdfplumber

    with pdfplumber.open(str(PDF)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def _pypdfium2_text() -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(PDF))
    try:
        return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a few repeats (smoke run)")
    parser.add_argument("--repeat", type=int, default=None, help="measured runs per case (default 20, quick 2)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    repeat = args.repeat or (2 if args.quick else 20)
    warmup = 1 if args.quick else 3
    figures = narrate.load(FIGURES)
    with tempfile.TemporaryDirectory() as tmp:
        whole = Path(tmp) / "决算公开.docx"
        _whole_disclosure(whole)
        fast = measure({
            "render": lambda: narrate.render(narrate.compute(figures)),
            "lint_text": lambda: narrate.lint(CHAPTER),
            "lint_figures": lambda: narrate.lint(CHAPTER, figures=figures),
            "lint_docx": lambda: narrate.lint(whole),
        }, repeat, warmup)
        slow = measure({
            "lint_pdf": lambda: narrate.lint(PDF),
            "lint_pdf_pdfminer": _lint_pdf_pdfminer,
            "pdf_text_pdfplumber": _pdfplumber_text,
            "pdf_text_pypdfium2": _pypdfium2_text,
        }, 1 if args.quick else 3, 0 if args.quick else 1)
        report = narrate.lint(PDF)
    results = {
        "cases": {**fast, **slow},
        "lint_figures_over_render": fast["lint_figures"]["median_ms"] / fast["render"]["median_ms"],
        "pdf_pypdfium2_speedup": slow["pdf_text_pdfplumber"]["median_ms"] / slow["pdf_text_pypdfium2"]["median_ms"],
        "targets": {name: {"target_ms": limit, "median_ms": (fast | slow)[name]["median_ms"],
                           "pass": (fast | slow)[name]["median_ms"] <= limit} for name, limit in TARGETS_MS.items()},
        "checked": {"claims": report.claims, "verified": report.verified, "findings": len(report.findings)},
    }
    if args.json:
        print_json(results)
        return 0
    print(f"narrate lint on the reference chapter ({repeat} runs each; PDF fewer)")
    for name, row in results["cases"].items():
        print(f"  {name:<22} median {row['median_ms']:9.1f} ms   p90 {row['p90_ms']:9.1f} ms   min {row['min_ms']:9.1f} ms")
    print(f"  lint with figures = {results['lint_figures_over_render']:.2f} × render; "
          f"pypdfium2 reads the PDF's text {results['pdf_pypdfium2_speedup']:.0f}× faster than pdfplumber")
    cases = results["cases"]
    print(f"  library alone, the PDF's text: pdfplumber {cases['pdf_text_pdfplumber']['median_ms']:.0f} ms, "
          f"pypdfium2 {cases['pdf_text_pypdfium2']['median_ms']:.0f} ms; "
          f"lint before PDFium (pdfminer) {cases['lint_pdf_pdfminer']['median_ms']:.0f} ms")
    for name, row in results["targets"].items():
        print(f"  target {name:<10} ≤ {row['target_ms']:.0f} ms: median {row['median_ms']:.0f} ms  "
              f"{'PASS' if row['pass'] else 'MISS'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Smoke test: benchmarks/bench_lint.py runs in --quick mode and reports every case (no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_bench_lint_quick_reports_every_case():
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_lint.py"), "--quick", "--json"],
                          cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout)
    cases = {"render", "lint_text", "lint_figures", "lint_docx", "lint_pdf", "lint_pdf_pdfminer", "pdf_text_pdfplumber", "pdf_text_pypdfium2"}
    assert set(results["cases"]) == cases
    assert all(row["median_ms"] > 0 for row in results["cases"].values())
    assert set(results["targets"]) == {"lint_pdf", "lint_docx"}  # PASS/MISS reported, not asserted
    assert results["checked"] == {"claims": 115, "verified": 114, "findings": 4}

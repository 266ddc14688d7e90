"""Shared fixtures of the web tests: figures files made from the bundled example."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import yaml

import narrate

EXAMPLE = narrate.example_path()
REASON_PATH = "general_budget.functions.208.change_reason"


def example_workbook(folder: Path) -> Path:
    """``narrate convert examples/yangcheng-2024.yaml -o x.xlsx``."""
    out = folder / "x.xlsx"
    subprocess.run([sys.executable, "-m", "narrate", "convert", str(EXAMPLE), "-o", str(out)], check=True,
                   capture_output=True)
    return out


def broken_workbook(folder: Path) -> tuple[Path, str, str]:
    """The example workbook with text in an amount cell of 公开01表: (path, sheet, cell)."""
    import openpyxl

    book = openpyxl.load_workbook(example_workbook(folder))
    sheet = book["公开01表"]
    cell = next(c for row in sheet.iter_rows() for c in row
                if isinstance(c.value, (int, float)) and not isinstance(c.value, bool) and c.value > 100)
    cell.value = "一万五千"
    out = folder / "broken.xlsx"
    book.save(out)
    return out, sheet.title, cell.coordinate


def without_reason(folder: Path, paths: tuple[str, ...] = (REASON_PATH,)) -> Path:
    """The example's figures with some change reasons left out (so the check asks for them)."""
    from narrate.dump import figures_data, to_yaml

    data = copy.deepcopy(figures_data(narrate.load(EXAMPLE)))
    for path in paths:
        *parents, last = path.split(".")
        node = data
        for key in parents:
            node = node[key]
        node.pop(last)
    out = folder / "missing-reason.yaml"
    out.write_text(to_yaml(narrate.figures_from_data(data)), encoding="utf-8")
    assert yaml.safe_load(out.read_text(encoding="utf-8"))
    return out


def docx_paragraphs(data: bytes) -> list[str]:
    import io

    import docx

    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs if p.text.strip()]

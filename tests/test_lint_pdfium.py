"""PDF pages read by PDFium (narrate.linting.pdfium) give pdfplumber the same objects pdfminer would:
the chapter and the tables' rows come out identical either way; pages PDFium cannot stand in for fall
back to pdfminer."""

from __future__ import annotations

from pathlib import Path

import pypdfium2

from narrate.linting import pdfium
from narrate.linting.pdf import read_pdf

PDF = Path(__file__).resolve().parent / "data" / "lint_disclosure.pdf"


def test_pdfium_and_pdfminer_read_the_same_chapter_and_tables():
    fast, slow = read_pdf(PDF), read_pdf(PDF, pdfium=False)
    assert [(p.text, p.heading, p.section) for p in fast.paragraphs] == \
           [(p.text, p.heading, p.section) for p in slow.paragraphs]
    assert fast.grid == slow.grid  # every table row, cell by cell, in the same order
    assert any("shanghai-2024" in (cell or "") for row in fast.grid[0] for cell in row)  # "-" at a line end


def test_every_page_of_the_disclosure_is_read_by_pdfium():
    document = pdfium.open_document(str(PDF))
    try:
        assert all(pdfium.page_objects(document, i, i + 1, 0.0) is not None for i in range(len(document)))
    finally:
        document.close()


def test_a_rotated_page_is_left_to_pdfminer(tmp_path):
    path = tmp_path / "rotated.pdf"
    document = pypdfium2.PdfDocument.new()
    page = document.new_page(200, 200)
    page.set_rotation(90)
    document.save(str(path))
    document.close()
    document = pdfium.open_document(str(path))
    try:
        assert pdfium.page_objects(document, 0, 1, 0.0) is None
    finally:
        document.close()


def test_a_file_pdfium_cannot_open_gives_none(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4 garbage")
    assert pdfium.open_document(str(path)) is None

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


def _pdf(path: Path, content: bytes) -> Path:
    """A one-page PDF (Helvetica as F1) drawing ``content``."""
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
               b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Resources<</Font<</F1 5 0 R>>>>/Contents 4 0 R>>",
               b"<</Length %d>>stream\n" % len(content) + content + b"\nendstream",
               b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(out)
    return path


def test_text_scaled_by_its_matrix_has_the_printed_size(tmp_path):
    """"/F1 1 Tf" with "11 0 0 11 x y Tm" (as some producers write it) is 11-point text, as pdfminer reads it."""
    import pdfplumber

    path = _pdf(tmp_path / "scaled.pdf", b"BT /F1 1 Tf 11 0 0 11 72 700 Tm (Hello world) Tj ET "
                                         b"BT /F1 12 Tf 72 650 Td (Second line) Tj ET 0.5 w 70 640 m 300 640 l S")
    with pdfplumber.open(str(path)) as pdf:
        page = pdf.pages[0]
        slow = page.chars
        lines = [line["text"] for line in page.extract_text_lines()]
        document = pdfium.open_document(str(path))
        try:
            fast = pdfium.page_objects(document, 0, 1, 0.0, page.height)
        finally:
            document.close()
        page._objects = fast
        assert [line["text"] for line in page.extract_text_lines()] == lines == ["Hello world", "Second line"]
    assert [(c["text"], c["size"], c["x0"]) for c in fast["char"]] == \
           [(c["text"], c["size"], round(c["x0"], 3)) for c in slow]
    assert [(x["x0"], x["x1"], x["top"]) for x in fast["line"]] == [(70.0, 300.0, 152.0)]


def test_rotated_text_is_left_to_pdfminer(tmp_path):
    path = _pdf(tmp_path / "turned.pdf", b"BT /F1 1 Tf 0 11 -11 0 300 300 Tm (Turned) Tj ET")
    document = pdfium.open_document(str(path))
    try:
        assert pdfium.page_objects(document, 0, 1, 0.0) is None
    finally:
        document.close()
    assert [p.text for p in read_pdf(path).paragraphs] == [p.text for p in read_pdf(path, pdfium=False).paragraphs]

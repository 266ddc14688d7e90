"""narrate lint on PDF: a whole disclosure converted by LibreOffice (tests/data/lint_disclosure.pdf, made by
tests/data/make_lint_pdf.py) — its tables are read by the same grid reader as Word and Excel."""

from __future__ import annotations

from pathlib import Path

from hostile.harness import assert_refused, run

import narrate
from narrate.linting.pdf import read_pdf
from narrate.linting.files import read_path

DATA = Path(__file__).resolve().parent / "data"
PDF = DATA / "lint_disclosure.pdf"
YANGCHENG = Path(__file__).resolve().parents[1] / "examples" / "yangcheng-2024.yaml"
SLIPS = [(3, "110.70%"), (3, "110.70%"), (44, "87.30%"), (59, "5,782.90")]


def test_pdf_paragraphs_are_the_chapter_as_written():
    pdf = [p.text for p in read_pdf(PDF).paragraphs]
    assert pdf == [p.text for p in read_path(DATA / "reference_parts_3_4.txt").paragraphs]


def test_whole_disclosure_pdf_is_checked_against_its_own_tables():
    report = narrate.lint(PDF)
    assert [(f.paragraph, f.expected) for f in report.findings] == SLIPS
    assert report.verified == 114 and "lint_disclosure.pdf" in report.tables


def test_pdf_tables_equal_the_figures_they_were_printed_from():
    from narrate.linting.pdf import load_pdf_tables

    figures = load_pdf_tables(PDF)
    assert figures.tables == narrate.load(YANGCHENG).tables


def test_pdf_chapter_with_figures_file():
    report = narrate.lint(PDF, figures=YANGCHENG)
    assert [(f.paragraph, f.expected) for f in report.findings] == SLIPS


def test_unreadable_pdfs_are_refused(tmp_path):
    empty = tmp_path / "scan.pdf"
    empty.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
                      b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
                      b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
                      b"trailer<</Root 1 0 R>>\n%%EOF\n")
    assert_refused(run("lint", empty), "scan.pdf", "没有文字")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 garbage")
    assert_refused(run("lint", broken), "broken.pdf", "无法读取 PDF")
    assert_refused(run("lint", PDF, env={"NARRATE_MAX_PDF_PAGES": "3"}), "lint_disclosure.pdf", "页数过多")


def test_running_headers_and_footers_are_left_out():
    from narrate.linting.pdf import _without_running_lines

    def line(text, page, top):
        return {"text": text, "x0": 90.0, "x1": 300.0, "top": top, "bottom": top + 11, "size": 11.0, "page": page}

    lines = []
    for page in range(1, 5):
        lines += [line("某某局2024年度部门决算", page, 40), line(f"第{page}页的正文。", page, 100)]
    kept = _without_running_lines(lines, 4)
    assert [x["text"] for x in kept] == [f"第{p}页的正文。" for p in range(1, 5)]


def test_a_row_broken_across_pages_is_recognised_by_its_content():
    from narrate.linting.pdf import _continued

    before = [["2130599", "其他巩固脱贫攻坚", "362.32"]]
    origins = [("t", 1, 1)]
    assert _continued(before, origins, [["", "成果衔接乡村振兴支出", ""]], first_on_page=True)
    assert not _continued(before, origins, [["", "成果衔接乡村振兴支出", ""]], first_on_page=False)
    assert not _continued(before, origins, [["21308", "普惠金融发展支出", "157.77"]], first_on_page=True)
    assert not _continued(before, origins, [["科目代码", "科目名称", ""]], first_on_page=True)
    assert not _continued(before, [("p", 3)], [["", "成果衔接乡村振兴支出", ""]], first_on_page=True)

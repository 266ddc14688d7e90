"""Hostile Word documents (issue 10): spans that explode a row, zip bombs, deep XML.

Read as figures (``narrate render X.docx``), as last year's document (``--prior``), as the
reference document (``--reference-doc``) and as the target (``--into``); every case runs in a
child process under the 1 GiB address-space limit and must end in a clean refusal naming the file.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from .harness import assert_refused, run, snapshot

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "yangcheng-2024.yaml"


def word_with_table(path: Path, *, span: str | None = None, before: str | None = None, columns: int = 3) -> Path:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.add_paragraph("收入支出决算总表")
    table = document.add_table(rows=2, cols=columns)
    table.cell(0, 0).text = "项目"
    if span is not None:
        grid_span = OxmlElement("w:gridSpan")
        grid_span.set(qn("w:val"), span)
        table.cell(1, 0)._tc.get_or_add_tcPr().append(grid_span)
    if before is not None:
        tr = table.rows[1]._tr
        tr_pr = tr.get_or_add_trPr()
        grid_before = OxmlElement("w:gridBefore")
        grid_before.set(qn("w:val"), before)
        tr_pr.append(grid_before)
    document.save(str(path))
    return path


def render(tmp_path: Path, figures: Path, *extra: str, output: str = "out.md"):  # type: ignore[no-untyped-def]
    out = tmp_path / output
    outcome = run("render", figures, "-o", out, *extra)
    if outcome.returncode == 2:
        assert not out.exists()
    return outcome


# ------------------------------------------------------------------ spans
@pytest.mark.parametrize("span", ["2000000000", "50000000", "abc", "65", "-3", "4"])
def test_hostile_grid_span_is_refused_naming_table_and_row(tmp_path, span):
    path = word_with_table(tmp_path / "spans.docx", span=span)
    assert_refused(render(tmp_path, path), "spans.docx", "第1个表格", "第2行", "w:gridSpan", span)


@pytest.mark.parametrize("before", ["2000000000", "x1"])
def test_hostile_grid_before_is_refused(tmp_path, before):
    path = word_with_table(tmp_path / "before.docx", before=before)
    assert_refused(render(tmp_path, path), "before.docx", "第1个表格", "第2行", "w:gridBefore")


def test_span_within_the_grid_is_read(tmp_path):
    """A legitimate span (the row's cells fill the 3-column grid) is not refused for its span."""
    from narrate.loaders.docx_tables import read_blocks

    import docx

    path = tmp_path / "ok.docx"
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2))
    table.cell(0, 0).text = "合计"
    document.save(str(path))
    assert read_blocks(path)[0].rows == [["合计", None, None]]


# ------------------------------------------------------------------ zip bombs and deep XML
@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    """A .docx whose word/document.xml unpacks to 600 MB (a few hundred KB on disk)."""
    folder = tmp_path_factory.mktemp("bomb")
    source = word_with_table(folder / "source.docx")
    path = folder / "bomb.docx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED,
                                                              compresslevel=1) as out:
        for info in original.infolist():
            if info.filename != "word/document.xml":
                out.writestr(info, original.read(info))
                continue
            xml = original.read(info)
            head, tail = xml.split(b"<w:body>", 1)
            with out.open("word/document.xml", "w", force_zip64=True) as part:
                part.write(head + b"<w:body>")
                block = b" " * (1 << 20)
                for _ in range(600):
                    part.write(block)
                part.write(tail)
    return path


def test_zip_bomb_as_figures_is_refused(tmp_path, bomb):
    assert_refused(render(tmp_path, bomb), "bomb.docx", "压缩炸弹")


@pytest.mark.parametrize("option", ["--prior", "--reference-doc", "--into"])
def test_zip_bomb_as_word_option_is_refused(tmp_path, bomb, option):
    before = snapshot(bomb.parent)
    out = "out.md" if option == "--prior" else "out.docx"
    assert_refused(render(tmp_path, EXAMPLE, option, bomb, output=out), "bomb.docx", "压缩炸弹")
    assert snapshot(bomb.parent) == before


def test_deeply_nested_xml_is_refused(tmp_path):
    source = word_with_table(tmp_path / "source.docx")
    path = tmp_path / "deep.docx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in original.infolist():
            data = original.read(info)
            if info.filename == "word/document.xml":
                head, tail = data.split(b"<w:body>", 1)
                data = head + b"<w:body>" + b"<w:sdt><w:sdtContent>" * 100_000 + \
                    b"</w:sdtContent></w:sdt>" * 100_000 + tail
            out.writestr(info, data)
    assert_refused(render(tmp_path, path), "deep.docx")


@pytest.mark.parametrize("option", ["--reference-doc", "--into"])
def test_word_option_that_is_a_device_is_refused(tmp_path, option):
    assert_refused(render(tmp_path, EXAMPLE, option, "/dev/zero", output="out.docx"), "/dev/zero")

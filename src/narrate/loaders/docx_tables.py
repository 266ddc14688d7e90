"""Word documents (.docx) → :class:`Figures`: the ten 公开 tables of a disclosure.

A disclosure's Part 2 prints each table as a title paragraph (``收入支出决算总表``,
``公开01表``, ``部门名称：…``, ``2024年度``, ``金额单位：万元``) followed by a Word
table laid out like the printed one.  The document body — paragraphs and table
rows in order — is handed to :mod:`narrate.loaders.grid` as one grid, so the
tables are found and read exactly as in a workbook.  Merged cells (horizontal
spans and vertical merges) keep their text in the first cell only; a table
split over pages into several Word tables is read as one.

Cells are named ``第5个表格（公开05表）第12行第3列`` in messages.

Last year's published document fills the 上年 figures: see
:func:`prior_from_document` (in :mod:`narrate.loaders.prior`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import FiguresError, Problem
from ..limits import LIMITS, check_input_file, check_zip_package
from .grid import Block, figures_from_blocks

__all__ = ["read_blocks", "load_docx"]

SUFFIXES = (".docx", ".docm")


def _cell_text(tc: Any) -> str:
    from docx.oxml.ns import qn

    t = qn("w:t")
    return "\n".join("".join(node.text or "" for node in p.iter(t)) for p in tc.iter(qn("w:p"))).strip()


def _count(node: Any, attribute: str, default: int, limit: int, source: str, where: str) -> int:
    """An integer attribute of a table element (w:gridSpan, w:gridBefore), refused unless 0…limit."""
    from docx.oxml.ns import qn

    raw = node.get(qn("w:val"))
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if not 0 <= value <= limit:
        raise FiguresError(source, [Problem(
            f"{where}：{attribute} 的值“{raw[:40]}”不可用",
            expected=f"0 到 {limit} 的整数（不超过表格的列数）；文件可能已损坏，请用 Word 或 WPS 打开后另存再试",
        )])
    return value


def _body_rows(document: Any, source: str = "") -> tuple[list[list[Any]], list[tuple]]:
    from docx.oxml.ns import qn

    rows: list[list[Any]] = []
    origins: list[tuple] = []
    paragraph_no = 0
    table_no = 0
    cells = 0
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph_no += 1
            text = "".join(node.text or "" for node in child.iter(qn("w:t"))).strip()
            if text:
                rows.append([text])
                origins.append(("p", paragraph_no))
        elif child.tag == qn("w:tbl"):
            table_no += 1
            grid = child.find(qn("w:tblGrid"))
            grid_columns = len(grid.findall(qn("w:gridCol"))) if grid is not None else 0
            widest = min(grid_columns or LIMITS.max_table_columns, LIMITS.max_table_columns)
            for row_no, tr in enumerate(child.iterchildren(qn("w:tr")), start=1):
                where = f"第{table_no}个表格第{row_no}行"
                values: list[Any] = []
                grid_before = tr.find(qn("w:trPr"))
                if grid_before is not None:
                    before = grid_before.find(qn("w:gridBefore"))
                    if before is not None:
                        values.extend([None] * _count(before, "w:gridBefore", 0, widest, source, where))
                for tc in tr.iterchildren(qn("w:tc")):
                    span = 1
                    merged = False
                    props = tc.find(qn("w:tcPr"))
                    if props is not None:
                        grid_span = props.find(qn("w:gridSpan"))
                        if grid_span is not None:
                            span = max(_count(grid_span, "w:gridSpan", 1, widest, source, where), 1)
                        v_merge = props.find(qn("w:vMerge"))
                        if v_merge is not None and v_merge.get(qn("w:val"), "continue") == "continue":
                            merged = True
                    values.append(None if merged else _cell_text(tc))
                    values.extend([None] * (span - 1))
                    if len(values) > LIMITS.max_table_columns:
                        raise FiguresError(source, [Problem(
                            f"{where}：超过 {LIMITS.max_table_columns} 列", expected="Word 表格最多 63 列；文件可能已损坏")])
                cells += len(values)
                if cells > LIMITS.max_cells:
                    raise FiguresError(source, [Problem(
                        f"表格单元格超过 {LIMITS.max_cells} 个（{where}）",
                        expected="确需更多时设置环境变量 NARRATE_MAX_CELLS")])
                rows.append(values)
                origins.append(("t", table_no, row_no))
    return rows, origins


def read_blocks(path: str | Path) -> list[Block]:
    """The document body (paragraphs and table rows, in order) as one grid.

    The file is checked first (:func:`~narrate.limits.check_input_file`, and
    :func:`~narrate.limits.check_zip_package` against zip bombs); spans and row
    widths are bounded by the table's grid and ``LIMITS.max_table_columns``.
    """
    import zipfile

    path = Path(path)
    source = str(path)
    check_input_file(path, "一个 Word 文档（.docx）")
    if zipfile.is_zipfile(path):
        check_zip_package(path, "Word 文档（.docx）")
    try:
        import docx

        document = docx.Document(str(path))
    except Exception as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise FiguresError(source, [Problem(f"无法读取 Word 文档：{detail}",
                                            expected=".docx 格式的 Word 文档（.doc 请先用 Word 或 WPS 另存为 .docx）")]) from None
    rows, origins = _body_rows(document, source)
    return [Block(path.name, rows, kind="document", origins=origins)]


def load_docx(path: str | Path, located: bool = False, profile: str | None = None) -> Any:
    """Read and validate the tables of a Word document → :class:`Figures` (``located``: with their cells)."""
    return figures_from_blocks(read_blocks(path), str(path), kind="Word 文档", located=located, profile=profile)

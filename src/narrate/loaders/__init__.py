"""Loaders: one module per input format, each returning validated :class:`~narrate.model.Figures`."""

from __future__ import annotations

from pathlib import Path

from ..model import Figures
from .text import FORMATS, figures_from_data, load_text

__all__ = ["load", "load_located", "figures_from_data", "FORMATS", "WORKBOOK_SUFFIXES", "DOCUMENT_SUFFIXES"]

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
DOCUMENT_SUFFIXES = (".docx", ".docm")


def load(path: str | Path, profile: str | None = None) -> Figures:
    """Read and validate figures: a data file (.yaml/.yml, .json, .toml), an Excel workbook
    (.xlsx; also .xlsm/.xls/.xlsb/.ods) or a Word document (.docx) holding the ten 公开 tables.

    Raises :class:`narrate.FiguresError` naming the file, and the field and line (data files)
    or the cell (workbooks, ``公开05表!C12``; Word, table/row/column) of every problem.
    ``profile``: the layout the tables follow (else the one the figures name, else default): a table
    it does not publish — 公开10表 in a nine-table layout — may be missing from a workbook or document.
    """
    return load_located(path, profile).figures


def load_located(path: str | Path, profile: str | None = None):  # type: ignore[no-untyped-def]
    """:func:`load`, returning ``Located(figures, cells)``: ``cells`` maps a field path of the figures
    (``tables.t01.income_grand_total``) to the cell it was read from (``公开01表!C37``), so findings
    and provenance can name cells.  The figures stay a pure model: the map lives beside them, and is
    empty for a data file (.yaml/.json/.toml).  Reading a workbook or Word document, a
    :class:`FiguresError` carries in ``partial`` the figures as far as they could be read."""
    from ..errors import FiguresError, Problem
    from ..limits import check_input_file

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in WORKBOOK_SUFFIXES + DOCUMENT_SUFFIXES and suffix not in FORMATS:
        raise FiguresError(str(path), [Problem(
            f"不认识的文件类型“{path.suffix}”",
            expected="扩展名为 .yaml、.yml、.json、.toml（数据文件），.xlsx（Excel 工作簿）或 .docx（Word 文档）",
        )])
    check_input_file(path, "数据文件、Excel 工作簿或 Word 文档")  # before opening: a FIFO or /dev/zero would hang
    if suffix in WORKBOOK_SUFFIXES:
        from .xlsx import load_xlsx

        return load_xlsx(path, located=True, profile=profile)
    if suffix in DOCUMENT_SUFFIXES:
        from .docx_tables import load_docx

        return load_docx(path, located=True, profile=profile)
    from .located import CellMap, Located

    return Located(load_text(path), CellMap())

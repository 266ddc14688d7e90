"""Excel workbooks (.xlsx, also .xlsm/.xls/.xlsb/.ods) → :class:`Figures`.

The workbook holds the ten 公开 tables laid out as printed — one sheet per table
or several per sheet, as the 决算 software exports them or as
``narrate template-xlsx`` writes them — and, when present, the sheets of what
the tables do not hold (单位信息, 上年与年初预算, 原因与用途 …).  Tables are found
by their titles and header text (see :mod:`narrate.loaders.grid`); cells are
named ``公开05表!C12`` in messages.

Reading uses python-calamine (Rust); openpyxl (``engine="openpyxl"``, read-only)
is kept as the baseline the benchmark measures against.  Both are imported
only when a workbook is read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import FiguresError, Problem
from .grid import Block, figures_from_blocks

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
ENGINES = ("calamine", "openpyxl")


def _calamine_blocks(path: Path) -> list[Block]:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    try:
        blocks = []
        for meta in workbook.sheets_metadata:
            if str(getattr(meta.visible, "name", meta.visible)).lower().endswith("hidden"):
                continue
            try:
                sheet = workbook.get_sheet_by_name(meta.name)
            except Exception:  # a chart sheet or a macro sheet: no cells
                continue
            blocks.append(Block(meta.name, sheet.to_python(skip_empty_area=False)))
        return blocks
    finally:
        close = getattr(workbook, "close", None)
        if close is not None:
            close()


def _openpyxl_blocks(path: Path) -> list[Block]:
    from openpyxl import load_workbook

    workbook = load_workbook(str(path), read_only=True, data_only=True)
    try:
        blocks = []
        for sheet in workbook.worksheets:
            if sheet.sheet_state != "visible":
                continue
            rows = [list(row) for row in sheet.iter_rows(values_only=True)]
            blocks.append(Block(sheet.title, rows))
        return blocks
    finally:
        workbook.close()


def read_blocks(path: str | Path, engine: str = "calamine") -> list[Block]:
    """The visible sheets of a workbook as grids of cell values (raises :class:`FiguresError`)."""
    path = Path(path)
    source = str(path)
    if not path.exists():
        raise FiguresError(source, [Problem("文件不存在", expected="一个 Excel 工作簿（.xlsx）")])
    if path.is_dir():
        raise FiguresError(source, [Problem("这是一个文件夹，不是 Excel 工作簿")])
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    try:
        return _calamine_blocks(path) if engine == "calamine" else _openpyxl_blocks(path)
    except FiguresError:
        raise
    except Exception as exc:  # calamine/openpyxl/zip errors: not a workbook, encrypted, damaged
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        hint = "用 Excel 或 WPS 打开后“另存为” .xlsx 格式再试"
        if "password" in detail.lower() or "encrypt" in detail.lower():
            hint = "工作簿设有打开密码；请取消密码后另存再试"
        raise FiguresError(source, [Problem(f"无法读取 Excel 工作簿：{detail}", expected=hint)]) from None


def load_xlsx(path: str | Path, engine: str = "calamine") -> Any:
    """Read and validate a workbook → :class:`Figures` (raises :class:`FiguresError` naming cells)."""
    blocks = read_blocks(path, engine)
    if not blocks:
        raise FiguresError(str(path), [Problem("工作簿中没有可读的工作表")])
    return figures_from_blocks(blocks, str(path))

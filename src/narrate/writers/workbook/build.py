"""The sheets (plain data) → an openpyxl workbook → .xlsx bytes; openpyxl is imported only here."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from .layout import NOTE_SHEETS, PROMPTS, UNIT_SHEET
from .notes import help_sheet, notes_sheets
from .printing import print_setup
from .sheet import Sheet
from .tables import Context, subject_sheet, t01_sheet, t04_sheet, t06_sheet, t09_sheet, t10_sheet


def workbook_sheets(figures: Any | None = None, absent_tables: frozenset[str] = frozenset()) -> list[Sheet]:
    """The sheets of the workbook (blank when ``figures`` is None), as plain data.

    ``absent_tables``: the tables the layout does not publish (its profile's ``tables.absent``).
    Without 公开10表 the workbook has no such sheet (unless the figures fill it) and asks for
    its figures among the 表外数据 instead.
    """
    from ...rules.blank import has_data

    notes, addresses = notes_sheets(figures, absent_tables)
    ctx = Context(figures, addresses)
    tables = [t01_sheet(ctx)] + [subject_sheet(ctx, n) for n in (2, 3)] + [t04_sheet(ctx), subject_sheet(ctx, 5), t06_sheet(ctx)]
    tables += [subject_sheet(ctx, n) for n in (7, 8)] + [t09_sheet(ctx)]
    if "t10" not in absent_tables or (figures is not None and has_data(figures.tables.t10)):
        tables.append(t10_sheet(ctx))
    sheets = [help_sheet()]
    if UNIT_SHEET in notes:
        sheets.append(notes[UNIT_SHEET])
    sheets += tables
    sheets += [notes[name] for name in NOTE_SHEETS if name != UNIT_SHEET and name in notes]
    return sheets


def _styles() -> dict[str, dict[str, Any]]:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    yellow = PatternFill("solid", fgColor="FFF2CC")
    blue = PatternFill("solid", fgColor="DDEBF7")
    grey = PatternFill("solid", fgColor="F2F2F2")
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    right = Alignment(horizontal="right", vertical="center")
    return {
        "title": {"font": Font(bold=True, size=16), "alignment": center},
        "title_left": {"font": Font(bold=True, size=14), "alignment": Alignment(horizontal="left", vertical="center")},
        "tag": {"alignment": right},
        "meta": {"alignment": Alignment(horizontal="left", vertical="center")},
        "meta_center": {"alignment": Alignment(horizontal="center", vertical="center")},
        "meta_right": {"alignment": right},
        "head": {"font": Font(bold=True), "fill": blue, "border": border, "alignment": center},
        "head_left": {"font": Font(bold=True), "fill": blue, "border": border, "alignment": left},
        "label": {"border": border, "alignment": left},
        "number": {"border": border, "alignment": center, "font": Font(color="808080")},
        "amount": {"border": border, "fill": yellow, "number_format": "#,##0.00", "alignment": right},
        "count": {"border": border, "fill": yellow, "number_format": "0", "alignment": right},
        "code": {"border": border, "fill": yellow, "number_format": "@", "alignment": left},
        "name": {"border": border, "fill": yellow, "alignment": left},
        "text": {"border": border, "fill": yellow, "alignment": left, "number_format": "@"},
        "na": {"border": border, "fill": grey, "alignment": center, "font": Font(color="808080")},
        "field": {"border": border, "fill": grey, "font": Font(color="808080", size=9), "alignment": left},
        "hint": {"border": border, "font": Font(color="595959", size=9), "alignment": left},
        "section": {"font": Font(bold=True), "alignment": left},
        "intro": {"font": Font(color="595959"), "alignment": left},
        "note": {"font": Font(size=9, color="595959"), "alignment": left},
        "help": {"alignment": left},
        "code_text": {"font": Font(name="Consolas"), "alignment": left},
    }


def _ranges(cells: list[tuple[int, int]]) -> str:
    """Cells → a space-separated list of A1 ranges, consecutive rows of a column joined."""
    from ...loaders.grid import column_letter

    by_column: dict[int, list[int]] = {}
    for r, c in cells:
        by_column.setdefault(c, []).append(r)
    parts = []
    for c, rows in sorted(by_column.items()):
        rows.sort()
        start = prev = rows[0]
        for r in rows[1:] + [None]:  # type: ignore[list-item]
            if r is not None and r == prev + 1:
                prev = r
                continue
            letter = column_letter(c)
            parts.append(f"{letter}{start + 1}" if start == prev else f"{letter}{start + 1}:{letter}{prev + 1}")
            if r is not None:
                start = prev = r
    return " ".join(parts)


def _validation_object(kind: str) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    if kind.startswith("choice:"):
        choices = kind.split(":", 1)[1]
        dv = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
        dv.promptTitle, dv.prompt = "请选择", "可选：" + choices.replace(",", "、")
        dv.errorTitle, dv.error = "不在可选范围内", "请从下拉列表中选择。"
    elif kind in ("count", "year"):
        low, high = ("1990", "2100") if kind == "year" else ("0", "10000000")
        dv = DataValidation(type="whole", operator="between", formula1=low, formula2=high, allow_blank=True)
        dv.promptTitle, dv.prompt, dv.errorTitle, dv.error = PROMPTS[kind]
    else:
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        dv.promptTitle, dv.prompt, dv.errorTitle, dv.error = PROMPTS[kind]
    dv.showInputMessage = True
    dv.showErrorMessage = True
    return dv


def build_workbook(sheets: list[Sheet]) -> Any:
    """The sheets as an openpyxl Workbook."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    styles = _styles()
    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec in sheets:
        ws = workbook.create_sheet(spec.name)
        for (r, c), (value, style) in sorted(spec.cells.items()):
            cell = ws.cell(row=r + 1, column=c + 1)
            if value is not None:
                cell.value = value
                if isinstance(value, str) and value.startswith("=") and not (style.startswith("meta")):
                    cell.data_type = "s"  # text that looks like a formula stays text
            for attr, setting in styles.get(style, {}).items():
                setattr(cell, attr, setting)
        for r1, c1, r2, c2 in spec.merges:
            ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
        for c, width in spec.widths.items():
            ws.column_dimensions[get_column_letter(c + 1)].width = width
        for r, height in spec.heights.items():
            ws.row_dimensions[r + 1].height = height
        for kind, cells in spec.validations.items():
            dv = _validation_object(kind)
            dv.sqref = _ranges(cells)  # type: ignore[assignment]
            ws.add_data_validation(dv)
        if spec.freeze:
            ws.freeze_panes = ws.cell(row=spec.freeze[0] + 1, column=spec.freeze[1] + 1)
        print_setup(ws, spec)
    return workbook


def workbook_bytes(figures: Any | None = None, absent_tables: frozenset[str] = frozenset()) -> bytes:
    """The workbook as .xlsx bytes: blank (``figures`` None) or filled with ``figures``; ``absent_tables``
    as in :func:`workbook_sheets`."""
    workbook = build_workbook(workbook_sheets(figures, absent_tables))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_workbook(path: str | Path, figures: Any | None = None, absent_tables: frozenset[str] = frozenset()) -> None:
    """Write the workbook to ``path`` (atomically); ``absent_tables`` as in :func:`workbook_sheets`."""
    from .. import write_atomic

    write_atomic(path, workbook_bytes(figures, absent_tables))

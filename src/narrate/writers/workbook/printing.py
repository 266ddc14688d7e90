"""Printing each sheet on A4: orientation, one page wide, the header rows on every page, a page footer."""

from __future__ import annotations

from typing import Any

from .sheet import Sheet

# Column widths (in characters) that fit across an A4 page at 100 %, and the
# height (points) of a page, inside the margins below.  A wider sheet is printed
# landscape, unless it is at most a fifth wider than a portrait page and takes
# fewer pages that way.  Either way it is scaled to one page wide.
PORTRAIT_WIDTH, LANDSCAPE_WIDTH = 95, 140
PORTRAIT_HEIGHT, LANDSCAPE_HEIGHT = 745, 500
ROW_HEIGHT = 15


def orientation(spec: Sheet) -> str:
    """"portrait" or "landscape" for printing ``spec`` on A4 (see PORTRAIT_WIDTH)."""
    width = sum(spec.widths.get(c, 8.43) for c in range(spec.width))
    if width <= PORTRAIT_WIDTH:
        return "portrait"
    height = sum(spec.heights.get(r, ROW_HEIGHT) for r in range(spec.height))

    def pages(page_width: float, page_height: float) -> int:
        return -(-int(height * min(1.0, page_width / width)) // page_height)

    if width <= 1.2 * PORTRAIT_WIDTH and pages(PORTRAIT_WIDTH, PORTRAIT_HEIGHT) < pages(LANDSCAPE_WIDTH,
                                                                                        LANDSCAPE_HEIGHT):
        return "portrait"
    return "landscape"


def print_rows(spec: Sheet) -> tuple[int, int] | None:
    """Rows (0-based, inclusive) printed at the top of every page: a table's header, a notes sheet's 项目/填写内容 row."""
    if spec.freeze is None or spec.freeze[0] == 0:
        return None
    last = spec.freeze[0] - 1
    return (spec.grid[0] if spec.table is not None else last, last)


def print_setup(ws: Any, spec: Sheet) -> None:
    """A4, one page wide (as many pages down as needed), landscape where wide, the header on every page."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins

    setup = ws.page_setup
    setup.paperSize = ws.PAPERSIZE_A4
    setup.orientation = orientation(spec)
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.7, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    if spec.height and spec.width:
        ws.print_area = f"A1:{get_column_letter(spec.width)}{spec.height}"
    rows = print_rows(spec)
    if rows is not None:
        ws.print_title_rows = f"{rows[0] + 1}:{rows[1] + 1}"
    ws.oddFooter.center.text = "&A　第 &P 页，共 &N 页"

"""The fillable workbook: the ten 公开 tables as printed, plus sheets for what they do not hold.

``narrate template-xlsx`` writes it blank; ``narrate convert figures.yaml -o
figures.xlsx`` writes it filled.  :mod:`narrate.loaders.xlsx` reads it back —
and reads the 决算 software's own exports, since tables are found by title and
header, never by cell address.

Sheets, in order:

* **填表说明** — how to fill the workbook and what to run next;
* **单位信息** — 单位名称, 决算年度, 单位性质 …;
* **公开01表 … 公开10表** — title, 公开NN表, 部门名称 / 年度 / 金额单位：万元, the header as
  printed (merged cells included), 栏次, and the grid: the standard row labels of
  01/04/06/09/10, 科目 rows for 02/03/05/07/08;
* **上年与年初预算**, **原因与用途**, **三公与统计**, **政府采购**, **绩效** — one row
  per item: 项目 (Chinese), 填写内容 (the input), 说明, and 字段 (the field's
  name, which the reader goes by); per-科目 items as grids with one row per
  科目代码.

Input cells are light yellow; amount cells accept only decimals ≥ 0 and show
an input message; counts accept whole numbers; 单位性质 is a list.

The sheet layout is built as plain :class:`Sheet` objects first (values,
styles, merges), then rendered with openpyxl (imported only in :mod:`.build`
and :mod:`.printing`).

==================  ============================================================
:mod:`.layout`      the layout as data: labels, footnotes, sheet names, intros, widths, help text
:mod:`.sheet`       :class:`Sheet`, one worksheet as plain data
:mod:`.tables`      the sheets 公开01表 … 公开10表
:mod:`.notes`       the sheets for 表外数据, and 填表说明
:mod:`.build`       sheets → openpyxl workbook → .xlsx bytes / file
:mod:`.printing`    A4 print setup of each sheet
==================  ============================================================
"""

from __future__ import annotations

from .build import build_workbook, workbook_bytes, workbook_sheets, write_workbook
from .layout import NOTE_SHEETS, REASONS_SHEET
from .printing import orientation, print_rows
from .sheet import Sheet

__all__ = ["Sheet", "workbook_sheets", "build_workbook", "workbook_bytes", "write_workbook", "orientation",
           "print_rows", "NOTE_SHEETS", "REASONS_SHEET"]

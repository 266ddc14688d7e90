"""Grids of cells → the ten 公开 tables (and the sheets beside them) → :class:`Figures`.

Shared by the Excel reader (:mod:`narrate.loaders.xlsx`) and the Word reader
(:mod:`narrate.loaders.docx_tables`): they differ only in how they get their
grids.  A grid is a :class:`Block`: rows of cell values in reading order, with a
way to name each cell (``公开05表!C12`` in a workbook, ``第5个表格（公开05表）第12行第3列``
in a Word document).

How a table is found
--------------------
* Its **title** (``收入支出决算总表`` …) or its **number** (``公开01表``) in a cell or
  paragraph marks where it starts; it runs to the next title (or the sheets of
  表外数据, or the end of the sheet).  A sheet named after a table (``公开05表``)
  with no title inside is that table.  Tables may sit one per sheet or stacked
  on one sheet; a title found where no table follows (a 目录 line) is passed over.
* Its **header** (``项目/行次/金额``, ``科目代码/科目名称/…``, ``预算数/决算数`` …) tells
  which column holds which figure: columns are found by their header text,
  never by fixed addresses, so merged header cells, extra blank columns and
  re-ordered columns are all fine.
* Each table's ``部门名称：…``, ``2024年度`` and ``金额单位：万元`` (or ``元``, then
  converted to 万元 with ROUND_HALF_UP) are read from the lines above its header.

Cells: blank, ``——``, ``-`` = empty; amounts as numbers (a float is read through
its shortest text, never through binary arithmetic) or as text with thousands
separators; 科目代码 as numbers or text (``208 01 01``).  Rows of notes
(``注：…``, ``说明：本表无数据``) are skipped.

What the tables do not hold (上年数, 年初预算, reasons, counts …) is read from rows
that name their field in a ``字段`` column (see :mod:`narrate.writers.workbook`, which
writes such sheets), and from grids keyed by 科目代码 whose second header row
names the fields.

Every figure remembers the cell it came from, so a problem found later by the
model (a negative amount, a duplicated 科目代码) is reported at that cell.

Modules, in the order the data flows:

===================  ==========================================================
:mod:`.cells`        :class:`Block`, cell addresses, parsing amounts, counts, 科目代码, label text
:mod:`.locate`       finding each table by title or number (:func:`find_regions`)
:mod:`.tables`       one reader per table shape (01/04, 科目 tables, 06, 09, 10)
:mod:`.extra`        表外数据: fields outside the tables, from the model's fields
:mod:`.builder`      the data read, each value with its cell; validation into :class:`Figures`
:mod:`.read`         whole grids → :class:`Figures` (:func:`figures_from_blocks`)
===================  ==========================================================
"""

from __future__ import annotations

from .builder import Builder, dotted, map_error, validate
from .cells import (
    ERROR_CODES,
    Block,
    CellError,
    CellProblem,
    CellValueError,
    Where,
    cell_error,
    column_letter,
    float_to_decimal,
    parse_amount,
    parse_code,
    parse_count,
)
from .extra import GridSpec, Leaf, outside_fields, outside_value, read_outside, resolve_path
from .locate import TABLE_TITLES, Region, find_regions, full_label, identify_title, table_label
from .read import figures_from_blocks, read_tables
from .tables import FUNCTION_CLASSES, READERS, T06_GROUPS, T06_NOT_APPLICABLE, TableReader

__all__ = [
    "Block", "Where", "CellError", "CellProblem", "CellValueError", "ERROR_CODES", "cell_error", "column_letter",
    "float_to_decimal", "parse_amount", "parse_code", "parse_count",
    "TABLE_TITLES", "Region", "find_regions", "full_label", "identify_title", "table_label",
    "READERS", "TableReader", "FUNCTION_CLASSES", "T06_GROUPS", "T06_NOT_APPLICABLE",
    "GridSpec", "Leaf", "outside_fields", "outside_value", "read_outside", "resolve_path",
    "Builder", "dotted", "map_error", "validate",
    "figures_from_blocks", "read_tables",
]

"""One reader per table shape; :data:`READERS` maps each table number to its reader.

A reader takes a :class:`TableReader` (one region) and returns ``False`` when the
region has no header it knows (a title in a 目录, not a table), else reads the
figures into the builder and returns ``True``.

==========================  ==================================================
module                      tables
==========================  ==================================================
:mod:`.totals`              01, 04 — 项目/行次/金额 groups side by side
:mod:`.subjects`            02, 03, 05, 07, 08 — one row per 科目代码
:mod:`.basic`               06 — four groups of 科目代码/科目名称/决算数
:mod:`.three_public`        09 — 预算数/决算数 per “三公” item
:mod:`.statistics`          10 — 政府采购, 机关运行经费, 车辆 …
==========================  ==================================================
"""

from __future__ import annotations

from .basic import T06_GROUPS, T06_NOT_APPLICABLE, read_t06
from .reader import TableReader
from .statistics import read_t10
from .subjects import CODE_HEADERS, NAME_HEADERS, read_subject_table
from .three_public import read_t09
from .totals import FUNCTION_CLASSES, read_t01, read_t04

__all__ = ["READERS", "HEADER_HINTS", "TableReader", "CODE_HEADERS", "NAME_HEADERS", "FUNCTION_CLASSES",
           "T06_GROUPS", "T06_NOT_APPLICABLE"]

READERS = {1: read_t01, 2: read_subject_table, 3: read_subject_table, 4: read_t04, 5: read_subject_table,
           6: read_t06, 7: read_subject_table, 8: read_subject_table, 9: read_t09, 10: read_t10}
HEADER_HINTS = {
    1: "“项目/行次/金额”", 2: "“科目代码/科目名称/本年收入合计……”", 3: "“科目代码/科目名称/本年支出合计……”",
    4: "“项目/行次/金额”和“合计/一般公共预算财政拨款……”", 5: "“科目代码/科目名称/小计/基本支出/项目支出”",
    6: "“科目代码/科目名称/决算数”", 7: "“科目代码/科目名称/年初结转和结余……”", 8: "“科目代码/科目名称/合计……”",
    9: "“预算数/决算数”", 10: "“项目/行次/统计数”",
}

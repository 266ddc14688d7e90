"""JSON Schema of the figures file, for editors (VS Code, PyCharm, …).

:func:`figures_schema` is pydantic's validation schema of
:class:`~narrate.model.Figures`, adjusted so that an editor accepts what the
loader accepts and flags what it refuses:

* amounts are numbers *or* text with thousands separators ("12,423.32"), at
  most 2 decimals in text, table cells not negative, a blank table cell (null,
  "", "-") is 0 — see the ``Cell`` and ``Amount`` definitions;
* counts are whole numbers (or digit text), 科目代码 are integers or digit
  text of the right length (3/5/7 digits by 功能分类, 3/5 by 经济分类);
* free text may also be a number (the loader turns it into text) and may not
  hold control characters;
* every object refuses unknown keys (``additionalProperties: false``), as the
  model does.

The Chinese titles and descriptions of the model are kept.  The output is
deterministic, so the committed ``docs/figures.schema.json`` can be checked
against it (``tests/test_schema.py``).  Regenerate it with::

    python -m narrate.schema docs/figures.schema.json
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic.json_schema import GenerateJsonSchema

from .model import (
    MAX_AMOUNT,
    EconomicRow,
    Figures,
    FunctionRow,
    TotalsNotes,
    Unit,
    _parse_cell,
    _parse_given_amount,
    _parse_code,
    _parse_count,
    _parse_text,
)

DIALECT = "https://json-schema.org/draft/2020-12/schema"
REGENERATE = "python -m narrate.schema docs/figures.schema.json"

_KIND = "x-narrate-kind"  # marker set during generation, replaced by a $ref afterwards

# Patterns are written for both ECMA-262 (editors) and Python's re (the tests):
# explicit character classes only, no \d (ASCII in ECMA, Unicode in Python).
_D = "[0-9０-９]"  # the loader reads ASCII and full-width digits alike
_NUMBER = rf"(?:{_D}{{1,3}}(?:[,，]{_D}{{3}})+|{_D}+)(?:\.{_D}{{1,2}}[0０]*)?"
_BLANK = "|-|—|——"
_CELL_PATTERN = rf"^\s*(?:{_BLANK}|{_NUMBER}|-[0０]+(?:\.[0０]+)?)\s*$"
_AMOUNT_PATTERN = rf"^\s*(?:{_NUMBER}|-[0０]+(?:\.[0０]+)?)\s*$"  # never negative, as the cells
_COUNT_PATTERN = rf"^\s*{_D}*\s*$"
_CODE_PATTERN = rf"^\s*{_D}(?:\s*{_D})*\s*$"
_FUNCTION_CODE_PATTERN = rf"^\s*(?:{_D}\s*){{3}}(?:(?:{_D}\s*){{2}}){{0,2}}$"
_ECONOMIC_CODE_PATTERN = rf"^\s*(?:{_D}\s*){{3}}(?:(?:{_D}\s*){{2}})?$"
_TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000-\uf8ff\ufffe\uffff]*$"
_YEAR_PATTERN = rf"^\s*{_D}+[年度]*\s*$"

_LIMIT = int(MAX_AMOUNT)
_MAX_COUNT = 10_000_000


def _integer_ranges(*digits: int) -> list[dict[str, Any]]:
    return [{"type": "integer", "minimum": 10 ** (n - 1), "maximum": 10**n - 1} for n in digits]


KINDS: dict[str, dict[str, Any]] = {
    "Amount": {
        "title": "表外金额（万元）",
        "description": (
            "公开表之外的金额（上年数、年初预算等），单位万元：数字，或带千分位逗号的文字（如 \"12,423.32\"）；"
            "最多两位小数（多于两位即报错，不会四舍五入）。不填或写 null 表示未提供，需要它的句子不写；"
            "为零请写 0（\"\"、\"-\" 不是金额）；与表内金额一样不能为负数。"
        ),
        "anyOf": [
            {"type": "number", "minimum": 0, "exclusiveMaximum": _LIMIT},
            {"type": "string", "pattern": _AMOUNT_PATTERN},
        ],
    },
    "Cell": {
        "title": "表内金额（万元）",
        "description": (
            "公开表单元格的金额，单位万元，照表上所印填写：数字，或带千分位逗号的文字（如 \"12,423.32\"）；"
            "最多两位小数（多于两位即报错，不会四舍五入）；不能为负数。空白单元格不填（或写 null、\"\"、\"-\"）即为 0。"
        ),
        "anyOf": [
            {"type": "number", "minimum": 0, "exclusiveMaximum": _LIMIT},
            {"type": "string", "pattern": _CELL_PATTERN},
            {"type": "null"},
        ],
    },
    "Code": {
        "title": "科目代码",
        "description": "科目代码：数字串，如 \"2080101\"；也可写成整数或带空格（\"208 01 01\"）。",
        "anyOf": [
            {"type": "integer", "minimum": 0},
            {"type": "string", "pattern": _CODE_PATTERN},
        ],
    },
    "Count": {
        "title": "个数",
        "description": "个数（辆、个、批次、人次）：不小于 0 的整数；不填即为 0。",
        "anyOf": [
            {"type": "integer", "minimum": 0, "maximum": _MAX_COUNT},
            {"type": "string", "pattern": _COUNT_PATTERN},
            {"type": "null"},
        ],
    },
    "EconomicCode": {
        "title": "经济分类科目代码",
        "description": "经济分类科目代码：类 3 位、款 5 位，如 \"30101\"；也可写成整数。",
        "anyOf": [
            *_integer_ranges(3, 5),
            {"type": "string", "pattern": _ECONOMIC_CODE_PATTERN},
        ],
    },
    "FunctionCode": {
        "title": "功能分类科目代码",
        "description": "功能分类科目代码：类 3 位、款 5 位、项 7 位，如 \"2080101\"；也可写成整数或带空格（\"208 01 01\"）。",
        "anyOf": [
            *_integer_ranges(3, 5, 7),
            {"type": "string", "pattern": _FUNCTION_CODE_PATTERN},
        ],
    },
    "Text": {
        "title": "文字",
        "description": (
            "一段文字：照原样印出，不作为模板执行；换行会被连接（每行首尾空白去掉），不能含控制字符；"
            "最多 4000 个字符。"
        ),
        "anyOf": [
            {"type": "string", "pattern": _TEXT_PATTERN},
            {"type": "number"},
        ],
    },
}

_ROOT_DESCRIPTION = (
    "一个单位的决算公开数据：十张公开表（tables.t01 … tables.t10）照表上所印填写，"
    "加上表外数据（上年数、年初预算、个数）和单位撰写的说明（主要原因、用于）。"
    "金额单位万元，最多两位小数；表中空白的单元格不填即为 0；表外数据不填则相应句子不写。"
    "说明见 docs/figures.md。"
)

# Chinese descriptions where the model's docstring is written for developers.
_DESCRIPTIONS: dict[type, str] = {
    EconomicRow: "公开06表的一行：经济分类科目（类 3 位、款 5 位代码）及其决算数",
    FunctionRow: "公开表的一行：功能分类科目（类 3 位、款 5 位、项 7 位代码）及各列金额",
    TotalsNotes: "上年收入总计、上年支出总计，以及增减变化的主要原因",
}


class _Generator(GenerateJsonSchema):
    """pydantic's generator, recognising narrate's annotated field types."""

    def function_before_schema(self, schema: Any) -> dict[str, Any]:
        function = schema["function"]["function"]
        inner = schema["schema"]
        if function is _parse_given_amount:
            return {_KIND: "Amount"}
        if function is _parse_cell:
            return {_KIND: "Cell"}
        if function is _parse_count:
            return {_KIND: "Count"}
        if function is _parse_code:
            return {_KIND: "Code"}
        if function is _parse_text:
            marker: dict[str, Any] = {_KIND: "Text"}
            if inner.get("min_length"):
                marker["minLength"] = inner["min_length"]
            return marker
        return super().function_before_schema(schema)

    def dict_schema(self, schema: Any) -> dict[str, Any]:
        json_schema = super().dict_schema(schema)
        keys = schema.get("keys_schema", {})
        if keys.get("type") == "function-before":
            function = keys["function"]["function"]
            if function is _parse_code:
                json_schema["propertyNames"] = {"pattern": _CODE_PATTERN}
            elif function is _parse_text:
                json_schema["propertyNames"] = {"pattern": _TEXT_PATTERN}
        return json_schema

    def model_schema(self, schema: Any) -> dict[str, Any]:
        json_schema = super().model_schema(schema)
        cls = schema["cls"]
        properties = json_schema.get("properties", {})
        for owner, description in _DESCRIPTIONS.items():
            if issubclass(cls, owner):
                json_schema["description"] = description
                break
        else:
            description = json_schema.get("description")
            if isinstance(description, str) and description.endswith(".") and not description[-2:-1].isascii():
                json_schema["description"] = description[:-1]  # a docstring's closing "." after Chinese text
        if "code" in properties:
            if issubclass(cls, FunctionRow):
                properties["code"][_KIND] = "FunctionCode"
            elif issubclass(cls, EconomicRow):
                properties["code"][_KIND] = "EconomicCode"
        if cls is Unit:
            year = properties["year"]
            integer = {k: year.pop(k) for k in ("type", "minimum", "maximum") if k in year}
            year["anyOf"] = [integer, {"type": "string", "pattern": _YEAR_PATTERN}]
            year["description"] = "四位年份，如 2024（也可写“2024年”或“2024年度”）"
        return json_schema

    def encode_default(self, dft: Any) -> Any:
        if isinstance(dft, Decimal):  # the default of a table cell: 0, shown as a number
            return int(dft) if dft == dft.to_integral_value() else float(dft)
        return super().encode_default(dft)


def _replace_markers(value: Any) -> Any:
    if isinstance(value, dict):
        out = {key: _replace_markers(item) for key, item in value.items() if key != _KIND}
        if _KIND in value:
            out = {"$ref": f"#/$defs/{value[_KIND]}", **out}
        return out
    if isinstance(value, list):
        return [_replace_markers(item) for item in value]
    return value


def _sorted(value: Any, parent: str | None = None) -> Any:
    """Keys sorted alphabetically, except the field order under ``properties`` (as pydantic does)."""
    if isinstance(value, dict):
        keys = list(value) if parent in ("properties", "default") else sorted(value)
        return {key: _sorted(value[key], key) for key in keys}
    if isinstance(value, list):
        return [_sorted(item, parent) for item in value]
    return value


def figures_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a figures file, as editors should apply it."""
    generated = Figures.model_json_schema(mode="validation", schema_generator=_Generator)
    generated = _replace_markers(generated)
    definitions = {**generated.pop("$defs", {}), **KINDS}
    generated["description"] = _ROOT_DESCRIPTION
    head = {"$schema": DIALECT}
    for key in ("title", "description", "type", "properties", "required", "additionalProperties"):
        if key in generated:
            head[key] = generated.pop(key)
    schema = {**head, **generated, "$defs": definitions}
    return _sorted_root(schema)


def _sorted_root(schema: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "properties":
            out[key] = _sorted(value, "properties")
        elif key == "$defs":
            out[key] = {name: _sorted(value[name]) for name in sorted(value)}
        else:
            out[key] = _sorted(value, key)
    return out


def schema_text() -> str:
    """:func:`figures_schema` as the text of ``docs/figures.schema.json``."""
    return json.dumps(figures_schema(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def write_schema(path: str | Path) -> Path:
    """Write the schema to ``path`` (UTF-8, LF line ends); returns the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(schema_text())
    return target


def main(argv: list[str] | None = None) -> int:
    """``python -m narrate.schema [PATH]``: write the schema to PATH, or print it."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1 or (args and args[0] in ("-h", "--help")):
        print("用法：python -m narrate.schema [PATH]  （不给 PATH 时输出到标准输出）", file=sys.stderr)
        return 0 if args and args[0] in ("-h", "--help") else 2
    if not args or args[0] == "-":
        sys.stdout.write(schema_text())
        return 0
    written = write_schema(args[0])
    print(f"已写入 {written}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

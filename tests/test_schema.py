"""The JSON Schema of the figures file (docs/figures.schema.json) matches the model and the loader."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import TypeAdapter, ValidationError

from narrate.errors import FiguresError
from narrate.loaders import figures_from_data
from narrate.model import Amount, Cell, Code, Count
from narrate.schema import REGENERATE, figures_schema, schema_text, write_schema

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "docs" / "figures.schema.json"
EXAMPLE = ROOT / "examples" / "yangcheng-2024.yaml"

try:  # optional: a full validator when installed; the checks below do not depend on it
    import jsonschema
except ImportError:  # pragma: no cover - depends on the environment
    jsonschema = None


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return figures_schema()


@pytest.fixture(scope="module")
def example() -> dict[str, Any]:
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- a tiny walker over the schema
def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        name = node["$ref"].removeprefix("#/$defs/")
        node = {**schema["$defs"][name], **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def branches(schema: dict[str, Any], node: dict[str, Any]) -> list[dict[str, Any]]:
    """The alternatives of a node (anyOf / oneOf flattened, refs resolved)."""
    node = resolve(schema, node)
    alternatives = node.get("anyOf") or node.get("oneOf")
    if not alternatives:
        return [node]
    out = []
    for alternative in alternatives:
        out.extend(branches(schema, alternative))
    return out


JSON_TYPES = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}


def json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return JSON_TYPES[type(value)]


def allows_type(node: dict[str, Any], kind: str) -> bool:
    declared = node.get("type")
    if declared is None:
        return True
    declared = declared if isinstance(declared, list) else [declared]
    return kind in declared or (kind == "integer" and "number" in declared)


def walk(schema: dict[str, Any], node: dict[str, Any], value: Any, path: str, problems: list[str]) -> None:
    """Every key of ``value`` is a property allowed at that place; every leaf has an allowed JSON type."""
    kind = json_type(value)
    candidates = [b for b in branches(schema, node) if allows_type(b, kind)]
    if not candidates:
        problems.append(f"{path}: a {kind} is not allowed here")
        return
    target = candidates[0]
    if isinstance(value, dict):
        properties = target.get("properties", {})
        extra = target.get("additionalProperties", True)
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if key in properties:
                walk(schema, properties[key], item, where, problems)
            elif isinstance(extra, dict):
                walk(schema, extra, item, where, problems)
            elif extra is False:
                problems.append(f"{where}: not a property of the schema here")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            walk(schema, target.get("items", {}), item, f"{path}[{i}]", problems)


# ---------------------------------------------------------------- (a) the committed file is current
def test_committed_schema_is_current() -> None:
    assert COMMITTED.is_file(), f"docs/figures.schema.json is missing; generate it with: {REGENERATE}"
    committed = COMMITTED.read_text(encoding="utf-8").replace("\r\n", "\n")
    assert committed == schema_text(), (
        "docs/figures.schema.json is out of date with narrate.model (or was edited by hand); "
        f"regenerate it with: {REGENERATE}"
    )


def test_output_is_deterministic_and_plain_2020_12(schema: dict[str, Any]) -> None:
    assert schema_text() == schema_text()
    assert list(schema)[:2] == ["$schema", "title"]
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "$id" not in schema_text()
    assert "x-narrate" not in schema_text()  # generation markers are all replaced
    assert schema["title"] == "narrate 决算公开数据"


def test_module_entry_point_writes_the_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "figures.schema.json"
    result = subprocess.run(
        [sys.executable, "-m", "narrate.schema", str(target)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8") == schema_text()
    again = write_schema(tmp_path / "again.json")
    assert again.read_bytes() == target.read_bytes()


# ---------------------------------------------------------------- (b) the bundled example fits the schema
def test_example_keys_and_types_fit_the_schema(schema: dict[str, Any], example: dict[str, Any]) -> None:
    problems: list[str] = []
    walk(schema, schema, example, "", problems)
    assert not problems, "\n".join(problems)


def test_example_yaml_floats_are_numbers_the_schema_accepts(schema: dict[str, Any], example: dict[str, Any]) -> None:
    value = example["tables"]["t01"]["income_total"]
    assert isinstance(value, float)  # yaml.safe_load, not narrate's Decimal loader
    cell = schema["$defs"]["T01"]["properties"]["income_total"]
    assert any(b.get("type") == "number" for b in branches(schema, cell))


def test_example_validates_with_jsonschema_when_installed(schema: dict[str, Any], example: dict[str, Any]) -> None:
    if jsonschema is None:  # the key/type walk above still ran
        return
    validator = jsonschema.Draft202012Validator(schema)
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = sorted(validator.iter_errors(example), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


# ---------------------------------------------------------------- (c) what the model refuses, the schema refuses
def test_unknown_top_level_key_is_refused_by_model_and_schema(schema: dict[str, Any], example: dict[str, Any]) -> None:
    data = {**example, "remarks": "多余的字段"}
    with pytest.raises(FiguresError):
        figures_from_data(data)
    assert schema["additionalProperties"] is False
    assert "remarks" not in schema["properties"]
    problems: list[str] = []
    walk(schema, schema, data, "", problems)
    assert problems == ["remarks: not a property of the schema here"]
    if jsonschema is not None:
        assert not jsonschema.Draft202012Validator(schema).is_valid(data)


def test_every_object_refuses_unknown_keys(schema: dict[str, Any]) -> None:
    for name, definition in schema["$defs"].items():
        if "properties" in definition:
            assert definition.get("additionalProperties") is False, name


def test_nested_unknown_key_is_refused(schema: dict[str, Any], example: dict[str, Any]) -> None:
    data = json.loads(json.dumps(example))
    data["tables"]["t05"]["rows"][0]["budget"] = 1
    problems: list[str] = []
    walk(schema, schema, data, "", problems)
    assert problems == ["tables.t05.rows[0].budget: not a property of the schema here"]
    with pytest.raises(FiguresError):
        figures_from_data(data)


# ---------------------------------------------------------------- the schema's text patterns agree with the loader
def string_pattern(schema: dict[str, Any], kind: str) -> re.Pattern[str]:
    (pattern,) = [b["pattern"] for b in branches(schema, {"$ref": f"#/$defs/{kind}"}) if b.get("type") == "string"]
    return re.compile(pattern)


def accepted(adapter: TypeAdapter, value: Any) -> bool:
    try:
        adapter.validate_python(value)
    except ValidationError:
        return False
    return True


AMOUNT_TEXTS = [
    "12,423.32", "12423.32", " 1.5 ", "0", "0.30", "1.230", "1.2300", "1,234,567.8", "1,234，567", "１２３.４５",
    "", "  ", "-", "—", "——", "-0", "-0.00", "-5", "-1,234.56",
    "1.235", "1.2301", "12.423,32", "12423.32万元", "1e3", "1,23", "12,3456", ".5", "1.", "--5", "+5", "abc",
    "1 234", "１．５", "-.5",
]


@pytest.mark.parametrize("kind,annotation", [("Cell", Cell), ("Amount", Amount)])
def test_amount_text_pattern_agrees_with_the_loader(schema: dict[str, Any], kind: str, annotation: Any) -> None:
    pattern = string_pattern(schema, kind)
    adapter = TypeAdapter(annotation)
    disagreements = [t for t in AMOUNT_TEXTS if bool(pattern.search(t)) != accepted(adapter, t)]
    assert not disagreements, f"{kind}: schema and loader disagree on {disagreements}"


def test_count_and_code_text_patterns_agree_with_the_loader(schema: dict[str, Any]) -> None:
    for kind, annotation, texts in [
        ("Count", Count, ["5", " 12 ", "", "１２", "-1", "1.5", "五", "1,000"]),
        ("Code", Code, ["2080101", "208 01 01", " 205 ", "２０８", "", "20a", "208-01", "-205"]),
    ]:
        pattern = string_pattern(schema, kind)
        adapter = TypeAdapter(annotation)
        disagreements = [t for t in texts if bool(pattern.search(t)) != accepted(adapter, t)]
        assert not disagreements, f"{kind}: schema and loader disagree on {disagreements}"


def test_row_codes_have_the_lengths_the_model_checks(schema: dict[str, Any]) -> None:
    function = string_pattern(schema, "FunctionCode")
    economic = string_pattern(schema, "EconomicCode")
    for digits in range(1, 10):
        code = "2" * digits
        assert bool(function.search(code)) == (digits in (3, 5, 7)), code
        assert bool(economic.search(code)) == (digits in (3, 5)), code
    assert function.search("208 01 01")
    for name in ("IncomeRow", "ExpenditureRow", "SpendingRow", "FundRow"):
        assert schema["$defs"][name]["properties"]["code"]["$ref"] == "#/$defs/FunctionCode", name
    assert schema["$defs"]["EconomicRow"]["properties"]["code"]["$ref"] == "#/$defs/EconomicCode"


def test_text_refuses_control_characters_like_the_loader(schema: dict[str, Any]) -> None:
    pattern = string_pattern(schema, "Text")
    assert pattern.search("主要用于\n办公费、\t印刷费")
    assert not pattern.search("含有\x07响铃")
    assert not pattern.search("私用区\ue001字符")
    with pytest.raises(FiguresError):
        figures_from_data({"unit": {"name": "单位\x0b", "year": 2024}})


def test_values_the_loader_accepts_validate(schema: dict[str, Any]) -> None:
    data = {
        "unit": {"name": "某单位", "year": "2024年度"},
        "tables": {
            "t01": {"income_total": "12,423.32", "beginning_balance": None, "expenditure": {"教育支出": "1,817.23"}},
            "t05": {"rows": [{"code": 208, "name": "社会保障和就业支出", "total": 12423.32, "basic": ""}]},
            "t06": {"rows": [{"code": 301, "name": "工资福利支出"}, {"code": "301 01", "name": "基本工资", "amount": "615.08"}]},
            "t10": {"vehicles": {"total": "5"}},
        },
        "totals": {"prior_income_total": 1.5},  # never negative (issue 10)
        "general_budget": {"functions": {"208": {"prior_year": "6,797.13", "uses": 2024}}},
    }
    figures_from_data(data)  # the loader accepts all of it …
    problems: list[str] = []
    walk(schema, schema, data, "", problems)
    assert not problems, problems  # … the schema has room for every key and type …
    validator = jsonschema.Draft202012Validator(schema) if jsonschema is not None else None
    if validator is not None:
        assert not list(validator.iter_errors(data))  # … and a full validator agrees
    for bad in (
        {"unit": {"name": "某单位", "year": 2024}, "tables": {"t01": {"income_total": -1}}},
        {"unit": {"name": "某单位", "year": 2024}, "tables": {"t01": {"income_total": "12423.32万元"}}},
        {"unit": {"name": "某单位", "year": 2024}, "tables": {"t05": {"rows": [{"code": "2080", "name": "x"}]}}},
        {"unit": {"name": "某单位", "year": 2024, "kind": "企业"}},
    ):
        with pytest.raises(FiguresError):
            figures_from_data(bad)
        if validator is not None:
            assert not validator.is_valid(bad), bad

"""Figures → YAML / JSON / TOML text that narrate reads back to the same :class:`Figures`.

* Keys in model order; fields left at their default (a blank table cell, a
  0 count, a text not given) are omitted, so the file stays as short as one
  written by hand.  Entries of ``dict`` fields (``t01.expenditure`` …) are kept
  even when 0: an entry printed with 0.00 is not the same as no entry.
* Amounts are written as exact decimal numbers with two places — YAML scalar
  ``1817.23``, JSON number ``1817.23``, TOML float ``1817.23`` — never through a
  binary float, so reading the file back gives the same Decimal.
* 科目代码 and other keys stay text (``"208"``).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel

FORMATS = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".toml": "toml"}
CENT = Decimal("0.01")

HEADER = (
    "# narrate 决算公开数据（由 narrate convert 生成）\n"
    "# 金额单位：万元。表中空白的单元格不写（即为 0）；表外数据不写则相应句子不写。\n"
)


def _number(value: Decimal) -> str:
    """A Decimal as exact text with two places (amounts are kept to the cent)."""
    if value == value.quantize(CENT):
        return format(value.quantize(CENT), "f")
    return format(value, "f")


def _is_default(info: Any, value: Any) -> bool:
    if info.is_required():
        return False
    default = info.get_default(call_default_factory=True)
    try:
        return bool(value == default)
    except Exception:  # pragma: no cover - incomparable values
        return False


def plain(model: BaseModel) -> dict[str, Any]:
    """``model`` as plain data in field order, defaults omitted (Decimals kept as Decimal)."""
    out: dict[str, Any] = {}
    fields = type(model).model_fields
    # a 科目 row reads best code first (the row models inherit their amount columns first)
    order = [n for n in ("code", "name") if n in fields] + [n for n in fields if n not in ("code", "name")]
    for name in order:
        info = fields[name]
        value = getattr(model, name)
        if _is_default(info, value):
            continue
        out[info.alias or name] = _plain_value(value)
    return out


def _plain_value(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return plain(value)
    if isinstance(value, dict):
        return {str(k): _plain_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain_value(v) for v in value]
    return value


def figures_data(figures: Any) -> dict[str, Any]:
    """The figures as plain data, in model order, defaults omitted."""
    return plain(figures)


# ---------------------------------------------------------------- YAML
class _Flow(dict):
    """A mapping written on one line: ``{code: '205', name: 教育支出, total: 1817.23}``."""


def _flowed(value: Any, depth: int = 0) -> Any:
    if isinstance(value, dict):
        items = {k: _flowed(v, depth + 1) for k, v in value.items()}
        scalars = all(not isinstance(v, (dict, list)) for v in items.values())
        short = sum(len(str(k)) + len(str(v)) + 4 for k, v in items.items()) <= 110
        if items and scalars and short and depth >= 2 and not any(isinstance(v, str) and len(v) > 30 for v in items.values()):
            return _Flow(items)
        return items
    if isinstance(value, list):
        return [_flowed(v, depth + 1) for v in value]
    return value


def _yaml_dumper() -> type:
    import yaml

    base = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    class Dumper(base):  # type: ignore[misc, valid-type]
        pass

    def decimal(dumper: Any, value: Decimal) -> Any:
        return dumper.represent_scalar("tag:yaml.org,2002:float", _number(value))

    def flow(dumper: Any, value: _Flow) -> Any:
        return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=True)

    def mapping(dumper: Any, value: dict) -> Any:
        return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=False)

    Dumper.add_representer(Decimal, decimal)
    Dumper.add_representer(_Flow, flow)
    Dumper.add_representer(dict, mapping)
    return Dumper


def to_yaml(figures: Any) -> str:
    import yaml

    data = _flowed(figures_data(figures))
    body = yaml.dump(data, Dumper=_yaml_dumper(), allow_unicode=True, sort_keys=False, width=100000,
                     default_flow_style=False, indent=2)
    return HEADER + "\n" + body


# ---------------------------------------------------------------- JSON
def _json(value: Any, indent: int) -> str:
    pad = "  " * indent
    if isinstance(value, dict):
        if not value:
            return "{}"
        if all(not isinstance(v, (dict, list)) for v in value.values()) and indent >= 3:
            inner = ", ".join(f"{json.dumps(str(k), ensure_ascii=False)}: {_json(v, 0)}" for k, v in value.items())
            if len(inner) <= 110:
                return "{" + inner + "}"
        items = [f'{pad}  {json.dumps(str(k), ensure_ascii=False)}: {_json(v, indent + 1)}' for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        items = [f"{pad}  {_json(v, indent + 1)}" for v in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return json.dumps(value, ensure_ascii=False)
    return json.dumps(str(value), ensure_ascii=False)


def to_json(figures: Any) -> str:
    return _json(figures_data(figures), 0) + "\n"


# ---------------------------------------------------------------- TOML
def _toml_ready(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _toml_ready(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_toml_ready(v) for v in value]
    if isinstance(value, Decimal):
        return value.quantize(CENT) if value == value.quantize(CENT) else value
    return value


def to_toml(figures: Any) -> str:
    import tomli_w

    return HEADER + "\n" + tomli_w.dumps(_toml_ready(figures_data(figures)))


# ---------------------------------------------------------------- files
def dumps(figures: Any, fmt: str) -> str:
    """The figures as ``fmt`` ("yaml", "json" or "toml") text."""
    if fmt == "yaml":
        return to_yaml(figures)
    if fmt == "json":
        return to_json(figures)
    if fmt == "toml":
        return to_toml(figures)
    raise ValueError(f"unknown format {fmt!r}; use one of yaml, json, toml")


def format_for(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    try:
        return FORMATS[suffix]
    except KeyError:
        raise ValueError(f"不支持的数据文件格式“{suffix}”：应为 .yaml、.json 或 .toml") from None


def dump(figures: Any, path: str | Path, fmt: str | None = None) -> None:
    """Write the figures to ``path`` (format from the extension), atomically, UTF-8."""
    from .writers import write_atomic

    write_atomic(path, dumps(figures, fmt or format_for(path)).encode("utf-8"))

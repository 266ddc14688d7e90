"""YAML, JSON and TOML figures files → :class:`Figures`.

Numbers are read as :class:`~decimal.Decimal` straight from their text (never
through float), so "1817.23" stays exactly 1817.23.  Validation problems are
reported with the field path and, for YAML, the line.
"""

from __future__ import annotations

import difflib
import json
from functools import lru_cache
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import FiguresError, Problem
from ..model import Figures

FORMATS = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".toml": "toml"}


@lru_cache(maxsize=1)
def _yaml_loader() -> type:
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class DecimalLoader(base):  # type: ignore[misc, valid-type]
        pass

    def construct_decimal(loader: Any, node: Any) -> Decimal:
        text = loader.construct_scalar(node).replace("_", "")
        lowered = text.lower()
        if lowered in (".nan",):
            return Decimal("NaN")
        if lowered in (".inf", "+.inf"):
            return Decimal("Infinity")
        if lowered == "-.inf":
            return Decimal("-Infinity")
        return Decimal(text)

    DecimalLoader.add_constructor("tag:yaml.org,2002:float", construct_decimal)
    return DecimalLoader


def _read_text(path: Path) -> str:
    source = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise FiguresError(source, [Problem("文件不存在", expected="一个 .yaml/.json/.toml 数据文件")]) from None
    except IsADirectoryError:
        raise FiguresError(source, [Problem("这是一个文件夹，不是数据文件")]) from None
    except OSError as exc:
        raise FiguresError(source, [Problem(f"无法读取文件：{exc.strerror}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        hint = ""
        try:
            raw.decode("gb18030")
            hint = "文件看来是 GBK/GB18030 编码；请用记事本或编辑器“另存为 UTF-8”后再试"
        except UnicodeDecodeError:
            hint = "请将文件保存为 UTF-8 编码"
        raise FiguresError(
            source,
            [Problem(f"文件不是 UTF-8 编码（第 {exc.start + 1} 个字节起无法解码）", expected=hint)],
        ) from None
    if not text.strip():
        raise FiguresError(source, [Problem("文件是空的", expected="单位、公开表等数据，可用 narrate example 生成示例")])
    return text


def parse(text: str, fmt: str, source: str) -> Any:
    """Parse text of the given format into plain data with Decimal numbers."""
    try:
        if fmt == "yaml":
            import yaml

            from . import fastyaml

            try:  # libyaml's events typed in one pass; anything unusual goes to the full loader
                data = fastyaml.load(text)
            except yaml.YAMLError:
                data = fastyaml.UNSUPPORTED  # the full loader reports the error with its line
            if data is not fastyaml.UNSUPPORTED:
                return data
            return yaml.load(text, Loader=_yaml_loader())  # noqa: S506 - a SafeLoader subclass
        if fmt == "json":
            return json.loads(text, parse_float=Decimal, parse_constant=Decimal)
        if fmt == "toml":
            import tomllib

            return tomllib.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise FiguresError(source, [Problem(f"JSON 语法错误：{exc.msg}", line=exc.lineno)]) from None
    except Exception as exc:  # yaml.YAMLError, tomllib.TOMLDecodeError
        line = None
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            line = mark.line + 1
        detail = getattr(exc, "problem", None) or str(exc)
        raise FiguresError(source, [Problem(f"{fmt.upper()} 语法错误：{detail}", line=line)]) from None
    raise FiguresError(source, [Problem(f"不支持的格式 {fmt}", expected="yaml、json 或 toml")])


def load_text(path: Path) -> Figures:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise FiguresError(
            str(path), [Problem(f"不认识的文件类型“{path.suffix}”", expected="扩展名为 .yaml、.yml、.json、.toml（或用 narrate.load 读 .xlsx、.docx）")]
        )
    text = _read_text(path)
    data = parse(text, fmt, str(path))
    return figures_from_data(data, source=str(path), text=text if fmt == "yaml" else None)


def figures_from_data(data: Any, source: str = "<data>", text: str | None = None) -> Figures:
    """Validate plain data (as parsed from YAML/JSON/TOML) into :class:`Figures`."""
    if not isinstance(data, dict):
        raise FiguresError(
            source, [Problem("顶层应为键值对（unit、tables 等）", found=type(data).__name__, expected="映射/对象")]
        )
    try:
        return Figures.model_validate(data)
    except ValidationError as exc:
        lines = _yaml_lines(text) if text is not None else {}
        raise FiguresError(source, [_problem(err, lines) for err in exc.errors()]) from None


def _dotted(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


_MESSAGES = {
    "missing": "缺少必填项",
    "extra_forbidden": "不认识的字段",
    "literal_error": "取值不在允许范围内",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "string_type": "应为文字",
    "dict_type": "应为键值对（映射）",
    "list_type": "应为列表",
    "model_type": "应为键值对（映射）",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "string_too_short": "不能为空",
}


def _problem(err: dict, lines: dict[tuple, int]) -> Problem:
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith(("function-", "json-or-python"))))
    kind = err["type"]
    message = _MESSAGES.get(kind, "")
    if kind == "value_error":
        message = str(err.get("ctx", {}).get("error", err["msg"]))
    elif kind == "literal_error":
        message += f"（可选：{err.get('ctx', {}).get('expected', '')}）"
    elif not message:
        message = err["msg"]
    expected = ""
    if kind == "extra_forbidden":
        choices = _field_names(loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), choices, n=1, cutoff=0.5)
        if close:
            expected = f"是否想写“{close[0]}”？"
        elif choices:
            expected = "可用字段：" + "、".join(choices)
    found = "" if kind == "missing" or names_what_it_found(message) else _show(err.get("input"))
    line = None
    for n in range(len(loc), 0, -1):
        if loc[:n] in lines:
            line = lines[loc[:n]]
            break
    return Problem(message, path=_dotted(loc), found=found, expected=expected, line=line)


def names_what_it_found(message: str) -> bool:
    """Whether a validator's message already says what it found ("…，实际为 -5"): then it is not said twice."""
    return "实际为" in message


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "{…}"
    text = repr(value) if not isinstance(value, str) else f"“{value}”"
    return text if len(text) <= 60 else text[:57] + "…"


def _field_names(loc: tuple) -> list[str]:
    """The field names allowed at ``loc`` in the Figures model (for "did you mean")."""
    model: Any = Figures
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return []
        field = model.model_fields.get(str(part))
        if field is None:
            return []
        model = _inner_model(field.annotation)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return list(model.model_fields)
    return []


def _inner_model(annotation: Any) -> Any:
    from typing import get_args

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _yaml_lines(text: str) -> dict[tuple, int]:
    """Map each path in a YAML document to its 1-based line (only called on errors)."""
    import yaml

    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return {}
    out: dict[tuple, int] = {}

    def walk(node: Any, loc: tuple) -> None:
        out[loc] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                key_text: Any = key.value
                if key.tag.endswith(":int"):
                    key_text = int(key_text)
                for path in {loc + (key_text,), loc + (str(key_text),)}:
                    walk(value, path)
                    out[path] = key.start_mark.line + 1  # a field's line is its key's line
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, loc + (i,))

    if root is not None:
        walk(root, ())
    return out

"""YAML, JSON and TOML figures files → :class:`Figures`.

Numbers are read as :class:`~decimal.Decimal` straight from their text (never
through float), so "1817.23" stays exactly 1817.23.  Validation problems are
reported with the field path and, for YAML, the line.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import FiguresError, Problem
from ..model import Figures, brief

FORMATS = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".toml": "toml"}


@lru_cache(maxsize=1)
def _yaml_loader() -> type:
    """PyYAML's safe loader, reading scalars as the fast path does and refusing duplicate keys."""
    import yaml

    from . import fastyaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class DecimalLoader(base):  # type: ignore[misc, valid-type]
        yaml_implicit_resolvers = fastyaml.resolver_table()

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            if isinstance(node, yaml.MappingNode):  # a key given twice (merged keys may be overridden)
                first: dict[Any, int] = {}
                for key_node, _ in node.value:
                    if key_node.tag == "tag:yaml.org,2002:merge":
                        continue
                    key = self.construct_object(key_node, deep=True)
                    try:
                        if key in first:
                            raise _duplicate(key, first[key], key_node.start_mark.line + 1)
                        first[key] = key_node.start_mark.line + 1
                    except TypeError:  # an unhashable key: PyYAML reports it
                        continue
            return super().construct_mapping(node, deep=deep)

    DecimalLoader.add_constructor("tag:yaml.org,2002:float",
                                  lambda loader, node: fastyaml.construct_float(loader.construct_scalar(node)))
    DecimalLoader.add_constructor("tag:yaml.org,2002:int",
                                  lambda loader, node: fastyaml.construct_int(loader.construct_scalar(node)))
    return DecimalLoader


class _Duplicate(Exception):
    pass


def _duplicate(key: Any, first: int, second: int) -> Exception:
    from .fastyaml import Refused

    shown = _show(key) if not isinstance(key, str) else f"“{key if len(key) <= 40 else key[:40] + '…'}”"
    return Refused(f"键 {shown} 重复：第 {first} 行和第 {second} 行都写了它", second,
                   "每个键只写一次（重复时不会自动取后一个，请删去多余的一处）")


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
    """Parse text of the given format into plain data with Decimal numbers.

    Refuses (:class:`FiguresError`, naming the line) syntax errors, duplicate keys and, in YAML,
    alias bombs and recursive aliases; YAML scalars are read as :mod:`.fastyaml` describes.
    """
    from .fastyaml import Refused

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
            fastyaml.check_aliases(text)
            return yaml.load(text, Loader=_yaml_loader())  # noqa: S506 - a SafeLoader subclass
        if fmt == "json":
            from .fastyaml import construct_int

            try:
                return json.loads(text, parse_float=Decimal, parse_constant=Decimal, parse_int=construct_int,
                                  object_pairs_hook=_json_object)
            except _Duplicate as exc:
                raise _json_duplicate(text, exc.args[0]) from None
        if fmt == "toml":
            import tomllib

            return tomllib.loads(text, parse_float=Decimal)
    except Refused as exc:
        raise FiguresError(source, [Problem(exc.message, line=exc.line, expected=exc.expected)]) from None
    except json.JSONDecodeError as exc:
        raise FiguresError(source, [Problem(f"JSON 语法错误：{exc.msg}", line=exc.lineno)]) from None
    except RecursionError:
        raise FiguresError(source, [Problem("嵌套层数过多", expected="正常的数据文件只有几层")]) from None
    except Exception as exc:  # yaml.YAMLError, tomllib.TOMLDecodeError
        line = None
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            line = mark.line + 1
        detail = getattr(exc, "problem", None) or str(exc)
        if fmt == "toml":
            detail, line = _toml_problem(detail)
        if isinstance(exc, ValueError) and "integer string conversion" in detail:
            detail = f"数字位数过多（超过 {_MAX_DIGITS_SHOWN} 位）"
        else:
            detail = f"{fmt.upper()} 语法错误：{_capped(detail, 200)}"
        raise FiguresError(source, [Problem(detail, line=line)]) from None
    raise FiguresError(source, [Problem(f"不支持的格式 {fmt}", expected="yaml、json 或 toml")])


_MAX_DIGITS_SHOWN = 4300  # Python's int/str conversion limit (sys.get_int_max_str_digits)


def _capped(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Duplicate(key)
            seen.add(key)
    return data


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"\s*:?|[{}]')


def _json_duplicate(text: str, key: str) -> Exception:
    """The duplicate key's two lines, found by scanning the (otherwise valid) JSON's strings and braces."""
    objects: list[dict[str, int]] = []
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token == "{":
            objects.append({})
        elif token == "}":
            objects.pop()
        elif token.endswith(":") and objects:
            name = json.loads(token[:-1].rstrip())
            line = text.count("\n", 0, match.start()) + 1
            if name in objects[-1]:
                return _duplicate(name, objects[-1][name], line)
            objects[-1][name] = line
    return _duplicate(key, 0, 0)  # pragma: no cover - the scan finds what json found


_TOML_LINE = re.compile(r"\s*\(at line (\d+), column \d+\)$")
_TOML_MESSAGES = {"Cannot overwrite a value": "键重复（同一个键写了两次）",
                  "Cannot declare": "表重复（同一个表写了两次）"}


def _toml_problem(detail: str) -> tuple[str, int | None]:
    """tomllib's message (English, line in the text) → a Chinese message and the line."""
    found = _TOML_LINE.search(detail)
    line = int(found.group(1)) if found else None
    detail = _TOML_LINE.sub("", detail)
    for english, chinese in _TOML_MESSAGES.items():
        if detail.startswith(english):
            return chinese, line
    return detail, line


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
    """Validate plain data (as parsed from YAML/JSON/TOML) into :class:`Figures`.

    Raises :class:`FiguresError` (and nothing else) for anything invalid, naming the field and what was found.
    """
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
    from ..model import error_loc

    loc = error_loc(err)
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
        import difflib  # only for this message: not at start-up

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
    return f"“{brief(value, 57)}”" if isinstance(value, str) else brief(value, 57)


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
    """Map each path in a YAML document to its 1-based line (only called on errors).

    An aliased node is walked once (at its anchor): a path through a later alias takes the alias key's line.
    """
    import yaml

    try:
        root = yaml.compose(text, Loader=_yaml_loader())
    except (yaml.YAMLError, RecursionError):
        return {}
    out: dict[tuple, int] = {}
    seen: set[int] = set()
    todo: list[tuple[Any, tuple]] = [(root, ())] if root is not None else []
    while todo:
        node, loc = todo.pop()
        out.setdefault(loc, node.start_mark.line + 1)
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                key_text: Any = key.value
                if key.tag.endswith(":int"):
                    key_text = int(key_text) if len(key_text) <= 100 else key_text
                for path in {loc + (key_text,), loc + (str(key_text),)}:
                    out[path] = key.start_mark.line + 1  # a field's line is its key's line
                    todo.append((value, path))
        elif isinstance(node, yaml.SequenceNode):
            todo.extend((item, loc + (i,)) for i, item in enumerate(node.value))
    return out

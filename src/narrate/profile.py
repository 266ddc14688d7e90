"""``profile.yaml`` and ``terms.yaml`` of a profile folder: read safely, validated against a model.

A profile folder may come from someone else (``--profile FOLDER``), so both files are read like
any other input: a regular file inside the folder (no symlink out of it), of bounded size, UTF-8,
YAML without anchors/aliases (an alias bomb or a cycle cannot be built) and not nested deeper than
:data:`MAX_DEPTH`.  The data must then match :class:`ProfileSpec` / :class:`TermsSpec`: unknown
keys are named with a "did you mean", and a numbering pattern may only use ``{cn}`` and ``{n}``.
Every problem raises :class:`~narrate.errors.TemplateError` naming the file, the key and the line.
"""

from __future__ import annotations

import difflib
import os
import string
from pathlib import Path
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import FiguresError, Problem, TemplateError
from .limits import check_input_file
from .style import NumbersSpec, TablesSpec, WordingSpec

MAX_DEPTH = 32
THREE_PUBLIC = Literal["overseas", "vehicle", "vehicle_purchase", "vehicle_operation", "reception"]


class _Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", coerce_numbers_to_str=True, defer_build=True)


class SectionSpec(_Spec):
    """One part or section: its title, template and sub-sections; ``when`` omits it."""

    title: str = Field(min_length=1)
    template: Optional[str] = None
    sections: Optional[list["SectionSpec"]] = None
    when: Optional[str] = None


class BudgetSpec(_Spec):
    """``budget:`` — what 预决算 sentences compare with (see :mod:`narrate.budget`)."""

    baseline: Literal["年初预算", "全年预算", "预算"] = "年初预算"
    fallback: bool = True
    three_public_column: Literal["年初预算", "全年预算"] = "全年预算"
    label: Optional[str] = Field(default=None, min_length=1, max_length=20)


class ProfileSpec(_Spec):
    """``profile.yaml``."""

    name: Optional[str] = None
    description: Optional[str] = None
    numbering: list[str] = Field(default=["{cn}、", "（{cn}）", "{n}、"], min_length=1)
    terms: Optional[str] = None
    example: Optional[str] = None
    reasons: list[Literal["change", "budget"]] = ["change", "budget"]
    detail_level: Literal["类", "款", "项"] = "类"
    detail_prior: bool = True
    three_public_items: list[THREE_PUBLIC] = ["overseas", "vehicle_purchase", "vehicle_operation", "reception"]
    tables_with_data: list[Literal["t01", "t02", "t03", "t04", "t05", "t06", "t07", "t08", "t09", "t10"]] = [
        "t01", "t02", "t03", "t04", "t05", "t06"]
    parts: list[SectionSpec] = Field(min_length=1)
    budget: BudgetSpec = BudgetSpec()
    # conventions and wording variants as data (narrate.style; docs/profiles.md)
    numbers: NumbersSpec = NumbersSpec()
    wording: WordingSpec = WordingSpec()
    tables: TablesSpec = TablesSpec()

    @field_validator("numbering")
    @classmethod
    def _numbering(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                fields = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(pattern)
                          if name is not None]
            except ValueError:
                fields = [("?", "", None)]
            if any(name not in ("cn", "n") or spec or conv for name, spec, conv in fields):
                raise ValueError(f"编号格式“{pattern}”只能用 {{cn}}（汉字数字）和 {{n}}（阿拉伯数字）")
        return patterns


class TermSpec(_Spec):
    """One 名词解释 entry of ``terms.yaml``."""

    term: str = Field(min_length=1)
    definition: Optional[str]
    kinds: Optional[list[str]] = None
    variants: Optional[dict[str, Optional[str]]] = None
    when: Optional[str] = None
    detail: Optional[str] = None
    key: Optional[str] = None


class TermsSpec(_Spec):
    """``terms.yaml``."""

    terms: list[TermSpec]


def _refuse(path: Path, problems: list[Problem]) -> TemplateError:
    return TemplateError("\n".join([f"版式文件 {path} 有误（{len(problems)} 处）"]
                                   + [f"  - {p.describe()}" for p in problems]))


def _read(folder: Path, name: str) -> tuple[Path, str]:
    path = folder / name
    root, real = os.path.realpath(folder), os.path.realpath(path)
    if os.path.commonpath([root, real]) != root:
        raise _refuse(path, [Problem(f"指向版式文件夹之外的 {real}，已拒绝", expected="版式文件夹中的文件")])
    try:
        check_input_file(path, "版式文件（YAML）")
        text = path.read_bytes().decode("utf-8-sig")
    except FiguresError as exc:
        raise _refuse(path, exc.problems) from None
    except UnicodeDecodeError:
        raise _refuse(path, [Problem("不是 UTF-8 编码", expected="UTF-8 编码的 YAML 文件")]) from None
    except OSError as exc:
        raise _refuse(path, [Problem(f"无法读取：{exc.strerror or exc}")]) from None
    return path, text


def _load_yaml(path: Path, text: str) -> Any:
    """The YAML data, refusing aliases (bombs, cycles) and deep nesting before building anything."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        depth = 0
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise _refuse(path, [Problem("版式文件不支持 YAML 锚点和别名（&name / *name）",
                                             line=event.start_mark.line + 1, expected="把内容直接写出")])
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _refuse(path, [Problem(f"嵌套超过 {MAX_DEPTH} 层", line=event.start_mark.line + 1)])
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
        return yaml.load(text, Loader=loader)  # noqa: S506 - the safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise _refuse(path, [Problem(f"YAML 语法错误：{getattr(exc, 'problem', None) or exc}",
                                     line=mark.line + 1 if mark is not None else None)]) from None


_SECTION_KEYS = {"parts", "sections"}
_BLOCKS: dict[str, type[BaseModel]] = {"budget": BudgetSpec, "numbers": NumbersSpec, "wording": WordingSpec, "tables": TablesSpec}


def _problems(exc: ValidationError, text: str, model: type[BaseModel]) -> list[Problem]:
    from .loaders.text import _yaml_lines

    lines = _yaml_lines(text)
    out = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
        message, expected = err["msg"], ""
        if err["type"] == "missing":
            message = "缺少必填项"
        elif err["type"] == "value_error":
            message = str(err.get("ctx", {}).get("error", message))
        elif err["type"] == "extra_forbidden":
            parent = [p for p in loc[:-1] if isinstance(p, str)]
            owner = SectionSpec if parent and parent[-1] in _SECTION_KEYS else (
                TermSpec if parent and parent[-1] == "terms" else _BLOCKS.get(parent[-1] if parent else "", model))
            close = difflib.get_close_matches(str(loc[-1]), list(owner.model_fields), n=1, cutoff=0.5)
            message = "不认识的键"
            expected = f"是否想写“{close[0]}”？" if close else "可用的键：" + "、".join(owner.model_fields)
        found = "" if err["type"] == "missing" else repr(err.get("input"))[:60]
        line = next((lines[loc[:n]] for n in range(len(loc), 0, -1) if loc[:n] in lines), None)
        out.append(Problem(message, path=path, found=found, expected=expected, line=line))
    return out


def _validated(folder: Path, name: str, model: type[BaseModel]) -> Any:
    path, text = _read(folder, name)
    data = _load_yaml(path, text)
    if not isinstance(data, dict):
        raise _refuse(path, [Problem("顶层应为键值对", found="空文件" if data is None else type(data).__name__,
                                     expected="parts、numbering 等键" if model is ProfileSpec else "terms: 列表")])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise _refuse(path, _problems(exc, text, model)) from None


def read_profile(folder: Path) -> ProfileSpec:
    """``folder/profile.yaml``, validated."""
    spec: ProfileSpec = _validated(folder, "profile.yaml", ProfileSpec)
    return spec


def read_terms(folder: Path, name: str) -> tuple[TermSpec, ...]:
    """The 名词解释 entries of ``folder/name`` (the profile's ``terms``), validated."""
    spec: TermsSpec = _validated(folder, name, TermsSpec)
    return tuple(spec.terms)

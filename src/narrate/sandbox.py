"""The sandbox user templates run in: no files outside their folder, bounded time, memory and output.

Templates from a ``--templates`` folder or a profile folder outside narrate are code from
someone else.  Jinja2's :class:`~jinja2.sandbox.SandboxedEnvironment` already stops them from
reaching Python internals; this module adds what it leaves open (see ``docs/security-templates.md``):

* :class:`ContainedLoader` — a template (or an include/import/extends) whose real path lies
  outside the folder it was found in (a symlink to ``/etc/passwd``, a symlinked sub-folder) is
  refused before it is read.
* :class:`BudgetedSandbox` — every call, loop iteration, ``range`` item and checked operator
  spends one operation of the render's :class:`Budget`; the budget also holds a deadline and the
  most characters a template may write or build in one string/list.  ``**``, ``*``, ``%``,
  ``+``, ``~``, ``format`` and the padding filters/methods refuse results beyond that size before
  computing them.  An exhausted budget raises :class:`TemplateLimit`, which the renderer turns
  into a :class:`~narrate.errors.TemplateError` naming the template and line.

The budget lives in a context variable set by :func:`budget` for one rendered document, so the
cached environments can be shared by threads.  narrate's own templates run outside the sandbox
(the checks cost time), unless a user template includes them.
"""

from __future__ import annotations

import os
import re
import string
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, Iterable, Iterator

from jinja2 import FileSystemLoader, nodes
from jinja2.filters import do_format
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import _PassArg
from jinja2.visitor import NodeTransformer

from .errors import TemplateError
from .limits import LIMITS


class TemplateLimit(Exception):
    """A user template went past one of the limits (operations, time, size)."""


@dataclass
class Budget:
    """What one rendered document may still spend."""

    operations: int = field(default_factory=lambda: LIMITS.template_operations)
    seconds: int = field(default_factory=lambda: LIMITS.template_seconds)
    max_chars: int = field(default_factory=lambda: LIMITS.template_output_chars)
    spent: int = 0
    written: int = 0
    deadline: float = 0.0

    def __post_init__(self) -> None:
        self.deadline = time.monotonic() + self.seconds

    def spend(self, n: int = 1) -> None:
        self.spent += n
        if self.spent > self.operations:
            raise TemplateLimit(f"模板运算次数超过上限 {self.operations}（可能是死循环或过深的递归）；"
                                "确需更多时设置环境变量 NARRATE_TEMPLATE_OPERATIONS")
        if (self.spent & 0x3FF == 0 or n > 1) and time.monotonic() > self.deadline:
            raise TemplateLimit(f"模板运行超过 {self.seconds} 秒；确需更久时设置环境变量 NARRATE_TEMPLATE_SECONDS")

    def size(self, chars: int, what: str = "模板生成的文字") -> None:
        if chars > self.max_chars:
            raise TemplateLimit(f"{what}超过 {self.max_chars} 个字符的上限；"
                                "确需更大时设置环境变量 NARRATE_TEMPLATE_OUTPUT_MB")

    def write(self, chunk: str) -> None:
        self.written += len(chunk)
        self.size(self.written, "模板输出")
        self.spend()


_BUDGET: ContextVar[Budget | None] = ContextVar("narrate_template_budget", default=None)


@contextmanager
def budget() -> Iterator[Budget]:
    """A fresh budget for the templates run inside the ``with`` block."""
    current = Budget()
    token = _BUDGET.set(current)
    try:
        yield current
    finally:
        _BUDGET.reset(token)


def _current() -> Budget:
    current = _BUDGET.get()
    return current if current is not None else Budget()  # outside narrate.render: size checks only


# ---------------------------------------------------------------- loader
class ContainedLoader(FileSystemLoader):
    """A FileSystemLoader refusing templates whose real path leaves the folder they are found in."""

    def get_source(self, environment: Any, template: str) -> Any:
        pieces = split_template_path(template)
        for folder in self.searchpath:
            candidate = os.path.join(folder, *pieces)
            if not os.path.lexists(candidate):
                continue
            root, real = os.path.realpath(folder), os.path.realpath(candidate)
            if os.path.commonpath([root, real]) != root:
                raise TemplateError(f"模板 {template}（{candidate}）指向模板文件夹 {folder} 之外的 {real}，已拒绝；"
                                    "模板文件夹中的模板不能是指向文件夹之外的符号链接")
            if os.path.isfile(real):
                break
        return super().get_source(environment, template)


# ---------------------------------------------------------------- sandbox
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0 +\-]*(\*|\d*)(?:\.(\*|\d*))?")
_DIGITS = re.compile(r"\d+")


def _format_specs(fmt: str, percent: bool) -> list[str]:
    """The width/precision parts of a %-format (``%10.2f``) or of str.format fields (``{:>10}``)."""
    if percent:
        return [width + "." + precision for width, precision in _PERCENT_SPEC.findall(fmt)]
    try:
        return [spec for _, _, spec, _ in string.Formatter().parse(fmt) if spec]
    except ValueError:
        return []  # str.format itself reports the malformed string


def _check_format(fmt: str, args: Iterable[Any], limit: int, percent: bool = True) -> None:
    """Refuse a %-format or str.format whose widths/precisions (literal, ``*`` or nested) exceed ``limit``."""
    specs = _format_specs(fmt, percent)
    too_wide = any(len(d) > 9 or int(d) > limit for spec in specs for d in _DIGITS.findall(spec))
    indirect = any("*" in spec or "{" in spec for spec in specs)
    if too_wide or indirect and any(isinstance(a, int) and abs(a) > limit for a in args):
        raise TemplateLimit(f"格式宽度超过 {limit} 个字符的上限")


def _length(value: Any) -> int | None:
    return len(value) if isinstance(value, (str, list, tuple)) else None


MAX_INT_BITS = 100_000  # ~30,000 digits: far beyond any figure


class _Budgeted(NodeTransformer):
    """Routes every ``for`` loop's iterable and every ``~`` through the environment's budget."""

    def visit_For(self, node: nodes.For) -> nodes.Node:  # noqa: N802 - Jinja's visitor naming
        self.generic_visit(node)
        node.iter = nodes.Call(nodes.EnvironmentAttribute("budget_iter"), [node.iter], [], None, None,
                               lineno=node.iter.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:  # noqa: N802
        self.generic_visit(node)
        return nodes.Call(nodes.EnvironmentAttribute("budget_concat"), [nodes.List(node.nodes, lineno=node.lineno)],
                          [], None, None, lineno=node.lineno)


class BudgetedSandbox(SandboxedEnvironment):
    """Jinja2's sandbox with the render's :class:`Budget` checked on calls, loops, operators and output."""

    intercepted_binops = frozenset({"**", "*", "%", "+"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals["range"] = self.budget_range
        del self.globals["lipsum"]  # lipsum(n=10**9) would write forever; no template needs it
        self.filters["format"] = self._format_filter
        self.filters.update({name: _checked_filter(f, name) for name, f in self.filters.items()})

    # -- parsing: loops and ~ go through the budget
    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        return _Budgeted().visit(super()._parse(source, name, filename))

    def budget_iter(self, iterable: Any) -> Iterator[Any]:
        spend = _current().spend
        for item in iterable:
            spend()
            yield item

    def budget_concat(self, parts: list[Any]) -> str:
        current = _current()
        current.spend()
        text = "".join(map(str, parts))
        current.size(len(text))
        return text

    def budget_range(self, *args: int) -> range:
        rng = range(*args)
        _current().spend(len(rng) + 1)
        return rng

    # -- calls and operators
    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805,B902
        current = _current()
        current.spend()
        target = getattr(__obj, "__wrapped__", __obj)  # str.format comes wrapped by the sandbox
        owner = getattr(target, "__self__", None)
        if isinstance(owner, str):
            values = (*args, *kwargs.values())
            if any(isinstance(v, int) and abs(v) > current.max_chars for v in values):
                raise TemplateLimit(f"字符串方法的参数超过 {current.max_chars} 个字符的上限")
            method = getattr(target, "__name__", "")
            if method in ("format", "format_map"):
                _check_format(owner, values, current.max_chars, percent=False)
            elif method == "replace" and len(args) > 1 and isinstance(args[0], str) and isinstance(args[1], str):
                hits = owner.count(args[0]) if args[0] else len(owner) + 1
                current.size(len(owner) + hits * (len(args[1]) - len(args[0])), "replace 的结果")
        result = super().call(__context, __obj, *args, **kwargs)
        if isinstance(owner, str) and isinstance(result, (str, list)):
            current.size(len(result), "字符串方法的结果")
        return result

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        current = _current()
        current.spend()
        limit = current.max_chars
        if operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
            if right * abs(left).bit_length() > MAX_INT_BITS:
                raise TemplateLimit(f"乘方 {left} ** {right} 的结果过大")
        elif operator == "*":
            for seq, n in ((left, right), (right, left)):
                size = _length(seq)
                if size is not None and isinstance(n, int) and size * n > limit:
                    raise TemplateLimit(f"重复后的长度超过 {limit} 的上限")
            if isinstance(left, int) and isinstance(right, int) and \
                    left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise TemplateLimit("乘积过大")
        elif operator == "%" and isinstance(left, str):
            _check_format(left, right if isinstance(right, tuple) else (right,), limit)
        elif operator == "+":
            a, b = _length(left), _length(right)
            if a is not None and b is not None and a + b > limit:
                raise TemplateLimit(f"拼接后的长度超过 {limit} 的上限")
        return super().call_binop(context, operator, left, right)

    @staticmethod
    def _format_filter(value: str, *args: Any, **kwargs: Any) -> str:
        _check_format(str(value), (*args, *kwargs.values()), _current().max_chars)
        return do_format(value, *args, **kwargs)


_COUNTS = frozenset({"batch", "slice"})  # their number argument is how many items/slices they make


def _checked_filter(function: Any, name: str) -> Any:
    """A built-in filter that spends the budget, refuses size arguments beyond the limit
    (``center(10**9)``, ``indent(10**9)``) and results longer than it (``join``)."""
    skip = 1 if _PassArg.from_obj(function) is None else 2  # the value (and context) come first

    @wraps(function)
    def checked(*args: Any, **kwargs: Any) -> Any:
        current = _current()
        current.spend()
        sizes = [a for a in (*args[skip:], *kwargs.values()) if isinstance(a, int) and not isinstance(a, bool)]
        if any(abs(a) > current.max_chars for a in sizes):
            raise TemplateLimit(f"过滤器 {name} 的参数超过 {current.max_chars} 的上限")
        if name in _COUNTS:
            current.spend(sum(map(abs, sizes)) + 1)
        result = function(*args, **kwargs)
        if isinstance(result, (str, list)):
            current.size(len(result), f"过滤器 {name} 的结果")
        return result

    return checked


def render_budgeted(template: Any, context: Any) -> str:
    """A sandboxed template's text, its output counted against the budget chunk by chunk."""
    write = _current().write
    out = []
    chunks = template.generate(context)
    for chunk in chunks:
        try:
            write(chunk)
        except TemplateLimit as exc:
            chunks.throw(exc)  # raised where the template wrote the chunk, so the message names its line
            raise
        out.append(chunk)
    return "".join(out)

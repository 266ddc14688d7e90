"""A fast path for reading figures YAML: libyaml's events, typed here.

PyYAML's C parser is fast, but ``yaml.load`` hands every node back to Python
resolvers and constructors, which costs most of the load time.  This module
builds the data straight from the parser's events and types plain scalars
with narrate's resolver table (:func:`resolver_table`, which the full loader in
``loaders.text`` uses too), so the result is the same as narrate's full loader.

Scalars are read as YAML 1.2's core schema reads them, narrowed for figures:
``null``/``~``/empty are None, ``true``/``false`` booleans, decimal integers
without a leading zero ints, decimal numbers with a point or an exponent (and
``.inf``/``.nan``) :class:`~decimal.Decimal` from their text.  Everything else
stays text: YAML 1.1's ``yes``/``no``/``on``/``off``, ``0700`` (octal), ``0x71``,
``0o17``, ``0b101``, ``1:30`` (sexagesimal), ``1_000`` and dates — so a 科目代码
keeps its zeros and a mistyped amount is refused by the model, never silently
read as another number.

Aliases are counted as they are read: a document whose aliases would expand
beyond ``LIMITS.max_yaml_alias_nodes`` nodes (a "billion laughs" bomb), or
whose alias sits inside its own anchor, is refused with :class:`Refused`
naming the line, before anything walks the expanded data.

Anything outside the common ground — explicit tags (``!!str``), merge keys
(``<<``), duplicate keys or anchors, non-scalar keys — makes :func:`load`
return :data:`UNSUPPORTED`, and the caller uses the full PyYAML loader (after
:func:`check_aliases`) instead.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from ..limits import LIMITS

UNSUPPORTED = object()


class Refused(Exception):
    """A YAML document narrate will not read: what is wrong (Chinese), its 1-based line, what to do."""

    def __init__(self, message: str, line: int | None, expected: str = "") -> None:
        super().__init__(message)
        self.message, self.line, self.expected = message, line, expected


class _Unsupported(Exception):
    pass


_IMPLICIT = (  # (kind, regexp, first characters); ints before floats
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("int", r"^[-+]?(?:0|[1-9][0-9]*)$", list("-+0123456789")),
    ("float", r"^[-+]?(?:(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[0-9]+[eE][-+]?[0-9]+|\.(?:inf|Inf|INF))$"
              r"|^\.(?:nan|NaN|NAN)$", list("-+0123456789.")),
    ("merge", r"^(?:<<)$", ["<"]),
)


def resolver_table() -> dict[str, list[tuple[str, Any]]]:
    """Plain scalar → tag, in PyYAML's ``yaml_implicit_resolvers`` form (first character → [(tag, regexp)])."""
    table: dict[str, list[tuple[str, Any]]] = {}
    for kind, pattern, firsts in _IMPLICIT:
        regexp = re.compile(pattern)
        for first in firsts:
            table.setdefault(first, []).append((f"tag:yaml.org,2002:{kind}", regexp))
    return table


_RESOLVERS = {first: [(tag.rsplit(":", 1)[-1], regexp) for tag, regexp in entries]
              for first, entries in resolver_table().items()}
_BOOLS = {"true": True, "false": False}
MAX_INT_DIGITS = 4000  # Python refuses int() of longer text; such a number stays a Decimal (the model refuses it)


def construct_int(text: str) -> int | Decimal:
    """A decimal integer's value (an int; beyond MAX_INT_DIGITS digits a Decimal, which has no size limit)."""
    return int(text) if len(text) <= MAX_INT_DIGITS else Decimal(text)


def construct_float(text: str) -> Decimal:
    """narrate's float: the number's own text as a Decimal, never through float."""
    lowered = text.lower()
    if lowered == ".nan":
        return Decimal("NaN")
    if lowered in (".inf", "+.inf"):
        return Decimal("Infinity")
    if lowered == "-.inf":
        return Decimal("-Infinity")
    return Decimal(text)


def _scalar(value: str) -> Any:
    for kind, regexp in _RESOLVERS.get(value[:1], ()):
        if regexp.match(value):
            if kind == "null":
                return None
            if kind == "bool":
                return _BOOLS[value.lower()]
            if kind == "int":
                return construct_int(value)
            if kind == "float":
                return construct_float(value)
            raise _Unsupported  # the merge key
    return value


def _short(name: str) -> str:
    return name if len(name) <= 40 else name[:40] + "…"


def _bomb(anchor: str, line: int) -> Refused:
    limit = LIMITS.max_yaml_alias_nodes
    return Refused(f"别名 *{_short(anchor)} 使展开后的内容超过 {limit} 个节点（别名层层引用，可能是“YAML 炸弹”）", line,
                   "少用别名，或把重复的内容直接写出；确需更多时设置环境变量 NARRATE_MAX_YAML_ALIAS_NODES")


def _loop(anchor: str, line: int) -> Refused:
    return Refused(f"别名 *{_short(anchor)} 出现在它自己的锚点 &{_short(anchor)} 之内（循环引用）", line,
                   "别名只能引用已经写完的内容")


def _parser(text: str) -> Any:
    import yaml

    return getattr(yaml, "CBaseLoader", yaml.BaseLoader)(text)


def check_aliases(text: str) -> None:
    """Refuse alias bombs and recursive aliases (:class:`Refused`), as :func:`load` does, for the full loader.

    PyYAML shares an anchored node among its aliases, so loading stays small; but everything after it
    (merge keys, validation, finding lines for messages) walks the data expanded.
    """
    from yaml.events import (AliasEvent, MappingEndEvent, MappingStartEvent, ScalarEvent, SequenceEndEvent,
                             SequenceStartEvent, StreamEndEvent)

    parser = _parser(text)
    nodes = expanded = 0
    sizes: dict[str, int] = {}
    open_anchors: list[tuple[str | None, int]] = []
    try:
        while (event := parser.get_event()) is not None:
            kind = type(event)
            if kind is ScalarEvent:
                nodes += 1
                if event.anchor:
                    sizes[event.anchor] = 1
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                nodes += 1
                open_anchors.append((event.anchor, nodes))
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                anchor, start = open_anchors.pop()
                if anchor:
                    sizes[anchor] = nodes - start + 1
            elif kind is AliasEvent:
                size = sizes.get(event.anchor)
                if size is None:
                    if any(anchor == event.anchor for anchor, _ in open_anchors):
                        raise _loop(event.anchor, event.start_mark.line + 1)
                    continue  # undefined: the loader reports it with its line
                nodes += size
                expanded += size
                if expanded > LIMITS.max_yaml_alias_nodes:
                    raise _bomb(event.anchor, event.start_mark.line + 1)
            elif kind is StreamEndEvent:
                break
    finally:
        parser.dispose()


def load(text: str) -> Any:
    """The data of a YAML document, or UNSUPPORTED when it needs the full loader; :class:`Refused` for alias bombs."""
    import yaml
    from yaml.events import (AliasEvent, DocumentStartEvent, MappingEndEvent, MappingStartEvent, ScalarEvent,
                             SequenceEndEvent, SequenceStartEvent, StreamEndEvent)

    if getattr(yaml, "CBaseLoader", None) is None:
        return UNSUPPORTED
    parser = _parser(text)
    limit = LIMITS.max_yaml_alias_nodes
    anchors: dict[str, Any] = {}
    sizes: dict[str, int] = {}  # anchor → nodes in its value, aliases expanded
    nodes = expanded = 0        # nodes so far (aliases expanded); nodes reached through aliases
    typed: dict[str, Any] = {}  # plain scalar text → its value: keys and figures repeat a lot
    root: list[Any] = []
    container: Any = root       # the innermost open container (root collects the document)
    in_mapping = False
    key: Any = _NO_KEY          # the innermost mapping's pending key
    opened: Any = None          # the innermost container's (anchor, nodes at its start), if anchored
    stack: list[tuple[Any, bool, Any, Any]] = []  # the enclosing containers, as (container, in_mapping, key, opened)
    documents = 0
    get_event = parser.get_event
    try:
        while True:
            event = get_event()
            kind = type(event)
            if kind is ScalarEvent:
                tag = event.tag
                if tag is None and event.implicit[0] and not event.style:  # plain: type it
                    text_value = event.value
                    if text_value in typed:
                        value = typed[text_value]
                    else:  # (a plain "<<", the merge key, raises _Unsupported here)
                        value = typed[text_value] = _scalar(text_value)
                elif tag is None or tag == "!":
                    value = event.value
                else:
                    raise _Unsupported  # an explicit tag (!!str, !!binary…)
                nodes += 1
                if event.anchor:
                    if event.anchor in anchors:
                        raise _Unsupported  # a duplicate anchor: the full loader reports it
                    anchors[event.anchor] = value
                    sizes[event.anchor] = 1
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                if opened is not None:
                    sizes[opened[0]] = nodes - opened[1] + 1
                container, in_mapping, key, opened = stack.pop()
                continue
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                if event.tag is not None and not event.implicit:
                    raise _Unsupported
                value = {} if kind is MappingStartEvent else []
                nodes += 1
                if event.anchor:
                    if event.anchor in anchors:
                        raise _Unsupported
                    anchors[event.anchor] = value
            elif kind is AliasEvent:
                anchor = event.anchor
                if anchor not in anchors:  # undefined: the full loader reports it with its line
                    raise _Unsupported
                if anchor not in sizes:
                    raise _loop(anchor, event.start_mark.line + 1)
                nodes += sizes[anchor]
                expanded += sizes[anchor]
                if expanded > limit:
                    raise _bomb(anchor, event.start_mark.line + 1)
                value = anchors[anchor]
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _Unsupported
                continue
            elif kind is StreamEndEvent or event is None:
                break
            else:  # stream start, document end
                continue
            # Place the value in the innermost container.
            if not in_mapping:
                container.append(value)
            elif key is _NO_KEY:
                if value.__class__ is dict or value.__class__ is list or value in container:
                    raise _Unsupported  # complex or duplicate keys: the full loader reports duplicates
                key = value
            else:
                container[key] = value
                key = _NO_KEY
            if kind is MappingStartEvent or kind is SequenceStartEvent:  # it is now the innermost container
                stack.append((container, in_mapping, key, opened))
                container, in_mapping, key = value, kind is MappingStartEvent, _NO_KEY
                opened = (event.anchor, nodes) if event.anchor else None
    except _Unsupported:
        return UNSUPPORTED
    finally:
        parser.dispose()
    return root[0] if root else None


_NO_KEY = object()

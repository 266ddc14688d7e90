"""A fast path for reading figures YAML: libyaml's events, typed here.

PyYAML's C parser is fast, but ``yaml.load`` hands every node back to Python
resolvers and constructors, which costs most of the load time.  This module
builds the data straight from the parser's events and types plain scalars
with PyYAML's own implicit-resolver table (YAML 1.1, as ``yaml.safe_load``
does), so the result is the same as narrate's full loader: floats become
:class:`~decimal.Decimal` from their text, ints stay ints, ``null``/``~``/empty
become None, ``yes``/``no``… become booleans.

Anything outside that common ground — explicit tags (``!!str``), merge keys
(``<<``), timestamps, non-scalar keys — makes :func:`load` return
:data:`UNSUPPORTED`, and the caller uses the full PyYAML loader instead.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

UNSUPPORTED = object()


class _Unsupported(Exception):
    pass


def _resolvers() -> dict[str, list[tuple[str, Any]]]:
    from yaml.resolver import Resolver

    return {k: [(tag.rsplit(":", 1)[-1], regexp) for tag, regexp in v]
            for k, v in Resolver.yaml_implicit_resolvers.items()}


_RESOLVERS: dict[str, list[tuple[str, Any]]] | None = None
_BOOLS = {"yes": True, "no": False, "true": True, "false": False, "on": True, "off": False}


def _int(text: str) -> int:
    """PyYAML's construct_yaml_int."""
    value = text.replace("_", "")
    sign = -1 if value[0] == "-" else 1
    if value[0] in "+-":
        value = value[1:]
    if value == "0":
        return 0
    if value.startswith("0b"):
        return sign * int(value[2:], 2)
    if value.startswith("0x"):
        return sign * int(value[2:], 16)
    if value[0] == "0":
        return sign * int(value, 8)
    if ":" in value:
        total, base = 0, 1
        for digit in reversed([int(part) for part in value.split(":")]):
            total += digit * base
            base *= 60
        return sign * total
    return sign * int(value)


def _float(text: str) -> Decimal:
    """narrate's float constructor (loaders.text): the number's own text as a Decimal."""
    value = text.replace("_", "")
    lowered = value.lower()
    if lowered == ".nan":
        return Decimal("NaN")
    if lowered in (".inf", "+.inf"):
        return Decimal("Infinity")
    if lowered == "-.inf":
        return Decimal("-Infinity")
    if ":" in value:
        raise _Unsupported  # sexagesimal floats: leave them to the full loader
    return Decimal(value)


def _scalar(value: str, plain: bool) -> Any:
    if not plain:
        return value
    candidates = _RESOLVERS.get(value[:1], ()) if value else _RESOLVERS.get("", ())  # type: ignore[union-attr]
    for kind, regexp in candidates:
        if regexp.match(value):
            if kind == "null":
                return None
            if kind == "bool":
                return _BOOLS[value.lower()]
            if kind == "int":
                return _int(value)
            if kind == "float":
                return _float(value)
            raise _Unsupported  # merge, timestamp, value, yaml
    return value


def load(text: str) -> Any:
    """The data of a YAML document, or UNSUPPORTED when it needs the full loader."""
    global _RESOLVERS
    import yaml
    from yaml.events import (AliasEvent, DocumentStartEvent, MappingEndEvent, MappingStartEvent, ScalarEvent,
                             SequenceEndEvent, SequenceStartEvent, StreamEndEvent)

    if _RESOLVERS is None:
        _RESOLVERS = _resolvers()
    loader_class = getattr(yaml, "CBaseLoader", None)
    if loader_class is None:
        return UNSUPPORTED
    parser = loader_class(text)
    anchors: dict[str, Any] = {}
    typed: dict[str, Any] = {}  # plain scalar text → its value: keys and figures repeat a lot
    root: list[Any] = []
    container: Any = root       # the innermost open container (root collects the document)
    in_mapping = False
    key: Any = _NO_KEY          # the innermost mapping's pending key
    stack: list[tuple[Any, bool, Any]] = []  # the enclosing containers, as (container, in_mapping, key)
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
                        value = typed[text_value] = _scalar(text_value, True)
                elif tag is None or tag == "!":
                    value = event.value
                else:
                    raise _Unsupported  # an explicit tag (!!str, !!binary…)
                if event.anchor:
                    anchors[event.anchor] = value
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                container, in_mapping, key = stack.pop()
                continue
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                if event.tag is not None and not event.implicit:
                    raise _Unsupported
                value = {} if kind is MappingStartEvent else []
                if event.anchor:
                    anchors[event.anchor] = value
            elif kind is AliasEvent:
                if event.anchor not in anchors:  # undefined: the full loader reports it with its line
                    raise _Unsupported
                value = anchors[event.anchor]
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
                if value.__class__ is dict or value.__class__ is list:
                    raise _Unsupported  # complex keys
                key = value
            else:
                container[key] = value
                key = _NO_KEY
            if kind is MappingStartEvent or kind is SequenceStartEvent:  # it is now the innermost container
                stack.append((container, in_mapping, key))
                container, in_mapping, key = value, kind is MappingStartEvent, _NO_KEY
    except _Unsupported:
        return UNSUPPORTED
    finally:
        parser.dispose()
    return root[0] if root else None


_NO_KEY = object()

"""What a render reads: which record fields the chosen profile's templates consult, and in which section.

``narrate check`` must only ask for an input the text would print.  Rather than keep a list of what
each layout prints, it renders the facts once through the profile with every record of the template
context wrapped in a :class:`Watched` proxy: each attribute a template (or a ``when`` expression, or
``basis()``) reads is noted with the heading of the section being rendered.  A field a layout never
reads — or reads only for units it concerns — is then never asked for.
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from .computation import Record


class Reads:
    """Attribute reads of one render: ``(id(record), name)`` → the first section heading that read it."""

    def __init__(self) -> None:
        self.section = ""
        self._seen: dict[tuple[int, str], str] = {}
        self._keep: list[Any] = []  # the records watched (ids stay valid while the render lives)
        self._wrapped: dict[int, Any] = {}

    def enter(self, headings: list[str]) -> None:
        """The section now rendered: its heading and its parents' (numbered levels only)."""
        self.section = "".join(headings)

    def note(self, record: Any, name: str) -> None:
        self._seen.setdefault((id(record), name), self.section)

    def where(self, record: Any, *names: str) -> str | None:
        """The section that read any of ``names`` of ``record``, None when the render never did."""
        for name in names:
            found = self._seen.get((id(record), name))
            if found is not None:
                return found
        return None

    def watch(self, value: Any) -> Any:
        """``value`` as templates should see it: records (also inside lists and tuples) watched.

        Each record or list is wrapped once (templates read the same ones many times).
        """
        cls = value.__class__
        if cls is not Record and cls is not list and cls is not tuple:
            return value
        wrapped = self._wrapped.get(id(value))
        if wrapped is None:
            self._keep.append(value)
            if cls is Record:
                wrapped = Watched(value, self)
            elif any(isinstance(v, (Record, list, tuple)) for v in value):
                wrapped = cls(self.watch(v) for v in value)
            else:
                wrapped = value
            self._wrapped[id(value)] = wrapped
        return wrapped

    def context(self, context: Mapping[str, Any]) -> dict[str, Any]:
        return {key: self.watch(value) for key, value in context.items()}

    def release(self) -> None:
        """Forget the wrappers once the reads are no longer asked about (:meth:`where` then answers nothing).

        A wrapper and this object refer to each other; without this the whole watched tree would
        wait for the garbage collector instead of being freed as soon as the caller drops it.
        """
        self._seen.clear()
        self._wrapped.clear()
        self._keep.clear()


class Watched:
    """A read-only record that tells :class:`Reads` each attribute read from it."""

    __slots__ = ("_record", "_reads")

    def __init__(self, record: Record, reads: Reads) -> None:
        object.__setattr__(self, "_record", record)
        object.__setattr__(self, "_reads", reads)

    def __getattribute__(self, name: str) -> Any:  # not __getattr__: no AttributeError raised per read
        record = _RECORD(self)
        value = getattr(record, name)
        reads = _READS(self)
        reads._seen.setdefault((id(record), name), reads.section)
        cls = value.__class__
        if cls is Record or cls is list or cls is tuple:  # most reads give facts, text or None: no call
            return reads.watch(value)
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Record is read-only")

    def __iter__(self) -> Iterator[Any]:
        raise TypeError("a record is not iterable")

    def __repr__(self) -> str:
        return f"Watched({_RECORD(self)!r})"


_RECORD = Watched._record.__get__  # type: ignore[attr-defined]
_READS = Watched._reads.__get__  # type: ignore[attr-defined]

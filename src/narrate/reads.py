"""What a render reads: which record fields the chosen profile's templates consult, and in which section.

``narrate check`` must only ask for an input the text would print.  Rather than keep a list of what
each layout prints, it renders the facts once through the profile in a *recording* Jinja environment
(:func:`recording`): each field of a record that a template, a macro, a ``when`` expression or a
filter (``map(attribute=…)``) reads is noted with the heading of the section being rendered.  A Python
helper that templates call and that reads records itself notes, with :func:`note`, the fields among them
that ``check`` asks about (``basis()`` notes a record's budgets; ``merge_small`` reads only shares and
amounts, which it never asks about).  A field a layout never reads — or reads only for units it concerns
— is then never asked for.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Iterator

from .computation import Record


class Reads:
    """Field reads of one render: ``(id(record), name)`` → the first section heading that read it.

    The records asked about (:meth:`where`) must outlive the render: they are the facts' context,
    which the caller holds.
    """

    def __init__(self) -> None:
        self.section = ""
        self._seen: dict[tuple[int, str], str] = {}
        self._twins: dict[int, Record] = {}

    def enter(self, headings: list[str]) -> None:
        """The section now rendered: its heading and its parents' (numbered levels only)."""
        self.section = "".join(headings)

    def note(self, record: Any, name: str) -> None:
        self._seen.setdefault((id(record), name), self.section)

    def twin(self, record: Record, copy: Record) -> None:
        """The render reads ``copy`` in place of ``record`` (a 科目 row renamed by ``wording.names``):
        :meth:`where` answers for ``record`` what was read of either."""
        self._twins[id(record)] = copy

    def where(self, record: Any, *names: str) -> str | None:
        """The section that read any of ``names`` of ``record``, None when the render never did."""
        keys = (id(record),)
        copy = self._twins.get(id(record))
        if copy is not None:
            keys = (id(record), id(copy))
        for name in names:
            for key in keys:
                found = self._seen.get((key, name))
                if found is not None:
                    return found
        return None

    @contextmanager
    def recording(self) -> Iterator[Reads]:
        """While the block runs, reads in recording environments (and :func:`note`) go to this object."""
        token = _CURRENT.set(self)
        try:
            yield self
        finally:
            _CURRENT.reset(token)

    def release(self) -> None:
        """Forget the reads once they are no longer asked about (:meth:`where` then answers nothing)."""
        self._seen.clear()
        self._twins.clear()


_CURRENT: ContextVar[Reads | None] = ContextVar("narrate_reads", default=None)


def note(record: Any, name: str) -> None:
    """A Python helper called from a template read ``record.name`` (no-op when nothing records)."""
    reads = _CURRENT.get()
    if reads is not None and record.__class__ is Record:
        reads.note(record, name)


def recording(environment_class: type) -> type:
    """``environment_class`` (a Jinja Environment, plain or sandboxed) whose templates' reads of record
    fields — ``record.name`` and ``record["name"]``, which is how filters read ``attribute=`` — are
    noted in the current :class:`Reads` (see :meth:`Reads.recording`).  The class's own lookup (the
    sandbox's checks included) runs first; a read it refuses is not noted."""
    from jinja2 import Environment

    base_getattr, base_getitem = environment_class.getattr, environment_class.getitem
    plain = base_getattr is Environment.getattr

    class Recording(environment_class):  # type: ignore[misc, valid-type]
        def getattr(self, obj: Any, attribute: str) -> Any:
            if plain:  # Jinja's own lookup, its common case inline (a check reads some 300 fields a unit)
                try:
                    value = getattr(obj, attribute)
                except AttributeError:
                    return base_getattr(self, obj, attribute)  # no such attribute: an item, or undefined
            else:
                value = base_getattr(self, obj, attribute)
            if obj.__class__ is Record:
                reads = _CURRENT.get()
                if reads is not None:
                    reads._seen.setdefault((id(obj), attribute), reads.section)
            return value

        def getitem(self, obj: Any, argument: Any) -> Any:
            value = base_getitem(self, obj, argument)
            if obj.__class__ is Record and argument.__class__ is str:
                note(obj, argument)
            return value

    Recording.__name__ = Recording.__qualname__ = f"Recording{environment_class.__name__}"
    return Recording

"""The .docx package: a deterministic zip writer, and the default layout's package written in one pass.

Zip entries get fixed dates and attributes and keep their order, so the same
document gives the same bytes; the template's unchanging parts are compressed
once per process.  The default layout (no reference document, no review) fills
the paragraphs and the title into the prepared template's parts as text, without
python-docx's load and save.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from ...document import Document
from .paragraphs import escape, paragraphs_xml

if TYPE_CHECKING:
    from .style_ids import Styles


_ZIP_DATE = (2000, 1, 1, 0, 0, 0)


def save_stable(doc) -> bytes:
    """A python-docx document saved as deterministic .docx bytes."""
    out = io.BytesIO()
    doc.save(out)
    return stable_zip(out.getvalue())


def stable_zip(blob: bytes, replace: dict[str, bytes] | None = None) -> bytes:
    """Rewrite a zip with fixed dates and attributes, entries in the same order.

    python-docx stamps every entry with the current time; this makes the bytes
    depend only on the content.  ``replace`` swaps the content of named entries.
    """
    replace = replace or {}
    with zipfile.ZipFile(io.BytesIO(blob)) as src:
        entries = [(e.filename, replace.get(e.filename) or src.read(e)) for e in src.infolist()]
    return _zip(entries)


def _dos_date_time() -> tuple[int, int]:
    year, month, day, hour, minute, second = _ZIP_DATE
    return (year - 1980) << 9 | month << 5 | day, hour << 11 | minute << 5 | second // 2


def _deflate(data: bytes) -> tuple[int, bytes]:
    """CRC and raw deflate of an entry."""
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return zlib.crc32(data), packer.compress(data) + packer.flush()


# The parts that hold a document's own content are compressed afresh every time; the
# template's unchanging parts (styles, settings, fonts…) once per process.
_PER_DOCUMENT = frozenset({"word/document.xml", "docProps/core.xml", "word/comments.xml"})
_deflate_part = lru_cache(maxsize=64)(_deflate)


def _zip(entries: Iterable[tuple[str, bytes]]) -> bytes:
    """A deterministic zip (deflated entries, fixed dates, no extra fields), in the given order."""
    date, time_ = _dos_date_time()
    out = bytearray()
    central = bytearray()
    count = 0
    for name, data in entries:
        crc, packed = _deflate(data) if name in _PER_DOCUMENT else _deflate_part(data)
        raw_name = name.encode("utf-8")
        flags = 0 if raw_name.isascii() else 0x800  # UTF-8 names
        offset = len(out)
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flags, 8, time_, date, crc, len(packed), len(data),
                           len(raw_name), 0) + raw_name + packed
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, flags, 8, time_, date, crc, len(packed),
                               len(data), len(raw_name), 0, 0, 0, 0, 0, offset) + raw_name
        count += 1
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(central), len(out), 0)
    return bytes(out + central + end)


@dataclass(frozen=True)
class _Package:
    """The configured template taken apart once: static entries, and the two parts that change."""

    entries: tuple[tuple[str, bytes], ...]
    """Every zip entry in order; document.xml and core.xml are placeholders here."""
    body_head: bytes
    body_tail: bytes
    core_head: bytes
    core_tail: bytes
    styles: Styles


_TITLE_MARK = "\ue0ffNARRATE-TITLE\ue0ff"


@lru_cache(maxsize=1)
def _package() -> _Package:
    import docx
    from docx.oxml import OxmlElement

    from .style_ids import styles_in
    from .template import template

    doc = docx.Document(io.BytesIO(template()))
    styles = styles_in(doc, False, user=False)
    doc.core_properties.title = _TITLE_MARK
    marker = OxmlElement("w:p")
    body = doc.element.body
    body.insert(len(body) - 1, marker)  # just before the body's sectPr
    blob = io.BytesIO()
    doc.save(blob)
    with zipfile.ZipFile(io.BytesIO(blob.getvalue())) as z:
        entries = tuple((info.filename, z.read(info)) for info in z.infolist())
    parts = dict(entries)
    document_xml = parts["word/document.xml"].decode("utf-8")
    head, tail = document_xml.split("<w:p/>", 1)
    core = parts["docProps/core.xml"].decode("utf-8")
    core_head, core_tail = core.split(_TITLE_MARK, 1)
    return _Package(entries, head.encode("utf-8"), tail.encode("utf-8"), core_head.encode("utf-8"),
                    core_tail.encode("utf-8"), styles)


def plain_docx(document: Document) -> bytes:
    """The default layout without review: paragraphs serialised once, package written in one pass.

    Gives the same document as the general path (same parts, the same
    :func:`paragraphs_xml`), several times faster: no python-docx load and save, no zip rewrite.
    """
    package = _package()
    inner = paragraphs_xml(enumerate(document.blocks), package.styles).encode("utf-8")
    replace = {
        "word/document.xml": package.body_head + inner + package.body_tail,
        "docProps/core.xml": package.core_head + escape(document.title).encode("utf-8") + package.core_tail,
    }
    return _zip((name, replace.get(name, data)) for name, data in package.entries)

"""The .docx package as a zip: written deterministically.

Zip entries get fixed dates and attributes and keep their order, so the same
document gives the same bytes; the template's unchanging parts are compressed
once per process (:data:`_PER_DOCUMENT` are the parts compressed every time).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable
from functools import lru_cache

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
    return write_zip(entries)


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


def write_zip(entries: Iterable[tuple[str, bytes]]) -> bytes:
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

"""The default layout (no reference document, no review) written in one pass.

The configured template is taken apart once per process; each call fills the
paragraphs (as XML text) and the title into its document and core-properties
parts and writes the zip directly — no python-docx load and save, no zip rewrite.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from ...document import Document
from .package import write_zip
from .paragraphs import escape, paragraphs_xml

if TYPE_CHECKING:
    from .style_ids import Styles


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
    return write_zip((name, replace.get(name, data)) for name, data in package.entries)

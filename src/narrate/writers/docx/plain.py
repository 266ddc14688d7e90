"""The default layout (no reference document, no review) written in one pass.

The configured template is taken apart once (:func:`build_package`, with python-docx) and
shipped beside this module as ``plain-package.zip``; each call fills the paragraphs (as XML
text) and the title into its document and core-properties parts and writes the zip directly
— no python-docx at all, no load and save, no zip rewrite.  After changing narrate's Word
look (look.py, styles.py, page.py, template.py) run ``python -m narrate.writers.docx.plain``;
tests/test_docx_writer.py checks the shipped file equals a fresh build.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ...document import Document
from .package import write_zip
from .paragraphs import Styles, escape, paragraphs_xml

PREBUILT = Path(__file__).with_name("plain-package.zip")
_META = "narrate-plain.json"


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
    try:
        return package_from_bytes(PREBUILT.read_bytes())
    except FileNotFoundError:  # a source tree whose file was removed: build it (slower)
        return build_package()


def package_to_bytes(package: _Package) -> bytes:
    """The taken-apart template as one zip: its entries in order, and the split points and style ids."""
    meta = {"order": [name for name, _ in package.entries],
            "body_head": package.body_head.decode("utf-8"), "body_tail": package.body_tail.decode("utf-8"),
            "core_head": package.core_head.decode("utf-8"), "core_tail": package.core_tail.decode("utf-8"),
            "styles": {"normal": package.styles.normal, "headings": {str(k): v for k, v in package.styles.headings.items()},
                       "comment_text": package.styles.comment_text, "comment_ref": package.styles.comment_ref}}
    entries = [(_META, json.dumps(meta, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8"))]
    return write_zip(entries + [(f"parts/{name}", data) for name, data in package.entries])


def package_from_bytes(data: bytes) -> _Package:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        meta = json.loads(z.read(_META))
        entries = tuple((name, z.read(f"parts/{name}")) for name in meta["order"])
    s = meta["styles"]
    styles = Styles(s["normal"], {int(k): v for k, v in s["headings"].items()}, s["comment_text"], s["comment_ref"])
    return _Package(entries, meta["body_head"].encode("utf-8"), meta["body_tail"].encode("utf-8"),
                    meta["core_head"].encode("utf-8"), meta["core_tail"].encode("utf-8"), styles)


def build_package() -> _Package:
    """Take python-docx's template, restyled (:func:`template`), apart around the body and the title."""
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


if __name__ == "__main__":  # python -m narrate.writers.docx.plain
    PREBUILT.write_bytes(package_to_bytes(build_package()))
    print(f"已写入 {PREBUILT}")

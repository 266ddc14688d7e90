"""A user's Word file: opening it safely (:func:`open_word`), and emptying a reference document of its content.

Used by ``--reference-doc`` (:func:`narrate.writers.docx.docx_bytes`) and
``--into`` (:mod:`narrate.writers.docx_into`).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.package import Package
from lxml import etree

from ...errors import FiguresError
from ...limits import check_input_file, check_zip_package
from .errors import WordFileError
from .package import stable_zip
from .template import template

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls: Office 97–2003
_CT_TEMPLATE_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"


def word_label(source: str | Path | bytes, role: str) -> str:
    """How messages name a user's Word file: "参考文档 X.docx", "目标文档（内存中的文件）"."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return f"{role}（内存中的文件）"
    return f"{role} {source}"


def open_word(source: str | Path | bytes, role: str):
    """A user's .docx (path or bytes) opened with python-docx.

    ``role`` ("参考文档", "目标文档") starts every message.  A Word template
    (.dotx) is opened as a document.  Anything else raises
    :class:`WordFileError` naming the file: missing, unreadable, a .doc, not a
    zip, not a Word document, damaged.
    """
    label = word_label(source, role)
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    else:
        try:
            check_input_file(source, "Word 文件（.docx）")  # no FIFO, device or oversized file is read
        except FiguresError as exc:
            raise WordFileError(f"{label}：{'；'.join(p.describe() for p in exc.problems)}") from None
        try:
            data = Path(source).read_bytes()
        except FileNotFoundError:
            raise WordFileError(f"{label} 不存在") from None
        except IsADirectoryError:
            raise WordFileError(f"{label} 是文件夹，应为 Word 文件（.docx）") from None
        except OSError as exc:
            raise WordFileError(f"无法读取{label}：{exc.strerror or exc}") from None
    if data.startswith(_OLE_MAGIC):
        raise WordFileError(
            f"{label} 是旧版 Office 文件（如 Word 97-2003 的 .doc 或 WPS 的 .wps），不是 .docx；"
            "请在 Word 或 WPS 中“另存为”Word 文档（*.docx）后再用"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            if "[Content_Types].xml" not in z.namelist():
                raise WordFileError(f"{label} 不是 Word 文档（.docx）：压缩包中没有 Word 文档的内容")
            types = z.read("[Content_Types].xml")
            if _CT_TEMPLATE_MAIN.encode() in types:  # a .dotx: open it as a document
                data = stable_zip(data, {"[Content_Types].xml": types.replace(
                    _CT_TEMPLATE_MAIN.encode(), CT.WML_DOCUMENT_MAIN.encode())})
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError):
        raise WordFileError(
            f"{label} 不是 Word 文档（.docx）：无法作为 zip 压缩包打开，文件可能已损坏或不是 .docx"
        ) from None
    try:
        check_zip_package(io.BytesIO(data), "Word 文档（.docx）")  # a zip bomb is refused before parsing
    except FiguresError as exc:
        raise WordFileError(f"{label}：{'；'.join(p.describe() for p in exc.problems)}") from None
    try:
        package = Package.open(io.BytesIO(data))
        part = package.main_document_part
    except WordFileError:
        raise
    except Exception as exc:  # python-docx/lxml/zipfile raise many kinds here
        raise WordFileError(f"{label} 已损坏，无法作为 Word 文档打开（{type(exc).__name__}: {exc}）") from None
    if part.content_type != CT.WML_DOCUMENT_MAIN:
        what = "含宏的 Word 文档（.docm），请另存为 .docx" if "macroEnabled" in part.content_type else (
            f"不是 Word 文档（内容类型 {part.content_type}）")
        raise WordFileError(f"{label} {what}")
    try:
        doc = part.document
        doc.styles  # noqa: B018 -- parse the styles now, so a broken part fails here
        doc.element.body  # noqa: B018
    except Exception as exc:
        raise WordFileError(f"{label} 已损坏，无法作为 Word 文档打开（{type(exc).__name__}: {exc}）") from None
    if doc.element.body is None:
        raise WordFileError(f"{label} 已损坏：没有正文（w:body）")
    return doc


# Relationships of the main document part used only by its content; they go
# when the content goes (reference documents), unless something still uses them.
_CONTENT_RELS = frozenset({
    RT.IMAGE, RT.HYPERLINK, RT.OLE_OBJECT, RT.PACKAGE, RT.CHART, RT.DIAGRAM_DATA,
    RT.DIAGRAM_LAYOUT, RT.DIAGRAM_QUICK_STYLE, RT.DIAGRAM_COLORS, RT.HEADER,
    RT.FOOTER, RT.VIDEO, RT.AUDIO, RT.CONTROL, RT.A_F_CHUNK, RT.COMMENTS,
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/subDocument",
    "http://schemas.microsoft.com/office/2007/relationships/media",
    "http://schemas.microsoft.com/office/2007/relationships/diagramDrawing",
    "http://schemas.microsoft.com/office/2011/relationships/commentsExtended",
    "http://schemas.microsoft.com/office/2016/09/relationships/commentsIds",
    "http://schemas.microsoft.com/office/2018/08/relationships/commentsExtensible",
})  # fmt: skip
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def clear_content(doc) -> None:
    """Empty a reference document: no body content, only the last section's properties.

    Pictures, links, comments and headers/footers of other sections that only
    the content used are dropped; footnotes and endnotes keep only Word's
    separators.  Without section properties, narrate's page setup is used.
    """
    body = doc.element.body
    sectPr = body.sectPr
    for child in list(body):
        if child is not sectPr:
            body.remove(child)
    if sectPr is None:
        own = docx.Document(io.BytesIO(template())).element.body.sectPr
        for ref in own.findall(qn("w:headerReference")) + own.findall(qn("w:footerReference")):
            own.remove(ref)
        body.append(own)
    used = {
        value
        for el in doc.element.iter()
        for key, value in el.attrib.items()
        if key.startswith(f"{{{_R_NS}}}") or key.endswith("}relid")
    }
    for rId, rel in list(doc.part.rels.items()):
        if rel.reltype in _CONTENT_RELS and rId not in used:
            del doc.part.rels[rId]
        elif rel.reltype in (RT.FOOTNOTES, RT.ENDNOTES) and not rel.is_external:
            _keep_separators(rel.target_part)


def _keep_separators(part) -> None:
    """A footnotes/endnotes part with only its separator notes (those with a w:type)."""
    try:
        root = parse_xml(part.blob)
    except etree.XMLSyntaxError:  # pragma: no cover
        return
    for note in list(root):
        if note.get(qn("w:type")) in (None, "normal"):
            root.remove(note)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

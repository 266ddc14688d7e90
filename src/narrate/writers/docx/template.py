"""Once per process: python-docx's default template restyled with narrate's look and trimmed."""

from __future__ import annotations

import io
import zipfile
from functools import lru_cache

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT

from .look import HEADINGS
from .package import stable_zip
from .page import set_core_properties, set_section, set_settings
from .styles import font_table, prune_styles, set_body_style, set_defaults, set_footer_style, set_heading_style

_RT_STYLES_WITH_EFFECTS = (
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
)


@lru_cache(maxsize=1)
def template() -> bytes:
    """python-docx's default template, restyled and trimmed, as .docx bytes."""
    doc = docx.Document()
    trim_package(doc)
    set_defaults(doc)
    set_body_style(doc.styles["Normal"])
    for name, font, size, bold in HEADINGS.values():
        set_heading_style(doc.styles[name], font, size, bold, part_title=(name == "Heading 1"))
    prune_styles(doc)
    set_footer_style(doc.styles["Footer"])
    set_section(doc)
    set_core_properties(doc)
    set_settings(doc)

    out = io.BytesIO()
    doc.save(out)
    blob = out.getvalue()
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        fonts = font_table(z.read("word/fontTable.xml"))
    return stable_zip(blob, {"word/fontTable.xml": fonts})


def trim_package(doc) -> None:
    """Drop template parts the output has no use for (and that cost load time)."""
    unused = {_RT_STYLES_WITH_EFFECTS, RT.CUSTOM_XML}
    for rId, rel in list(doc.part.rels.items()):
        if rel.reltype in unused:
            doc.part.drop_rel(rId)
    package_rels = doc.part.package.rels
    for rId, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package_rels[rId]

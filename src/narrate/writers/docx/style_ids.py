"""Which style ids a document's paragraphs get: Normal, Heading 1–4 (and the comment styles), matched by name.

A user's document (--reference-doc, --into) may name its styles in Chinese or
give them other ids; a style it lacks is copied from narrate's template.
"""

from __future__ import annotations

import copy
import io
from functools import lru_cache

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from ...document import Block
from .look import HEADINGS
from .paragraphs import Styles
from .styles import comment_styles, font_table
from .template import template


# Style names as Word writes them in styles.xml (built-in styles keep their
# English names in every language), with the names some Chinese editions of
# WPS write instead.  Compared without case and spaces.
_NAME_ALIASES = {
    "normal": ("正文",),
    "heading1": ("标题1",),
    "heading2": ("标题2",),
    "heading3": ("标题3",),
    "heading4": ("标题4",),
    "annotationtext": ("批注文字",),
    "annotationreference": ("批注引用",),
    "defaultparagraphfont": ("默认段落字体",),
}


_ALIAS_OF = {alias: canonical for canonical, aliases in _NAME_ALIASES.items() for alias in aliases}


def _name_key(name: str) -> str:
    key = "".join(name.split()).lower()
    return _ALIAS_OF.get(key, key)


def styles_in(doc, review: bool, user: bool) -> Styles:
    """Normal, Heading 1–4 (and the comment styles in review mode) of ``doc``, by name.

    A style ``doc`` lacks is copied from narrate's template (its references to
    other styles mapped to ``doc``'s ids); ``user`` marks a user's document,
    whose font table then also learns narrate's fonts if a style was added.
    """
    root = doc.styles.element
    by_name: dict[tuple[str, str], object] = {}
    ids: set[str] = set()
    default_paragraph = None
    default_character = None
    for style in root.findall(qn("w:style")):
        kind = style.get(qn("w:type")) or "paragraph"
        sid = style.get(qn("w:styleId")) or ""
        ids.add(sid)
        name = style.find(qn("w:name"))
        key = _name_key(name.get(qn("w:val")) if name is not None else sid)
        by_name.setdefault((kind, key), style)
        if style.get(qn("w:default")) in ("1", "true", "on"):
            if kind == "paragraph" and default_paragraph is None:
                default_paragraph = style
            elif kind == "character" and default_character is None:
                default_character = style
    if default_character is None:
        default_character = by_name.get(("character", "defaultparagraphfont"))
    mapped = {"DefaultParagraphFont": None if default_character is None else default_character.get(qn("w:styleId"))}
    added = False

    def resolve(kind: str, name: str, own) -> str:
        nonlocal added
        found = by_name.get((kind, _name_key(name)))
        if found is not None:
            return found.get(qn("w:styleId"))
        new = copy.deepcopy(own)
        sid = base = new.get(qn("w:styleId"))
        n = 1
        while sid in ids:
            sid = f"{base}narrate{'' if n == 1 else n}"
            n += 1
        new.set(qn("w:styleId"), sid)
        ids.add(sid)
        if new.get(qn("w:default")) is not None and (kind != "paragraph" or default_paragraph is not None):
            del new.attrib[qn("w:default")]
        for ref in ("w:basedOn", "w:next", "w:link"):
            el = new.find(qn(ref))
            if el is None:
                continue
            target = mapped.get(el.get(qn("w:val")))
            if target is None or ref == "w:link":
                new.remove(el)
            else:
                el.set(qn("w:val"), target)
        root.append(new)
        added = True
        by_name[(kind, _name_key(name))] = new
        return sid

    own = _own_styles()
    normal = resolve("paragraph", "Normal", own["Normal"])
    mapped["Normal"] = normal
    normal_style = by_name[("paragraph", "normal")]
    is_default = normal_style is default_paragraph or (
        default_paragraph is None and normal_style.get(qn("w:default")) is not None
    )
    headings = {
        level: resolve("paragraph", spec[0], own[spec[0]]) for level, spec in HEADINGS.items()
    }
    comment_text = comment_ref = ""
    if review:
        text_style, ref_style = comment_styles()
        comment_text = resolve("paragraph", "annotation text", text_style)
        comment_ref = resolve("character", "annotation reference", ref_style)
    if added and user:
        _add_fonts(doc)
    return Styles(None if is_default else normal, headings, comment_text, comment_ref)


@lru_cache(maxsize=1)
def _own_styles() -> dict:
    """narrate's Normal and Heading 1–4 (w:style elements) from the template, by name."""
    doc = docx.Document(io.BytesIO(template()))
    return {name: doc.styles[name].element for name in ["Normal", *(s[0] for s in HEADINGS.values())]}


def _add_fonts(doc) -> None:
    """Add narrate's fonts (with their substitution hints) to ``doc``'s font table."""
    for rel in doc.part.rels.values():
        if rel.reltype == RT.FONT_TABLE and not rel.is_external:
            part = rel.target_part
            if hasattr(part, "_element"):  # pragma: no cover -- python-docx parses no font table
                return
            try:
                part._blob = font_table(part.blob)
            except etree.XMLSyntaxError:  # pragma: no cover -- a broken table stays as it is
                pass
            return

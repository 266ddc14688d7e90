"""Word writer: a :class:`~narrate.document.Document` as ``.docx`` bytes.

The output follows the look of a Chinese official document (GB/T 9704):

* A4 portrait, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm: with
  lines of exactly 28.95 pt, 22 lines fill a page as GB/T 9704 asks.  There is
  no character grid, so a line holds 27 三号 characters, not the standard's 28
  (Word's ``linesAndChars`` grid would squeeze in 28, but LibreOffice then
  gives every character two grid cells).
* Footer: the page number as "— N —" (em dashes U+2014 around a real PAGE
  field), 宋体 四号 (14 pt), about 7 mm below the text block; odd and even
  pages have their own footers (``w:evenAndOddHeaders``): odd pages at the
  right, even pages at the left, each one character (280 twips,
  ``w:rightChars``/``w:leftChars`` 100) in from the margin (单页码居右空一字，
  双页码居左空一字).
* Document defaults: 仿宋_GB2312 16 pt in every font slot (ascii, hAnsi,
  eastAsia, cs), language zh-CN for East Asian text.

Styles, by block:

=====================  ============  =========================================
Block                  Word style    Look
=====================  ============  =========================================
paragraph              ``Normal``    仿宋_GB2312 三号 (16 pt), first line indented
                       (正文)         2 characters, exact line spacing 28.95 pt,
                                     no space before/after, justified
heading, level 0       ``Heading 1`` 黑体 二号 (22 pt), centred, not indented,
(第三部分 情况说明)                   starts a new page, one blank line after
heading, level 1       ``Heading 2`` 黑体 三号, indented 2 characters
(一、…)
heading, level 2       ``Heading 3`` 楷体_GB2312 三号, indented 2 characters
(（一）…)
heading, level 3       ``Heading 4`` 仿宋_GB2312 三号 bold, indented 2 characters
(1、…)
=====================  ============  =========================================

Body paragraphs use Word's built-in ``Normal`` style itself (no extra body
style): it is what a user's new paragraphs get, so text typed later in Word
looks the same.  The headings are Word's built-in heading styles with outline
levels 1–4, so the navigation pane and a table of contents see them; their
theme fonts and blue colour from python-docx's template are replaced by the
explicit fonts above and automatic (black) colour, and they keep with the next
paragraph.

Text is never interpreted: each block's text goes into one run as it is.  The
only translation is the one Word needs: a tab becomes ``w:tab`` and a line
feed, carriage return or CR LF a ``w:br`` line break (a justified line ending
in such a break is not stretched: ``w:doNotExpandShiftReturn``).  Characters
that an XML 1.0 file cannot hold (C0 controls other than tab/LF/CR, lone
surrogates, U+FFFE/U+FFFF) raise :class:`ValueError` naming the block.

Review mode (``docx_bytes(document, review=True)``): the text is the same, but
in every paragraph and heading each printed :class:`~narrate.document.Number`
is a run of its own carrying a Word comment (批注) on exactly that run, so a
reviewer can point at a number and read how it was obtained.  The comment has
three paragraphs: the fact's label; "计算：" and the formula (or "取数：照表列示"
for a figure read as printed); "来源：" and the source cells joined by "；"
(or "来源：未注明" when the fact names none).  Author "narrate", initials "N",
no date; comment ids 0, 1, 2 … in reading order.  The comments are set in
宋体 10.5 pt (the styles ``CommentText`` / ``CommentReference``, added only in
review mode).  Each number's ``start``/``end`` must slice its ``text`` out of the
block, in order and without overlap, or :class:`ValueError` names the block.
Without ``review`` the output is exactly as described above (no comments part,
one run per paragraph).

Reference document (``docx_bytes(document, reference_doc=path_or_bytes)``), as
pandoc's ``--reference-doc``: the output starts from the user's .docx with its
content removed, keeping its page setup (the last section's size, orientation,
margins), that section's headers and footers, its styles and document defaults,
numbering, theme, font table and settings.  Pictures, links, comments and the
thumbnail of the removed content are dropped, footnotes and endnotes keep only
their separators, and the core properties are reset as above.  Styles are
matched by name, not id (Chinese Word writes ids such as "a" for Normal and
"2" for heading 2): Normal, Heading 1–4 and, in review mode, the comment styles
("annotation text", "annotation reference"); one the reference lacks is added
from narrate's look above, its ``basedOn``/``next`` mapped to the reference's
ids, and the font table learns narrate's fonts.  A reference without section
properties gets narrate's page.  A .dotx template is read as a document; a
missing, unreadable, .doc, non-zip, non-Word or damaged file raises
:class:`WordFileError` (a :class:`ValueError`) naming the file.  To insert the
chapter into an existing document instead, see :mod:`narrate.writers.docx_into`,
which uses :func:`paragraph_elements` and the same style matching.

Deterministic: the same :class:`Document` (and reference document) gives the
same bytes on every call and every run (fixed zip entry dates and attributes, stable entry order, no
created/modified/printed dates in the core properties).

Fast: loading and restyling python-docx's default template is done once per
process (:func:`.template.template`).  With the default layout (no reference document,
no review) each call writes the paragraphs as XML text (:func:`.paragraphs.paragraphs_xml`)
into the prepared package and writes the zip directly, compressing only the
parts that hold the document's own text; otherwise it opens a fresh document
from the prepared bytes (or the reference), adds the same paragraphs and saves.
python-docx is imported on the first call, not when this package is imported.

Modules:

====================  ==========================================================
:mod:`.look`          the look as data: fonts, sizes, line pitch, headings, footer, comments
:mod:`.paragraphs`    paragraphs and runs as XML text; review mode's comments
:mod:`.package`       the deterministic zip writer
:mod:`.plain`         the default layout's package, written in one pass
:mod:`.template`      once per process: python-docx's template with narrate's look
:mod:`.styles`        narrate's styles and font table on that template
:mod:`.page`          A4 page, margins, line grid, page-number footers, core properties
:mod:`.style_ids`     which style ids to use in a document, matched by name (user documents)
:mod:`.reference`     opening a user's Word file (:func:`open_word`); emptying a reference document
:mod:`.oxml`          small oxml element helpers
:mod:`.errors`        :class:`WordFileError`
====================  ==========================================================

:func:`docx_bytes` and :class:`WordFileError` are public; :func:`open_word`,
:func:`word_label`, :func:`paragraph_elements`, :func:`save_stable`,
:func:`styles_in` and :class:`Review` are shared with
:mod:`~narrate.writers.docx_into` (importable from here; loaded on first use).
"""

from __future__ import annotations

import io
from importlib import import_module
from pathlib import Path
from typing import Any

from ...document import Document
from .errors import WordFileError

__all__ = ["WordFileError", "docx_bytes"]


def docx_bytes(
    document: Document, review: Any = False, reference_doc: str | Path | bytes | None = None
) -> bytes:
    """The document as a .docx file (bytes), identical for identical input.

    With ``review`` every printed number carries a Word comment with its
    provenance (label, formula, source cells); the text stays the same.
    ``review`` may be a map of each source to its workbook cell
    (:func:`narrate.provenance.source_cells`): the comments then name the cells.

    With ``reference_doc`` (a path or the bytes of a .docx) the page setup,
    headers and footers and the styles come from that document, as pandoc's
    ``--reference-doc`` does; its own content is left out.  A style the
    reference document lacks (matched by name) is narrate's own.
    """
    from .paragraphs import check_text

    check_text(document.title, "标题（title）")
    if reference_doc is None and not review:
        from .plain import plain_docx

        return plain_docx(document)
    import docx

    from .package import save_stable
    from .page import no_expand_shift_return, set_core_properties
    from .paragraphs import paragraph_elements, review_of
    from .reference import clear_content, open_word
    from .style_ids import styles_in
    from .template import template, trim_package

    if reference_doc is None:
        doc = docx.Document(io.BytesIO(template()))
        styles = styles_in(doc, review, user=False)
    else:
        doc = open_word(reference_doc, "参考文档")
        clear_content(doc)
        trim_package(doc)  # also its thumbnail, a picture of its content
        set_core_properties(doc)
        no_expand_shift_return(doc.settings.element)
        styles = styles_in(doc, review, user=True)
    doc.core_properties.title = document.title

    body = doc.element.body
    marked = review_of(doc, styles, review)
    body.extend(paragraph_elements(enumerate(document.blocks), styles, marked))
    if marked is not None:
        marked.finish()
    body.append(body.sectPr)  # the section properties stay the body's last child
    return save_stable(doc)


# Shared helpers, loaded on first use so that importing this package does not import python-docx.
# The underscored names are the ones the single-module writer had.
_SHARED = {
    "open_word": "reference", "word_label": "reference", "clear_content": "reference",
    "save_stable": "package", "stable_zip": "package", "plain_docx": "plain",
    "paragraph_elements": "paragraphs", "paragraphs_xml": "paragraphs", "Review": "paragraphs",
    "comment_lines": "paragraphs", "comment_styles": "styles", "check_text": "paragraphs",
    "styles_in": "style_ids", "Styles": "style_ids",
    "_Review": ("paragraphs", "Review"), "_comment_lines": ("paragraphs", "comment_lines"),
    "_comment_styles": ("styles", "comment_styles"), "_run_xml": ("paragraphs", "_run_xml"),
    "_styles_in": ("style_ids", "styles_in"), "_Styles": ("style_ids", "Styles"),
    "_check_text": ("paragraphs", "check_text"), "_stable_zip": ("package", "stable_zip"),
}


def __getattr__(name: str) -> Any:
    where = _SHARED.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attr = where if isinstance(where, tuple) else (where, name)
    value = getattr(import_module(f".{module}", __name__), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_SHARED))

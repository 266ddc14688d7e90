"""A PDF page's characters and ruling lines read by pypdfium2, in pdfplumber's object format.

pdfplumber parses every page with pdfminer.six, in pure Python: on a 34-page disclosure that is
some 90% of ``narrate lint``'s time.  PDFium (pypdfium2, already installed with pdfplumber) reads
the same page many times faster.  Its own text (``get_text_range``) is not usable as is — it keeps
the content-stream order, so the quotes of “三公” drawn in another font land at the end of the
line, and it inserts spaces of its own — so only the raw material is taken from it: each
character's glyph, origin, advance and size, and each straight segment of each path.  These are
written as pdfplumber's ``char`` and ``line`` objects (pdfminer's geometry: ``x0`` the origin,
``x1`` the origin plus the advance, ``bottom`` the baseline, ``top`` the baseline minus the font
size) and handed to the page (:func:`page_objects`), so that pdfplumber's own line building (chars
ordered by position), table finder and cell extraction run unchanged on them.

A page this cannot stand in for — rotated, offset, with form objects, with text that is not
upright — gets None, and pdfplumber parses it itself.
"""

from __future__ import annotations

import ctypes
from typing import Any

_ROUND = 3  # PDFium keeps coordinates as float32: 670.35 comes back as 670.3499755859375


def _r(value: float) -> float:
    return round(value, _ROUND)


def open_document(path: str) -> Any:
    """pypdfium2's document, or None when PDFium is missing or cannot open the file."""
    try:
        import pypdfium2
    except ImportError:  # pragma: no cover - pdfplumber depends on pypdfium2
        return None
    try:
        return pypdfium2.PdfDocument(path)
    except Exception:
        return None


def page_objects(document: Any, index: int, page_number: int, doctop: float,
                 height: float | None = None) -> dict[str, list[dict]] | None:
    """pdfplumber's ``page.objects`` for one page ({"char": […], "line": […]}), or None.

    ``height`` is pdfplumber's page height: a page whose media box PDFium reads otherwise is left to it."""
    import pypdfium2.raw as raw

    page = document[index]
    try:
        left, bottom, right, top = page.get_mediabox()
        if raw.FPDFPage_GetRotation(page.raw) or left or bottom:
            return None
        height_here = top - bottom
        if height is not None and abs(height_here - height) > 0.01:
            return None
        height = height_here
        lines = _lines(raw, page.raw, height, page_number, doctop)
        if lines is None:
            return None
        chars = _chars(raw, page, height, page_number, doctop)
        if chars is None:
            return None
    finally:
        page.close()
    objects: dict[str, list[dict]] = {}
    if chars:
        objects["char"] = chars
    if lines:
        objects["line"] = lines
    return objects


def _chars(raw: Any, page: Any, height: float, page_number: int, doctop: float) -> list[dict] | None:
    """The page's characters; None when one is rotated, skewed or mirrored (pdfplumber's line building
    needs upright characters).  The size is the font size times the text matrix's scale ("/F1 1 Tf"
    with "11 0 0 11 x y Tm" is 11 points, as pdfminer has it); the box sits on the baseline."""
    textpage = page.get_textpage()
    try:
        tp = textpage.raw
        box, matrix = raw.FS_RECTF(), raw.FS_MATRIX()
        x, y = ctypes.c_double(), ctypes.c_double()
        out = []
        for i in range(raw.FPDFText_CountChars(tp)):
            code = raw.FPDFText_GetUnicode(tp, i)
            if code == 2:  # PDFium's mark for a hyphen that ends a line: the hyphen as printed
                code = 0x2D
            if code in (0, 0xFFFE, 0xFFFF, 10, 13) or 0xD800 <= code <= 0xDFFF:
                continue
            if code == 32 and raw.FPDFText_IsGenerated(tp, i):
                continue  # a space PDFium put between words: pdfplumber finds the gaps itself
            raw.FPDFText_GetMatrix(tp, i, matrix)
            if matrix.b or matrix.c or matrix.a <= 0 or matrix.d <= 0:
                return None
            size = raw.FPDFText_GetFontSize(tp, i) * matrix.d
            raw.FPDFText_GetCharOrigin(tp, i, x, y)
            raw.FPDFText_GetLooseCharBox(tp, i, box)
            x0, y0 = round(x.value, _ROUND), round(y.value, _ROUND)
            x1, base = round(max(box.right, x.value), _ROUND), round(height - y.value, _ROUND)
            top = round(base - size, _ROUND)
            out.append({
                "text": chr(code), "fontname": "", "size": size, "adv": x1 - x0, "upright": True,
                "matrix": (1, 0, 0, 1, x0, y0), "x0": x0, "x1": x1, "y0": y0, "y1": y0 + size,
                "width": x1 - x0, "height": size, "top": top, "bottom": base, "doctop": doctop + top,
                "object_type": "char", "page_number": page_number,
                "stroking_color": (0,), "non_stroking_color": (0,), "mcid": None, "tag": None,
            })
        return out
    finally:
        textpage.close()


def _lines(raw: Any, page: Any, height: float, page_number: int, doctop: float) -> list[dict] | None:
    """Every horizontal or vertical straight segment of the page's paths; None when the page has
    form objects (their contents sit in another coordinate space)."""
    out = []
    matrix = raw.FS_MATRIX()
    px, py = ctypes.c_float(), ctypes.c_float()
    for n in range(raw.FPDFPage_CountObjects(page)):
        obj = raw.FPDFPage_GetObject(page, n)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_FORM:
            return None
        if kind != raw.FPDF_PAGEOBJ_PATH or not raw.FPDFPageObj_GetMatrix(obj, matrix):
            continue
        a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
        start = previous = None
        for s in range(raw.FPDFPath_CountSegments(obj)):
            segment = raw.FPDFPath_GetPathSegment(obj, s)
            raw.FPDFPathSegment_GetPoint(segment, px, py)
            point = (_r(a * px.value + c * py.value + e), _r(b * px.value + d * py.value + f))
            kind = raw.FPDFPathSegment_GetType(segment)
            if kind == raw.FPDF_SEGMENT_MOVETO:
                start = previous = point
                continue
            if kind == raw.FPDF_SEGMENT_LINETO and previous is not None:
                _segment(out, previous, point, height, page_number, doctop)
            previous = point
            if raw.FPDFPathSegment_GetClose(segment) and start is not None:
                _segment(out, point, start, height, page_number, doctop)
                previous = start
    return out


def _segment(out: list[dict], p0: tuple[float, float], p1: tuple[float, float], height: float,
             page_number: int, doctop: float) -> None:
    if p0 == p1 or (p0[0] != p1[0] and p0[1] != p1[1]):
        return  # a point, or a slanted segment: no table ruling
    x0, x1 = min(p0[0], p1[0]), max(p0[0], p1[0])
    y0, y1 = min(p0[1], p1[1]), max(p0[1], p1[1])
    top = _r(height - y1)
    out.append({"x0": x0, "x1": x1, "y0": y0, "y1": y1, "width": _r(x1 - x0), "height": _r(y1 - y0),
                "top": top, "bottom": _r(height - y0), "doctop": doctop + top, "object_type": "line",
                "page_number": page_number, "linewidth": 0.5, "stroke": True, "fill": False,
                "pts": [(p0[0], _r(height - p0[1])), (p1[0], _r(height - p1[1]))]})

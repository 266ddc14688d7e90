"""Text-based PDF → the chapter's paragraphs and the disclosure's tables (pdfplumber on PDFium's objects).

pdfplumber builds the lines and finds the ruled tables; the tables' rows go —
with the lines between them, in reading order — to the same grid reader the
Word and Excel readers use (:func:`narrate.loaders.grid.figures_from_blocks`:
tables found by title and header).  pdfplumber's own page parser (pdfminer.six,
pure Python) took some 90% of the time, so each page's characters and ruling
lines are read by PDFium instead (:mod:`narrate.linting.pdfium`) and handed to
pdfplumber as its parsed objects: the same rows and paragraphs, several times
faster (benchmarks/bench_lint.py).  PDFium's own text is not used — it moves the
quotes of “三公” to the end of the line and inserts spaces.

Paragraphs are rebuilt from lines: a line ends its paragraph when it stops
short of the right margin, or when the next line is a heading.  Page numbers
("— 3 —", "3") and lines inside tables are left out of the text.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import FiguresError, Problem
from ..limits import LIMITS
from .read import Chapter, heading_level, paragraphs_from

_PAGE_NUMBER = re.compile(r"^[—\-–\s第页]*\d{1,4}[—\-–\s页]*$")


def _inside(obj: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _open(path: Path) -> Any:
    try:
        import pdfplumber
    except ImportError:  # pragma: no cover - pdfplumber is a dependency
        raise FiguresError(str(path), [Problem("读取 PDF 需要 pdfplumber", expected="pip install pdfplumber")]) from None
    try:
        return pdfplumber.open(str(path))
    except Exception as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise FiguresError(str(path), [Problem(f"无法读取 PDF：{detail}",
                                               expected="文字版 PDF（由 Word/WPS 导出，不是扫描件）")]) from None


def read_pdf(path: str | Path, pdfium: bool = True) -> Chapter:
    """The chapter's paragraphs (and the tables' rows, for :func:`load_pdf_tables`).

    With ``pdfium`` (the default) each page's characters and ruling lines are read by PDFium
    (:mod:`narrate.linting.pdfium`) and pdfplumber works on those; ``pdfium=False`` lets pdfminer
    parse every page (the same result, some ten times slower)."""
    from . import pdfium as fast

    path = Path(path)
    lines: list[dict] = []  # {"text", "x0", "x1", "size", "page"}
    rows: list[list[Any]] = []
    origins: list[tuple] = []
    tables = 0
    document = fast.open_document(str(path)) if pdfium else None
    with _open(path) as pdf:
        try:
            pages = list(pdf.pages)
            if len(pages) > LIMITS.max_pdf_pages:
                raise FiguresError(str(path), [Problem(
                    f"PDF 页数过多（{len(pages)} 页，上限 {LIMITS.max_pdf_pages} 页）",
                    expected="真实的决算公开文件远少于此；确需更多时设置环境变量 NARRATE_MAX_PDF_PAGES")])
            for page_no, page in enumerate(pages, start=1):
                if document is not None:
                    objects = fast.page_objects(document, page_no - 1, page_no, page.initial_doctop, page.height)
                    if objects is not None:
                        page._objects = objects  # pdfplumber's cache of the parsed page
                found = page.find_tables()
                boxes = [t.bbox for t in found]
                items: list[tuple[float, int, Any]] = []
                for t in found:
                    tables += 1
                    items.append((t.bbox[1], 1, (tables, t.extract())))
                text_page = page.filter(lambda obj: not _inside(obj, boxes)) if boxes else page
                for line in text_page.extract_text_lines():
                    text = line["text"].strip()
                    if not text or _PAGE_NUMBER.match(text):
                        continue
                    items.append((line["top"], 0, {"text": text, "x0": line["x0"], "x1": line["x1"],
                                                   "top": line["top"], "bottom": line["bottom"],
                                                   "size": line["bottom"] - line["top"], "page": page_no}))
                for n, (_, kind, payload) in enumerate(sorted(items, key=lambda item: (item[0], item[1]))):
                    if kind == 0:
                        lines.append(payload)
                        rows.append([payload["text"]])
                        origins.append(("p", len(lines)))
                    else:
                        number, cells = payload
                        cells = [[None if v is None else v.replace("\n", "") for v in row] for row in cells]
                        if _continued(rows, origins, cells, n == 0):
                            rows[-1] = [(a or "") + (b or "") or None for a, b in zip(rows[-1], cells.pop(0))]
                        for r, row in enumerate(cells, start=1):
                            rows.append(row)
                            origins.append(("t", number, r))
        except FiguresError:
            raise
        except Exception as exc:
            raise FiguresError(str(path), [Problem(f"无法读取 PDF：{exc}",
                                                   expected="文字版 PDF（由 Word/WPS 导出，不是扫描件）")]) from None
        finally:
            if document is not None:
                document.close()
    lines = _without_running_lines(lines, len(pages))
    if not lines:
        raise FiguresError(str(path), [Problem("PDF 中没有文字（可能是扫描件）", expected="文字版 PDF")])
    return Chapter(str(path), paragraphs_from(_paragraphs(lines), str(path)), "pdf", has_tables=tables > 0,
                   grid=(rows, origins))


def _without_running_lines(lines: list[dict], pages: int) -> list[dict]:
    """Lines printed on most pages (running headers and footers: the unit's name, "仅供内部审核")."""
    if pages < 3:
        return lines
    seen: dict[str, set[int]] = {}
    for line in lines:
        seen.setdefault(line["text"], set()).add(line["page"])
    running = {text for text, on in seen.items() if len(on) > pages / 2}
    return [line for line in lines if line["text"] not in running]


def _paragraphs(lines: list[dict]) -> list[tuple[str, bool | None, int]]:
    """Lines → paragraphs.  A new paragraph starts at a heading, after a heading, after a wider gap
    than between the lines of a paragraph (spacing after), at a first-line indent, or after a line
    that stops short of the right margin on a sentence mark (。：；)."""
    right = max(line["x1"] for line in lines)
    left = min(line["x0"] for line in lines)
    gaps: dict[int, float] = {}
    for a, b in zip(lines, lines[1:]):
        if a["page"] == b["page"]:
            gaps[a["page"]] = min(gaps.get(a["page"], 1e9), b["top"] - a["bottom"])
    out: list[tuple[str, bool | None, int]] = []
    current = ""
    for i, line in enumerate(lines):
        current += line["text"]
        size = max(line["size"], 1.0)
        if i + 1 == len(lines):
            out.append((current, None, len(out)))
            break
        after = lines[i + 1]
        same_page = after["page"] == line["page"]
        ends = (
            heading_level(current) is not None
            or heading_level(after["text"]) is not None
            or (same_page and after["top"] - line["bottom"] > gaps[line["page"]] + size / 2)
            or after["x0"] > left + size
            or (line["x1"] < right - 1.5 * size and current[-1] in "。：；:;！？")
        )
        if ends:
            out.append((current, None, len(out)))
            current = ""
    return out


_NUMERIC = re.compile(r"^[-−]?[\d,]+(?:\.\d+)?$")
_HEADER_WORDS = re.compile(r"科目|项目|行次|栏次|金额|预算数|决算数|合计|小计|说明|字段")


def _continued(rows: list[list[Any]], origins: list[tuple], cells: list[list[Any]], first_on_page: bool) -> bool:
    """Whether a table's first row continues the row before it (a row broken across pages).

    The previous page ended with a table of as many columns; this row holds no number and no header
    word, and leaves blank a cell the row before has filled (its numbers stayed on the first page)."""
    if not (first_on_page and rows and origins[-1][0] == "t" and cells and len(cells[0]) == len(rows[-1])):
        return False
    row, before = cells[0], rows[-1]
    texts = [(v or "").strip() for v in row]
    if not any(texts) or any(_NUMERIC.match(t) for t in texts) or any(_HEADER_WORDS.search(t) for t in texts):
        return False
    return any(not t and (b or "").strip() for t, b in zip(texts, before))


def load_pdf_tables(path: str | Path, chapter: Chapter | None = None, profile: str | None = None) -> Any:
    """The disclosure's ten tables read from its PDF → :class:`Figures` (as the Word reader does)."""
    from ..loaders.grid import Block, figures_from_blocks

    path = Path(path)
    chapter = chapter if chapter is not None and chapter.grid is not None else read_pdf(path)
    rows, origins = chapter.grid
    return figures_from_blocks([Block(path.name, rows, kind="document", origins=origins)], str(path),
                               kind="PDF 文档", profile=profile)

"""``narrate lint`` (:func:`narrate.lint`): check a written 情况说明 chapter — its numbers, words and sections.

    report = narrate.lint("情况说明.docx", figures="我的单位.xlsx")
    print(report.to_text())          # Chinese; report.as_dict() for JSON

``text_or_path`` is a file (.docx, .md, .txt, .pdf — a chapter alone or a whole
disclosure) or the chapter's text itself.  ``figures`` is anything
:func:`narrate.load` reads, or :class:`~narrate.model.Figures`; a whole
disclosure in Word or PDF brings its own tables.  Without figures only the
self-consistency checks run (:mod:`narrate.linting.selfcheck`); with them every
number narrate would print is compared with its table figure
(:mod:`narrate.linting.verify`).  See docs/lint.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .files import read_path
from .read import Chapter, read_text
from .report import Finding, LintReport

__all__ = ["lint", "LintReport", "Finding", "read_chapter", "detect_profile"]


def read_chapter(text_or_path: str | Path) -> Chapter:
    """A path (str or Path naming an existing file or ending in a known suffix) or the text itself."""
    from .read import SUFFIXES

    if isinstance(text_or_path, Path):
        return read_path(text_or_path)
    if "\n" not in text_or_path and len(text_or_path) < 4096 and (
            Path(text_or_path).suffix.lower() in SUFFIXES or Path(text_or_path).exists()):
        return read_path(text_or_path)
    return read_text(text_or_path)


def detect_profile(chapter: Chapter) -> str:
    """The bundled profile whose section titles the chapter's headings match best (default on a tie)."""
    from ..rendering import bundled_profiles, load_profile
    from .verify import required_sections, section_key

    have = {section_key(p.text) for p in chapter.paragraphs if p.heading}
    scores = []
    for name in bundled_profiles():
        titles = {section_key(t) for t in required_sections(None, load_profile(name))}
        scores.append((len(titles & have), name == "default", name))
    return max(scores)[2] if scores else "default"


def _figures(figures: Any, chapter: Chapter, source_path: Path | None,
             profile: str | None) -> tuple[Any, str, Finding | None]:
    """(Figures or None, where they came from, a note when the disclosure's own tables cannot be read)."""
    from ..errors import FiguresError
    from ..loaders import load
    from ..model import Figures

    if isinstance(figures, Figures):
        return figures, "所给数据", None
    if figures is not None:
        return load(figures, profile), str(figures), None
    if source_path is not None and chapter.has_tables:
        try:
            if chapter.kind == "pdf":
                from .pdf import load_pdf_tables

                return load_pdf_tables(source_path, chapter, profile), f"{source_path.name} 中的公开表", None
            return load(source_path, profile), f"{source_path.name} 中的公开表", None
        except FiguresError as exc:
            problems = "；".join(p.describe() for p in exc.problems[:3])
            return None, "", Finding("info", "公开表", f"未能从文件中读出公开表，只做文字自身的核对：{problems}", 0)
    return None, "", None


def _tables_consistent(text: Any, figures: Any, facts: Any, profile: str) -> None:
    """A warning when the tables themselves break 勾稽 rules: the comparisons then rest on them."""
    from ..rules import check

    errors = check(figures, profile=profile, facts=facts).errors
    if errors:
        text.add("warning", "公开表", f"公开表本身有 {len(errors)} 处勾稽错误（如：{errors[0].message}），"
                 "文中数字按表中所列核对；请先用 narrate check 核对公开表", 0)


def lint(text_or_path: str | Path, figures: Any = None, profile: str | None = None) -> LintReport:
    """Check a chapter against itself and, given figures (or a whole disclosure), against its tables.

    Raises :class:`narrate.FiguresError` when the chapter or the figures cannot be read,
    :class:`narrate.TemplateError` for an unknown ``profile``.
    """
    from ..computation import compute
    from ..rendering import load_profile, render
    from . import selfcheck, verify
    from ..style import using
    from .text import Text

    chapter = read_chapter(text_or_path)
    if not chapter.paragraphs:
        from ..errors import FiguresError, Problem

        raise FiguresError(chapter.source, [Problem("没有找到任何文字", expected="情况说明的文字（或含情况说明的决算公开文件）")])
    source_path = Path(chapter.source) if chapter.source != "<文字>" else None
    loaded, tables, note = _figures(figures, chapter, source_path, profile or detect_profile(chapter))
    document = None
    if loaded is not None:
        facts = compute(loaded)
        chosen = profile or facts.profile or detect_profile(chapter)
        document = render(facts, profile=chosen)
    else:
        chosen = profile or detect_profile(chapter)
    text = Text.of(chapter)
    report = LintReport(chapter.source, load_profile(chosen).name, paragraphs=len(chapter.paragraphs),
                        tables=tables)
    if note is not None:
        text.findings.append(note)
    layout = load_profile(chosen).style  # the profile's (and the unit's) number conventions
    if loaded is not None and loaded.style is not None:
        layout = layout.overridden(loaded.style.numbers, loaded.style.wording)
    with using(layout):
        if document is not None:
            _tables_consistent(text, loaded, facts, chosen)
            unknown = frozenset()
            if figures is None:  # the disclosure's own tables: a table its layout does not publish holds nothing
                from ..model import Tables

                unknown = frozenset((Tables.model_fields[key].title or key).split()[0]
                                    for key in load_profile(chosen).style.absent_tables)
            report.verified = verify.check(text, document, loaded, unknown)
        selfcheck.check(text)
    verify.missing_sections(text, verify.required_sections(document, load_profile(chosen)))
    if text.truncated:
        from ..limits import LIMITS

        text.findings.append(Finding("info", "问题过多", f"只列出前 {LIMITS.max_lint_findings} 处问题"
                                     "（环境变量 NARRATE_MAX_LINT_FINDINGS 可调）", 0))
    report.claims = sum(len(c) for c in text.claims.values())
    report.findings = text.findings
    report.sort()
    return report


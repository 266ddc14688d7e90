"""The chapter as the checks see it: paragraphs, their claims, and how to make a finding."""

from __future__ import annotations

from dataclasses import dataclass, field

from .claims import Claim, extract
from .read import Chapter, Paragraph
from .report import Finding, Severity, mark


@dataclass
class Text:
    chapter: Chapter
    claims: dict[int, list[Claim]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    judged: set[tuple[int, int]] = field(default_factory=set)
    """Claims compared with a table figure (paragraph, start): self-consistency leaves them alone."""
    wrong: set[tuple[int, int]] = field(default_factory=set)
    """Claims found wrong against the tables: arithmetic over them is not reported again."""
    truncated: bool = False
    """More findings than ``NARRATE_MAX_LINT_FINDINGS``: the rest were not kept."""

    @classmethod
    def of(cls, chapter: Chapter) -> "Text":
        text = cls(chapter)
        for p in chapter.paragraphs:
            text.claims[p.number] = [] if p.heading else extract(p.number, p.text)
        return text

    @property
    def paragraphs(self) -> list[Paragraph]:
        return self.chapter.paragraphs

    def paragraph(self, number: int) -> Paragraph:
        return self.chapter.paragraphs[number - 1]

    def all_claims(self) -> list[Claim]:
        return [c for p in self.paragraphs for c in self.claims[p.number]]

    def add(self, severity: Severity, category: str, message: str, paragraph: int, start: int = -1,
            end: int = -1, found: str = "", expected: str = "", formula: str = "",
            sources: tuple[str, ...] = ()) -> None:
        from ..limits import LIMITS

        if len(self.findings) >= LIMITS.max_lint_findings:
            self.truncated = True
            return
        p = self.paragraph(paragraph) if paragraph else None
        self.findings.append(Finding(
            severity, category, message, paragraph, p.section if p else "",
            mark(p.text, start, end) if p else "", found, expected, formula, sources, start, end))

    def add_at(self, claim: Claim, severity: Severity, category: str, message: str, found: str = "",
               expected: str = "", formula: str = "", sources: tuple[str, ...] = ()) -> None:
        end = claim.end + len(claim.unit) if claim.unit in ("%", "％") else claim.end
        self.add(severity, category, message, claim.paragraph, claim.start, end,
                 found or claim.text + claim.unit, expected, formula, sources)

    def add_word(self, claim: Claim, severity: Severity, category: str, message: str, expected: str,
                 formula: str = "", sources: tuple[str, ...] = ()) -> None:
        """A finding on the direction word printed right before ``claim`` (增加, 下降 …)."""
        start = claim.start - len(claim.direction)
        self.add(severity, category, message, claim.paragraph, start, claim.start, claim.direction,
                 expected, formula, sources)

    def key(self, claim: Claim) -> tuple[int, int]:
        return (claim.paragraph, claim.start)

    def settled(self, *claims: Claim) -> bool:
        """Whether the tables already judged the first claim, or found any of them wrong."""
        return bool(claims) and (self.key(claims[0]) in self.judged
                                 or any(self.key(c) in self.wrong for c in claims))

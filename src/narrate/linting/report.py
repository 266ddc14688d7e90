"""Findings and the lint report: Chinese text, JSON, exit status."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]
SEVERITY_TITLE = {"error": "错误", "warning": "警告", "info": "尾数"}
TAIL_CATEGORIES = ("金额", "合计")  # an info finding of these is a rounding tail (尾数); others are notes (提示)
_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Finding:
    """One thing wrong (or a rounding tail) in the chapter."""

    severity: Severity
    category: str
    """占比 / 增长率 / 完成率 / 增减额 / 金额 / 个数 / 百分号 / 小数位 / 方向 / 标签 / 合计 / 强制凑百 / 模板残留 / 缺少章节."""
    message: str
    paragraph: int
    """1-based paragraph number (0: the whole chapter)."""
    section: str = ""
    sentence: str = ""
    """The sentence, with the finding's span marked 【…】."""
    found: str = ""
    expected: str = ""
    formula: str = ""
    sources: tuple[str, ...] = ()
    start: int = -1
    """The span in the paragraph text (-1: no span)."""
    end: int = -1

    @property
    def title(self) -> str:
        """错误 / 警告 / 尾数 (a rounding tail) / 提示 (another note)."""
        if self.severity == "info" and self.category not in TAIL_CATEGORIES:
            return "提示"
        return SEVERITY_TITLE[self.severity]

    def describe(self) -> str:
        where = f"第 {self.paragraph} 段" if self.paragraph else "全文"
        if self.section:
            where += f"（{self.section}）"
        lines = [f"[{self.title}·{self.category}] {where}：{self.message}"]
        if self.sentence:
            lines.append(f"    原文：{self.sentence}")
        if self.found or (self.expected and self.expected not in self.message):
            lines.append(f"    实际：{self.found or '（无）'}　应为：{self.expected or '（无）'}")
        if self.formula:
            lines.append(f"    计算：{self.formula}")
        if self.sources:
            lines.append(f"    来源：{'；'.join(self.sources)}")
        return "\n".join(lines)


@dataclass
class LintReport:
    """What ``narrate lint`` found in one chapter."""

    source: str
    profile: str = ""
    findings: list[Finding] = field(default_factory=list)
    paragraphs: int = 0
    claims: int = 0
    verified: int = 0
    """Claims compared with a table figure (narrate's fact)."""
    tables: str = ""
    """Where the table figures came from ("" when none: self-consistency checks only)."""

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def notes(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "info"]

    @property
    def ok(self) -> bool:
        """No error-level finding."""
        return not self.errors

    @property
    def clean(self) -> bool:
        """No error and no warning."""
        return not self.errors and not self.warnings

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def sort(self) -> None:
        self.findings.sort(key=lambda f: (f.paragraph, f.start, _ORDER[f.severity]))

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.source,
            "profile": self.profile,
            "tables": self.tables,
            "ok": self.ok,
            "counts": {"error": len(self.errors), "warning": len(self.warnings), "info": len(self.notes)},
            "paragraphs": self.paragraphs,
            "claims": self.claims,
            "verified": self.verified,
            "findings": [{**asdict(f), "sources": list(f.sources)} for f in self.findings],
        }

    def to_text(self) -> str:
        counts = f"错误 {len(self.errors)} 处，警告 {len(self.warnings)} 处，尾数 {len(self.notes)} 处"
        basis = f"对照 {self.tables}" if self.tables else "未提供公开表，只做文字自身的核对"
        head = (f"{self.source}：{'未发现错误' if self.ok else '发现错误'}（{counts}）\n"
                f"  版式 {self.profile or '未识别'}；{self.paragraphs} 段，{self.claims} 个数字，"
                f"其中 {self.verified} 个与表中数字逐一核对；{basis}")
        return "\n".join([head] + [f.describe() for f in self.findings]) + "\n"


def mark(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` holding ``start``–``end``, with that span marked 【…】."""
    if start < 0:
        return _sentence(text, 0, len(text))
    return _sentence(text[:start] + "【" + text[start:end] + "】" + text[end:], start, end + 2)


def _sentence(text: str, start: int, end: int) -> str:
    left = max((text.rfind(c, 0, start) for c in "。；"), default=-1) + 1
    rights = [i for i in (text.find(c, end) for c in "。；") if i >= 0]
    right = min(rights) + 1 if rights else len(text)
    sentence = text[left:right].strip()
    if len(sentence) > 160:  # a very long sentence: the part around the span
        offset = max(0, start - left - 60)
        sentence = ("…" if offset else "") + sentence[offset:offset + 150] + "…"
    return sentence

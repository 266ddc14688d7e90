"""One session's work: the figures it opened, the reasons typed in, and what the library makes of them.

Every step calls the library as the CLI does (``load`` → ``check`` → ``compute`` → ``render``;
``to_bytes``, ``insertion``, ``lint``, ``review_bytes``, ``dump`` and the workbook writer of
``narrate convert``).  What the browser types goes into the figures' plain data (as
``narrate.dump`` writes it) at a field path the check itself named, and the figures are
validated again with ``figures_from_data`` — the web layer adds no rule of its own.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import narrate
from narrate.errors import FiguresError, TemplateError

# The field paths a finding asks for ("请填写 general_budget.functions.208.change_reason",
# "未填 general_budget.functions.208.uses（…）"); the texts the web page lets one type in.
_PATH = re.compile(r"[a-z_]+(?:\.[A-Za-z0-9_\u4e00-\u9fff]+)+")
TEXT_FIELDS = {"change_reason": "变动原因", "budget_reason": "决算与预算差异原因", "uses": "主要用于"}
MAX_TEXT = 2000  # characters of one typed reason
FIGURE_SUFFIXES = (".xlsx", ".docx", ".yaml", ".yml", ".json", ".toml")
RULES_FAILED = "公开表核对未通过，未生成文档；请按左侧的错误修改数据后重试"


class WebError(Exception):
    """A message for the page (Chinese, no traceback)."""


@dataclass
class Field:
    """A text the check asks for: where it goes, why, and which paragraph it changes."""

    path: str
    finding: str
    label: str
    block: int | None = None


@dataclass
class Workspace:
    source: str
    base: dict[str, Any]
    profile: str | None = None
    texts: dict[str, str] = field(default_factory=dict)
    versions: dict[str, float] = field(default_factory=dict)
    """The page's version of each typed text: an older request arriving late does not undo a newer one."""
    fields: list[Field] = field(default_factory=list)
    figures: Any = None
    facts: Any = None
    report: Any = None
    document: Any = None
    error: str = ""
    """A FiguresError from the typed texts (the figures stay as before)."""

    # ------------------------------------------------------------ building
    @classmethod
    def open(cls, path: Path, display: str, profile: str | None) -> "Workspace":
        """Load a figures file (a session's upload or a bundled example) and check and render it."""
        from narrate.dump import figures_data

        figures = call(narrate.load, path, shown=(str(path), display))
        space = cls(source=display, base=figures_data(figures), profile=profile or None)
        space._build(figures)
        space.fields = space._find_fields()
        return space

    def data(self) -> dict[str, Any]:
        """The figures' plain data with the typed texts in place."""
        data = copy.deepcopy(self.base)
        for path, text in self.texts.items():
            _put(data, path, text)
        return data

    def _build(self, figures: Any) -> None:
        layout = self.profile
        facts = call(narrate.compute, figures)
        report = call(lambda: narrate.check(figures, profile=layout, facts=facts))
        document = call(lambda: narrate.render(facts, profile=layout))
        self.figures, self.facts, self.report, self.document = figures, facts, report, document

    def rebuild(self) -> None:
        try:
            figures = narrate.figures_from_data(self.data(), source=self.source)
        except FiguresError as exc:
            self.error = str(exc)
            return
        self.error = ""
        self._build(figures)

    def set_profile(self, profile: str | None) -> None:
        old = self.profile
        self.profile = profile or None
        try:
            self.rebuild()
        except WebError:
            self.profile = old
            raise
        self.fields = self._find_fields()

    def set_text(self, path: str, text: str, version: float | None = None) -> None:
        if path not in {f.path for f in self.fields}:
            raise WebError(f"没有可填写的字段 {path}")
        if len(text) > MAX_TEXT:
            raise WebError(f"填写的文字过长（{len(text)} 字），每项最多 {MAX_TEXT} 字")
        if version is not None:
            if version <= self.versions.get(path, float("-inf")):
                return
            self.versions[path] = version
        text = text.strip()
        if text:
            self.texts[path] = text
        else:
            self.texts.pop(path, None)
        self.rebuild()

    # ------------------------------------------------------------ fields to fill
    def _find_fields(self) -> list[Field]:
        """The findings that ask for a text, each with the paragraph the text would go in.

        The paragraph is found by rendering once with a marker in every such field and seeing
        where each marker lands (the templates decide where a reason goes, not this code)."""
        found: dict[str, Field] = {f.path: f for f in self.fields}
        for finding in self.report.findings:
            match = _PATH.search(finding.message)
            if not match or match.group().rsplit(".", 1)[-1] not in TEXT_FIELDS:
                continue
            if finding.category not in ("需说明原因", "缺少数据"):
                continue
            path = match.group()
            found.setdefault(path, Field(path, finding.message, TEXT_FIELDS[path.rsplit(".", 1)[-1]]))
        fields = list(found.values())
        data = self.data()
        for n, item in enumerate(fields):
            _put(data, item.path, f"⟦{n}⟧")
        try:
            marked = narrate.render(narrate.compute(narrate.figures_from_data(data)), profile=self.profile)
        except (FiguresError, TemplateError):
            return fields
        for n, item in enumerate(fields):
            item.block = next((i for i, b in enumerate(marked.blocks) if f"⟦{n}⟧" in b.text), None)
            if item.block is not None and len(marked.blocks) != len(self.document.blocks):
                item.block = None  # a marker added a paragraph: indices differ from the page's
        return fields

    def block_of(self, finding: Any) -> int | None:
        """The paragraph a finding's text field goes into (None when not known)."""
        match = _PATH.search(finding.message)
        blocks = {f.path: f.block for f in self.fields}
        return blocks.get(match.group()) if match else None

    # ------------------------------------------------------------ downloads
    def chapter(self, fmt: str, review: bool = False) -> bytes:
        self._refuse_rule_errors()
        return call(lambda: narrate.to_bytes(self.document, fmt, review=review) if fmt == "docx"
                    else narrate.to_bytes(self.document, fmt))

    def into(self, target: Path, display: str, review: bool) -> tuple[bytes, int]:
        from narrate.writers.docx_into import insertion

        self._refuse_rule_errors()
        done = call(lambda: insertion(self.document, target, review=review), shown=(str(target), display))
        return done.data, done.paragraphs

    def figures_file(self, fmt: str, scratch: Path) -> bytes:
        """The figures with the typed texts, as the workbook of ``narrate convert -o x.xlsx`` or YAML."""
        if fmt == "yaml":
            from narrate.dump import dumps

            return dumps(self.figures, "yaml").encode("utf-8")
        from narrate.rendering import absent_tables
        from narrate.writers.workbook import write_workbook

        absent = absent_tables(self.profile or self.figures.profile)
        call(write_workbook, scratch, self.figures, absent)  # as `narrate convert … -o x.xlsx`
        return scratch.read_bytes()

    def _refuse_rule_errors(self) -> None:
        if self.error:
            raise WebError(self.error)
        if not self.report.ok:
            raise WebError(RULES_FAILED)


def _put(data: dict[str, Any], path: str, text: str) -> None:
    """Set (or with "" remove) the text at a dotted field path of plain data."""
    *parents, last = path.split(".")
    node = data
    for key in parents:
        child = node.get(key)
        if child is None:
            child = node[key] = {}
        if not isinstance(child, dict):
            raise WebError(f"字段 {path} 无法填写")
        node = child
    if text:
        node[last] = text
    else:
        node.pop(last, None)


def call(function: Any, *args: Any, shown: tuple[str, str] | None = None) -> Any:
    """Run a library call; its input errors become a :class:`WebError` with the same Chinese message
    (the temporary file's path replaced by the name the user gave it)."""
    try:
        return function(*args)
    except (FiguresError, TemplateError, ValueError) as exc:
        message = str(exc)
        if shown:
            message = message.replace(shown[0], shown[1])
        raise WebError(message) from None


def lint_file(path: Path, display: str, figures: Any, profile: str | None) -> Any:
    """``narrate lint`` of an uploaded chapter (against ``figures`` when given)."""
    return call(lambda: narrate.lint(path, figures=figures, profile=profile), shown=(str(path), display))


def lint_review(path: Path, display: str, report: Any) -> bytes:
    """The uploaded Word file with a comment at each finding (``narrate lint --review``)."""
    from narrate.linting.review import review_bytes

    return call(review_bytes, path, report, shown=(str(path), display))

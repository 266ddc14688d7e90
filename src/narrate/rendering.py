"""Facts → Document through a profile's Jinja2 templates.

A *profile* is a folder with ``profile.yaml`` (parts, sections, their order and
titles, numbering), one template per section and ``terms.yaml`` (名词解释).
Templates run in Jinja2's sandbox with :class:`~jinja2.StrictUndefined`: a
missing variable is an error, never an empty string.  A folder given as
``templates=`` is searched before the profile, so a unit can override one
section by putting a file of the same name there.

Template source conventions: a blank line in the template source ends a
paragraph; every other line break is joined without a space (Chinese needs
none), so a long sentence can be spread over several template lines and
``{% if %}`` lines leave no trace.  (A blank line produced by an empty
expression does not end a paragraph: only blank lines written in the source do.)  Numbers must be
printed through the filters ``wan`` (amount + 万元), ``amount``, ``pct`` and
``count``: they take a :class:`~narrate.facts.Fact`, format it (see
:mod:`narrate.numbers`) and tag it so the document knows which fact each
printed number came from.
"""

from __future__ import annotations

import re
from contextlib import nullcontext
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, Mapping

from .budget import Picker, Policy
from .computation import Facts, Record
from .document import Block, Document, Number
from .errors import TemplateError
from .facts import Fact, merged_share
from .numbers import format_amount, format_count, format_operand, format_rate
from .style import DEFAULT_STYLE, Style, StyleView, current, using

_OPEN, _SEP, _CLOSE = "\ue000", "\ue001", "\ue002"
_MARK = re.compile(f"{_OPEN}([^{_SEP}]*){_SEP}([^{_CLOSE}]*){_CLOSE}")
_PARAGRAPH = "\ue003"  # stands for a blank source line (see _ParagraphBreaks)

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"
SOURCE_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
CN_DIGITS = "零一二三四五六七八九"


def templates_root() -> Path:
    """The folder holding the bundled profiles (``zh/<profile>``)."""
    return PACKAGE_TEMPLATES if PACKAGE_TEMPLATES.is_dir() else SOURCE_TEMPLATES


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (numbering of headings and terms)."""
    if not 0 < n < 100:
        raise ValueError(f"numbering supports 1–99, got {n}")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN_DIGITS[tens] + "十")
    return head + (CN_DIGITS[ones] if ones else "")


# ---------------------------------------------------------------- filters
_KIND_NAMES = {"amount": "金额", "rate": "比率", "count": "个数"}


def _fact(value: Any, filter_name: str, kind: str) -> Fact:
    if not isinstance(value, Fact):
        raise TypeError(
            f"过滤器 {filter_name} 需要一个数字事实（Fact），实际为 {value!r}；"
            "缺少的表外数据请用 {% if … %} 判断后再输出"
        )
    if value.kind != kind:
        raise TypeError(
            f"过滤器 {filter_name} 用于{_KIND_NAMES[kind]}，而 {value.key} 是{_KIND_NAMES[value.kind]}"
        )
    return value


def _mark(fact: Fact, text: str) -> str:
    return f"{_OPEN}{fact.key}{_SEP}{text}{_CLOSE}"


def filter_amount(value: Any, name: str = "amount") -> str:
    fact = _fact(value, name, "amount")
    return _mark(fact, format_amount(fact.value, current().numbers))


def filter_wan(value: Any) -> str:
    return filter_amount(value, "wan") + "万元"


def filter_pct(value: Any) -> str:
    fact = _fact(value, "pct", "rate")
    return _mark(fact, format_rate(fact.value, current().numbers, fact.exact))


def filter_count(value: Any) -> str:
    fact = _fact(value, "count", "count")
    return _mark(fact, format_count(int(fact.value)))


FILTERS = {
    "amount": filter_amount,
    "wan": filter_wan,
    "pct": filter_pct,
    "count": filter_count,
    "cn": chinese_numeral,
}


# ---------------------------------------------------------------- profiles
@dataclass(frozen=True)
class Section:
    title: str
    template: str | None
    sections: tuple["Section", ...]
    when: str | None
    key: str = ""
    """Where the section is in profile.yaml (``parts[0].sections[2]``), for messages."""


@dataclass(frozen=True)
class Profile:
    name: str
    folder: Path
    numbering: tuple[str, ...]
    parts: tuple[Section, ...]
    terms_file: str | None
    example: str | None = None
    """File name of the profile's bundled example figures (``narrate demo --profile``)."""
    reasons: frozenset[str] = frozenset({"change", "budget"})
    """Which differences the layout explains: "change" (较上年), "budget" (决算与年初预算)."""
    detail_level: str = "类"
    """The 功能科目 level of 五（三）具体情况: "类", "款" or "项"."""
    detail_prior: bool = True
    """Whether 五（三）compares each 科目 with 上年 (needs its prior_year)."""
    three_public_items: tuple[str, ...] = ("overseas", "vehicle_purchase", "vehicle_operation", "reception")
    """The “三公” items the layout explains one by one ("vehicle" = 购置及运行维护费 together)."""
    tables_with_data: tuple[str, ...] = ("t01", "t02", "t03", "t04", "t05", "t06")
    """Tables that may not be blank unless the unit states so (``unit.empty_tables``)."""
    budget: Any = None
    """The ``budget`` block: a :class:`narrate.budget.Policy` (what 预决算 sentences compare with)."""
    style: Style = DEFAULT_STYLE
    """The layout's number conventions, wording variants and table names (``numbers:``/``wording:``/``tables:``)."""


def _section(spec: Any, key: str) -> Section:
    return Section(
        title=spec.title,
        template=spec.template,
        sections=tuple(_section(s, f"{key}.sections[{i}]") for i, s in enumerate(spec.sections or ())),
        when=spec.when,
        key=key,
    )


def bundled_profiles() -> list[str]:
    """Names of the profiles shipped with narrate."""
    return sorted(p.name for p in (templates_root() / "zh").iterdir() if (p / "profile.yaml").is_file())


@lru_cache(maxsize=16)
def load_profile(name_or_folder: str) -> Profile:
    """A bundled profile by name (``default``) or a profile folder by path.

    ``profile.yaml`` is validated (:mod:`narrate.profile`); any problem raises
    :class:`TemplateError` naming the file, key and line.
    """
    from .profile import read_profile

    folder = Path(name_or_folder)
    if not (folder / "profile.yaml").is_file():
        folder = templates_root() / "zh" / name_or_folder
    path = folder / "profile.yaml"
    if not path.is_file():
        available = bundled_profiles()
        raise TemplateError(f"找不到版式（profile）“{name_or_folder}”；可用的版式：{'、'.join(available)}")
    spec = read_profile(folder)
    return Profile(
        name=spec.name or folder.name,
        folder=folder,
        numbering=tuple(spec.numbering),
        parts=tuple(_section(p, f"parts[{i}]") for i, p in enumerate(spec.parts)),
        terms_file=spec.terms,
        example=spec.example,
        reasons=frozenset(spec.reasons),
        detail_level=spec.detail_level,
        detail_prior=spec.detail_prior,
        three_public_items=tuple(spec.three_public_items),
        tables_with_data=tuple(spec.tables_with_data),
        budget=Policy(**spec.budget.model_dump()),
        style=DEFAULT_STYLE.overridden(spec.numbers, spec.wording).with_tables(spec.tables),
    )


def _paragraph_breaks() -> type:
    from jinja2.ext import Extension

    class ParagraphBreaks(Extension):
        """Turns each blank line of a template's source into a paragraph break mark."""

        def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
            return "\n".join(_PARAGRAPH if not line.strip() else line for line in source.split("\n"))

    return ParagraphBreaks


def is_bundled(folder: Path) -> bool:
    """Whether a profile folder is one narrate ships (its templates are trusted)."""
    root = templates_root().resolve()
    return folder.resolve() == root or root in folder.resolve().parents


@lru_cache(maxsize=16)
def _environment(profile_folder: Path, user_folder: Path | None, recording: bool = False) -> Any:
    """The Jinja2 environment of a profile (and the user's template folder in front of it).

    Templates from the user — a ``--templates`` folder or a profile folder outside
    narrate — run in narrate's sandbox (:mod:`narrate.sandbox`: Jinja2's sandbox with
    an operation, time and size budget), and so do narrate's own templates when a user
    template includes them; narrate's own profiles alone run in a plain environment
    (the sandbox's checks cost a third of rendering time).  Every folder is read through
    :class:`~narrate.sandbox.ContainedLoader` (no symlinks out of it).  Both use StrictUndefined.
    ``recording``: the environment ``narrate check`` renders in, noting which record fields the
    templates read (:func:`narrate.reads.recording`).
    """
    from jinja2 import ChoiceLoader, Environment, StrictUndefined

    from .reads import recording as recorded
    from .sandbox import BudgetedSandbox, ContainedLoader

    trusted = user_folder is None and is_bundled(profile_folder)
    environment_class = Environment if trusted else BudgetedSandbox
    if recording:
        environment_class = recorded(environment_class)
    loaders = [ContainedLoader(str(user_folder))] if user_folder else []
    loaders.append(ContainedLoader(str(profile_folder)))
    loaders.append(ContainedLoader(str(templates_root() / "zh" / "_common")))  # shared macros
    env = environment_class(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        cache_size=-1,  # a plain dict: a profile has a few dozen templates, each looked up once or twice per document
        extensions=[_paragraph_breaks()],
    )
    env.filters.update(FILTERS)
    env.globals["style"] = StyleView()
    env.globals["merge_small"] = merge_small
    env.globals["zero_budget_rate"] = zero_budget_rate
    return env


@lru_cache(maxsize=16)
def _resolved(folder: Path) -> Path:
    """A profile folder's resolved path, looked up once (the key of its environment)."""
    return folder.resolve()


@lru_cache(maxsize=16)
def _terms(profile_folder: Path, terms_file: str) -> tuple[Any, ...]:
    from .profile import read_terms

    return read_terms(profile_folder, terms_file)


def _evaluate(env: Any, expression: str, context: Mapping[str, Any], where: str) -> Any:
    """A profile's or glossary's expression (``when``, ``detail``) evaluated; failures name ``where``."""
    try:
        return _expression(env, expression)(**context)
    except TemplateError:
        raise
    except Exception as exc:  # any failure of the expression: syntax, undefined, sandbox, limits
        raise TemplateError(f"{where}：表达式“{expression}”出错：{_error_kind(exc)}：{exc}") from None


@lru_cache(maxsize=256)
def _expression(env: Any, expression: str) -> Any:
    """A profile's or glossary's expression compiled once per environment."""
    return env.compile_expression(expression)


@lru_cache(maxsize=256)
def _title_template(env: Any, title: str) -> Any:
    """A section title that is a template (names the unit or the year), compiled once per environment."""
    return env.from_string(title)


def glossary_terms(profile: Profile, kind: str, context: Mapping[str, Any], env: Any) -> list[Record]:
    """The 名词解释 terms for a unit kind.

    ``kinds`` limits a term to unit kinds, ``variants`` rewords it per kind,
    ``when`` (an expression over the figures) decides whether it is listed, and
    ``detail`` (an expression) gives an optional extra text, e.g. the
    "主要是：……" of an income kind that is not zero.
    """
    if not profile.terms_file:
        return []
    out = []
    where = f"版式文件 {profile.folder / profile.terms_file} 的 terms"
    unit = context.get("unit")
    kinds = tuple(getattr(unit, "kinds", ()) or (kind,))
    for i, term in enumerate(_terms(profile.folder, profile.terms_file)):
        if term.kinds is not None and kind not in term.kinds and not set(kinds) & set(term.kinds):
            continue
        if term.when is not None and not _evaluate(env, term.when, context, f"{where}[{i}].when"):
            continue
        definition = _definition(term, kind, kinds)
        if definition is None:
            continue
        detail = _evaluate(env, term.detail, context, f"{where}[{i}].detail") if term.detail is not None else None
        out.append(Record(term=term.term, definition=definition, detail=detail or None,
                          key=term.key if term.key is not None else term.term))
    return out


def _definition(term: Any, kind: str, kinds: tuple[str, ...]) -> str | None:
    """A term's wording for the unit: its variant for ``kind`` (部门 too) if any; for a 部门 of several
    kinds, the general ``definition`` unless every one of its kinds leaves the term out (variant null)."""
    variants = term.variants or {}
    if kind in variants or len(kinds) <= 1:
        return variants.get(kind, variants.get(kinds[0], term.definition) if kinds else term.definition)
    if all(k in variants and variants[k] is None for k in kinds):
        return None
    return term.definition


# ---------------------------------------------------------------- rendering
DEFAULT_PROFILE = "default"


def absent_tables(profile: str | None) -> frozenset[str]:
    """The tables a layout does not publish (its ``tables.absent``); ``profile`` None is the default layout.
    Raises :class:`~narrate.TemplateError` for an unknown or broken profile, as :func:`load_profile`."""
    return load_profile(str(profile or DEFAULT_PROFILE)).style.absent_tables


def _user_folder(templates: str | Path) -> Path:
    folder = Path(templates)
    if not folder.is_dir():
        what = "不是文件夹" if folder.exists() else "不存在"
        raise TemplateError(f"用户模板文件夹 {templates} {what}；--templates 应为存放 .j2 模板的文件夹")
    return folder.resolve()


def render(facts: Facts, profile: str | None = None, templates: str | Path | None = None, *,
           reads: Any = None) -> Document:
    """Render computed facts through a profile's templates into a Document.

    ``profile``: a bundled profile name or a profile folder; by default the one
    the figures file names (its ``profile`` key), else ``default``.  ``templates``:
    a folder whose templates override the profile's (it must exist).  User templates
    share one budget per document (see :mod:`narrate.sandbox`).
    """
    from .sandbox import budget

    prof = load_profile(str(profile or facts.profile or DEFAULT_PROFILE))
    facts = facts.for_layout(prof.style.absent_tables)
    user = _user_folder(templates) if templates else None
    env = _environment(_resolved(prof.folder), user, reads is not None)
    env.globals["basis"] = Picker(prof.budget or Policy())  # a global: imported macros see it too
    context = dict(facts.context)
    unit_style = facts.style
    style = prof.style.overridden(unit_style.numbers, unit_style.wording) if unit_style is not None else prof.style
    if style.names:
        context = _renamed(context, style.names, reads)
    index = dict(facts.index)  # and the facts made while rendering (merge_small, zero_budget_rate)
    token = _RENDERED.set(index)
    try:
        with budget(), using(style), reads.recording() if reads is not None else nullcontext():
            context["terms"] = glossary_terms(prof, context["unit"].kind, context, env)
            context = {**env.globals, **context}  # what each template sees, put together once per document
            blocks: list[Block] = []
            for part in prof.parts:
                if part.when and not _evaluate(env, part.when, context, _where(prof, part, "when")):
                    continue
                _render_section(env, prof, part, 0, 0, context, index, blocks, reads)
    finally:
        _RENDERED.reset(token)
    unit = context["unit"]
    return Document(title=f"{unit.name}{unit.year}年度决算公开", blocks=tuple(blocks))


_NAMED_LISTS = ("general_budget", "fund", "capital")


def _renamed(context: dict[str, Any], names: Mapping[str, str], reads: Any = None) -> dict[str, Any]:
    """The 科目 rows with the names the unit prints (``wording.names``, by 科目代码); codes and facts unchanged.
    ``reads`` (:class:`narrate.reads.Reads`) learns which copy stands for which record."""

    def copy(record: Record, **fields: Any) -> Record:
        made = Record(**{**record.fields(), **fields})
        if reads is not None:
            reads.twin(record, made)
        return made

    def rename(row: Record) -> Record:
        code = row.code
        fields = {"name": names.get(code, row.name), "class_name": names.get(code[:3], row.class_name)}
        if len(code) >= 5:
            fields["kuan_name"] = names.get(code[:5], row.kuan_name)
        return copy(row, **fields)

    out = dict(context)
    for key in _NAMED_LISTS:
        record = context[key]
        rows = {id(r): rename(r) for r in record.rows}
        out[key] = copy(record, **{name: [rows[id(r)] for r in value] for name, value in record.fields().items()
                                   if isinstance(value, list) and value and all(id(r) in rows for r in value)})
    return out


def _where(prof: Profile, section: Section, key: str) -> str:
    return f"版式文件 {prof.folder / 'profile.yaml'} 的 {section.key}.{key}"


def _heading_text(env: Any, prof: Profile, section: Section, level: int, number: int,
                  context: Mapping[str, Any]) -> str:
    title = section.title
    if "{{" in title or "{%" in title:  # a title may name the unit or the year
        try:
            title = _title_template(env, title).render(context)
        except TemplateError:
            raise
        except Exception as exc:  # any failure of the title template
            raise TemplateError(f"{_where(prof, section, 'title')}：标题“{section.title}”出错："
                                f"{_error_kind(exc)}：{exc}") from None
    if level == 0:
        return title
    pattern = prof.numbering[min(level, len(prof.numbering)) - 1]
    return pattern.format(cn=chinese_numeral(number), n=number) + title


def _render_section(env: Any, prof: Profile, section: Section, level: int, number: int,
                    context: dict[str, Any], index: Mapping[str, Fact], blocks: list[Block],
                    reads: Any = None, headings: tuple[str, ...] = ()) -> None:
    heading = _heading_text(env, prof, section, level, number, context)
    blocks.append(Block("heading", heading, level))
    if level:
        headings = (*headings, heading)
    if reads is not None:
        reads.enter(list(headings) or [heading])
    if section.template:
        text = _run_template(env, section.template, context)
        blocks.extend(_paragraphs(text, index, section.template))
    n = 0
    for child in section.sections:
        if child.when and not _evaluate(env, child.when, context, _where(prof, child, "when")):
            continue
        n += 1
        _render_section(env, prof, child, level + 1, n, context, index, blocks, reads, headings)
        if reads is not None:
            reads.enter(list(headings) or [heading])


def _run_template(env: Any, name: str, context: Mapping[str, Any]) -> str:
    try:
        template = env.get_template(name)
        if env.sandboxed:  # Jinja's flag; narrate's only sandboxed environment is BudgetedSandbox
            from .sandbox import render_budgeted

            return render_budgeted(template, context)
        return _render_plain(template, context)
    except TemplateError:
        raise
    except Exception as exc:  # every failure of a template, bundled or the user's, incl. MemoryError, RecursionError
        raise TemplateError(_describe_template_error(exc, name)) from None


def _render_plain(template: Any, context: dict[str, Any]) -> str:
    """``template.render(context)`` for a ``context`` that already holds the environment's globals,
    leaving no reference cycle behind.

    The context is used as it is (``render`` would copy it and the globals for each of a document's
    ~20 templates, and note the globals' names for imports, which our templates never give globals
    of their own).  A macro defined in a template refers to the template's context, which holds the
    macro: without emptying the context afterwards, the context and every record it reaches (the
    whole unit) would wait for the garbage collector instead of being freed when the render ends.
    """
    env = template.environment
    ctx = env.context_class(env, context, template.name, template.blocks)
    try:
        return env.concat(template.root_render_func(ctx))
    except Exception:
        env.handle_exception()  # re-raises, template file and line in the traceback
    finally:
        ctx.vars.clear()


_ERROR_KINDS = {
    "UndefinedError": "变量未定义", "TemplateSyntaxError": "模板语法错误",
    "TemplateNotFound": "找不到模板", "SecurityError": "模板试图执行不安全的操作，已拒绝",
    "TemplateLimit": "超出模板限制", "ZeroDivisionError": "除以零", "OverflowError": "数值溢出",
    "RecursionError": "递归过深（可能是宏调用自身）", "MemoryError": "内存不足（模板生成的内容过大）",
}


def _error_kind(exc: BaseException) -> str:
    return _ERROR_KINDS.get(type(exc).__name__, type(exc).__name__)


def _describe_template_error(exc: BaseException, name: str) -> str:
    where = getattr(exc, "filename", None) or name
    line = getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while tb is not None:  # Jinja rewrites tracebacks so template frames carry file and line
        code = tb.tb_frame.f_code
        if code.co_filename.endswith((".j2", ".jinja", ".txt", ".md")) or code.co_name in (
                "template", "top-level template code") or code.co_name.startswith(("block ", "macro ")):
            where, line = code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    loc = f"{where}" + (f" 第 {line} 行" if line else "")
    detail = str(exc) if not isinstance(exc, RecursionError) else ""
    return f"模板 {loc}：{_error_kind(exc)}" + (f"：{detail}" if detail else "")


_RENDERED: ContextVar[dict[str, Fact]] = ContextVar("narrate_rendered_facts")


def merge_small(items: Any, whole: Any, threshold: Any = None) -> Record:
    """Template global: ``items`` split into those printed one by one (``shown``) and the small ones
    (share below ``threshold`` %, by default the style's ``wording.merge_below``) merged into one
    ``share`` fact ("两项合计占0.1%"); ``count`` is how many were merged (fewer than 2: none merged)."""
    limit = current().merge_below if threshold is None else Decimal(str(threshold))
    small = [i for i in items if limit is not None and i.share is not None and i.share.value < limit]
    if len(small) < 2:
        return Record(shown=list(items), merged=[], count=0, amount=None, share=None)
    whole_fact = _fact(whole, "merge_small", "amount")
    key = f"{whole_fact.key}.merged." + "+".join(str(getattr(i, "code", i.amount.key)) for i in small)
    names = "、".join(i.name for i in small)
    share = merged_share(key, f"{names}合计占比", [i.amount for i in small], whole_fact)
    amount = Fact(f"{key}.amount", f"{names}合计", sum((i.amount.value for i in small), Decimal(0)), "amount",
                  " + ".join(format_operand(i.amount.value) for i in small),
                  tuple(dict.fromkeys(s for i in small for s in i.amount.sources)))
    _RENDERED.get().update({amount.key: amount} | ({key: share} if share is not None else {}))
    return Record(shown=[i for i in items if i not in small], merged=small, count=len(small), amount=amount,
                  share=share)


ZERO_BUDGET_FORMULA = "预算为0（决算 {}）：按惯例记为 0"


def zero_budget_rate(actual: Any, budget: Any) -> Fact:
    """Template global: the 完成率 a layout prints when the budget is 0 (``numbers.zero_budget: zero``)."""
    actual_fact, budget_fact = _fact(actual, "zero_budget_rate", "amount"), _fact(budget, "zero_budget_rate", "amount")
    key = f"{budget_fact.key}.zero_budget_completion"
    fact = Fact(key, f"{budget_fact.label}为0，完成率按惯例记为0", Decimal(0), "rate",
                ZERO_BUDGET_FORMULA.format(format_amount(actual_fact.value)),
                tuple(dict.fromkeys(actual_fact.sources + budget_fact.sources)),
                "预算为0，完成率按惯例记为 0", Decimal(0))
    _RENDERED.get()[key] = fact
    return fact


def _as_named(fact: Fact, style: Any) -> None:
    """A layout naming every table as narrate does cites each source as the fact names it."""
    return None


def _cited(fact: Fact, style: Any) -> tuple[str, ...] | None:
    """The fact's sources named as the layout (``style``) names its tables, when it names them differently."""
    if not style.renames_tables:
        return None
    cited = tuple(style.cite(str(s)) for s in fact.sources)
    return cited if cited != tuple(str(s) for s in fact.sources) else None


def _convention(fact: Fact, conventions: Any, notes: dict[str, str]) -> str:
    """Which convention printed this fact (``narrate explain``); ``notes``: the ``conventions``'
    description by kind, filled as kinds are met (one paragraph's numbers share a few)."""
    note = notes.get(fact.kind)
    if note is None:
        note = notes[fact.kind] = conventions.describe(fact.kind)
    if fact.kind == "rate" and fact.exact is not None and fact.exact == fact.value and "上年为0" in fact.label:
        note += "；上年为0时按惯例记为100%（numbers.zero_base: hundred）"
    return note


def _paragraphs(text: str, index: Mapping[str, Fact], template: str) -> list[Block]:
    """The paragraphs of a template's output: the marks taken out of the text, each paragraph's numbers
    found from them when first asked for (:meth:`Block.found`)."""
    blocks = []
    style = current()
    for chunk in text.split(_PARAGRAPH):
        raw = "".join(map(str.strip, chunk.split("\n")))
        if not raw:
            continue
        if _OPEN in raw or _SEP in raw or _CLOSE in raw:
            parts = _MARK.split(raw)  # [text, key, printed, text, key, printed, …, text]
            shown = parts.copy()
            del shown[1::3]
            text = "".join(shown)
            if _OPEN in text or _SEP in text or _CLOSE in text or not index.keys() >= set(parts[1::3]):
                raise TemplateError(f"模板 {template}：输出中含有 narrate 用来标记数字的字符（U+E000–U+E002），"
                                    f"而不是由过滤器印出的数字；请删去这些字符：{_MARKS_SHOWN.sub('◆', raw)[:80]}")
            blocks.append(Block.found(text, partial(_numbers, parts, index, style)))
        else:
            blocks.append(Block("paragraph", raw))
    return blocks


_MARKS_SHOWN = re.compile(f"[{_OPEN}{_SEP}{_CLOSE}]")


def _numbers(parts: list[str], index: Mapping[str, Fact], style: Style) -> tuple[Number, ...]:
    """The numbers of a paragraph rendered as ``parts`` (its text split at the marks: text, key, printed,
    text …), each with its fact (from ``index``), the convention that printed it and its sources as the
    layout (``style``) names them."""
    cite = _cited if style.renames_tables else _as_named
    notes: dict[str, str] = {}
    numbers = []
    pos = len(parts[0])
    for k in range(1, len(parts), 3):
        printed, fact = parts[k + 1], index[parts[k]]
        end = pos + len(printed)
        numbers.append(Number(printed, pos, end, fact, _convention(fact, style.numbers, notes), cite(fact, style)))
        pos = end + len(parts[k + 2])
    return tuple(numbers)

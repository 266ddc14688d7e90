"""Layer 2: the text against the tables, through narrate's own chapter.

narrate renders the chapter from the figures (same profile); every number it
prints carries its :class:`~narrate.facts.Fact` (value, formula, source cells).
The user's sections are matched to narrate's by heading title, and within a
section the two sequences of claims are aligned by what each number is (its
kind, its cue word, the label before it and the subject of its item — digits
and direction words folded), with :class:`difflib.SequenceMatcher`.  Each
aligned claim is then compared with its fact:

* an amount that differs from its table cell: error beyond the 尾数 tolerance
  (:func:`narrate.rules.engine.tolerance`), a 尾数 note within it;
* a share, rate, completion or change amount that differs from narrate's value:
  error, with the formula over the named cells;
* a direction word (增加/减少, 增长/下降) opposite to narrate's: error;
* "持平"/"与上年相同" where narrate states a change for the same item, a 完成率
  where the item's budget is 0, a 增长率 where its 上年 is 0: error.

Claims narrate does not print (other wording, extra sentences) are not
aligned and are left to the self-consistency layer; figures outside the
tables that were not given (a defaulted 0) are never compared.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Any

from ..computation import OUTSIDE as OUTSIDE_TABLES  # Source.table of a figure given outside the tables
from ..document import Document
from ..facts import Fact
from ..numbers import format_amount, format_count, format_rate, round_rate
from ..style import current
from ..rules.engine import tolerance
from .claims import DIRECTION_SIGN, EQUAL_WORDS, Claim, extract, subject_at
from .read import Paragraph, paragraphs_from, section_key, title_of
from .text import Text

_CATEGORY = {"share": "占比", "completion": "完成率", "rate_change": "增长率", "change": "增减额"}


def narrate_paragraphs(document: Document) -> tuple[list[Paragraph], dict[tuple[int, int], Fact]]:
    """narrate's chapter as paragraphs, and the fact of each printed number by (paragraph, start)."""
    lines = [(b.text, b.kind == "heading", i) for i, b in enumerate(document.blocks)]
    paragraphs = paragraphs_from(lines)
    facts = {}
    for p in paragraphs:
        block = document.blocks[p.origin]
        for n in block.numbers:
            facts[(p.number, n.start)] = n.fact
    return paragraphs, facts


def _sections(paragraphs: list[Paragraph], claims: dict[int, list[Claim]]) -> dict[str, list[Claim]]:
    out: dict[str, list[Claim]] = {}
    for p in paragraphs:
        out.setdefault(section_key(p.section), []).extend(claims.get(p.number, []))
    return out


def _token(c: Claim) -> tuple[str, str, str, str]:
    return (c.kind, c.cue, c.context, c.subject)


def align(mine: list[Claim], theirs: list[Claim]) -> list[tuple[Claim, Claim]]:
    """Pairs of claims that say the same thing, in order."""
    pairs = []
    matcher = SequenceMatcher(None, [_token(c) for c in mine], [_token(c) for c in theirs], autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            pairs.extend(zip(mine[a1:a2], theirs[b1:b2]))
        elif op == "replace" and a2 - a1 == b2 - b1:
            pairs.extend((x, y) for x, y in zip(mine[a1:a2], theirs[b1:b2])
                         if x.kind == y.kind and x.subject == y.subject
                         and x.cue.replace("rate_", "") == y.cue.replace("rate_", ""))
    return pairs


def pair_titles(mine: list[str], theirs: list[str]) -> dict[str, str]:
    """Each of my section keys to one of theirs: equal keys first, then the most similar unused one
    (ratio ≥ 0.8) — one to one, so 基本支出决算情况说明 cannot stand in for 支出决算情况说明."""
    pairs = {key: key for key in mine if key in theirs}
    free = [k for k in theirs if k not in pairs.values()]
    for key in mine:
        if key in pairs or not free:
            continue
        best = max(free, key=lambda k: SequenceMatcher(None, key, k).ratio())
        if SequenceMatcher(None, key, best).ratio() >= 0.8:
            pairs[key] = best
            free.remove(best)
    return pairs


def given(figures: Any, path: str) -> bool:
    """Whether a figure outside the tables (``three_public.vehicles_held``) was given: False only
    when the path leads to a model field left at its default; a path that does not resolve counts as given."""
    from pydantic import BaseModel

    value = figures
    for part in path.split("."):
        if isinstance(value, BaseModel):
            if part not in type(value).model_fields:
                return True
            if part not in value.model_fields_set:
                return False
            value = getattr(value, part)
        elif isinstance(value, dict):
            value = value.get(part, value.get(int(part)) if part.isdigit() else None)
            if value is None:
                return True
        else:
            return True
    return True


def stated(fact: Fact, figures: Any) -> bool:
    """A fact whose figures outside the tables were all given (a defaulted 0 proves nothing)."""
    return figures is None or all(given(figures, s.row) for s in fact.sources if s.table == OUTSIDE_TABLES)


def check(text: Text, document: Document, figures: Any = None, unknown_tables: frozenset[str] = frozenset()) -> int:
    """Compare the text's claims with narrate's facts; returns how many claims were compared.

    ``unknown_tables`` ("公开10表"): tables the figures could not hold — a nine-table disclosure read
    from itself gives its procurement, vehicles and assets only in the text — whose facts are not compared."""
    paragraphs, facts = narrate_paragraphs(document)
    if unknown_tables:
        facts = {at: f for at, f in facts.items() if not any(s.table in unknown_tables for s in f.sources)}
    their_claims = {p.number: ([] if p.heading else extract(p.number, p.text)) for p in paragraphs}
    mine = _sections(text.paragraphs, text.claims)
    theirs = _sections(paragraphs, their_claims)
    compared = 0
    pairs = pair_titles(list(mine), list(theirs))
    _equal_words(text, pairs, theirs, facts, figures)
    for key, other in pairs.items():
        for mine_claim, their_claim in align(mine[key], theirs[other]):
            fact = facts.get((their_claim.paragraph, their_claim.start))
            if fact is None or not stated(fact, figures):
                continue
            compared += 1
            text.judged.add(text.key(mine_claim))
            _compare(text, mine_claim, their_claim, fact)
        _undefined_rates(text, mine[key], theirs[other], facts, figures)
    return compared


_PRIOR_ZERO = re.compile(r"^\|.+ − 0\.00\|$")


def _undefined_rates(text: Text, mine: list[Claim], theirs: list[Claim],
                     facts: dict[tuple[int, int], Fact], figures: Any) -> None:
    """A 完成率 where the tables give the item a budget of 0, a 增长率 where its 上年 is 0: narrate
    prints neither, so these claims align with nothing — the label itself is wrong."""
    def fact(c: Claim) -> Fact | None:
        found = facts.get((c.paragraph, c.start))
        return found if found is not None and stated(found, figures) else None

    for c in mine:
        if text.key(c) in text.judged or c.cue not in ("completion", "rate_change"):
            continue
        same = [(t, fact(t)) for t in theirs if t.subject == c.subject]
        if c.cue == "completion":
            zero = next((f for t, f in same if t.role == "budget" and f is not None and not f.value), None)
            if zero is not None:
                text.wrong.add(text.key(c))
                text.add_at(c, "error", "标签", "预算数为0，不能写完成预算的比例",
                            expected="删去“完成…预算的…%”，写明预算为0万元及决算数", sources=_sources(zero))
        else:
            zero = next((f for t, f in same if t.cue == "change" and f is not None and _PRIOR_ZERO.match(f.formula)),
                        None)
            if zero is not None:
                text.wrong.add(text.key(c))
                text.add_at(c, "error", "标签", "上年数为0，增长率无意义，不应写增长率",
                            expected="删去增长率，可写“上年无此项支出”", formula=zero.formula, sources=_sources(zero))



def _equal_words(text: Text, pairs: dict[str, str], theirs: dict[str, list[Claim]],
                 facts: dict[tuple[int, int], Fact], figures: Any) -> None:
    """"持平" / "与上年相同" written where narrate states a change for the same item."""
    for p in text.paragraphs:
        other = pairs.get(section_key(p.section))
        if p.heading or other is None:
            continue
        claims = text.claims[p.number]
        for m in EQUAL_WORDS.finditer(p.text):
            if "预算" in p.text[max(0, m.start() - 8):m.start()]:
                continue  # 决算数与预算数持平: the self-consistency layer judges it
            cut = max(p.text.rfind("；", 0, m.start()), p.text.rfind("。", 0, m.start()))
            ends = [i for i in (p.text.find("；", m.end()), p.text.find("。", m.end())) if i >= 0]
            segment = range(cut, min(ends) if ends else len(p.text))
            if any(c.cue == "change" and c.start in segment for c in claims):
                continue
            subject = subject_at(p.text, m.start(), claims)
            changes = {(c.direction, facts[(c.paragraph, c.start)]) for c in theirs[other]
                       if c.cue == "change" and c.subject == subject and (c.paragraph, c.start) in facts
                       and facts[(c.paragraph, c.start)].value and stated(facts[(c.paragraph, c.start)], figures)}
            if len(changes) != 1:
                continue
            direction, fact = changes.pop()
            text.add("error", "方向", f"写了“{m[0]}”，但较上年{direction}{format_amount(fact.value)}万元", p.number,
                     m.start(), m.end(), m[0], f"{direction}{format_amount(fact.value)}万元", fact.formula,
                     _sources(fact))


def _sources(fact: Fact) -> tuple[str, ...]:
    return tuple(str(s) for s in fact.sources)


def _as_printed(fact: Fact, decimals: int) -> Decimal:
    """The fact's value at the precision the text printed (1 or 2 decimals; else the profile's ``rate_decimals``)."""
    places = decimals if decimals in (1, 2) else current().numbers.rate_decimals
    if fact.kind != "rate" or places == 2:
        return fact.value
    return round_rate(fact.exact if fact.exact is not None else fact.value, places)


def _compare(text: Text, c: Claim, theirs: Claim, fact: Fact) -> None:
    if c.direction and theirs.direction and DIRECTION_SIGN[c.direction] != DIRECTION_SIGN[theirs.direction]:
        text.wrong.add(text.key(c))
        text.add_word(c, "error", "方向", f"方向词“{c.direction}”与实际变化相反", theirs.direction,
                      formula=fact.formula, sources=_sources(fact))
    if c.value == _as_printed(fact, c.decimals):
        return
    if c.kind == "amount":
        diff = c.value - fact.value
        shown = format_amount(fact.value)
        if c.cue == "change":
            text.wrong.add(text.key(c))
            text.add_at(c, "error", "增减额", f"{c.direction or '增减'}额与公开表数字计算不符", expected=shown,
                        formula=fact.formula, sources=_sources(fact))
        elif not fact.formula and abs(diff) <= tolerance(1):
            text.add_at(c, "info", "金额", f"与表中数字相差 {format_amount(abs(diff))}，在尾数误差以内",
                        expected=shown, sources=_sources(fact))
        else:
            text.wrong.add(text.key(c))
            text.add_at(c, "error", "金额", "金额与公开表不符" if not fact.formula else "金额与公开表数字计算不符",
                        expected=shown, formula=fact.formula, sources=_sources(fact))
    elif c.kind == "rate":
        text.wrong.add(text.key(c))
        category = _CATEGORY.get(theirs.cue, "比率")
        if category == "增长率" and theirs.direction == "下降":
            category = "下降率"
        shown = format_rate(fact.value, current().numbers, fact.exact)
        text.add_at(c, "error", category, f"{category}与公开表数字计算不符", expected=shown,
                    formula=f"{fact.formula} = {shown}" if fact.formula else "",
                    sources=_sources(fact))
    else:
        text.wrong.add(text.key(c))
        text.add_at(c, "error", "个数", "个数与表中不符", expected=format_count(int(fact.value)) + c.unit,
                    sources=_sources(fact))


def required_sections(document: Document | None, profile: Any) -> list[str]:
    """The section titles the chapter must have: narrate's headings for the figures, else the
    profile's sections that have no condition."""
    if document is not None:
        return [title_of(b.text) for b in document.blocks if b.kind == "heading" and b.level > 0]
    titles: list[str] = []

    def walk(section: Any, level: int) -> None:
        if section.when:
            return
        if level > 0 and "{{" not in section.title:
            titles.append(section.title)
        for child in section.sections:
            walk(child, level + 1)

    for part in profile.parts:
        walk(part, 0)
    return titles


def missing_sections(text: Text, required: list[str]) -> None:
    have = [section_key(p.text) for p in text.paragraphs if p.heading]
    found = set(pair_titles(have, [section_key(t) for t in required]).values())
    for title in required:
        if section_key(title) not in found:
            text.add("error", "缺少章节", f"缺少“{title}”一节", 0, expected=title)

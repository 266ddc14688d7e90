"""Numeric claims of a paragraph: every amount, rate and count, with its span and what it says.

A claim is a number followed by its unit (万元, %, 辆, 个, 人次 …) — or a bare
number right after a rate word (增长, 下降, 占比, 完成年初预算的), which is a rate
printed without "%".  Years (2024年), codes (2050101) and list numbering (1、)
are not claims.  Each claim records the words just before it:

* ``cue`` — what the number is: "change" (after 增加/减少), "rate_change" (增长/
  下降), "share" (占/占比/占…的), "completion" (完成…预算的), or "";
* ``direction`` — the direction word of a change, as printed (增加, 下降 …);
* ``role`` — "budget" (年初预算为 …, 全年预算 …) or "actual" (决算为 …) or "";
* ``context`` — the label before the number, normalised (digits and direction
  words folded), used to align a claim with narrate's own sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

COUNT_UNITS = ("台（套）", "人次", "批次", "个", "辆", "台", "套", "批", "次", "人", "名", "项", "分")
_UNIT = "万元|万|%|％|" + "|".join(re.escape(u) for u in COUNT_UNITS)
NUMBER = re.compile(rf"(?<![0-9.,A-Za-z])(-?\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|-?\d+(?:\.\d+)?)\s*({_UNIT})?")
_NOT_A_CLAIM_AFTER = re.compile(r"^(?:年|月|日|号|表|所|、|\.\d|（[类款项]）|[A-Za-z])")
_RATE_WORD = re.compile(r"(?:增长|下降|增幅为?|降幅为?|占比为?|占[^，。；：、\d]{0,16}的|占|比重为?|完成[^，。；\d]{0,6}预算的|比例为?)$")
_CHANGE = re.compile(r"(增加|减少|增长|下降)(?:了)?$")
_SHARE = re.compile(r"(?:占比为?|占[^，。；：、\d]{0,16}的|占|比重为?)$")
_COMPLETION = re.compile(r"完成[^，。；\d]{0,6}预算的$")
_BUDGET = re.compile(r"(?:年初预算|全年预算|预算数|预算)(?:数)?(?:为|是)?$")
_ACTUAL = re.compile(r"(?:决算|决算数|实际支出)(?:为|是)?$")
_BOUNDARY = "，。；：、,;:（）()“”\"\n"
_FOLD = (("增加", "增减"), ("减少", "增减"), ("增长", "升降"), ("下降", "升降"), ("（", "("), ("）", ")"),
         ("“", '"'), ("”", '"'), ("占比", "占"), ("为", ""), ("了", ""))

DIRECTION_SIGN = {"增加": 1, "增长": 1, "减少": -1, "下降": -1}
EQUAL_WORDS = re.compile(r"持平|(?:与|同|和)上年度?(?:相同|一致)")
"""Words saying an item did not change ("基本持平" is not excluded here: callers decide)."""


@dataclass(frozen=True)
class Claim:
    """One number printed in a paragraph."""

    paragraph: int
    """1-based paragraph number (see :mod:`narrate.linting.read`)."""
    start: int
    """The number's span in the paragraph text (without its unit)."""
    end: int
    text: str
    value: Decimal
    kind: str
    """"amount" (万元), "rate" (%), "count"."""
    unit: str
    """As printed: "万元", "%", "辆" …; "" for a rate printed without "%"."""
    decimals: int
    cue: str = ""
    direction: str = ""
    role: str = ""
    context: str = ""
    label: str = ""
    """The words before the number up to the previous clause mark, as printed."""
    subject: str = ""
    """What the clause group is about: the first words of its item (from the paragraph start, a "；"
    or a "其中：" up to the item's first number), normalised — "教育支出年初预算"."""

    @property
    def base(self) -> bool:
        """An amount stated for itself (not a change amount)."""
        return self.kind == "amount" and self.cue != "change"


def _fold(text: str) -> str:
    text = _RESIDUE_WORDS.sub("", re.sub(r"\d+年度?|\d+", "", text))
    for old, new in _FOLD:
        text = text.replace(old, new)
    return text


_SEGMENT = re.compile(r"；|其中[：:]")
_CHANGE_TAIL = re.compile(r"(?:[，,]?(?:比|较|与)[^，。；]{0,8})?(?:增加|减少|增长|下降|持平|相同)$")
_RESIDUE_WORDS = re.compile(r"[（(](?:增加|减少|增长|下降|大于|小于)[）)]")


def subject_at(text: str, start: int, claims: list[Claim]) -> str:
    """The subject (see :attr:`Claim.subject`) of the item holding position ``start``."""
    cut = max((m.end() for m in _SEGMENT.finditer(text, 0, start)), default=0)
    first = next((c.start for c in claims if c.start >= cut), start)
    head = re.sub(r"^\s*(?:\d{1,2}|[一二三四五六七八九十]+)[、.．]", "", text[cut:first])
    head = _CHANGE_TAIL.sub("", head)
    return _fold(head)[:24]


def _label(before: str) -> str:
    cut = max(before.rfind(c) for c in _BOUNDARY)
    return before[cut + 1:].strip()


def extract(paragraph: int, text: str) -> list[Claim]:
    """The claims of one paragraph's text, in reading order."""
    claims: list[Claim] = []
    last_end = 0
    for m in NUMBER.finditer(text):
        number, unit = m[1], m[2] or ""
        after = text[m.end(1):]
        if not unit and _NOT_A_CLAIM_AFTER.match(after):
            continue
        before = text[max(0, m.start() - 24):m.start()]
        if before.endswith("第"):
            continue
        if unit in ("万元", "万"):
            kind = "amount"
        elif unit in ("%", "％"):
            kind = "rate"
        elif unit:
            kind = "count"
        elif _RATE_WORD.search(before):
            kind = "rate"
        else:
            continue
        cue = direction = role = ""
        change = _CHANGE.search(before)
        if change:
            direction = change[1]
            cue = "change" if direction in ("增加", "减少") else "rate_change"
        elif kind == "rate" and _COMPLETION.search(before):
            cue = "completion"
        elif kind == "rate" and _SHARE.search(before):
            cue = "share"
        if kind == "amount" and not cue:
            if _BUDGET.search(before):
                role = "budget"
            elif _ACTUAL.search(before):
                role = "actual"
        label = _label(text[last_end:m.start()])
        value = Decimal(number.replace(",", ""))
        decimals = len(number.split(".")[1]) if "." in number else 0
        claims.append(Claim(paragraph, m.start(1), m.end(1), number, value, kind, unit, decimals,
                            cue, direction, role, _fold(label)[-14:], label, subject_at(text, m.start(), claims)))
        last_end = m.end()
    return claims

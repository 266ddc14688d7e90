"""Layer 1: checks that need no tables — the text against itself.

* template residue (XXX, XX%, 增加（减少）, （如持平作持平表述）, （不涉及的不列）…);
* a rate printed without "%", or with other than 2 decimals; an amount printed with 1 or more than
  2 decimals ("5782.9万元" → 5,782.90; whole amounts such as "0万元" or "单价100万元以上" are left alone);
* a change stated with its rate and the current amount: the rate recomputed from
  the two amounts (上年 = 本年 ∓ 增减额); 增加 … 下降 in one clause; 增加0万元;
  "减少10.12万元" and "与上年持平" in one sentence;
* 年初预算 B, 支出决算 Y and 完成年初预算的 P: P = Y ÷ B × 100; no P when B = 0;
  决算数大于/小于/与预算数持平 against B and Y;
* lists ("其中：…", "主要用于以下方面：…"): the parts add up to the total stated
  before the colon (within the 尾数 tolerance); each 占 share = part ÷ total;
  shares plugged to total 100%;
* "占本年支出合计的P%": the denominator found by its label elsewhere in the text;
* 政府采购: an amount for 小微企业 larger than the same amount for 中小企业 (小微企业 are a part of
  中小企业), when both are stated in one paragraph under the same label.

A check is skipped when the table layer (:mod:`narrate.linting.verify`) already
judged its claim or found one of its operands wrong, so each slip is reported once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..numbers import HUNDRED, ZERO, exact_percent, format_amount, format_operand, round_rate
from ..numbers import format_rate as _format_rate
from ..style import current
from ..rules.engine import tolerance
from .claims import DIRECTION_SIGN, EQUAL_WORDS, Claim
from .text import Text

AMOUNT_DECIMALS = 2  # every bundled profile prints amounts as "5,782.90" (numbers.format_amount)


def percent(part: Decimal, whole: Decimal, decimals: int | None = None) -> Decimal:
    """A rate rounded half up from the exact quotient: at the claim's own ``decimals`` when it printed 1 or 2
    (a wrong precision is the 小数位 warning's business, not a wrong value), else at the profile's
    ``numbers.rate_decimals``."""
    places = decimals if decimals in (1, 2) else current().numbers.rate_decimals
    return round_rate(exact_percent(part, whole), places)


def format_rate(value: Decimal) -> str:
    return _format_rate(value, current().numbers)

_RESIDUE = re.compile(
    r"X{2,}|(?<![A-Za-z])X(?=\s*(?:万元|万|%|％|个|辆|人次|批次|年|（类）|\(类\)))|×{2,}|"
    r"(?:增加|减少|增长|下降|大于|小于|高于|低于)[（(](?:增加|减少|增长|下降|大于|小于|高于|低于)[）)]|"
    r"[（(]如持平作持平表述[）)]|[（(]不涉及的?不列[）)]|按上述格式|\{\{|\}\}|\{%|%\}|"
    r"[（(](?:单位名称|部门名称|年度|金额)[）)]"
)
_LIST_OPENER = re.compile(r"(?:其中|主要用于以下方面)[：:]")
_NUMBERED = re.compile(r"^\s*(\d{1,2})[、.．]")
_BUDGET_WORDS = re.compile(r"决算数?(大于|小于|超过|高于|低于|(?:与|同|和)(?:年初|全年)?预算数?(?:基本)?持平)(?:年初|全年)?(?:预算数?)?")
_SHARE_OF = re.compile(r"占([^，。；：、\d]{2,16})的$")


def check(text: Text) -> None:
    year = report_year(text)
    for p in text.paragraphs:
        _residue(text, p.number, p.text)
        if p.heading:
            continue
        claims = text.claims[p.number]
        _decimals(text, claims)
        _changes(text, claims, year)
        _equal_and_changed(text, p.number, p.text, claims)
        _budgets(text, p.text, claims)
        _small_within_sme(text, p.text, claims)
    for spec in lists(text):
        _list(text, spec)
    _shares_of_named_totals(text)


# ---------------------------------------------------------------- residue, % and decimals (rates and amounts)
def _residue(text: Text, number: int, paragraph: str) -> None:
    for m in _RESIDUE.finditer(paragraph):
        text.add("error", "模板残留", f"模板占位或说明文字“{m[0]}”未替换或未删除", number, m.start(), m.end(),
                 found=m[0], expected="按实际数字和情况改写，删去模板说明")


def _decimals(text: Text, claims: list[Claim]) -> None:
    for c in claims:
        if c.kind == "amount" and c.decimals not in (0, AMOUNT_DECIMALS):
            text.add_at(c, "warning", "小数位", f"金额应保留 {AMOUNT_DECIMALS} 位小数",
                        expected=format_amount(c.value))
        if c.kind != "rate":
            continue
        if not c.unit:
            text.add_at(c, "error", "百分号", "比率没有写“%”", found=c.text, expected=c.text + "%")
        elif c.decimals != current().numbers.rate_decimals:
            text.add_at(c, "warning", "小数位", f"比率应保留 {current().numbers.rate_decimals} 位小数",
                        expected=format_rate(c.value))


# ---------------------------------------------------------------- changes
def _before(claims: list[Claim], claim: Claim) -> list[Claim]:
    return claims[:claims.index(claim)][::-1]


def report_year(text: Text) -> int | None:
    """The year the chapter reports on: the most frequent "NNNN年度" (else the latest "NNNN年")."""
    from collections import Counter

    whole = "\n".join(p.text for p in text.paragraphs)
    years = Counter(re.findall(r"(\d{4})年度", whole))
    if years:
        return int(years.most_common(1)[0][0])
    found = [int(y) for y in re.findall(r"(\d{4})年", whole)]
    return max(found) if found else None


def _is_prior(c: Claim, year: int | None) -> bool:
    """An amount stated for last year: "上年…", "2023年度…" (a year before the report's)."""
    return c.base and ("上年" in c.label or (year is not None and any(
        int(y) < year for y in re.findall(r"(\d{4})年", c.label))))


def _changes(text: Text, claims: list[Claim], year: int | None) -> None:
    for i, c in enumerate(claims):
        if c.cue != "change":
            continue
        if c.value == ZERO:
            text.add_at(c, "error", "方向", f"增减额为0却写“{c.direction}”", expected="持平（与上年相同）")
            continue
        rate = claims[i + 1] if i + 1 < len(claims) and claims[i + 1].cue == "rate_change" else None
        before = claims[:i][::-1]
        window = [x for x in before[:next((k for k, x in enumerate(before) if x.cue in ("change", "rate_change")),
                                          len(before))]]
        prior = next((x for x in window if _is_prior(x, year)), None)
        current = next((x for x in before if x.base and not _is_prior(x, year)), None)
        if prior is not None and current is not None and current in window:
            _stated_prior(text, current, prior, c, rate)
        elif rate is not None and DIRECTION_SIGN[c.direction] != DIRECTION_SIGN[rate.direction]:
            _contradiction(text, c, rate, current)
        elif rate is not None and current is not None and not text.settled(rate, c, current):
            _derived_prior(text, current, c, rate)


def _stated_prior(text: Text, current: Claim, prior: Claim, amount: Claim, rate: Claim | None) -> None:
    """本年 X、上年 Y both stated: 增减额 = |X − Y|, its direction by the sign, 增长率 = |X − Y| ÷ Y × 100."""
    if text.settled(amount, current, prior):
        return
    diff = current.value - prior.value
    how = f"|{format_operand(current.value)} − {format_operand(prior.value)}|"
    if diff == ZERO:
        text.add_word(amount, "error", "方向", "所述本年数与上年数相等，却写了增减", "持平", formula=how)
        return
    right = "增加" if diff > ZERO else "减少"
    if DIRECTION_SIGN[amount.direction] != (1 if diff > ZERO else -1):
        text.add_word(amount, "error", "方向", f"所述本年数{'大于' if diff > ZERO else '小于'}上年数，应写“{right}”",
                      right, formula=how)
    if amount.value != abs(diff):
        text.add_at(amount, "error", "增减额", "增减额与所述本年数、上年数不符",
                    expected=format_amount(abs(diff)), formula=how)
    if rate is None or text.settled(rate):
        return
    if prior.value == ZERO:
        text.add_at(rate, "error", "标签", "上年数为0，增长率无意义，不应写增长率", expected="删去增长率，可写“上年无此项支出”")
    elif prior.value > ZERO and rate.value != percent(abs(diff), prior.value, rate.decimals):
        text.add_at(rate, "error", "增长率", "增减率与所述本年数、上年数不符",
                    expected=format_rate(percent(abs(diff), prior.value, rate.decimals)),
                    formula=f"{how} ÷ {format_operand(prior.value)} × 100")


def _derived_prior(text: Text, current: Claim, amount: Claim, rate: Claim) -> None:
    """本年 X and 增减额 C stated: 上年 = X ∓ C, 增长率 = C ÷ 上年 × 100."""
    sign = DIRECTION_SIGN[amount.direction]
    prior = current.value - sign * amount.value
    op = "−" if sign > 0 else "+"
    if prior == ZERO:
        text.add_at(rate, "error", "标签", "上年数为0（本年数与增减额相等），增长率无意义，不应写增长率",
                    expected="删去增长率，可写“上年无此项支出”",
                    formula=f"上年 = {format_operand(current.value)} {op} {format_operand(amount.value)} = 0")
    elif prior > ZERO and rate.value != percent(amount.value, prior, rate.decimals):
        text.add_at(rate, "error", "增长率", f"{rate.direction}率与所述本年数、增减额不符",
                    expected=format_rate(percent(amount.value, prior, rate.decimals)),
                    formula=f"{format_operand(amount.value)} ÷ ({format_operand(current.value)} {op} "
                            f"{format_operand(amount.value)}) × 100")


def _contradiction(text: Text, amount: Claim, rate: Claim, current: Claim | None) -> None:
    """增加 … 下降 in one change: the word the stated rate agrees with is kept, the other is wrong."""
    if text.key(amount) in text.wrong or text.key(rate) in text.wrong:
        return
    agrees_with_rate = False
    if current is not None:
        prior = current.value - DIRECTION_SIGN[rate.direction] * amount.value
        agrees_with_rate = prior > ZERO and percent(amount.value, prior, rate.decimals) == rate.value
    message = f"同一处变化先写“{amount.direction}”又写“{rate.direction}”，自相矛盾"
    if agrees_with_rate:
        right = "增加" if DIRECTION_SIGN[rate.direction] > 0 else "减少"
        text.add_word(amount, "error", "方向", message + f"；按所述本年数和{rate.direction}率，应为“{right}”", right)
    else:
        right = "增长" if DIRECTION_SIGN[amount.direction] > 0 else "下降"
        text.add_word(rate, "error", "方向", message, right)


_CLAUSE_GROUP = re.compile(r"[。；]|其中[：:]")  # "减少1.29万元，其中：因公出国（境）费持平" is no contradiction


def _equal_and_changed(text: Text, number: int, paragraph: str, claims: list[Claim]) -> None:
    """"持平" / "与上年相同" in the sentence (up to "其中：") that states a change ("减少10.12万元")."""
    for m in EQUAL_WORDS.finditer(paragraph):
        if "预算" in paragraph[max(0, m.start() - 8):m.start()] or paragraph[max(0, m.start() - 2):m.start()] == "基本":
            continue  # 决算数与预算数持平 is judged by _budgets; 基本持平 allows a small change
        left = max((b.end() for b in _CLAUSE_GROUP.finditer(paragraph, 0, m.start())), default=0)
        after = _CLAUSE_GROUP.search(paragraph, m.end())
        right = after.start() if after else len(paragraph)
        change = next((c for c in claims if c.cue == "change" and c.value and left < c.start < right), None)
        if change is None:
            continue
        stated = f"{change.direction}{change.text}{change.unit}"
        text.add("error", "方向", f"同一句既写“{stated}”又写“{m[0]}”，自相矛盾", number, m.start(), m.end(),
                 found=m[0], expected=stated)


# ---------------------------------------------------------------- budgets and completion
def _segment_start(paragraph: str, pos: int, marks: str = "；") -> int:
    cut = max(paragraph.rfind(m, 0, pos) for m in marks)
    other = paragraph.rfind("其中", 0, pos)
    return max(cut, other)


def _budget_pair(paragraph: str, claims: list[Claim], pos: int, marks: str) -> tuple[Claim, Claim] | None:
    """The 预算 and 决算 amounts stated before ``pos`` in the same clause group."""
    floor = _segment_start(paragraph, pos, marks)
    local = [c for c in claims if floor < c.start < pos]
    budget = next((c for c in reversed(local) if c.role == "budget"), None)
    if budget is None:
        return None
    actual = next((c for c in local if c.start > budget.start and c.base and c.role != "budget"), None)
    return (budget, actual) if actual is not None else None


def _budgets(text: Text, paragraph: str, claims: list[Claim]) -> None:
    for c in claims:
        if c.cue != "completion" or text.key(c) in text.wrong:
            continue
        pair = _budget_pair(paragraph, claims, c.start, "；。")
        if pair is None:
            continue
        budget, actual = pair
        if budget.value == ZERO:
            text.add_at(c, "error", "标签", "预算数为0，不能写完成预算的比例",
                        expected="删去“完成…预算的…%”，写明预算为0万元及决算数",
                        formula="完成率 = 决算数 ÷ 预算数 × 100，预算数为0时无意义")
        elif not text.settled(c, budget, actual) and c.value != percent(actual.value, budget.value, c.decimals):
            text.add_at(c, "error", "完成率", "完成预算的比例与所述预算数、决算数不符",
                        expected=format_rate(percent(actual.value, budget.value, c.decimals)),
                        formula=f"{format_operand(actual.value)} ÷ {format_operand(budget.value)} × 100")
    for m in _BUDGET_WORDS.finditer(paragraph):
        pair = _budget_pair(paragraph, claims, m.start(), "；")
        if pair is None:
            continue
        budget, actual = pair
        if text.key(budget) in text.wrong or text.key(actual) in text.wrong:
            continue  # the tables already showed an operand wrong
        word = m[1]
        if "持平" in word:
            if "基本" in word or actual.value == budget.value:
                continue
            right = "大于" if actual.value > budget.value else "小于"
        else:
            bigger = word in ("大于", "超过", "高于")
            if actual.value == budget.value:
                right = "与预算数持平"
            elif (actual.value > budget.value) == bigger:
                continue
            else:
                right = "小于" if bigger else "大于"
        text.add("error", "方向", f"“决算数{word}”与所述年初预算{format_amount(budget.value)}万元、"
                 f"决算{format_amount(actual.value)}万元不符", budget.paragraph, m.start(), m.end(),
                 found=m[0], expected=f"决算数{right}" + ("" if "持平" in right else "预算数"),
                 formula=f"{format_operand(actual.value)} − {format_operand(budget.value)}")


# ---------------------------------------------------------------- lists
@dataclass
class ListSpec:
    total: Claim
    items: list[list[Claim]] = field(default_factory=list)

    def amounts(self) -> list[Claim]:
        """Each item's own figure: the one with the total's role (预算/决算), else its first figure."""
        out = []
        for item in self.items:
            same = [c for c in item if c.kind == self.total.kind and (c.base or c.kind == "count")
                    and c.unit == self.total.unit]
            if self.total.role:
                pick = next((c for c in same if c.role == self.total.role), None)
                if pick is None and self.total.role == "actual":
                    pick = next((c for c in same if c.role != "budget"), None)
            else:
                pick = next((c for c in same if c.role != "budget"), None)
            if pick is not None:
                out.append(pick)
        return out

    def shares(self) -> list[tuple[Claim, Claim]]:
        """(share, its part) for every "占 P%" right after a part in the list."""
        out = []
        for item in self.items:
            for i, c in enumerate(item):
                if c.cue == "share" and not _SHARE_OF.search(c.label):
                    part = next((x for x in reversed(item[:i]) if x.base), None)
                    if part is not None:
                        out.append((c, part))
        return out


def lists(text: Text) -> list[ListSpec]:
    """Every "其中：" list whose total is stated right before the colon."""
    out: list[ListSpec] = []
    paragraphs = text.paragraphs
    for p in paragraphs:
        if p.heading:
            continue
        for m in _LIST_OPENER.finditer(p.text):
            before = [c for c in text.claims[p.number] if c.end <= m.start()]
            total = next((c for c in reversed(before) if c.base or c.kind == "count"), None)
            if total is None:
                continue
            spec = ListSpec(total)
            rest = p.text[m.end():]
            if rest.strip():
                stop = p.text.find("。", m.end())
                stop = len(p.text) if stop < 0 else stop
                region = [c for c in text.claims[p.number] if m.end() <= c.start < stop]
                spec.items = _items(p.text, region, total)
            else:
                numbered = _NUMBERED.match(p.text)
                for q in paragraphs[p.number:]:
                    if q.heading or _LIST_OPENER.search(q.text):
                        break
                    if numbered and _NUMBERED.match(q.text) and not _NUMBERED.match(paragraphs[p.number].text):
                        break
                    spec.items.extend(_items(q.text, text.claims[q.number], total))
            out.append(spec)
    return out


def _items(paragraph: str, claims: list[Claim], total: Claim) -> list[list[Claim]]:
    items: list[list[Claim]] = []
    previous_end = None
    for c in claims:
        if total.kind == "count":
            if c.kind == "count" and c.unit == total.unit:
                items.append([c])
            continue
        gap = paragraph[previous_end:c.start] if previous_end is not None else None
        if not items or (gap is not None and ("；" in gap or re.match(r"^(?:万元|万|%)?、", gap))):
            items.append([])
        items[-1].append(c)
        previous_end = c.end
    return items


def _list(text: Text, spec: ListSpec) -> None:
    parts = spec.amounts()
    total = spec.total
    failed = False
    if len(parts) >= 2 or (parts and parts[0].value > total.value):
        added = sum((c.value for c in parts), ZERO)
        diff = total.value - added
        nonzero = sum(1 for c in parts if c.value) + 1
        tol = ZERO if total.kind == "count" else tolerance(nonzero)
        how = " + ".join(format_operand(c.value) if c.kind == "amount" else str(c.value) for c in parts)
        if diff and not text.settled(total, *parts) and not all(text.key(c) in text.judged for c in [total, *parts]):
            shown = format_amount(added) if total.kind == "amount" else str(added)
            if len(parts) < 2:
                text.add_at(total, "error", "合计", "其中一项大于合计数", expected=f"不小于 {shown}",
                            formula=f"{how} > {total.text}")
            elif abs(diff) <= tol:
                text.add_at(total, "info", "合计", f"各项之和与合计相差 {format_operand(diff)}，在尾数误差 "
                            f"{format_operand(tol)} 以内", expected=shown, formula=how)
            else:
                failed = True
                text.wrong.add(text.key(total))
                text.add_at(total, "error", "合计", "所列各项之和与合计数不符", expected=shown, formula=f"{how} = {shown}")
    shares = spec.shares()
    if not shares or total.value == ZERO:
        return
    denominators = [total.value]
    if failed:
        denominators.append(sum((c.value for c in parts), ZERO))
    printed_sum = sum((s.value for s, _ in shares), ZERO)
    for share, part in shares:
        if text.settled(share, part, total):
            continue
        expected = [percent(part.value, d, share.decimals) for d in denominators if d]
        if share.value in expected:
            continue
        right = expected[0]
        independent = sum((percent(p.value, total.value, s.decimals) for s, p in shares), ZERO)
        how = f"{format_operand(part.value)} ÷ {format_operand(total.value)} × 100"
        if printed_sum == HUNDRED and independent != HUNDRED and abs(share.value - right) <= Decimal("0.05"):
            text.add_at(share, "warning", "强制凑百", "占比被调整为合计100%；应各项独立四舍五入（不强制合计100%）",
                        expected=format_rate(right), formula=how)
        else:
            text.add_at(share, "error", "占比", "占比与所述金额不符", expected=format_rate(right), formula=how)


# ---------------------------------------------------------------- "占本年支出合计的P%"
def _name(label: str) -> str:
    return re.sub(r"^(?:\d+年度?|本年度?|全年|年度)", "", label).strip()


def _shares_of_named_totals(text: Text) -> None:
    named: dict[str, list[Claim]] = {}
    for p in text.paragraphs:
        for c in text.claims[p.number]:
            if c.base and c.label:
                named.setdefault(_name(c.label), []).append(c)
            if c.cue != "share":
                continue
            m = _SHARE_OF.search(c.label)
            if not m:
                continue
            wholes = named.get(_name(m[1]), [])
            values = {w.value for w in wholes}
            part = next((x for x in _before(text.claims[p.number], c) if x.base), None)
            if len(values) != 1 or part is None or text.settled(c, part, *wholes):
                continue
            whole = values.pop()
            if whole and c.value != percent(part.value, whole, c.decimals):
                text.add_at(c, "error", "占比", f"占{m[1]}的比例与所述金额不符",
                            expected=format_rate(percent(part.value, whole, c.decimals)),
                            formula=f"{format_operand(part.value)} ÷ {format_operand(whole)} × 100（{m[1]}）")


# ---------------------------------------------------------------- 小微企业 within 中小企业
def _small_within_sme(text: Text, paragraph: str, claims: list[Claim]) -> None:
    """"面向小微企业预留…120.00万元" may not exceed "面向中小企业预留…200.00万元" (same label otherwise);
    "中小企业…；其中：小微企业…" is a list, checked by :func:`_list`."""
    smes = [c for c in claims if c.base and "中小企业" in c.label]
    for c in claims:
        if not (c.base and "小微企业" in c.label):
            continue
        key = c.label.replace("小微企业", "中小企业")
        sme = next((x for x in reversed(smes) if x.start < c.start and (x.label.endswith(key) or key.endswith(x.label))),
                   None)
        if sme is None or c.value <= sme.value or text.settled(c, sme) or _LIST_OPENER.search(
                paragraph, sme.end, c.start):
            continue
        text.add_at(c, "error", "合计", "小微企业的金额大于中小企业的金额（小微企业是中小企业的一部分）",
                    expected=f"不大于 {format_amount(sme.value)}",
                    formula=f"{format_operand(c.value)} > {format_operand(sme.value)}（{sme.label}）")

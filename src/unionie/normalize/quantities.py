"""Quantities: every number-with-unit mention in a text (SCHEMA.md ``Quantity``).

The scanner is built on numerals (:mod:`unionie.normalize.numbers`): it finds a
numeral, then reads what stands around it, one named step at a time — a qualifier or a
currency before (近, 约, 超过, 人民币), an approximate numeral (两三百), a numeral with
个 and a scale (两个亿), a range (至, ~, -), 余/多, a scale word (万, 亿), 成 (七成),
the unit, a rate (``/人/年``, ``每人每年``, ``人均``) and a qualifier after (以上,
左右). Every word comes from ``data/quantities.yaml``, compiled by
:mod:`unionie.normalize.quantity_lexicon`; this module only reads.

It works on the *folded* text (same length as the input, see
:mod:`unionie.normalize.text`), so offsets are valid in the original text and
spans are cut from the original.
"""
from __future__ import annotations

from bisect import bisect_right
from decimal import Decimal
from typing import Iterator

import re as regex  # every pattern here is plain: the stdlib engine is the faster one for them

from ..document import Quantity, fast_constructor
from ..errors import QuantityParseError
from .numbers import (CN_NUMERAL_CHARS, DIGIT_VALUE, MAX_DIGITS, RUN_CHARS, Reading, own_scale, parse_number,
                      parse_numeral, scale_product, split_scale)
from .quantity_lexicon import QuantityLexicon, lexicon
from .text import fold

_QUANTITY = fast_constructor(Quantity)  # Quantity(*every field): made thousands of times per second

__all__ = ["find_quantities", "parse_quantity", "numerals", "QuantityLexicon", "lexicon"]

_CN = CN_NUMERAL_CHARS
_BARE_CHARS = frozenset("百千万萬亿億佰仟")
_BARE_STRIP = "".join(sorted(_BARE_CHARS))

_QUOTE_RE = regex.compile(r"[“\"「『‘']([^”\"」』’'\n]{1,6})[”\"」』’']")
_HAS_NUMERAL = regex.compile(r"[\d" + _CN + "]")
_GAP_BREAK = regex.compile(r"[\d，,。；;、]")


def _masked(text: str, lex: QuantityLexicon) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    if lex.names_re is not None:
        spans += [m.span() for m in lex.names_re.finditer(text)]
    spans += [m.span(1) for m in _QUOTE_RE.finditer(text) if _HAS_NUMERAL.search(m.group(1))]
    return spans


# ---------------------------------------------------------------------------
# Reading one numeral: the named steps, in the order they read the text
# ---------------------------------------------------------------------------

def _not_a_figure(text: str, s: int, e: int, numtxt: str, lex: QuantityLexicon) -> bool:
    """The numeral at ``text[s:e]`` is part of something else: a code (A3, #5), an ordinal
    (第一), a piece of a longer numeral, or an article (一支队伍)."""
    prev = text[s - 1] if s > 0 else ""
    if prev and (prev.isascii() and (prev.isalnum() or prev in ".#")):
        return True
    if prev in lex.ordinal_prefixes:
        return True
    if prev and prev in RUN_CHARS:
        return True  # 一0万, 1万2000, 0十四万: a numeral glued to another is not read in pieces
    if prev in lex.mid and s > 1 and (text[s - 2] in RUN_CHARS or text[s - 2].isdigit()):
        return True  # 十余5人: the piece after 余/多 of a numeral is not a figure of its own
    # 一 as an article: 一支队伍, 一批 (but 一个多亿 and 一至三人 are figures)
    return numtxt in lex.articles and not (
        numtxt in lex.article_figures and (lex.ge_re.match(text, e) or lex.range_re.match(text, e)))


def _qualifier_before(text: str, s: int, e: int, value: Decimal, bare: bool,
                      lex: QuantityLexicon) -> tuple[str, int, Decimal]:
    """A qualifier word before the numeral (约, 超过, 近; 上千 for a bare scale, 成千上万):
    the qualifier, where the figure starts, and its value."""
    qualifier, start = "exact", s
    found = lex.pre_before(text, start)
    gap = 0
    if found is None and start > 0 and text[start - 1] == " ":  # 超过 200人: a space pasted from a web page
        found, gap = lex.pre_before(text, start - 1), 1
    if found is not None:
        w, k = found
        at = start - gap - len(w)
        before = text[at - 1] if at > 0 else ""
        if not (before and before in lex.pre_not_after.get(w, "")):
            qualifier, start = k, at
    elif bare:
        for w, k in lex.bare_prefixes.items():
            if text.endswith(w, 0, start):
                qualifier, start = k, start - len(w)
                for idiom, v in lex.bare_idioms.items():  # 成千上万: over 1000
                    if text.endswith(idiom, 0, e) and start - (len(idiom) - len(w) - (e - s)) >= 0:
                        start, value = e - len(idiom), v
                        break
                break
    return qualifier, start, value


def _currency_before(text: str, start: int, qualifier: str,
                     lex: QuantityLexicon) -> tuple[str | None, int, str]:
    """A currency named before the figure (人民币约500万元 / 约人民币500万元): the currency,
    where the figure starts, and the qualifier (one before the currency counts)."""
    cb = lex.currency_before_at(text, start)
    if cb is None:
        return None, start, qualifier
    start -= len(cb[1])
    if qualifier == "exact":
        found = lex.pre_before(text, start)
        if found is not None:
            qualifier, start = found[1], start - len(found[0])
    return cb[0], start, qualifier


def _read_at(text: str, m: regex.Match[str], lex: QuantityLexicon) -> Quantity | None:
    """The figure read from the numeral ``m`` and what stands around it, or None."""
    s, e = m.span()
    numtxt = m.group()
    if _not_a_figure(text, s, e, numtxt, lex):
        return None
    try:
        reading = parse_numeral(numtxt)
    except ValueError:
        return None
    bare = not numtxt.strip(_BARE_STRIP)  # every character a bare scale (百, 千万)
    qualifier, start, value = _qualifier_before(text, s, e, reading.value, bare, lex)
    currency, start, qualifier = _currency_before(text, start, qualifier, lex)
    if reading.value_max is not None:
        return _approximate(text, lex, start, e, value, reading, currency)
    return _exact(text, lex, numtxt, bare, start, e, value, qualifier, currency)


def _approximate(text: str, lex: QuantityLexicon, start: int, pos: int, value: Decimal,
                 reading: Reading, currency: str | None) -> Quantity | None:
    """Layer 3, an approximate numeral is a range: 两三百人, 十几万元, 数百名."""
    um = lex.unit_re.match(text, pos)
    via = "+" + reading.rule
    if um:
        return _finish(text, lex, start, um, value, "range", reading.value_max, currency=currency, via=via)
    if currency is not None:
        return _finish(text, lex, start, None, value, "range", reading.value_max,
                       currency=currency, end=pos, via=via)
    return None


def _range_unit_after(text: str, lex: QuantityLexicon, numtxt: str, start: int, pos: int,
                      value: Decimal, currency: str | None) -> Quantity | None:
    """A range whose unit comes after its second end: 2至4万元, 15-30人, 三到四万元."""
    second = _range_end(text, lex, pos)
    if second is None:
        return None
    num2, v2, extra_scale, p2 = second
    um = lex.unit_re.match(text, p2)
    if not (um or currency is not None):
        return None
    v1 = value
    shared = split_scale(num2)
    via = "+range"
    if shared is not None and not own_scale(numtxt, shared[1]) and value <= shared[0]:
        v1 = value * scale_product(shared[1])  # the scale of the second end spreads to the first
        via = "+range.shared_scale"
    v1 *= scale_product(extra_scale)
    v2 *= scale_product(extra_scale)
    if v2 > v1:
        return _finish(text, lex, start, um, v1, "range", v2, currency=currency, end=p2, via=via)
    return None


def _exact(text: str, lex: QuantityLexicon, numtxt: str, bare: bool, start: int, pos: int,
           value: Decimal, qualifier: str, currency: str | None) -> Quantity | None:
    """An exact numeral: 个 and a scale, a range, 余/多 and a scale, 成, then the unit."""
    # 两个亿, 一个多亿: a numeral, 个 (多) and a scale
    gm = lex.ge_re.match(text, pos) if not own_scale(numtxt, "十") else None
    if gm:
        value *= scale_product(gm["scale"])
        if gm["more"]:
            qualifier = "over"
        pos = gm.end()
    else:
        q = _range_unit_after(text, lex, numtxt, start, pos, value, currency)
        if q is not None:
            return q
    # 余/多 then an optional scale: 1500余人, 450多万元, 13万余张
    mm = lex.mid_re.match(text, pos)
    if mm:
        qualifier = lex.mid[mm.group("mid")]
        pos = mm.end()
    sm = lex.scale_re.match(text, pos)
    if sm and mm:  # 450多万元: the scale comes after 余/多
        value *= scale_product(sm.group())
        pos = sm.end()
    # a percentage written as 成: 七成 = 70 %, 八成以上
    cm = lex.cheng_re.match(text, pos)
    if cm and value <= 10 and (not numtxt.isascii() or len(numtxt) == 1) and currency is None:
        q2, end = _post(text, lex, cm.end(), qualifier)
        return Quantity(text=text[start:end], start=start, end=end, value=value * 10, unit="%",
                        qualifier=q2, rule="quantity.percent.cheng")  # type: ignore[arg-type]
    um = lex.unit_re.match(text, pos)
    if not um:
        scaled = gm is not None or (numtxt[-1] in "万萬亿億" and not bare) or (sm is not None and mm)
        return _without_unit(text, lex, start, pos, value, qualifier, currency, bool(scaled), gm is not None)
    if bare and qualifier == "exact" and not lex.post_re.match(text, um.end()):
        return None  # a bare 百/千/万 needs a qualifier: 百余名, 上千名, 百人以上 (千家万户 is a name)
    # a range that repeats its unit: 2万元至6万元, 300元～800元, 2万元--4万元
    second = _range_end(text, lex, um.end())
    if second is not None:
        _, v2, extra_scale, p2 = second
        v2 *= scale_product(extra_scale)
        um2 = lex.unit_re.match(text, p2)
        if um2 and um2.group("unit") == um.group("unit") and v2 > value:
            return _finish(text, lex, start, um2, value, "range", v2, currency=currency,
                           via="+range.repeated_unit")
    return _finish(text, lex, start, um, value, qualifier, None, currency=currency,
                   via="+numeral.ge_scale" if gm else "")


def _without_unit(text: str, lex: QuantityLexicon, start: int, pos: int, value: Decimal, qualifier: str,
                  currency: str | None, scaled: bool, ge: bool) -> Quantity | None:
    """A figure with no unit word after it: money when a currency was named before
    (美金100万) or a money noun stands before a scaled figure (专项资金150万); 两个亿."""
    if currency is not None:  # 美金100万, 人民币300万
        return _finish(text, lex, start, None, value, qualifier, None, currency=currency, end=pos)
    if scaled and lex.money_noun_re is not None and lex.money_noun_re.search(text, max(0, start - 8), start):
        # a bare 万/亿 figure given for money: 专项资金150万, 经费30万
        return _finish(text, lex, start, None, value, qualifier, None, currency="CNY", end=pos,
                       via="+money.bare_scale")
    if ge:  # 两个亿 with no unit: a figure without a measure word
        return _finish(text, lex, start, None, value, qualifier, None, end=pos, via="+numeral.ge_scale")
    return None


def _range_end(text: str, lex: QuantityLexicon, pos: int) -> tuple[str, Decimal, str, int] | None:
    """The second end of a range at ``pos`` (至/到/~/- and a numeral, then 余/多 and a scale):
    its numeral as written, its value, the scale after it, and where it ends."""
    rm = lex.range_re.match(text, pos)
    if rm is None:
        return None
    try:
        v2 = parse_number(rm.group("num"))
    except ValueError:
        return None
    p = rm.end()
    mm = lex.mid_re.match(text, p)
    if mm:
        p = mm.end()
    sm = lex.scale_re.match(text, p)
    return rm.group("num"), v2, (sm.group() if sm else ""), (sm.end() if sm else p)


def _post(text: str, lex: QuantityLexicon, end: int, qualifier: str) -> tuple[str, int]:
    """A qualifier after the figure (以上, 左右, 多)."""
    pm = lex.post_re.match(text, end)
    if pm:
        w = pm.group()
        # 多 after a unit only counts when it is not the start of a word (多项, 多名)
        starts_word = lex.post_not_before.get(w)
        if not (starts_word and end + 1 < len(text) and text[end + 1] in starts_word):
            return lex.post[w], pm.end()
    return qualifier, end


def _finish(text: str, lex: QuantityLexicon, start: int, um: regex.Match[str] | None, value: Decimal,
            qualifier: str, value_max: Decimal | None, *, currency: str | None = None,
            end: int | None = None, via: str = "") -> Quantity:
    """Layer 4: the unit (or the currency named before), 角/毛/分, a rate and a qualifier after.
    ``um`` is None for a figure without a unit word (美金100万, 两个亿): it ends at ``end``.
    ``via`` names the rules of the lower layers that read the figure (shown by ``explain``)."""
    per: list[str] = []
    if um is not None:
        unit_txt = um.group("unit")
        end = um.end()
    else:
        unit_txt = ""
        assert end is not None
    rule = "quantity.count"
    if unit_txt in lex.money or (um is None and currency is not None):
        unit = lex.money.get(unit_txt, "CNY")
        if currency is not None and (um is None or unit_txt in lex.generic_yuan):
            unit = currency  # 港币500万元: 元 is the currency named before
        rule = "quantity.money"
        if unit_txt in lex.generic_yuan and value_max is None:
            # 角/毛/分 after 元/块: 六元五角 6.5, 十二块三毛 12.3
            mn = lex.minor_re.match(text, end)
            if mn:
                j, f = mn["j"], mn["f"] or mn["f2"]
                value = value + (DIGIT_VALUE[j] / 10 if j else 0) + (DIGIT_VALUE[f] / 100 if f else 0)
                end = mn.end()
                via += "+money.minor"
    elif unit_txt in lex.percent:
        unit = "%"
        rule = "quantity.percent"
    else:
        unit = unit_txt
    # rate written after: 5000元/人/年, 300元/(人·月)
    pm = lex.per_re.match(text, end)
    if pm:
        per = lex.per_unit_re.findall(pm.group())
        end = pm.end()
        rule += ".rate"
    if unit_txt == lex.national_yuan and text.startswith(lex.national_currency, end):
        end += len(lex.national_currency)  # 500元人民币
    if qualifier != "range":
        qualifier, end = _post(text, lex, end, qualifier)
    if not per and unit != "%":
        per, start, rule = _rate_before(text, lex, start, rule)
    if text.endswith(lex.national_currency, 0, start):
        start -= len(lex.national_currency)
    if currency is not None and "bare_scale" not in via:
        via += "+currency.before"
    return _QUANTITY(text[start:end], start, end, value, unit, qualifier, value_max, tuple(per), rule + via)


def _rate_before(text: str, lex: QuantityLexicon, start: int, rule: str) -> tuple[list[str], int, str]:
    """A rate written before the figure: 每人每年3000元, 每户800元, 人均1860.5元, 日服务230.97万人次.
    The units it is given per, where the figure starts and its rule."""
    head = text[max(0, start - 14):start]
    money = rule.startswith("quantity.money")
    em = lex.each_re.search(head) if lex.each in head else None
    if em and len(em.group("gap")) > (10 if money else 4):
        em = None  # a count is given for a 每 close before it: 每周2次, 每年外出务工460多人
    if em and any(t in em.group("gap") for t in lex.totals):
        em = None  # 每年……累计投入: a total, not a rate
    if em:
        p1, p2, gap = em.group("p1"), em.group("p2"), em.group("gap")
        if not gap:  # 每人每年3000元: the 每 is part of the figure's span
            start = start - (len(head) - em.start())
        return [p1] + ([p2] if p2 else []), start, rule + ".rate"
    if lex.rate_prefix_re is not None and lex.rate_prefix_re.search(head):
        for w, units in lex.rate_prefixes_longest_first:
            if not money and not set(units) <= lex.rate_time_units:
                continue  # a count takes only a time average (日均服务2000人次), not 人均
            i = head.rfind(w)
            gap = 6 if money else 4  # 人均可支配收入达1.6万元
            if i >= 0 and len(head) - (i + len(w)) <= gap and not _GAP_BREAK.search(head[i + len(w):]):
                if i + len(w) == len(head):  # 人均1860元: the rate word is part of the span
                    start = start - (len(head) - i)
                return list(units), start, rule + ".rate"
    fm = lex.fused_re.search(text, max(0, start - 6), start)  # ^ only at the text start
    if fm and fm["v"][0] not in lex.fused_not_verbs:
        return [fm["t"]], start, rule + ".rate"  # 日服务230.97万人次, 年创收950万元, 一年能挣3万元
    return [], start, rule


def _too_large(v: Decimal | None) -> bool:
    return v is not None and (not v.is_finite() or v.adjusted() >= MAX_DIGITS)


def _clean(v: Decimal | None) -> Decimal | None:
    """89000.0 -> 89000 (an integral value without a spurious exponent or decimals)."""
    if v is None:
        return None
    return v.quantize(_ONE) if v == v.to_integral_value() else v.normalize()


_ONE = Decimal(1)


# ---------------------------------------------------------------------------
# The scan
# ---------------------------------------------------------------------------

def _percent_in_words(folded: str, lex: QuantityLexicon, pm: regex.Match[str]) -> Quantity | None:
    """百分之八十 (约百分之三十, 百分之五十以上), or None when its numeral is malformed."""
    try:
        v = parse_number(pm.group("num"))
    except ValueError:
        return None
    st = pm.start()
    qual = "exact"
    found = lex.pre_before(folded, st)
    if found is not None:
        qual, st = found[1], st - len(found[0])
    qual, en = _post(folded, lex, pm.end(), qual)
    return Quantity(text="", start=st, end=en, value=v, unit="%", qualifier=qual,  # type: ignore[arg-type]
                    rule="quantity.percent.words")


def _as_written(text: str, folded: str, q: Quantity) -> Quantity:
    """The figure with its span and count unit cut from the original text and clean values:
    個 stays 個 in a Traditional text (matching ran on the folded 个)."""
    unit = q.unit
    if unit and unit != "%" and not q.rule.startswith("quantity.money"):
        i = folded.find(unit, q.start, q.end)
        if i >= 0:
            unit = text[i:i + len(unit)]
    return _QUANTITY(text[q.start:q.end], q.start, q.end, _clean(q.value), unit, q.qualifier,
                     _clean(q.value_max), q.per, q.rule)


def numerals(folded: str, lex: QuantityLexicon) -> Iterator[regex.Match[str]]:
    """``lex.num_re.finditer(folded)``, about twice as fast: the scan jumps to the next character a
    numeral can start with (``num_start_re``) and tries the numeral there, so the pattern is
    not tried at every other character. The same matches: a numeral's match is never empty."""
    start, match = lex.num_start_re.search, lex.num_re.match
    pos = 0
    while (c := start(folded, pos)) is not None:
        m = match(folded, c.start())
        if m is None:
            pos = c.start() + 1
        else:
            yield m
            pos = m.end()


def find_quantities(text: str, folded: str | None = None, *, lex: QuantityLexicon | None = None
                    ) -> list[Quantity]:
    """Every quantity in ``text``, in text order, non-overlapping.

    ``folded`` is the length-preserving normalized text (computed when omitted);
    spans are cut from ``text``.
    """
    if folded is None:
        folded = fold(text)
    if len(folded) != len(text):  # pragma: no cover - a broken fold would break offsets
        raise ValueError("folded text must have the length of the text")
    lex = lex or lexicon()
    # masked spans sorted by start; the numbers come in text order, so one pointer
    # and the furthest end of the spans started so far tell whether a number is masked
    # (linear in the text, not numbers x spans)
    masked = sorted(_masked(folded, lex))
    mi, masked_to = 0, -1
    out: list[Quantity] = []
    last_end = 0
    # 百分之八十 first: its 百 must not be read as a count
    pct = list(lex.percent_words_re.finditer(folded))  # in text order, non-overlapping
    pct_starts = [p.start() for p in pct]
    for m in numerals(folded, lex):
        s = m.start()
        if s < last_end:
            continue
        while mi < len(masked) and masked[mi][0] <= s:
            masked_to = max(masked_to, masked[mi][1])
            mi += 1
        if s < masked_to:
            last_end = max(last_end, _range_after(folded, lex, m.end()))
            continue
        pi = bisect_right(pct_starts, s) - 1
        if pi >= 0 and s < pct[pi].end():
            if pct[pi].start() < last_end:
                continue
            q = _percent_in_words(folded, lex, pct[pi])
        else:
            q = _read_at(folded, m, lex)
            if q is None:
                last_end = max(last_end, _range_after(folded, lex, m.end()))
        if q is None or q.start < last_end:
            continue
        if _too_large(q.value) or _too_large(q.value_max):  # scaled past any real amount
            continue
        q = _as_written(text, folded, q)
        if out and not q.per and out[-1].per:
            q = _shared_rate(folded, out[-1], q, lex)
        out.append(q)
        last_end = q.end
    return out


def _range_after(folded: str, lex: QuantityLexicon, end: int) -> int:
    """Never a partial read: when a numeral is not read (malformed, a name, no unit), the second
    end of a range after it is not read alone either (2万(含)-4万元 is one expression or none;
    1500余至2000人 as well). Returns where that second end ends, or 0."""
    mm = lex.mid_re.match(folded, end)
    rm = lex.range_re.match(folded, mm.end() if mm else end)
    return rm.end() if rm is not None else 0


_JOINED = regex.compile(r"[^\d，,。；;：:！？!?]{0,8}")


def _shared_rate(folded: str, prev: Quantity, q: Quantity, lex: QuantityLexicon) -> Quantity:
    """A 每 earlier in the clause is given for every figure of the same unit joined to the first
    by 和/及/与/、: 每月只靠300元抚恤金和150元低保金 is per 月 twice. A rate written after
    the figure (5000元/人/年) belongs to that figure alone, and a total (合计近5万元) is none."""
    between = folded[prev.end:q.start]
    if ("/" in prev.text or prev.unit != q.unit or not _JOINED.fullmatch(between)
            or not any(j in between for j in lex.rate_joiners) or any(t in between for t in lex.totals)):
        return q
    return _QUANTITY(q.text, q.start, q.end, q.value, q.unit, q.qualifier, q.value_max, prev.per,
                     q.rule + ".rate")


def parse_quantity(expression: str) -> Quantity:
    """Parse one expression that is a single quantity: ``parse_quantity("2.2万余元")``.

    Raises :class:`~unionie.errors.QuantityParseError` when the expression holds no
    quantity, or more than one.
    """
    if not isinstance(expression, str):
        raise TypeError(f"parse_quantity expects str, got {type(expression).__name__}")
    stripped = expression.strip()
    found = find_quantities(stripped)
    if len(found) != 1:
        what = "no quantity" if not found else f"{len(found)} quantities"
        raise QuantityParseError(f"{what} in {expression!r}")
    return found[0]

"""Quantities: every number-with-unit mention in a text (SCHEMA.md ``Quantity``).

The scanner is built on numerals (:mod:`unionie.normalize.numbers`): it finds a
numeral, then reads what stands around it — a qualifier before (近, 约, 超过),
a range (至, ~, -), 余/多, a scale word (万, 亿), the unit, a rate (``/人/年``,
``每人每年``, ``人均``) and a qualifier after (以上, 左右). Every word list comes
from ``data/quantities.yaml``; this module only assembles patterns.

It works on the *folded* text (same length as the input, see
:mod:`unionie.normalize.text`), so offsets are valid in the original text and
spans are cut from the original.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Iterable

import re as regex  # every pattern here is plain: the stdlib engine is the faster one for them
import yaml

from ..document import Quantity, fast_constructor
from ..errors import QuantityParseError
from .numbers import CN_NUMERAL_CHARS, MAX_DIGITS, SCALES, parse_number, parse_numeral

_QUANTITY = fast_constructor(Quantity)  # Quantity(*every field): made thousands of times per second

__all__ = ["find_quantities", "parse_quantity", "QuantityLexicon", "lexicon"]

_ARABIC = r"(?:\d{1,3}(?:[,，]\d{3})+(?!\d)|\d{1,3}(?: \d{3})+(?![\d])|\d+)(?:\.\d+)?"
_CN = CN_NUMERAL_CHARS
_SCALE_CHARS = "十百千万萬亿億"
_BARE_SCALES = {"百", "千", "万", "萬", "亿", "億", "佰", "仟"}
_BARE_CHARS = frozenset("百千万萬亿億佰仟")


def _num_pattern(some: str) -> str:
    """Layer 1, numerals: Arabic (separators, decimals, a scale, a space before 万/亿: 18 万),
    Chinese, and approximate Chinese: the ``some`` characters (几, 数: ``numerals.some`` in
    the lexicon) are part of the run, so that 几十万 is read whole or not at all."""
    return (rf"(?:{_ARABIC})(?:[{_SCALE_CHARS}]{{1,3}}(?!分点)| [万萬亿億]{{1,2}})?"
            rf"|[{_CN}{regex.escape(some)}]+(?:[点點][零〇一二两三四五六七八九]+[万萬亿億]?)?")


def _alt(words: Iterable[str]) -> str:
    from ..lexicons import alternation

    return alternation(words)


@dataclass
class QuantityLexicon:
    """Compiled patterns of one quantity lexicon (``data/quantities.yaml`` by default)."""

    money: dict[str, str]
    percent: list[str]
    counts: list[str]
    per_units: list[str]
    pre: list[tuple[str, str]]          # (word, qualifier), longest first
    pre_not_after: dict[str, str]
    mid: dict[str, str]
    post: dict[str, str]
    bare_prefixes: dict[str, str]
    rate_prefixes: dict[str, list[str]]
    currency_before: dict[str, str]
    generic_yuan: frozenset[str]
    money_minor: dict[str, Decimal]
    money_noun_re: regex.Pattern[str] | None
    bare_idioms: dict[str, Decimal]
    ge_re: regex.Pattern[str]
    totals: tuple[str, ...]
    minor_re: regex.Pattern[str]
    num_re: regex.Pattern[str]
    unit_re: regex.Pattern[str]
    range_re: regex.Pattern[str]
    mid_re: regex.Pattern[str]
    scale_re: regex.Pattern[str]
    per_re: regex.Pattern[str]
    per_unit_re: regex.Pattern[str]
    post_re: regex.Pattern[str]
    each_re: regex.Pattern[str]
    names_re: regex.Pattern[str] | None
    percent_words_re: regex.Pattern[str]
    cheng_re: regex.Pattern[str]

    def __post_init__(self) -> None:
        # the qualifier words before a number, by word (the first listed wins) and by length
        self.pre_words: dict[str, str] = {}
        for w, k in self.pre:
            self.pre_words.setdefault(w, k)
        self.pre_lengths = sorted({len(w) for w in self.pre_words}, reverse=True)
        self.pre_last = frozenset(w[-1] for w in self.pre_words)
        # the rate words before money, longest first (每人每年 before 每人)
        self.rate_prefixes_longest_first = sorted(self.rate_prefixes.items(), key=lambda x: -len(x[0]))
        self.currency_longest_first = sorted(self.currency_before.items(), key=lambda x: -len(x[0]))

    def currency_before_at(self, text: str, start: int) -> tuple[str, str] | None:
        """The currency word (人民币, 港币, 美金 ...) ending at ``start`` (a space between
        allowed) and the number of characters it takes, or None."""
        end = start - 1 if start > 0 and text[start - 1] == " " else start
        for w, code in self.currency_longest_first:
            if text.endswith(w, 0, end):
                return code, text[end - len(w):start]
        return None

    def pre_before(self, text: str, start: int) -> tuple[str, str] | None:
        """The longest qualifier word ending at ``start`` and its qualifier, or None."""
        if start <= 0 or text[start - 1] not in self.pre_last:  # no word can end here
            return None
        words = self.pre_words
        for n in self.pre_lengths:
            if n <= start:
                k = words.get(text[start - n:start])
                if k is not None:
                    return text[start - n:start], k
        return None

    @classmethod
    def from_dict(cls, d: dict) -> "QuantityLexicon":
        money = {str(k): str(v) for k, v in d["money"].items()}
        percent = [str(x) for x in d["percent"]]
        counts = [str(x) for x in d["counts"]]
        not_after = {str(k): [str(x) for x in v] for k, v in (d.get("not_after") or {}).items()}
        units = sorted(set(money) | set(percent) | set(counts), key=lambda w: (-len(w), w))
        parts = []
        for u in units:
            neg = not_after.get(u)
            parts.append(regex.escape(u) + (f"(?!{_alt(neg)})" if neg else ""))
        unit_re = regex.compile(r" ?(?P<unit>" + "|".join(parts) + ")")
        q = d["qualifiers"]
        pre = [(w, k) for k, ws in q["pre"].items() for w in ws]
        pre.sort(key=lambda x: -len(x[0]))
        mid = {w: k for k, ws in q["mid"].items() for w in ws}
        post = {w: k for k, ws in q["post"].items() for w in ws}
        per_units = [str(x) for x in d["per_units"]]
        pu = _alt(per_units)
        seps = _alt(d["range_separators"])
        incl = _alt(d.get("range_inclusive") or ["(含)"])
        num = _num_pattern("".join(str(x) for x in (d.get("numerals") or {}).get("some") or []))
        names = [str(x) for x in d.get("names") or []] + [str(x) for x in d.get("idioms") or []]
        nouns = [str(x) for x in d.get("money_nouns") or []]
        links = [str(x) for x in d.get("money_noun_links") or []]
        minor = {str(k): Decimal(str(v)) for k, v in (d.get("money_minor") or {}).items()}
        digit = "0-9零〇一二两兩三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖"
        jiao = "".join(k for k, v in minor.items() if v == Decimal("0.1"))
        fen = "".join(k for k, v in minor.items() if v == Decimal("0.01"))
        return cls(
            money=money, percent=percent, counts=counts, per_units=per_units, pre=pre,
            mid=mid, post=post,
            pre_not_after={str(k): "".join(map(str, v)) for k, v in (d.get("pre_not_after") or {}).items()},
            bare_prefixes={str(k): str(v) for k, v in d["bare_scale_prefixes"].items()},
            rate_prefixes={str(k): [str(x) for x in v] for k, v in d["rate_prefixes"].items()},
            currency_before={str(k): str(v) for k, v in (d.get("currency_before") or {}).items()},
            generic_yuan=frozenset(str(x) for x in d.get("generic_yuan") or []),
            money_minor=minor,
            money_noun_re=(regex.compile(rf"(?:{_alt(nouns)})(?:{_alt(links)})?$") if nouns else None),
            bare_idioms={str(k): Decimal(str(v)) for k, v in (d.get("bare_scale_idioms") or {}).items()},
            totals=tuple(str(x) for x in d.get("totals") or []),
            ge_re=regex.compile(rf"个(?P<more>多)?(?P<scale>{_alt(d.get('ge_scales') or ['亿'])})"),
            minor_re=regex.compile(
                rf"(?:零?(?P<j>[{digit}])[{jiao}](?:零?(?P<f>[{digit}])[{fen}](?!钟))?"
                rf"|零?(?P<f2>[{digit}])[{fen}](?!钟|之|[{digit}]))"),
            num_re=regex.compile(num),
            unit_re=unit_re,
            range_re=regex.compile(rf" ?(?:{incl})? ?(?:{seps}) ?(?P<num>{num})"),
            mid_re=regex.compile(rf"(?:{_alt(mid)})"),
            scale_re=regex.compile(rf"[{_SCALE_CHARS}]{{1,3}}"),
            per_re=regex.compile(rf"(?:/\(?(?:{pu})(?:[·・.•/](?:{pu}))*\)?)+"),
            per_unit_re=regex.compile(pu),
            post_re=regex.compile(rf"(?:{_alt(post)})"),
            each_re=regex.compile(
                rf"每(?P<p1>{pu})(?:每?(?P<p2>{pu}))?(?P<gap>[^\d，,。；;：:！？!?、\s{_CN}/]{{0,10}})$"),
            names_re=regex.compile(_alt(names)) if names else None,
            percent_words_re=regex.compile(rf"百分之(?P<num>{num})"),
            cheng_re=regex.compile(r"成(?![员立为果绩效本功都长年型就交品熟绩全才人])"),
        )


@lru_cache(maxsize=1)
def lexicon() -> QuantityLexicon:
    """The bundled lexicon, loaded on first use and cached."""
    data = resources.files("unionie").joinpath("data/quantities.yaml").read_text(encoding="utf-8")
    return QuantityLexicon.from_dict(yaml.safe_load(data))


_QUOTE_RE = regex.compile(r"[“\"「『‘']([^”\"」』’'\n]{1,6})[”\"」』’']")
_HAS_NUMERAL = regex.compile(r"[\d" + _CN + "]")
_SCALED = regex.compile(rf"({_ARABIC})([{_SCALE_CHARS}]+)")
_GAP_BREAK = regex.compile(r"[\d，,。；;、]")
_TIME_PER = {"年", "月", "天", "日", "周", "季度", "季", "学期", "小时"}
# a time word fused to the verb the figure is given for: 日服务230.97万人次 (per 日), 年创收950万元
_FUSED_TIME = regex.compile(r"(?:^|[，,。；;：:\s、）)”])(?:一)?(?P<t>[日月年])(?P<v>[\u4e00-\u9fff]{1,2})$")
_NOT_FUSED = set("内底初末前后度中间来份终均")


def _masked(text: str, lex: QuantityLexicon) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    if lex.names_re is not None:
        spans += [m.span() for m in lex.names_re.finditer(text)]
    spans += [m.span(1) for m in _QUOTE_RE.finditer(text) if _HAS_NUMERAL.search(m.group(1))]
    return spans


def _scale_of(numtxt: str) -> tuple[str, str]:
    """Split '4万' into ('4', '万'); Chinese numerals have no separate scale."""
    m = _SCALED.fullmatch(numtxt)
    if m:
        return m.group(1), m.group(2)
    return numtxt, ""


def _mult(scale: str) -> Decimal:
    out = Decimal(1)
    for ch in scale:
        out *= SCALES[ch]
    return out


_DIGIT_VALUE = {ch: Decimal(i) for i, ch in enumerate("0123456789")}
_DIGIT_VALUE.update({ch: Decimal(i) for i, ch in enumerate("零一二三四五六七八九")})
_DIGIT_VALUE.update({"〇": Decimal(0), "两": Decimal(2), "兩": Decimal(2), "壹": Decimal(1),
                     "贰": Decimal(2), "貳": Decimal(2), "叁": Decimal(3), "參": Decimal(3),
                     "肆": Decimal(4), "伍": Decimal(5), "陆": Decimal(6), "陸": Decimal(6),
                     "柒": Decimal(7), "捌": Decimal(8), "玖": Decimal(9)})
# the characters that glue a following numeral into one run (not 数/几 and the 大写 forms,
# which also end ordinary words: 人数500人, 队伍6至8支)
_RUN_CHARS = frozenset("零〇一二两兩三四五六七八九十百千万萬亿億")
_OUTER = regex.compile(r"(?P<inner>.*?)(?P<outer>[万萬亿億]*)")


def _split_scale(numtxt: str) -> tuple[Decimal, str] | None:
    """The base and the scale a range's second end shares backwards: 4万 -> (4, 万),
    四万 -> (4, 万), 八千 -> (8, 千), 二百六十万 -> (260, 万); None when it has no scale."""
    base, sc = _scale_of(numtxt)
    if sc:
        return parse_number(base), sc
    if not numtxt or numtxt[0].isdigit():
        return None
    m = _OUTER.fullmatch(numtxt)
    assert m is not None
    inner, outer = m["inner"], m["outer"]
    if len(inner) == 2 and inner[1] in "千百仟佰" and inner[0] in _DIGIT_VALUE:
        inner, outer = inner[0], inner[1] + outer
    if not inner or not outer:
        return None
    try:
        return parse_number(inner), outer
    except ValueError:
        return None


def _own_scale(numtxt: str, shared: str = "万") -> bool:
    """Whether a range's first end carries its own scale, so that the ``shared`` scale of the
    second end does not spread to it: 2万 and 三万 have one; 二百二十 has none before 万
    (二百二十到二百六十万) but has one before 千 (二百至八千 is 200-8000)."""
    if _scale_of(numtxt)[1]:
        return True
    if numtxt[0].isdigit():
        return False
    own = "万萬亿億" if shared[0] in "万萬亿億" else "十百千万萬亿億拾佰仟"
    return any(ch in own for ch in numtxt)


def _read_at(text: str, m: regex.Match[str], lex: QuantityLexicon) -> Quantity | None:
    s, e = m.span()
    numtxt = m.group()
    # a trailing 点 is "o'clock", not a decimal point
    prev = text[s - 1] if s > 0 else ""
    if prev and (prev.isascii() and (prev.isalnum() or prev in ".#")):
        return None
    if prev == "第":
        return None
    if prev and prev in _RUN_CHARS:
        return None  # 一0万, 1万2000, 0十四万: a numeral glued to another is not read in pieces
    if prev in ("余", "多") and s > 1 and (text[s - 2] in _RUN_CHARS or text[s - 2].isdigit()):
        return None  # 十余5人: the piece after 余/多 of a numeral is not a figure of its own
    if numtxt in ("一", "零", "〇", "壹") and not (
            numtxt in "一壹" and (lex.ge_re.match(text, e) or lex.range_re.match(text, e))):
        return None  # 一 as an article: 一支队伍, 一批 (but 一个多亿 and 一至三人 are figures)
    try:
        reading = parse_numeral(numtxt)
    except ValueError:
        return None
    value = reading.value
    bare = all(ch in _BARE_CHARS for ch in numtxt)
    qualifier = "exact"
    start = s
    pos = e

    # before: a qualifier word, a currency (人民币约500万元 / 约人民币500万元)
    found = lex.pre_before(text, start)
    if found is not None:
        w, k = found
        before = text[start - len(w) - 1] if start - len(w) > 0 else ""
        if not (before and before in lex.pre_not_after.get(w, "")):
            qualifier, start = k, start - len(w)
    elif bare:
        for w, k in lex.bare_prefixes.items():
            if text.endswith(w, 0, start):
                qualifier, start = k, start - len(w)
                for idiom, v in lex.bare_idioms.items():  # 成千上万: over 1000
                    if text.endswith(idiom, 0, e) and start - (len(idiom) - len(w) - (e - s)) >= 0:
                        start, value = e - len(idiom), v
                        break
                break
    currency = None
    cb = lex.currency_before_at(text, start)
    if cb is not None:
        currency, start = cb[0], start - len(cb[1])
        if qualifier == "exact":
            found = lex.pre_before(text, start)
            if found is not None:
                qualifier, start = found[1], start - len(found[0])

    if reading.value_max is not None:
        # layer 3, an approximate numeral is a range: 两三百人, 十几万元, 数百名
        um = lex.unit_re.match(text, pos)
        via = "+" + reading.rule
        if um:
            return _finish(text, lex, start, um, value, "range", reading.value_max, currency=currency,
                           via=via)
        if currency is not None:
            return _finish(text, lex, start, None, value, "range", reading.value_max,
                           currency=currency, end=pos, via=via)
        return None

    # 两个亿, 一个多亿: a numeral, 个 (多) and a scale
    gm = lex.ge_re.match(text, pos) if not _own_scale(numtxt, "十") else None
    if gm:
        value *= _mult(gm["scale"])
        if gm["more"]:
            qualifier = "over"
        pos = gm.end()

    # a range whose unit comes after its second end: 2至4万元, 15-30人, 三到四万元
    second = None if gm else _range_end(text, lex, pos)
    if second is not None:
        num2, v2, extra_scale, p2 = second
        um = lex.unit_re.match(text, p2)
        if um or currency is not None:
            v1 = value
            shared = _split_scale(num2)
            via = "+range"
            if shared is not None and not _own_scale(numtxt, shared[1]) and value <= shared[0]:
                v1 = value * _mult(shared[1])  # the scale of the second end spreads to the first
                via = "+range.shared_scale"
            v1 *= _mult(extra_scale)
            v2 *= _mult(extra_scale)
            if v2 > v1:
                return _finish(text, lex, start, um, v1, "range", v2, currency=currency, end=p2, via=via)
    # 余/多 then an optional scale: 1500余人, 450多万元, 13万余张
    mm = lex.mid_re.match(text, pos)
    if mm:
        qualifier = lex.mid[mm.group()]
        pos = mm.end()
    sm = lex.scale_re.match(text, pos)
    if sm and mm:  # 450多万元: the scale comes after 余/多
        value *= _mult(sm.group())
        pos = sm.end()
    # a percentage written as 成: 七成 = 70 %, 八成以上
    cm = lex.cheng_re.match(text, pos)
    if cm and value <= 10 and (not numtxt.isascii() or len(numtxt) == 1) and currency is None:
        q2, end = _post(text, lex, cm.end(), qualifier)
        return Quantity(text=text[start:end], start=start, end=end, value=value * 10, unit="%",
                        qualifier=q2, rule="quantity.percent.cheng")  # type: ignore[arg-type]
    um = lex.unit_re.match(text, pos)
    if not um:
        if currency is not None:  # 美金100万, 人民币300万
            return _finish(text, lex, start, None, value, qualifier, None, currency=currency, end=pos)
        scaled = gm is not None or (numtxt[-1] in "万萬亿億" and not bare) or (sm is not None and mm)
        if scaled and lex.money_noun_re is not None and lex.money_noun_re.search(text, max(0, start - 8), start):
            # a bare 万/亿 figure given for money: 专项资金150万, 经费30万
            return _finish(text, lex, start, None, value, qualifier, None, currency="CNY", end=pos,
                           via="+money.bare_scale")
        if gm is not None:  # 两个亿 with no unit: a figure without a measure word
            return _finish(text, lex, start, None, value, qualifier, None, end=pos, via="+numeral.ge_scale")
        return None
    if bare and qualifier == "exact":
        # a bare 百/千/万 needs a qualifier: 百余名, 上千名, 百人以上 (else 千家万户, 万人 are names)
        pm = lex.post_re.match(text, um.end())
        if not pm:
            return None
    # a range that repeats its unit: 2万元至6万元, 300元～800元, 2万元--4万元
    second = _range_end(text, lex, um.end())
    if second is not None:
        _, v2, extra_scale, p2 = second
        v2 *= _mult(extra_scale)
        um2 = lex.unit_re.match(text, p2)
        if um2 and um2.group("unit") == um.group("unit") and v2 > value:
            return _finish(text, lex, start, um2, value, "range", v2, currency=currency,
                           via="+range.repeated_unit")
    return _finish(text, lex, start, um, value, qualifier, None, currency=currency,
                   via="+numeral.ge_scale" if gm else "")


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
    pm = lex.post_re.match(text, end)
    if pm:
        w = pm.group()
        # 多 after a unit only counts when it is not the start of a word (多项, 多名)
        if not (w == "多" and end + 1 < len(text) and text[end + 1] in "项名个次种家人场位方样元"):
            return lex.post[w], pm.end()
    return qualifier, end


def _finish(text: str, lex: QuantityLexicon, start: int, um: regex.Match[str] | None, value: Decimal,
            qualifier: str, value_max: Decimal | None, *, currency: str | None = None,
            end: int | None = None, via: str = "") -> Quantity | None:
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
                value = value + (_DIGIT_VALUE[j] / 10 if j else 0) + (_DIGIT_VALUE[f] / 100 if f else 0)
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
    if unit_txt == "元" and text.startswith("人民币", end):
        end += 3
    if qualifier != "range":
        qualifier, end = _post(text, lex, end, qualifier)
    # rate written before: 每人每年3000元, 每户800元, 人均1860.5元
    if not per and unit != "%":
        head = text[max(0, start - 14):start]
        em = lex.each_re.search(head)
        if em and len(em.group("gap")) > (10 if rule.startswith("quantity.money") else 4):
            em = None  # a count is given for a 每 close before it: 每周2次, 每年外出务工460多人
        if em and any(t in em.group("gap") for t in lex.totals):
            em = None  # 每年……累计投入: a total, not a rate
        if em:
            p1, p2, gap = em.group("p1"), em.group("p2"), em.group("gap")
            per = [p1] + ([p2] if p2 else [])
            if not gap:  # 每人每年3000元: the 每 is part of the figure's span
                start = start - (len(head) - em.start())
            rule += ".rate"
        else:
            for w, units in lex.rate_prefixes_longest_first:
                if not rule.startswith("quantity.money") and not set(units) <= _TIME_PER:
                    continue  # a count takes only a time average (日均服务2000人次), not 人均
                i = head.rfind(w)
                gap = 6 if rule.startswith("quantity.money") else 4  # 人均可支配收入达1.6万元
                if i >= 0 and len(head) - (i + len(w)) <= gap and not _GAP_BREAK.search(head[i + len(w):]):
                    per = list(units)
                    if i + len(w) == len(head):  # 人均1860元: the rate word is part of the span
                        start = start - (len(head) - i)
                    rule += ".rate"
                    break
            else:
                fm = _FUSED_TIME.search(text, max(0, start - 6), start)  # ^ only at the text start
                if fm and fm["v"][0] not in _NOT_FUSED:
                    per = [fm["t"]]  # 日服务230.97万人次, 年创收950万元, 一年能挣3万元
                    rule += ".rate"
    if text.endswith("人民币", 0, start):
        start -= 3
    if currency is not None and "bare_scale" not in via:
        via += "+currency.before"
    return _QUANTITY(text[start:end], start, end, value, unit, qualifier, value_max, tuple(per), rule + via)


def _too_large(v: Decimal | None) -> bool:
    return v is not None and (not v.is_finite() or v.adjusted() >= MAX_DIGITS)


def _clean(v: Decimal | None) -> Decimal | None:
    """89000.0 -> 89000 (an integral value without a spurious exponent or decimals)."""
    if v is None:
        return None
    return v.quantize(Decimal(1)) if v == v.to_integral_value() else v.normalize()


def find_quantities(text: str, folded: str | None = None, *, lex: QuantityLexicon | None = None
                    ) -> list[Quantity]:
    """Every quantity in ``text``, in text order, non-overlapping.

    ``folded`` is the length-preserving normalized text (computed when omitted);
    spans are cut from ``text``.
    """
    if folded is None:
        from .text import fold

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
    for m in lex.num_re.finditer(folded):
        s = m.start()
        if s < last_end:
            continue
        while mi < len(masked) and masked[mi][0] <= s:
            masked_to = max(masked_to, masked[mi][1])
            mi += 1
        if s < masked_to:
            last_end = max(last_end, _range_after(folded, lex, m.end()))
            continue
        q: Quantity | None
        pm = None
        pi = bisect_right(pct_starts, s) - 1
        if pi >= 0 and s < pct[pi].end():
            pm = pct[pi]
        if pm is not None:
            if pm.start() < last_end:
                continue
            try:
                v = parse_number(pm.group("num"))
            except ValueError:
                continue
            st = pm.start()
            qual = "exact"
            found = lex.pre_before(folded, st)
            if found is not None:
                qual, st = found[1], st - len(found[0])
            qual, en = _post(folded, lex, pm.end(), qual)
            q = Quantity(text="", start=st, end=en, value=v, unit="%", qualifier=qual,  # type: ignore[arg-type]
                         rule="quantity.percent.words")
        else:
            q = _read_at(folded, m, lex)
            if q is None:
                last_end = max(last_end, _range_after(folded, lex, m.end()))
        if q is None:
            continue
        if q.start < last_end:
            continue
        if _too_large(q.value) or _too_large(q.value_max):  # scaled past any real amount
            continue
        unit = q.unit
        if unit and unit != "%" and not q.rule.startswith("quantity.money"):
            # the unit as written: 個 stays 個 in a Traditional text (matching ran on 个)
            i = folded.find(unit, q.start, q.end)
            if i >= 0:
                unit = text[i:i + len(unit)]
        q = _QUANTITY(text[q.start:q.end], q.start, q.end, _clean(q.value), unit, q.qualifier,
                      _clean(q.value_max), q.per, q.rule)
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
_JOINERS = ("和", "及", "与", "、")


def _shared_rate(folded: str, prev: Quantity, q: Quantity, lex: QuantityLexicon) -> Quantity:
    """A 每 earlier in the clause is given for every figure of the same unit joined to the first
    by 和/及/与/、: 每月只靠300元抚恤金和150元低保金 is per 月 twice. A rate written after
    the figure (5000元/人/年) belongs to that figure alone, and a total (合计近5万元) is none."""
    between = folded[prev.end:q.start]
    if ("/" in prev.text or prev.unit != q.unit or not _JOINED.fullmatch(between)
            or not any(j in between for j in _JOINERS) or any(t in between for t in lex.totals)):
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

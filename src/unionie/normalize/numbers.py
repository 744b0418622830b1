"""Numerals: the one place cn2an is used.

:func:`parse_number` turns a numeral as written in a report into an exact
:class:`~decimal.Decimal`: Arabic (``1,250``, ``3 500``, ``2.2``), Chinese
(``一千二百``, ``两千``, ``〇``), financial 大写 (``壹万贰仟``), mixed
(``2.2万``, ``3千万``) and colloquial (``一万二`` = 12000, ``两万五`` = 25000).
It raises :class:`ValueError` for strings that are not well-formed numbers, so
``五一``, ``三八`` and ``十四五`` are rejected: that is what keeps slogans out of
the quantities.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources

import regex
import yaml

__all__ = ["parse_number", "parse_numeral", "Reading", "SCALES", "CN_NUMERAL_CHARS", "ARABIC", "SCALE_CHARS",
           "DIGIT_VALUE", "RUN_CHARS", "scale_of", "scale_product", "split_scale", "own_scale"]

#: scale words and their values
SCALES: dict[str, Decimal] = {
    "十": Decimal(10), "拾": Decimal(10),
    "百": Decimal(100), "佰": Decimal(100),
    "千": Decimal(1000), "仟": Decimal(1000),
    "万": Decimal(10_000), "萬": Decimal(10_000),
    "亿": Decimal(100_000_000), "億": Decimal(100_000_000),
}

# financial and variant forms -> the forms cn2an's strict mode reads
_CANON = str.maketrans({
    "壹": "一", "贰": "二", "貳": "二", "叁": "三", "參": "三", "肆": "四", "伍": "五",
    "陆": "六", "陸": "六", "柒": "七", "捌": "八", "玖": "九", "拾": "十", "佰": "百",
    "仟": "千", "萬": "万", "億": "亿", "两": "二", "兩": "二", "〇": "零", "點": "点",
})
_DIGITS = "零一二三四五六七八九"
CN_NUMERAL_CHARS = "零〇一二两兩三四五六七八九十百千万萬亿億壹贰貳叁參肆伍陆陸柒捌玖拾佰仟"

# thousands separators: ',' and the full-width '，' (three digits after each), or a space
_ARABIC = regex.compile(r"(?:\d{1,3}(?:[,，]\d{3})+|\d{1,3}(?: \d{3})+|\d+)(?:\.\d+)?")
_MIXED = regex.compile(r"(?P<num>(?:\d{1,3}(?:[,，]\d{3})+|\d{1,3}(?: \d{3})+|\d+)(?:\.\d+)?)"
                       r"(?P<scale> ?[万萬亿億][万萬亿億]?|[十百千万萬亿億]+)")


def scale_product(scales: str) -> Decimal:
    out = Decimal(1)
    for ch in scales:
        out *= SCALES[ch]
    return out


@lru_cache(maxsize=4096)
def _parse_chinese(s: str) -> Decimal:
    import cn2an  # the only place cn2an is used; imported on first use (it takes ~0.1 s)

    c = s.translate(_CANON)
    if not c:
        raise ValueError("empty numeral")
    # a bare scale word: 百 -> 一百, 千 -> 一千, 万 -> 一万
    if c[0] in "十百千万亿" and c[0] != "十":
        c = "一" + c
    # colloquial abbreviation: 一万二 -> 一万二千, 两千五 -> 二千五百, 三百五 -> 三百五十
    m = regex.fullmatch(r"(.*[一二三四五六七八九])([百千万亿])([一二三四五六七八九])", c)
    if m and m.group(2) in "百千万亿":
        nxt = {"百": "十", "千": "百", "万": "千", "亿": "千万"}[m.group(2)]
        c = m.group(1) + m.group(2) + m.group(3) + nxt
    # a decimal with a scale: 二点五万
    m = regex.fullmatch(r"(.+)点([零一二三四五六七八九]+)([万亿])", c)
    if m:
        return _parse_chinese(m.group(1) + "点" + m.group(2)) * SCALES[m.group(3)]
    # digit-by-digit numerals (二零二三) are years or codes, never counts
    if len(c) > 1 and all(ch in _DIGITS for ch in c):
        raise ValueError(f"digit sequence, not a number: {s}")
    try:
        v = cn2an.cn2an(c, "strict")
    except (ValueError, KeyError, IndexError) as e:  # cn2an raises ValueError on malformed input
        raise ValueError(f"not a Chinese numeral: {s}") from e
    return Decimal(str(v))


#: Numerals at or above 10**18 are not quantities (IDs, account numbers, digit junk): beyond
#: any amount a report states, and past what a 28-digit Decimal context, ``quantize`` and
#: JSON integers (Python's 4300-digit limit) handle.
MAX_DIGITS = 18


def _checked(v: Decimal, s: str) -> Decimal:
    if v.is_finite() and v.adjusted() >= MAX_DIGITS:
        raise ValueError(f"too large for a quantity ({MAX_DIGITS}+ digits): {s[:40]}")
    return v


def parse_number(s: str) -> Decimal:
    """Parse one numeral (no unit, no qualifier) into an exact Decimal.

    Raises ValueError for a malformed numeral and for one of 10**18 or more.

    >>> parse_number("2.2万")
    Decimal('22000.0')
    >>> parse_number("一千二百")
    Decimal('1200')
    """
    v = _PARSED.get(s)
    if v is None:
        v = _parse_number(s)
        if len(_PARSED) >= 4096:  # a bounded memo: the same numerals come back again and again
            _PARSED.clear()
        _PARSED[s] = v
    return v


_PARSED: dict[str, Decimal] = {}  # numeral -> its value (a Decimal is immutable: safe to share)


def _parse_number(s: str) -> Decimal:
    s = s.strip()
    if not s:
        raise ValueError("empty numeral")
    if _ARABIC.fullmatch(s):
        digits = s.replace(",", "").replace("，", "").replace(" ", "")
        if len(digits.split(".", 1)[0].lstrip("0")) > MAX_DIGITS:  # before building a huge Decimal
            raise ValueError(f"too large for a quantity ({MAX_DIGITS}+ digits): {s[:40]}")
        try:
            return _checked(Decimal(digits), s)
        except InvalidOperation as e:  # pragma: no cover - the regex admits only valid forms
            raise ValueError(s) from e
    m = _MIXED.fullmatch(s)
    if m:
        digits = m["num"].replace(",", "").replace("，", "").replace(" ", "")
        scale = m["scale"].strip()
        if len(digits.split(".", 1)[0].lstrip("0")) + 4 * len(scale) > 4 * MAX_DIGITS:
            raise ValueError(f"too large for a quantity ({MAX_DIGITS}+ digits): {s[:40]}")
        return _checked(Decimal(digits) * scale_product(scale), s)
    return _checked(_parse_chinese(s), s)


# --- approximate numerals: the layer over the exact numerals -------------------------------
#
# Each rule is a pattern over the canonical numeral (financial and Traditional forms folded by
# ``_CANON``) and a production giving ``(low, high)`` before the outer scale (a trailing
# 万/亿 run multiplies both ends: 四五十万 is 四五十 x 万). The words that stand for "some
# digit" (几, 数 ...) are data: ``numerals.some`` in data/quantities.yaml.

@dataclass(frozen=True)
class Reading:
    """What a numeral expression means: ``value`` (the low end for a range), ``value_max``
    (the high end, or None), ``qualifier`` (``exact`` or ``range``) and the rule that read it."""

    value: Decimal
    value_max: Decimal | None
    qualifier: str
    rule: str


@lru_cache(maxsize=1)
def _numeral_words() -> dict[str, list[str]]:
    data = yaml.safe_load(resources.files("unionie").joinpath("data/quantities.yaml")
                          .read_text(encoding="utf-8"))
    return {str(k): [str(x) for x in v] for k, v in (data.get("numerals") or {}).items()}


def _some() -> str:
    """The characters that stand for "some digit" (几, 数 and their Traditional forms)."""
    return regex.escape("".join(_numeral_words().get("some", [])))


_D = "一二三四五六七八九"
_SMALL_SCALE = {"十": Decimal(10), "百": Decimal(100), "千": Decimal(1000)}


def _digit(ch: str) -> int:
    return _D.index(ch) + 1


def _rule_adjacent(inner: str) -> tuple[Decimal, Decimal] | None:
    """numeral.adjacent: two neighbouring digits are a range: 两三(百) 2-3, 六七十 60-70,
    一千五六百 1500-1600, 十七八 17-18."""
    m = regex.fullmatch(rf"(?P<head>.*[十百千])?(?P<a>[{_D}])(?P<b>[{_D}])(?P<sc>[十百千]?)", inner)
    if not m or _digit(m["b"]) != _digit(m["a"]) + 1:
        return None
    head = Decimal(0)
    step = _SMALL_SCALE.get(m["sc"], Decimal(1))
    if m["head"]:
        head = _parse_chinese(m["head"])
        last = _SMALL_SCALE[m["head"][-1]]
        if not m["sc"]:  # 一千五六 is not written; 十七八 and 三十五六 are
            if m["head"][-1] != "十":
                return None
        elif _SMALL_SCALE[m["sc"]] >= last:  # 一千五六千 is malformed
            return None
        if m["head"][-1] == "十" and m["sc"]:
            return None
    return head + _digit(m["a"]) * step, head + _digit(m["b"]) * step


def _rule_teens(inner: str) -> tuple[Decimal, Decimal] | None:
    """numeral.some_after_ten: 十几 10-20, 二十几 20-30 (几 in the ones place)."""
    m = regex.fullmatch(rf"(?P<tens>[{_D}]?十)[{_some()}]", inner)
    if not m:
        return None
    low = _parse_chinese(m["tens"])
    return low, low + 10


def _rule_order(inner: str, outer: Decimal) -> tuple[Decimal, Decimal] | None:
    """numeral.some_order: 几十/数十 10-100, 几百/数百 100-1000, 几千/数千 1000-10000; a bare
    几/数 only before an outer scale: 几万 10000-100000."""
    m = regex.fullmatch(rf"[{_some()}](?P<sc>[十百千]?)", inner)
    if not m or (not m["sc"] and outer == 1):
        return None
    low = _SMALL_SCALE.get(m["sc"], Decimal(1))
    return low, low * 10


def parse_numeral(s: str) -> Reading:
    """Read a numeral expression, exact or approximate, into a :class:`Reading`.

    Exact numerals go through :func:`parse_number`; approximate ones through the rules above:

    >>> parse_numeral("两三百").value, parse_numeral("两三百").value_max
    (Decimal('200'), Decimal('300'))
    >>> r = parse_numeral("十几万"); (r.value, r.value_max, r.qualifier)
    (Decimal('100000'), Decimal('200000'), 'range')

    Raises ValueError when the expression cannot be read whole.
    """
    got = _READ.get(s)
    if got is None:
        try:
            got = _parse_numeral(s)
        except ValueError as e:
            got = str(e)  # a failure is remembered too: 五一, 十四五 come back in every report
        if len(_READ) >= 4096:  # bounded, like parse_number's memo
            _READ.clear()
        _READ[s] = got
    if isinstance(got, str):
        raise ValueError(got)
    return got


_READ: dict[str, "Reading | str"] = {}  # numeral -> its reading, or why it is none


def _parse_numeral(s: str) -> Reading:
    try:
        return Reading(parse_number(s), None, "exact", "numeral.exact")
    except ValueError:
        pass
    c = s.strip().translate(_CANON).translate(_SOME_CANON)
    m = regex.fullmatch(r"(?P<inner>.*?)(?P<outer>[万亿]*)", c)
    assert m is not None
    inner, outer_s = m["inner"], m["outer"]
    outer = scale_product(outer_s) if outer_s else Decimal(1)
    if not inner:
        raise ValueError(f"not a numeral: {s}")
    for name, rule in (("numeral.adjacent", lambda: _rule_adjacent(inner)),
                       ("numeral.some_after_ten", lambda: _rule_teens(inner)),
                       ("numeral.some_order", lambda: _rule_order(inner, outer))):
        try:
            got = rule()
        except ValueError:
            got = None
        if got is not None:
            low, high = got
            return Reading(_checked(low * outer, s), _checked(high * outer, s), "range", name)
    raise ValueError(f"not a numeral: {s}")


_SOME_CANON = str.maketrans({"幾": "几", "數": "数"})


# --- the scale of a numeral inside a figure (used by unionie.normalize.quantities) ---------

#: an Arabic numeral inside a text: thousands separators, a space-separated group, decimals
ARABIC = r"(?:\d{1,3}(?:[,，]\d{3})+(?!\d)|\d{1,3}(?: \d{3})+(?![\d])|\d+)(?:\.\d+)?"
SCALE_CHARS = "十百千万萬亿億"
_SCALED = re.compile(rf"({ARABIC})([{SCALE_CHARS}]+)")


def scale_of(numtxt: str) -> tuple[str, str]:
    """Split '4万' into ('4', '万'); Chinese numerals have no separate scale."""
    m = _SCALED.fullmatch(numtxt)
    if m:
        return m.group(1), m.group(2)
    return numtxt, ""


DIGIT_VALUE = {ch: Decimal(i) for i, ch in enumerate("0123456789")}
DIGIT_VALUE.update({ch: Decimal(i) for i, ch in enumerate("零一二三四五六七八九")})
DIGIT_VALUE.update({"〇": Decimal(0), "两": Decimal(2), "兩": Decimal(2), "壹": Decimal(1),
                     "贰": Decimal(2), "貳": Decimal(2), "叁": Decimal(3), "參": Decimal(3),
                     "肆": Decimal(4), "伍": Decimal(5), "陆": Decimal(6), "陸": Decimal(6),
                     "柒": Decimal(7), "捌": Decimal(8), "玖": Decimal(9)})
# the characters that glue a following numeral into one run (not 数/几 and the 大写 forms,
# which also end ordinary words: 人数500人, 队伍6至8支)
RUN_CHARS = frozenset("零〇一二两兩三四五六七八九十百千万萬亿億")
_OUTER = re.compile(r"(?P<inner>.*?)(?P<outer>[万萬亿億]*)")


def split_scale(numtxt: str) -> tuple[Decimal, str] | None:
    """The base and the scale a range's second end shares backwards: 4万 -> (4, 万),
    四万 -> (4, 万), 八千 -> (8, 千), 二百六十万 -> (260, 万); None when it has no scale."""
    base, sc = scale_of(numtxt)
    if sc:
        return parse_number(base), sc
    if not numtxt or numtxt[0].isdigit():
        return None
    m = _OUTER.fullmatch(numtxt)
    assert m is not None
    inner, outer = m["inner"], m["outer"]
    if len(inner) == 2 and inner[1] in "千百仟佰" and inner[0] in DIGIT_VALUE:
        inner, outer = inner[0], inner[1] + outer
    if not inner or not outer:
        return None
    try:
        return parse_number(inner), outer
    except ValueError:
        return None


def own_scale(numtxt: str, shared: str = "万") -> bool:
    """Whether a range's first end carries its own scale, so that the ``shared`` scale of the
    second end does not spread to it: 2万 and 三万 have one; 二百二十 has none before 万
    (二百二十到二百六十万) but has one before 千 (二百至八千 is 200-8000)."""
    if numtxt[-1] in SCALE_CHARS and scale_of(numtxt)[1]:  # only a scale character ends 4万
        return True
    if numtxt[0].isdigit():
        return False
    own = "万萬亿億" if shared[0] in "万萬亿億" else "十百千万萬亿億拾佰仟"
    return any(ch in own for ch in numtxt)

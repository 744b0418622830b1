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

from decimal import Decimal, InvalidOperation
from functools import lru_cache

import regex

__all__ = ["parse_number", "SCALES", "CN_NUMERAL_CHARS"]

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

_ARABIC = regex.compile(r"(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+|\d+)(?:\.\d+)?")
_MIXED = regex.compile(r"(?P<num>(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+|\d+)(?:\.\d+)?)(?P<scale>[十百千万萬亿億]+)")


def _scale_product(scales: str) -> Decimal:
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
        digits = s.replace(",", "").replace(" ", "")
        if len(digits.split(".", 1)[0].lstrip("0")) > MAX_DIGITS:  # before building a huge Decimal
            raise ValueError(f"too large for a quantity ({MAX_DIGITS}+ digits): {s[:40]}")
        try:
            return _checked(Decimal(digits), s)
        except InvalidOperation as e:  # pragma: no cover - the regex admits only valid forms
            raise ValueError(s) from e
    m = _MIXED.fullmatch(s)
    if m:
        digits = m["num"].replace(",", "").replace(" ", "")
        if len(digits.split(".", 1)[0].lstrip("0")) + 4 * len(m["scale"]) > 4 * MAX_DIGITS:
            raise ValueError(f"too large for a quantity ({MAX_DIGITS}+ digits): {s[:40]}")
        return _checked(Decimal(digits) * _scale_product(m["scale"]), s)
    return _checked(_parse_chinese(s), s)

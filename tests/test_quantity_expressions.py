"""Numeral expressions are read whole or not at all (Hypothesis).

The generators write expressions the way Chinese texts do — Arabic and Chinese numerals,
scales, thousands separators (half- and full-width), a space before 万/亿, Traditional
forms, ranges with a shared scale, approximate numerals (两三百, 十几万, 数十万) — together with
the value they mean. The properties: a well-formed expression gives exactly one quantity, over
the whole expression, with its value; and for any string of numeral characters around a range
separator, whatever is read covers the whole string (never a piece of it)."""
from __future__ import annotations

from decimal import Decimal

import cn2an
from hypothesis import given, settings
from hypothesis import strategies as st

from unionie.normalize.quantities import find_quantities

_TRAD = str.maketrans({"万": "萬", "亿": "億", "两": "兩", "数": "數", "几": "幾"})
_FULL = str.maketrans("0123456789", "０１２３４５６７８９")
_CN_DIGITS = "一二三四五六七八九"
UNITS = {"元": "CNY", "万元": "CNY", "人": "人", "名": "名", "家": "家", "户": "户", "个": "个"}
SEPARATORS = ["至", "到", "-", "~", "～", "—", "——"]


def _arabic(n: int, sep: str) -> str:
    s = f"{n:,}"
    return s.replace(",", sep) if sep else s.replace(",", "")


@st.composite
def exact(draw: st.DrawFn) -> tuple[str, Decimal, Decimal | None]:
    """An exact figure: Arabic (separators, full-width, a scale, a space before it) or Chinese."""
    n = draw(st.integers(min_value=2, max_value=999_999))
    form = draw(st.sampled_from(["arabic", "chinese"]))
    if form == "arabic":
        sep = draw(st.sampled_from(["", ",", "，"]))
        text = _arabic(n, sep)
        if draw(st.booleans()):
            text = text.translate(_FULL)
        scale = draw(st.sampled_from(["", "万", "亿", " 万"]))
        mult = {"": 1, "万": 10_000, "亿": 10**8, " 万": 10_000}[scale]
        return text + scale, Decimal(n) * mult, None
    return cn2an.an2cn(n, "low"), Decimal(n), None


@st.composite
def shared_range(draw: st.DrawFn) -> tuple[str, Decimal, Decimal | None]:
    """A range whose second end's scale spreads back: 三到四万, 2至4万, 六至八千, 二十至三十万."""
    a = draw(st.integers(min_value=1, max_value=8))
    b = draw(st.integers(min_value=a + 1, max_value=9))
    sep = draw(st.sampled_from(SEPARATORS))
    scale, mult = draw(st.sampled_from([("万", 10_000), ("千", 1000), ("亿", 10**8), ("百万", 10**6)]))
    if draw(st.booleans()):
        text = f"{_CN_DIGITS[a - 1]}{sep}{_CN_DIGITS[b - 1]}{scale}"
    else:
        if scale in ("千", "百万"):
            scale, mult = "万", 10_000
        text = f"{a}{sep}{b}{scale}"
    return text, Decimal(a * mult), Decimal(b * mult)


@st.composite
def approximate(draw: st.DrawFn) -> tuple[str, Decimal, Decimal | None]:
    """两三百, 六七十万, 十几万, 二十几, 数十万, 几百, 数千."""
    outer, omult = draw(st.sampled_from([("", 1), ("万", 10_000), ("亿", 10**8)]))
    kind = draw(st.sampled_from(["adjacent", "teens", "order"]))
    if kind == "adjacent":
        a = draw(st.integers(min_value=1, max_value=8))
        sc, m = draw(st.sampled_from([("十", 10), ("百", 100), ("千", 1000), ("", 1)]))
        first = "两" if a == 2 and draw(st.booleans()) else _CN_DIGITS[a - 1]
        if a == 1:
            first, second = "一", "两"
        else:
            second = _CN_DIGITS[a]
        if not sc and not outer:
            outer, omult = "万", 10_000  # 两三人 is read too, but keep the unit away from digits
        return f"{first}{second}{sc}{outer}", Decimal(a * m * omult), Decimal((a + 1) * m * omult)
    if kind == "teens":
        t = draw(st.integers(min_value=1, max_value=9))
        tens = "十" if t == 1 else f"{_CN_DIGITS[t - 1]}十"
        return f"{tens}几{outer}", Decimal(10 * t * omult), Decimal((10 * t + 10) * omult)
    word = draw(st.sampled_from(["几", "数"]))
    sc, m = draw(st.sampled_from([("十", 10), ("百", 100), ("千", 1000)]))
    return f"{word}{sc}{outer}", Decimal(m * omult), Decimal(10 * m * omult)


EXPRESSIONS = st.one_of(exact(), shared_range(), approximate())


@given(EXPRESSIONS, st.sampled_from(sorted(UNITS)), st.booleans())
@settings(max_examples=250, deadline=None)
def test_expression_read_whole(expr: tuple, unit: str, traditional: bool) -> None:
    text, low, high = expr
    if unit == "万元" and ("万" in text or "亿" in text or "千" in text):
        unit = "元"
    if traditional:
        text = text.translate(_TRAD)
    sentence = f"全年共{text}{unit}。"
    found = find_quantities(sentence)
    assert len(found) == 1, (sentence, found)
    q = found[0]
    assert q.start <= 3 and q.end >= 3 + len(text) + len(unit), (sentence, q.text)
    scale = 10_000 if unit == "万元" else 1
    assert q.value == low * scale, (sentence, q.value)
    assert q.value_max == (None if high is None else high * scale), (sentence, q.value_max)
    assert q.unit == UNITS[unit]


# a piece: a numeral character, any run of numeral characters, then perhaps 余/多; or an
# approximate numeral (几/数 stand only before a scale: 人数500人 is a word and a figure)
_PIECE = st.one_of(
    st.builds(lambda head, rest, more: head + rest + more,
              st.sampled_from("一二两三四五六七八九十百千万亿0123456789"),
              st.text(alphabet="一二两三四五六七八九十百千万亿零0123456789", max_size=5),
              st.sampled_from(["", "", "余", "多"])),
    st.builds(lambda some, scales: some + scales, st.sampled_from(["几", "数", "十几", "二十几"]),
              st.text(alphabet="十百千万亿", min_size=1, max_size=3)),
)


@given(_PIECE, st.sampled_from(SEPARATORS + ["", "(含)-"]), _PIECE, st.sampled_from(sorted(UNITS)))
@settings(max_examples=300, deadline=None)
def test_never_a_partial_read(a: str, sep: str, b: str, unit: str) -> None:
    """Whatever is read from a run of numeral characters (two pieces around a range separator)
    covers the whole run: a piece of a numeral expression is never read as a figure."""
    expr = a + sep + b
    sentence = f"工会共计{expr}{unit}。"
    for q in find_quantities(sentence):
        assert q.start <= 4 and q.end >= 4 + len(expr), (sentence, q.text, q.value)

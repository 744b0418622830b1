"""Invariants of the quantity normalizer (Hypothesis) and its single-expression API."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import cn2an
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from unionie import QuantityParseError, parse_quantity
from unionie.normalize.numbers import parse_number
from unionie.normalize.quantities import find_quantities, lexicon, numerals
from unionie.normalize.text import fold

_FULL = str.maketrans("0123456789.%", "０１２３４５６７８９．％")
UNITS = ["人", "人次", "名", "户", "场", "次", "期", "家", "个", "份", "册", "张", "件", "届", "批", "项", "元", "万元"]


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
@settings(max_examples=200, deadline=None)
def test_offsets_always_valid(text: str) -> None:
    for q in find_quantities(text):
        assert text[q.start:q.end] == q.text
        assert q.start < q.end


@given(st.integers(min_value=2, max_value=10**9), st.sampled_from(UNITS))
@settings(max_examples=200, deadline=None)
def test_full_width_equals_half_width(n: int, unit: str) -> None:
    half = f"共计{n}{unit}。"
    full = half.translate(_FULL)
    a = [q.to_dict() for q in find_quantities(half)]
    b = [q.to_dict() for q in find_quantities(full)]
    for x in a + b:
        x.pop("text")
    assert a == b and len(a) == 1


@given(st.integers(min_value=2, max_value=99_999_999), st.sampled_from(UNITS))
@settings(max_examples=200, deadline=None)
def test_round_trip_through_an2cn(n: int, unit: str) -> None:
    """A number written in Chinese numerals by cn2an reads back as the same number."""
    if unit == "万元":
        n = n % 9999 + 1  # 一万万元 is not how a figure is written
    written = cn2an.an2cn(n, "low")
    # names such as 十八届 (a Party congress term) are not figures (data/quantities.yaml: names)
    assume(lexicon().names_re is None or not lexicon().names_re.fullmatch(f"{written}{unit}"))
    qs = find_quantities(f"累计{written}{unit}")
    assert len(qs) == 1
    scale = 10_000 if unit == "万元" else 1
    assert qs[0].value == Decimal(n) * scale
    assert qs[0].qualifier == "exact"


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999"), places=2))
@settings(max_examples=150, deadline=None)
def test_money_is_exact(v: Decimal) -> None:
    q = parse_quantity(f"{v}万元")
    assert q.value == v * 10_000
    assert q.unit == "CNY"


NUMBERS = [
    ("2.2万", Decimal("22000")), ("一千二百", Decimal(1200)), ("两千", Decimal(2000)), ("〇", Decimal(0)),
    ("壹万贰仟", Decimal(12000)), ("一万二", Decimal(12000)), ("两万五", Decimal(25000)),
    ("3千万", Decimal(30_000_000)), ("1,250", Decimal(1250)), ("3 500", Decimal(3500)),
    ("十四五", None), ("五一", None), ("三八", None), ("二零二三", None), ("二点五万", Decimal(25000)),
    ("百", Decimal(100)), ("千", Decimal(1000)),
]


@pytest.mark.parametrize("text,value", NUMBERS, ids=[n for n, _ in NUMBERS])
def test_parse_number(text: str, value: Decimal | None) -> None:
    if value is None:
        with pytest.raises(ValueError):
            parse_number(text)
    else:
        assert parse_number(text) == value


@pytest.mark.parametrize("expr", ["第十四届", "十四五", "五一劳动奖章", "", "今天", "2022年"])
def test_parse_quantity_refuses_non_quantities(expr: str) -> None:
    with pytest.raises(QuantityParseError) as e:
        parse_quantity(expr)
    assert repr(expr) in str(e.value)


def test_parse_quantity_refuses_two_quantities() -> None:
    with pytest.raises(QuantityParseError, match="2 quantities"):
        parse_quantity("10人20元")


def test_parse_quantity_type_error() -> None:
    with pytest.raises(TypeError, match="int"):
        parse_quantity(5)  # type: ignore[arg-type]


# -- the numeral scan: the same matches as the pattern's own finditer ---------------------------
_NUMERAL_MIX = st.one_of(st.sampled_from(list("0123456789０１２３４５６７８９٣१.,， 万亿千百十零〇一二两三四五六七八九几数余多点")),
                         st.sampled_from(list("人元名分点第号年、。工会职工")),
                         st.characters(blacklist_categories=("Cs",)))


def _same_numerals(text: str) -> None:
    lex = lexicon()
    assert [m.span() for m in numerals(text, lex)] == [m.span() for m in lex.num_re.finditer(text)]


@given(st.text(alphabet=_NUMERAL_MIX, max_size=120))
@settings(max_examples=300, deadline=None)
def test_the_numeral_scan_finds_what_the_pattern_finds(text: str) -> None:
    _same_numerals(text)


def test_the_numeral_scan_finds_what_the_pattern_finds_on_the_corpus() -> None:
    root = Path(__file__).resolve().parents[1] / "corpus"
    for p in sorted(root.rglob("*.txt")):
        text = p.read_text(encoding="utf-8")
        _same_numerals(text)
        _same_numerals(fold(text))

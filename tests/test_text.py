"""Tests for unionie.normalize.text: length-preserving folding.

Benchmark note (2 cores, Python 3.11, opencc 1.4.2): folding 1,000,000
characters (2.7 MB of UTF-8) of report text with HTML, full-width digits and
ideographic spaces takes about 70 ms with ``traditional=False``, 80 ms with
detection, and about 100 ms for Traditional text converted to Simplified.
Timing is not asserted here.
"""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unionie.normalize.text import fold, is_traditional


WIDTH_AND_SPACE = [
    ("plain", "工会举办培训班", "工会举办培训班"),
    ("fullwidth digits", "１２３４５６７８９０", "1234567890"),
    ("fullwidth latin", "ＡＢＣｘｙｚ", "ABCxyz"),
    ("fullwidth comma kept (clause comma)", "甲，乙", "甲，乙"),
    ("fullwidth colon semicolon", "时间：５月；地点", "时间:5月;地点"),
    ("fullwidth parens", "（一）", "(一)"),
    ("fullwidth percent", "增长１２．５％", "增长12.5%"),
    ("fullwidth tilde hyphen", "３～５－６", "3~5-6"),
    ("fullwidth question exclamation", "好！吗？", "好!吗?"),
    ("ideographic space", "一\u3000二", "一 二"),
    ("nbsp", "一\u00a0二", "一 二"),
    ("en quad to zero width space", "a\u2002b\u2003c\u2009d\u200be", "a b c d e"),
    ("bom inside text", "\ufeff工会", " 工会"),
    ("crlf keeps length", "一\r\n二", "一 \n二"),
    ("lone cr", "一\r二", "一 二"),
    ("tab", "一\t二", "一 二"),
    ("nul", "一\x00二", "一 二"),
    ("c0 controls", "\x01\x07\x1b\x1f", "    "),
    ("del and c1", "\x7f\x85\x9f", "   "),
    ("vertical tab form feed", "\x0b\x0c", "  "),
    ("line separator", "一\u2028二\u2029", "一\n二\n"),
    ("newline kept", "一\n二\n", "一\n二\n"),
    ("chinese punctuation kept", "，。；：“”‘’《》、「」", "，。;:“”‘’《》、「」"),
    ("ideographic comma kept", "甲、乙。", "甲、乙。"),
    ("yen sign kept", "￥１００", "￥100"),
    ("emoji kept", "点赞👍🏽", "点赞👍🏽"),
    ("astral cjk kept", "𠀀工会", "𠀀工会"),
    ("empty", "", ""),
]

HTML = [
    ("br", "一<br>二", "一\n   二"),
    ("br self-closing", "一<br/>二", "一\n    二"),
    ("br spaced", "一<br />二", "一\n     二"),
    ("BR uppercase", "一<BR>二", "一\n   二"),
    ("p with attributes", '<p class="x">一</p>', "\n            一\n   "),
    ("div", "<div>一</div>", "\n    一\n     "),
    ("li tr h1", "<li><tr><h1>", "\n   \n   \n   "),
    ("span is inline", '<span style="a">一</span>', "                一       "),
    ("strong", "<strong>一</strong>", "        一         "),
    ("comment", "一<!-- x -->二", "一          二"),
    ("doctype", "<!DOCTYPE html>一", "               一"),
    ("unknown tag left alone", "<甲乙>", "<甲乙>"),
    ("unknown name is not a tag", "a<x and y>d", "a<x and y>d"),
    ("less than number", "x<10万元", "x<10万元"),
    ("nbsp entity", "一&nbsp;二", "一      二"),
    ("amp entity", "A&amp;B", "A&    B"),
    ("lt gt entities", "&lt;p&gt;", "<   p>   "),
    ("quot entity", "&quot;", '"     '),
    ("decimal reference", "&#24037;&#20250;", "工       会       "),
    ("hex reference", "&#x4e00;", "一       "),
    ("hex reference uppercase X", "&#X4E00;", "一       "),
    ("fullwidth comma reference", "&#65292;", "，       "),
    ("ideographic space reference", "&#12288;", "        "),
    ("nul reference", "&#0;", "    "),
    ("surrogate reference", "&#xd800;", "        "),
    ("out of range reference", "&#x110000;", "          "),
    ("html5 named entity", "&hellip;&mdash;", "…       —      "),
    ("unknown entity left alone", "&bogus;", "&bogus;"),
    ("bare ampersand", "A & B", "A & B"),
    ("entity without semicolon left", "&nbsp", "&nbsp"),
    ("escaped tag is not a tag", "&lt;br&gt;", "<   br>   "),
    ("double escaped", "&amp;nbsp;", "&    nbsp;"),
]

TRADITIONAL = [
    ("工會", "工会"),
    ("職工", "职工"),
    ("舉辦", "举办"),
    ("萬元", "万元"),
    ("總工會", "总工会"),
    ("幫扶", "帮扶"),
    ("培訓", "培训"),
    ("慶祝", "庆祝"),
    ("市總工會舉辦職工技能培訓班，發放幫扶資金１２萬元。", "市总工会举办职工技能培训班，发放帮扶资金12万元。"),
    ("「五一」勞動獎章", "「五一」劳动奖章"),
    ("&#x6703;", "会       "),
]

SIMPLIFIED = [
    "市总工会举办职工技能培训班，发放帮扶资金12万元。",
    "工会开展庆祝活动，著名劳模出席。",
    "乾隆年间的著作",
    "",
    "no Chinese at all",
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [pytest.param(t, e, id=name) for name, t, e in WIDTH_AND_SPACE],
)
def test_fold_width_and_space(text: str, expected: str) -> None:
    assert fold(text, traditional=False) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [pytest.param(t, e, id=name) for name, t, e in HTML],
)
def test_fold_html(text: str, expected: str) -> None:
    out = fold(text, traditional=False)
    assert out == expected
    assert len(out) == len(text)


@pytest.mark.parametrize(("text", "expected"), TRADITIONAL, ids=[t for t, _ in TRADITIONAL])
def test_fold_traditional(text: str, expected: str) -> None:
    assert fold(text, traditional=True) == expected
    assert fold(text) == expected  # detected


@pytest.mark.parametrize("text", SIMPLIFIED)
def test_simplified_text_unchanged(text: str) -> None:
    assert not is_traditional(text)
    assert fold(text) == fold(text, traditional=False)
    assert fold(text, traditional=True) == fold(text, traditional=False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("工會舉辦培訓", True),
        ("工会举办培训", False),
        ("abc 123", False),
        ("", False),
        # a simplified report quoting one traditional name stays simplified
        ("市总工会举办职工技能培训班，发放帮扶资金。" * 10 + "臺灣", False),
        # detection looks at CJK characters only, not at ASCII around them
        ("x" * 4000 + "職工", True),
    ],
)
def test_is_traditional(text: str, expected: bool) -> None:
    assert is_traditional(text) is expected


def test_traditional_false_never_converts() -> None:
    assert fold("工會", traditional=False) == "工會"


def test_offsets_survive_folding() -> None:
    text = "<p>２０２３年，市總工會&nbsp;舉辦培訓班１２期</p>"
    folded = fold(text)
    start = folded.index("总工会")
    assert text[start:start + 3] == "總工會"
    start = folded.index("12期")
    assert text[start:start + 3] == "１２期"


def test_opencc_not_loaded_at_import() -> None:
    import subprocess
    import sys

    code = "import sys, unionie.normalize.text; print('opencc' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_fold_one_megabyte() -> None:
    """A 1 MB text folds (timing is in the module's benchmark note)."""
    unit = "<p>市總工會舉辦職工培訓班１２期，&nbsp;發放資金３０萬元。</p>\r\n"
    text = unit * (1_000_000 // len(unit))
    out = fold(text)
    assert len(out) == len(text)
    assert out.startswith("\n  市总工会举办职工培训班12期，")


html_fragments = st.sampled_from(
    ["<br>", "<br/>", "</p>", '<p class="x">', "<span a='1'>", "<!-- c -->", "&nbsp;",
     "&amp;", "&#12345;", "&#x4e00;", "&#0;", "&lt;", "&bogus;", "<", ">", "&", "\r\n",
     "\x00", "\u3000", "，", "１", "工會", "👍🏽", "\ufeff"]
)
any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(any_text, html_fragments)).map("".join))
def test_fold_preserves_length(text: str) -> None:
    assert len(fold(text)) == len(text)
    assert len(fold(text, traditional=True)) == len(text)
    assert len(fold(text, traditional=False)) == len(text)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_fold_preserves_length_with_lone_surrogates(text: str) -> None:
    assert len(fold(text)) == len(text)
    assert len(fold(text, traditional=True)) == len(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E)))
def test_fullwidth_equals_halfwidth(text: str) -> None:
    # the full-width comma is the one full-width form that is kept (it is the clause comma);
    # ＜ ＞ ＆ are not markup, while their half-width forms can be (<I> is a tag): leave them out
    text = "".join(c for c in text if c not in "＜＞＆")
    half = "".join(c if c == "，" else chr(ord(c) - 0xFEE0) for c in text)
    assert fold(text, traditional=False) == fold(half, traditional=False)


@settings(max_examples=200, deadline=None)
@given(any_text)
def test_fold_is_idempotent_without_html(text: str) -> None:
    once = fold(text, traditional=False)
    if "<" not in once and "&" not in once:
        assert fold(once, traditional=False) == once


# -- the width/space folding: a few replacements instead of str.translate -----------------------
def test_the_fast_translation_is_str_translate_at_every_code_point() -> None:
    from unionie.normalize.text import _TABLE, _translate

    for cp in list(range(0x10000)) + list(range(0x1F000, 0x1F100)) + [0x20000, 0x10FFFF]:
        c = chr(cp)
        for s in (c, "工会" * 10 + c + "职工", c * 3):  # alone, among text, a run (the str.translate path)
            assert _translate(s) == s.translate(_TABLE), hex(cp)


@given(st.text(alphabet=st.one_of(st.sampled_from(list("工会职工２０２３年，。\n\r\t\u3000\xa0 abcＡＢ")),
                                  st.characters()), max_size=200))
@settings(max_examples=300, deadline=None)
def test_the_fast_translation_on_random_text(text: str) -> None:
    from unionie.normalize.text import _TABLE, _translate

    assert _translate(text) == text.translate(_TABLE)

"""Spaces pasted around figures are read as if absent (unionie.normalize.spaces).

The tables say which spaces go and which never do; extraction on a spaced text must give
what the text without them gives, with every offset moved back onto the spaced text; the
core (``unionie.extract``) and the spaCy pipeline (a ``Doc``, its components one by one)
must agree; and the offset map must hold on any text.
"""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.tokens import Doc

import unionie
from unionie.api import _document, doc_from_text
from unionie.normalize.spaces import Compaction, compact
from unionie.normalize.text import fold

#: (what the row shows, text as pasted, the text read): spaces that go
DROPPED = [
    ("a count with its measure word", "培训职工 120 人次", "培训职工120人次"),
    ("a date and a range of months", "2022 年 9 月至 12 月", "2022年9月至12月"),
    ("a rate", "慰问金 500 元/人", "慰问金500元/人"),
    ("a figure with 万 after a digit", "发放 2.2 万元", "发放2.2万元"),
    ("a count after an ORG", "新建工会 21 家", "新建工会21家"),
    ("NBSP, as copied from a web page", "培训\u00a0120\u00a0人次", "培训120人次"),
    ("U+3000, the ideographic space", "培训\u3000120\u3000人次", "培训120人次"),
    ("a run of two", "培训  120  人次", "培训120人次"),
    ("full-width digits (decided on the folded text)", "培训 １２０ 人次", "培训１２０人次"),
    ("a multiplier ending a figure begun with digits", "发放 2.2 万 元，3万 元", "发放2.2万元，3万元"),
    ("a percentage", "入会率达 95% 以上", "入会率达95%以上"),
    ("a Traditional text", "培訓職工 120 人次", "培訓職工120人次"),
    ("a figure with thousands and decimals", "共计 1,200.5 万元", "共计1,200.5万元"),
    ("a range (one date mark is no date)", "每期 15-30 人，年龄 18/60 岁", "每期15-30人，年龄18/60岁"),
]

#: (what the row shows, text): spaces that never go
KEPT = [
    ("two figures apart: joined they would be one wrong value", "2016 2017年"),
    ("two counts apart", "共计120 300人"),
    ("a Chinese numeral and a digit", "三 120人"),
    ("two Chinese numerals", "共十 三人"),
    ("a multiplier before a numeral", "一百 二十人"),
    ("a multiplier after Chinese text that is no figure: only digits after Chinese", "全市 三家"),
    ("Latin text", "report 2019 page 12 of 30"),
    ("a figure inside a Latin word", "COVID-19 疫情，G20 峰会，5G 网络"),
    ("a tab separates table cells", "培训\t120\t人次"),
    ("a line break is a paragraph's end", "培训\n120\n人次"),
    ("CRLF", "培训\r\n120人次"),
    ("a run of three is layout (aligned columns)", "新建工会   21家"),
    ("a date or a time before a field: 10来 would read as about ten",
     "发布时间：2024-12-10\u3000来源：市总工会 10:42 编辑 2023/02/08 作者 2023.02.08 来源"),
    ("a numeral heading a line is a list mark", "一 工会组织建设\n  二 会员服务"),
    ("a figure in Chinese numerals alone: names and words end in numerals too",
     "举办培训班十二 期，共计三万 元"),
    ("a name ending in a numeral", "作者：张三 来源：工人日报"),
    ("a word ending in a numeral", "统一 部署，其中之一 是"),
    ("Chinese text on both sides", "工会 工作 要点"),
    ("a space before punctuation", "120 ，300 。"),
    ("a thin space is no pasted space of the table", "培训\u2009120\u2009人次"),
]


@pytest.mark.parametrize(("why", "text", "read"), DROPPED, ids=[r[0] for r in DROPPED])
def test_spaces_around_figures_are_dropped(why: str, text: str, read: str) -> None:
    assert compact(text) == read


@pytest.mark.parametrize(("why", "text"), KEPT, ids=[r[0] for r in KEPT])
def test_spaces_that_never_go(why: str, text: str) -> None:
    assert Compaction.find(text, fold(text)) is None  # the text is extracted as it is


#: (text as pasted): what it must give is what the text without its pasted spaces gives
SENTENCES = [
    "2022 年 9 月，市总工会举办职工技能培训班 3 期，培训职工 120 人次。",
    "春节期间，走访慰问困难职工 95 户，发放慰问金 8.9 万元，标准 500 元/人。",
    "全年新建基层工会 21 家，新发展会员 1160 名。",
    "2016 年河北工会发放会员卡 129.3 万张。",
    "评选表彰区“五一”劳动奖状 32 个，劳动奖章 45 名。",
    "举办知识竞赛，1.6\u00a0万名职工线上答题参赛。",
    "開展金秋助學，為 4 名困難職工子女發放助學金共計 1.2 萬元。",
    "慰问一线职工\u3000500\u3000人，发放慰问品折合 3 万余元，2016 2017 两年共慰问 120 300 户。",
]


def _unspaced(text: str) -> tuple[Compaction, str]:
    c = Compaction.find(text, fold(text))
    assert c is not None  # the row has spaces to drop
    return c, c.text


@pytest.mark.parametrize("text", SENTENCES)
def test_a_spaced_text_reads_as_the_text_without_its_spaces(text: str) -> None:
    c, plain = _unspaced(text)
    doc, bare = unionie.extract(text), unionie.extract(plain)
    assert doc.events  # the row is worth something
    # the same results, each moved onto the spaced text
    assert doc.quantities == tuple(c.restore(bare.quantities))
    assert doc.dates == tuple(c.restore(bare.dates))
    assert doc.entities == tuple(c.restore(bare.entities))
    assert doc.events == tuple(c.restore(bare.events))
    assert doc.published == bare.published
    spans = [*doc.quantities, *doc.dates, *doc.entities] + [
        s for e in doc.events for s in (e.trigger, *e.arguments)]
    assert all(text[s.start:s.end] == s.text for s in spans)
    assert any(" " in s.text or "\u00a0" in s.text or "\u3000" in s.text for s in doc.quantities)


@pytest.mark.parametrize("text", SENTENCES)
def test_the_pipeline_on_a_doc_gives_what_the_core_gives(text: str) -> None:
    nlp = unionie.load()
    assert unionie.extract(text) == _document(doc_from_text(text, nlp=nlp), None, text)
    # each component by itself (the events component alone runs the stages it misses)
    alone = unionie.load()
    for name in ("unionie_quantities", "unionie_dates", "unionie_entities"):
        alone.remove_pipe(name)
    assert unionie.extract(text) == _document(doc_from_text(text, nlp=alone), None, text)


def test_a_pipeline_with_another_component_reads_spaces_the_same() -> None:
    nlp = unionie.load()

    @Language.component("test_spaces_noop")
    def noop(doc: Doc) -> Doc:
        return doc

    nlp.add_pipe("test_spaces_noop")
    text = SENTENCES[1]
    assert unionie.extract(text, nlp=nlp) == unionie.extract(text)


_ALPHABET = st.sampled_from(list("工会培训人次年月元万十三两") + list("0123456789")
                            + [" ", " ", "\u00a0", "\u3000", "\t", "\n", "a", "-", ".", ":"])


@given(st.text(alphabet=_ALPHABET, max_size=60))
@settings(max_examples=300, deadline=None)
def test_the_offset_map_holds_on_any_text(text: str) -> None:
    c = Compaction.find(text, fold(text))
    if c is None:
        return
    assert len(c.text) == len(c.folded) < len(text)
    assert "".join(ch for ch in text if not ch.isspace()) == "".join(ch for ch in c.text if not ch.isspace())
    for a in range(len(c.text)):
        for b in range(a + 1, min(a + 6, len(c.text)) + 1):
            oa, ob = c.original_span(a, b)
            # the original piece is the compacted one with the dropped spaces inside, none around it
            kept = [c.original_offset(i) for i in range(a, b)]
            assert "".join(text[k] for k in kept) == c.text[a:b]
            assert kept[0] == oa and kept[-1] == ob - 1
            assert all(text[k] in " \u00a0\u3000" for k in range(oa, ob) if k not in kept)
            assert (c.compacted_offset(oa), c.compacted_offset(ob)) == (a, b)


@pytest.mark.parametrize("text", SENTENCES[:3])
def test_a_figure_an_argument_holds_is_the_documents_own(text: str) -> None:
    """Moved back, an argument's figure and date are the document's objects themselves, as on a
    text without spaces (the wire form of extract_many's workers relies on it), on both paths."""
    nlp = unionie.load()
    for doc in (unionie.extract(text), _document(doc_from_text(text, nlp=nlp), None, text)):
        held = [(a.quantity, a.date) for e in doc.events for a in e.arguments]
        assert any(q is not None for q, _ in held) and any(d is not None for _, d in held)
        for q, d in held:
            assert q is None or any(q is x for x in doc.quantities)
            assert d is None or any(d is x for x in doc.dates)

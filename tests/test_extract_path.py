"""``unionie.extract`` without a spaCy Doc gives what the pipeline gives on a Doc.

For a pipeline that is exactly unionie's (its tokenizer and the four components),
``extract`` calls the components' functions directly and asks the tokenizer for word
boundaries only around trigger words (:class:`unionie.tokenizer.WordBoundaries`). These
tests hold that path to the Doc path (``nlp(text)``) on every corpus file and on
edge cases, check the lazy word boundaries against the full cut at every position,
and check that a pipeline with other components still runs them all.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.tokens import Doc

import unionie
from unionie.api import _document, doc_from_text
from unionie.lexicons import Boundaries, grow_left
from unionie.normalize.text import fold
from unionie.segmenter import cut_copy
from unionie.tokenizer import BACKENDS, WordBoundaries

ROOT = Path(__file__).resolve().parents[1]

#: (what the row exercises, text)
CASES = [
    ("a trigger cut across two words is dropped (纳入|会员)", "将外委施工人员纳入会员管理，新发展会员300名。"),
    ("a trigger that is a word of its own", "工会新建会员服务站12个。"),
    ("a trigger at the very end of the text", "全年新建基层工会"),
    ("a trigger at the very start", "慰问困难职工家庭95户，发放慰问金8.9万元。"),
    ("CRLF and tabs around triggers", "培训\r\n职工\t2300人次\r\n\r\n举办劳动竞赛\r\n"),
    ("ASCII runs next to a trigger", "COVID-19期间慰问一线职工500人，发放慰问金a.b-20万元"),
    ("Traditional characters", "市總工會舉辦職工技能培訓班十二期，培訓職工1500人次。"),
    ("full-width and HTML", "<p>举办培训班３期&nbsp;培训职工１２０人</p>"),
    ("one character", "训"),
    ("empty", ""),
    ("whitespace only", " \r\n\t"),
    ("no Chinese at all", "2019-05-05 12:00 ok"),
    ("spaces pasted around figures (read on the compacted text, offsets mapped back)",
     "2022 年 9 月，市总工会举办培训班 3 期，培训职工 120 人次，发放慰问金 2.2 万元，标准 500 元/人。"),
    ("NBSP and U+3000 around figures; two figures stay apart",
     "新建工会\u00a021\u00a0家，发展会员\u3000300\u3000名，2016 2017 两年共慰问 120 300 户"),
    ("a pasted space at a trigger's ends, a tab kept", "慰问困难职工 95 户，发放慰问金 8.9 万元，培训\t120 人次"),
]


def _texts() -> list[tuple[str, str]]:
    files = sorted((ROOT / "corpus").rglob("*.txt"))
    assert len(files) >= 18
    return [(f.name, f.read_text(encoding="utf-8")) for f in files] + [(c[0], c[1]) for c in CASES]


def _doc_path(text: str, nlp: Language) -> unionie.Document:
    return _document(doc_from_text(text, nlp=nlp), None, text)


def _installed(backend: str) -> bool:
    if backend == "jieba":
        return True
    try:
        __import__(backend)
    except ImportError:
        return False
    return True


@pytest.mark.parametrize("backend", BACKENDS)
def test_extract_equals_the_doc_path_on_the_corpus_and_edge_cases(backend: str) -> None:
    if not _installed(backend):
        pytest.skip(f"{backend} is not installed")
    nlp = unionie.load(backend=backend)
    for name, text in _texts():
        fast = unionie.extract(text, nlp=nlp)
        assert fast == _doc_path(text, nlp), name
        # and with a publication date given
        assert unionie.extract(text, nlp=nlp, published="2020-01-31") == _document(
            doc_from_text(text, published="2020-01-31", nlp=nlp), None, text), name


def test_the_corpus_has_triggers_the_word_check_drops() -> None:
    # the equality above is only worth something if the check ever says no
    nlp = unionie.load()
    ext = nlp.get_pipe("unionie_events").extractor
    text = CASES[0][1]
    unchecked = [text[t.start:t.end] for t in ext.find_triggers(text)]
    checked = [text[t.start:t.end] for t in ext.find_triggers(text, nlp.tokenizer.boundaries(text).either)]
    assert "入会" in unchecked and "入会" not in checked


#: Traditional sentences whose trigger jieba's cut of the text *as written* cuts across
#: (its dictionary is Simplified): (text, event type, trigger). The text is cut as its
#: Simplified fold, so the trigger is found as in the Simplified sentence.
TRADITIONAL = [
    ("困難職工慰問：為12戶困難職工家庭發放12萬元慰問金並送去米麪油。", "subsidy", "慰問金"),   # 萬元慰|問金並
    ("元旦春節期間，發放慰問金及物資摺合42.5萬元。", "subsidy", "慰問金"),                   # 發放慰|問金及
    ("春節前夕，鎮總工會走訪慰問困難職工32戶，送去慰問金及米麪油等物品摺合3.2萬元。", "subsidy", "慰問"),  # 訪慰|問困難
    ("三八節期間，組織女職工開展詩歌朗誦會，參與女職工80人左右。", "cultural_sports", "朗誦"),  # 詩歌朗|誦會
    ("開展金秋助學，為4名困難職工子女發放助學金共計1.2萬元。", "subsidy", "助學金"),          # 發放助|學金共計
    ("接待職工來訪諮詢35人次，調處勞動爭議案件8件。", "rights_protection", "來訪"),           # 職工來|訪諮詢
]


@pytest.mark.parametrize("text,kind,trigger", TRADITIONAL)
def test_traditional_text_is_cut_as_its_simplified_fold(text: str, kind: str, trigger: str) -> None:
    nlp = unionie.load()
    at = text.index(trigger)
    as_written = _starts(list(nlp.tokenizer.jieba.cut(text)))
    assert at not in as_written and at + len(trigger) not in as_written  # the row is worth something
    doc = unionie.extract(text)
    assert (kind, trigger) in [(e.type, e.trigger.text) for e in doc.events]
    assert all(text[e.trigger.start:e.trigger.end] == e.trigger.text for e in doc.events)
    tokens = [t.text for t in nlp.tokenizer(text)]
    starts = _starts(tokens)
    assert "".join(tokens) == text and (at in starts or at + len(trigger) in starts)  # so does spaCy's tokenizer
    assert doc == _doc_path(text, nlp)
    simplified = unionie.extract(fold(text))
    assert [(e.type, e.trigger.start, e.trigger.end) for e in doc.events] == [
        (e.type, e.trigger.start, e.trigger.end) for e in simplified.events]


def test_cut_copy_folds_only_runs_that_stay_runs() -> None:
    # Traditional runs become Simplified; a run with an HTML entity or a tag name the fold
    # blanks is cut as written (jieba's runs take in the "&" of "&amp;")
    text = "購買物資，發放慰問金&amp;<b>１２</b>"
    assert cut_copy(text, fold(text)) == "购买物资，發放慰問金&amp;<b>１２</b>"
    plain = "发放慰问金"
    assert cut_copy(plain, fold(plain)) is plain


def _starts(words: list[str]) -> set[int]:
    out, a = set(), 0
    for w in words:
        out.add(a)
        a += len(w)
    return out


def _check_every_position(text: str, tok: object) -> None:
    full = _starts(tok.words(text))  # type: ignore[attr-defined]
    at = [pos in full or pos == len(text) for pos in range(len(text) + 1)]
    lazy = tok.boundaries(text)  # type: ignore[attr-defined]
    for pos in range(len(text) + 1):
        assert lazy(pos) == at[pos], (text[max(0, pos - 5):pos + 5], pos)
    fresh = tok.boundaries(text)  # type: ignore[attr-defined]  # either() before any cut
    for a in range(len(text) + 1):
        for b in range(a + 1, min(a + 4, len(text)) + 1):
            assert fresh.either(a, b) == (at[a] or at[b]), (text[a:b], a, b)


@pytest.mark.parametrize("backend", BACKENDS)
def test_lazy_boundaries_are_the_full_cut_at_every_position(backend: str) -> None:
    if not _installed(backend):
        pytest.skip(f"{backend} is not installed")
    tok = unionie.load(backend=backend).tokenizer
    for _, text in _texts()[:6] + [(c[0], c[1]) for c in CASES]:
        _check_every_position(text, tok)


_MIX = st.one_of(st.sampled_from(list("工会职工之家劳模创新工作室培训班举办慰问组建会员万元人次的了")),
                 st.sampled_from(list("abcXYZ0123456789.+#&_%-，。 \n\r\t、（）")),
                 st.characters(blacklist_categories=("Cs",)))
_TOK = unionie.load().tokenizer


@given(st.text(alphabet=_MIX, max_size=80))
@settings(max_examples=200, deadline=None)
def test_lazy_boundaries_on_random_text(text: str) -> None:
    _check_every_position(text, _TOK)


def test_boundaries_from_starts() -> None:
    b = WordBoundaries.from_starts("工会纳入会员", [0, 2, 4])
    assert [b(i) for i in range(7)] == [True, False, True, False, True, False, True]
    assert not b.either(3, 5) and b.either(3, 4) and b.either(5, 6)


def test_cut_run_is_the_cut_of_each_run_in_the_corpus() -> None:
    tok = unionie.load().tokenizer
    tok.jieba  # loads the dictionary
    cut = tok._jiebacut
    assert cut is not None
    for _, text in _texts()[:4]:
        for run in re.findall(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+", text):
            assert cut.cut_run(run) == cut.cut(run)
            assert cut.cut_run(run, False) == cut.cut(run, False)


def test_a_pipeline_with_another_component_runs_it() -> None:
    # extract takes the short path only for unionie's own pipeline: anything else runs on a Doc
    nlp = unionie.load()

    @Language.component("test_drop_events")
    def drop_events(doc: Doc) -> Doc:
        doc._.events = []
        return doc

    nlp.add_pipe("test_drop_events")
    text = CASES[3][1]
    assert unionie.extract(text).events
    assert unionie.extract(text, nlp=nlp).events == ()
    nlp.disable_pipe("test_drop_events")
    assert unionie.extract(text, nlp=nlp).events == unionie.extract(text).events


def test_extract_still_refuses_bad_input_on_the_short_path() -> None:
    with pytest.raises(TypeError, match="expects str"):
        unionie.extract(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(unionie.InputError, match="lone surrogate"):
        unionie.extract("工会\udcff")
    with pytest.raises(unionie.InputError, match="ISO date"):
        unionie.extract("工会", published="5 May 2019")


# -- grow_left: one reverse search for the stop, then the boundary words -------------------------
def _grow_left_reference(text: str, start: int, stop_at: int, boundary: Boundaries, max_grow: int) -> int:
    """The character-by-character loop grow_left replaced."""
    import regex

    han = regex.compile(r"[\p{Han}A-Za-z0-9·]")
    j = start
    lo = max(stop_at, start - max_grow)
    while j > lo:
        ch = text[j - 1]
        if not han.match(ch) or ch.isdigit():
            break
        if boundary.ends_at(text, j):
            break
        j -= 1
    return j


_BOUNDARY = Boundaries(["组织", "和", "开展", "的"])

GROW = [  # (text, start, stop_at, max_grow, expected start)
    ("市总工会组织开展劳动竞赛", 12, 0, 14, 8),     # stops after the boundary word 开展
    ("全市职工的技能培训", 7, 0, 14, 5),            # after 的
    ("5G基站建设培训", 6, 0, 14, 1),                # over G, and a digit stops it
    ("abc·def培训", 7, 0, 14, 0),                  # Latin letters and · are grown over
    ("，职工培训", 3, 0, 14, 1),                    # punctuation stops it
    ("很长很长很长很长名字培训", 10, 0, 3, 7),        # at most max_grow characters
    ("职工培训", 4, 3, 14, 3),                      # never left of stop_at
    ("培训", 0, 0, 14, 0),                          # nothing to the left
]


@pytest.mark.parametrize("text,start,stop_at,max_grow,expected", GROW)
def test_grow_left_table(text: str, start: int, stop_at: int, max_grow: int, expected: int) -> None:
    assert grow_left(text, start, stop_at, _BOUNDARY, max_grow) == expected
    assert _grow_left_reference(text, start, stop_at, _BOUNDARY, max_grow) == expected


@given(st.text(alphabet=st.one_of(st.sampled_from(list("组织开展和的工会职工培训aZ·5 ，。\n")),
                                  st.characters(blacklist_categories=("Cs",))), max_size=40),
       st.integers(0, 40), st.integers(0, 40), st.integers(0, 20))
@settings(max_examples=400, deadline=None)
def test_grow_left_is_the_character_loop(text: str, start: int, stop_at: int, max_grow: int) -> None:
    start = min(start, len(text))
    stop_at = min(stop_at, start)
    assert grow_left(text, start, stop_at, _BOUNDARY, max_grow) == \
        _grow_left_reference(text, start, stop_at, _BOUNDARY, max_grow)


def test_the_numeral_memo_gives_the_same_values_and_still_raises() -> None:
    from decimal import Decimal

    from unionie.normalize.numbers import parse_number

    for _ in range(2):  # the second round reads the memo
        assert parse_number("2.2万") == Decimal("22000")
        assert parse_number("一千二百") == Decimal(1200)
        with pytest.raises(ValueError):
            parse_number("")
        with pytest.raises(ValueError, match="too large"):
            parse_number("9" * 30)

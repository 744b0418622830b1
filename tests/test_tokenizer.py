"""The domain tokenizer: exact offsets, the domain lexicon, a private jieba, pickling."""
from __future__ import annotations

import pickle

import jieba
import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from unionie.tokenizer import UnionieTokenizer, domain_words


@pytest.fixture(scope="module")
def tok() -> UnionieTokenizer:
    return UnionieTokenizer(spacy.blank("xx").vocab)


OFFSET_CASES = [
    ("newline inside a sentence", "新区总工会投入资金8.9万元，\n关爱慰问困难职工家庭95户"),
    ("crlf", "举办培训班70余期\r\n培训工会干部6200多人次"),
    ("full-width space and tab", "组织20名环卫工人\u3000疗休养\t开展金秋助学"),
    ("leading and trailing blanks", "  \n 创建职工之家37家 \n\n"),
    ("ascii and digits", "ISO9001体系, 5G基站 1,250万元 3 500万元"),
    ("emoji and nul", "职工👍🏽之家\x00工会"),
    ("html remnants", "<p>&nbsp;市总工会<br/>举办</p>"),
    ("traditional", "市總工會舉辦職工技能培訓班１２期"),
    ("empty", ""),
]


@pytest.mark.parametrize("text", [c[1] for c in OFFSET_CASES], ids=[c[0] for c in OFFSET_CASES])
def test_every_character_is_in_exactly_one_token(tok: UnionieTokenizer, text: str) -> None:
    doc = tok(text)
    assert doc.text == text
    assert "".join(t.text for t in doc) == text
    for t in doc:
        assert text[t.idx:t.idx + len(t.text)] == t.text


_SHARED = UnionieTokenizer(spacy.blank("xx").vocab)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
@settings(max_examples=150, deadline=None)
def test_offsets_hold_for_any_text(text: str) -> None:
    doc = _SHARED(text)
    assert doc.text == text
    assert all(text[t.idx:t.idx + len(t.text)] == t.text for t in doc)


DOMAIN_WORDS = [
    ("劳模创新工作室10个", "劳模创新工作室"),
    ("关爱慰问困难职工家庭95户", "困难职工家庭"),
    ("组织20名环卫工人疗休养", "疗休养"),
    ("开展2022年金秋助学活动", "金秋助学"),
    ("贴近新就业形态劳动者的新需求", "新就业形态劳动者"),
    ("推选五一劳动奖章78名", "五一劳动奖章"),
    ("接待职工来信来访1100人次", "人次"),
    ("创建市信赖职工之家37家", "职工之家"),
]


@pytest.mark.parametrize("text,word", DOMAIN_WORDS, ids=[w for _, w in DOMAIN_WORDS])
def test_domain_words_are_single_tokens(tok: UnionieTokenizer, text: str, word: str) -> None:
    assert word in [t.text for t in tok(text)]


def test_lexicon_file_has_hundreds_of_words() -> None:
    assert len(domain_words()) >= 150


def test_global_jieba_is_untouched(tok: UnionieTokenizer) -> None:
    before = jieba.lcut("创建劳模创新工作室10个")
    tok("创建劳模创新工作室10个")
    tok.add_words(["劳模创新工作室"])
    assert jieba.lcut("创建劳模创新工作室10个") == before


def test_user_words_and_lexicon_files(tmp_path) -> None:
    lex = tmp_path / "mine.txt"
    lex.write_text("# my words\n暖蜂驿站 500 n\n", encoding="utf-8")
    tk = UnionieTokenizer(spacy.blank("xx").vocab, user_words=["昱工心声"], lexicon_paths=[lex])
    words = [t.text for t in tk("依托暖蜂驿站开通昱工心声意见箱")]
    assert "暖蜂驿站" in words and "昱工心声" in words


def test_pickle_round_trip_keeps_words(tmp_path) -> None:
    tk = UnionieTokenizer(spacy.blank("xx").vocab, user_words=["昱工心声"])
    tk("预热")
    clone = pickle.loads(pickle.dumps(tk))
    assert [t.text for t in clone("开通昱工心声意见箱")] == [t.text for t in tk("开通昱工心声意见箱")]


def test_bytes_round_trip(tmp_path) -> None:
    tk = UnionieTokenizer(spacy.blank("xx").vocab, user_words=["昱工心声"])
    other = UnionieTokenizer(spacy.blank("xx").vocab).from_bytes(tk.to_bytes())
    assert "昱工心声" in [t.text for t in other("开通昱工心声意见箱")]

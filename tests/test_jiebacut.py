"""unionie's default segmenter gives exactly jieba's tokens (``jieba.Tokenizer.cut``).

``unionie._jiebacut.JiebaCut`` re-runs jieba's accurate mode (dictionary DAG, route,
finalseg HMM) in a tighter loop. Whatever the input, its tokens must be the ones jieba
yields with the same dictionary, with and without the HMM: these tests compare the two
on edge cases (each row says what it exercises), on every file of the corpus, after
words are added, and on random text.
"""
from __future__ import annotations

from pathlib import Path

import jieba
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unionie._jiebacut import PROOF_MAX, JiebaCut
from unionie.segmenter import _new_segmenter, domain_words

ROOT = Path(__file__).resolve().parents[1]

#: (what the row exercises, text)
CASES = [
    ("dictionary words and the route", "新区总工会投入资金8.9万元关爱慰问困难职工家庭95户"),
    ("unknown names through the HMM", "张晓梅、欧阳振华和李娜娜同志获评劳动模范"),
    ("a run of single characters that is a word", "的的确确"),
    ("one unknown character between words", "工会嘤职工"),
    ("ASCII inside a Chinese block", "5G基站ISO9001体系COVID-19疫情a.b_c%d#e&f+g"),
    ("ASCII runs in the HMM buffer", "王x李y3赵z9.5%"),
    ("decimal and percent", "同比增长12.5%，达到100%"),
    ("whitespace, CRLF, tabs", "  工会\r\n职工\t\t之家 \n\n 培训\u3000班"),
    ("punctuation splits blocks", "（一）围绕中心，服务大局；——“职工之家”！"),
    ("characters outside jieba's ranges", "职工👍🏽之家\x00工会ぁア한글Ωé"),
    ("extension-B and compatibility ideographs", "𠀀𠀁工会\uf900\u9fd6\u9fff"),
    ("traditional characters", "市總工會舉辦職工技能培訓班十二期"),
    ("a tie between two routes", "结合成分子时"),
    ("characters the HMM has never seen (Viterbi ties)", "丄丅丏両丣丩"),
    ("unseen characters between known ones", "张丄丅李乁乄王三丮丯丱职工"),
    ("long unknown run", "嘤嘤嘤嘤嘤嘤嘤嘤嘤嘤嘤嘤嘤嘤嘤嘤嘤嘤嘤嘤"),
    ("single character", "工"),
    ("single ASCII letter", "a"),
    ("empty", ""),
]


@pytest.fixture(scope="module")
def tk() -> "jieba.Tokenizer":
    t = _new_segmenter("jieba")
    for word, freq, tag in domain_words():
        t.add_word(word, freq, tag)
    return t


@pytest.mark.parametrize("hmm", [True, False], ids=["hmm", "no-hmm"])
@pytest.mark.parametrize("text", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_same_tokens_as_jieba(tk: "jieba.Tokenizer", text: str, hmm: bool) -> None:
    assert JiebaCut(tk).cut(text, hmm) == list(tk.cut(text, HMM=hmm))


def _corpus_files() -> list[Path]:
    return sorted((ROOT / "corpus").rglob("*.txt"))


@pytest.mark.parametrize("hmm", [True, False], ids=["hmm", "no-hmm"])
def test_same_tokens_as_jieba_on_the_whole_corpus(tk: "jieba.Tokenizer", hmm: bool) -> None:
    files = _corpus_files()
    assert len(files) >= 14
    cut = JiebaCut(tk)
    for f in files:
        text = f.read_text(encoding="utf-8", errors="replace")
        assert cut.cut(text, hmm) == list(tk.cut(text, HMM=hmm)), f.name


def test_a_tie_between_two_routes_goes_to_the_longer_first_word() -> None:
    # 甲/乙丙 and 甲乙/丙 have the same probability to the last bit (four equal counts):
    # jieba's max() of (probability, end) tuples takes the later end, i.e. 甲乙 | 丙
    t = _new_segmenter("jieba")
    for word, freq in (("甲", 1000), ("丙", 1000), ("甲乙", 1000), ("乙丙", 1000), ("乙", 1)):
        t.add_word(word, freq)
    for hmm in (True, False):
        assert list(t.cut("甲乙丙", HMM=hmm)) == ["甲乙", "丙"]
        assert JiebaCut(t).cut("甲乙丙", hmm) == ["甲乙", "丙"]


def test_words_added_later_take_effect_as_in_jieba() -> None:
    t = _new_segmenter("jieba")
    cut = JiebaCut(t)
    text = "暖蜂驿站为快递小哥提供热水"
    before = cut.cut(text)
    assert "暖蜂驿站" not in before
    t.add_word("暖蜂驿站")  # changes FREQ and the total: the cached log-probabilities must go
    after = cut.cut(text)
    assert "暖蜂驿站" in after
    assert after == list(t.cut(text))


def test_default_backend_uses_it_and_matches_plain_jieba_without_domain_words() -> None:
    t = _new_segmenter("jieba")
    text = (ROOT / "corpus" / "reports" / "changzhou-xinbei.txt").read_text(encoding="utf-8")
    # the private tokenizer with only jieba's dictionary cuts as the global jieba.lcut does
    assert JiebaCut(t).cut(text) == jieba.lcut(text)


_HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)
_MIX = st.one_of(_HAN, st.sampled_from(list("工会职工之家劳模创新工作室培训班万元人次的了和与及")),
                 st.sampled_from(list("abcXYZ0123456789.+#&_%-，。 \n\r\t、（）")),
                 st.characters(blacklist_categories=("Cs",)))


@given(st.text(alphabet=_MIX, max_size=120))
@settings(max_examples=300, deadline=None)
def test_same_tokens_as_jieba_on_random_text(text: str) -> None:
    t = _SHARED
    assert JiebaCut(t).cut(text, True) == list(t.cut(text, HMM=True))
    assert JiebaCut(t).cut(text, False) == list(t.cut(text, HMM=False))


_SHARED = _new_segmenter("jieba")


# -- starts_word: a token start proved without cutting the run before it ----------------------
def _token_starts(words: list[str]) -> set[int]:
    out, at = set(), 0
    for w in words:
        out.add(at)
        at += len(w)
    return out


def _check_starts_word(cut: JiebaCut, run: str) -> tuple[int, int]:
    """starts_word never claims a start the cut does not have (with and without the HMM);
    returns (positions proved, token starts inside the run)."""
    proved = [pos for pos in range(1, len(run)) if cut.starts_word(run, pos)]
    for hmm in (True, False):
        starts = _token_starts(cut.cut_run(run, hmm))
        wrong = [pos for pos in proved if pos not in starts]
        assert not wrong, (run, hmm, [(run[:p], run[p:]) for p in wrong])
    return len(proved), len(_token_starts(cut.cut_run(run)) - {0})


def test_starts_word_claims_only_token_starts_on_the_corpus(tk: "jieba.Tokenizer") -> None:
    import re

    cut = JiebaCut(tk)
    proved = starts = 0
    for path in sorted((ROOT / "corpus").rglob("*.txt")):
        for run in re.findall(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+", path.read_text(encoding="utf-8")):
            p, s = _check_starts_word(cut, run)
            proved, starts = proved + p, starts + s
    # not vacuous: most token starts of the corpus are proved without a cut
    assert proved > starts // 3, (proved, starts)


@pytest.mark.parametrize("text", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_starts_word_on_edge_cases(tk: "jieba.Tokenizer", text: str) -> None:
    import re

    for run in re.findall(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+", text):
        _check_starts_word(JiebaCut(tk), run)


def test_starts_word_follows_words_added_later() -> None:
    t = _new_segmenter("jieba")
    cut = JiebaCut(t)
    run = "组织职工参加技能竞赛"
    assert cut.starts_word(run, 4)  # 组织 | 职工 | 参加: a word begins at 参
    long_word = "职工参加技能竞赛暨岗位练兵全覆盖工程"  # longer than any word yet, crossing 4
    t.add_word(long_word[:8])  # 职工参加技能竞赛: now a word spans position 4
    assert not cut.starts_word(run, 4)
    assert 4 not in _token_starts(cut.cut_run(run))
    t.add_word(long_word)  # the longest key grows: still checked
    assert cut._longest_key(t.FREQ) == len(long_word)
    _check_starts_word(cut, "组织" + long_word)


@given(st.text(alphabet=_MIX, max_size=60))
@settings(max_examples=300, deadline=None)
def test_starts_word_on_random_text(text: str) -> None:
    import re

    cut = JiebaCut(_SHARED)
    for run in re.findall(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+", text):
        _check_starts_word(cut, run)


def test_starts_word_proves_nothing_before_a_long_rest(tk: "jieba.Tokenizer") -> None:
    """The proof runs jieba's route over the rest of the run: past PROOF_MAX characters it
    declines (the run is cut once instead), so one long unpunctuated run costs linear time."""
    cut = JiebaCut(tk)
    head = "组织职工参加技能竞赛"
    assert cut.starts_word(head + "职" * (PROOF_MAX - 6), 4)
    assert not cut.starts_word(head + "职" * (PROOF_MAX - 5), 4)
    assert 4 in _token_starts(cut.cut_run(head + "职" * (PROOF_MAX - 5)))  # the cut still has it


def _fresh(s: str) -> str:
    """An equal string that is another object (the kept route is reused for the same object only)."""
    return "".join(list(s))


@pytest.mark.parametrize("order", ["left to right", "right to left", "shuffled"])
def test_the_route_kept_between_proofs_and_the_cut_changes_no_answer(tk: "jieba.Tokenizer", order: str) -> None:
    """starts_word keeps the route it ran over a run and reuses it for later proofs in the same
    run and for its cut: every answer is the one computed afresh, in any order of the asks."""
    import random
    import re

    kept, fresh = JiebaCut(tk), JiebaCut(tk)
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus" / "reports").glob("*.txt"))[:4]]
    runs = [run for text in texts + [c[1] for c in CASES]
            for run in re.findall(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+", text)]
    rng = random.Random(7)
    reused = 0
    for run in runs:
        positions = list(range(1, len(run)))
        if order == "right to left":
            positions.reverse()
        elif order == "shuffled":
            rng.shuffle(positions)
        for pos in positions:
            assert kept.starts_word(run, pos) == fresh.starts_word(_fresh(run), pos), (run, pos)
        reused += kept._tail is not None and kept._tail[0] is run
        for hmm in (True, False):
            assert kept.cut_run(run, hmm) == fresh.cut_run(_fresh(run), hmm) == list(tk.cut(run, HMM=hmm)), run
    assert reused > len(runs) // 2  # not vacuous: the route was kept for the cut

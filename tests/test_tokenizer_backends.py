"""The optional segmenter backends of the unionie tokenizer, and how they differ from jieba.

``jieba`` is the default; ``jieba_fast`` (jieba in C) gives the same tokens; ``rjieba``
(jieba-rs) gives the same tokens except on ASCII runs joined by ``-``, ``.`` or ``@``,
which it keeps whole (``COVID-19``, ``2019-05-05``, ``x.com``) where jieba splits them.
Whatever the backend, every character is in exactly one token (the tokens concatenate
to the text, so offsets are exact). Tests of an uninstalled backend are skipped.
Speed is measured by ``python bench/run.py``, never asserted here.
"""
from __future__ import annotations

import pickle
from pathlib import Path

import pytest
import spacy
from spacy.vocab import Vocab

import unionie
from unionie.io.readers import read_text
from unionie.tokenizer import BACKENDS, UnionieTokenizer

REPORTS = sorted((Path(__file__).resolve().parents[1] / "corpus" / "reports").glob("*.txt"))

#: Inputs on which every backend gives jieba's tokens.
SAME = [
    "2023年市总工会投入帮扶资金1200万元，走访慰问困难职工3000余人次。",
    "工會舉辦培訓班12期，會員3.5萬人",  # Traditional
    "  共计\t100人\r\n\n",  # whitespace runs, CRLF
    "ＡＢＣ１２３\u3000全角",  # full-width letters and digits
    "１０－２０岁",  # a full-width hyphen is not an ASCII run
    "3.5万元，增长12.5%",  # decimals and percentages stay whole in both
    "iPhone12 Pro",
    "C++ & C#",
    "2015—2024年",  # an em dash is not an ASCII hyphen
    '<br/>&nbsp;<p class="x">工会</p>',
    "😀工会🎉",
    "\u3000\u00a0\ufeff工会\u2028职工",
    "",
    "a",
    "。",
]

#: Where rjieba differs: (text, jieba's tokens for the run, rjieba's token).
RJIEBA_DIFFERS = [
    ("COVID-19疫情", ["COVID", "-", "19"], "COVID-19"),
    ("发布时间：2019-05-05", ["2019", "-", "05", "-", "05"], "2019-05-05"),
    ("电话：010-65238876", ["010", "-", "65238876"], "010-65238876"),
    ("年龄在10-20岁", ["10", "-", "20"], "10-20"),
    ("第1-3季度", ["1", "-", "3"], "1-3"),
    ("网址 www.investchn.com", ["www", ".", "investchn", ".", "com"], "www.investchn.com"),
    ("邮箱 a.b@x.com", ["a", ".", "b"], "a.b"),
    ("v1.2.3版本", ["v1.2", ".", "3"], "v1.2.3"),
    ("U.S.A", ["U", ".", "S", ".", "A"], "U.S.A"),
]


def _backend(name: str) -> str:
    if name != "jieba":
        pytest.importorskip(name)
    return name


@pytest.fixture(scope="module")
def jieba_tok() -> UnionieTokenizer:
    return UnionieTokenizer(Vocab(), backend="jieba")


@pytest.fixture(scope="module", params=BACKENDS)
def tok(request: pytest.FixtureRequest) -> UnionieTokenizer:
    return UnionieTokenizer(Vocab(), backend=_backend(request.param))


def _contains(seq: list[str], sub: list[str]) -> bool:
    return any(seq[i:i + len(sub)] == sub for i in range(len(seq) - len(sub) + 1))


# -- every backend ------------------------------------------------------------------------------
@pytest.mark.parametrize("text", SAME + [t for t, _, _ in RJIEBA_DIFFERS])
def test_offsets_are_exact_for_every_backend(tok: UnionieTokenizer, text: str) -> None:
    words = tok.words(text)
    assert "".join(words) == text
    assert all(words)  # no empty token
    doc = tok(text)
    assert doc.text == text
    pos = 0
    for t in doc:
        assert t.idx == pos and text[t.idx:t.idx + len(t.text)] == t.text
        pos += len(t.text)
    assert pos == len(text)


def test_offsets_are_exact_on_the_corpus_reports(tok: UnionieTokenizer) -> None:
    for path in REPORTS:
        text = read_text(path)
        assert "".join(tok.words(text)) == text, path.name


@pytest.mark.parametrize("text", SAME)
def test_backends_agree_with_jieba_outside_ascii_runs(tok: UnionieTokenizer, jieba_tok: UnionieTokenizer,
                                                      text: str) -> None:
    assert tok.words(text) == jieba_tok.words(text)


def test_domain_words_are_words_for_every_backend(tok: UnionieTokenizer) -> None:
    assert "困难职工" in tok.words("走访慰问困难职工3000余人次")
    t2 = UnionieTokenizer(Vocab(), backend=tok.backend, user_words=["暖蜂驿站"])
    assert "暖蜂驿站" in t2.words("依托暖蜂驿站开通服务")


# -- jieba_fast: identical to jieba --------------------------------------------------------------
@pytest.mark.parametrize("text", [t for t, _, _ in RJIEBA_DIFFERS])
def test_jieba_fast_splits_ascii_runs_like_jieba(jieba_tok: UnionieTokenizer, text: str) -> None:
    fast = UnionieTokenizer(Vocab(), backend=_backend("jieba_fast"))
    assert fast.words(text) == jieba_tok.words(text)


def test_jieba_fast_gives_jiebas_tokens_on_the_corpus(jieba_tok: UnionieTokenizer) -> None:
    fast = UnionieTokenizer(Vocab(), backend=_backend("jieba_fast"))
    for path in REPORTS:
        text = read_text(path)
        assert fast.words(text) == jieba_tok.words(text), path.name


# -- rjieba: ASCII runs -------------------------------------------------------------------------------
@pytest.mark.parametrize("text,jieba_run,rjieba_token", RJIEBA_DIFFERS)
def test_rjieba_keeps_ascii_runs_whole(jieba_tok: UnionieTokenizer, text: str, jieba_run: list[str],
                                       rjieba_token: str) -> None:
    rj = UnionieTokenizer(Vocab(), backend=_backend("rjieba"))
    assert _contains(jieba_tok.words(text), jieba_run)
    assert rjieba_token in rj.words(text)
    assert "".join(rj.words(text)) == text


def test_rjieba_differs_from_jieba_only_on_ascii_runs_in_the_corpus(jieba_tok: UnionieTokenizer) -> None:
    import difflib

    rj = UnionieTokenizer(Vocab(), backend=_backend("rjieba"))
    for path in REPORTS:
        text = read_text(path)
        a, b = jieba_tok.words(text), rj.words(text)
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
            if op == "equal":
                continue
            assert "".join(a[i1:i2]) == "".join(b[j1:j2])
            changed = "".join(b[j1:j2])
            assert changed.isascii() and any(c in changed for c in "-.@"), (path.name, a[i1:i2], b[j1:j2])


# -- selection ----------------------------------------------------------------------------------------------
def test_the_default_backend_is_jieba() -> None:
    assert UnionieTokenizer(Vocab()).backend == "jieba"
    nlp = unionie.load()
    assert nlp.tokenizer.backend == "jieba"
    assert nlp.config["nlp"]["tokenizer"]["backend"] == "jieba"


def test_an_unknown_backend_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown tokenizer backend"):
        UnionieTokenizer(Vocab(), backend="thulac")
    with pytest.raises(ValueError):
        unionie.load(backend="nope")


@pytest.mark.parametrize("name", BACKENDS)
def test_backend_is_selected_by_the_config(name: str) -> None:
    _backend(name)
    from unionie.pipeline import factories  # noqa: F401 - registers the tokenizer

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "unionie.JiebaTokenizer.v1",
                                                          "backend": name}}})
    assert nlp.tokenizer.backend == name
    assert unionie.load(backend=name).tokenizer.backend == name


@pytest.mark.parametrize("name", BACKENDS)
def test_backend_survives_pickle_and_serialization(name: str) -> None:
    tok = UnionieTokenizer(Vocab(), backend=_backend(name), user_words=["暖蜂驿站"])
    again = pickle.loads(pickle.dumps(tok))
    assert again.backend == name and again.words("依托暖蜂驿站") == tok.words("依托暖蜂驿站")
    fresh = UnionieTokenizer(Vocab()).from_bytes(tok.to_bytes())
    assert fresh.backend == name


@pytest.mark.parametrize("name", BACKENDS[1:])
def test_extraction_with_a_backend_matches_jieba_on_the_corpus(name: str) -> None:
    """jieba_fast: identical results; rjieba: the token-independent layers are identical."""
    _backend(name)
    base, other = unionie.load(), unionie.load(backend=name)
    for path in REPORTS[:5]:
        text = read_text(path)
        a = unionie.extract(text, nlp=base).to_dict()
        b = unionie.extract(text, nlp=other).to_dict()
        if name == "jieba_fast":
            assert a == b, path.name
        else:
            for key in ("quantities", "dates", "entities", "published"):
                assert a[key] == b[key], (path.name, key)


# -- jieba's dictionary cache (cold start) -------------------------------------------------------------
def test_the_dictionary_cache_gives_jiebas_own_dictionary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import jieba

    from unionie import segmenter as T

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    reference = jieba.Tokenizer()
    reference.initialize()
    path = T._freq_cache_path()
    assert path is not None and path.parent == tmp_path / "unionie" and not path.exists()
    first = jieba.Tokenizer()
    T._initialize_jieba(first)  # jieba's initialize(), then the cache is written
    assert path.exists()
    second = jieba.Tokenizer()
    T._initialize_jieba(second)  # read from the cache
    for tk in (first, second):
        assert tk.initialized and tk.FREQ == reference.FREQ and tk.total == reference.total
    text = "2023年市总工会投入帮扶资金1200万元，走访慰问困难职工3000余人次。"
    assert second.lcut(text) == reference.lcut(text)


@pytest.mark.parametrize("damage", [lambda b: b[:-3], lambda b: b"junk", lambda b: b[:40] + b"x" + b[41:]])
def test_a_damaged_dictionary_cache_falls_back_to_jieba(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        damage) -> None:  # type: ignore[no-untyped-def]
    import jieba

    from unionie import segmenter as T

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    T._initialize_jieba(jieba.Tokenizer())
    path = T._freq_cache_path()
    assert path is not None
    good = path.read_bytes()
    path.write_bytes(damage(good))
    tk = jieba.Tokenizer()
    T._initialize_jieba(tk)
    reference = jieba.Tokenizer()
    reference.initialize()
    assert tk.FREQ == reference.FREQ and tk.total == reference.total
    assert path.read_bytes() == good  # rewritten


def test_no_dictionary_cache_in_a_folder_others_can_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from unionie import segmenter as T

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    (tmp_path / "unionie").mkdir(mode=0o777)
    (tmp_path / "unionie").chmod(0o777)
    assert T._freq_cache_path() is None
    tok = UnionieTokenizer(Vocab())
    words = tok.words("走访慰问困难职工")
    assert "".join(words) == "走访慰问困难职工" and "困难职工" in words

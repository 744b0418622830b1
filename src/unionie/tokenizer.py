"""A spaCy tokenizer over a *private* ``jieba.Tokenizer`` with the union-domain lexicon.

jieba's global tokenizer is never touched: a user's own ``jieba.lcut`` keeps its
behaviour. Every character of the input ends up in exactly one token (whitespace
and line breaks are tokens of their own), so ``doc.text == text`` and token
offsets are exact. The tokenizer pickles by its configuration, so it works with
spawn-based multiprocessing.

The segmenting itself is :class:`unionie.segmenter.Segmenter` (no spaCy; its docstring
describes the backends: ``jieba``, ``jieba_fast``, ``rjieba``); this module makes it a
spaCy tokenizer and registers it. Choose a backend with
``UnionieTokenizer(..., backend="rjieba")``, ``unionie.load(backend="rjieba")`` or the
config (``[nlp.tokenizer] backend = "rjieba"``).
"""
from __future__ import annotations

import json
import weakref
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from .normalize.text import fold
from .segmenter import BACKENDS, Segmenter, WordBoundaries, _check_backend, domain_words

__all__ = ["UnionieTokenizer", "WordBoundaries", "create_tokenizer", "domain_words", "doc_text", "doc_folded", "BACKENDS"]

# ``Doc.text`` is rebuilt token by token (a Python Token object each) on every access,
# and unionie's components read it several times per doc: it is kept here once per doc,
# weakly (nothing is added to the doc's user_data or to what it serializes). The
# tokenizer fills it with the text it was given (and the folded copy it cut); any other
# doc is filled on first use.
_TEXTS: "weakref.WeakKeyDictionary[Doc, tuple[int, str, str | None]]" = weakref.WeakKeyDictionary()


def _kept(doc: Doc) -> tuple[int, str, str | None] | None:
    """What is kept for ``doc``, if it still fits it (token count and length)."""
    n = len(doc)
    hit = _TEXTS.get(doc)
    if hit is not None and hit[0] == n and (n == 0 or doc[-1].idx + len(doc[-1].text_with_ws) == len(hit[1])):
        return hit
    return None


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per doc (the kept copy is checked against the token count and length)."""
    hit = _kept(doc)
    if hit is not None:
        return hit[1]
    text = doc.text
    _TEXTS[doc] = (len(doc), text, None)
    return text


def doc_folded(doc: Doc) -> str | None:
    """The folded copy of ``doc.text`` the tokenizer cut it by (:func:`unionie.normalize.text.fold`),
    or None for a doc it did not make."""
    hit = _kept(doc)
    return hit[2] if hit is not None else None


class UnionieTokenizer(Segmenter):
    """Callable spaCy tokenizer: ``tokenizer(text) -> Doc``, over :class:`~unionie.segmenter.Segmenter`.

    ``user_words`` and ``lexicon_paths`` add words to the private jieba
    dictionary (a lexicon file has one ``word [freq] [tag]`` per line). The jieba
    dictionary is loaded on first use, not at construction. ``backend`` names the
    segmenter (see :data:`BACKENDS`); an unknown or uninstalled one raises at once.
    """

    def __init__(self, vocab: Vocab, *, user_words: Iterable[str] = (),
                 lexicon_paths: Iterable[str | Path] = (), hmm: bool = True,
                 extra_words: Iterable[str] = (), backend: str = "jieba") -> None:
        super().__init__(user_words=user_words, lexicon_paths=lexicon_paths, hmm=hmm,
                         extra_words=extra_words, backend=backend)
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        folded = fold(text)
        words = self.words(text, folded)
        doc = Doc(self.vocab, words=words, spaces=[False] * len(words))
        _TEXTS[doc] = (len(words), text, folded)  # the tokens concatenate to ``text``
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for t in texts:
            yield self(t)

    def __reduce__(self) -> tuple[Callable[..., "UnionieTokenizer"], tuple[Any, ...]]:
        return (_rebuild, (self.vocab, self.user_words, self.lexicon_paths, self.hmm, self.extra_words,
                           self._inline_lexicons, self.backend))

    def to_bytes(self, **kwargs: Any) -> bytes:
        return json.dumps(self._config(), ensure_ascii=False).encode("utf-8")

    def from_bytes(self, data: bytes, **kwargs: Any) -> "UnionieTokenizer":
        cfg = json.loads(data.decode("utf-8"))
        self.user_words = list(cfg.get("user_words", []))
        self.extra_words = list(cfg.get("extra_words", []))
        self.hmm = bool(cfg.get("hmm", True))
        self.backend = _check_backend(str(cfg.get("backend", self.backend)))
        self.lexicon_paths = []
        self._inline_lexicons = {str(k): str(v) for k, v in cfg.get("lexicons", {}).items()}
        self._jieba = None
        return self

    def to_disk(self, path: str | Path, **kwargs: Any) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "tokenizer.json").write_bytes(self.to_bytes())

    def from_disk(self, path: str | Path, **kwargs: Any) -> "UnionieTokenizer":
        return self.from_bytes((Path(path) / "tokenizer.json").read_bytes())


def _rebuild(vocab: Vocab, user_words: list[str], lexicon_paths: list[str], hmm: bool,
             extra_words: list[str], inline_lexicons: dict[str, str] | None = None,
             backend: str = "jieba") -> UnionieTokenizer:
    tok = UnionieTokenizer(vocab, user_words=user_words, lexicon_paths=lexicon_paths, hmm=hmm,
                           extra_words=extra_words, backend=backend)
    tok._inline_lexicons = dict(inline_lexicons or {})
    return tok


@registry.tokenizers("unionie.JiebaTokenizer.v1")
def create_tokenizer(user_words: list[str] = [],  # noqa: B006 - spaCy config default
                     lexicon_paths: list[str] = [],  # noqa: B006
                     hmm: bool = True, backend: str = "jieba") -> Callable[[Any], UnionieTokenizer]:
    """spaCy registry entry: ``[nlp.tokenizer] @tokenizers = "unionie.JiebaTokenizer.v1"``.

    ``backend`` is ``"jieba"`` (default), ``"jieba_fast"`` or ``"rjieba"`` (see the module doc).
    """

    def make(nlp: Any) -> UnionieTokenizer:
        return UnionieTokenizer(nlp.vocab, user_words=user_words, lexicon_paths=lexicon_paths, hmm=hmm,
                                backend=backend)

    return make



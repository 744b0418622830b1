"""A spaCy tokenizer over a *private* ``jieba.Tokenizer`` with the union-domain lexicon.

jieba's global tokenizer is never touched: a user's own ``jieba.lcut`` keeps its
behaviour. Every character of the input ends up in exactly one token (whitespace
and line breaks are tokens of their own), so ``doc.text == text`` and token
offsets are exact. The tokenizer pickles by its configuration, so it works with
spawn-based multiprocessing.
"""
from __future__ import annotations

import json
import threading
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import jieba
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

__all__ = ["UnionieTokenizer", "create_tokenizer", "domain_words"]

jieba.setLogLevel(60)  # jieba prints its cache messages at INFO on stderr


def domain_words() -> list[tuple[str, int | None, str | None]]:
    """The bundled lexicon (``data/lexicon.txt``) as (word, freq, tag) triples."""
    text = resources.files("unionie").joinpath("data/lexicon.txt").read_text(encoding="utf-8")
    return list(_parse_lexicon(text))


def _parse_lexicon(text: str) -> Iterator[tuple[str, int | None, str | None]]:
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        word = parts[0]
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        tag = parts[2] if len(parts) > 2 else (parts[1] if len(parts) > 1 and not parts[1].isdigit() else None)
        yield word, freq, tag


class UnionieTokenizer:
    """Callable spaCy tokenizer: ``tokenizer(text) -> Doc``.

    ``user_words`` and ``lexicon_paths`` add words to the private jieba
    dictionary (a lexicon file has one ``word [freq] [tag]`` per line). The jieba
    dictionary is loaded on first use, not at construction.
    """

    def __init__(self, vocab: Vocab, *, user_words: Iterable[str] = (),
                 lexicon_paths: Iterable[str | Path] = (), hmm: bool = True,
                 extra_words: Iterable[str] = ()) -> None:
        self.vocab = vocab
        self.user_words = list(user_words)
        self.extra_words = list(extra_words)
        self.lexicon_paths = [str(p) for p in lexicon_paths]
        self.hmm = hmm
        self._jieba: jieba.Tokenizer | None = None
        self._lock = threading.Lock()

    # -- the private jieba --------------------------------------------------------
    @property
    def jieba(self) -> jieba.Tokenizer:
        """The private ``jieba.Tokenizer`` (initialized on first use)."""
        if self._jieba is None:
            with self._lock:
                if self._jieba is None:
                    tk = jieba.Tokenizer()
                    tk.initialize()
                    for word, freq, tag in domain_words():
                        tk.add_word(word, freq, tag)
                    for p in self.lexicon_paths:
                        for word, freq, tag in _parse_lexicon(Path(p).read_text(encoding="utf-8")):
                            tk.add_word(word, freq, tag)
                    for w in self.extra_words + self.user_words:
                        tk.add_word(w)
                    self._jieba = tk
        return self._jieba

    def add_words(self, words: Iterable[str]) -> None:
        """Add words to this tokenizer's dictionary (kept when pickled or saved)."""
        words = list(words)
        self.user_words.extend(words)
        if self._jieba is not None:
            for w in words:
                self._jieba.add_word(w)

    def add_lexicon(self, path: str | Path) -> None:
        """Add a lexicon file (``word [freq] [tag]`` per line, ``#`` comments)."""
        self.lexicon_paths.append(str(path))
        if self._jieba is not None:
            for word, freq, tag in _parse_lexicon(Path(path).read_text(encoding="utf-8")):
                self._jieba.add_word(word, freq, tag)

    def words(self, text: str) -> list[str]:
        """The tokens of ``text`` as strings; their concatenation is ``text``."""
        return list(self.jieba.cut(text, HMM=self.hmm)) if text else []

    def __call__(self, text: str) -> Doc:
        words = self.words(text)
        return Doc(self.vocab, words=words, spaces=[False] * len(words))

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for t in texts:
            yield self(t)

    # -- pickling and serialization ------------------------------------------------
    def _config(self) -> dict[str, Any]:
        lex = {p: Path(p).read_text(encoding="utf-8") for p in self.lexicon_paths if Path(p).exists()}
        return {"user_words": self.user_words, "extra_words": self.extra_words, "hmm": self.hmm,
                "lexicons": lex}

    def __reduce__(self) -> tuple[Callable[..., "UnionieTokenizer"], tuple[Any, ...]]:
        return (_rebuild, (self.vocab, self.user_words, self.lexicon_paths, self.hmm, self.extra_words))

    def to_bytes(self, **kwargs: Any) -> bytes:
        return json.dumps(self._config(), ensure_ascii=False).encode("utf-8")

    def from_bytes(self, data: bytes, **kwargs: Any) -> "UnionieTokenizer":
        cfg = json.loads(data.decode("utf-8"))
        self.user_words = list(cfg.get("user_words", []))
        self.extra_words = list(cfg.get("extra_words", []))
        self.hmm = bool(cfg.get("hmm", True))
        self.lexicon_paths = []
        self._jieba = None
        self._inline_lexicons = cfg.get("lexicons", {})
        extra: list[str] = []
        for content in self._inline_lexicons.values():
            extra.extend(w for w, _, _ in _parse_lexicon(content))
        self.user_words.extend(w for w in extra if w not in self.user_words)
        return self

    def to_disk(self, path: str | Path, **kwargs: Any) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "tokenizer.json").write_bytes(self.to_bytes())

    def from_disk(self, path: str | Path, **kwargs: Any) -> "UnionieTokenizer":
        return self.from_bytes((Path(path) / "tokenizer.json").read_bytes())


def _rebuild(vocab: Vocab, user_words: list[str], lexicon_paths: list[str], hmm: bool,
             extra_words: list[str]) -> UnionieTokenizer:
    return UnionieTokenizer(vocab, user_words=user_words, lexicon_paths=lexicon_paths, hmm=hmm,
                            extra_words=extra_words)


@registry.tokenizers("unionie.JiebaTokenizer.v1")
def create_tokenizer(user_words: list[str] = [],  # noqa: B006 - spaCy config default
                     lexicon_paths: list[str] = [],  # noqa: B006
                     hmm: bool = True) -> Callable[[Any], UnionieTokenizer]:
    """spaCy registry entry: ``[nlp.tokenizer] @tokenizers = "unionie.JiebaTokenizer.v1"``."""

    def make(nlp: Any) -> UnionieTokenizer:
        return UnionieTokenizer(nlp.vocab, user_words=user_words, lexicon_paths=lexicon_paths, hmm=hmm)

    return make



"""The word segmenter: a *private* ``jieba.Tokenizer`` with the union-domain lexicon, and
word boundaries found on demand. No spaCy here: the core (:mod:`unionie.core`) segments with
:class:`Segmenter`; :class:`unionie.tokenizer.UnionieTokenizer` is the same segmenter as a
spaCy tokenizer.

jieba's global tokenizer is never touched: a user's own ``jieba.lcut`` keeps its
behaviour. Every character of the input ends up in exactly one token (whitespace
and line breaks are tokens of their own), so the tokens concatenate to the text.

The segmenter is a *backend*: ``"jieba"`` (the default: jieba's dictionary, HMM and
algorithm, run by :class:`~unionie._jiebacut.JiebaCut`, which gives jieba's tokens about
twice as fast as ``jieba.Tokenizer.cut``), ``"jieba_fast"`` (jieba's
algorithm in C: the same tokens, about twice as fast) or ``"rjieba"`` (jieba-rs, much
faster, but it keeps some ASCII runs such as ``COVID-19``, ``a.b`` or ``x.com`` whole
where jieba splits them). The optional backends are not dependencies:
``pip install jieba_fast`` or ``pip install rjieba``. Choose one with
``unionie.load(backend="rjieba")`` or the config (``[nlp.tokenizer] backend = "rjieba"``).
"""
from __future__ import annotations

import array
import bisect
import contextlib
import importlib.util
import logging
import os
import sys
import tempfile
import threading
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import jieba

from ._jiebacut import RE_HAN, JiebaCut
from .normalize.text import fold

__all__ = ["Segmenter", "WordBoundaries", "cut_copy", "domain_words", "word_starts", "BACKENDS"]

#: The segmenter backends, by name (the first is the default).
BACKENDS = ("jieba", "jieba_fast", "rjieba")



@contextlib.contextmanager
def _quiet(logger: logging.Logger) -> Iterator[None]:
    """Silence jieba's "Building prefix dict" messages while our private tokenizer loads,
    and give the user's jieba logger back its level afterwards (no global change)."""
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


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
        if freq == 0:
            # jieba removes a word with freq 0 through a process-wide list: that would change
            # the user's own jieba.lcut, so such lines are ignored here
            continue
        tag = parts[2] if len(parts) > 2 else (parts[1] if len(parts) > 1 and not parts[1].isdigit() else None)
        yield word, freq, tag




def word_starts(words: Iterable[str], at: int = 0) -> set[int]:
    """Where each of ``words`` starts when they are laid end to end from ``at``."""
    out: set[int] = set()
    for w in words:
        out.add(at)
        at += len(w)
    return out


class WordBoundaries:
    """Where the words of a text begin and end: ``boundary(pos)`` is True at ``0``, at
    ``len(text)`` and where a token starts.

    Made from the starts of the tokens (:meth:`from_starts`, e.g. a ``Doc``'s) or from a
    text and a cut function that gives jieba's tokens (:meth:`lazy`). jieba cuts each run
    of the characters of ``jieba.re_han_default`` (Chinese, ASCII letters and digits,
    ``+#&._%-``) on its own, and every other character is a token by itself (``\\r\\n``
    is one token). So the lazy form cuts only the runs it is asked about, once each, and
    answers as the whole cut would: :func:`unionie.extract` asks only about the ends of
    trigger words.
    """

    __slots__ = ("_text", "_folded", "_cut", "_runs", "_starts", "_run_starts", "_run_ends", "_cuts", "_proves",
                 "_run_texts")

    def __init__(self, text: str, starts: set[int] | None, cut: Callable[[str], list[str]] | None,
                 runs: Any = RE_HAN, folded: str | None = None,
                 proves: Callable[[str, int], bool] | None = None) -> None:
        self._text = text
        self._folded = folded
        self._starts = starts
        self._cut = cut
        self._runs = runs
        self._proves = proves
        self._run_starts: list[int] | None = None
        self._run_ends: list[int] = []
        self._cuts: dict[int, set[int]] = {}  # run index -> the token starts inside it
        self._run_texts: dict[int, str] = {}  # run index -> the run as cut (one string: see _run_text)

    @classmethod
    def from_starts(cls, text: str, starts: Iterable[int]) -> "WordBoundaries":
        """The boundaries of a text whose tokens start at ``starts``."""
        return cls(text, set(starts), None)

    @classmethod
    def lazy(cls, text: str, cut: Callable[[str], list[str]], runs: Any = RE_HAN,
             folded: str | None = None, proves: Callable[[str, int], bool] | None = None) -> "WordBoundaries":
        """The boundaries of ``cut(text)``, found on demand, for a ``cut`` that cuts each match
        of the pattern ``runs`` on its own and every other character as a token, as jieba does.
        With ``folded`` (``text``'s folded copy, of the same length), each run is cut as
        :func:`cut_copy` gives it: its folded form where that is still a run.
        ``proves(run, pos)`` may tell that a token of ``cut(run)`` begins at ``pos`` without
        cutting the run (:meth:`unionie._jiebacut.JiebaCut.starts_word`): True only when it does."""
        return cls(text, None, cut, runs, folded, proves)

    def __call__(self, pos: int) -> bool:
        run = self._run_of(pos)
        return run == _BOUNDARY if run < 0 else self._inside(run, pos)

    def either(self, a: int, b: int) -> bool:
        """True when a word begins or ends at ``a`` or at ``b`` (a span not cut across at both
        ends). Cuts a run only when neither end can be told without it."""
        ra = self._run_of(a)
        if ra == _BOUNDARY:
            return True
        rb = self._run_of(b)
        if rb == _BOUNDARY:
            return True
        if self._proves is not None:
            # a word proved to begin at a, else at b: no cut (at b, in the run of a, the proof
            # reuses the route the one at a ran)
            for r, pos in ((ra, a), (rb, b)):
                if r >= 0 and r not in self._cuts \
                        and self._proves(self._run_text(r), pos - self._run_starts[r]):  # type: ignore[index]
                    return True
        return (ra >= 0 and self._inside(ra, a)) or (rb >= 0 and self._inside(rb, b))

    def _run_of(self, pos: int) -> int:
        """The index of the run ``pos`` is strictly inside, else the answer found without a
        cut: ``_BOUNDARY`` or ``_NOT_BOUNDARY``."""
        text = self._text
        if pos <= 0 or pos >= len(text):
            return _BOUNDARY if pos == 0 or pos == len(text) else _NOT_BOUNDARY
        if self._starts is not None:
            return _BOUNDARY if pos in self._starts else _NOT_BOUNDARY
        if self._run_starts is None:
            spans = [m.span() for m in self._runs.finditer(text)]
            self._run_starts = [a for a, _ in spans]
            self._run_ends = [b for _, b in spans]
        i = bisect.bisect_right(self._run_starts, pos) - 1
        if i < 0 or pos == self._run_starts[i] or pos >= self._run_ends[i]:
            # not inside a run: every character is a token of its own, except \r\n
            return _NOT_BOUNDARY if text[pos - 1] == "\r" and text[pos] == "\n" else _BOUNDARY
        return i

    def _run_text(self, i: int) -> str:
        """Run ``i`` as it is cut: its folded form where that is a run too (:func:`cut_copy`).
        Made once: the proofs and the cut of one run get the same string, so the segmenter
        may reuse what it computed over it (:meth:`unionie._jiebacut.JiebaCut.starts_word`)."""
        run = self._run_texts.get(i)
        if run is None:
            a, b = self._run_starts[i], self._run_ends[i]  # type: ignore[index]
            run = self._text[a:b]
            if self._folded is not None:
                run = _run_as_cut(run, self._folded[a:b], self._runs)
            self._run_texts[i] = run
        return run

    def _inside(self, i: int, pos: int) -> bool:
        inside = self._cuts.get(i)
        if inside is None:
            words = self._cut(self._run_text(i))  # type: ignore[misc]
            inside = self._cuts[i] = word_starts(words, self._run_starts[i])  # type: ignore[index]
        return pos in inside


_BOUNDARY, _NOT_BOUNDARY = -1, -2  # what WordBoundaries._run_of returns when no run needs a cut


def _run_as_cut(run: str, folded_run: str, runs: Any) -> str:
    """A run as the segmenter cuts it: its folded form where that differs and is a run too,
    else ``run`` itself (the one rule of :func:`cut_copy` and :class:`WordBoundaries`)."""
    return folded_run if folded_run != run and runs.fullmatch(folded_run) else run


def cut_copy(text: str, folded: str, runs: Any = RE_HAN) -> str:
    """The copy of ``text`` the segmenter cuts: ``text`` with each run of ``runs`` (the
    characters jieba cuts together) replaced by its folded form (:func:`unionie.normalize.text.fold`,
    of the same length) where that is a run too. Traditional Chinese is so cut as its
    Simplified form (jieba's dictionary is Simplified: 萬元慰問金 is cut 萬元慰|問金 as
    written, but 万元|慰问金); what the fold turns into other characters (an HTML
    entity, a tag) is cut as written, so the runs stay where they are in ``text`` and the
    words keep their lengths."""
    if folded == text:
        return text
    parts: list[str] = []
    at = 0
    for m in runs.finditer(text):
        a, b = m.span()
        run = m.group()
        cut = _run_as_cut(run, folded[a:b], runs)
        if cut is not run:
            parts.append(text[at:a])
            parts.append(cut)
            at = b
    if not parts:
        return text
    parts.append(text[at:])
    return "".join(parts)


class _RJieba:
    """rjieba's ``Jieba`` behind jieba's ``add_word`` / ``cut`` interface."""

    def __init__(self) -> None:
        import rjieba

        self._tk = rjieba.Jieba()

    def add_word(self, word: str, freq: int | None = None, tag: str | None = None) -> None:
        self._tk.add_word(word, freq, tag)

    def cut(self, text: str, HMM: bool = True) -> list[str]:  # jieba's spelling of the flag
        return self._tk.cut(text, hmm=HMM)


def _check_backend(backend: str) -> str:
    """``backend`` if it names an installed segmenter backend (ValueError / ImportError otherwise)."""
    if backend not in BACKENDS:
        raise ValueError(f"unknown tokenizer backend {backend!r}: use one of {', '.join(BACKENDS)}")
    if backend != "jieba" and importlib.util.find_spec(backend) is None:
        raise ImportError(f"the tokenizer backend {backend!r} is not installed: pip install {backend}")
    return backend


# -- jieba's default dictionary, loaded fast ------------------------------------------
# jieba.Tokenizer.initialize() reads its prefix dictionary (about 500,000 entries) from a
# marshal file in the temp folder, about 0.6 s: most of unionie's cold start. The same
# dict read from a plain file of keys and 64-bit counts takes about a third of that, and
# such a file holds data only (never code). It is written once per user, jieba version
# and dictionary file, next to nothing else, and checked on reading; whenever it is
# missing, stale, damaged or unwritable, jieba's own initialize() is used as before.
_FREQ_MAGIC = b"unionie-jieba-freq 1\n"


def _freq_cache_path() -> Path | None:
    """Where the dictionary cache lives (a folder of this user's), or None if there is none."""
    try:
        dict_file = Path(jieba.__file__).with_name("dict.txt")
        st = dict_file.stat()
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        folder = Path(base) / "unionie"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fst = folder.stat()
        if hasattr(os, "getuid") and (fst.st_uid != os.getuid() or fst.st_mode & 0o022):
            return None  # a folder others can write to: do not trust what is in it
        version = getattr(jieba, "__version__", "0")
        return folder / f"jieba-{version}-{st.st_size}-{st.st_mtime_ns}-{sys.byteorder}.freq"
    except (OSError, RuntimeError, AttributeError, TypeError):
        return None


def _read_freq(path: Path) -> tuple[dict[str, int], int] | None:
    try:
        with open(path, "rb") as f:  # read in parts, so the peak memory stays low
            if f.read(len(_FREQ_MAGIC)) != _FREQ_MAGIC:
                return None
            n, total, nkeys = (int(x) for x in f.readline(200).split())
            if n < 0 or nkeys < 0 or os.fstat(f.fileno()).st_size != f.tell() + nkeys + 8 * n:
                return None
            raw = f.read(nkeys)
            keys = str(raw, "utf-8").split("\n") if n else []
            del raw
            counts = array.array("q")
            counts.fromfile(f, n)
        if len(keys) != n:
            return None
        return dict(zip(keys, counts)), total
    except (OSError, ValueError, EOFError, UnicodeDecodeError):
        return None


def _write_freq(path: Path, freq: dict[str, int], total: int) -> None:
    try:
        keys = list(freq)
        if any("\n" in k for k in keys):  # pragma: no cover - jieba's words have no line breaks
            return
        blob = "\n".join(keys).encode("utf-8")
        counts = array.array("q", (freq[k] for k in keys))
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".freq-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(_FREQ_MAGIC + f"{len(keys)} {int(total)} {len(blob)}\n".encode("ascii"))
                f.write(blob)
                f.write(counts.tobytes())
            os.replace(tmp, path)  # atomic: a reader sees the whole file or none
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except (OSError, OverflowError, ValueError):
        pass  # a cache only: jieba's initialize() is used next time again


def _initialize_jieba(tk: jieba.Tokenizer) -> None:
    """``tk.initialize()`` with the default dictionary, from unionie's dictionary cache when it can."""
    path = _freq_cache_path()
    hit = _read_freq(path) if path is not None and path.exists() else None
    if hit is not None:
        with tk.lock:
            tk.FREQ, tk.total = hit
            tk.initialized = True
        return
    with _quiet(jieba.default_logger):
        tk.initialize()
    if path is not None:
        _write_freq(path, tk.FREQ, tk.total)


def _new_segmenter(backend: str) -> Any:
    """A fresh, initialized segmenter of ``backend`` with jieba's default dictionary."""
    if backend == "rjieba":
        return _RJieba()
    if backend == "jieba_fast":
        import jieba_fast

        tk: Any = jieba_fast.Tokenizer()
        with _quiet(jieba_fast.default_logger):
            tk.initialize()
        return tk
    tk = jieba.Tokenizer()
    _initialize_jieba(tk)
    return tk


class Segmenter:
    """Text → words with a private jieba dictionary (no spaCy).

    ``user_words`` and ``lexicon_paths`` add words to the private jieba
    dictionary (a lexicon file has one ``word [freq] [tag]`` per line). The jieba
    dictionary is loaded on first use, not at construction. ``backend`` names the
    segmenter (see :data:`BACKENDS`); an unknown or uninstalled one raises at once.
    """

    def __init__(self, *, user_words: Iterable[str] = (),
                 lexicon_paths: Iterable[str | Path] = (), hmm: bool = True,
                 extra_words: Iterable[str] = (), backend: str = "jieba") -> None:
        self.backend = _check_backend(backend)
        self.user_words = list(user_words)
        self.extra_words = list(extra_words)
        self.lexicon_paths = [str(p) for p in lexicon_paths]
        self.hmm = hmm
        self._inline_lexicons: dict[str, str] = {}  # lexicons restored by from_bytes/from_disk
        self._jieba: Any = None
        self._cut: Callable[[str, bool], list[str]] | None = None
        self._jiebacut: JiebaCut | None = None
        self._lock = threading.Lock()

    # -- the private jieba --------------------------------------------------------
    @property
    def jieba(self) -> Any:
        """The private segmenter (initialized on first use): a ``jieba.Tokenizer``, or the backend's."""
        if self._jieba is None:
            with self._lock:
                if self._jieba is None:
                    tk = _new_segmenter(self.backend)
                    for word, freq, tag in domain_words():
                        tk.add_word(word, freq, tag)
                    for content in self._lexicon_texts().values():
                        for word, freq, tag in _parse_lexicon(content):
                            tk.add_word(word, freq, tag)
                    for w in self.extra_words + self.user_words:
                        tk.add_word(w)
                    # jieba's own cut, token for token, about twice as fast (see _jiebacut)
                    self._jiebacut = JiebaCut(tk) if self.backend == "jieba" else None
                    self._cut = self._jiebacut.cut if self._jiebacut is not None else None
                    self._jieba = tk
        return self._jieba

    def add_words(self, words: Iterable[str]) -> None:
        """Add words to this segmenter's dictionary (kept when pickled or saved)."""
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

    def words(self, text: str, folded: str | None = None) -> list[str]:
        """The tokens of ``text`` as strings; their concatenation is ``text``. The words are
        those of :func:`cut_copy` (Traditional text is cut as its Simplified form);
        ``folded`` is ``fold(text)`` when the caller has it."""
        if not text:
            return []
        tk = self.jieba
        copy = cut_copy(text, fold(text) if folded is None else folded, self._runs())
        if self._cut is not None:
            words = self._cut(copy, self.hmm)
        else:
            words = list(tk.cut(copy, HMM=self.hmm))
        if copy is text:
            return words
        out: list[str] = []
        at = 0
        for w in words:  # the same lengths, on the text as written
            out.append(text[at:at + len(w)])
            at += len(w)
        return out

    def boundaries(self, text: str, folded: str | None = None) -> WordBoundaries:
        """The word boundaries of ``text`` as :meth:`words` cuts it, found on demand where the
        backend cuts runs of characters independently (``jieba``, ``jieba_fast``);
        ``folded`` is ``fold(text)`` when the caller has it."""
        if folded is None:
            folded = fold(text)
        if self.backend == "rjieba":  # joins some ASCII runs across jieba's run boundaries
            return WordBoundaries.from_starts(text, word_starts(self.words(text, folded)))
        if self.backend == "jieba_fast":
            return WordBoundaries.lazy(text, self._whole_cut, self._runs(), folded)
        self.jieba  # noqa: B018 - loads the dictionary and sets up the cut
        assert self._jiebacut is not None  # the jieba backend, loaded
        self._jiebacut.forget()  # a new text: nothing computed over an earlier one is reused
        return WordBoundaries.lazy(text, self._run_cut, RE_HAN, folded, self._jiebacut.starts_word)

    def _runs(self) -> Any:
        """The pattern of the runs the backend cuts one by one."""
        if self.backend == "jieba_fast":
            import jieba_fast  # its runs leave out the "-" of jieba's

            return jieba_fast.re_han_default
        return RE_HAN

    def _whole_cut(self, run: str) -> list[str]:
        if self._cut is not None:
            return self._cut(run, self.hmm)
        return list(self.jieba.cut(run, HMM=self.hmm))

    def _run_cut(self, run: str) -> list[str]:
        assert self._jiebacut is not None  # the jieba backend, loaded
        return self._jiebacut.cut_run(run, self.hmm)

    # -- the state that is saved --------------------------------------------------------
    # The words and the *contents* of the lexicon files, so that a segmenter rebuilt from
    # it (a pickled spec, a pipeline saved with ``nlp.to_disk`` and loaded with
    # ``spacy.load``) cuts the same way on a machine where the lexicon files do not exist.
    def _lexicon_texts(self) -> dict[str, str]:
        """Lexicon contents by name: the restored ones, then the files of ``lexicon_paths``."""
        out = dict(self._inline_lexicons)
        for p in self.lexicon_paths:
            out[p] = Path(p).read_text(encoding="utf-8")
        return out

    def _config(self) -> dict[str, Any]:
        return {"user_words": self.user_words, "extra_words": self.extra_words, "hmm": self.hmm,
                "lexicons": self._lexicon_texts(), "backend": self.backend}

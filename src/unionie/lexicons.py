"""Shared lexicon helpers: loading bundled YAML data and building word alternations."""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable

import regex
import yaml

try:  # the standard library's regex parser: re._parser from Python 3.11, sre_parse before
    from re import _constants as _sre_constants  # type: ignore[attr-defined]
    from re import _parser as _sre_parser  # type: ignore[attr-defined]
except ImportError:  # Python 3.10
    import sre_constants as _sre_constants  # type: ignore[no-redef]
    import sre_parse as _sre_parser  # type: ignore[no-redef]

__all__ = ["bundled_yaml", "alternation", "word_regex", "boundary_regex", "grow_left", "required_words",
           "may_match"]


@lru_cache(maxsize=None)
def bundled_yaml(name: str) -> Any:
    """A YAML data file of the package (``data/<name>``), parsed once."""
    text = resources.files("unionie").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words`` that matches the longest word at a position
    (人次 wins over 人), written as a prefix trie so that a pattern of hundreds of
    words costs about as much as one of a few."""
    trie: dict[str, dict] = {}
    for w in {str(w) for w in words if str(w)}:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_pattern(trie)


def _trie_pattern(node: dict[str, dict]) -> str:
    end = "" in node
    branches = [regex.escape(ch) + _trie_pattern(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if end:  # a word ends here: the longer continuations are tried first (greedy ?)
        return "(?:" + body + ")?" if len(branches) > 1 or len(body) > 1 else body + "?"
    return body


def word_regex(words: Iterable[str]) -> re.Pattern[str]:
    """A pattern matching any of ``words``, the longest at a position. Literal words only,
    so the stdlib engine runs it: it scans a trie of words three to five times faster."""
    return re.compile(alternation(words) or r"(?!x)x")


#: What a phrase does not grow over: anything but Han characters, Latin letters and ·
#: (digits stop it too), searched right to left.
_STOP = regex.compile(r"[^\p{Han}A-Za-z·]", regex.REVERSE)


class Boundaries:
    """A set of words, checked by ending position: ``ends_at(text, j)`` is True when one
    of the words ends at ``j`` (a set lookup of the last character, then a dict lookup
    per word length, no regex)."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(str(w) for w in words if str(w))
        self.lengths = sorted({len(w) for w in self.words}, reverse=True)
        self.last_chars = frozenset(w[-1] for w in self.words)

    def ends_at(self, text: str, j: int) -> bool:
        if j <= 0 or text[j - 1] not in self.last_chars:
            return False
        words = self.words
        for n in self.lengths:
            if n <= j and text[j - n:j] in words:
                return True
        return False


def boundary_regex(words: Iterable[str]) -> Boundaries:
    """The phrase boundaries used by :func:`grow_left`."""
    return Boundaries(words)


def grow_left(text: str, start: int, stop_at: int, boundary: Boundaries, max_grow: int) -> int:
    """Grow a phrase whose head starts at ``start`` leftwards over Chinese characters.

    Stops at ``stop_at``, at a character that is not Han/Latin, after ``max_grow``
    characters, or where the text before the current position ends with a boundary
    word. Returns the new start.
    """
    lo = max(stop_at, start - max_grow)
    if start <= lo:
        return start
    m = _STOP.search(text, lo, start)  # the nearest character it cannot grow over
    if m is not None:
        lo = m.end()
    last_chars = boundary.last_chars
    ends_at = boundary.ends_at
    for j in range(start, lo, -1):
        if text[j - 1] in last_chars and ends_at(text, j):  # the set test first: no call for most characters
            return j
    return lo


def required_words(pattern: str, flags: int = 0, *, behind: bool = True) -> tuple[str, ...] | None:
    """Words one of which every match of ``pattern`` holds, or None when none can be told
    (a pattern the stdlib parser does not read, a case-insensitive one, one that may match
    without a literal). A text without any of them holds no match: an exact prefilter, read
    off the pattern (not off a lexicon's words), so it follows the data as they change.

    The words lie in what the match consumes or in what a lookahead requires; with
    ``behind`` also in what a lookbehind requires (a whole text searched). Without it, a
    search of ``text[pos:endpos]`` (``pattern.search(text, pos, endpos)``, which may look
    behind ``pos``) finds a match only when one of the words lies in ``text[pos:endpos]``.
    A pattern of the ``regex`` package is read with its named groups and properties
    (``\\p{Han}``) as characters of no literal kind."""
    if flags & ~_PLAIN_FLAGS:
        return None  # case-insensitive, reversed, fuzzy, version 1 (whose sets read otherwise) ...
    plain = _GROUP_NAME.sub(r"\1(?:", _BACKREF.sub(r"\1(?:\\w)", _PROPERTY.sub(r"\1\\w", pattern)))
    if _BRACE.search(plain):
        return None  # a brace that starts no repeat: a fuzzy constraint of the regex package, or \x{..}
    try:
        parsed = _sre_parser.parse(plain, flags & re.VERBOSE)
    except (re.error, ValueError, TypeError, OverflowError, RecursionError):
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    need = _needs(list(parsed), behind)[1]
    return tuple(sorted(need)) if need else None


def may_match(pattern: Any, text: str, pos: int | None = None, endpos: int | None = None) -> bool:
    """False when ``pattern`` (compiled, of ``re`` or ``regex``) surely finds nothing in ``text``:
    the text holds none of the words one of which its every match holds (:func:`required_words`,
    read once per pattern, searched as one word pattern). With ``pos`` or ``endpos``, about
    ``pattern.search(text, pos, endpos)``: the words must lie inside ``text[pos:endpos]``."""
    if pos is None and endpos is None:
        words = _word_search(pattern, True)
        return words is None or words.search(text) is not None
    words = _word_search(pattern, False)
    return words is None or words.search(text, pos or 0, len(text) if endpos is None else endpos) is not None


@lru_cache(maxsize=None)
def _word_search(pattern: Any, behind: bool) -> re.Pattern[str] | None:
    words = required_words(pattern.pattern, pattern.flags, behind=behind)
    return None if words is None else word_regex(words)


_ESCAPED = r"(?<!\\)((?:\\\\)*)"  # an even run of backslashes before the construct (none escapes it)
_PROPERTY = re.compile(_ESCAPED + r"\\[pP]\{[^}]*\}")  # \p{Han}: a class of no literal
_BACKREF = re.compile(_ESCAPED + r"\(\?P=\w+\)")  # (?P=sep): what it matches is not known here
_GROUP_NAME = re.compile(_ESCAPED + r"\(\?P?<(?![=!])\w+>")  # the regex package allows a name twice

_BRACE = re.compile(_ESCAPED + r"\{(?![0-9]*,?[0-9]*\})")
#: flags that do not change which literals a pattern's match holds: verbose, Unicode, dot-all,
#: multi-line, and the regex package's version 0 and full case (without ignore-case)
_PLAIN_FLAGS = re.VERBOSE | re.UNICODE | re.DOTALL | re.MULTILINE | 0x2000 | 0x4000

_MAX_WORDS = 12  # more alternatives than this are not worth a prefilter (each is a scan)
_FEW_WORDS = 8  # a requirement of this many words or fewer is preferred to any longer one
_MAX_RUN = 64  # the strings a run of literal items may spell, at most

_Sets = tuple["frozenset[str] | None", "frozenset[str] | None"]


def _minimal(words: frozenset[str]) -> frozenset[str]:
    """``words`` less those holding another: a text holding one holds the other."""
    return frozenset(w for w in words if not any(v != w and v in w for v in words))


def _best(a: "frozenset[str] | None", b: "frozenset[str] | None") -> "frozenset[str] | None":
    """The better of two requirements: none with the empty word or too many words; then one
    of few words (:data:`_FEW_WORDS`: a union of many alternatives, 9 to 12 words, only when
    there is nothing better), then the longer shortest word (up to 4 characters), then fewer
    words, then longer words."""
    def score(w: "frozenset[str] | None") -> tuple[bool, int, int, int] | None:
        if w is None or "" in w or len(w) > _MAX_WORDS:
            return None
        shortest = min(map(len, w))
        return len(w) <= _FEW_WORDS, min(shortest, 4), -len(w), shortest
    sa, sb = score(a), score(b)
    if sa is None:
        return b if sb is not None else None
    return a if sb is None or sa >= sb else b


def _needs(items: list[Any], behind: bool) -> _Sets:
    """(every string the sequence matches, when few and known; words one of which every
    match holds) of a parsed sequence."""
    need: frozenset[str] | None = None
    run: list[frozenset[str]] = []  # the exact items since the last item that is not
    whole = True  # no item broke the run: the sequence is exact when its product is
    for op, arg in items:
        exact, item_need = _item(op, arg, behind)
        need = _best(need, item_need)
        if exact is not None:
            run.append(exact)
            continue
        need = _best(need, _best_of_run(run))
        whole = False
        run = []
    need = _best(need, _best_of_run(run))
    return (_product(run) if whole else None), need


def _product(sets: list[frozenset[str]]) -> frozenset[str] | None:
    out = frozenset({""})
    for s in sets:
        if len(out) * len(s) > _MAX_RUN:
            return None
        out = frozenset(a + b for a in out for b in s)
    return out


def _best_of_run(run: list[frozenset[str]]) -> frozenset[str] | None:
    """The best requirement a part of a run of exact items spells (每 part: every match spells
    one of its strings)."""
    need = None
    for i in range(len(run)):
        for j in range(i + 1, len(run) + 1):
            words = _product(run[i:j])
            if words is not None and "" not in words:
                need = _best(need, _minimal(words))
    return need


def _item(op: Any, arg: Any, behind: bool) -> _Sets:
    c = _sre_constants
    if op is c.LITERAL:
        w = frozenset({chr(arg)})
        return w, w
    if op is c.IN:
        if len(arg) <= _FEW_WORDS and all(o is c.LITERAL for o, _ in arg):
            w = frozenset(chr(v) for _, v in arg)
            return w, w
        return None, None
    if op is c.SUBPATTERN:
        add_flags, p = arg[1], arg[3]
        return (None, None) if add_flags & re.IGNORECASE else _needs(list(p), behind)
    if op is getattr(c, "ATOMIC_GROUP", None):
        return _needs(list(arg), behind)
    if op is c.BRANCH:
        parts = [_needs(list(p), behind) for p in arg[1]]
        exact = None if any(e is None for e, _ in parts) else frozenset().union(*(e for e, _ in parts))
        need = None if any(n is None for _, n in parts) else _minimal(frozenset().union(*(n for _, n in parts)))
        return (exact if exact is not None and len(exact) <= _MAX_RUN else None), need
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
        lo, hi, p = arg
        exact, need = _needs(list(p), behind)
        if lo == 0:
            return (exact | {""} if exact is not None and hi == 1 else None), None
        return (exact if lo == hi == 1 else None), need
    if op is c.ASSERT:
        direction, p = arg
        return None, (_needs(list(p), behind)[1] if direction > 0 or behind else None)
    return None, None  # any other character, an anchor, a negative lookaround, a backreference

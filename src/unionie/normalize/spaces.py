"""Spaces pasted around figures, read as if absent, with every offset mapped back.

Text copied from a PDF or a web page often has spaces around its figures: ``培训 120 人次``,
``2022 年 9 月至 12 月``, ``慰问金 500 元/人``, sometimes U+00A0 or U+3000. The rules read
the character next to a figure (a unit, a date's 年, the 元 of a rate), so the extraction
runs on a *compacted* copy without those spaces, and every span found there is mapped back
to the original text: ``text[start:end] == span.text`` holds on the text the caller gave
(a span's text then keeps its spaces: ``120 人次``).

Which spaces go is data (``data/spaces.yaml``): a run of one or two spaces (ASCII, NBSP,
U+3000; not a tab, which separates table cells) between a figure and a Chinese character,
or between a Chinese character and a digit. Never between two figures (``2016 2017``,
``120 300`` stay apart: joined, they would be one wrong value), never in Latin text (a
figure glued to a Latin letter), never a line break; a figure in Chinese numerals alone
(``张三 来源``, ``一 工会``) and a date or a time (``2024-12-10 来源``) keep their spaces.
The decision is made on the folded text (:func:`unionie.normalize.text.fold`: full-width
digits are digits there) and checked on the original characters.

Most texts have no such space: :meth:`Compaction.find` returns None after one regex scan, and
the extraction runs on the text as given.
"""
from __future__ import annotations

import bisect
import dataclasses
import re
from functools import lru_cache
from typing import Any, Callable, Iterable, TypeVar

from ..document import Argument, Date, Entity, Event, Quantity, Span
from ..lexicons import bundled_yaml
from .text import fold

__all__ = ["Compaction", "Moved", "compact"]

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_IS_CJK = re.compile(f"[{_CJK}]")


@dataclasses.dataclass(frozen=True)
class _Table:
    """``data/spaces.yaml`` compiled: the scan over the folded text and the character sets."""

    scan: "re.Pattern[str]"  # a candidate run: a figure or Chinese before it, a digit or Chinese after
    spaces: frozenset[str]
    digits: frozenset[str]
    numeric: frozenset[str]  # numerals and multipliers: a figure's characters that are Chinese
    multipliers: frozenset[str]
    figure: frozenset[str]  # every character a figure may end with
    fields: frozenset[str]  # the marks inside a figure: of a time, a date, a range, a decimal
    time_marks: frozenset[str]  # one makes a figure a time (10:30)
    date_marks: frozenset[str]  # two make it a date (2024-12-10, 2023.02.08)
    max_run: int


@lru_cache(maxsize=1)
def _table() -> _Table:
    data = bundled_yaml("spaces.yaml")
    digits, numerals = str(data["digits"]), str(data["numerals"])
    mult, ends = str(data["multipliers"]), str(data["figure_ends"])
    times, dates = str(data["time_marks"]), str(data["date_marks"])
    esc = re.escape
    # the folded text has " " for each of ``spaces``. The scan begins with the space (a C
    # search for a literal, about 20 times faster than a scan led by a character class) and
    # looks behind it; a run longer than ``max_run`` never matches.
    scan = re.compile(f" (?<=[{esc(digits + ends)}{_CJK}] ) {{0,{int(data['max_run']) - 1}}}"
                      f"(?=[{esc(digits)}{_CJK}])")
    return _Table(scan, frozenset(str(data["spaces"])), frozenset(digits), frozenset(numerals + mult),
                  frozenset(mult), frozenset(digits + numerals + mult + ends), frozenset(times + dates + ".,"),
                  frozenset(times), frozenset(dates), int(data["max_run"]))


def _sides_fit(left: str, right: str, table: _Table) -> bool:
    """A figure, then Chinese text that is no figure's (a multiplier only after a digit:
    2.2 万元); or Chinese text that is no figure's, then a digit. Never two figures."""
    if left in table.figure:
        if right in table.numeric:
            return left in table.digits and right in table.multipliers
        return _IS_CJK.match(right) is not None
    return right in table.digits and left not in table.numeric


def _droppable(text: str, folded: str, start: int, end: int, table: _Table) -> bool:
    """Whether the candidate run ``[start:end)`` may go: the characters beside it fit
    (:func:`_sides_fit`), its original characters are spaces of the table; the figure before
    it is no part of a Latin word, and Chinese numerals before it end a figure begun with
    digits (:func:`_after_digits`); and neither figure
    beside it is a date, a time or a code (2024-12-10 来源)."""
    if not _sides_fit(folded[start - 1], folded[end], table):
        return False
    if any(ch not in table.spaces for ch in text[start:end]):  # a tab, a CR, a tag folded to spaces
        return False
    if folded[start - 1] not in table.figure:  # Chinese text, the run, a digit
        j = end  # the figure after the run: on to its end
        while j < len(folded) and (folded[j] in table.figure or folded[j] in table.fields):
            j += 1
        return not _a_field(folded[end:j], table)
    if folded[start - 1] in table.numeric:
        return _after_digits(folded, start - 1, table)
    i = start - 1  # the figure before the run: back to its first character
    while i > 0 and (folded[i - 1] in table.figure or folded[i - 1] in table.fields):
        i -= 1
    if _a_field(folded[i:start], table):
        return False
    before = folded[i - 1] if i > 0 else "\n"
    if before.isascii() and before.isalpha():
        return False  # COVID-19 疫情, G20 峰会: a Latin word's digits
    return True


def _after_digits(folded: str, last: int, table: _Table) -> bool:
    """Whether the Chinese numerals ending at ``last`` end a figure begun with digits (2万 元,
    2.2 万 元). A figure in Chinese numerals alone keeps the space after it: names and words
    end in numerals too (张三 来源, 统一 部署, 一 工会: a list mark), and a page pastes spaces
    where the script changes (digits beside Chinese), not inside Chinese text."""
    i = last
    while i > 0 and folded[i - 1] in table.numeric:
        i -= 1
    k = i
    while k > 0 and folded[k - 1] == " " and i - k < table.max_run:
        k -= 1
    return k > 0 and folded[k - 1] in table.digits


def _a_field(figure: str, table: _Table) -> bool:
    """A date, a time or a code (2024-12-10, 10:30, 2023.02.08): a field of its own, whose
    spaces separate it from the next (2024-12-10 来源: joined, 10来 would read "about ten").
    One date mark is a range or a decimal (15-30 人, 2.2 万元)."""
    return any(ch in table.time_marks for ch in figure) or sum(ch in table.date_marks for ch in figure) > 1


def _runs(text: str, folded: str) -> list[tuple[int, int]]:
    """The runs of spaces to drop, as (start, end) in the original text, in order."""
    table = _table()
    out = []
    for m in table.scan.finditer(folded):
        start, end = m.span()
        if _droppable(text, folded, start, end, table):
            out.append((start, end))
    return out


T = TypeVar("T")


class Compaction:
    """A text and its folded copy without the spaces pasted around figures, and the map of
    offsets between them. :meth:`find` gives one, or None when nothing is to be dropped."""

    __slots__ = ("original", "text", "folded", "_runs", "_at", "_dropped")

    def __init__(self, text: str, folded: str, runs: list[tuple[int, int]]) -> None:
        self.original = text
        self._runs = runs
        self._at: list[int] = []  # compacted offset where each run was removed
        self._dropped: list[int] = []  # characters removed up to and including each run
        pieces, fpieces, pos, gone = [], [], 0, 0
        for a, b in runs:
            pieces.append(text[pos:a])
            fpieces.append(folded[pos:a])
            self._at.append(a - gone)
            gone += b - a
            self._dropped.append(gone)
            pos = b
        pieces.append(text[pos:])
        fpieces.append(folded[pos:])
        self.text = "".join(pieces)  #: the original text without the dropped spaces
        self.folded = "".join(fpieces)  #: the folded copy without them

    @classmethod
    def find(cls, text: str, folded: str) -> "Compaction | None":
        """The compaction of ``text`` (``folded`` is ``fold(text)``), or None when it has no
        space to drop (the common case: one regex scan)."""
        runs = _runs(text, folded)
        return cls(text, folded, runs) if runs else None

    # -- offsets ----------------------------------------------------------------------------
    def original_offset(self, pos: int) -> int:
        """The original offset of the compacted offset ``pos`` (a character's start; a word
        boundary at a removed run maps to the run's end)."""
        j = bisect.bisect_right(self._at, pos)
        return pos + (self._dropped[j - 1] if j else 0)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """A compacted span's (start, end) in the original text: the spaces inside it are in
        it, those around it are not."""
        a = self.original_offset(start)
        if end <= start:
            return a, a
        j = bisect.bisect_right(self._at, end - 1)  # the run before the span's last character
        return a, end + (self._dropped[j - 1] if j else 0)

    def compacted_offset(self, pos: int) -> int:
        """The compacted offset of the original offset ``pos`` (inside a removed run: where
        the run was removed)."""
        j = bisect.bisect_right(self._runs, (pos, len(self.original) + 1))  # runs starting at or before pos
        if not j:
            return pos
        a, b = self._runs[j - 1]
        return pos - self._dropped[j - 1] + (b - pos if pos < b else 0)

    def aligned(self, words: Callable[[int, int], bool] | None) -> Callable[[int, int], bool] | None:
        """``words`` (a word-boundary check on the original text) for compacted offsets."""
        if words is None:
            return None
        at = self.original_offset
        return lambda a, b: words(at(a), at(b))

    # -- value objects ------------------------------------------------------------------------
    def restore(self, items: Iterable[T] | None, moved: Moved | None = None) -> list[T] | None:
        """Spans found on the compacted text, with offsets and texts of the original one.
        ``moved`` (see :data:`Moved`) keeps an object shared where it was shared (a figure of
        the document and the argument that holds it)."""
        if items is None:
            return None
        memo: Moved = {} if moved is None else moved
        return [_moved(it, self.original_span, self.original, memo) for it in items]

    def compact(self, items: Iterable[T] | None, moved: Moved | None = None) -> list[T] | None:
        """Spans of the original text (as :meth:`restore` gave them), on the compacted one."""
        if items is None:
            return None
        at = self.compacted_offset
        memo: Moved = {} if moved is None else moved
        return [_moved(it, lambda a, b: (at(a), at(b)), self.text, memo) for it in items]


#: what was moved: ``id(object) -> (object, its moved copy)`` (the object is kept, so its id is
#: not reused while the map lives); an object met again is given the same copy
Moved = dict[int, tuple[Any, Any]]


def _moved(item: Any, span: Callable[[int, int], tuple[int, int]], text: str, memo: Moved) -> Any:
    """``item`` (a Quantity, Date, Entity, Span, Argument or Event) with its offsets mapped by
    ``span`` and its text (and that of its parts) read from ``text``; the copy ``memo`` has
    of it already, if any."""
    hit = memo.get(id(item))
    if hit is not None and hit[0] is item:
        return hit[1]
    start, end = span(item.start, item.end)
    if isinstance(item, Event):
        out = dataclasses.replace(item, start=start, end=end, trigger=_moved(item.trigger, span, text, memo),
                                  arguments=tuple(_moved(a, span, text, memo) for a in item.arguments))
    elif isinstance(item, Argument):
        out = dataclasses.replace(
            item, text=text[start:end], start=start, end=end,
            quantity=None if item.quantity is None else _moved(item.quantity, span, text, memo),
            date=None if item.date is None else _moved(item.date, span, text, memo))
    elif isinstance(item, (Quantity, Date, Entity, Span)):
        out = dataclasses.replace(item, text=text[start:end], start=start, end=end)
    else:
        raise TypeError(f"cannot move a {type(item).__name__} between texts")
    memo[id(item)] = (item, out)
    return out


def compact(text: str, folded: str | None = None) -> str:
    """``text`` without the spaces pasted around its figures (see the module documentation).

    >>> compact("2022 年 9 月培训职工 120 人次，2016 2017 两年")
    '2022年9月培训职工120人次，2016 2017 两年'
    """
    c = Compaction.find(text, fold(text) if folded is None else folded)
    return text if c is None else c.text

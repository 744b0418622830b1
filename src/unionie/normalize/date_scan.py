"""Scanning for dates (:mod:`unionie.normalize.dates`): every rule of
:mod:`unionie.normalize.date_rules` runs over the text, overlapping candidates are settled
leftmost-longest, and three rules then work on the *output* of the first ones: holidays
listed together are one mention, a written year takes the period or holiday right after
it, and two dates around a connector become one period."""
from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from ..document import fast_constructor
from .date_rules import Grammar, Point, grammar

__all__ = ["Mention", "mentions"]


@dataclass(frozen=True, slots=True)
class Mention:
    """One candidate: offsets, the rule that made it and its unresolved value.
    ``last`` is the end of an interval; ``open_end`` marks an interval ending at
    the publication date (X以来)."""

    start: int
    end: int
    rule: str
    first: Point
    last: Point | None = None
    open_end: bool = False

    @property
    def is_point(self) -> bool:
        return self.last is None and not self.open_end

    def resolve(self, published: _dt.date | None) -> tuple[str | None, str]:
        first = self.first
        if self.is_point:
            return first.iso(published), first.grain
        a = first.iso(published)
        if self.open_end:  # up to the publication date, cut at the first end's grain
            b_iso = None if published is None else Point(
                published.year, None, published.month if first.month else None,
                published.day if first.day else None).iso(None)
        else:
            b_iso = self.last.iso(published) if self.last else None
        if a is None or b_iso is None:
            # 今年以来 is the current year whatever the publication date.
            if self.open_end and first.shift == 0 and first.grain == "year":
                return None, "year"
            return None, "period"
        if a == b_iso:
            return a, first.grain
        return f"{a}/{b_iso}", "period"

    def absolute_day(self) -> _dt.date | None:
        """The day this mention names when it is one absolute, valid day (else None)."""
        p = self.first
        if self.is_point and p.year is not None and p.day is not None and p.month is not None:
            try:
                return _dt.date(p.year, p.month, p.day)
            except ValueError:  # 2023年2月29日 is read (and resolves to null), but is no day
                return None
        return None


_MENTION = fast_constructor(Mention)  # Mention(*every field): one per candidate of every rule

_COMPOSABLE = frozenset({"dates.numeric", "dates.calendar", "dates.month_day"})
#: Rules whose mentions take the year written just before them (2022年上半年, 去年春节).
_TAKES_YEAR = frozenset({"dates.month_range", "dates.half_quarter", "dates.holiday"})


def _candidates(text: str, g: Grammar) -> Iterator[tuple[int, int, int, Mention]]:
    for priority, rule in enumerate(g.rules):
        if rule.needs is not None and not rule.needs.search(text):
            continue
        for m in rule.pattern.finditer(text):
            made = rule.produce(m)
            if made is None:
                continue
            first, last, open_end = made
            start, end = m.span()
            yield start, -(end - start), priority, _MENTION(start, end, rule.name, first, last, open_end)


def _select(cands: Iterable[tuple[int, int, int, Mention]]) -> list[Mention]:
    chosen: list[Mention] = []
    last_end = -1
    # (start, -length, priority) is never the same for two candidates (one rule's matches do
    # not overlap), so the tuples sort without comparing their mentions
    for start, _neg_len, _prio, mention in sorted(cands):
        if start >= last_end:
            chosen.append(mention)
            last_end = mention.end
    return chosen


def _is_bare_year(m: Mention, text: str) -> bool:
    """A written year and nothing more (2022年, 去年, 上年度), not 年底 or 以来."""
    return (m.rule == "dates.calendar" and m.is_point and m.first.month is None
            and text[m.end - 1] in "年度")


def _without_year(p: Point | None) -> bool:
    return p is None or (p.year is None and p.shift is None)


def _join_holidays(text: str, found: list[Mention], g: Grammar) -> list[Mention]:
    """Holidays listed together are one mention: 元旦春节期间, 端午、中秋、春节."""
    out: list[Mention] = []
    for m in found:
        prev = out[-1] if out else None
        if (prev is not None and m.rule == prev.rule == "dates.holiday"
                and g.joiner_re.fullmatch(text, prev.end, m.start)):
            out[-1] = replace(prev, end=m.end)
        else:
            out.append(m)
    return out


def _attach_years(text: str, found: list[Mention], g: Grammar) -> list[Mention]:
    """Join a written year and the period or holiday right after it: ``2022年`` +
    ``上半年`` is one mention, the first half of 2022."""
    out: list[Mention] = []
    for m in found:
        prev = out[-1] if out else None
        if (prev is not None and m.rule in _TAKES_YEAR and _is_bare_year(prev, text)
                and _without_year(m.first) and _without_year(m.last)
                and g.space_re.fullmatch(text, prev.end, m.start)):
            year = {"year": prev.first.year, "shift": prev.first.shift}
            out[-1] = Mention(prev.start, m.end, m.rule, replace(m.first, **year),
                              replace(m.last, **year) if m.last else None, m.open_end)
        else:
            out.append(m)
    return out


def _day_alone(m: Mention) -> bool:
    """16日 (not 今日(16日))."""
    return m.rule == "dates.day" and not m.first.deictic


def _ends_range(a: Mention, b: Mention) -> bool:
    """Whether ``a`` and ``b`` may be the two ends of a period: two dates of the composable
    rules, or a day written alone after a day (3月1日至15日, 1日至15日)."""
    if a.rule in _COMPOSABLE and b.rule in _COMPOSABLE:
        return True
    return _day_alone(b) and (_day_alone(a) or (a.rule in _COMPOSABLE and a.first.day is not None
                                                and a.first.month is not None))


def _compose(text: str, found: list[Mention], g: Grammar) -> list[Mention]:
    """Join ``A 至 B`` (two dates around a connector) into one period."""
    out: list[Mention] = []
    i = 0
    while i < len(found):
        a = found[i]
        if i + 1 < len(found):
            b = found[i + 1]
            if (_ends_range(a, b) and a.is_point and b.is_point
                    and g.connector_re.fullmatch(text, a.end, b.start)):
                last = b.first
                if last.month is None:  # 3月1日至15日: 15日 is March's
                    last = replace(last, month=a.first.month)
                if last.year is None and last.shift is None:  # 2023年1月至3月: 3月 is 2023's
                    last = replace(last, year=a.first.year, shift=a.first.shift)
                same_base = (a.first.year is None) == (last.year is None)
                if not same_base or a.first.key() <= last.key():
                    out.append(Mention(a.start, b.end, "dates.range", a.first, last))
                    i += 2
                    continue
        out.append(a)
        i += 1
    return out


def mentions(text: str) -> list[Mention]:
    """Every date mention in ``text``, unresolved, non-overlapping, in text order."""
    g = grammar()
    found = _select(_candidates(text, g))
    found = _join_holidays(text, found, g)
    found = _attach_years(text, found, g)
    return _compose(text, found, g)

"""The date grammar (:mod:`unionie.normalize.dates`): a table of rules, Duckling-style.

Each rule is a name, a pattern and a production. The patterns are written over a few
*fragments* (a written year, a month and day, an edge such as 底, a deadline word such
as 前) assembled once from the word lists of ``data/dates.yaml``; a production turns a
match into an unresolved value: ``(first point, last point or None, open_end)``, or
None when the match is not a date after all (month 13, a bare duration). The lists of
words (relative years, holidays, period words, guards) are all data; what the patterns
write themselves is the calendar's own notation: 年, 月, 日/号, 季度, 旬, 第, digits and the
few function words of those forms (月份, 前三个季度, 十三五, 自…以来).
"""
from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any

import regex

from ..lexicons import bundled_yaml, required_words, word_regex

__all__ = ["Point", "Rule", "Grammar", "RULES", "grammar", "build", "lexicon", "read_int", "DIGIT"]


# ---------------------------------------------------------------------------
# The value model of a production: a point, resolved only at the end.
# ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Point:
    """A calendar point.  The year is ``year`` when written, else the publication
    year plus ``shift`` (``shift`` is None when no year was written at all, which
    also means the publication year but lets a range borrow its other end's year)."""

    year: int | None = None
    shift: int | None = None
    month: int | None = None
    day: int | None = None
    anaphoric: bool = False  # 全年: the year under discussion, never resolved
    deictic: bool = False  # 近日, 当天, 目前: a day the text points at, never resolved
    day_shift: int | None = None  # 今日 0, 昨日 -1: days from the publication date

    @property
    def grain(self) -> str:
        return "day" if self.day or self.deictic else "month" if self.month else "year"

    @property
    def absolute(self) -> bool:
        return self.year is not None

    def iso(self, published: _dt.date | None) -> str | None:
        if self.day_shift is not None:  # 今日, 昨日, 今日(16日): from the publication date
            if published is None:
                return None
            day = published + _dt.timedelta(days=self.day_shift)
            return day.isoformat() if self.day is None or self.day == day.day else None
        if self.anaphoric or self.deictic:
            return None
        if self.month is None and self.day is not None:
            # 16日: a day of the publication month, up to the publication day (a later day
            # may be this month's or the last one's: not guessed)
            if published is None or self.year is not None or not 1 <= self.day <= published.day:
                return None
            return published.replace(day=self.day).isoformat()
        if self.year is not None:
            year = self.year
        elif published is not None:
            year = published.year + (self.shift or 0)
        else:
            return None
        if self.month is None:
            return f"{year:04d}"
        if self.day is None:
            return f"{year:04d}-{self.month:02d}"
        try:
            return _dt.date(year, self.month, self.day).isoformat()
        except ValueError:  # 2月29日 in a common year
            return None

    def key(self) -> tuple[int, int, int]:
        return (self.year or self.shift or 0, self.month or 0, self.day or 0)


# ---------------------------------------------------------------------------
# Numerals
# ---------------------------------------------------------------------------

DIGIT = "[0-9０-９]"
_NUMERAL_CHARS = "0-9０-９〇○零一二两兩三四五六七八九十百千万萬"
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0, "两": 2, "兩": 2}
_SP = r"[ \t\u3000]*"  # parts of a date may be spaced, never split by a line break


def read_int(s: str) -> int:
    """A small number written with ASCII/full-width digits, digit by digit in Chinese
    (二〇二二) or as a Chinese numeral below 100 (十, 十二, 二十五, 三十一)."""
    s = s.strip()
    if s.isdigit() and all(c not in _CN_DIGITS for c in s):
        return int(s)  # int() reads full-width digits too
    if "十" not in s:
        return int("".join(str(_CN_DIGITS[c]) for c in s))
    tens, _, units = s.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def _alt(words: Iterable[str]) -> str:
    """An alternation of literal words, longest first."""
    return "|".join(regex.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _cls(chars: str) -> str:
    """A character class of the given literal characters."""
    return "[" + "".join("\\" + c if c in "\\]^-[" else c for c in chars) + "]"


_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _valid_day(month: int | None, day: int) -> bool:
    return month is not None and 1 <= day <= _MONTH_DAYS[month - 1]


# ---------------------------------------------------------------------------
# The lexicon the productions read, and the fragments the patterns are written over
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Words:
    """What the productions read from ``data/dates.yaml``."""

    shifts: dict[str, int]                      # relative year word -> years from publication
    day_shifts: dict[str, int]                  # 今日 -> 0, 昨日 -> -1: days from publication
    halves: dict[str, tuple[int, int]]          # 上半年 -> (1, 6)
    quarters: dict[int, tuple[int, int]]        # 1 -> (1, 3)
    counted_max: int                            # 五年来: at most this many years
    recent_years: int                           # 近年来 counts this many years

    @classmethod
    def of(cls, lex: dict[str, Any]) -> "Words":
        return cls(
            shifts={w: int(spec["shift"]) for w, spec in lex["relative_years"].items()},
            day_shifts={w: int(n) for w, n in (lex["deictic"].get("days") or {}).items()},
            halves={k: (int(v[0]), int(v[1])) for k, v in lex["halves"].items()},
            quarters={int(k): (int(v[0]), int(v[1])) for k, v in lex["quarters"].items()},
            counted_max=int(lex["counted"]["max"]),
            recent_years=int(lex["recent"]["years"]))


class Fragments:
    """The pieces every pattern is written over, from ``data/dates.yaml``: ``f.num`` the
    numeral characters, ``f.year_part`` a written or relative year, ``f.month_day`` a
    month with an optional day, ``f.conn`` the range connectors, and the lexicon ``f.lex``."""

    def __init__(self, lex: dict[str, Any]) -> None:
        self.lex = lex
        self.num = num = _NUMERAL_CHARS
        self.nby = nby = _cls(lex["not_before_year"])
        rel_words = []
        for word, spec in sorted(lex["relative_years"].items(), key=lambda kv: -len(kv[0])):
            guard = f"(?<!{_cls(spec['not_after'])})" if spec.get("not_after") else ""
            rel_words.append(f"{guard}{regex.escape(word)}")
        year4 = rf"(?<![{num}.．])[12１２]{DIGIT}{{3}}(?!{DIGIT})"
        year4_cn = rf"(?<![{num}])[〇○零一二三四五六七八九]{{4}}"
        self.year_part = rf"""
        (?: (?P<y>{year4}) {_SP} 年 度?
          | (?P<ycn>{year4_cn}) {_SP} 年 度?
          | (?P<rel>{'|'.join(rel_words)}) (?!{nby}) 度?
        )"""
        month = rf"(?<![{num}第])(?P<m>{DIGIT}{{1,2}}|十[一二]?|[一二三四五六七八九]){_SP}月"
        day = rf"(?P<d>{DIGIT}{{1,2}}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九]){_SP}[日号號]"
        self.edge = edge = "|".join(f"{regex.escape(e)}(?!{_cls(block)})" if block else regex.escape(e)
                                    for e, block in lex["edges"].items())
        self.before = before = rf"(?:{_alt(lex['before'])})(?![{num}])"
        since = rf"(?:{_alt(lex['open_end'])})(?!年)"  # 去年至今年 is 去年 至 今年
        self.conn = _alt(lex["connectors"])
        month_tail = rf"(?:{edge}|[上中下]旬)? (?: (?P<since>{since}) | (?:{before}) )?"
        self.year_tail = rf"(?: 年?(?:{edge}) (?:{before})? | (?P<since>{since}) )?"
        self.no_numeral_after = rf"(?![{num}])"
        # 一月一主题, 5月1次: a month not followed by its day must not run into a numeral.
        self.day_parts = day_parts = _alt(lex["day_parts"])
        self.month_day = (rf"{month} 份? (?: {_SP} {day} (?:{_SP} (?:{day_parts}))? "
                          rf"| {self.no_numeral_after} ) {month_tail}")
        self.month_num = rf"{DIGIT}{{1,2}}|十[一二]?|[一二三四五六七八九]"

    def quoted(self, words: Iterable[str]) -> str:
        """A word alternation, bare or in quotes (“两节”, 「三八」)."""
        alt = _alt(words)
        return rf"""(?: [“"「『‘] (?:{alt}) [”"」』’] | (?:{alt}) )"""


# ---------------------------------------------------------------------------
# Productions: a match -> (first point, last point or None, open_end) or None
# ---------------------------------------------------------------------------

Made = "tuple[Point, Point | None, bool] | None"


def _year_of(w: Words, g: dict[str, Any]) -> Point | None:
    """The year part of a match (its ``groupdict()``) as a point (None when the year is implausible)."""
    if g.get("y"):
        y = read_int(g["y"])
    elif g.get("ycn"):
        y = read_int(g["ycn"])
    elif g.get("rel"):
        return Point(shift=w.shifts[g["rel"].rstrip("度")])
    else:
        return Point()  # no year written
    return Point(year=y) if 1900 <= y <= 2100 else None


def _with_month_day(p: Point | None, g: dict[str, Any]) -> Point | None:
    if p is None:
        return None
    mo = read_int(g["m"]) if g.get("m") else None
    d = read_int(g["d"]) if g.get("d") else None
    if mo is not None and not 1 <= mo <= 12:
        return None
    if d is not None and not _valid_day(mo, d):
        return None  # 2月30日; 2023年2月29日 is kept and resolves to null
    return Point(p.year, p.shift, mo, d, p.anaphoric)


def calendar(w: Words, m: regex.Match[str]) -> Made:
    """A year, a month, a day, an edge or a since word: 2018年7月12日, 去年12月底前, 2018年以来."""
    g = m.groupdict()
    p = _with_month_day(_year_of(w, g), g)
    return None if p is None else (p, None, bool(g.get("since")))


def numeric(w: Words, m: regex.Match[str]) -> Made:
    """2019-05-05, 2021/03/04, 2023.2.8."""
    g = m.groupdict()
    p = _with_month_day(_year_of(w, g), g)
    return None if p is None else (p, None, False)


def year_range(w: Words, m: regex.Match[str]) -> Made:
    """2015-2024年, 2018至2023年."""
    y1, y2 = read_int(m.group("y1")), read_int(m.group("y2"))
    if not (1900 <= y1 < y2 <= 2100):
        return None
    return Point(year=y1), Point(year=y2), False


def month_range(w: Words, m: regex.Match[str]) -> Made:
    """3-5月, 七至九月 (the year is the publication year, or the one written before)."""
    m1, m2 = read_int(m.group("m1")), read_int(m.group("m2"))
    if not 1 <= m1 < m2 <= 12:
        return None
    return Point(month=m1), Point(month=m2), False


def half_quarter(w: Words, m: regex.Match[str]) -> Made:
    """上半年, 前三季度, 第四季度: the months they cover."""
    if m.group("half"):
        m1, m2 = w.halves[m.group("half")]
    elif m.group("upto"):
        n = read_int(m.group("upto"))
        if not 1 <= n <= 3:
            return None
        m1, m2 = w.quarters[1][0], w.quarters[n][1]
    else:
        n = read_int(m.group("q"))
        if n not in w.quarters:
            return None
        m1, m2 = w.quarters[n]
    return Point(month=m1), Point(month=m2), False


def counted(w: Words, m: regex.Match[str]) -> Made:
    """五年来, 近三年, 过去十年: (published - N)/published."""
    if not (m.group("pre") or m.group("suf")):
        return None  # 五年 alone is a duration
    n = read_int(m.group("n"))
    if not 1 <= n <= w.counted_max:
        return None
    return Point(shift=-n), Point(shift=0), False


def recent(w: Words, m: regex.Match[str]) -> Made:
    """近年来: the last ``recent.years`` years."""
    return Point(shift=-w.recent_years), Point(shift=0), False


def plan(w: Words, m: regex.Match[str]) -> Made:
    """十三五期间: the five years of a five-year plan."""
    n = read_int(m.group("n"))
    first = 1966 + 5 * (n - 3)  # the 3rd five-year plan began in 1966
    return Point(year=first), Point(year=first + 4), False


def holiday(w: Words, m: regex.Match[str]) -> Made:
    """春节期间: the publication year, unless a year is attached."""
    return Point(), None, False


def year_edge(w: Words, m: regex.Match[str]) -> Made:
    """A bare 年底, 年初前: the publication year."""
    return Point(shift=0), None, False


def anaphoric(w: Words, m: regex.Match[str]) -> Made:
    """全年, 自成立以来: the year under discussion, never resolved."""
    return Point(anaphoric=True), None, False


def vague_period(w: Words, m: regex.Match[str]) -> Made:
    """几年来, 多年来: a period up to now whose length the text does not give, never resolved."""
    return Point(anaphoric=True), Point(anaphoric=True), False


def deictic(w: Words, m: regex.Match[str]) -> Made:
    """近日, 当天, 截至目前: a day the text points at, never resolved; 今日, 昨日 (the
    ``days`` of the lexicon): that many days from the publication date."""
    return Point(deictic=True, day_shift=w.day_shifts.get(m.group("w"))), None, False


def day_alone(w: Words, m: regex.Match[str]) -> Made:
    """16日: a day of the publication month; 今日(16日): the publication day, if it is the 16th."""
    day = read_int(m.group("d"))
    if not 1 <= day <= 31:
        return None
    word = m.group("w")
    if word is None:
        return Point(day=day), None, False
    return Point(day=day, deictic=True, day_shift=w.day_shifts[word]), None, False


# ---------------------------------------------------------------------------
# The rules
# ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class RuleSpec:
    """One row of the table: the pattern and the literal words one of which every match
    holds (a text without any is not scanned) are written over the fragments."""

    name: str
    pattern: Callable[[Fragments], str]
    produce: Callable[[Words, "regex.Match[str]"], Any]
    needs: Callable[[Fragments], list[str]] | None = None


def _since_event(f: Fragments, key: str) -> str:
    return _alt((f.lex.get("since_event") or {}).get(key) or ["(?!)"])


#: The rules, in priority order for equally long candidates.
RULES: tuple[RuleSpec, ...] = (
    RuleSpec("dates.numeric", lambda f: rf"""
            (?<![{f.num}.．/／\-－]) (?P<y>[12１２]{DIGIT}{{3}})
            (?P<sep>[-/.－／．]) (?P<m>{DIGIT}{{1,2}}) (?P=sep) (?P<d>{DIGIT}{{1,2}})
            (?!{DIGIT}|[.．]{DIGIT})""", numeric),
    RuleSpec("dates.year_range", lambda f: rf"""
            (?<![{f.num}.．]) (?P<y1>[12１２]{DIGIT}{{3}}) {_SP} (?:年{_SP})? (?:{f.conn}) {_SP}
            (?P<y2>[12１２]{DIGIT}{{3}}) {_SP} 年 度?""", year_range),
    RuleSpec("dates.month_range", lambda f: rf"""
            (?<![{f.num}第]) (?P<m1>{f.month_num}) {_SP} (?:月{_SP})? (?:{f.conn}) {_SP}
            (?P<m2>{f.month_num}) {_SP} 月 份? {f.no_numeral_after}""", month_range),
    RuleSpec("dates.half_quarter", lambda f: rf"""
            (?: (?P<half>{_alt(f.lex['halves'])})
              | 前 (?P<upto>[一二两三1-3１-３]) 个? 季度
              | (?<![{f.num}]) 第? (?P<q>[一二三四1-4１-４]) 季度 )""", half_quarter,
             lambda f: [*f.lex["halves"], "季度"]),
    RuleSpec("dates.calendar", lambda f: rf"""
            {f.year_part}
            (?: {_SP} {f.month_day} | {f.year_tail} )""", calendar),
    RuleSpec("dates.month_day", lambda f: rf"""
            {f.month_day}""", calendar),
    RuleSpec("dates.plan", lambda f: rf"""
            (?<![{f.num}第])
            (?: [“"「『‘] (?P<n>十[一二三四五六七八九]?|[三四五六七八九]) 五 [”"」』’]
              | (?P<n>十[一二三四五六七八九]?|[三四五六七八九]) 五 )
            {_SP} (?:{_alt(f.lex['five_year_plans']['suffixes'])})""", plan,
             lambda f: f.lex["five_year_plans"]["suffixes"]),
    RuleSpec("dates.counted", lambda f: rf"""
            (?: (?P<pre>{_alt(f.lex['counted']['prefixes'])}) {_SP} )?
            (?<![{f.num}第]) (?P<n>{DIGIT}{{1,2}}|[一二两三四五六七八九]?十[一二三四五六七八九]?|[一二两三四五六七八九])
            {_SP} 年 (?!{f.nby}) (?P<suf>{_alt(f.lex['counted']['suffixes'])})?""", counted),
    RuleSpec("dates.recent", lambda f: rf"""
            (?<!{_cls(f.lex['recent']['not_after'])}) (?:{_alt(f.lex['recent']['words'])})
            (?!{_cls(f.lex['recent']['not_before'])}|{f.nby})""", recent),
    RuleSpec("dates.holiday", lambda f: rf"""
            (?: {f.quoted(f.lex['holidays']['standalone'])} (?:{_alt(f.lex['holidays']['suffixes'])})?
              | {f.quoted(f.lex['holidays']['with_suffix'])} (?: (?:{_alt(f.lex['holidays']['standalone'])}) (?:{_alt(f.lex['holidays']['suffixes'])})?
                                              | (?:{_alt(f.lex['holidays']['suffixes'])}) ) )""", holiday,
             lambda f: [*f.lex["holidays"]["standalone"], *f.lex["holidays"]["with_suffix"]]),
    RuleSpec("dates.anaphoric", lambda f: rf"""
            (?:{_alt(f.lex['anaphoric']['words'])}) (?!{f.nby})""", anaphoric),
    RuleSpec("dates.since_event", lambda f: rf"""
            (?<!{_cls(f.lex['since_event']['not_after'])}) 自 \p{{Han}}{{1,10}}? (?:{_since_event(f, 'event_ends')})
            (?:{_since_event(f, 'since')})""", anaphoric),
    RuleSpec("dates.vague_period", lambda f: rf"""
            (?<!{_cls((f.lex.get('vague_periods') or {}).get('not_after') or ' ')})
            (?:{_alt((f.lex.get('vague_periods') or {}).get('words') or ['(?!)'])})
            (?={_cls((f.lex.get('vague_periods') or {}).get('set_off_by') or ' ')})""", vague_period,
             lambda f: (f.lex.get("vague_periods") or {}).get("words") or []),
    RuleSpec("dates.deictic", lambda f: rf"""
            (?<!{_cls(f.lex['deictic']['not_after'])}) (?P<w>{_alt(f.lex['deictic']['words'])})
            (?:{f.day_parts})?""", deictic),
    # a day written alone (16日, 今日(16日)): digits only (三日 is mostly a count of days)
    RuleSpec("dates.day", lambda f: rf"""
            (?: (?<!{_cls(f.lex['deictic']['not_after'])}) (?P<w>{_alt(f.lex['deictic']['days'])})
                [(（] (?P<d>{DIGIT}{{1,2}}) {_SP} 日 [)）]
              | (?<![{f.num}.．/／]|[{f.num}][\-－~～]|{_cls(f.lex['day_alone']['not_after'])})
                (?P<d>{DIGIT}{{1,2}}) {_SP} 日
                (?!{_alt(f.lex['day_alone']['not_before'])}) )
            (?:{_SP} (?:{f.day_parts}))?""", day_alone),
    RuleSpec("dates.year_edge", lambda f: rf"""
            (?<![{f.num}]|{_cls(f.lex['year_words'])}) 年 (?:{f.edge}) (?:{f.before})?""", year_edge),
)


@dataclass(frozen=True, slots=True)
class Rule:
    """A compiled rule: the production is bound to the lexicon's words."""

    name: str
    pattern: regex.Pattern[str]
    produce: Callable[["regex.Match[str]"], Any]
    #: words one of which every match contains: a text without any is not scanned
    needs: "re.Pattern[str] | None" = None  # a literal search (unionie.lexicons.word_regex)


@dataclass(frozen=True)
class Grammar:
    rules: tuple[Rule, ...]
    connector_re: regex.Pattern[str]
    space_re: regex.Pattern[str]
    joiner_re: regex.Pattern[str]


def lexicon() -> dict[str, Any]:
    """The bundled ``data/dates.yaml``."""
    return bundled_yaml("dates.yaml")


@lru_cache(maxsize=1)
def grammar() -> Grammar:
    """The rules, compiled once on first use from the bundled lexicon."""
    return build(lexicon())


def _rule(spec: RuleSpec, f: Fragments, w: Words) -> Rule:
    pattern = regex.compile(spec.pattern(f), regex.VERBOSE)
    # the words a match holds: those the row names, else those read off the pattern
    # (lexicons.required_words: 日 for a day, 月 for a month); a text without any is not scanned
    needs = spec.needs(f) if spec.needs else required_words(pattern.pattern, pattern.flags)
    return Rule(spec.name, pattern, partial(spec.produce, w), word_regex(needs) if needs else None)


def build(lex: dict[str, Any]) -> Grammar:
    """Compile :data:`RULES` over the fragments of one lexicon."""
    f = Fragments(lex)
    w = Words.of(lex)
    rules = tuple(_rule(spec, f, w) for spec in RULES)
    return Grammar(rules=rules, connector_re=regex.compile(rf"{_SP}(?:{f.conn}){_SP}"),
                   space_re=regex.compile(_SP),
                   joiner_re=regex.compile(rf"(?:{_alt(lex['holidays']['joiners'])})?"))

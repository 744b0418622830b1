"""Dates and periods (SCHEMA.md ``Date``), resolved against a publication date.

Two public functions, both pure (no I/O after the lexicon is loaded, never the clock):

* :func:`find_dates` — every date or period mentioned in a text, non-overlapping,
  in text order, with exact offsets, each resolved against ``published``;
* :func:`find_published` — the publication date the text states about itself
  (``发布时间:2019-05-05``, ``日期：2021/03/04``, a dated masthead line).

How it works, Duckling-style: each *rule* is a name, one readable pattern and a
production that turns a match into a small structure (:class:`_Point` — a year
that is absolute or relative to the publication year, and an optional month and
day — or an interval of two points).  All rules run over the text; overlapping
candidates are settled leftmost-longest.  Three rules then work on the *output*
of the first ones: holidays listed together are one mention (``元旦春节期间``), a
written year takes the period or holiday right after it (``2022年`` + ``上半年``,
``去年`` + ``春节期间``), and two dates around a connector become one period
(``2022年7月至2023年6月``).  Only then is anything resolved
against ``published``.  ``Date.rule`` names the rule that made each mention
(``dates.calendar``, ``dates.counted``, ``dates.range`` ...).

Every word list (relative years, holidays, period words, guards) lives in
``data/dates.yaml``; this module assembles patterns from it.

Conventions beyond SCHEMA.md:

* ``value`` is ISO at ``grain``; periods are ISO intervals ``start/end`` whose two
  ends keep their own precision (``2023-01/2023-06``, ``2018/2023``); an interval
  whose ends resolve to the same value collapses to that value and its grain
  (``今年以来`` → ``"2023"``, grain ``year``).
* Edges (底, 初, 末, 上/中/下旬) and deadline words (前, 以前) keep the value and grain
  of what they modify: ``10月底前`` is the month ``2023-10``.
* Holidays and seasons (春节期间, 五一期间, 夏季) are the year they fall in; a list
  of them (端午、中秋、春节) is one mention.  A part of the day (12月23日下午) stays
  in the mention and keeps the day.
* ``全年`` ("the whole year" under discussion) is a mention of grain ``year`` whose
  value is always null: annual reviews are published early in the next year.
  Bare ``年底``/``年初``/``年内`` take the publication year.
* ``X以来`` / ``X至今`` run from X to the publication date, cut at X's grain.
* Counted periods: ``五年来`` = (published − 5)/published; ``近年来`` counts 3 years.
* A date written without a year (``1月30日``) takes the publication year.
* Without ``published`` every relative form has ``value`` null; absolute forms
  (``2018年7月12日``, ``2015-2024年``, ``十三五期间``) still resolve.
* Parts of a date may be separated by spaces or tabs, never by a line break.
* Digits may be ASCII or full-width (``２０２２年``); years may be written with
  Chinese digits (``二〇二二年``), months and days with Chinese numerals (``十月``).
"""
from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any

import regex
import yaml

from ..document import Date, fast_constructor

__all__ = ["find_dates", "find_published"]

_DATE = fast_constructor(Date)  # Date(*every field)


# ---------------------------------------------------------------------------
# The value model: points and intervals, resolved only at the end.
# ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Point:
    """A calendar point.  The year is ``year`` when written, else the publication
    year plus ``shift`` (``shift`` is None when no year was written at all, which
    also means the publication year but lets a range borrow its other end's year)."""

    year: int | None = None
    shift: int | None = None
    month: int | None = None
    day: int | None = None
    anaphoric: bool = False  # 全年: the year under discussion, never resolved
    deictic: bool = False  # 近日, 当天, 目前: a day the text points at, never resolved


    @property
    def grain(self) -> str:
        return "day" if self.day or self.deictic else "month" if self.month else "year"

    @property
    def absolute(self) -> bool:
        return self.year is not None

    def iso(self, published: _dt.date | None) -> str | None:
        if self.anaphoric or self.deictic:
            return None
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


@dataclass(frozen=True, slots=True)
class _Mention:
    """One candidate: offsets, the rule that made it and its unresolved value.
    ``last`` is the end of an interval; ``open_end`` marks an interval ending at
    the publication date (X以来)."""

    start: int
    end: int
    rule: str
    first: _Point
    last: _Point | None = None
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
            b_iso = None if published is None else _Point(
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


# ---------------------------------------------------------------------------
# Numerals
# ---------------------------------------------------------------------------

_DIGIT = "[0-9０-９]"
_NUMERAL_CHARS = "0-9０-９〇○零一二两兩三四五六七八九十百千万萬"
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0, "两": 2, "兩": 2}
_SP = r"[ \t\u3000]*"  # parts of a date may be spaced, never split by a line break


def _int(s: str) -> int:
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


# ---------------------------------------------------------------------------
# The grammar: rules built from data/dates.yaml
# ---------------------------------------------------------------------------

#: A production turns a match into (first point, last point or None, open_end), or
#: None when the match is not a date after all (month 13, a bare duration).
Production = Callable[["regex.Match[str]"], "tuple[_Point, _Point | None, bool] | None"]


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    pattern: regex.Pattern[str]
    produce: Production
    #: words one of which every match contains: a text without any is not scanned
    needs: "re.Pattern[str] | None" = None  # a literal search (unionie.lexicons.word_regex)


@dataclass(frozen=True)
class _Grammar:
    rules: tuple[_Rule, ...]
    connector_re: regex.Pattern[str]
    space_re: regex.Pattern[str]
    joiner_re: regex.Pattern[str]


def _load_lexicon() -> dict[str, Any]:
    data = resources.files("unionie").joinpath("data/dates.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(data)


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    """The rules, compiled once on first use from the bundled lexicon."""
    return _build(_load_lexicon())


def _build(lex: dict[str, Any]) -> _Grammar:
    from ..lexicons import word_regex  # literal words as a trie on the stdlib engine

    num = _NUMERAL_CHARS
    nby = _cls(lex["not_before_year"])

    # -- fragments -----------------------------------------------------------
    rel_words = []
    shifts: dict[str, int] = {}
    for word, spec in sorted(lex["relative_years"].items(), key=lambda kv: -len(kv[0])):
        shifts[word] = int(spec["shift"])
        guard = f"(?<!{_cls(spec['not_after'])})" if spec.get("not_after") else ""
        rel_words.append(f"{guard}{regex.escape(word)}")
    year4 = rf"(?<![{num}.．])[12１２]{_DIGIT}{{3}}(?!{_DIGIT})"
    year4_cn = rf"(?<![{num}])[〇○零一二三四五六七八九]{{4}}"
    year_part = rf"""
        (?: (?P<y>{year4}) {_SP} 年 度?
          | (?P<ycn>{year4_cn}) {_SP} 年 度?
          | (?P<rel>{'|'.join(rel_words)}) (?!{nby}) 度?
        )"""
    month = rf"(?<![{num}第])(?P<m>{_DIGIT}{{1,2}}|十[一二]?|[一二三四五六七八九]){_SP}月"
    day = rf"(?P<d>{_DIGIT}{{1,2}}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九]){_SP}[日号號]"
    edge = "|".join(f"{regex.escape(e)}(?!{_cls(block)})" if block else regex.escape(e)
                    for e, block in lex["edges"].items())
    before = rf"(?:{_alt(lex['before'])})(?![{num}])"
    since = rf"(?:{_alt(lex['open_end'])})(?!年)"  # 去年至今年 is 去年 至 今年
    conn = _alt(lex["connectors"])
    month_tail = rf"(?:{edge}|[上中下]旬)? (?: (?P<since>{since}) | (?:{before}) )?"
    year_tail = rf"(?: 年?(?:{edge}) (?:{before})? | (?P<since>{since}) )?"
    no_numeral_after = rf"(?![{num}])"
    # 一月一主题, 5月1次: a month not followed by its day must not run into a numeral.
    day_parts = _alt(lex["day_parts"])
    month_day = rf"{month} 份? (?: {_SP} {day} (?:{_SP} (?:{day_parts}))? | {no_numeral_after} ) {month_tail}"
    month_num = rf"{_DIGIT}{{1,2}}|十[一二]?|[一二三四五六七八九]"

    def rx(p: str) -> regex.Pattern[str]:
        return regex.compile(p, regex.VERBOSE)

    # -- productions -----------------------------------------------------------
    def year_of(g: dict[str, Any]) -> _Point | None:
        """The year part of a match (its ``groupdict()``) as a point (None when the year is implausible)."""
        if g.get("y"):
            y = _int(g["y"])
        elif g.get("ycn"):
            y = _int(g["ycn"])
        elif g.get("rel"):
            return _Point(shift=shifts[g["rel"].rstrip("度")])
        else:
            return _Point()  # no year written
        return _Point(year=y) if 1900 <= y <= 2100 else None

    def with_month_day(p: _Point | None, g: dict[str, Any]) -> _Point | None:
        if p is None:
            return None
        mo = _int(g["m"]) if g.get("m") else None
        d = _int(g["d"]) if g.get("d") else None
        if mo is not None and not 1 <= mo <= 12:
            return None
        if d is not None and not _valid_day(mo, d):
            return None  # 2月30日; 2023年2月29日 is kept and resolves to null
        return _Point(p.year, p.shift, mo, d, p.anaphoric)

    def calendar(m: regex.Match[str]):
        g = m.groupdict()
        p = with_month_day(year_of(g), g)
        return None if p is None else (p, None, bool(g.get("since")))

    def numeric(m: regex.Match[str]):
        g = m.groupdict()
        p = with_month_day(year_of(g), g)
        return None if p is None else (p, None, False)

    def year_range(m: regex.Match[str]):
        y1, y2 = _int(m.group("y1")), _int(m.group("y2"))
        if not (1900 <= y1 < y2 <= 2100):
            return None
        return _Point(year=y1), _Point(year=y2), False

    def month_range(m: regex.Match[str]):
        m1, m2 = _int(m.group("m1")), _int(m.group("m2"))
        if not 1 <= m1 < m2 <= 12:
            return None
        return _Point(month=m1), _Point(month=m2), False

    halves = {k: (int(v[0]), int(v[1])) for k, v in lex["halves"].items()}
    quarters = {int(k): (int(v[0]), int(v[1])) for k, v in lex["quarters"].items()}

    def half_quarter(m: regex.Match[str]):
        if m.group("half"):
            m1, m2 = halves[m.group("half")]
        elif m.group("upto"):
            n = _int(m.group("upto"))
            if not 1 <= n <= 3:
                return None
            m1, m2 = quarters[1][0], quarters[n][1]
        else:
            n = _int(m.group("q"))
            if n not in quarters:
                return None
            m1, m2 = quarters[n]
        return _Point(month=m1), _Point(month=m2), False

    counted_max = int(lex["counted"]["max"])

    def counted(m: regex.Match[str]):
        if not (m.group("pre") or m.group("suf")):
            return None  # 五年 alone is a duration
        n = _int(m.group("n"))
        if not 1 <= n <= counted_max:
            return None
        return _Point(shift=-n), _Point(shift=0), False

    recent_years = int(lex["recent"]["years"])

    def recent(m: regex.Match[str]):
        return _Point(shift=-recent_years), _Point(shift=0), False

    def plan(m: regex.Match[str]):
        n = _int(m.group("n"))
        first = 1966 + 5 * (n - 3)  # the 3rd five-year plan began in 1966
        return _Point(year=first), _Point(year=first + 4), False

    def holiday(m: regex.Match[str]):
        return _Point(), None, False  # the publication year, unless a year is attached

    def year_edge(m: regex.Match[str]):
        return _Point(shift=0), None, False

    def anaphoric(m: regex.Match[str]):
        return _Point(anaphoric=True), None, False

    def deictic(m: regex.Match[str]):
        return _Point(deictic=True), None, False

    def quoted(words: Iterable[str]) -> str:
        """A word alternation, bare or in quotes (“两节”, 「三八」)."""
        alt = _alt(words)
        return rf"""(?: [“"「『‘] (?:{alt}) [”"」』’] | (?:{alt}) )"""

    # -- rules, in priority order for equally long candidates -----------------
    hol = lex["holidays"]
    rules = (
        _Rule("dates.numeric", rx(rf"""
            (?<![{num}.．/／\-－]) (?P<y>[12１２]{_DIGIT}{{3}})
            (?P<sep>[-/.－／．]) (?P<m>{_DIGIT}{{1,2}}) (?P=sep) (?P<d>{_DIGIT}{{1,2}})
            (?!{_DIGIT}|[.．]{_DIGIT})"""), numeric),
        _Rule("dates.year_range", rx(rf"""
            (?<![{num}.．]) (?P<y1>[12１２]{_DIGIT}{{3}}) {_SP} (?:年{_SP})? (?:{conn}) {_SP}
            (?P<y2>[12１２]{_DIGIT}{{3}}) {_SP} 年 度?"""), year_range),
        _Rule("dates.month_range", rx(rf"""
            (?<![{num}第]) (?P<m1>{month_num}) {_SP} (?:月{_SP})? (?:{conn}) {_SP}
            (?P<m2>{month_num}) {_SP} 月 份? {no_numeral_after}"""), month_range),
        _Rule("dates.half_quarter", rx(rf"""
            (?: (?P<half>{_alt(halves)})
              | 前 (?P<upto>[一二两三1-3１-３]) 个? 季度
              | (?<![{num}]) 第? (?P<q>[一二三四1-4１-４]) 季度 )"""), half_quarter,
              word_regex([*halves, "季度"])),
        _Rule("dates.calendar", rx(rf"""
            {year_part}
            (?: {_SP} {month_day} | {year_tail} )"""), calendar),
        _Rule("dates.month_day", rx(rf"""
            {month_day}"""), calendar),
        _Rule("dates.plan", rx(rf"""
            (?<![{num}第])
            (?: [“"「『‘] (?P<n>十[一二三四五六七八九]?|[三四五六七八九]) 五 [”"」』’]
              | (?P<n>十[一二三四五六七八九]?|[三四五六七八九]) 五 )
            {_SP} (?:{_alt(lex['five_year_plans']['suffixes'])})"""), plan,
              word_regex(lex['five_year_plans']['suffixes'])),
        _Rule("dates.counted", rx(rf"""
            (?: (?P<pre>{_alt(lex['counted']['prefixes'])}) {_SP} )?
            (?<![{num}第]) (?P<n>{_DIGIT}{{1,2}}|[一二两三四五六七八九]?十[一二三四五六七八九]?|[一二两三四五六七八九])
            {_SP} 年 (?!{nby}) (?P<suf>{_alt(lex['counted']['suffixes'])})?"""), counted),
        _Rule("dates.recent", rx(rf"""
            (?<!{_cls(lex['recent']['not_after'])}) (?:{_alt(lex['recent']['words'])})
            (?![底初末]|{nby})"""), recent),
        _Rule("dates.holiday", rx(rf"""
            (?: {quoted(hol['standalone'])} (?:{_alt(hol['suffixes'])})?
              | {quoted(hol['with_suffix'])} (?: (?:{_alt(hol['standalone'])}) (?:{_alt(hol['suffixes'])})?
                                              | (?:{_alt(hol['suffixes'])}) ) )"""), holiday,
              word_regex([*hol['standalone'], *hol['with_suffix']])),
        _Rule("dates.anaphoric", rx(rf"""
            (?:{_alt(lex['anaphoric']['words'])}) (?!{nby})"""), anaphoric),
        _Rule("dates.since_event", rx(rf"""
            (?<![来各独亲源出擅]) 自 \p{{Han}}{{1,10}}? (?:{_alt((lex.get('since_event') or {}).get('event_ends') or ['(?!)'])})
            (?:{_alt((lex.get('since_event') or {}).get('since') or ['(?!)'])})"""), anaphoric),
        _Rule("dates.deictic", rx(rf"""
            (?<!{_cls(lex['deictic']['not_after'])}) (?:{_alt(lex['deictic']['words'])})
            (?:{day_parts})?"""), deictic),
        _Rule("dates.year_edge", rx(rf"""
            (?<![{num}]|{_cls(lex['year_words'])}) 年 (?:{edge}) (?:{before})?"""), year_edge),
    )
    return _Grammar(rules=rules, connector_re=regex.compile(rf"{_SP}(?:{conn}){_SP}"),
                    space_re=regex.compile(_SP),
                    joiner_re=regex.compile(rf"(?:{_alt(hol['joiners'])})?"))


_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _valid_day(month: int | None, day: int) -> bool:
    return month is not None and 1 <= day <= _MONTH_DAYS[month - 1]


# ---------------------------------------------------------------------------
# Scanning: candidates, leftmost-longest selection, composition
# ---------------------------------------------------------------------------

_COMPOSABLE = frozenset({"dates.numeric", "dates.calendar", "dates.month_day"})
#: Rules whose mentions take the year written just before them (2022年上半年, 去年春节).
_TAKES_YEAR = frozenset({"dates.month_range", "dates.half_quarter", "dates.holiday"})


def _candidates(text: str, g: _Grammar) -> Iterator[tuple[int, int, int, _Mention]]:
    for priority, rule in enumerate(g.rules):
        if rule.needs is not None and not rule.needs.search(text):
            continue
        for m in rule.pattern.finditer(text):
            made = rule.produce(m)
            if made is None:
                continue
            first, last, open_end = made
            start, end = m.span()
            yield start, -(end - start), priority, _Mention(start, end, rule.name, first, last, open_end)


def _select(cands: Iterable[tuple[int, int, int, _Mention]]) -> list[_Mention]:
    chosen: list[_Mention] = []
    last_end = -1
    for start, _neg_len, _prio, mention in sorted(cands, key=lambda c: c[:3]):
        if start >= last_end:
            chosen.append(mention)
            last_end = mention.end
    return chosen


def _is_bare_year(m: _Mention, text: str) -> bool:
    """A written year and nothing more (2022年, 去年, 上年度), not 年底 or 以来."""
    return (m.rule == "dates.calendar" and m.is_point and m.first.month is None
            and text[m.end - 1] in "年度")


def _without_year(p: _Point | None) -> bool:
    return p is None or (p.year is None and p.shift is None)


def _join_holidays(text: str, mentions: list[_Mention], g: _Grammar) -> list[_Mention]:
    """Holidays listed together are one mention: 元旦春节期间, 端午、中秋、春节."""
    out: list[_Mention] = []
    for m in mentions:
        prev = out[-1] if out else None
        if (prev is not None and m.rule == prev.rule == "dates.holiday"
                and g.joiner_re.fullmatch(text, prev.end, m.start)):
            out[-1] = replace(prev, end=m.end)
        else:
            out.append(m)
    return out


def _attach_years(text: str, mentions: list[_Mention], g: _Grammar) -> list[_Mention]:
    """Join a written year and the period or holiday right after it: ``2022年`` +
    ``上半年`` is one mention, the first half of 2022."""
    out: list[_Mention] = []
    for m in mentions:
        prev = out[-1] if out else None
        if (prev is not None and m.rule in _TAKES_YEAR and _is_bare_year(prev, text)
                and _without_year(m.first) and _without_year(m.last)
                and g.space_re.fullmatch(text, prev.end, m.start)):
            year = {"year": prev.first.year, "shift": prev.first.shift}
            out[-1] = _Mention(prev.start, m.end, m.rule, replace(m.first, **year),
                               replace(m.last, **year) if m.last else None, m.open_end)
        else:
            out.append(m)
    return out


def _compose(text: str, mentions: list[_Mention], g: _Grammar) -> list[_Mention]:
    """Join ``A 至 B`` (two dates around a connector) into one period."""
    out: list[_Mention] = []
    i = 0
    while i < len(mentions):
        a = mentions[i]
        if i + 1 < len(mentions):
            b = mentions[i + 1]
            if (a.rule in _COMPOSABLE and b.rule in _COMPOSABLE and a.is_point and b.is_point
                    and g.connector_re.fullmatch(text, a.end, b.start)):
                last = b.first
                if last.year is None and last.shift is None:  # 2023年1月至3月: 3月 is 2023's
                    last = replace(last, year=a.first.year, shift=a.first.shift)
                same_base = (a.first.year is None) == (last.year is None)
                if not same_base or a.first.key() <= last.key():
                    out.append(_Mention(a.start, b.end, "dates.range", a.first, last))
                    i += 2
                    continue
        out.append(a)
        i += 1
    return out


def _mentions(text: str) -> list[_Mention]:
    g = _grammar()
    mentions = _select(_candidates(text, g))
    mentions = _join_holidays(text, mentions, g)
    mentions = _attach_years(text, mentions, g)
    return _compose(text, mentions, g)


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------

def find_dates(text: str, published: _dt.date | None = None, *, surface: str | None = None) -> list[Date]:
    """Every date and period mentioned in ``text``, in text order, non-overlapping.

    ``published`` is the publication date that relative expressions (去年, 今年10月底前,
    五年来, 春节期间, 1月30日) are resolved against; without it their ``value`` is
    ``None`` and their ``grain`` is kept.  ``text[d.start:d.end] == d.text`` always.
    ``surface`` is the text the spans are cut from when ``text`` is its folded copy
    (the same length; by default ``text`` itself).

    >>> [(d.text, d.value, d.grain) for d in find_dates("去年12月，五年来", _dt.date(2023, 5, 1))]
    [('去年12月', '2022-12', 'month'), ('五年来', '2018/2023', 'period')]
    """
    if not text:
        return []
    surface = text if surface is None else surface
    dates = []
    for m in _mentions(text):
        value, grain = m.resolve(published)
        dates.append(_DATE(surface[m.start:m.end], m.start, m.end, value, grain, m.rule))
    return dates


_LABEL_STRONG = regex.compile(r"""
    (?:发布|發佈|發布|发表|發表|发稿|發稿|更新|刊发|刊發|刊登|上传|上傳|录入|錄入|成文)
    (?:时间|時間|日期)
    [ \t\u3000]* [:：]? [ \t\u3000]*
  | (?:发布于|發佈於|發布於|发表于|發表於) [ \t\u3000]*
    """, regex.VERBOSE)
_LABEL_WEAK = regex.compile(r"(?<!\p{Han})(?:日期|时间|時間|時間)[ \t\u3000]*[:：][ \t\u3000]*")
_LABEL_SOURCE = regex.compile(r"(?<!\p{Han})(?:来源|來源|稿源|出处|出處)[ \t\u3000]*[:：]")
_MASTHEAD_CUE = regex.compile(r"""
    星期[一二三四五六日天] | 礼拜[一二三四五六日天] | 禮拜[一二三四五六日天] | (?<!\p{Han})周[一二三四五六日]
  | [《〈][^》〉\n]{1,20}[》〉] | 第?[0-9０-９]{1,3}[ \t\u3000]*版 | 版[ \t\u3000]*[)）]
    """, regex.VERBOSE)
_MASTHEAD_NOISE = regex.compile(r"[0-9０-９]{1,2}[:：][0-9０-９]{2}(?:[:：][0-9０-９]{2})?|[\s\p{P}\p{S}]")
_HAN = regex.compile(r"\p{Han}")
_OPEN_PAREN, _CLOSE_PAREN = ("（", "("), ("）", ")")
_HEAD_LINES, _TAIL_LINES, _MASTHEAD_LINES, _SIGNOFF_LINES, _DATED_LINE_MAX = 15, 10, 10, 3, 60


def _absolute_day(m: _Mention) -> _dt.date | None:
    p = m.first
    if m.is_point and p.year is not None and p.day is not None and p.month is not None:
        return _dt.date(p.year, p.month, p.day)
    return None


#: Characters after a label in which the date it labels is looked for. A date, even a
#: range such as 2023年12月31日至2024年1月1日, is much shorter; scanning only this window
#: keeps find_published linear on a text with many labels on one long line.
_DATE_WINDOW = 80


#: What every absolute date holds: a written year of four digits or four numerals (the
#: only years ``year_of`` reads; 去年 has none). A line without one is not scanned.
_WRITTEN_YEAR = regex.compile(rf"[12１２]{_DIGIT}{{3}}|[〇○零一二三四五六七八九]{{4}}")


def _date_at(line: str, pos: int) -> _dt.date | None:
    """The absolute day-precise date starting exactly at ``line[pos]``."""
    window = line[pos:pos + _DATE_WINDOW]
    if not _WRITTEN_YEAR.search(window):
        return None
    for m in _mentions(window):
        if m.start == 0:
            return _absolute_day(m)
        break
    return None


def _first_day(line: str) -> tuple[_dt.date, _Mention] | None:
    if not _WRITTEN_YEAR.search(line):
        return None
    for m in _mentions(line):
        day = _absolute_day(m)
        if day is not None:
            return day, m
    return None


def find_published(text: str) -> _dt.date | None:
    """The publication date the text states about itself, or None.

    Read in this order, first found wins:

    1. a labelled date anywhere (``发布时间:2019-05-05``, ``发布日期：2023年2月8日``,
       ``发表于 2021-03-04``);
    2. a bare ``日期:`` / ``时间:`` / ``時間：`` label, then a ``来源:`` line carrying a
       date, in the first 15 or last 10 lines;
    3. a dated masthead line among the first 10 non-empty lines: the date alone
       (``2023-02-08 08:47``), with a weekday (``2023年02月08日 星期三``), a paper
       and page (``《工人日报》（2023年02月08日 05版）``), or in parentheses opening
       the line (``（2024年1月18日在公司第三届职工代表大会第四次会议上）``);
    4. a sign-off: a line holding only a date among the last 3 non-empty lines
       (the 落款 of a report: ``二〇二三年一月十日``).

    Only day-precise absolute dates count.  Never reads the clock.
    """
    if not text:
        return None
    for m in _LABEL_STRONG.finditer(text):
        window = text[m.end():m.end() + _DATE_WINDOW]
        day = _date_at(window.split("\n", 1)[0], 0)
        if day is not None:
            return day
    lines = text.splitlines()
    edge_lines = lines[:_HEAD_LINES] + lines[max(_HEAD_LINES, len(lines) - _TAIL_LINES):]
    for line in edge_lines:
        for m in _LABEL_WEAK.finditer(line):
            day = _date_at(line, m.end())
            if day is not None:
                return day
    for line in edge_lines:
        if _LABEL_SOURCE.search(line):
            found = _first_day(line)
            if found is not None:
                return found[0]
    filled = [ln.strip() for ln in lines if ln.strip()]
    for line in filled[:_MASTHEAD_LINES]:
        day = _dated_line(line, cues=True)
        if day is not None:
            return day
    for line in reversed(filled[-_SIGNOFF_LINES:]):
        day = _dated_line(line, cues=False)
        if day is not None:
            return day
    return None


def _dated_line(line: str, *, cues: bool) -> _dt.date | None:
    """The date of a short line that is a date and little else (a time, a weekday,
    a paper's name and page, when ``cues``)."""
    if len(line) > _DATED_LINE_MAX:
        return None
    found = _first_day(line)
    if found is None:
        return None
    day, m = found
    before, after = line[:m.start], line[m.end:]
    rest = _MASTHEAD_NOISE.sub("", before + after)
    if len(rest) <= 4 and not _HAN.search(rest):
        return day
    if not cues:
        return None
    opens_line = before.strip() in _OPEN_PAREN  # （2024年1月18日在…会议上）
    in_parens = after.lstrip().startswith(_CLOSE_PAREN)  # 《…》（2023年02月08日）
    return day if opens_line or in_parens or _MASTHEAD_CUE.search(line) else None

"""The publication date a text states about itself (:func:`find_published`).

Its labels (发布时间, 日期, 来源) and masthead cues (星期三, a paper's page 05版) are
data: ``published`` in ``data/dates.yaml``. The dates themselves are read by the date
grammar (:mod:`unionie.normalize.date_scan`); only day-precise absolute dates count.
"""
from __future__ import annotations

import datetime as _dt
from functools import lru_cache
from typing import Any

import regex

from .date_rules import DIGIT, lexicon
from .date_scan import Mention, mentions

__all__ = ["find_published"]

_SP = r"[ \t\u3000]*"
_HAN = regex.compile(r"\p{Han}")
_MASTHEAD_NOISE = regex.compile(r"[0-9０-９]{1,2}[:：][0-9０-９]{2}(?:[:：][0-9０-９]{2})?|[\s\p{P}\p{S}]")
_OPEN_PAREN, _CLOSE_PAREN = ("（", "("), ("）", ")")
_HEAD_LINES, _TAIL_LINES, _MASTHEAD_LINES, _SIGNOFF_LINES, _DATED_LINE_MAX = 15, 10, 10, 3, 60

#: Characters after a label in which the date it labels is looked for. A date, even a
#: range such as 2023年12月31日至2024年1月1日, is much shorter; scanning only this window
#: keeps find_published linear on a text with many labels on one long line.
_DATE_WINDOW = 80

#: What every absolute date holds: a written year of four digits or four numerals (the
#: only years the grammar reads as absolute; 去年 has none). A line without one is not scanned.
_WRITTEN_YEAR = regex.compile(rf"[12１２]{DIGIT}{{3}}|[〇○零一二三四五六七八九]{{4}}")


def _alt(words: list[str]) -> str:
    return "|".join(regex.escape(str(w)) for w in words)


class _Labels:
    """The label and masthead patterns, from ``published`` in ``data/dates.yaml``."""

    def __init__(self, lex: dict[str, Any]) -> None:
        strong, week = lex["strong_labels"], lex["weekdays"]
        self.strong = regex.compile(
            rf"(?:{_alt(strong['verbs'])})(?:{_alt(strong['nouns'])}){_SP}[:：]?{_SP}"
            rf"|(?:{_alt(strong['at'])}){_SP}")
        self.weak = regex.compile(rf"(?<!\p{{Han}})(?:{_alt(lex['weak_labels'])}){_SP}[:：]{_SP}")
        self.source = regex.compile(rf"(?<!\p{{Han}})(?:{_alt(lex['source_labels'])}){_SP}[:：]")
        page = regex.escape(str(lex["page"]))
        self.masthead = regex.compile(
            rf"(?:{_alt(week['words'])})[{week['days']}]"
            rf"|(?<!\p{{Han}}){regex.escape(str(week['short']))}[{week['short_days']}]"
            rf"|[《〈][^》〉\n]{{1,20}}[》〉]|第?[0-9０-９]{{1,3}}{_SP}{page}|{page}{_SP}[)）]")
        # a news dateline: the date, then 讯/电 and no other word (2023年3月5日电 …, 日讯(记者…)
        self.dateline_words = [str(w) for w in lex.get("dateline") or []]
        self.dateline = regex.compile(rf"{_SP}(?:{_alt(self.dateline_words) or '(?!)'})(?!\p{{Han}})")


@lru_cache(maxsize=1)
def _labels() -> _Labels:
    return _Labels(lexicon()["published"])


def _date_at(line: str, pos: int) -> _dt.date | None:
    """The absolute day-precise date starting exactly at ``line[pos]``."""
    window = line[pos:pos + _DATE_WINDOW]
    if not _WRITTEN_YEAR.search(window):
        return None
    for m in mentions(window):
        if m.start == 0:
            return m.absolute_day()
        break
    return None


def _mentions(line: str, memo: dict[str, list[Mention]]) -> list[Mention]:
    """``mentions(line)``, read once per line of one text (a short text's first lines are its
    last ones too: the masthead and the sign-off look at the same lines)."""
    found = memo.get(line)
    if found is None:
        found = memo[line] = mentions(line)
    return found


def _first_day(line: str, memo: dict[str, list[Mention]]) -> tuple[_dt.date, Mention] | None:
    if not _WRITTEN_YEAR.search(line):
        return None
    for m in _mentions(line, memo):
        day = m.absolute_day()
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
    4. a news dateline among the first 10 non-empty lines: a date followed by 讯 or 电
       (``新华社北京2023年3月5日电``, ``东北网2009年2月16日讯(记者…)``);
    5. a sign-off: a line holding only a date among the last 3 non-empty lines
       (the 落款 of a report: ``二〇二三年一月十日``).

    Only day-precise absolute dates count.  Never reads the clock.
    """
    if not text:
        return None
    labels = _labels()
    for m in labels.strong.finditer(text):
        window = text[m.end():m.end() + _DATE_WINDOW]
        day = _date_at(window.split("\n", 1)[0], 0)
        if day is not None:
            return day
    lines = text.splitlines()
    memo: dict[str, list[Mention]] = {}
    return _labelled_edge(lines, labels, memo) or _masthead_or_signoff(lines, labels, memo)


def _labelled_edge(lines: list[str], labels: _Labels, memo: dict[str, list[Mention]]) -> _dt.date | None:
    """A date after a bare 日期:/时间: label, then on a 来源: line, in the first and last lines."""
    edge_lines = lines[:_HEAD_LINES] + lines[max(_HEAD_LINES, len(lines) - _TAIL_LINES):]
    for line in edge_lines:
        for m in labels.weak.finditer(line):
            day = _date_at(line, m.end())
            if day is not None:
                return day
    for line in edge_lines:
        if labels.source.search(line):
            found = _first_day(line, memo)
            if found is not None:
                return found[0]
    return None


def _masthead_or_signoff(lines: list[str], labels: _Labels, memo: dict[str, list[Mention]]) -> _dt.date | None:
    filled = [ln.strip() for ln in lines if ln.strip()]
    for line in filled[:_MASTHEAD_LINES]:
        day = _dated_line(line, labels, memo, cues=True)
        if day is not None:
            return day
    for line in filled[:_MASTHEAD_LINES]:
        day = _dateline(line, labels, memo)
        if day is not None:
            return day
    for line in reversed(filled[-_SIGNOFF_LINES:]):
        day = _dated_line(line, labels, memo, cues=False)
        if day is not None:
            return day
    return None


def _dateline(line: str, labels: _Labels, memo: dict[str, list[Mention]]) -> _dt.date | None:
    """The date of a news dateline in ``line`` (a day-precise date right before 讯/电)."""
    if not any(w in line for w in labels.dateline_words) or not _WRITTEN_YEAR.search(line):
        return None
    for m in _mentions(line, memo):
        day = m.absolute_day()
        if day is not None and labels.dateline.match(line, m.end):
            return day
    return None


def _dated_line(line: str, labels: _Labels, memo: dict[str, list[Mention]], *, cues: bool) -> _dt.date | None:
    """The date of a short line that is a date and little else (a time, a weekday,
    a paper's name and page, when ``cues``)."""
    if len(line) > _DATED_LINE_MAX:
        return None
    found = _first_day(line, memo)
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
    return day if opens_line or in_parens or labels.masthead.search(line) else None

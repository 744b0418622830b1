"""Dates and periods (SCHEMA.md ``Date``), resolved against a publication date.

Two public functions, both pure (no I/O after the lexicon is loaded, never the clock):

* :func:`find_dates` — every date or period mentioned in a text, non-overlapping,
  in text order, with exact offsets, each resolved against ``published``;
* :func:`find_published` — the publication date the text states about itself
  (``发布时间:2019-05-05``, ``日期：2021/03/04``, a dated masthead line).

How it works, Duckling-style: each *rule* is a name, one readable pattern and a
production that turns a match into a small structure (a :class:`~unionie.normalize.date_rules.Point`: a year
that is absolute or relative to the publication year, and an optional month and
day — or an interval of two points).  All rules run over the text; overlapping
candidates are settled leftmost-longest.  Three rules then work on the *output*
of the first ones: holidays listed together are one mention (``元旦春节期间``), a
written year takes the period or holiday right after it (``2022年`` + ``上半年``,
``去年`` + ``春节期间``), and two dates around a connector become one period
(``2022年7月至2023年6月``).  Only then is anything resolved
against ``published``.  ``Date.rule`` names the rule that made each mention
(``dates.calendar``, ``dates.counted``, ``dates.range`` ...).

The modules: :mod:`~unionie.normalize.date_rules` holds the rules as a table (name,
pattern, production), :mod:`~unionie.normalize.date_scan` runs them and composes the
mentions, :mod:`~unionie.normalize.published` reads the publication date; this module
resolves mentions against it.  Every word list (relative years, holidays, period words,
guards, publication labels) lives in ``data/dates.yaml``; the patterns themselves write
only the calendar's notation (年, 月, 日/号, 季度, 旬, 第, digits, and the function words
of those forms: 月份, 前三个季度, 十三五, 自…以来).

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
* A day written alone (``16日``) is a day of the publication month, resolved only when it
  is not after the publication day and the last date with a month before it in the
  text is of the publication month (a yearbook's ``3月 … 16日`` is not); ``今日`` and
  ``昨日`` are the publication day and the one before (``今日(16日)`` only if the 16th).
* Without ``published`` every relative form has ``value`` null; absolute forms
  (``2018年7月12日``, ``2015-2024年``, ``十三五期间``) still resolve.
* Parts of a date may be separated by spaces or tabs, never by a line break.
* Digits may be ASCII or full-width (``２０２２年``); years may be written with
  Chinese digits (``二〇二二年``), months and days with Chinese numerals (``十月``).
"""
from __future__ import annotations

import datetime as _dt

from ..document import Date, fast_constructor
from .date_scan import mentions
from .published import find_published

__all__ = ["find_dates", "find_published"]

_DATE = fast_constructor(Date)  # Date(*every field)


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
    month = published.isoformat()[:7] if published is not None else None  # the month in force
    for m in mentions(text):
        value, grain = m.resolve(published)
        first = m.first
        if first.month is not None:
            month = value[:7] if value is not None and len(value) >= 7 and "/" not in value else None
        elif first.day is not None and first.day_shift is None and value is not None and value[:7] != month:
            value = None  # 3月 … 16日: a day of another month than the publication's
        dates.append(_DATE(surface[m.start:m.end], m.start, m.end, value, grain, m.rule))
    return dates

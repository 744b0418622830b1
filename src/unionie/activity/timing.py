"""When an activity took place: its year (and month when known), and where that came from.

In order: the event's ``time`` argument (its resolved date: 2023-02 -> 2023, February; a
period of several years, 五年来 -> 2015/2020, stays a period), else the year the document's
title or heading names (淮安市总工会2024年工作总结 -> 2024), else the document's publication
date. ``source`` says which (``time``, ``title``, ``published``), or ``None`` when nothing
gives a year.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = ["When", "title_year", "event_when"]

_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_EXPLICIT_YEAR = re.compile(r"(?:19|20)\d{2}")
_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?(?!\s*\d{1,2}\s*月)")


@dataclass(frozen=True, slots=True)
class When:
    year: int | None
    month: int | None
    period: str | None
    source: str | None

    @property
    def key(self) -> str:
        return str(self.year) if self.year is not None else (self.period or "?")

    def to_dict(self) -> dict[str, Any]:
        return {"year": self.year, "month": self.month, "period": self.period, "source": self.source}


def title_year(head: str) -> int | None:
    """The year a report's title or heading names (2024年工作总结, 二〇二三年度), else None.
    Dates with a month (2024年1月18日, a dateline) are not titles."""
    head = head.translate(_CN_DIGITS)
    m = _TITLE_YEAR.search(head)
    return int(m.group(1)) if m else None


def _from_value(value: str) -> tuple[int | None, int | None, str | None]:
    if "/" in value:
        a, b = value.split("/", 1)
        if a[:4].isdigit() and a[:4] == b[:4]:
            month = int(a[5:7]) if len(a) >= 7 and a[5:7] == b[5:7] else None
            return int(a[:4]), month, None
        return None, None, value
    if value[:4].isdigit():
        month = int(value[5:7]) if len(value) >= 7 and value[5:7].isdigit() else None
        return int(value[:4]), month, None
    return None, None, None


def event_when(event: Any, published: str | None, head_year: int | None, head_end: int = 0) -> When:
    """The time of one event (a :class:`~unionie.Event`).

    A time argument that names its year (2024年春节期间) wins; one that is relative (春节期间,
    今年) gives way to the year of the title when there is one, since it was resolved
    against the publication date, and a year-end report is published the year after."""
    for a in event.args("time"):
        if a.start < head_end and head_year is not None:
            continue  # the dateline (发布时间：2025-01-10) is when the report came out, not the activity
        v = a.date.value if a.date is not None else None
        if v:
            year, month, period = _from_value(v)
            if year is not None and head_year is not None and not _EXPLICIT_YEAR.search(a.text.translate(_CN_DIGITS)):
                # 春节期间 in a 2024 summary published in January 2025: resolved against the
                # publication date it reads 2025; the title's year is the report's year
                return When(head_year, month, None, "title (time argument is relative)")
            if year is not None or period is not None:
                return When(year, month, period, "time")
    if head_year is not None:
        return When(head_year, None, None, "title")
    if published and published[:4].isdigit():
        return When(int(published[:4]), None, None, "published")
    return When(None, None, None, None)

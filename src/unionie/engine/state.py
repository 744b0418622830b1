"""The state of one document while the event extractor reads it: its texts, the sorted
indexes over its figures, quotes, ORGs and honours, and the range queries over them
(each linear in what it returns). One object per call: the extractor keeps nothing on
itself, so threads may share an extractor."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING, Sequence, TypeVar

import regex

from ..document import Date, Entity, Quantity
from .grammar import Grammar
from ..lexicons import grow_left
from .segment import Clause, list_segments

if TYPE_CHECKING:
    from .draft import Draft

__all__ = ["DocState", "antecedent", "finer_head", "inside"]

T = TypeVar("T")

_HAN = regex.compile(r"\p{Han}")
_HAN_RUN = regex.compile(r"\p{Han}*")
_NAME_MAX = 30  # a quoted name is at most this long; a longer quote is speech
_SEMICOLONS = ("；", ";")  # the parts of one sentence (the folded text is half-width: ;)
_CLAUSE_MARK = regex.compile(r"[。；;！!？?]")  # a sentence's end: speech (a slogan may hold a comma)
_PHRASE_END = frozenset("，,。；;、：:！!？? \n")  # marks that end a noun phrase (not a bracket)
#: the content of a quote: “…”, ‘…’, 「…」, 『…』 or "…"
_QUOTE = re.compile(r"“([^“”\n]{1,40})”|‘([^‘’\n]{1,40})’|「([^「」\n]{1,40})」|\"([^\"\n]{1,40})\"|"
                    r"『([^『』\n]{1,40})』")


#: the date rule of words naming "the year under discussion" (dates.yaml ``anaphoric``: 全年)
ANAPHORIC_RULE = "dates.anaphoric"


def anaphoric(x: Date) -> bool:
    """A date naming the year under discussion (全年)."""
    return x.rule == ANAPHORIC_RULE


def antecedent(folded: str, x: Date, ctx: Date | None, sentence_start: int) -> bool:
    """Whether the date in force ``ctx`` is the year an anaphoric date ``x`` points back at:
    a year standing alone at the head of the same sentence (2022年，市总工会…，全年累计组建…:
    2022年). A period (2022年以来), a year told with its own figures (2025年共制作…) or one
    of an earlier sentence (2010年，…。全年有…参加…: 全年, the corpus's reading) is not."""
    return (ctx is not None and anaphoric(x) and not anaphoric(ctx) and ctx.grain == "year"
            and ctx.start >= sentence_start and ctx.end < len(folded)
            and not _HAN.match(folded, ctx.end))


_GRAIN_RANK = {"day": 0, "month": 1}  # the finer a date, the more it says (year, period: 2)


def finer_head(folded: str, x: Date, ctx: Date | None, sentence_start: int) -> bool:
    """Whether the date standing alone at the head of the sentence, ``ctx``, is finer than a
    later date ``x`` of the sentence, which then names no time of its own (12月21日，全区工会
    2011年元旦春节送温暖…; 1月17日，春节临近，…: the day). A date told with a verb (10月27日召开
    的会议…，截至9月底，…) stands not alone."""
    return (ctx is not None and ctx.start >= sentence_start
            and _GRAIN_RANK.get(ctx.grain, 2) < _GRAIN_RANK.get(x.grain, 2)
            and ctx.end < len(folded) and not _HAN.match(folded, ctx.end))


def inside(items: Sequence[T], starts: Sequence[int], ends: Sequence[int], a: int, b: int) -> list[T]:
    """The items (sorted by start) that lie inside ``[a, b)``: linear in what is returned."""
    out = []
    i = bisect_left(starts, a)
    while i < len(items) and starts[i] < b:
        if ends[i] <= b:
            out.append(items[i])
        i += 1
    return out


_NEWLINE = re.compile("\n")


class DocState:
    """One document's texts and indexes (built once per :meth:`EventExtractor.extract`)."""

    def __init__(self, text: str, folded: str, quantities: Sequence[Quantity], dates: Sequence[Date],
                 entities: Sequence[Entity], clauses: Sequence[Clause], grammar: Grammar) -> None:
        self.text, self.folded, self.grammar = text, folded, grammar
        self.dates = dates
        self.date_starts = [d.start for d in dates]
        # the one group of the alternation that matched is the last one (Match.lastindex)
        self.quotes = [m.span(m.lastindex) for m in _QUOTE.finditer(folded)]
        self.quote_starts = [a for a, _ in self.quotes]
        self.quote_ends = [b for _, b in self.quotes]
        self.orgs = [e for e in entities if e.label == "ORG"]
        self.org_starts = [o.start for o in self.orgs]
        self.org_ends = [o.end for o in self.orgs]
        self.honors = [e for e in entities if e.label == "HONOR"]
        self.persons = [e for e in entities if e.label == "PERSON"]
        self.person_starts = [p.start for p in self.persons]
        self.person_ends = [p.end for p in self.persons]
        self.honor_starts = [h.start for h in self.honors]
        self.honor_ends = [h.end for h in self.honors]
        self.quantities = list(quantities)
        self.q_starts = [q.start for q in self.quantities]
        self.q_ends = sorted(q.end for q in self.quantities)
        self.newlines = [m.start() for m in _NEWLINE.finditer(folded)]
        self._datelines: dict[int, int] = {}  # position -> where a dateline matched there ends (-1: none)
        self._segments: dict[tuple[int, int], tuple[tuple[int, int], ...]] = {}  # clause span -> its list items
        self.sent_start: dict[int, int] = {}
        for c in clauses:
            self.sent_start.setdefault(c.sentence, c.start)
        # the walk over the clauses: the events made, and what carries between clauses
        self.drafts: list[Draft] = []
        self.paragraph = -1
        self.ctx_time: Date | None = None  #: the date in force: the sentence's, else the paragraph's
        self.para_time: Date | None = None  #: a date at the head of the paragraph's first sentence
        self.first_sentence = -1  #: the paragraph's first sentence
        self.para_from_first = True  #: para_time heads the first sentence (not a later period)
        #: a date standing alone at the head of a sentence, for its parts after a semicolon
        self.semi_time: Date | None = None
        self.ctx_org: Entity | None = None  #: an ORG standing as subject, for the paragraph
        self.sentence = -1
        self.sent_drafts: list[Draft] = []  #: the events of the current sentence
        self.prev_drafts: list[Draft] = []  #: the events of the clause before
        self.pending: list[tuple[Quantity, int]] = []  #: figures before the sentence's first event

    def line_start(self, pos: int) -> int:
        """Where the line holding ``pos`` starts: ``folded.rfind("\\n", 0, pos) + 1``, by bisection
        (a scan back would make a long line's events cost its length each)."""
        i = bisect_left(self.newlines, pos)
        return self.newlines[i - 1] + 1 if i else 0

    def dateline_end(self, pos: int) -> int:
        """Where a news item's dateline (grammar ``dateline``) matched at ``pos`` ends, else -1:
        each position is matched once (the clauses of a line all ask about its start)."""
        end = self._datelines.get(pos)
        if end is None:
            m = self.grammar.dateline.match(self.folded, pos)
            end = self._datelines[pos] = -1 if m is None else m.end()
        return end

    def list_segments(self, a: int, b: int) -> tuple[tuple[int, int], ...]:
        """The list items of the clause ``[a, b)`` (:func:`.segment.list_segments` over ``folded``),
        split once per clause (several stages read them; a tuple, so none can change them)."""
        segs = self._segments.get((a, b))
        if segs is None:
            segs = self._segments[(a, b)] = tuple(list_segments(self.folded, a, b))
        return segs

    def enter(self, c: Clause) -> None:
        """Move the walk to clause ``c``: a new paragraph drops its context, a new sentence
        its events."""
        if c.paragraph != self.paragraph:
            self.paragraph, self.ctx_time, self.ctx_org = c.paragraph, None, None
            self.para_time, self.first_sentence, self.para_from_first = None, c.sentence, True
            self.semi_time = None
        if c.sentence != self.sentence:
            self.sentence, self.sent_drafts, self.prev_drafts = c.sentence, [], []
            self.pending = []
            # a date at the head of a later sentence holds for that sentence only (a
            # period carries on: set_head_date), and for the parts of it a semicolon joins
            # (2024年，…惠及…；该行工会为…发放…: ANNOTATION.md, the head of a sentence or of a line)
            if not self._after_semicolon(c.start):
                self.semi_time = None
            carried = self.semi_time if self.semi_time is not None and not self._names_period(c.start) else None
            self.ctx_time = carried or self.para_time

    def _after_semicolon(self, pos: int) -> bool:
        """The sentence before ``pos`` ends with a semicolon: one sentence in parts."""
        head = self.folded[max(0, pos - 4):pos].rstrip(" \t\u3000")
        return head.endswith(_SEMICOLONS)

    def _names_period(self, pos: int) -> bool:
        """The sentence from ``pos`` names a period of its own in a quoted campaign (“安全生产月”,
        “宪法宣传周”: engine.yaml ``period_name_ends``)."""
        ends = self.grammar.period_name_ends
        m = _CLAUSE_MARK.search(self.folded, pos)
        stop = m.start() if m else len(self.folded)
        return bool(ends) and any(self.folded[a:b].endswith(ends) for a, b in self.quotes_in(pos, stop))

    def set_head_date(self, c: Clause, d: Date) -> None:
        """A date standing at the head of clause ``c`` (去年，… / 2010年，…); an anaphoric one
        (全年，…) does not replace the date in force it points back at. The first sentence's
        head date, or a later sentence's period (五年来，…), holds for the rest of the
        paragraph; a later sentence's point in time ends a carried period."""
        floor = self.sent_start.get(c.sentence, c.start)
        if antecedent(self.folded, d, self.ctx_time, floor) or finer_head(self.folded, d, self.ctx_time, floor):
            return
        self.ctx_time = d
        if floor == c.start and not _HAN.match(self.folded, d.end):
            self.semi_time = d  # 2024年，…；…: alone at the head, it holds for the parts after
        if c.sentence == self.first_sentence or d.grain == "period" or self._cutoff(d):
            self.para_time, self.para_from_first = d, c.sentence == self.first_sentence
        elif not self.para_from_first:
            self.para_time = None

    def _cutoff(self, d: Date) -> bool:
        """The date standing alone after a word of counting up to it (截至2024年底，…: engine.yaml
        ``cutoff_leads``): the date the figures after it are counted to."""
        leads = self.grammar.cutoff_leads
        return bool(leads) and self.folded.endswith(leads, 0, d.start) and not _HAN.match(self.folded, d.end)

    # -- range queries ------------------------------------------------------------------
    def quotes_in(self, a: int, b: int) -> list[tuple[int, int]]:
        """Quotes whose content lies inside ``[a, b)``."""
        return inside(self.quotes, self.quote_starts, self.quote_ends, a, b)

    def _quote_at(self, pos: int) -> tuple[int, int] | None:
        """The quote whose content holds ``pos``, if any."""
        i = bisect_right(self.quote_starts, pos) - 1
        return self.quotes[i] if i >= 0 and pos < self.quotes[i][1] else None

    def in_quoted_name(self, pos: int) -> bool:
        """``pos`` lies in a quoted name (“五月风”, “迎新春送文化到基层”): a short quote that ends
        no sentence, not quoted speech (“今年我们还将…举办招聘会10场以上，…。”)."""
        q = self._quote_at(pos)
        return q is not None and q[1] - q[0] <= _NAME_MAX and not _CLAUSE_MARK.search(self.folded, *q)

    def in_quote(self, pos: int) -> bool:
        return self._quote_at(pos) is not None

    def quantities_in(self, a: int, b: int) -> list[Quantity]:
        """Figures starting inside ``[a, b)``."""
        return self.quantities[bisect_left(self.q_starts, a):bisect_left(self.q_starts, b)]

    def dates_starting_in(self, a: int, b: int) -> Sequence[Date]:
        """Dates starting inside ``[a, b)``, not copied (read only)."""
        return self.dates[bisect_left(self.date_starts, a):bisect_left(self.date_starts, b)]

    def dates_in(self, a: int, b: int) -> list[Date]:
        """Dates starting inside ``[a, b)`` (a slice: a copy)."""
        return list(self.dates[bisect_left(self.date_starts, a):bisect_left(self.date_starts, b)])

    def orgs_in(self, a: int, b: int) -> list[Entity]:
        return inside(self.orgs, self.org_starts, self.org_ends, a, b)

    def in_org(self, pos: int) -> bool:
        i = bisect_right(self.org_starts, pos) - 1
        return i >= 0 and pos < self.orgs[i].end

    def first_org_from(self, pos: int) -> Entity | None:
        """The first ORG starting at or after ``pos``."""
        i = bisect_left(self.org_starts, pos)
        return self.orgs[i] if i < len(self.orgs) else None

    def speaks(self, e: Entity) -> bool:
        """The ORG only names whom a speaker belongs to (甘肃省总工会党组书记陈琳表示…): no subject
        (engine.yaml ``speaker_titles``, ``speech_verbs``)."""
        return self.grammar.speaker.match(self.folded, e.end) is not None

    def counted(self, e: Entity) -> bool:
        """A figure stands right before or right after the ORG (24个省级工会开展试点, 推动1101家
        非公企业工会完成换届, 新建非公企业工会632家): the ORG names the kind of the organizations
        counted, not one that acts."""
        i = bisect_left(self.q_ends, e.start)
        if i < len(self.q_ends) and self.q_ends[i] == e.start:
            return True
        j = bisect_left(self.q_starts, e.end)
        return j < len(self.q_starts) and self.q_starts[j] == e.end

    def group_after(self, pos: int, end: int, gap: int | None = None) -> tuple[int, int] | None:
        """A group of people right after a figure ending at ``pos`` (48个困难职工家庭; 65名品学兼优
        的困难职工子女: within ``gap`` characters, by default ``counted_group_gap``, no punctuation
        between), up to ``end``: the span from ``pos`` to the end of its head words (劳模先进)."""
        g = self.grammar
        gap = g.counted_group_gap if gap is None else gap
        m = g.person.search(self.folded, pos, min(end, pos + gap + 8))
        if m is None or m.start() - pos > gap or self.in_org(m.start()) \
                or self.in_quote(m.start()) or not _HAN_RUN.fullmatch(self.folded, pos, m.start()):
            return None
        b = m.end()
        while (nxt := g.person.match(self.folded, b, end)) is not None:
            b = nxt.end()  # 各级劳模先进: heads in a row are one group
        if self.folded.endswith(g.employers, pos, b):
            return None  # 1.1万余人与用人单位达成意向: the employers are no group counted
        return pos, b

    def people_after(self, pos: int, end: int) -> bool:
        """People (not an organization or a team: grammar.yaml ``group_heads``) right after a
        figure ending at ``pos`` (48个困难职工家庭)."""
        span = self.group_after(pos, end, 0)
        if span is None or any(self.folded.endswith(h, span[0], span[1]) for h in self.grammar.group_heads):
            return False
        # the group ends its noun phrase (四次职工代表大会, 4个职工活动中心: no group of people)
        b = span[1]
        return b >= end or self.folded[b] in _PHRASE_END or (_HAN.match(self.folded, b) is not None and any(
            self.folded.startswith(w, b) for w in self.grammar.boundary.words))

    def persons_in(self, a: int, b: int) -> list[Entity]:
        return inside(self.persons, self.person_starts, self.person_ends, a, b)

    def honors_in(self, a: int, b: int) -> list[Entity]:
        return inside(self.honors, self.honor_starts, self.honor_ends, a, b)

    def stop(self, pos: int, floor: int) -> int:
        """The left limit for a phrase growing from ``pos``: the end of the figure before it."""
        i = bisect_right(self.q_ends, pos) - 1
        return max(floor, self.q_ends[i]) if i >= 0 else floor

    def grow(self, pos: int, floor: int, max_grow: int) -> int:
        """Grow a phrase leftwards from ``pos`` (not over a figure, nor below ``floor``)."""
        return grow_left(self.folded, pos, self.stop(pos, floor), self.grammar.boundary, max_grow)

    def first_figure(self, a: int, b: int) -> int | None:
        """Where the first figure (a digit, numerals with a measure word) in ``[a, b)`` starts."""
        m = self.grammar.figure_start.search(self.folded[a:b])
        return None if m is None else a + m.start()

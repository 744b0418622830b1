"""The event extractor: triggers, clauses and arguments -> typed events.

The engine knows no event type: everything type-specific is in the rule pack
(:mod:`unionie.rules.loader`, ``data/events/*.yaml``). It works in four steps:

1. **Triggers.** All trigger words of all types are matched leftmost-longest on the
   folded text; a match that cuts through jieba words on both sides (建会 in 组建|会员),
   sits inside a 《title》 or an ORG name, or is followed by a word the rule excludes
   is dropped.
2. **Clauses.** :func:`unionie.engine.segment.segment` splits paragraphs, sentences and
   clauses. A paragraph keeps a *context*: a date standing at the head of a clause
   (去年, 五年来, 2018年7月12日) and an ORG standing as the subject (新区总工会…)
   carry to the activities that follow in the paragraph.
3. **Events.** Each trigger makes an event unless it repeats an event of the same type
   in the same list item or the clause before (one activity named twice). A clause with
   figures and no trigger continues the last event of its sentence: its figures fill
   roles that are still free, or, when the role is taken, start a new event of the same
   type (劳动模范27名，五一劳动奖章78名 -> two honour events).
4. **Arguments.** Figures take roles by the type's measure-word table; dates give
   ``time``; ORGs give ``organizer``; text roles (beneficiary, name, honor, org_kind …)
   are read by the kind the rule names. Events of triggers marked ``needs_evidence``
   are kept only with a figure, a date in the clause or a name.
"""
from __future__ import annotations

import re
import threading
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterable, NamedTuple, Sequence, TypeVar

import regex

from ..document import Argument, Date, Entity, Event, Quantity, Span, fast_constructor
from ..rules.loader import EventType, RulePack, TriggerRule
from .lexicons import Boundaries, alternation, boundary_regex, bundled_yaml, grow_left
from .segment import Clause, list_segments, segment

# the value objects with every field given in order: made thousands of times per second
_ARGUMENT, _EVENT, _SPAN = (fast_constructor(c) for c in (Argument, Event, Span))

__all__ = ["EventExtractor", "TriggerMatch"]

T = TypeVar("T")

_QUOTE = re.compile(r"“([^“”\n]{1,40})”|‘([^‘’\n]{1,40})’|「([^「」\n]{1,40})」|\"([^\"\n]{1,40})\"")
_TITLE = re.compile(r"《[^《》\n]{1,60}》")
_HONOR_PHRASE = regex.compile(
    r"[\p{Han}]{0,10}?(?:荣誉|称号|奖章|奖状|奖|班组|集体|个人|单位|标兵|能手|之星|模范|先进|工匠|明星|示范|先锋)(?![\p{Han}])")
_DATE_LEAD = re.compile(r"[\s]*(?:同时|此外|另外|其中|截至|截止|自|从|在|于)")
_NOT_SUBJECT = re.compile(r"[为向给对参与和及]")
_OBJECT = re.compile(r"[^\d，,。；;、：:\s]{2,16}")
_FIGURE_START = re.compile(r"\d|[一二两三四五六七八九十百千万]+[个家所处]")
_ORG_LIST_SPLIT = re.compile(r"[、,，]|以及|和|及|与")


class TriggerMatch(NamedTuple):
    """A trigger word or pattern found at ``[start, end)`` (a named tuple: cheap to make)."""

    start: int
    end: int
    rule: TriggerRule

    @property
    def type(self) -> str:
        return self.rule.type


@dataclass
class _Draft:
    """An event being built."""

    etype: EventType
    trigger: TriggerMatch
    start: int
    end: int
    clause: Clause
    segment: tuple[int, int]
    args: list[Argument] = field(default_factory=list)
    in_clause_date: bool = False
    continued: bool = False
    strong: bool = False  #: named by a trigger that needs no further evidence

    roles: set[str] = field(default_factory=set)
    role_units: set[tuple[str, str]] = field(default_factory=set)

    def has(self, role: str) -> bool:
        return role in self.roles

    def free(self, role: str, q: Quantity) -> bool:
        """The role can take this figure: no figure of the same unit fills it yet
        (参赛队伍42支、选手200余名 are both participant counts)."""
        return (role, _unit_key(q)) not in self.role_units

    def add(self, arg: Argument) -> None:
        self.args.append(arg)
        self.roles.add(arg.role)
        if arg.quantity is not None:
            self.role_units.add((arg.role, _unit_key(arg.quantity)))


@lru_cache(maxsize=1)
def _grammar() -> tuple[Boundaries, re.Pattern[str]]:
    g = bundled_yaml("grammar.yaml")
    return boundary_regex(g["phrase_boundaries"]), re.compile(f"(?:{alternation(g['person_heads'])})")


class EventExtractor:
    """Turns a folded text and its quantities, dates and entities into events."""

    def __init__(self, rules: RulePack) -> None:
        self.rules = rules
        self._lock = threading.Lock()
        self._trigger_by_word: dict[str, TriggerRule] = {}
        for t in sorted(rules.triggers(), key=lambda t: -t.confidence):
            for w in t.words:
                self._trigger_by_word.setdefault(w, t)
        words = list(self._trigger_by_word)
        # literal words: the stdlib engine matches a trie pattern several times faster
        self._word_re = re.compile(f"(?:{alternation(words)})") if words else None
        self._patterns = [(p, t) for t in rules.triggers() for p in t.patterns]
        # per trigger rule: the words that may not follow it (one trie pattern matched at the
        # trigger's end) and those that may not precede it (looked up by their last character)
        self._not_after: dict[int, tuple[re.Pattern[str] | None, Boundaries | None]] = {
            id(t): (re.compile(f"(?:{alternation(t.not_followed_by)})") if t.not_followed_by else None,
                    boundary_regex(t.not_preceded_by) if t.not_preceded_by else None)
            for t in rules.triggers()}
        self._boundary, self._person_re = _grammar()
        g = bundled_yaml("grammar.yaml")
        self._plan_re = re.compile("|".join(f"(?:{p})" for p in g["plan_markers"]))
        self._purpose_re = re.compile("|".join(f"(?:{p})" for p in g["purpose_markers"]))
        self._generic_org_re = re.compile("|".join(f"(?:{p})" for p in g["generic_organizers"]))

    def __getstate__(self) -> dict:
        # the rules are enough to rebuild the extractor (no lock, no document state)
        return {"rules": self.rules}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["rules"])  # type: ignore[misc]

    # -- triggers -----------------------------------------------------------------
    def find_triggers(self, folded: str, aligned: Callable[[int, int], bool] | None = None,
                      blocked: Sequence[tuple[int, int]] = ()) -> list[TriggerMatch]:
        """Trigger mentions, leftmost-longest, non-overlapping, in text order.

        ``aligned(a, b)`` tells whether a word of the tokenization begins or ends at ``a``
        or at ``b`` (:meth:`unionie.tokenizer.WordBoundaries.either`); a trigger whose two
        ends both fall inside words is dropped (入会 in 纳入|会员). Without it, triggers
        are not checked against words.
        """
        cands: list[TriggerMatch] = []
        if self._word_re is not None:
            for m in self._word_re.finditer(folded):
                cands.append(TriggerMatch(m.start(), m.end(), self._trigger_by_word[m.group()]))
        for pat, rule in self._patterns:
            for m in pat.finditer(folded, timeout=1.0):
                if m.end() > m.start():
                    cands.append(TriggerMatch(m.start(), m.end(), rule))
        cands.sort(key=lambda t: (t.start, -(t.end - t.start)))
        out: list[TriggerMatch] = []
        last = -1
        blocked = sorted(blocked)
        blocked_starts = [a for a, _ in blocked]
        blocked_ends = []  # running maximum of the ends, for overlapping blocked spans
        for _, b in blocked:
            blocked_ends.append(max(b, blocked_ends[-1]) if blocked_ends else b)
        for t in cands:
            if t.start < last:
                continue
            i = bisect_right(blocked_starts, t.start) - 1
            if (i >= 0 and t.start < blocked_ends[i]) or (i + 1 < len(blocked) and blocked_starts[i + 1] < t.end):
                continue
            r = t.rule
            follow, precede = self._not_after[id(r)]
            if follow is not None and follow.match(folded, t.end):
                continue
            if precede is not None and precede.ends_at(folded, t.start):
                continue
            if r.not_followed_by_patterns and any(p.match(folded, t.end) for p in r.not_followed_by_patterns):
                continue
            if aligned is not None and not aligned(t.start, t.end):
                continue
            out.append(t)
            last = t.end
        return out

    # -- the main loop --------------------------------------------------------------
    def extract(self, folded: str, text: str, quantities: Sequence[Quantity], dates: Sequence[Date],
                entities: Sequence[Entity], aligned: Callable[[int, int], bool] | None = None) -> list[Event]:
        """The events of one document (``aligned``: see :meth:`find_triggers`). The
        extractor keeps the document's state while it works, so calls from several threads
        take turns (processes do not share it)."""
        with self._lock:
            return self._extract(folded, text, quantities, dates, entities, aligned)

    def _extract(self, folded: str, text: str, quantities: Sequence[Quantity], dates: Sequence[Date],
                 entities: Sequence[Entity], aligned: Callable[[int, int], bool] | None) -> list[Event]:
        clauses = segment(folded)
        orgs = [e for e in entities if e.label == "ORG"]
        honors = [e for e in entities if e.label == "HONOR"]
        blocked = [(m.start(), m.end()) for m in _TITLE.finditer(folded)]
        blocked += [(e.start, e.end) for e in orgs if e.end - e.start > 3]
        triggers = self.find_triggers(folded, aligned, blocked)
        triggers = _drop_quoted_names(folded, triggers)
        triggers = [t for i, t in enumerate(triggers)
                    if not (i + 1 < len(triggers) and triggers[i + 1].start == t.end)]
        quotes = [(m.start(g), m.end(g)) for m in _QUOTE.finditer(folded)
                  for g in (next(i for i in range(1, 5) if m.group(i) is not None),)]
        self._text, self._folded = text, folded
        self._quotes = quotes
        self._quote_starts = [a for a, _ in quotes]
        self._quote_ends = [b for _, b in quotes]
        self._honors = honors
        self._honor_starts = [h.start for h in honors]
        self._honor_ends = [h.end for h in honors]
        self._orgs = orgs
        self._org_starts = [o.start for o in orgs]
        self._org_ends = [o.end for o in orgs]
        self._q_ends = sorted(q.end for q in quantities)
        self._quantities = list(quantities)
        self._q_starts = [q.start for q in self._quantities]
        self._sent_start: dict[int, int] = {}
        for c in clauses:
            self._sent_start.setdefault(c.sentence, c.start)
        t_starts = [t.start for t in triggers]
        d_starts = [d.start for d in dates]

        def within(items: Sequence, starts: list[int], a: int, b: int) -> Sequence:
            return items[bisect_left(starts, a):bisect_left(starts, b)]  # a slice is a copy

        drafts: list[_Draft] = []
        para = -1
        ctx_time: Date | None = None
        ctx_org: Entity | None = None
        sent = -1
        sent_drafts: list[_Draft] = []
        prev_clause_drafts: list[_Draft] = []
        for c in clauses:
            if c.paragraph != para:
                para, ctx_time, ctx_org = c.paragraph, None, None
            if c.sentence != sent:
                sent, sent_drafts, prev_clause_drafts = c.sentence, [], []
                pending: list[tuple[Quantity, int]] = []  # figures before the sentence's first event
            c_trigs = within(triggers, t_starts, c.start, c.end)
            c_qs = [q for q in self._quantities_in(c.start, c.end) if q.end <= c.end]
            c_ds = [d for d in within(dates, d_starts, c.start, c.end) if d.end <= c.end]
            head_date = self._head_date(folded, c, c_ds)
            subject = self._subject(folded, c, head_date)
            clause_drafts: list[_Draft] = []
            if c_trigs:
                active: list[_Draft] = []
                for seg_a, seg_b in list_segments(folded, c.start, c.end):
                    seg_trigs = [t for t in c_trigs if seg_a <= t.start < seg_b]
                    for t in seg_trigs:
                        et = self.rules.types[t.type]
                        target = self._merge_target(et, t, clause_drafts, prev_clause_drafts, (seg_a, seg_b), c_qs)
                        if target is not None:
                            target.strong = target.strong or not t.rule.needs_evidence
                            if target.clause is not c and (self._mention_score(t, (seg_a, seg_b), c_qs)
                                                           > self._draft_score(target)):
                                target.trigger = t
                            if target.clause is not c:
                                self._fill_text_roles(_Draft(et, t, c.start, c.end, c, (seg_a, seg_b)),
                                                      into=target)
                            target.end = max(target.end, c.end)
                            if target not in active:
                                active.append(target)
                            continue
                        d = _Draft(et, t, c.start, c.end, c, (seg_a, seg_b), strong=not t.rule.needs_evidence)
                        self._fill_text_roles(d)
                        clause_drafts.append(d)
                        active.append(d)
                # figures: each goes to the event of its list item, else the nearest one before it
                left = self._assign_quantities(c, c_qs, active, prev_clause_drafts)
                if left:
                    # list items without a trigger of their own: 表彰劳动模范98名、先进工作者42名
                    trig_segs = {d.segment for d in active}
                    for seg in list_segments(folded, c.start, c.end):
                        seg_left = [q for q in left if seg[0] <= q.start < seg[1]]
                        before = [d for d in active if d.trigger.start < seg[0]]
                        if seg_left and seg not in trig_segs and before:
                            more = self._continue(c, seg_left, c_ds, before[-1], [seg])
                            for d in more:
                                self._fill_text_roles(d)
                            clause_drafts.extend(more)
                            active.extend(more)
                if pending and clause_drafts:
                    d0 = clause_drafts[0]
                    for q, q_clause_start in pending:
                        role = d0.etype.role_for(_unit_key(q), bool(q.per))
                        if role is not None and d0.free(role, q):
                            d0.add(_qarg(role, q, self._text))
                            d0.start = min(d0.start, q_clause_start)
                    pending = []
                for d in clause_drafts:
                    self._fill_time_org(d, c_ds, ctx_time, ctx_org, c)
                drafts.extend(clause_drafts)
                sent_drafts.extend(clause_drafts)
                prev_clause_drafts = active or prev_clause_drafts
            elif c_qs and sent_drafts:
                made = self._continue(c, c_qs, c_ds, sent_drafts[-1])
                for d in made:
                    self._fill_text_roles(d)
                drafts.extend(made)
                sent_drafts.extend(made)
                prev_clause_drafts = made or prev_clause_drafts
            elif c_qs:
                pending.extend((q, c.start) for q in c_qs)
            if head_date is not None:
                ctx_time = head_date
            if subject is not None:
                ctx_org = subject
        return [e for e in (self._finish(d) for d in drafts) if e is not None]

    # -- range queries over the sorted quotes, ORGs and honours (linear in what they return) --
    def _quotes_in(self, a: int, b: int) -> list[tuple[int, int]]:
        """Quotes whose content lies inside ``[a, b)``."""
        return _inside(self._quotes, self._quote_starts, self._quote_ends, a, b)

    def _quantities_in(self, a: int, b: int) -> list[Quantity]:
        """Figures starting inside ``[a, b)``."""
        return self._quantities[bisect_left(self._q_starts, a):bisect_left(self._q_starts, b)]

    def _in_quote(self, pos: int) -> bool:
        i = bisect_right(self._quote_starts, pos) - 1
        return i >= 0 and pos < self._quotes[i][1]

    def _orgs_in(self, a: int, b: int) -> list[Entity]:
        return _inside(self._orgs, self._org_starts, self._org_ends, a, b)

    def _in_org(self, pos: int) -> bool:
        i = bisect_right(self._org_starts, pos) - 1
        return i >= 0 and pos < self._orgs[i].end

    def _honors_in(self, a: int, b: int) -> list[Entity]:
        return _inside(self._honors, self._honor_starts, self._honor_ends, a, b)

    # -- context ------------------------------------------------------------------------
    @staticmethod
    def _head_date(folded: str, c: Clause, c_ds: list[Date]) -> Date | None:
        """A date at the head of the clause (去年，… / 五年来，… / 2018年7月12日，…)."""
        for d in c_ds:
            lead = folded[c.start:d.start]
            if not lead.strip(" 　\t\n") or _DATE_LEAD.fullmatch(lead):
                return d
            break
        return None

    def _subject(self, folded: str, c: Clause, head: Date | None) -> Entity | None:
        """An ORG standing as the subject at the head of the clause."""
        i = bisect_left(self._org_starts, c.start)  # the first ORG in the clause, if any
        e = self._orgs[i] if i < len(self._orgs) else None
        if e is None or e.start >= c.end:
            g = self._generic_subject(head.end if head is not None else c.start, c.end)
            if g is None:
                return None
            e = g
        lead = folded[head.end if head is not None else c.start:e.start]
        if len(lead.strip()) <= 2 and not _NOT_SUBJECT.search(lead):
            return e
        return None

    # -- events -------------------------------------------------------------------------
    def _merge_target(self, et: EventType, t: TriggerMatch, clause_drafts: list[_Draft],
                      prev: list[_Draft], seg: tuple[int, int], c_qs: list[Quantity]) -> _Draft | None:
        """The event this trigger repeats (one activity named twice), or None for a new one."""
        if et.merge == "false":
            return None
        seg_qs = [q for q in c_qs if seg[0] <= q.start < seg[1]]

        def conflicts(d: _Draft) -> bool:
            # two mentions that both give a figure of one role are two activities; a detail
            # mention may add a figure of another unit (招聘会12场，提供岗位1.8万个)
            theirs = {(d.etype.role_for(_unit_key(q), bool(q.per)), _unit_key(q) if t.rule.detail else "")
                      for q in c_qs if d.segment[0] <= q.start < d.segment[1]}
            for q in seg_qs:
                r = d.etype.role_for(_unit_key(q), bool(q.per))
                if r is None:
                    continue
                taken = not d.free(r, q) if t.rule.detail else d.has(r)
                if taken or (r, _unit_key(q) if t.rule.detail else "") in theirs:
                    return True
            return False

        for d in reversed(clause_drafts):
            if d.etype.type != et.type:
                continue
            if d.segment == seg or (et.merge == "true" and not conflicts(d)):
                return d
        if et.merge == "false":
            return None
        # across clauses of a sentence: the same activity named again (培训班…培训) or
        # told in more detail (资助困难职工子女313名，发放助学金58.23万元)
        word = self._folded[t.start:t.end]
        for d in reversed(prev):
            if d.etype.type != et.type or conflicts(d):
                continue
            if et.merge == "named" and self._has_own_name(t, seg):
                return None
            if _share_root(word, self._folded[d.trigger.start:d.trigger.end]):
                return d
            # a detail of the activity (发放助学金58.23万元 after 资助困难职工子女313名); any
            # other trigger is an activity of its own (one event per trigger mention)
            if t.rule.detail and not self._list_conflict(d, t, seg):
                return d
            return None
        return None

    def _mention_score(self, t: TriggerMatch, seg: tuple[int, int], c_qs: list[Quantity]) -> int:
        """How much a trigger mention says: figures in its list item 2, a quoted name 1."""
        if any(seg[0] <= q.start < seg[1] for q in c_qs):
            return 2
        return 1 if self._quotes_in(seg[0], t.start + 1) else 0

    def _draft_score(self, d: _Draft) -> int:
        if any(a.quantity is not None for a in d.args):
            return 2
        return 1 if any(a.role == "name" for a in d.args) else 0

    def _has_own_name(self, t: TriggerMatch, seg: tuple[int, int]) -> bool:
        if self._quotes_in(seg[0], t.start + 1):
            return True
        a = grow_left(self._folded, t.start, self._stop(t.start, seg[0]), self._boundary, 14)
        return t.start - a >= 2

    def _list_conflict(self, d: _Draft, t: TriggerMatch, seg: tuple[int, int]) -> bool:
        """Both mentions name their own thing of the type's list role (two groups of people)."""
        role = d.etype.list_role
        if role is None or not d.has(role):
            return False
        probe = _Draft(d.etype, t, seg[0], seg[1], d.clause, seg)
        mine = self._text_role(probe, d.etype.text_roles[role])
        if not mine:
            return False
        theirs = {self._folded[a.start:a.end] for a in d.args if a.role == role}
        return all(self._folded[a:b] not in theirs for a, b in mine)

    def _assign_quantities(self, c: Clause, qs: list[Quantity], clause_drafts: list[_Draft],
                           prev: list[_Draft]) -> list[Quantity]:
        """Give each figure to an event of the clause; returns the figures no event took."""
        left: list[Quantity] = []
        for q in qs:
            owner = None
            in_seg = [d for d in clause_drafts if d.segment[0] <= q.start < d.segment[1]]
            cands = in_seg or sorted(clause_drafts, key=lambda d: (d.trigger.start > q.start,
                                                                   abs(d.trigger.start - q.start)))
            if not in_seg and cands and self._new_list_item(cands[0], c, q):
                left.append(q)  # its own list item: 劳动模范86名、“五一”劳动奖状32个
                continue
            for d in cands:
                role = d.etype.role_for(_unit_key(q), bool(q.per))
                if role is not None and d.free(role, q):
                    owner = (d, role)
                    break
            if owner is None and not clause_drafts:
                continue
            if owner is None:
                # the role is taken in every event of the clause: a merged event repeats it
                for d in reversed(prev):
                    role = d.etype.role_for(_unit_key(q), bool(q.per))
                    if role is not None and d.free(role, q) and d.clause.sentence == c.sentence:
                        owner = (d, role)
                        break
            if owner is not None:
                d, role = owner
                d.add(_qarg(role, q, self._text))
                d.end = max(d.end, c.end)
            else:
                left.append(q)
        return left

    def _new_list_item(self, d: _Draft, c: Clause, q: Quantity) -> bool:
        """The list item (、-segment) holding ``q`` names a new thing of ``d``'s list role."""
        role = d.etype.list_role
        if role is None:
            return False
        seg = next(((a, b) for a, b in list_segments(self._folded, c.start, c.end) if a <= q.start < b), None)
        if seg is None:
            return False
        probe = _Draft(d.etype, d.trigger, seg[0], seg[1], c, seg, continued=True)
        item = self._text_role(probe, d.etype.text_roles[role])
        if not item:
            return False
        theirs = {self._folded[a.start:a.end] for a in d.args if a.role == role}
        q_role = d.etype.role_for(_unit_key(q), bool(q.per))
        repeats = q_role is not None and (d.has(q_role) or any(
            d.etype.role_for(_unit_key(x), bool(x.per)) == q_role for x in self._quantities_in(*d.segment)))
        return repeats and self._folded[item[0][0]:item[0][1]] not in theirs

    def _continue(self, c: Clause, qs: list[Quantity], c_ds: list[Date], last: _Draft,
                  segments: list[tuple[int, int]] | None = None) -> list[_Draft]:
        """A clause with figures and no trigger after an event of the same sentence.

        Figures fill roles the event still lacks. A figure whose role is taken starts a
        new event of the same type only when its list item names a new thing of the
        type's ``list_role`` (an honour, a kind of organization, a group of people):
        劳动模范27名，五一劳动奖章78名. Otherwise it is a detail and is left out.
        """
        made: list[_Draft] = []
        cur = last
        list_role = last.etype.list_role
        list_kind = last.etype.text_roles.get(list_role or "")
        for seg_a, seg_b in segments if segments is not None else list_segments(self._folded, c.start, c.end):
            seg_qs = [q for q in qs if seg_a <= q.start < seg_b
                      and cur.etype.role_for(_unit_key(q), bool(q.per)) is not None]
            if not seg_qs:
                continue
            probe = _Draft(last.etype, last.trigger, seg_a, seg_b, c, (seg_a, seg_b), continued=True)
            item = self._text_role(probe, list_kind) if list_kind else []
            theirs = {self._folded[a.start:a.end] for a in cur.args if a.role == list_role}
            taken = any(cur.has(cur.etype.role_for(_unit_key(q), bool(q.per)) or "") for q in seg_qs)
            # a new list item names its own thing and repeats a role the event already has
            new_item = bool(item) and taken and self._folded[item[0][0]:item[0][1]] not in theirs
            if not new_item:
                for q in seg_qs:
                    role = cur.etype.role_for(_unit_key(q), bool(q.per))
                    if role is not None and cur.free(role, q):
                        cur.add(_qarg(role, q, self._text))
                        cur.end = max(cur.end, seg_b)
                continue
            for q in seg_qs:
                role = probe.etype.role_for(_unit_key(q), bool(q.per))
                if role is not None and probe.free(role, q):
                    probe.add(_qarg(role, q, self._text))
            for a in last.args:
                if a.role in ("organizer", "time"):
                    probe.add(a)
            made.append(probe)
            cur = probe
        return made

    def _fill_time_org(self, d: _Draft, c_ds: list[Date], ctx_time: Date | None,
                       ctx_org: Entity | None, c: Clause) -> None:
        if not d.has("time"):
            before = [x for x in c_ds if x.start < d.trigger.start]
            date = (before[-1] if before else (c_ds[0] if c_ds else None))
            if date is not None:
                d.in_clause_date = True
                d.add(_ARGUMENT("time", self._text[date.start:date.end], date.start, date.end, None, date))
            elif ctx_time is not None:
                d.add(_ARGUMENT("time", self._text[ctx_time.start:ctx_time.end], ctx_time.start, ctx_time.end,
                                None, ctx_time))
        subject_role = d.trigger.rule.subject_role
        if not d.has("organizer") and "organizer" in d.etype.roles:
            org = agent = subject = None
            for e in self._orgs_in(c.start, d.trigger.start):
                before = self._folded[max(c.start, e.start - 2):e.start]
                if before.endswith("被") or before.endswith("由"):
                    org = agent = e  # 被全总评为…, 由市总工会主办: the agent
                    break
                if org is None and not before.endswith(("为", "向", "给", "对", "在", "与", "和", "帮助")):
                    org = subject = e  # the first ORG of the clause is its subject
            if org is None:
                org = subject = self._generic_subject(c.start, d.trigger.start)
            if org is None:
                org = subject = ctx_org
            if subject_role is not None:
                # 市总工会荣获…, 市总工会被全总评为…: the subject receives; only an agent (被/由) gives
                if subject is not None and not d.has(subject_role):
                    d.add(_ARGUMENT(subject_role, self._text[subject.start:subject.end], subject.start,
                                    subject.end, None, None))
                org = agent
            if org is not None:
                d.add(_ARGUMENT("organizer", self._text[org.start:org.end], org.start, org.end, None, None))

    def _generic_subject(self, a: int, b: int) -> Entity | None:
        """A union named by its kind rather than its name standing as the subject
        (各级工会组织, 全县各级工会, 全国工会系统: grammar.yaml ``generic_organizers``)."""
        m = self._generic_org_re.search(self._folded, a, b)
        if m is None:
            return None
        lead = self._folded[a:m.start()]
        if _NOT_SUBJECT.search(lead) or len(lead.strip(" ,，、　")) > 8:
            return None
        return Entity(self._text[m.start():m.end()], m.start(), m.end(), "ORG", "generic_organizer")

    # -- text roles ---------------------------------------------------------------------
    def _fill_text_roles(self, d: _Draft, into: _Draft | None = None) -> None:
        """Fill the text roles of ``d`` (or of ``into``, from the mention ``d``) not yet filled."""
        target = into or d
        for role, kind in d.etype.text_roles.items():
            if target.has(role):
                continue
            for a, b in self._text_role(d, kind):
                if b > a:
                    target.add(_ARGUMENT(role, self._text[a:b], a, b, None, None))

    def _stop(self, pos: int, floor: int) -> int:
        """The left limit for a phrase growing from ``pos``: the end of the figure before it."""
        i = bisect_right(self._q_ends, pos) - 1
        return max(floor, self._q_ends[i]) if i >= 0 else floor

    def _text_role(self, d: _Draft, kind: str) -> list[tuple[int, int]]:
        f = self._folded
        seg_a, seg_b = d.segment
        t = d.trigger
        if kind in ("quoted", "quoted_or_phrase"):
            qs = self._quotes_in(seg_a, seg_b)
            if d.continued:
                qs = self._quotes_in(d.start, d.end)
            if not qs:
                qs = self._quotes_in(d.clause.start, d.clause.end)
                if qs and len({x.trigger.start for x in [d]}) and qs[0][0] > t.end + 12:
                    qs = []
            if qs:
                before = [q for q in qs if q[1] <= t.start + 1]
                q = before[-1] if before else qs[0]
                return [q]
            if kind == "quoted":
                return []
            kind = "phrase"
        if kind == "phrase":
            if d.continued:
                return []
            a = grow_left(f, t.start, self._stop(t.start, seg_a), self._boundary, 14)
            if t.start - a >= 2:
                return [(a, t.end)]
            return []
        if kind == "person":
            a0, b0 = (d.start, d.end) if d.continued else (seg_a, seg_b)
            best = None
            for m in self._person_re.finditer(f, a0, b0):
                if self._in_quote(m.start()):
                    continue
                if self._in_org(m.start()):
                    continue
                s = grow_left(f, m.start(), self._stop(m.start(), a0), self._boundary, 8)
                span = (s, m.end())
                # prefer the phrase after the trigger, else the last one before it
                if best is None or (span[0] >= t.end and best[0] < t.end and not d.continued):
                    best = span
                    if span[0] >= t.end:
                        break
            return [best] if best else []
        if kind == "honor":
            a0, b0 = (d.start, d.end) if d.continued else (seg_a, seg_b)
            hs = self._honors_in(a0, b0)
            if hs:
                after = [h for h in hs if h.start >= t.start]
                h = after[0] if after else hs[-1]
                return [(h.start, h.end)]
            m = _HONOR_PHRASE.search(f, max(t.end, a0) if not d.continued else a0, b0)
            if m:
                return [m.span()]
            # a quoted title right after the trigger: 评选“最美骑手”10名
            qs = [q for q in self._quotes_in(a0 + 1, b0) if q[0] >= t.end or d.continued]
            if qs:
                return [qs[0]]
            if not d.continued:
                hs = self._honors_in(d.clause.start, d.clause.end)
                if hs:
                    return [(hs[0].start, hs[0].end)]
            return []
        if kind == "org_phrase":
            if t.rule.noun:
                a = grow_left(f, t.start, self._stop(t.start, seg_a if not d.continued else d.start),
                              self._boundary, 10)
                return [(a, t.end)]
            m = _OBJECT.match(f, t.end, seg_b)
            if m:
                b = m.end()
                # stop before a figure or a following verb
                return [(m.start(), b)]
            return []
        if kind == "org_names":
            names = self._orgs_in(t.end, d.clause.end)
            if names:
                return [(o.start, o.end) for o in names]
            if t.rule.noun:
                return []
            if self._folded[t.start:t.end] in ("挂牌", "命名"):
                stop = d.clause.end
                for q in _qs_between(self, t.end, d.clause.end):
                    stop = q
                    break
                out = []
                pos = t.end
                for m in _ORG_LIST_SPLIT.finditer(f, t.end, stop):
                    if m.start() > pos:
                        out.append((pos, m.start()))
                    pos = m.end()
                if stop > pos and len(out) >= 1:
                    out.append((pos, stop))
                return out if len(out) >= 2 else []
            return []
        return []

    # -- finishing ----------------------------------------------------------------------
    def _finish(self, d: _Draft) -> Event | None:
        has_q = any(a.quantity is not None for a in d.args)
        has_name = any(a.role in ("name",) for a in d.args)
        if not d.strong and not (has_q or d.in_clause_date or has_name):
            return None
        if self._plan_re.search(self._folded, self._sent_start.get(d.clause.sentence, d.clause.start),
                                d.trigger.start):
            return None  # 今后将…, 计划…: a plan, not an activity
        if self._purpose_re.search(self._folded, d.clause.start, d.trigger.start):
            return None  # 为促进…: a purpose
        if d.clause.heading and not has_q:
            return None
        for role in d.etype.requires:
            if not d.has(role):
                return None
        t = d.trigger
        args = sorted(d.args, key=lambda a: (a.start, a.role))
        conf = min(0.99, t.rule.confidence * (0.85 + 0.04 * min(4, len(args))))
        return _EVENT(d.etype.type, _SPAN(self._text[t.start:t.end], t.start, t.end), d.start, d.end,
                      tuple(args), conf, t.rule.id + (".continued" if d.continued else ""))


def _unit_key(q: Quantity) -> str:
    """Roles are looked up by the Simplified measure word (個 -> 个)."""
    return q.unit if q.unit in ("CNY", "%") else _simplified(q.unit)


@lru_cache(maxsize=512)
def _simplified(unit: str) -> str:
    from ..normalize.text import fold

    return fold(unit, traditional=True)


_QUOTE_SPAN = re.compile(r"[“‘「\"][^“”‘’「」\"\n]{1,40}[”’」\"]")


def _drop_quoted_names(folded: str, triggers: list[TriggerMatch]) -> list[TriggerMatch]:
    """A trigger inside a quoted name is not one when the quote names the next trigger:
    “网上安康课堂”知识竞赛 is a quiz, not a class; “技能大比武”活动 keeps its trigger."""
    spans = [m.span() for m in _QUOTE_SPAN.finditer(folded)]
    span_starts = [a for a, _ in spans]
    starts = {t.start for t in triggers}
    out = []
    for t in triggers:
        i = bisect_left(span_starts, t.start) - 1
        q = spans[i] if i >= 0 and t.end < spans[i][1] else None
        if q is not None and any(s0 in starts for s0 in range(q[1], q[1] + 3)):
            continue
        out.append(t)
    return out


def _inside(items: Sequence[T], starts: Sequence[int], ends: Sequence[int], a: int, b: int) -> list[T]:
    """The items (sorted by start) that lie inside ``[a, b)``: linear in what is returned."""
    out = []
    i = bisect_left(starts, a)
    while i < len(items) and starts[i] < b:
        if ends[i] <= b:
            out.append(items[i])
        i += 1
    return out


def _share_root(a: str, b: str) -> bool:
    """Two trigger words name the same activity when they share two characters in a row."""
    return any(a[i:i + 2] in b for i in range(len(a) - 1))


def _qarg(role: str, q: Quantity, text: str) -> Argument:
    return _ARGUMENT(role, text[q.start:q.end], q.start, q.end, q, None)


def _qs_between(ex: EventExtractor, a: int, b: int) -> Iterable[int]:
    for m in _FIGURE_START.finditer(ex._folded[a:b]):
        yield a + m.start()

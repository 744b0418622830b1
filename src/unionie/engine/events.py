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

The rooms: :mod:`.triggers` (step 1), :mod:`.state` (the document's indexes and the
walk's context), :mod:`.figures` and :mod:`.textroles` (role assignment),
:mod:`.assemble` (merging and finishing), :mod:`.grammar` (the words, from data files).
This module walks the clauses and hands each to them.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from typing import Callable, Sequence

from ..document import Date, Entity, Event, Quantity
from ..rules.loader import RulePack
from .assemble import draft_score, finish, mention_score, merge_target
from .draft import Draft, qarg
from .figures import assign_quantities, continue_event, fill_time_org, generic_subject
from .grammar import grammar
from .lists import (drop_parts, drop_triggers_in_items, honor_items, list_kind_types, named_items, opens_part,
                    part_figures)
from .segment import Clause, segment
from .state import DocState
from .textroles import fill_text_roles
from .triggers import TriggerFinder, TriggerMatch, drop_quoted_names, drop_run_ons

__all__ = ["EventExtractor", "TriggerMatch"]

_TITLE = re.compile(r"《[^《》\n]{1,60}》")


class EventExtractor:
    """Turns a folded text and its quantities, dates and entities into events. It keeps
    no state of a document (:class:`DocState` holds it), so threads may share it."""

    def __init__(self, rules: RulePack) -> None:
        self.rules = rules
        self._finder = TriggerFinder(rules)
        self._list_kinds = list_kind_types(rules)  # the types whose events list honours
        self._grammar = grammar()

    def __getstate__(self) -> dict:
        # the rules are enough to rebuild the extractor
        return {"rules": self.rules}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["rules"])  # type: ignore[misc]

    def find_triggers(self, folded: str, aligned: Callable[[int, int], bool] | None = None,
                      blocked: Sequence[tuple[int, int]] = ()) -> list[TriggerMatch]:
        """Trigger mentions, leftmost-longest, non-overlapping, in text order.

        ``aligned(a, b)`` tells whether a word of the tokenization begins or ends at ``a``
        or at ``b`` (:meth:`unionie.tokenizer.WordBoundaries.either`); a trigger whose two
        ends both fall inside words is dropped (入会 in 纳入|会员). Without it, triggers
        are not checked against words. No trigger lies in a ``blocked`` span.
        """
        return self._finder.find(folded, aligned, blocked)

    def extract(self, folded: str, text: str, quantities: Sequence[Quantity], dates: Sequence[Date],
                entities: Sequence[Entity], aligned: Callable[[int, int], bool] | None = None) -> list[Event]:
        """The events of one document (``aligned``: see :meth:`find_triggers`)."""
        clauses = segment(folded)
        st = DocState(text, folded, quantities, dates, entities, clauses, self._grammar)
        blocked = [(m.start(), m.end()) for m in _TITLE.finditer(folded)]
        blocked += [(e.start, e.end) for e in st.orgs if e.end - e.start > 3]
        triggers = drop_run_ons(drop_quoted_names(folded, self.find_triggers(folded, aligned, blocked)))
        t_starts = [t.start for t in triggers]
        for c in clauses:
            st.enter(c)
            c_trigs = triggers[bisect_left(t_starts, c.start):bisect_left(t_starts, c.end)]
            c_qs = [q for q in st.quantities_in(c.start, c.end) if q.end <= c.end]
            c_ds = [d for d in st.dates_starting_in(c.start, c.end) if d.end <= c.end]
            head_date = _head_date(st, c, c_ds)
            subject = _subject(st, c, head_date)
            if c_trigs:
                c_trigs = drop_triggers_in_items(st, self.rules, self._list_kinds, c, c_trigs)
                kept = drop_parts(st, c, c_trigs)
                if c_trigs and not kept:
                    part_figures(st, c, c_qs)  # the clause tells a part of the activity before
                else:
                    self._clause_with_triggers(st, c, kept, c_qs, c_ds)
            elif c_qs and st.sent_drafts and opens_part(st, c):
                part_figures(st, c, c_qs, people=True)  # 其中…: a part of the activity before
            elif c_qs and st.sent_drafts:
                made = continue_event(st, c, c_qs, st.sent_drafts[-1])
                for d in made:
                    fill_text_roles(st, d)
                st.drafts.extend(made)
                st.sent_drafts.extend(made)
                st.prev_drafts = made or st.prev_drafts
            elif c_qs:
                st.pending.extend((q, c.start) for q in c_qs)
            if head_date is not None:
                st.set_head_date(c, head_date)
            if subject is not None:
                st.ctx_org = subject
        return [e for e in (finish(st, d) for d in st.drafts) if e is not None]

    def _clause_with_triggers(self, st: DocState, c: Clause, c_trigs: Sequence[TriggerMatch],
                              c_qs: list[Quantity], c_ds: list[Date]) -> None:
        """A clause with triggers: its events (new or merged), their figures, text roles,
        time and organizer; the sentence's pending figures go to its first new event."""
        clause_drafts: list[Draft] = []
        active: list[Draft] = []
        for seg in st.list_segments(c.start, c.end):
            for t in [t for t in c_trigs if seg[0] <= t.start < seg[1]]:
                self._mention(st, c, t, seg, c_qs, clause_drafts, active)
        # a list of honours after one trigger: one event per honour
        items = honor_items(st, self._list_kinds, c, clause_drafts)
        clause_drafts.extend(items)
        active.extend(items)
        # figures: each goes to the event of its list item, else the nearest one before it
        left = assign_quantities(st, c, c_qs, active, st.prev_drafts)
        if left:
            # list items without a trigger of their own: 表彰劳动模范98名、先进工作者42名
            trig_segs = {d.segment for d in active}
            for seg in st.list_segments(c.start, c.end):
                seg_left = [q for q in left if seg[0] <= q.start < seg[1]]
                before = [d for d in active if d.trigger.start < seg[0]]
                if seg_left and seg not in trig_segs and before:
                    more = continue_event(st, c, seg_left, before[-1], [seg])
                    for d in more:
                        fill_text_roles(st, d)
                    clause_drafts.extend(more)
                    active.extend(more)
        # a list of quoted names before one trigger (“A”和“B”竞赛): one event per further
        # name (the clause's figures stay with the trigger's event)
        for d, names in named_items(st, c, clause_drafts):
            for lst in (clause_drafts, active):  # in text order: before the trigger's event
                i = lst.index(d)
                lst[i:i] = names
        if st.pending and clause_drafts:
            d0 = clause_drafts[0]
            for q, q_clause_start in st.pending:
                role = d0.role_of(q)
                if role is not None and d0.free(role, q):
                    d0.add(qarg(role, q, st.text))
                    d0.start = min(d0.start, q_clause_start)
            st.pending = []
        for d in clause_drafts:
            fill_time_org(st, d, c_ds, st.ctx_time, st.ctx_org, c)
        # an event begun in a headline or an earlier clause and told here (its trigger moved
        # here): the clause's subject organizes it (its time stays the one it began with)
        for d in active:
            if d not in clause_drafts and c.start <= d.trigger.start < c.end:
                fill_time_org(st, d, [], None, st.ctx_org, c)
        st.drafts.extend(clause_drafts)
        st.sent_drafts.extend(clause_drafts)
        st.prev_drafts = active or st.prev_drafts

    def _mention(self, st: DocState, c: Clause, t: TriggerMatch, seg: tuple[int, int], c_qs: list[Quantity],
                 clause_drafts: list[Draft], active: list[Draft]) -> None:
        """One trigger mention: it repeats an event being built (which it may name better)
        or starts a new one."""
        et = self.rules.types[t.type]
        target = merge_target(st, et, t, clause_drafts, st.prev_drafts, seg, c_qs)
        if target is None:
            d = Draft(et, t, c.start, c.end, c, seg, strong=not t.rule.needs_evidence)
            fill_text_roles(st, d)
            clause_drafts.append(d)
            active.append(d)
            return
        target.strong = target.strong or not t.rule.needs_evidence
        if target.clause is c and target.segment == seg and _same_word(st, target.trigger, t):
            # one word said twice before its object (集团表彰及公司年终表彰的先进个人、…): the
            # mention next to the object names the activity
            target.trigger = t
        if target.clause is not c and _names_better(st, target, t, seg, c_qs):
            target.trigger = t
        if target.clause is not c:
            fill_text_roles(st, Draft(et, t, c.start, c.end, c, seg), into=target)
        target.end = max(target.end, c.end)
        if target not in active:
            active.append(target)


def _same_word(st: DocState, a: TriggerMatch, b: TriggerMatch) -> bool:
    return st.folded[a.start:a.end] == st.folded[b.start:b.end]


def _names_better(st: DocState, target: Draft, t: TriggerMatch, seg: tuple[int, int],
                  c_qs: list[Quantity]) -> bool:
    """The mention names the activity better than the event's trigger: it says more, or
    as much from the body after a headline line that repeats it (a subtitle 慰问劳模… over
    the paragraph 春节前夕，院工会…把慰问金送到…: the body is the activity)."""
    score, have = mention_score(st, t, seg, c_qs), draft_score(target)
    if target.trigger.rule.id in t.rule.detail_of:
        # the act told after its programme, saying as much, names the activity (筹集送温暖资金
        # 42.6万元，走访慰问困难职工286户: 慰问; …推出“爱心互献”行动，…职工捐赠的…: 爱心互献)
        return score >= have
    if score != have:
        return score > have
    nl = st.folded.find("\n", target.trigger.end, t.start)
    if nl < 0:
        return False
    head_line = st.folded[st.line_start(target.trigger.start):nl].rstrip()
    # a headline ends without a clause mark; a sentence broken across lines does not
    return bool(head_line) and head_line[-1] not in _CLAUSE_MARKS


_CLAUSE_MARKS = "，,。；;：:！!？?、…"


# a yearbook entry's or a section's bracketed head before the paragraph's first words
# (【概况】 2010年，… / 【工会组织建设】 2016年，市总工会…): not part of the clause's lead
_SECTION_HEAD = re.compile(r"^\s*[【\[〔][^】\]〕\n]{1,20}[】\]〕]\s*")


def _dateline_end(st: DocState, a: int, pos: int) -> int:
    """Where a news item's dateline that opens the clause starting at ``a`` or the line holding
    ``pos`` ends (本报讯(记者 李新和), 东北网2月16日讯(记者 印蕾): engine.yaml
    ``dateline_marks``), else ``a``."""
    line = st.line_start(pos)
    for start in (max(a, line), line):
        end = st.dateline_end(start)
        if end >= 0:
            return max(a, end)
    return a


def _lead(st: DocState, a: int, b: int) -> str:
    """The words in ``[a, b)`` before a clause's date or subject, less a section head (【概况】)
    or a news item's dateline that opens them."""
    a = _dateline_end(st, a, b)
    return _SECTION_HEAD.sub("", st.folded[a:b]) if a < b else ""


def _head_date(st: DocState, c: Clause, c_ds: list[Date]) -> Date | None:
    """A date at the head of the clause (去年，… / 五年来，… / 2018年7月12日，…)."""
    for d in c_ds:
        if d.start < _dateline_end(st, c.start, d.start):
            continue  # the date of the report in its dateline (东北网2月16日讯)
        # a date that starts a line heads it, whatever an unpunctuated line before it held
        # (发布时间… 来源:系统管理\n\n“两节”期间,…: ANNOTATION.md, the head of a line)
        lead = _lead(st, max(c.start, st.line_start(d.start)), d.start)
        if not lead.strip(" 　\t\n") or st.grammar.date_lead.fullmatch(lead):
            return d
        break
    return None


def _subject(st: DocState, c: Clause, head: Date | None) -> Entity | None:
    """An ORG standing as the subject at the head of the clause."""
    e = st.first_org_from(c.start)
    if e is None or e.start >= c.end:
        e = generic_subject(st, head.end if head is not None else c.start, c.end)
        if e is None:
            return None
    lead = _lead(st, head.end if head is not None else c.start, e.start)
    if len(lead.strip()) <= 2 and not st.grammar.not_subject.search(lead) and not st.speaks(e) \
            and not st.counted(e):
        return e
    if st.grammar.host_markers and lead.endswith(st.grammar.host_markers):
        return e  # 本次比赛的主办方为解放区总工会: the host organizes what follows
    return None

"""Role assignment for figures, dates and ORGs: each figure goes to the event of its list
item (else the nearest one), a clause of figures continues the last event of its sentence,
and an event takes the clause's date and its subject as ``time`` and ``organizer``."""
from __future__ import annotations

from typing import Sequence

import regex

from ..document import Date, Entity, Quantity
from ..lexicons import may_match
from .draft import ARGUMENT, NAME, ORGANIZER, TIME, Draft, qarg
from .segment import Clause
from .state import DocState, antecedent, finer_head
from .textroles import text_role

__all__ = ["assign_quantities", "continue_event", "fill_time_org", "new_list_item"]


def assign_quantities(st: DocState, c: Clause, qs: list[Quantity], clause_drafts: list[Draft],
                      prev: list[Draft]) -> list[Quantity]:
    """Give each figure to an event of the clause; returns the figures no event took."""
    left: list[Quantity] = []
    for q in qs:
        if st.in_quoted_name(q.start):
            continue  # “争创十条公交文明示范路段”竞赛: a figure in a name counts nothing of the event
        owner = None
        in_seg = [d for d in clause_drafts if d.segment[0] <= q.start < d.segment[1]]
        cues = {id(d): cue_role(st, c, d, q) for d in clause_drafts}
        # a role cue next to the figure names its event (36名选手分别摘得: the honour, not the contest)
        cands = sorted(in_seg, key=lambda d: cues[id(d)] is None) or sorted(
            clause_drafts, key=lambda d: (cues[id(d)] is None, d.trigger.start > q.start,
                                          abs(d.trigger.start - q.start)))
        if not in_seg and cands and cues[id(cands[0])] is None and new_list_item(st, cands[0], c, q):
            left.append(q)  # its own list item: 劳动模范86名、“五一”劳动奖状32个
            continue
        for d in cands:
            role = cues[id(d)] or d.role_of(q)
            if role is not None and d.free(role, q):
                owner = (d, role)
                break
        if owner is None and not clause_drafts:
            continue
        if owner is None:
            # the role is taken in every event of the clause: a merged event repeats it
            for d in reversed(prev):
                role = d.role_of(q)
                if role is not None and d.free(role, q) and d.clause.sentence == c.sentence:
                    owner = (d, role)
                    break
        if owner is not None:
            d, role = owner
            d.add(qarg(role, q, st.text))
            d.end = max(d.end, c.end)
        else:
            left.append(q)
    return left


_HAN = regex.compile(r"\p{Han}")
_CUE_WINDOW = 6  # characters on either side of a figure where a role cue is read


def cue_role(st: DocState, c: Clause, d: Draft, q: Quantity) -> str | None:
    """The role a cue word of ``d``'s type gives ``q`` (36名选手分别摘得 → recipient_count;
    参赛选手200名 → participant_count), when one stands right before or after the figure in
    its clause; money and percentages keep their roles."""
    cues = d.etype.role_cues
    if not cues or not _countable(q):
        return None
    before = st.folded[max(c.start, q.start - _CUE_WINDOW):q.start]
    after = st.folded[q.end:min(c.end, q.end + _CUE_WINDOW)]
    own = d.role_of(q)
    for role, words in cues.items():
        # the cue picks the role among those the measure word allows, or gives one when the
        # type has none for it; it does not turn 68期 into people
        if own is not None and own != role:
            continue
        if any(w in before or w in after for w in words):
            return role
    return None


def _qualifies(st: DocState, x: Date) -> bool:
    """The date qualifies the noun right after it (2016年度优秀单位): no time of an event."""
    ends = st.grammar.attribute_date_ends
    return bool(ends) and st.folded[x.start:x.end].endswith(ends) and bool(
        _HAN.match(st.folded, x.end))


def _countable(q: Quantity) -> bool:
    """A count of people or things (not money, a percentage or a rate)."""
    return q.unit not in ("CNY", "%", "") and not (len(q.unit) == 3 and q.unit.isupper()) and not q.per


def new_list_item(st: DocState, d: Draft, c: Clause, q: Quantity) -> bool:
    """The list item (、-segment) holding ``q`` names a new thing of ``d``'s list role."""
    role = d.etype.list_role
    if role is None:
        return False
    seg = next(((a, b) for a, b in st.list_segments(c.start, c.end) if a <= q.start < b), None)
    if seg is None:
        return False
    probe = Draft(d.etype, d.trigger, seg[0], seg[1], c, seg, continued=True)
    item = text_role(st, probe, d.etype.text_roles[role])
    if not item:
        return False
    q_role = d.role_of(q)
    repeats = q_role is not None and (d.has(q_role) or any(
        d.role_of(x) == q_role for x in st.quantities_in(*d.segment)))
    return repeats and st.folded[item[0][0]:item[0][1]] not in d.texts_of(st.folded, role)


def continue_event(st: DocState, c: Clause, qs: list[Quantity], last: Draft,
                   segments: Sequence[tuple[int, int]] | None = None) -> list[Draft]:
    """A clause with figures and no trigger after an event of the same sentence.

    Figures fill roles the event still lacks. A figure whose role is taken starts a
    new event of the same type only when its list item names a new thing of the
    type's ``list_role`` (an honour, a kind of organization, a group of people):
    劳动模范27名，五一劳动奖章78名. Otherwise it is a detail and is left out.
    """
    made: list[Draft] = []
    cur = last
    list_role = last.etype.list_role
    list_kind = last.etype.text_roles.get(list_role or "")
    for seg_a, seg_b in segments if segments is not None else st.list_segments(c.start, c.end):
        seg_qs = [q for q in qs if seg_a <= q.start < seg_b and cur.role_of(q) is not None
                  and not st.in_quoted_name(q.start)]
        if not seg_qs:
            continue
        probe = Draft(last.etype, last.trigger, seg_a, seg_b, c, (seg_a, seg_b), continued=True)
        item = text_role(st, probe, list_kind) if list_kind else []
        taken = any(cur.has(cur.role_of(q) or "") for q in seg_qs)
        # a new list item names its own thing and repeats a role the event already has
        new_item = (bool(item) and taken
                    and st.folded[item[0][0]:item[0][1]] not in cur.texts_of(st.folded, list_role or ""))
        if not new_item:
            for q in seg_qs:
                role = cur.role_of(q)
                if role is not None and cur.free(role, q):
                    cur.add(qarg(role, q, st.text))
                    cur.end = max(cur.end, seg_b)
            continue
        for q in seg_qs:
            role = probe.role_of(q)
            if role is not None and probe.free(role, q):
                probe.add(qarg(role, q, st.text))
        for a in last.args:
            if a.role in (ORGANIZER, TIME):
                probe.add(a)
        made.append(probe)
        cur = probe
    return made


def fill_time_org(st: DocState, d: Draft, c_ds: list[Date], ctx_time: Date | None,
                  ctx_org: Entity | None, c: Clause) -> None:
    """``time``: the clause's date before the trigger (else its first, else the paragraph's);
    ``organizer``: the agent or subject ORG before the trigger, else the paragraph's."""
    if not d.has(TIME):
        # a date inside a quoted name (“五月风”讲坛, “迎新春送文化到基层”) is no time of the event
        # nor one inside the trigger or the event's name (元旦春节送温暖, 2011年元旦春节送温暖活动):
        # the programme's name, not when it was held
        names = [(d.trigger.start, d.trigger.end)] + [(a.start, a.end) for a in d.args if a.role == NAME]
        c_ds = [x for x in c_ds if not st.in_quoted_name(x.start)
                and not any(a <= x.start and x.end <= b for a, b in names)]
        before = [x for x in c_ds if x.start < d.trigger.start]
        # after the trigger, 2016年度优秀单位 qualifies a noun (engine.yaml attribute_date_ends)
        after = [x for x in c_ds if x.start >= d.trigger.start and not _qualifies(st, x)]
        date = before[-1] if before else (after[0] if after else None)
        sentence_start = st.sent_start.get(c.sentence, c.start)
        if date is not None and (antecedent(st.folded, date, ctx_time, sentence_start)
                                 or finer_head(st.folded, date, ctx_time, sentence_start)):
            d.in_clause_date = True  # 2022年，…，全年累计组建…: 全年 is the head's year
            date = ctx_time
        if date is not None:
            d.in_clause_date = True
            d.add(ARGUMENT(TIME, st.text[date.start:date.end], date.start, date.end, None, date))
        elif ctx_time is not None:
            d.add(ARGUMENT(TIME, st.text[ctx_time.start:ctx_time.end], ctx_time.start, ctx_time.end,
                           None, ctx_time))
    subject_role = d.trigger.rule.subject_role
    if not d.has(ORGANIZER) and ORGANIZER in d.etype.roles:
        org, agent, subject = _clause_org(st, d, c)
        if org is not None and _built(d, org):
            org = agent = subject = None  # 小企业联合会新增3家: the thing founded, not its founder
        if org is None:
            org = subject = generic_subject(st, c.start, d.trigger.start)
        if org is None and not (ctx_org is not None and ctx_org.start < st.sent_start.get(c.sentence, c.start)
                                and _territory_subject(st, c, d)):
            org = subject = ctx_org
            if subject_role is not None and ctx_org is not None \
                    and ctx_org.start < st.sent_start.get(c.sentence, c.start):
                subject = None  # a receiver is read in its sentence: the paragraph's subject is no receiver
        if subject_role is not None:
            # 市总工会荣获…, 市总工会被全总评为…: the subject receives; only an agent (被/由) gives
            if subject is not None:
                # the subject wins over a text role read after the trigger (获得…先进单位)
                d.set_args([a for a in d.args if a.role != subject_role or a.quantity is not None
                            or a.start < d.trigger.start])
                if not d.has(subject_role):
                    d.add(ARGUMENT(subject_role, st.text[subject.start:subject.end], subject.start,
                                   subject.end, None, None))
            # 王青、杨丹丹当选…; …公司…项目部员工毛铁柱、甘世润获授…: the persons named receive
            _named_receivers(st, d, c, subject_role)
            org = agent
            if org is None:
                _giver_of_sentence(st, d, subject)
                return
        if org is not None:
            for a, b in co_organizers(st, org, d.trigger.start):
                d.add(ARGUMENT(ORGANIZER, st.text[a:b], a, b, None, None))


def _territory_subject(st: DocState, c: Clause, d: Draft) -> bool:
    """The clause's subject is a territory (全国已建成…, 各地建成…; engine.yaml ``scope_subjects``),
    after a date at its head: it tells that territory's figures, organized by no one named."""
    pos = c.start
    for x in st.dates_in(c.start, d.trigger.start):
        if x.start == pos:
            pos = x.end
    while pos < d.trigger.start and st.folded[pos] in " \t\u3000，,":
        pos += 1
    return st.folded.startswith(st.grammar.scope_subjects, pos, d.trigger.start)


def _built(d: Draft, e: Entity) -> bool:
    """The ORG is read as another text role of the event (the kind built: 村工会成立后)."""
    return any(a.quantity is None and a.role not in (ORGANIZER, TIME) and a.start < e.end and e.start < a.end
               for a in d.args)


def _clause_org(st: DocState, d: Draft, c: Clause) -> tuple[Entity | None, Entity | None, Entity | None]:
    """(organizer, agent, subject) of the event in its clause: the agent of 被/由 before the trigger,
    of a relative clause ending at it (县教育工会送来的慰问金, 市总工会举办的竞赛), else the first
    ORG that stands as the subject, else the agent of 由 after it (仪式由市总工会举办)."""
    g = st.grammar
    t = d.trigger
    org = agent = subject = None
    for e in st.orgs_in(c.start, t.start):
        if st.speaks(e) or st.counted(e):
            continue  # 甘肃省总工会党组书记陈琳表示…: whom the speaker belongs to; 24个省级工会: a kind
        before = st.folded[max(c.start, e.start - 2):e.start]
        if before.endswith(g.agent_markers) or g.relative.fullmatch(st.folded, e.end, t.start) \
                or _gives_relative(st, e, t):
            return e, e, subject  # 被全总评为…, 由市总工会主办, 县教育工会送来的…: the agent
        if org is None and not before.endswith(g.object_markers):
            org = subject = e  # the first ORG of the clause is its subject
    if org is None:
        for e in st.orgs_in(t.end, c.end):
            if st.folded[max(t.end, e.start - 2):e.start].endswith(g.agent_markers[-1:]):
                return e, e, None  # …发放仪式由市总工会举办
    return org, agent, subject


_NAMES_REACH = 8  # a list of names ends at most this far before the trigger (…三名同志被评为)


def _named_receivers(st: DocState, d: Draft, c: Clause, role: str) -> None:
    """Persons named in a list right before a trigger of receiving (王青、杨丹丹当选…; 全少峰、李海伟、
    全永红三名同志被评为…) receive, in place of a group read after the trigger or of the clause's
    subject ORG (中铁七局武汉公司…项目部员工毛铁柱、甘世润获授…: their employer)."""
    names = st.persons_in(c.start, d.trigger.start)
    if not names or d.trigger.start - names[-1].end > _NAMES_REACH:
        return
    d.set_args([a for a in d.args if a.role != role or a.quantity is not None])
    for p in names:
        d.add(ARGUMENT(role, st.text[p.start:p.end], p.start, p.end, None, None))


def _gives_relative(st: DocState, e: Entity, t) -> bool:
    """The ORG (with those joined to it) stands right before a trigger that opens a relative
    clause (该局荣获河南省总工会、河南省安监局授予的…称号: they give)."""
    g = st.grammar
    if not g.relative_marker or not st.folded.startswith(g.relative_marker, t.end):
        return False
    pos = e.end
    for o in st.orgs_in(e.end, t.start):
        if st.folded[pos:o.start] not in g.organizer_joiners:
            return False
        pos = o.end
    return pos == t.start


def _giver_of_sentence(st: DocState, d: Draft, subject: Entity | None) -> None:
    """An honour received with no agent of its own (…，市总工会同时获得…) is given by the
    organizer of the sentence's honour before it (广东省总工会评定市总工会为…，…), unless
    that organizer is the one who receives or does not stand as its clause's subject
    (在今年的全国工会表彰中，…荣获…: engine.yaml ``not_subject_chars``)."""
    receiver = None if subject is None else st.folded[subject.start:subject.end]
    for prev in reversed(st.sent_drafts):
        if prev is d or prev.etype.type != d.etype.type:
            continue
        givers = [a for a in prev.args if a.role == ORGANIZER]
        if givers and all(st.folded[a.start:a.end] != receiver for a in givers) and not \
                st.grammar.not_subject.search(st.folded, prev.clause.start, givers[0].start):
            for a in givers:
                d.add(ARGUMENT(ORGANIZER, a.text, a.start, a.end, None, None))
        return


def co_organizers(st: DocState, org: Entity, stop: int) -> list[tuple[int, int]]:
    """The spans of ``org`` and of the ORGs joined to it before ``stop`` by a joiner word
    alone (广州市总工会、越秀区总工会…: both organize); a party committee and its government
    (区委、区政府) are one authority, one span. Grammar: engine.yaml ``organizer_joiners``,
    ``one_authority``."""
    g = st.grammar
    out = [(org.start, org.end)]
    last_text = st.folded[org.start:org.end]
    for e in st.orgs_in(org.end, stop):
        if e.start < out[-1][1]:
            continue
        if st.folded[out[-1][1]:e.start] not in g.organizer_joiners:
            break
        text = st.folded[e.start:e.end]
        if any(last_text.endswith(x) and text.endswith(y) for x, y in g.one_authority):
            out[-1] = (out[-1][0], e.end)
        else:
            out.append((e.start, e.end))
        last_text = text
    return out


def generic_subject(st: DocState, a: int, b: int) -> Entity | None:
    """A union named by its kind rather than its name standing as the subject in
    ``[a, b)`` (各级工会组织, 全县各级工会, 全国工会系统: grammar.yaml ``generic_organizers``)."""
    pattern = st.grammar.generic_org
    if not may_match(pattern, st.folded, a, b):  # most clauses hold none of its words: no search
        return None
    m = pattern.search(st.folded, a, b)
    if m is None:
        return None
    lead = st.folded[a:m.start()]
    if st.grammar.not_subject.search(lead) or len(lead.strip(" ,，、　")) > 8:
        return None
    return Entity(st.text[m.start():m.end()], m.start(), m.end(), "ORG", "generic_organizer")

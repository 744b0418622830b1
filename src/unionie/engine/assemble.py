"""Assembly and merging: whether a trigger repeats an event already being built (one
activity named twice), and turning a finished draft into an :class:`Event` (or dropping
it: a plan, a purpose, a heading, an event without evidence or a required role)."""
from __future__ import annotations

from operator import attrgetter

from ..document import Event, Quantity
from ..rules.loader import EventType
from .draft import ARGUMENT, EVENT, NAME, SPAN, Draft, unit_key
from .state import DocState
from .textroles import counted_groups, goods_items, text_role
from .triggers import TriggerMatch

__all__ = ["merge_target", "mention_score", "draft_score", "finish", "share_root"]


def share_root(a: str, b: str) -> bool:
    """Two trigger words name the same activity when they share two characters in a row."""
    return any(a[i:i + 2] in b for i in range(len(a) - 1))


def _conflicts(d: Draft, t: TriggerMatch, seg_qs: list[Quantity], c_qs: list[Quantity]) -> bool:
    """Two mentions that both give a figure of one role are two activities; a detail
    mention may add a figure of another unit (招聘会12场，提供岗位1.8万个)."""
    detail = t.rule.detail
    theirs = {(d.role_of(q), unit_key(q) if detail else "")
              for q in c_qs if d.segment[0] <= q.start < d.segment[1]}
    for q in seg_qs:
        r = d.role_of(q)
        if r is None:
            continue
        taken = not d.free(r, q) if detail else d.has(r)
        if taken or (r, unit_key(q) if detail else "") in theirs:
            return True
    return False


def merge_target(st: DocState, et: EventType, t: TriggerMatch, clause_drafts: list[Draft],
                 prev: list[Draft], seg: tuple[int, int], c_qs: list[Quantity]) -> Draft | None:
    """The event this trigger repeats (one activity named twice), or None for a new one."""
    if et.merge == "false":
        return None
    seg_qs = [q for q in c_qs if seg[0] <= q.start < seg[1]]
    for d in reversed(clause_drafts):
        if d.etype.type != et.type:
            continue
        if d.segment == seg or (et.merge == "true" and not _conflicts(d, t, seg_qs, c_qs)):
            return d
    # across clauses of a sentence: the same activity named again (培训班…培训) or
    # told in more detail (资助困难职工子女313名，发放助学金58.23万元)
    word = st.folded[t.start:t.end]
    for d in reversed(prev):
        if d.etype.type != et.type or _conflicts(d, t, seg_qs, c_qs):
            continue
        if et.merge == "named" and _has_own_name(st, t, seg):
            return None
        if share_root(word, st.folded[d.trigger.start:d.trigger.end]):
            return d
        # a detail of the activity (发放助学金58.23万元 after 资助困难职工子女313名); any
        # other trigger is an activity of its own (one event per trigger mention)
        if ((t.rule.detail or d.trigger.rule.id in t.rule.detail_of)
                and not _list_conflict(st, d, t, seg)):
            return d
        return None
    return None


def mention_score(st: DocState, t: TriggerMatch, seg: tuple[int, int], c_qs: list[Quantity]) -> int:
    """How much a trigger mention says: figures in its list item 2, a quoted name 1."""
    if any(seg[0] <= q.start < seg[1] for q in c_qs):
        return 2
    return 1 if st.quotes_in(seg[0], t.start + 1) else 0


def draft_score(d: Draft) -> int:
    """How much an event says so far (the scale of :func:`mention_score`)."""
    if any(a.quantity is not None for a in d.args):
        return 2
    return 1 if any(a.role == NAME for a in d.args) else 0


def _has_own_name(st: DocState, t: TriggerMatch, seg: tuple[int, int]) -> bool:
    if st.quotes_in(seg[0], t.start + 1):
        return True
    return t.start - st.grow(t.start, seg[0], 14) >= 2


def _list_conflict(st: DocState, d: Draft, t: TriggerMatch, seg: tuple[int, int]) -> bool:
    """Both mentions name their own thing of the type's list role (two groups of people)."""
    role = d.etype.list_role
    if role is None or not d.has(role):
        return False
    probe = Draft(d.etype, t, seg[0], seg[1], d.clause, seg)
    mine = text_role(st, probe, d.etype.text_roles[role])
    if not mine:
        return False
    theirs = d.texts_of(st.folded, role)
    return all(st.folded[a:b] not in theirs for a, b in mine)


_NAME_GAP = 6  # “安全生产月”活动, 以“庆丰收”为主题的慰问: a name this close names the activity


def _names_it(st: DocState, d: Draft, a) -> bool:
    """A name is evidence of the activity when it stands next to (or holds) the trigger and is
    a name, not a slogan: “指导有政策、就业有岗位” or 「求職就業有門路,崗位信息送到家」 name
    no job fair, and a quote further away names something else."""
    t = d.trigger
    text = st.folded[a.start:a.end]
    if any(ch in text for ch in "、，,；;") or st.grammar.deictic_name.match(text):
        return False  # a slogan, or a name pointing back (本届大赛: ``deictic_names``)
    if a.start >= t.end and st.grammar.name_manner.search(st.folded, t.end, a.start):
        return False  # 会员卡按照“市场法则”运转: the rule followed (``name_manner_markers``)
    return a.start - _NAME_GAP <= t.end and t.start <= a.end + _NAME_GAP


_ARG_ORDER = attrgetter("start", "role")  # (a.start, a.role), in C


_PERSON_KIND = "person"


def _people_outside_names(st: DocState, d: Draft) -> list:
    """The arguments, less a group of people read inside the words of another text role: in
    推荐评选劳动模范812名 劳动模范 is the honour, in 解放区第七届职工技能大赛 职工 is part of the
    contest's name, in 班组服务 or 新增参保单位 part of the trigger; none is a group that receives
    or takes part."""
    kinds = d.etype.text_roles
    named = [(a.start, a.end) for a in d.args
             if a.quantity is None and a.role in kinds and kinds[a.role] != _PERSON_KIND]
    t = d.trigger
    out = []
    for a in d.args:
        if kinds.get(a.role) == _PERSON_KIND:
            if a.start < t.end < a.end - 1:  # 补助患病职工: the group after the trigger's words
                a = ARGUMENT(a.role, st.text[t.end:a.end], t.end, a.end, None, None)
            if any(a.start < b and n < a.end for n, b in [*named, (t.start, t.end)]):
                continue  # 班组服务, 参保单位: the trigger's own words
        out.append(a)
    return out


def finish(st: DocState, d: Draft) -> Event | None:
    """The event of a draft, or None when it is a plan, a purpose, a heading, lacks evidence
    (a figure, a date in its clause or a name) or lacks a role its type requires."""
    has_q = any(a.quantity is not None for a in d.args)
    # a name is looked for only when nothing else is evidence (_names_it reads only)
    if not d.strong and not (has_q or d.in_clause_date
                             or any(a.role == NAME and _names_it(st, d, a) for a in d.args)):
        return None
    g = st.grammar
    if g.plan.search(st.folded, st.sent_start.get(d.clause.sentence, d.clause.start), d.trigger.start):
        return None  # 今后将…, 计划…: a plan, not an activity
    if g.purpose.search(st.folded, d.clause.start, d.trigger.start):
        return None  # 为促进…: a purpose
    if d.clause.heading and not has_q:
        return None
    for role in (d.trigger.rule.requires if d.trigger.rule.requires is not None else d.etype.requires):
        if not d.has(role):
            return None
    t = d.trigger
    counted_groups(st, d)
    goods_items(st, d)
    args = sorted(_people_outside_names(st, d), key=_ARG_ORDER)
    conf = min(0.99, t.rule.confidence * (0.85 + 0.04 * min(4, len(args))))
    return EVENT(d.etype.type, SPAN(st.text[t.start:t.end], t.start, t.end), d.start, d.end,
                 tuple(args), conf, t.rule.id + (".continued" if d.continued else ""))

"""Lists of named things after one trigger: one event per item.

A clause such as ``先后获得全国工会“五五”普法先进单位、全国安康杯竞赛优秀组织奖、…等荣誉``
or ``共頒出「傑出義務工作者獎」、「傑出青年工作者獎」以及「一人發展一會員獎」`` names several
honours after one trigger; ANNOTATION.md counts one activity per honour. This applies to
every type whose ``list_role`` is read by the ``honor`` kind (the bundled ``honor`` type, or
a pack's own): each list item after the trigger that *is* an honour (its honour phrase runs
to the end of the item, before 等荣誉/等称号) becomes an event sharing the trigger, and the
trigger words of other types inside such items (普法, 竞赛, 培训 in 普法先进单位,
安康杯竞赛优秀组织奖, 教育培训示范单位) name the honour, not an activity, and are dropped.

It also reads the parts of a list told after the activity: a clause that only tells a part
or an outcome of the activity of the clause before (其中星级驿站22个; 调解成功13件) gives no
event of its own (:func:`drop_parts`, :func:`part_figures`).
"""
from __future__ import annotations

import re
from typing import Sequence

from ..document import Quantity
from ..rules.loader import RulePack
from .draft import ARGUMENT, NAME, Draft, qarg
from .segment import Clause
from .state import DocState
from .textroles import text_role
from .triggers import TriggerMatch

__all__ = ["list_kind_types", "honor_items", "named_items", "drop_triggers_in_items", "drop_parts", "part_figures", "opens_part"]

_FIGURE = re.compile(r"\d")
_QUOTE_PAIR = re.compile(r"[”」』][“「『]")
_SLOGAN = re.compile(r"[、，,；;]")
_PERSON_KIND = "person"  # the text-role kind of a group of people


def list_kind_types(rules: RulePack) -> frozenset[str]:
    """The types whose events list honours (their ``list_role`` is an honour): found once per
    pack, by the extractor that reads it."""
    return frozenset(t.type for t in rules.types.values()
                     if t.list_role is not None and t.text_roles.get(t.list_role) == "honor")


def _is_item(st: DocState, d: Draft, a: int, b: int) -> tuple[int, int] | None:
    """The honour span of ``[a, b)`` when the item is an honour from its start to its end."""
    probe = Draft(d.etype, d.trigger, a, b, d.clause, (a, b), continued=True)
    spans = text_role(st, probe, "honor")
    if not spans:
        return None
    s0, s1 = spans[0]
    content_end = a + st.grammar.honor_item_tail.search(st.folded[a:b]).start()
    head_end = a + st.grammar.honor_item_head.match(st.folded[a:b]).end()
    if s1 < content_end - 1 or content_end - head_end < 2:
        return None
    # the honour starts near the item's start (a figure or a verb before it makes another item)
    if s0 - head_end > 14:
        return None
    # the whole item is the honour (全省厂务公开民主管理先进单位, not its last ten characters),
    # inside its quotes when it is quoted, without 等荣誉
    qs = st.quotes_in(head_end, content_end + 1)
    if len(qs) == 1 and qs[0][0] - head_end <= 1:
        return qs[0]
    if _FIGURE.search(st.folded, head_end, content_end):
        return s0, min(s1, content_end)
    return head_end, content_end


def _parts(st: DocState, a: int, b: int) -> list[tuple[int, int]]:
    """An item split at 和/及/以及 or between adjacent quotes (“A”“B”), when that gives parts."""
    cuts = [(m.start(), m.end()) for m in st.grammar.honor_joiners.finditer(st.folded, a, b) if not st.in_quote(m.start())]
    cuts += [(m.start() + 1, m.start() + 1) for m in _QUOTE_PAIR.finditer(st.folded, a, b)]
    if not cuts:
        return [(a, b)]
    out, pos = [], a
    for c0, c1 in sorted(cuts):
        if c0 > pos:
            out.append((pos, c0))
        pos = max(pos, c1)
    if pos < b:
        out.append((pos, b))
    return out


def honor_items(st: DocState, kinds: frozenset[str], c: Clause, drafts: Sequence[Draft]) -> list[Draft]:
    """New events, one per further honour listed after a trigger of the clause (of a type of
    ``kinds``: :func:`list_kind_types`)."""
    made: list[Draft] = []
    for d in drafts:
        if d.etype.type not in kinds or d.continued or d.clause is not c:
            continue
        segs = [s for s in st.list_segments(c.start, c.end) if s[1] > d.trigger.end]
        if not segs:
            continue
        first = (d.trigger.end, segs[0][1])
        items: list[tuple[int, int]] = []
        for seg in [first] + segs[1:]:
            parts = _parts(st, *seg)
            spans = [_is_item(st, d, *p) for p in parts]
            if len(parts) > 1 and all(spans):
                items.extend(s for s in spans if s is not None)
                continue
            whole = _is_item(st, d, *seg)
            if whole is None:
                break  # the list of honours ends here
            items.append(whole)
        if len(items) < 2:
            continue
        role = d.etype.list_role
        assert role is not None
        # the trigger's own event names the first honour; each further one is an event
        own = [a for a in d.args if a.role == role]
        if own and not (items[0][0] <= own[0].start < items[0][1]):
            if not any(s0 <= own[0].start < s1 for s0, s1 in items[1:]):
                continue
            # the reader took a later honour of the list (获评“A”“B”等荣誉: B): the trigger's
            # event names the first, and the later one is an event of its own
            d.args.remove(own[0])
            s0, s1 = items[0]
            d.add(ARGUMENT(role, st.text[s0:s1], s0, s1, None, None))
        for s0, s1 in items[1:]:
            probe = Draft(d.etype, d.trigger, s0, s1, c, (s0, s1), continued=True,
                          strong=d.strong)
            probe.add(ARGUMENT(role, st.text[s0:s1], s0, s1, None, None))
            made.append(probe)
    return made


def _quoted_chain(st: DocState, c: Clause, end: int) -> list[tuple[int, int]]:
    """The quoted names joined by 、/和/及/与 that end right before ``end`` (“A”和“B”竞赛:
    A and B), as content spans; [] unless there are two or more."""
    chain: list[tuple[int, int]] = []
    pos = end
    for q0, q1 in reversed(st.quotes_in(c.start, end)):
        gap = st.folded[q1 + 1:pos - 1] if chain else st.folded[q1 + 1:pos]
        if chain and not (gap == "、" or st.grammar.honor_joiners.fullmatch(gap)):
            break
        if not chain and gap:
            break
        chain.append((q0, q1))
        pos = q0
    return chain[::-1] if len(chain) > 1 else []


def named_items(st: DocState, c: Clause, drafts: Sequence[Draft]) -> list[tuple[Draft, list[Draft]]]:
    """Per event, new events, one per further name of a list of quoted names before a trigger of a type
    whose events are told apart by name (merge: named): 响应“双争双智”和“安康杯”竞赛 holds two
    contests (ANNOTATION.md: a named contest in a list is one event per name)."""
    made: list[tuple[Draft, list[Draft]]] = []
    for d in drafts:
        et = d.etype
        if et.merge != "named" or NAME not in et.roles or d.continued or d.clause is not c:
            continue
        own = {(a.start, a.end) for a in d.args if a.role == NAME}
        names: list[Draft] = []
        for q0, q1 in _quoted_chain(st, c, d.trigger.start):
            if any(q0 <= a < q1 for a, _ in own) or any(q0 <= o.trigger.start < q1 for o in drafts):
                continue  # the trigger's own name, or a name holding a trigger of its own
            if _SLOGAN.search(st.folded, q0, q1):
                continue  # a slogan (“指导有政策、就业有岗位”), not a name
            # a name joined to the trigger is its evidence, as the name next to it is
            probe = Draft(et, d.trigger, q0, q1, c, (q0, q1), continued=True, strong=True)
            probe.add(ARGUMENT(NAME, st.text[q0:q1], q0, q1, None, None))
            names.append(probe)
        if names:
            made.append((d, names))
    return made


def drop_triggers_in_items(st: DocState, rules: RulePack, kinds: frozenset[str], c: Clause,
                           c_trigs: Sequence[TriggerMatch]) -> list[TriggerMatch]:
    """The clause's triggers without those of other types that sit inside a listed honour
    after an honour trigger (普法 in 获得全国工会“五五”普法先进单位)."""
    heads = [t for t in c_trigs if t.type in kinds]
    if not heads:
        return list(c_trigs)
    h = heads[0]
    honor_type = rules.types[h.type]
    probe = Draft(honor_type, h, c.start, c.end, c, (c.start, c.end))
    out = []
    for t in c_trigs:
        if t.type in kinds or t.start < h.end:
            out.append(t)
            continue
        seg = next(((a, b) for a, b in st.list_segments(c.start, c.end) if a <= t.start < b), None)
        if seg is None:
            out.append(t)
            continue
        a = max(seg[0], h.end)
        inside = False
        for p in _parts(st, a, seg[1]):
            if p[0] <= t.start < p[1]:
                span = _is_item(st, probe, *p)
                inside = span is not None and span[0] <= t.start and t.end <= span[1] + 1
        if not inside:
            span = _is_item(st, probe, a, seg[1])
            inside = span is not None and span[0] <= t.start and t.end <= span[1] + 1
        if not inside:
            out.append(t)
    return out


def drop_parts(st: DocState, c: Clause, c_trigs: Sequence[TriggerMatch]) -> list[TriggerMatch]:
    """The clause's triggers without those that tell a part of the activity of the clause
    before (an event of their type there):

    - a trigger of a ``part`` rule, an outcome of the cases just told (受理…21起，调解成功19起:
      the 19 settled are of the 21);
    - after 其中 (``part_markers`` in ``data/engine.yaml``), a noun of the thing counted (a
      ``noun`` rule) with no quoted name before it (…新建驿站38个，其中星级驿站22个: a part, not
      one more building; 其中“甬江杯”…大赛: a contest told by name). A verb tells an act of its
      own (其中6名…被授予…称号; 其中…资助标准为每人3000元 is the activity's rate).

    The clause's figures then go to that activity where its roles are free."""
    if not st.prev_drafts:
        return list(c_trigs)
    types = {d.etype.type for d in st.prev_drafts}
    after_marker = opens_part(st, c)
    return [t for t in c_trigs
            if t.type not in types
            or not (t.rule.part or (after_marker and t.rule.noun and not st.quotes_in(c.start, t.end + 1)))]


def opens_part(st: DocState, c: Clause) -> bool:
    """The clause opens with a word that tells a part of what was just counted (其中…:
    ``part_markers`` in ``data/engine.yaml``). Without a trigger its figures never start an
    event (…收集献赠物品12.98万件，其中10.59万件已被…领走: a part of the 12.98万件)."""
    return st.grammar.part_marker.match(st.folded, c.start) is not None


def part_figures(st: DocState, c: Clause, qs: Sequence[Quantity], people: bool = False) -> None:
    """The figures of a clause that tells only a part of the activity before it (its triggers
    dropped by :func:`drop_parts`, or none) go to that activity where a role is free (…办理法律
    援助案件214件，为职工挽回经济损失1930余万元: the amount); a role it holds keeps its figure.
    With ``people`` (a part told without a trigger), so does its group of people when the
    activity names none."""
    for q in qs:
        for d in reversed(st.prev_drafts):
            role = d.role_of(q)
            if role is not None and d.free(role, q):
                d.add(qarg(role, q, st.text))
                d.end = max(d.end, c.end)
                break
    if not st.prev_drafts:
        return
    d = st.prev_drafts[-1]
    d.end = max(d.end, c.end)  # the part is told in the activity's span, figure or not
    if people:
        # …其中10.59万件已被有需要的职工群众领走: the people of a part told without a trigger are
        # the activity's when it names none
        probe = Draft(d.etype, d.trigger, c.start, c.end, c, (c.start, c.end))
        for role, kind in d.etype.text_roles.items():
            if kind == _PERSON_KIND and not d.has(role):
                for a, b in text_role(st, probe, kind)[:1]:
                    d.add(ARGUMENT(role, st.text[a:b], a, b, None, None))

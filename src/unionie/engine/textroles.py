"""Text roles: how the words of a role (beneficiary, name, honor, org_kind …) are read
around a trigger. A rule pack names, per role, one *kind* of this registry
(:data:`TEXT_ROLE_KINDS`); each kind is one function from the document state and the
event being built to the spans it reads."""
from __future__ import annotations

import re
from bisect import bisect_right
from typing import Callable

from ..lexicons import grow_left
from .draft import ARGUMENT, Draft
from .state import DocState

__all__ = ["TEXT_ROLE_KINDS", "text_role", "fill_text_roles", "counted_groups", "goods_items"]

Spans = list[tuple[int, int]]
_GOODS = "goods"  #: the text-role kind read when an event is finished


def _quoted(st: DocState, d: Draft) -> Spans | None:
    """The quote of the list item (or of the clause, near the trigger); None: no quote."""
    t = d.trigger
    qs = st.quotes_in(d.start, d.end) if d.continued else st.quotes_in(*d.segment)
    if not qs:
        qs = st.quotes_in(d.clause.start, d.clause.end)
        if qs and qs[0][0] > t.end + 12:
            qs = []
    qs = [q for q in qs if st.in_quoted_name(q[0])]  # quoted speech names nothing
    if qs:
        before = [q for q in qs if q[1] <= t.start + 1]
        return [before[-1] if before else qs[0]]
    return None


def quoted(st: DocState, d: Draft) -> Spans:
    """A quoted name: “职工书屋”."""
    return _quoted(st, d) or []


def phrase(st: DocState, d: Draft) -> Spans:
    """The noun phrase ending with the trigger (grown leftwards)."""
    if d.continued:
        return []
    t = d.trigger
    a = st.grow(t.start, d.segment[0], 14)
    return [(a, t.end)] if t.start - a >= 2 else []


def quoted_or_phrase(st: DocState, d: Draft) -> Spans:
    """A quoted name, else the phrase ending with the trigger."""
    q = _quoted(st, d)
    return q if q is not None else phrase(st, d)


def quoted_or_activity(st: DocState, d: Draft) -> Spans:
    """A quoted name, else the name of an activity told before its head noun (职工重大疾病医疗互助
    活动, 福州市职工温暖工程医疗互助活动: grammar.yaml ``activity_heads``): the phrase grown
    leftwards from the trigger, with words of its own before it that are no date, figure or group
    of people (开展慰问活动, 春节慰问活动, 困难职工帮扶活动 name nothing)."""
    q = _quoted(st, d)
    if q is not None or d.continued:
        return q or []
    t, g = d.trigger, st.grammar
    m = g.activity_head.match(st.folded, t.end)
    if m is None or (g.goods_verbs is not None and g.goods_verbs.fullmatch(st.folded, t.start, t.end)):
        return []  # 职工互助保障计划赠送活动: a giving verb's words before it say what is given
    floor = max([d.segment[0]] + [x.end for x in st.dates_in(d.segment[0], t.start)])
    a = grow_left(st.folded, t.start, st.stop(t.start, floor), g.boundary, _NAME_GROW)
    while a < t.start and st.folded[a] in _PHRASE_END:
        a += 1
    if t.start - a < 2 or g.person.fullmatch(st.folded, a, t.start) or \
            st.folded.endswith(g.person_head_words, a, t.start):
        return []
    return [(a, m.end())]


_NAME_GROW = 14  # how far an activity's name grows before its trigger


def person(st: DocState, d: Draft) -> Spans:
    """A group of people (困难职工, 一线职工): the phrase after the trigger, else the last before;
    the ORG a giving verb gives to (评定市总工会为…: engine.yaml ``giving_verbs``)."""
    t = d.trigger
    given = _given_org(st, d)
    if given is not None:
        return [given]
    a0, b0 = (d.start, d.end) if d.continued else _places_joined(st, d)
    best = None
    for m in st.grammar.person.finditer(st.folded, a0, b0):
        if st.in_quote(m.start()) or st.in_org(m.start()):
            continue
        # the group after an honour's name (全国五一劳动奖状集体, 劳动奖章获得者) starts after it
        floor = max([a0] + [h.end for h in st.honors_in(a0, m.start())])
        if st.folded.endswith(st.grammar.honor_object_heads, a0, m.start()):
            floor = m.start()  # 劳动奖章获得者: the holders, after the honour's own head
        span = (_places_left(st, st.grow(m.start(), floor, 8), a0), m.end())
        if _donors(st, span) or st.folded.endswith(st.grammar.employers, *span) or \
                st.folded.startswith(st.grammar.locatives, span[1]):
            continue  # the donors, the employers (用人单位), a place (在企业内部: grammar.yaml)
        if best is None or (span[0] >= t.end and best[0] < t.end and not d.continued) or \
                (span[1] <= t.start and span[0] <= best[1] and best[1] <= span[1]):
            best = span  # the phrase grown over the group before it is one group (企业困难职工)
            if span[0] >= t.end:
                break
    return [best] if best else []


def _given_org(st: DocState, d: Draft) -> tuple[int, int] | None:
    """The ORG right after a giving verb (授予县总工会…, 评定了市总工会为…): the one given to."""
    t = d.trigger
    if d.continued or st.folded[t.start:t.end] not in st.grammar.giving_verbs:
        return None
    pos = t.end + st.folded.startswith(st.grammar.perfective, t.end)
    e = st.first_org_from(pos)
    return (e.start, e.end) if e is not None and e.start == pos and e.end <= d.segment[1] else None


def _places_joined(st: DocState, d: Draft) -> tuple[int, int]:
    """The mention's list item, with the items a list mark between two one-character places
    joins to it (慰问省、市劳模59人次: 省、市劳模 is one group)."""
    f, places = st.folded, st.grammar.place_chars
    segs = st.list_segments(d.clause.start, d.clause.end)
    i = next((k for k, s in enumerate(segs) if s == d.segment), None)
    if i is None:
        return d.segment
    a, b = d.segment
    j = i
    while j + 1 < len(segs) and b < len(f) and f[b] == "、" and f[b - 1] in places \
            and segs[j + 1][0] < len(f) and f[segs[j + 1][0]] in places:
        j += 1
        b = segs[j][1]
    return a, b


def _places_left(st: DocState, start: int, floor: int) -> int:
    """Grow a phrase starting with a one-character place over the places joined before it
    (市劳模 -> 省、市劳模)."""
    f, places = st.folded, st.grammar.place_chars
    while start - 2 >= floor and f[start] in places and f[start - 1] == "、" and f[start - 2] in places:
        start -= 2
    return start


def _donors(st: DocState, span: tuple[int, int]) -> bool:
    """The group gives of its own: a word of donating follows it (组织机运队职工捐款; 职工捐赠的…:
    grammar.yaml ``donor_verbs``) and no word makes it the object before it (为困难职工捐款)."""
    g = st.grammar
    return (st.folded.startswith(g.donor_verbs, span[1])
            and not st.folded.endswith(g.object_markers, max(0, span[0] - 2), span[0]))


def honor(st: DocState, d: Draft) -> Spans:
    """An honour: a HONOR entity, an honour phrase, or a quoted title after the trigger."""
    t = d.trigger
    a0, b0 = (d.start, d.end) if d.continued else d.segment
    hs = st.honors_in(a0, b0)
    if hs:
        after = [h for h in hs if h.start >= t.start]
        h = after[0] if after else hs[-1]
        return [(h.start, h.end)]
    m = st.grammar.honor_phrase.search(st.folded, max(t.end, a0) if not d.continued else a0, b0)
    if m:
        # an honour phrase does not start inside a date (2016年度优秀单位: not 度优秀单位)
        i = bisect_right(st.date_starts, m.start()) - 1
        a = st.dates[i].end if i >= 0 and st.dates[i].end > m.start() else m.start()
        a = _after_figure(st, a)  # nor inside a figure (8个山东省…奖状: not 个山东省…)
        # a bare head after a quoted title (授予“模范职工之家”称号): the title is the honour
        title = [q for q in st.quotes_in(max(a0, a - 42), a) if q[1] + 1 == a]
        if title and st.grammar.honor_phrase.fullmatch(st.folded, a, m.end()) and m.end() - a <= _BARE_HEAD:
            return [title[0]]
        return [(a, m.end())] if m.end() - a >= 2 else []
    # a quoted title right after the trigger: 评选“最美骑手”10名 (not a quoted name of the ones
    # honoured: 授予“煤炭公司工会”…“模范职工之家”称号)
    qs = [q for q in st.quotes_in(a0 + 1, b0) if (q[0] >= t.end or d.continued) and not st.in_org(q[0])]
    if qs:
        return [qs[0]]
    if not d.continued:
        hs = st.honors_in(d.clause.start, d.clause.end)
        if hs:
            return [(hs[0].start, hs[0].end)]
    return []


def _after_figure(st: DocState, pos: int) -> int:
    """``pos``, or the end of the figure it lies inside (its measure word)."""
    i = bisect_right(st.q_starts, pos) - 1
    q = st.quantities[i] if i >= 0 else None
    return q.end if q is not None and q.start < pos < q.end else pos


_BARE_HEAD = 2  # 称号, 荣誉, 奖: a head of two characters at most with no words of its own

#: the object of a verb: up to a figure, a stop or a list mark
_OBJECT = re.compile(r"[^\d，,。；;、：:\s]{2,16}")


def org_phrase(st: DocState, d: Draft) -> Spans:
    """A kind of organization: the phrase ending with a noun trigger, the object after a verb, or
    the subject before a verb that has no object (小企业联合会新增3家, 村工会成立后)."""
    t = d.trigger
    if t.rule.noun:
        a = st.grow(t.start, d.segment[0] if not d.continued else d.start, 10)
        if a == t.start and not st.quantities_in(t.end, d.segment[1]):
            # the trigger's words alone and nothing they count (开展试点): a counted ORG names the
            # kind better (not in 县区工会新建职工书屋12家, where the figure counts the 书屋)
            return _counted_kind(st, d) or [(a, t.end)]
        return [(a, t.end)]
    if not d.continued and _no_object(st, t.end, d.segment[1]):
        # where the rule reads its subject as a role of its own (org.founded: the union founded
        # is its name), the subject is that role, not the kind built
        return ([] if t.rule.subject_role else _built_subject(st, d)) or _counted_kind(st, d)
    # the object ends at a figure however written (职工宣讲团11个 and 职工宣讲团十一个 alike)
    stop = st.first_figure(t.end, d.segment[1])
    m = _OBJECT.match(st.folded, t.end, d.segment[1] if stop is None else stop)
    return [(m.start(), m.end())] if m else []


def _counted_kind(st: DocState, d: Draft) -> Spans:
    """An ORG counted by a figure before the trigger in its list item names the kind (已有24个省级
    工会开展试点; 推动1101家非公企业工会完成民主换届), where the words of the trigger name none."""
    if d.continued:
        return []
    kinds = [e for e in st.orgs_in(d.segment[0], d.trigger.start) if st.counted(e)]
    return [(kinds[-1].start, kinds[-1].end)] if kinds else []


_FIGURE_HEAD = 4  # a figure starting right after the verb: 3家, 三家, 十二个 (numerals and a measure word)


def _no_object(st: DocState, pos: int, end: int) -> bool:
    """Nothing a verb acts on follows ``pos``: the list item ends, a figure follows (新增3家), or
    a word of its completion (成立后, 建成投用: engine.yaml ``built_subject_after``)."""
    g = st.grammar
    if not g.built_subject_after:
        return False
    rest = st.folded[pos:end].rstrip(" ，,。；;、").lstrip(" ")  # 新增 3 家: a space pasted before the figure
    pos = end - len(st.folded[pos:end].lstrip(" "))
    return not rest or st.first_figure(pos, min(end, pos + _FIGURE_HEAD)) == pos or rest.startswith(g.built_subject_after)


def built_subject(st: DocState, d: Draft) -> tuple[int, int] | None:
    """The thing founded standing right before a founding verb without an object: the ORG
    ending there, past an adverb (…联合会正式建成: engine.yaml ``built_subject_adverbs``); a
    phrase that is no ORG (民主换届, 当年新建) is not read."""
    t = d.trigger
    end = t.start
    for w in st.grammar.built_subject_adverbs:
        if st.folded.endswith(w, d.segment[0], end):
            end -= len(w)
            break
    orgs = st.orgs_in(d.segment[0], end)
    return (orgs[-1].start, end) if orgs and orgs[-1].end == end else None


def _built_subject(st: DocState, d: Draft) -> Spans:
    span = built_subject(st, d)
    return [span] if span is not None else []


def org_names(st: DocState, d: Draft) -> Spans:
    """The ORGs after the trigger, or a bare list of names after a naming trigger (挂牌…)."""
    t = d.trigger
    # an ORG counted by a figure names a kind, not one union (新建非公企业工会632家: org_kind)
    names = [o for o in st.orgs_in(t.end, d.clause.end) if not st.counted(o)]
    if names:
        return [(o.start, o.end) for o in names]
    if t.rule.noun or st.folded[t.start:t.end] not in st.grammar.org_list_triggers:
        return []
    first = st.first_figure(t.end, d.clause.end)
    stop = d.clause.end if first is None else first
    out = []
    pos = t.end
    for m in st.grammar.org_list_split.finditer(st.folded, t.end, stop):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if stop > pos and len(out) >= 1:
        out.append((pos, stop))
    return out if len(out) >= 2 else []


def goods(st: DocState, d: Draft) -> Spans:
    """Goods given (送上慰问金和慰问品, 送去饱含深情的慰问包和慰问食品): each phrase in the event's clauses
    that ends in a goods head, ends its noun phrase and follows a giving verb in its clause
    (grammar.yaml ``goods_heads``, ``goods_verbs``); not in a quote or an ORG. Read when the event
    is finished (:func:`goods_items`), so that figures of the items come first."""
    g = st.grammar
    if g.goods is None or g.goods_verbs is None:
        return []
    out: Spans = []
    for m in g.goods.finditer(st.folded, d.start, d.end):
        if st.in_quote(m.start()) or st.in_org(m.start()) or not _ends_phrase(st, m.end(), d.end):
            continue
        floor = max([d.start] + [x.end() for x in _CLAUSE_MARK.finditer(st.folded, d.start, m.start())])
        verbs = list(g.goods_verbs.finditer(st.folded, floor, m.start()))
        if verbs:
            out.append((st.grow(m.start(), verbs[-1].end(), 12), m.end()))
    return out


_PHRASE_END = frozenset("，,。；;、：:！!？? \n")  # marks that end a noun phrase
_CLAUSE_MARK = re.compile(r"[，,。；;！!？?\n]")  # marks that end a clause


def _ends_phrase(st: DocState, pos: int, end: int) -> bool:
    """The noun phrase ends at ``pos``: a mark, the clause's end, or a boundary word (和, 等 …)."""
    return pos >= end or st.folded[pos] in _PHRASE_END or any(
        st.folded.startswith(w, pos) for w in st.grammar.boundary.words)


#: the kinds of text role a rule pack may name, each a reader of spans
TEXT_ROLE_KINDS: dict[str, Callable[[DocState, Draft], Spans]] = {
    "quoted": quoted, "quoted_or_phrase": quoted_or_phrase, "quoted_or_activity": quoted_or_activity, "phrase": phrase, "person": person,
    "honor": honor, "org_phrase": org_phrase, "org_names": org_names, "goods": goods,
}


def text_role(st: DocState, d: Draft, kind: str) -> Spans:
    """The spans a text role of ``kind`` reads for the event ``d``."""
    reader = TEXT_ROLE_KINDS.get(kind)
    return reader(st, d) if reader is not None else []


def fill_text_roles(st: DocState, d: Draft, into: Draft | None = None) -> None:
    """Fill the text roles of ``d`` (or of ``into``, from the mention ``d``) not yet filled."""
    target = into or d
    for role, kind in d.etype.text_roles.items():
        if target.has(role) or kind == _GOODS:
            continue  # goods are read when the event is finished (goods_items)
        for a, b in text_role(st, d, kind):
            if b > a:
                target.add(ARGUMENT(role, st.text[a:b], a, b, None, None))


_PERSON = "person"
_REACH = 40  # how far after a figure the words of its group are looked for


def counted_groups(st: DocState, d: Draft) -> None:
    """A figure of ``d`` followed by a group of people counts that group (158名困难职工家庭子女,
    共有48个困难职工家庭从中受益): the figure counts people (the role the type gives
    ``people_measure``, here in place of items), and the group fills the type's ``person`` role
    when the event has none (engine.yaml ``people_measure``, ``counted_group_gap``)."""
    people = d.etype.role_for(st.grammar.people_measure, False)
    if people is None:
        return
    if not d.has(people):
        for i, a in enumerate(d.args):
            q = a.quantity
            if q is not None and q.unit not in ("CNY", "%") and not q.per \
                    and st.people_after(q.end, q.end + _REACH):
                d.set_args(d.args[:i] + [ARGUMENT(people, a.text, a.start, a.end, q, None)] + d.args[i + 1:])
                break
    group_role = next((r for r, k in d.etype.text_roles.items() if k == _PERSON), None)
    if group_role is None:
        return
    for a in d.args:
        if a.role == people and a.quantity is not None and _named_members(st, d, a, group_role):
            return
    if d.has(group_role):
        return
    for a in d.args:
        if a.role == people and a.quantity is not None:
            span = st.group_after(a.end, a.end + _REACH)
            if span is not None:
                d.add(ARGUMENT(group_role, st.text[span[0]:span[1]], span[0], span[1], None, None))
                return


def _named_members(st: DocState, d: Draft, count: ARGUMENT, role: str) -> bool:
    """The ones named before 等 and a count of people (“煤炭公司工会”、“煤矸发电厂工会”等18个):
    they fill ``role`` in place of a group read right after the count, or of none."""
    marker = st.grammar.members_marker
    end = count.start - len(marker)
    if not marker or end <= d.clause.start or not st.folded.startswith(marker, end):
        return False
    kind = st.group_after(count.end, count.end + _REACH)
    mine = [a for a in d.args if a.role == role]
    if mine and not (kind is not None and all(kind[0] <= a.start < kind[1] for a in mine)):
        return False  # the group is read elsewhere: it stays
    spans = _members_before(st, end, d.clause.start)
    named = [a for a in d.args if a.quantity is None and a.role != role]
    if not spans or any(a.start < y and x < a.end for x, y in spans for a in named) or any(
            st.honors_in(x, y) or st.grammar.honor_phrase.fullmatch(st.folded, x, y) for x, y in spans):
        return False  # the honours of the list (「…」以及「…」等逾200个奖项), not who received them
    d.set_args([a for a in d.args if a.role != role])
    for a, b in spans:
        d.add(ARGUMENT(role, st.text[a:b], a, b, None, None))
    return True


def _members_before(st: DocState, end: int, floor: int) -> Spans:
    """The names of a list ending at ``end``: the quoted names joined by 、 (“A”、“B”等), else
    the ORG or the phrase that ends there."""
    f = st.folded
    quoted: Spans = []
    pos = end
    for q in reversed(st.quotes_in(floor, end)):
        if q[1] + 1 != pos:
            break
        quoted.append(q)
        pos = q[0] - 1  # the opening quote
        if pos - 1 > floor and f[pos - 1] == "、":
            pos -= 1
    if quoted:
        return quoted[::-1]
    orgs = st.orgs_in(floor, end)
    if orgs and orgs[-1].end == end:
        return [(orgs[-1].start, end)]  # 武汉长江精工集团有限公司等60个集体: the name whole
    a = st.grow(end, floor, 16)
    return [(a, end)] if end - a >= 2 else []


def goods_items(st: DocState, d: Draft) -> None:
    """The goods given, in the type's ``goods`` role, when no figure counts the items (400件凉茶、
    1500公斤绿豆…等慰问物资: the figures are the items)."""
    role = next((r for r, k in d.etype.text_roles.items() if k == _GOODS), None)
    if role is None or d.has(role):
        return
    for a, b in goods(st, d):
        d.add(ARGUMENT(role, st.text[a:b], a, b, None, None))

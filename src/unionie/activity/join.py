"""Events that report the same real-world activity, joined into one :class:`Activity`.

Steps (each rule with an example in docs/activities.md):

1. every event becomes a :class:`Mention` with its canonical organizer
   (:mod:`.organizer`), time (:mod:`.timing`), key figures, name, edition and whether its
   clause is an aggregate (全年/累计/共/全市 …: ``is_total``);
2. near-duplicate documents are found (:mod:`.neardup`) and each event of a copy is
   joined to the event of the original with the same type and the most agreeing figures,
   else whose clause contains the other's (rapidfuzz partial ratio >= 85): rule ``repost``;
3. candidates are blocked by (type x organizer x year) and, inside a block, only mentions
   sharing a figure or a name are compared, so the cost stays near linear;
4. two mentions join when nothing keeps them apart (another organizer, another year or
   month, another edition 第二届/第三届, a key figure of the same role and unit that
   differs) and they agree on a name (rule ``same name``), on two or more key figures
   (``figures agree``) or on one distinctive figure (``one figure``: money >= 1000 元 or a
   count >= 20), or, in one document, on one figure between the opening paragraph and a
   later one (``summary and detail``). A join of two groups is checked against every pair
   of their mentions.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterator

from ..document import Document, json_number
from ..normalize.text import fold
from .cues import cues
from .neardup import NearDuplicate
from .organizer import DocContext, Organizer, _head_end
from .timing import When, event_when, title_year

__all__ = ["Figure", "Mention", "Activity", "Join", "build_mentions"]

#: roles whose figures identify an activity (and conflict when they differ)
KEY_ROLES = ("amount", "beneficiary_count", "participant_count", "trainee_count", "recipient_count",
             "audience_count", "visitor_count", "case_count", "member_count", "org_count", "count",
             "items")
_EDITION = re.compile(r"(第[一二三四五六七八九十百零〇\d]+|首)(届|期|次|批|季)")
_STRIP = re.compile(r"[\s\"'“”‘’《》「」『』〈〉()（）【】、，。；：:,.!！?？·—\-]+")
_CN = {"首": 1, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


@dataclass(frozen=True, slots=True)
class Figure:
    role: str
    value: Decimal
    unit: str
    family: str
    qualifier: str
    per: tuple[str, ...]
    text: str
    start: int = -1

    def agrees(self, other: "Figure") -> bool:
        if self.family != other.family or self.per != other.per:
            return False
        if self.value == other.value:
            return True
        if "exact" in (self.qualifier, other.qualifier) and self.qualifier == other.qualifier:
            return False
        hi = max(abs(self.value), abs(other.value))
        return hi > 0 and abs(self.value - other.value) / hi <= Decimal("0.02")

    @property
    def distinctive(self) -> bool:
        d = cues()["distinctive"]
        if self.unit == "CNY":
            return self.value >= d["money_min"]
        return self.value >= d["count_min"]

    def to_dict(self) -> dict[str, Any]:
        return {"role": self.role, "value": json_number(self.value), "unit": self.unit,
                "qualifier": self.qualifier, "per": list(self.per), "text": self.text}


@dataclass(slots=True)
class Mention:
    """One event of one document, with what the joining reads from it."""

    doc_id: str
    event: int
    start: int
    end: int
    text: str
    type: str
    organizer: Organizer
    when: When
    figures: tuple[Figure, ...]
    name: str | None
    edition: int | None
    is_total: bool
    total_cue: str | None
    opening: bool = False
    doc: int = 0  # the document's position in the collection (doc_ids need not be unique)  # in the document's head or first paragraph (a headline, a summary paragraph)

    def to_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "event": self.event, "start": self.start, "end": self.end,
                "text": self.text, "organizer_written": self.organizer.written,
                "organizer_source": self.organizer.source, "time_source": self.when.source,
                "is_total": self.is_total}


@dataclass(frozen=True, slots=True)
class Join:
    """Why mentions ``a`` and ``b`` (indices into the activity's mentions) are one activity."""

    a: int
    b: int
    rule: str
    why: str

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "rule": self.rule, "why": self.why}


@dataclass(slots=True)
class Activity:
    """One real-world activity and every mention of it."""

    id: str
    mentions: list[Mention]
    joins: list[Join] = field(default_factory=list)

    @property
    def lead(self) -> Mention:
        """The mention the activity's organizer, time and figures are read from: a resolved
        organizer first, then the most figures, then the earliest."""
        return max(self.mentions, key=lambda m: (m.organizer.resolved, len(m.figures), -self.mentions.index(m)))

    @property
    def type(self) -> str:
        return self.mentions[0].type

    @property
    def organizer(self) -> Organizer:
        return self.lead.organizer

    @property
    def when(self) -> When:
        lead = self.lead
        if lead.when.year is not None:
            return lead.when
        return next((m.when for m in self.mentions if m.when.year is not None), lead.when)

    @property
    def year(self) -> int | None:
        return self.when.year

    @property
    def is_total(self) -> bool:
        return self.lead.is_total

    @property
    def name(self) -> str | None:
        return next((m.name for m in self.mentions if m.name), None)

    @property
    def figures(self) -> dict[str, list[Figure]]:
        """The figures by role: the lead mention's, plus those of other mentions it lacks."""
        out: dict[str, list[Figure]] = {}
        for m in [self.lead] + [m for m in self.mentions if m is not self.lead]:
            for f in m.figures:
                have = out.setdefault(f.role, [])
                if not any(f.agrees(g) for g in have) and not (m is not self.lead and any(
                        f.family == g.family for g in have)):
                    have.append(f)
        return out

    def money(self) -> Decimal | None:
        vals = [f.value for f in self.figures.get("amount", ()) if f.unit == "CNY" and not f.per]
        return sum(vals, Decimal(0)) if vals else None

    def counts(self) -> dict[str, Decimal]:
        """Counts by unit (measure word as written, 人 人次 户 场 …), rates and money left out."""
        out: dict[str, Decimal] = {}
        for role, figs in self.figures.items():
            if role == "amount":
                continue
            for f in figs:
                if f.unit in ("CNY", "%") or f.per:
                    continue
                unit = fold(f.unit)
                out[unit] = out.get(unit, Decimal(0)) + f.value
        return out

    def to_dict(self) -> dict[str, Any]:
        o = self.organizer
        return {
            "activity_id": self.id,
            "type": self.type,
            "organizer": {"name": o.name, "region": o.region, "code": o.code, "level": o.level,
                          "resolved": o.resolved, "source": o.source},
            "year": self.when.year, "month": self.when.month, "period": self.when.period,
            "time_source": self.when.source,
            "name": self.name,
            "is_total": self.is_total,
            "figures": {r: [f.to_dict() for f in fs] for r, fs in self.figures.items()},
            "mentions": [m.to_dict() for m in self.mentions],
            "joined": [j.to_dict() for j in self.joins],
        }


# -- mentions -------------------------------------------------------------------------------
def _norm_name(text: str) -> str:
    return _STRIP.sub("", fold(text))


def _edition(text: str) -> int | None:
    m = _EDITION.search(fold(text))
    if not m:
        return None
    num = m.group(1).lstrip("第")
    if num.isdigit():
        return int(num)
    if num in _CN:
        return _CN[num]
    if len(num) == 2 and num[0] == "十":
        return 10 + _CN.get(num[1], 0)
    if len(num) >= 2 and num[-1] == "十":
        return _CN.get(num[0], 0) * 10
    if len(num) == 3 and num[1] == "十":
        return _CN.get(num[0], 0) * 10 + _CN.get(num[2], 0)
    return None


def _total_cue(text: str, doc_text: str, ev: Any) -> str | None:
    """The aggregate cue (全年, 累计, 共, 全市 …) before the event's first figure, in its clause
    or the part of its sentence before it, unless a negative word (共同, 全体职工 …) covers it."""
    c = cues()
    first_fig = min((a.start for a in ev.arguments if a.quantity is not None), default=ev.end)
    s = ev.start
    floor = max(0, s - 60)
    while s > floor and doc_text[s - 1] not in "。；;！!？?\n":
        s -= 1
    window = fold(doc_text[s:first_fig])
    for neg in c["total_negatives"]:
        window = window.replace(neg, "□" * len(neg))
    for cue in sorted(c["total_cues"], key=len, reverse=True):
        if cue in window:
            return cue
    return None


def build_mentions(doc: Document, position: int = 0) -> list[Mention]:
    """The mentions of one document's events, in the order of ``doc.events``."""
    ctx = DocContext(doc.text)
    head_end = _head_end(ctx.folded)
    hy = title_year(ctx.folded[:head_end])
    unit_of = cues()["unit_of"]
    opening_end = _opening_end(doc.text)
    out = []
    for i, ev in enumerate(doc.events):
        org_arg = ev.arg("organizer")
        organizer = ctx.resolve(org_arg.text if org_arg else None)
        figs = []
        for a in ev.arguments:
            q = a.quantity
            if q is None or a.role not in KEY_ROLES:
                continue
            fam = "CNY" if q.unit == "CNY" else unit_of.get(fold(q.unit), fold(q.unit))
            figs.append(Figure(a.role, q.value, q.unit, fam, q.qualifier, tuple(q.per), a.text, a.start))
        names = [a.text for a in ev.args("name")]
        clause = doc.text[ev.start:ev.end]
        name = _norm_name(names[0]) if names else None
        if name is not None and len(name) < 4:  # 新, 暖心: too short to tell one activity from another
            name = None
        edition = _edition(names[0]) if names else None
        if edition is None:
            edition = _edition(clause)
        cue = _total_cue(clause, doc.text, ev)
        out.append(Mention(doc.doc_id or "", i, ev.start, ev.end, clause, ev.type, organizer,
                           event_when(ev, doc.published, hy, head_end), tuple(figs), name or None, edition,
                           cue is not None, cue, ev.start < opening_end, position))
    return out


def _opening_end(text: str) -> int:
    """The end of the head and first paragraph: where a headline or a summary paragraph ends."""
    pos = 0
    for line in text.split("\n"):
        pos += len(line) + 1
        if len(line.strip()) >= 30 and not re.search(r"来源|发布|编辑|作者", line):
            return pos
    return pos


# -- joining ---------------------------------------------------------------------------------
def _apart(a: Mention, b: Mention) -> str | None:
    """Why two mentions cannot be one activity, or None."""
    if a.type != b.type:
        return "another type"
    if a.doc != b.doc and a.organizer is not b.organizer and not a.organizer.compatible(b.organizer):
        return "another organizer"
    if a.doc == b.doc and a.organizer.key != b.organizer.key:  # (a repost's mention shares its original's)
        return "another organizer"
    if a.when.key != b.when.key and "?" not in (a.when.key, b.when.key):
        return "another year"
    if a.when.month and b.when.month and a.when.month != b.when.month:
        return "another month"
    if a.edition is not None and b.edition is not None and a.edition != b.edition:
        return "another edition"
    if _figures_conflict(a, b):
        return "another figure"
    return None


def _together(a: Mention, b: Mention) -> tuple[str, str] | None:
    """The rule and reason that join two mentions (nothing keeping them apart), or None."""
    if a.name and b.name:
        from rapidfuzz import fuzz

        if a.name == b.name or fuzz.ratio(a.name, b.name) >= 90:
            return "same name", f"same name: {a.name}"
    agreeing = []
    overlap = a.doc == b.doc and a.start < b.end and b.start < a.end
    for f in a.figures:
        for g in b.figures:
            if overlap and f.start != g.start:
                # one sentence read as two events, each with its own 215份: a list of two
                # items (工资专项集体合同215份、女职工专项集体合同215份), not one activity
                continue
            if f.agrees(g) and not any(f.agrees(x) for x in agreeing):
                agreeing.append(f)
                break
    if len(agreeing) >= 2:
        return "figures agree", "figures agree: " + ", ".join(f.text for f in agreeing)
    if len(agreeing) == 1 and agreeing[0].distinctive:
        return "one figure", f"one distinctive figure agrees: {agreeing[0].text}"
    if len(agreeing) == 1 and a.doc == b.doc and a.opening != b.opening:
        return "summary and detail", f"the opening paragraph sums up the detail: {agreeing[0].text}"
    return None


class _Groups:
    """Union-find over mention numbers, keeping each group's members and joins."""

    def __init__(self, mentions: list[Mention]) -> None:
        self.mentions = mentions
        self.parent = list(range(len(mentions)))
        self.members: dict[int, list[int]] = {i: [i] for i in range(len(mentions))}
        self.joins: dict[int, list[tuple[int, int, str, str]]] = defaultdict(list)

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, i: int, j: int, rule: str, why: str, check: bool = True) -> bool:
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return False
        if check:
            for x in self.members[ri]:
                for y in self.members[rj]:
                    if _apart(self.mentions[x], self.mentions[y]) is not None:
                        return False
        if len(self.members[ri]) < len(self.members[rj]):
            ri, rj = rj, ri
        self.parent[rj] = ri
        self.members[ri].extend(self.members.pop(rj))
        self.joins[ri].extend(self.joins.pop(rj, []))
        self.joins[ri].append((i, j, rule, why))
        return True


def _align_repost(groups: _Groups, by_doc: dict[str, list[int]], dup: NearDuplicate, names: list[str]) -> None:
    """Join each event of a copy to the event of the original that reads the same: the most
    agreeing figures, else the clause found in the other (rapidfuzz partial ratio >= 85; a
    copy with other punctuation may cut its clauses elsewhere). The copy's mention then takes
    the original's organizer and time: it is the same report, whatever its new head says."""
    from rapidfuzz import fuzz

    orig = by_doc.get(dup.original, [])
    for j in by_doc.get(dup.copy, []):
        mj = groups.mentions[j]
        best, score = None, 0.0
        for i in orig:
            mi = groups.mentions[i]
            if (mi.organizer.resolved and mj.organizer.resolved and not mi.organizer.compatible(mj.organizer)):
                continue  # the same body under another union's title is that union's (a template)
            if mi.type != mj.type or _figures_conflict(mi, mj) or (
                    mi.edition is not None and mj.edition is not None and mi.edition != mj.edition):
                continue
            agree = sum(1 for f in mi.figures if any(f.agrees(g) for g in mj.figures))
            a, b = _norm_name(mi.text), _norm_name(mj.text)
            text_score = fuzz.partial_ratio(a, b) if min(len(a), len(b)) >= 8 else fuzz.ratio(a, b)
            s = 100.0 + agree * 10 + text_score / 10 if agree else text_score
            if s > score:
                best, score = i, s
        if best is not None and score >= 85:
            mi = groups.mentions[best]
            mj.organizer, mj.when = mi.organizer, mi.when
            how = "figures agree" if score > 100 else f"same sentence (ratio {score:.0f})"
            groups.join(best, j, "repost", f"repost: {names[int(dup.copy)]} is a near-duplicate of "
                        f"{names[int(dup.original)]} "
                        f"(MinHash resemblance {dup.jaccard:.2f}); {how}")


def _figures_conflict(a: Mention, b: Mention) -> bool:
    by_a: dict[tuple[str, str], list[Figure]] = defaultdict(list)
    for f in a.figures:
        by_a[(f.role, f.family)].append(f)
    return any((mine := by_a.get((f.role, f.family))) and not any(f.agrees(g) for g in mine) for f in b.figures)


def _feature_keys(m: Mention) -> Iterator[str]:
    for f in m.figures:
        yield f"f:{f.family}:{f.value.normalize()}:{'/'.join(f.per)}"
    if m.name:
        yield f"n:{m.name}"

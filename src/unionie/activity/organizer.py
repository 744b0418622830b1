"""Every event's organizer as one canonical union: name, region and level.

A report names its own union in full once — in its title (淮安市总工会2024年工作总结), a
heading (——在甬江区总工会第十届会员代表大会上的报告), its dateline or source line
(来源：宁波市甬江区总工会) or the first sentence that mentions it — and then writes
市总工会, 县总, 区总工会, 我会, 公司工会. :class:`DocContext` reads those full names from
the document, and :meth:`DocContext.resolve` turns what an event's ``organizer`` argument
says (or, without one, the report's own union) into an :class:`Organizer`:

- a full name is kept at its lowest division: 淮安市涟水县总工会 -> 涟水县总工会, region
  江苏省淮安市涟水县 (from the gazetteer of :mod:`unionie.activity.gazetteer`);
- 市总工会 / 县总 / 区总工会 -> the union of that level in the document's context (the
  report's own union, a union named in its head, or the parent division of one);
- 我会 / 本会 / 公司工会 -> the report's own union.

What cannot be resolved stays partial (``resolved=False``) and says why in ``source``.
Names are given in Simplified characters (a Traditional report is folded first).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from ..normalize.text import fold
from .cues import cues
from .gazetteer import MUNICIPALITIES, Gazetteer, Place, gazetteer

__all__ = ["Organizer", "DocContext", "UnionName", "find_unions"]

_CJK = re.compile(r"[\u4e00-\u9fff]")
# characters after which a union name may begin although no gazetteer name starts there
_BOUNDARY = set("\n\r\t 　，。、；：:;,.!?！？（）()【】[]“”\"'‘’《》<>-—|/·…0123456789在由据向和与及为是被经对") 
# characters that do not begin or belong to the name of a division (在市总工会, 区委和市总工会, 各区总工会)
_FUNCTION = set("在和与及为是被由据向对的各全从将把让经委根我代表召开组织举办于个年月日名家")
_HEAD_CHARS = 400
_FIRST_MENTION_CHARS = 1500


@dataclass(frozen=True, slots=True)
class Organizer:
    """A canonical organizer.

    ``name`` is the full name (涟水县总工会) or, when partial, the words as written
    (市总工会); ``region`` the division path from the gazetteer (江苏省淮安市涟水县) with any
    part the gazetteer does not know appended as written; ``code`` the 6-digit division
    code of the lowest known part; ``level`` one of 全国 省 市 县区 乡镇街道 产业 企业 (or
    None); ``resolved`` whether the full name is known; ``source`` where it came from
    (``argument``, ``title``, ``head``, ``first mention``, ``author`` …, and for a partial
    one why).
    """

    name: str | None
    region: str | None
    code: str | None
    level: str | None
    resolved: bool
    source: str
    written: str | None = None

    @property
    def key(self) -> str:
        """The blocking key: the canonical name (a partial one is never joined across documents)."""
        return self.name or ""

    def compatible(self, other: "Organizer") -> bool:
        """Whether both can be the same union: equal names, and regions that do not disagree
        (one may know more of the region than the other: 龙溪区 and 重庆市龙溪区)."""
        if self.name != other.name or not self.resolved or not other.resolved:
            return False
        a, b = self.region or "", other.region or ""
        if a and b and not (a.endswith(b) or b.endswith(a) or a.startswith(b) or b.startswith(a)):
            return False
        if self.code and other.code:
            short = min(self.code.rstrip("0"), other.code.rstrip("0"), key=len)
            longer = max(self.code.rstrip("0"), other.code.rstrip("0"), key=len)
            return longer.startswith(short)
        return True

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "region": self.region, "code": self.code, "level": self.level,
                "resolved": self.resolved, "source": self.source, "written": self.written}


@dataclass(frozen=True, slots=True)
class UnionName:
    """A union name read from text: ``[places][unit][body]kind``."""

    start: int
    end: int
    text: str
    places: tuple[Place, ...]   # gazetteer divisions, top first
    unit: str                   # a division the gazetteer does not know (龙溪区), or ""
    body: str                   # an industry or enterprise body (建筑业, 苏州昱科电子有限公司), or ""
    kind: str                   # 总工会, 工会 …

    @property
    def lowest(self) -> str:
        return self.unit or (self.places[-1].name if self.places else "")

    @property
    def unit_suffix(self) -> str:
        low = self.lowest
        for suf in sorted(cues()["suffix_levels"], key=len, reverse=True):
            if low.endswith(suf):
                return suf
        return ""

    def canonical(self, g: Gazetteer) -> tuple[str, str | None, str | None]:
        """(name, region, code): the name at its lowest division. A division's 工会 with no
        body is its federation: 徐州工会, 徐州市工会 and 徐州市总工会 are one name."""
        region = g.region(self.places[-1]) if self.places else None
        code = self.places[-1].code if self.places else None
        if self.unit:
            region = (region or "") + self.unit
        if self.body and (_is_enterprise(self.body) or not (self.places or self.unit)):
            return self.text, region, code  # an enterprise keeps its whole name
        kind = "总工会" if (self.kind == "工会" and not self.body) else self.kind
        return self.lowest + self.body + kind, region, code

    def level(self) -> str | None:
        c = cues()
        if any(w in self.text for w in c["national"]):
            return "全国"
        if self.body and any(w in self.body + self.kind for w in c["industry_words"]):
            return "产业"
        if self.body and _is_enterprise(self.body):
            return "企业"
        if self.unit:
            return c["suffix_levels"].get(self.unit_suffix)
        if self.places:
            low = self.places[-1]
            if low.rank == 0 or low.code in MUNICIPALITIES:
                return "省"
            return "市" if low.rank == 1 else "县区"
        return None


def _is_enterprise(body: str) -> bool:
    return any(w in body for w in cues()["enterprise_words"])


@functools.lru_cache(maxsize=1)
def _kind_regex() -> re.Pattern[str]:
    kinds = sorted(cues()["union_kinds"], key=len, reverse=True)
    return re.compile("|".join(map(re.escape, kinds)))


@functools.lru_cache(maxsize=1)
def _unit_regex() -> re.Pattern[str]:
    sufs = sorted(cues()["suffix_levels"], key=len, reverse=True)
    return re.compile(r"[\u4e00-\u9fff]{1,4}?(?:" + "|".join(map(re.escape, sufs)) + r")$")


def _parse_places(s: str, g: Gazetteer, extra: dict[str, Place]) -> tuple[list[Place], int]:
    """Gazetteer divisions read from the start of ``s``, each inside the one before."""
    places: list[Place] = []
    i = 0
    while i < len(s):
        found = None
        for n in range(min(g.max_len, len(s) - i), 1, -1):
            cands = list(g.by_name.get(s[i:i + n], ())) + ([extra[s[i:i + n]]] if s[i:i + n] in extra else [])
            if not cands:
                continue
            if places:
                cands = [p for p in cands if p.within(places[-1]) and p.rank > places[-1].rank]
            elif len(cands) > 1:
                ctx = [p for p in cands if p in extra.values()]
                cands = ctx if len(ctx) == 1 else ([] if len({p.code for p in cands}) > 1 else cands[:1])
            if cands:
                found = (cands[0], n)
                break
        if found is None:
            break
        places.append(found[0])
        i += found[1]
    return places, i


def find_unions(text: str, *, extra: dict[str, Place] | None = None, g: Gazetteer | None = None,
                short: bool = False, loose: bool = False) -> list[UnionName]:
    """The union names in ``text`` (folded, Simplified), in order.

    A name is accepted when its prefix reads whole as gazetteer divisions (淮安市涟水县), a
    division of the document the gazetteer lacks (龙溪区, 1–4 characters and a level suffix,
    after a boundary), an industry or enterprise body, or a level word alone (市 in
    市总工会) when ``short`` is true."""
    g = g or gazetteer()
    extra = extra or {}
    c = cues()
    unit_re = _unit_regex()
    out: list[UnionName] = []
    last_end = 0
    for m in _kind_regex().finditer(text):
        k, e = m.start(), m.end()
        if k < last_end:
            continue
        window_start = max(last_end, k - 24)
        best: UnionName | None = None
        for j in range(window_start, k):
            if not _CJK.match(text[j]):
                continue
            prefix = text[j:k]
            if not all(_CJK.match(ch) for ch in prefix) or text[j] in _FUNCTION:
                continue
            if prefix + m.group() in c["self_refs"]:
                continue
            if any(prefix.startswith(v) for v in c["verbs_before_names"]):
                continue
            places, used = _parse_places(prefix, g, extra)
            rest = prefix[used:]
            at_boundary = j == 0 or text[j - 1] in _BOUNDARY
            unit = body = ""
            if rest:
                um = unit_re.match(rest) if (places or at_boundary) else None
                if (um and um.end() == len(rest) and len(rest) <= 5 and not (set(rest[:-1]) & _FUNCTION)
                        and rest not in c["not_divisions"]):
                    unit = rest
                elif ((places or at_boundary) and len(rest) >= 2 and rest + m.group() not in c["industry_words"]
                      and any(w in rest + m.group() for w in c["industry_words"] + c["enterprise_words"])):
                    body = rest
                elif not places and at_boundary and rest in ("中华全国", "全国"):
                    body = rest
                elif loose and not places and at_boundary and 2 <= len(rest) <= 8:
                    body = rest  # a union of the head the gazetteer cannot place (珠澳职工联谊总会)
                else:
                    continue
            elif not places:
                continue
            best = UnionName(j, e, text[j:e], tuple(places), unit, body, m.group())
            break
        if best is None and short:
            # 市总工会, 区总, 公司工会 …: the level word (or self word) right before the kind
            for refs in list(c["short_level_refs"].values()) + [c["self_refs"]]:
                for r in refs:
                    if e >= len(r) and text[e - len(r):e] == r:
                        best = UnionName(e - len(r), e, r, (), "", "", m.group())
                        break
                if best:
                    break
        if best is not None and (best.places or best.unit or best.body or short):
            out.append(best)
            last_end = best.end
    return out


class DocContext:
    """The unions a document names in full, and its own union (the author)."""

    def __init__(self, text: str, g: Gazetteer | None = None) -> None:
        self.g = g or gazetteer()
        self.folded = fold(text)
        head_end = _head_end(self.folded)
        head = self.folded[:head_end]
        # county names of the head may be written short later on (新北区 -> 新北)
        self.extra: dict[str, Place] = {}
        for i in range(len(head)):
            for name, places in self.g.match_at(head, i):
                if len(places) == 1:
                    p = places[0]
                    self.extra[name] = p
                    for suf in ("区", "县", "市", "旗"):
                        if p.name.endswith(suf) and len(p.name) >= 3:
                            self.extra.setdefault(p.name[:-1], p)
                break
        self.head_unions = [u for u in find_unions(head, extra=self.extra, g=self.g, loose=True)
                            if u.places or u.unit or u.body]
        self.head_places = self._head_places(head)
        body = self.folded[head_end:head_end + _FIRST_MENTION_CHARS]
        self.body_unions = [u for u in find_unions(body, extra=self.extra, g=self.g)
                            if u.places or u.unit or u.body]
        # the fullest region this document gives each union name (甬江区 -> 浙江省宁波市甬江区)
        self.known: dict[str, tuple[str | None, str | None]] = {}
        for u in self.head_unions + self.body_unions:
            name, region, code = u.canonical(self.g)
            if len(region or "") > len(self.known.get(name, (None, None))[0] or ""):
                self.known[name] = (region, code)
        self.author: tuple[UnionName, str] | None = None
        if self.head_unions:
            self.author = (self.head_unions[0], "title" if self.head_unions[0].start < _first_line_end(head) else "head")
        elif self.body_unions:
            self.author = (self.body_unions[0], "first mention")
        self._levels: dict[str, tuple[Organizer, str]] = {}

    def _head_places(self, head: str) -> list[Place]:
        """The divisions named in the head, most specific consistent chain."""
        places: list[Place] = []
        for i in range(len(head)):
            ps, used = _parse_places(head[i:i + 20], self.g, self.extra)
            if ps and (not places or len(ps) > len(places)):
                places = ps
        return places

    # -- resolution -------------------------------------------------------------------
    def organizer_of(self, u: UnionName, source: str, written: str | None = None) -> Organizer:
        if any(w in u.text for w in cues()["national"]):
            return Organizer("中华全国总工会", "全国", "100000", "全国", True, source, written)
        name, region, code = u.canonical(self.g)
        k_region, k_code = self.known.get(name, (None, None))
        if len(k_region or "") > len(region or ""):
            region, code = k_region, k_code
        return Organizer(name, region, code, u.level(), True, source, written)

    def author_organizer(self) -> Organizer | None:
        if self.author is None:
            return None
        u, how = self.author
        if any(w in u.text for w in cues()["national"]):
            return self.organizer_of(u, how)
        if u.body and not u.places and not u.unit and not _is_enterprise(u.body):
            return self._industry_in_context(u, how)
        return self.organizer_of(u, how)

    def _industry_in_context(self, u: UnionName, how: str, written: str | None = None) -> Organizer:
        """市建筑业工会 in a report whose head names 北京市: 北京市建筑业工会."""
        level_word = next((s for s in ("省", "市", "区", "县") if u.body.startswith(s)), "")
        place = next((p for p in reversed(self.head_places) if p.name.endswith(level_word)), None) \
            if level_word else None
        body = u.body[len(level_word):] if place else u.body
        level = "产业" if any(w in u.body + u.kind for w in cues()["industry_words"]) else None
        if place is None:
            # a proper name of its own (珠澳职工联谊总会, 中部产业总工会) is full without a division
            return Organizer(u.text, None, None, level, len(u.text) >= 6, f"{how}; its division is not named",
                             written)
        return Organizer(place.name + body + u.kind, self.g.region(place), place.code, level, True,
                         f"{how} + division of the head", written)

    def level_union(self, level_word: str) -> Organizer | None:
        """The union of a level (市, 县, 区 …) in this document's context, or None."""
        if level_word in self._levels:
            return self._levels[level_word][0]
        found: Organizer | None = None
        for u, how in [(x, "head") for x in self.head_unions] + [(x, "first mention") for x in self.body_unions]:
            if u.body:
                continue
            if u.lowest.endswith(level_word):
                found = self.organizer_of(u, how)
                break
            for p in u.places:  # a parent division of a union named in full
                if p.name.endswith(level_word) or (level_word == "省" and p.rank == 0):
                    found = Organizer(p.name + "总工会", self.g.region(p), p.code,
                                      "省" if p.rank == 0 or p.code in MUNICIPALITIES else
                                      "市" if p.rank == 1 else "县区", True, f"{how} (division of {u.text})")
                    break
            if found:
                break
        if found is None:
            for p in self.head_places:
                if p.name.endswith(level_word) or (level_word == "省" and p.rank == 0):
                    found = Organizer(p.name + "总工会", self.g.region(p), p.code,
                                      "省" if p.rank == 0 or p.code in MUNICIPALITIES else
                                      "市" if p.rank == 1 else "县区", True, "division named in the head")
                    break
        if found is None and level_word == "省":  # the province of any division of the head
            for p in self.head_places[:1]:
                top = self.g.chain(p)[0]
                found = Organizer(top.name + "总工会", top.name, top.code, "省", True, "province of the head")
        self._levels[level_word] = (found, "") if found else (None, "")  # type: ignore[assignment]
        return found

    def resolve(self, written: str | None) -> Organizer:
        """The organizer of an event whose organizer argument reads ``written`` (or None)."""
        c = cues()
        author = self.author_organizer()
        if not written:
            return _with(author, "author (no organizer argument)") if author else _unknown(None, "no organizer argument and no union named in the document")
        w = fold(written)
        if re.search(r"(省|市|州|区|县)总$", w):  # 县总 is 县总工会
            w += "工会"
        unions = find_unions(w, extra=self.extra, g=self.g, short=True)
        if any(x in w for x in c["national"]) and not unions:
            return Organizer("中华全国总工会", "全国", "100000", "全国", True, "argument", written)
        if unions:
            u = unions[-1]
            if u.places or u.unit or any(x in u.text for x in c["national"]):
                o = self.organizer_of(u, "argument", written)
                return o
            if u.body and not _is_enterprise(u.body):
                return self._industry_in_context(u, "argument", written)
            if u.body:
                return self.organizer_of(u, "argument", written)
            ref = u.text
            if ref in c["self_refs"]:
                return _with(author, f"author ({ref})", written) if author else _unknown(written, f"{ref}: no union named in the document")
            for level_word, refs in c["short_level_refs"].items():
                if ref in refs:
                    o = self.level_union(level_word)
                    if o is not None:
                        return _with(o, f"{o.source} ({ref})", written)
                    return _unknown(ref, f"{ref}: no {level_word} named in the document", written)
        # 全区各级工会, 两级工会: the whole system of the report's own union (or of that level)
        m = re.search(r"全(省|市|州|区|县|镇)", w)
        if m and "工会" in w:
            o = self.level_union(m.group(1))
            if o is not None:
                return _with(o, f"{o.source} (全{m.group(1)})", written)
        if "工会" in w and author is not None:
            return _with(author, f"author ({written})", written)
        if author is not None:
            return _with(author, f"author (organizer {written!r} is not a union)", written)
        return _unknown(written, "not a union and no union named in the document")


def _with(o: Organizer, source: str, written: str | None = None) -> Organizer:
    return Organizer(o.name, o.region, o.code, o.level, o.resolved, source, written)


def _unknown(name: str | None, why: str, written: str | None = None) -> Organizer:
    return Organizer(name, None, None, None, False, f"partial: {why}", written or name)


def _first_line_end(text: str) -> int:
    s = text.lstrip()
    off = len(text) - len(s)
    n = s.find("\n")
    return off + (n if n >= 0 else len(s))


def _head_end(text: str) -> int:
    """The end of the head: title lines, heading, dateline — before the first long line
    (a paragraph), at most ``_HEAD_CHARS`` characters."""
    pos = 0
    for line in text[:_HEAD_CHARS * 2].split("\n"):
        if len(line.strip()) > 60:
            break
        pos += len(line) + 1
        if pos >= _HEAD_CHARS:
            break
    return min(max(pos, 0), len(text))

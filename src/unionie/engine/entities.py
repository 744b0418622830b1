"""Entities by rules and lexicons (``data/entities.yaml``): ORG, GPE, PERSON, HONOR, WORK.

ORG and GPE spans are grown leftwards from a suffix (总工会, 公司, 市, 街道 …) over
Chinese characters until a boundary word; HONOR comes from a lexicon and from quoted
titles; WORK is a title in 《》 or a short quoted campaign name; PERSON comes from
bylines (通讯员 王颖) and official titles (主席张华表示).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex

from ..document import Entity, fast_constructor
from ..lexicons import Boundaries, alternation, boundary_regex, bundled_yaml, grow_left, may_match, word_regex

_ENTITY = fast_constructor(Entity)  # Entity(*every field)

__all__ = ["EntityRules", "find_entities", "entity_rules"]


@dataclass
class EntityRules:
    org_suffix: re.Pattern[str]
    org_abbrev: regex.Pattern[str]
    org_not_followed: re.Pattern[str]
    org_verb_after: regex.Pattern[str]
    org_generic: frozenset[str]
    org_leader: regex.Pattern[str]
    org_staff: regex.Pattern[str]
    org_boundary: Boundaries
    org_max: int
    org_union_heads: tuple[str, ...]
    org_legal_forms: frozenset[str]
    org_need_place: frozenset[str]
    org_place_chars: frozenset[str]
    org_min_prefix: dict[str, int]
    org_levels: regex.Pattern[str]
    org_count_prefix: re.Pattern[str]
    org_joiners: frozenset[str]
    gpe_suffix: re.Pattern[str]
    gpe_names: re.Pattern[str]
    gpe_not: frozenset[str]
    gpe_boundary: Boundaries
    gpe_max: int
    byline: regex.Pattern[str]
    title_person: regex.Pattern[str]
    name_list: regex.Pattern[str]
    honor_names: re.Pattern[str]
    honor_quoted_suffix: regex.Pattern[str]

    @classmethod
    def from_dicts(cls, ent: dict[str, Any], grammar: dict[str, Any]) -> "EntityRules":
        org, gpe, person, honor = ent["org"], ent["gpe"], ent["person"], ent["honor"]
        bounds = list(grammar["phrase_boundaries"])
        return cls(
            # literal tries: the stdlib engine scans them about three times faster
            org_suffix=re.compile(f"(?:{alternation(org['suffixes'])})"),
            org_abbrev=regex.compile(f"(?<![\\p{{Han}}])(?:{alternation(org['abbreviations'])})(?![工会])"),
            org_not_followed=re.compile(f"(?:{alternation(org['not_followed_by'])})"),
            org_verb_after=regex.compile(
                "|".join(f"(?:{regex.escape(w)})(?=(?:{alternation(list(nxt))}))"
                         for w, nxt in (org.get("verb_after") or {}).items()) or "(?!)"),
            org_generic=frozenset(org["generic"]),
            org_staff=regex.compile(
                f"(?:{alternation(org['staff_after'])})(?!{alternation(org.get('staff_not_followed_by') or ['(?!)'])})"
                if org.get("staff_after") else "(?!)"),
            org_leader=regex.compile(
                f"(?:{alternation(org.get('leader_titles') or [])})\\p{{Han}}{{2,3}}?"
                f"(?=(?:{alternation(org.get('leader_name_next') or [])}))"
                if org.get("leader_titles") else "(?!)"),
            org_boundary=boundary_regex(bounds + list(org["left_stops"]) + list(honor["names"])),
            org_max=int(org["max_len"]),
            org_union_heads=tuple(org["union_heads"]),
            org_legal_forms=frozenset(org.get("legal_forms") or []),
            org_need_place=frozenset(org["need_place"]),
            org_place_chars=frozenset("".join(org["place_chars"])),
            org_min_prefix={k: int(v) for k, v in (org.get("min_prefix") or {}).items()},
            org_levels=regex.compile(
                f"[{''.join(org['place_chars'])}](?:{alternation(org['levels']['numerals'])})"
                f"(?:{alternation(org['levels']['marks'])})"),
            org_joiners=frozenset(org["levels"]["joiners"]),
            org_count_prefix=re.compile(
                f"[{''.join(org['count_prefix']['numerals'])}]+[{''.join(org['count_prefix']['measure_words'])}]"),
            gpe_suffix=word_regex(gpe["suffixes"]),
            gpe_names=word_regex(gpe["names"]),
            gpe_not=frozenset(gpe["not_names"]),
            gpe_boundary=boundary_regex(bounds + list(gpe["left_stops"])),
            gpe_max=int(gpe["max_len"]),
            byline=regex.compile(
                f"(?:{alternation(person['byline'])})[ \\t:：\u3000]+(?P<name>\\p{{Han}}{{2,3}})(?=[ \\t\\n/|，,。)）]|$)"),
            title_person=regex.compile(
                f"(?:{alternation(person['titles'])})(?P<name>\\p{{Han}}{{2,3}}?)"
                "(?=表示|说|指出|介绍|强调|讲话|致辞|出席|参加|带队|一行)"),
            name_list=regex.compile(
                f"(?:(?<=^|[，,；;。：:\\s])|(?<=(?:{alternation(person.get('name_list_after') or [])})))"
                "(?P<names>\\p{Han}{2,3}(?:、\\p{Han}{2,3})+)"
                f"(?=(?:[一二三四五六七八九十两\\d]+{regex.escape(str(person.get('name_list_counted') or '名'))})?"
                f"(?:{alternation(person.get('name_list_before') or [])}))", regex.M)
            if person.get("name_list_before") else regex.compile("(?!)"),
            honor_names=word_regex(honor["names"]),
            honor_quoted_suffix=regex.compile(f"(?:{alternation(honor['quoted_suffixes'])})$"),
        )


@lru_cache(maxsize=1)
def entity_rules() -> EntityRules:
    return EntityRules.from_dicts(bundled_yaml("entities.yaml"), bundled_yaml("grammar.yaml"))


_QUOTED = regex.compile(r"“([^“”\n]{1,30})”|‘([^‘’\n]{1,30})’|「([^「」\n]{1,30})」|\"([^\"\n]{1,30})\"")
_TITLE = regex.compile(r"《([^《》\n]{1,60})》")
_SENTENCE_END = regex.compile(r"[。！？；]")


def _levels_left(folded: str, start: int, r: EntityRules) -> int:
    """市、县两级工会, 省、市、县三级工会: the places before the one that starts a union of
    several levels belong to its name (entities.yaml ``org.levels``)."""
    if not r.org_levels.match(folded, start):
        return start
    while start >= 2 and folded[start - 1] in r.org_joiners and folded[start - 2] in r.org_place_chars:
        start -= 2
    return start


def _suffix_orgs(folded: str, r: EntityRules) -> list[tuple[int, int, str]]:
    """ORG names grown leftwards from a suffix: (start, end, rule) of each candidate."""
    out: list[tuple[int, int, str]] = []
    for m in r.org_suffix.finditer(folded):
        a, b = m.span()
        # 某某有限公司工会, 某某集团公司工会委员会: the union of the enterprise is the name; 某某集团
        # 有限公司: the company's legal form too
        while True:
            nxt = r.org_suffix.match(folded, b)
            if nxt is None or not (nxt.group().startswith(r.org_union_heads)
                                   or nxt.group() in r.org_legal_forms):
                break
            b = nxt.end()
        if (r.org_not_followed.match(folded, b) and not r.org_verb_after.match(folded, b)
                and not r.org_leader.match(folded, b) and not r.org_staff.match(folded, b)):
            continue  # 工会干部, 工会组织40家; but 新区总工会组织职工参加…: 组织 is the verb
        start = grow_left(folded, a, 0, r.org_boundary, r.org_max - (b - a))
        if 0 < start < a and folded[start - 1 - (folded[start - 1] == " " and start > 1)].isdigit():
            start += 1  # 2022年市总工会, 1101家非公企业工会: a date's 年 or a measure word is not the name
        counted = r.org_count_prefix.match(folded, start, a)
        if counted is not None:
            start = counted.end()  # 二十四个省级工会: the count in numerals is not the name either
        start = _levels_left(folded, start, r)
        prefix = folded[start:a]
        if not prefix:
            continue
        suffix = m.group()
        # a government body (局, 委员会, 中心 …) is a name only after a place (市人社局)
        if suffix in r.org_need_place and not (
                r.org_place_chars & set(prefix[:3]) or r.gpe_names.match(prefix)):
            continue
        if len(prefix) < r.org_min_prefix.get(suffix, 1):
            continue
        label_rule = "entity.org.generic" if prefix in r.org_generic else "entity.org.suffix"
        out.append((start, b, label_rule))
    return out


def find_entities(folded: str, text: str | None = None, rules: EntityRules | None = None) -> list[Entity]:
    """Entities of the (folded) text; spans are cut from ``text`` (defaults to ``folded``)."""
    text = folded if text is None else text
    r = rules or entity_rules()
    found: list[Entity] = []
    taken = bytearray(len(folded) + 1)  # 1 where an entity already stands: linear in the text

    def free(a: int, b: int) -> bool:
        return taken.find(1, a, b) < 0  # no 1 in taken[a:b], without a copy

    def add(a: int, b: int, label: str, rule: str) -> None:
        if b <= a or not free(a, b):
            return
        taken[a:b] = b"\x01" * (b - a)
        found.append(_ENTITY(text[a:b], a, b, label, rule))

    # WORK: 《titles》 first (their content is not searched for other entities)
    for m in _TITLE.finditer(folded) if may_match(_TITLE, folded) else ():
        add(m.start(1), m.end(1), "WORK", "entity.work.title")
    # PERSON: bylines and officials
    for m in r.byline.finditer(folded) if may_match(r.byline, folded) else ():
        add(m.start("name"), m.end("name"), "PERSON", "entity.person.byline")
    for m in r.title_person.finditer(folded) if may_match(r.title_person, folded) else ():
        add(m.start("name"), m.end("name"), "PERSON", "entity.person.title")
    for m in r.name_list.finditer(folded) if may_match(r.name_list, folded) else ():
        names = m.group("names").split("、")
        if any(r.org_suffix.search(n) or r.org_abbrev.fullmatch(n) or r.gpe_suffix.search(n) for n in names):
            continue  # 市总、区总荣获…: unions, not people
        pos = m.start("names")
        for name in names:
            add(pos, pos + len(name), "PERSON", "entity.person.name_list")
            pos += len(name) + 1
    # HONOR: lexicon and quoted titles
    for m in r.honor_names.finditer(folded):
        add(m.start(), m.end(), "HONOR", "entity.honor.lexicon")
    quoted = []
    for m in _QUOTED.finditer(folded):
        g = m.lastindex  # the one group of the alternation that matched
        quoted.append((m.start(g), m.end(g)))
        if r.honor_quoted_suffix.search(m.group(g)):
            add(m.start(g), m.end(g), "HONOR", "entity.honor.quoted")
    quoted.sort()
    quoted_starts = [a for a, _ in quoted]
    # ORG: abbreviations and suffix-grown names
    for m in r.org_abbrev.finditer(folded) if may_match(r.org_abbrev, folded) else ():
        add(m.start(), m.end(), "ORG", "entity.org.abbrev")
    for a, b, rule in _suffix_orgs(folded, r):
        add(a, b, "ORG", rule)
    # GPE: gazetteer names, then suffix-grown names
    for m in r.gpe_names.finditer(folded):
        a, b = m.span()
        sm = r.gpe_suffix.match(folded, b)
        if sm:
            b = sm.end()
        if free(a, b):
            add(a, b, "GPE", "entity.gpe.name")
    for m in r.gpe_suffix.finditer(folded):
        a, b = m.span()
        limit = min(3, r.gpe_max - (b - a))
        start = grow_left(folded, a, 0, r.gpe_boundary, limit + 1)
        cand = folded[start:b]
        # a place name is delimited on the left: growth that ran to its limit is a phrase
        if start == a or a - start > limit or cand in r.gpe_not or len(cand) < 2:
            continue
        k = bisect_right(quoted_starts, start) - 1
        if k >= 0 and start < quoted[k][1]:
            continue
        add(start, b, "GPE", "entity.gpe.suffix")
    # WORK: short quoted campaign names that are not honours
    for a, b in quoted:
        content = folded[a:b]
        if 2 <= len(content) <= 20 and not _SENTENCE_END.search(content):
            add(a, b, "WORK", "entity.work.quoted")
    found.sort(key=lambda e: (e.start, e.end))
    return found

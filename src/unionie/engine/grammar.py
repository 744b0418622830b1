"""The clause grammar of the event extractor, compiled once from the data files.

``data/grammar.yaml`` gives the phrase boundaries, the heads of person phrases and the
plan/purpose markers; ``data/engine.yaml`` the words that place dates, subjects, agents,
figures and honour phrases in a clause. No Chinese word is written in the engine's code.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex

from ..lexicons import Boundaries, alternation, boundary_regex, bundled_yaml

__all__ = ["Grammar", "grammar"]


@dataclass(frozen=True)
class Grammar:
    """The compiled patterns and word sets (see the data files for what each holds)."""

    boundary: Boundaries
    person: re.Pattern[str]
    plan: re.Pattern[str]
    purpose: re.Pattern[str]
    honor_phrase: regex.Pattern[str]
    date_lead: re.Pattern[str]
    not_subject: re.Pattern[str]
    figure_start: re.Pattern[str]
    org_list_split: re.Pattern[str]
    agent_markers: tuple[str, ...]
    object_markers: tuple[str, ...]
    organizer_joiners: frozenset[str]
    one_authority: tuple[tuple[str, str], ...]
    org_list_triggers: frozenset[str]
    generic_org: re.Pattern[str]
    honor_item_tail: re.Pattern[str]
    honor_item_head: re.Pattern[str]
    honor_joiners: re.Pattern[str]
    attribute_date_ends: tuple[str, ...]
    kind_list: re.Pattern[str] | None
    speaker: regex.Pattern[str]
    dateline: regex.Pattern[str]
    people_measure: str
    members_marker: str
    relative: regex.Pattern[str]
    relative_marker: str
    group_heads: frozenset[str]
    counted_group_gap: int
    deictic_name: re.Pattern[str]
    name_manner: re.Pattern[str]
    part_marker: re.Pattern[str]
    period_name_ends: tuple[str, ...]
    cutoff_leads: tuple[str, ...]
    honor_object_heads: tuple[str, ...]
    giving_verbs: tuple[str, ...]
    perfective: str
    activity_head: re.Pattern[str]
    person_head_words: tuple[str, ...]
    locatives: tuple[str, ...]
    scope_subjects: tuple[str, ...]
    host_markers: tuple[str, ...]
    built_subject_after: tuple[str, ...]
    built_subject_adverbs: tuple[str, ...]
    goods: re.Pattern[str] | None
    goods_verbs: re.Pattern[str] | None
    donor_verbs: tuple[str, ...]
    employers: tuple[str, ...]
    place_chars: frozenset[str]


def _figure(e: dict[str, Any]) -> str:
    """Chinese numerals with a measure word (engine.yaml ``numerals``, ``figure_measure_words``)."""
    return "[" + "".join(map(str, e["numerals"])) + "]+[" + "".join(map(str, e["figure_measure_words"])) + "]"


def _any(words: list[str]) -> str:
    return "|".join(re.escape(str(w)) for w in words)


@lru_cache(maxsize=1)
def grammar() -> Grammar:
    """The grammar of the bundled data files (built once per process)."""
    g = bundled_yaml("grammar.yaml")
    e = bundled_yaml("engine.yaml")
    return Grammar(
        boundary=boundary_regex(g["phrase_boundaries"]),
        person=re.compile(f"(?:{alternation(g['person_heads'])})"),
        plan=re.compile("|".join(f"(?:{p})" for p in g["plan_markers"])),
        purpose=re.compile("|".join(f"(?:{p})" for p in g["purpose_markers"])),
        # the head ends the word: no Han character follows, but a figure may (劳动奖状三十二个)
        # … or the ones who hold it follow (劳动奖章获得者, 劳动奖状集体: honour_holders)
        honor_phrase=regex.compile(rf"[\p{{Han}}]{{0,10}}?(?:{_any(e['honor_heads'])})"
                                   rf"(?:(?![\p{{Han}}])|(?={_figure(e)})|{_holders(e)})"),
        date_lead=re.compile(rf"[\s]*(?:{_any(e['date_lead'])})"),
        not_subject=re.compile("[" + "".join(map(str, e["not_subject_chars"])) + "]"),
        figure_start=re.compile(r"\d|" + _figure(e)),
        org_list_split=re.compile(rf"[、,，]|{_any(e['org_list_separators'])}"),
        agent_markers=tuple(map(str, e["agent_markers"])),
        object_markers=tuple(map(str, e["object_markers"])),
        organizer_joiners=frozenset(map(str, e.get("organizer_joiners") or [])),
        one_authority=tuple((str(a), str(b)) for a, b in e.get("one_authority") or []),
        org_list_triggers=frozenset(map(str, e["org_list_triggers"])),
        generic_org=re.compile("|".join(f"(?:{p})" for p in g["generic_organizers"])),
        honor_item_tail=re.compile(
            rf"[”’」』\"\s]*(?:{re.escape(str(e['honor_list_tail_marker']))}"
            rf"(?:{_any(e['honor_list_tail_quantifiers'])})?"
            rf"(?:(?:{_any(e['honor_list_tail_approx'])})?[\d{''.join(map(str, e['numerals']))}]+"
            rf"(?:{_any(e['honor_list_tail_measures'])}))?"
            rf"(?:{_any(e['honor_list_tail_words'])}))?[。，,；;、\s]*$"),
        honor_item_head=re.compile(rf"^[\s]*(?:{_any(e['honor_list_item_openers'])})?"),
        honor_joiners=re.compile(_any(e["honor_list_joiners"])),
        attribute_date_ends=tuple(map(str, e.get("attribute_date_ends") or [])),
        kind_list=_kind_list(e),
        dateline=regex.compile(rf"\s*[\p{{Han}}\d]{{1,16}}?(?:{_any(e.get('dateline_marks') or [])})"
                               r"(?:\s*[(（][^)）\n]{0,40}[)）]|[ \t\u3000]+)\s*"
                               if e.get("dateline_marks") else "(?!)"),
        people_measure=str(e.get("people_measure") or ""),
        members_marker=str(e.get("named_members_marker") or ""),
        relative_marker=str(e.get("relative_marker") or ""),
        relative=regex.compile(rf"\p{{Han}}{{1,3}}{regex.escape(str(e['relative_marker']))}\p{{Han}}{{0,4}}"
                               if e.get("relative_marker") else "(?!)"),
        group_heads=frozenset(map(str, g.get("group_heads") or [])),
        counted_group_gap=int(e.get("counted_group_gap") or 0),
        part_marker=re.compile(rf"\s*(?:{alternation(e['part_markers'])})" if e.get("part_markers") else "(?!)"),
        deictic_name=re.compile(f"(?:{alternation(e['deictic_names'])})" if e.get("deictic_names") else "(?!)"),
        name_manner=re.compile(f"(?:{alternation(e['name_manner_markers'])})" if e.get("name_manner_markers") else "(?!)"),
        period_name_ends=tuple(map(str, e.get("period_name_ends") or [])),
        cutoff_leads=tuple(map(str, e.get("cutoff_leads") or [])),
        honor_object_heads=tuple(map(str, e.get("honor_object_heads") or [])),
        giving_verbs=tuple(map(str, e.get("giving_verbs") or [])),
        perfective=str(e.get("perfective") or "\0"),
        activity_head=re.compile(f"(?:{alternation(g['activity_heads'])})" if g.get("activity_heads") else "(?!)"),
        person_head_words=tuple(map(str, g["person_heads"])),
        locatives=tuple(map(str, g.get("locatives") or [])),
        scope_subjects=tuple(map(str, e.get("scope_subjects") or [])),
        host_markers=tuple(map(str, e.get("host_markers") or [])),
        built_subject_after=tuple(map(str, e.get("built_subject_after") or [])),
        built_subject_adverbs=tuple(map(str, e.get("built_subject_adverbs") or [])),
        goods=re.compile(f"(?:{alternation(g['goods_heads'])})") if g.get("goods_heads") else None,
        donor_verbs=tuple(map(str, g.get("donor_verbs") or [])),
        employers=tuple(map(str, g.get("employers") or [])),
        # one-character places joined by a list mark are one phrase (省、市劳模): entities.yaml
        place_chars=frozenset("".join(map(str, bundled_yaml("entities.yaml")["org"]["place_chars"]))),
        goods_verbs=re.compile(f"(?:{alternation(g['goods_verbs'])})") if g.get("goods_verbs") else None,
        # after an ORG: titles (each after a few characters of a department), a name, speech
        speaker=regex.compile(rf"(?:\p{{Han}}{{0,6}}?(?:{_any(e.get('speaker_titles') or [])})[、,，]?)+"
                              rf"\p{{Han}}{{1,3}}?(?:{_any(e.get('speech_verbs') or [])})"
                              if e.get("speaker_titles") else "(?!)"),
    )


def _holders(e: dict[str, Any]) -> str:
    """After a head naming the honour itself, the words of the ones who hold it (奖章获得者)."""
    heads, holders = e.get("honor_object_heads"), e.get("honor_holders")
    if not heads or not holders:
        return "(?!)"
    return rf"(?<=(?:{_any(heads)}))(?=(?:{_any(holders)}))"


def _kind_list(e: dict) -> re.Pattern[str] | None:
    """The rest of a list closed by 等 and a noun of kinds (…、劳动竞赛和“送温暖”等工作): no
    clause mark and no digit before it (an item with a figure is an activity told)."""
    nouns = e.get("kind_list_nouns")
    if not nouns:
        return None
    reach = int(e.get("kind_list_reach", 30))
    quant = f"(?:{_any(e['kind_list_quantifiers'])})?" if e.get("kind_list_quantifiers") else ""
    rest = rf"[^，,。；;：:！!？?\n\d]{{0,{reach}}}?"
    alts = [rf"{rest}{re.escape(str(e['kind_list_marker']))}{quant}(?:{_any(nouns)})"]
    if e.get("kind_list_counted_nouns"):
        # …or closed by a count of kinds (送健康、送安全、送法律三大主题; 五大系列)
        alts.append(rf"{rest}[{''.join(map(str, e['numerals']))}]+(?:{_any(e.get('kind_list_counted_measures') or [])})?"
                    rf"(?:{_any(e['kind_list_counted_nouns'])})")
    if e.get("system_nouns"):
        # (…的)? and a few characters (quotes, a modifier) before the noun of systems
        alts.append(rf"(?:{rest}{re.escape(str(e['kind_list_of']))})?[“”\"「」\u4e00-\u9fff]{{0,8}}?"
                    rf"(?:{_any(e['system_nouns'])})")
    return re.compile("|".join(f"(?:{a})" for a in alts))

"""``lexicons.required_words``: the words one of which every match of a pattern holds, read off
the pattern. A prefilter built on it skips a text (or a clause) that holds none of them, so it
must never name a word a match can lack: the table below says what it reads, and the property
tests hold every match of the library's own patterns (trigger patterns, date rules, the generic
organizer) to it, on every corpus text and clause and on random text."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from unionie.engine import entities
from unionie.engine.grammar import grammar
from unionie.engine.segment import segment
from unionie.lexicons import may_match, required_words
from unionie.normalize.date_rules import grammar as date_grammar
from unionie.normalize.text import fold
from unionie.rules.loader import default_rules

ROOT = Path(__file__).resolve().parents[1]

# pattern, flags, behind -> the words (None: none can be told)
TABLE = [
    ("工会", 0, True, ("工会",)),
    ("(?:各级|各地)工会(?:组织)?", 0, True, ("各地工会", "各级工会")),  # the longest part, fewest words
    ("[送发]去?(?:慰问|关怀|温暖)", 0, True, ("关怀", "慰问", "温暖")),  # 2 x 2 x 3 spellings: too many
    ("新增(?=[0-9]+家)", 0, True, ("新增",)),
    ("(?=.*奖励)获", 0, True, ("奖励",)),  # a lookahead's words are in the text searched
    ("(?<=会员)发展", 0, True, ("会员",)),
    ("(?<=会员)发展", 0, False, ("发展",)),  # a search from pos may look behind it: not counted
    ("(?<=会员)[发展]", 0, False, ("发", "展")),
    ("培训(?!班)", 0, True, ("培训",)),  # a negative lookahead requires nothing
    ("(?:全年|全年度)", 0, True, ("全年",)),  # a word holding another is implied by it
    ("甲|乙.", 0, True, ("乙", "甲")),
    ("甲|[^乙]", 0, True, None),  # one branch holds no literal
    ("(?:培训)?班", 0, True, ("班",)),
    ("(?:培训)?", 0, True, None),  # may match the empty string
    ("[0-9]+年", 0, True, ("年",)),
    ("[一二三四五六七八九十]月", 0, True, ("月",)),  # a class of more than eight characters is no word
    ("abc", re.IGNORECASE, True, None),
    ("(?i)abc", 0, True, None),
    ("(?i:ab)c", 0, True, ("c",)),
    ("x # a comment\n y", re.VERBOSE, True, ("xy",)),
    (r"(?P<d>\d+)日|(?P<d>\d+)号", 0, True, ("号", "日")),  # the regex package allows a name twice
    (r"(?P<s>[-/])\d+(?P=s)年", 0, True, ("年",)),
    (r"\p{Han}{2}会", 0, True, ("会",)),
    (r"\\p{Han}", 0, True, None),  # an escaped backslash, then a brace that starts no repeat: not read
    ("(?<!近)年来", 0, True, ("年来",)),
    ("(unclosed", 0, True, None),
    ("(?:工会){e<=1}", 0, True, None),  # a fuzzy match of the regex package: no words it surely holds
    (r"a\{b", 0, True, ("a{b",)),  # an escaped brace is a literal
    ("a{2}b", 0, True, ("a",)),
    ("工会", int(regex.REVERSE), True, None),  # flags the reading does not follow
    ("工会", int(regex.V1), True, None),
    # many alternatives: up to 12 words when nothing shorter is required; 13 are too many
    ("甲局|乙厂|丙矿|丁院|戊所|己站|庚队|辛部|壬处", 0, True,
     ("丁院", "丙矿", "乙厂", "壬处", "己站", "庚队", "戊所", "甲局", "辛部")),
    ("|".join(f"{c}局" for c in "甲乙丙丁戊己庚辛壬癸子丑寅"), 0, True, None),  # 13 words (each branch's longest)
    ("(?:" + "|".join("甲乙丙丁戊己庚辛壬癸子丑寅") + ")会", 0, True, ("会",)),
]


@pytest.mark.parametrize("pattern, flags, behind, words", TABLE)
def test_required_words_table(pattern: str, flags: int, behind: bool, words: tuple[str, ...] | None) -> None:
    assert required_words(pattern, flags, behind=behind) == words
    if words is not None:  # the table's patterns compile in the package the library runs them with
        regex.compile(pattern, flags)
    elif pattern != "(unclosed":
        regex.compile(pattern, flags)


# pattern, text, pos, endpos -> may the pattern find a match there
MAY_MATCH = [
    ("(?<=会员)发展", "会员发展到", None, None, True),
    ("(?<=会员)发展", "发展到", None, None, False),  # no 会员 in the text: no match
    ("(?<=会员)发展", "会员发展到", 2, None, True),  # the lookbehind's words may lie before pos
    ("(?<=会员)发展", "会员发展到", 0, 3, False),  # 发展 does not lie inside text[0:3]
    ("各级工会(?!干部)", "全县各级工会组织", 2, 8, True),
    ("各级工会(?!干部)", "全县各级工会组织", 3, 8, False),
    ("[^a]", "会员", None, None, True),  # no words known: it may match
]


@pytest.mark.parametrize("pattern, text, pos, endpos, may", MAY_MATCH)
def test_may_match_table(pattern: str, text: str, pos: int | None, endpos: int | None, may: bool) -> None:
    compiled = regex.compile(pattern)
    assert may_match(compiled, text, pos, endpos) is may
    if not may:  # what the prefilter rests on: the pattern finds nothing there
        args = (text,) if pos is None and endpos is None else (text, pos or 0, len(text) if endpos is None else endpos)
        assert compiled.search(*args) is None


def _library_patterns() -> list[tuple[str, regex.Pattern[str] | re.Pattern[str]]]:
    out: list[tuple[str, regex.Pattern[str] | re.Pattern[str]]] = []
    for t in default_rules().triggers():
        out += [(f"trigger {t.id}", p) for p in t.patterns]
    out += [(r.name, r.pattern) for r in date_grammar().rules]
    out.append(("generic_org", grammar().generic_org))
    r = entities.entity_rules()
    out += [("entity.work.title", entities._TITLE), ("entity.person.byline", r.byline),
            ("entity.person.title", r.title_person), ("entity.person.name_list", r.name_list),
            ("entity.org.abbrev", r.org_abbrev)]
    return out


@lru_cache(maxsize=1)
def _texts() -> list[str]:
    return [fold(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "corpus").rglob("*.txt"))]


def test_library_patterns_have_words() -> None:
    """The prefilters apply: most of the library's patterns have words (a change of the rules
    that loses them makes the extract slower, not wrong)."""
    pats = _library_patterns()
    named = [name for name, p in pats if required_words(p.pattern, p.flags) is not None]
    assert len(named) >= len(pats) * 2 // 3, named
    assert required_words(grammar().generic_org.pattern, grammar().generic_org.flags, behind=False) is not None


@pytest.mark.parametrize("name, pattern", _library_patterns(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_corpus_match_holds_a_word(name: str, pattern: regex.Pattern[str] | re.Pattern[str]) -> None:
    """Over whole texts (how the trigger patterns and date rules are run)."""
    words = required_words(pattern.pattern, pattern.flags)
    if words is None:
        pytest.skip(f"{name}: no words to check")
    for text in _texts():
        m = pattern.search(text)
        if m is not None:
            assert any(w in text for w in words), (name, m.group())
            assert may_match(pattern, text)


def test_every_clause_match_holds_a_word() -> None:
    """Inside one clause (how the generic organizer is searched): the words lie in the clause."""
    pattern = grammar().generic_org
    words = required_words(pattern.pattern, pattern.flags, behind=False)
    assert words is not None
    found = 0
    for text in _texts():
        for c in segment(text):
            m = pattern.search(text, c.start, c.end)
            if m is not None:
                found += 1
                assert any(text.find(w, c.start, c.end) >= 0 for w in words), m.group()
                assert may_match(pattern, text, c.start, c.end)
    assert found > 10  # the corpus names generic organizers: the check saw matches


@lru_cache(maxsize=1)
def _with_words() -> list[tuple[str, regex.Pattern[str] | re.Pattern[str], tuple[str, ...] | None,
                                tuple[str, ...] | None]]:
    return [(name, p, required_words(p.pattern, p.flags), required_words(p.pattern, p.flags, behind=False))
            for name, p in _library_patterns()]


_ALPHABET = "工会各级地组织系统送发去慰问关怀温暖新增家年月日号1２-/（(）)，。 获奖荣誉会员发展近来"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40), st.integers(0, 40), st.integers(0, 40))
def test_random_text_matches_hold_a_word(text: str, a: int, b: int) -> None:
    for name, pattern, words, spans in _with_words():
        if words is not None and pattern.search(text) is not None:
            assert any(w in text for w in words), name
        if spans is not None and pattern.search(text, a, b) is not None:
            assert any(text.find(w, a, b) >= 0 for w in spans), name

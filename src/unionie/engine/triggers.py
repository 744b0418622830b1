"""Trigger finding: every trigger word and pattern of a rule pack, matched
leftmost-longest on the folded text, minus the matches a rule or the text excludes."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Callable, NamedTuple, Sequence

from ..rules.loader import RulePack, TriggerRule
from ..lexicons import Boundaries, alternation, boundary_regex, may_match
from .grammar import grammar

__all__ = ["TriggerMatch", "TriggerFinder", "drop_quoted_names", "drop_run_ons"]


class TriggerMatch(NamedTuple):
    """A trigger word or pattern found at ``[start, end)`` (a named tuple: cheap to make)."""

    start: int
    end: int
    rule: TriggerRule

    @property
    def type(self) -> str:
        return self.rule.type


class TriggerFinder:
    """The trigger words and patterns of a rule pack, compiled once."""

    def __init__(self, rules: RulePack) -> None:
        self._by_word: dict[str, TriggerRule] = {}
        for t in sorted(rules.triggers(), key=lambda t: -t.confidence):
            for w in t.words:
                self._by_word.setdefault(w, t)
        words = list(self._by_word)
        # literal words: the stdlib engine matches a trie pattern several times faster
        self._word_re = re.compile(f"(?:{alternation(words)})") if words else None
        self._patterns = [(p, t) for t in rules.triggers() for p in t.patterns]
        # per trigger rule: the words that may not follow it (one trie pattern matched at the
        # trigger's end) and those that may not precede it (looked up by their last character)
        self._not_after: dict[int, tuple[re.Pattern[str] | None, Boundaries | None]] = {
            id(t): (re.compile(f"(?:{alternation(t.not_followed_by)})") if t.not_followed_by else None,
                    boundary_regex(t.not_preceded_by) if t.not_preceded_by else None)
            for t in rules.triggers()}
        self._kind_list = grammar().kind_list

    def candidates(self, folded: str) -> list[TriggerMatch]:
        """Every match of a word or pattern, sorted by start, the longest first."""
        cands: list[TriggerMatch] = []
        if self._word_re is not None:
            by_word = self._by_word
            make = tuple.__new__  # TriggerMatch's own __new__ without its Python frame: thousands per text
            cands = [make(TriggerMatch, (m.start(), m.end(), by_word[m.group()]))
                     for m in self._word_re.finditer(folded)]
        n_words = len(cands)
        for pat, rule in self._patterns:
            if not may_match(pat, folded):  # the text holds none of the words its matches hold
                continue
            for m in pat.finditer(folded, timeout=1.0):
                if m.end() > m.start():
                    cands.append(TriggerMatch(m.start(), m.end(), rule))
        if len(cands) > n_words:  # the word matches alone are in order already (distinct starts)
            # a pattern matching a word's very span is the surer reading when its rule is
            # (工会联合会正式|成立: the founding told with the union named, over the bare word)
            cands.sort(key=lambda t: (t.start, -(t.end - t.start), -t.rule.confidence))
        return cands

    def excluded(self, folded: str, t: TriggerMatch) -> bool:
        """The rule forbids the word after or before this match, or the match is an item of a
        list of kinds of work (在民主管理、劳动竞赛和“送温暖”等工作中: ``kind_list_*`` in
        ``data/engine.yaml``)."""
        r = t.rule
        if self._kind_list is not None and self._kind_list.match(folded, t.end):
            return True
        follow, precede = self._not_after[id(r)]
        if follow is not None and follow.match(folded, t.end):
            return True
        if precede is not None and precede.ends_at(folded, t.start):
            return True
        return bool(r.not_followed_by_patterns) and any(p.match(folded, t.end) for p in r.not_followed_by_patterns)

    def find(self, folded: str, aligned: Callable[[int, int], bool] | None = None,
             blocked: Sequence[tuple[int, int]] = ()) -> list[TriggerMatch]:
        """Trigger mentions, leftmost-longest, non-overlapping, in text order, none inside a
        ``blocked`` span. ``aligned(a, b)``: see :meth:`EventExtractor.find_triggers`."""
        out: list[TriggerMatch] = []
        last = -1
        blocked = sorted(blocked)
        blocked_starts = [a for a, _ in blocked]
        blocked_ends: list[int] = []  # running maximum of the ends, for overlapping blocked spans
        for _, b in blocked:
            blocked_ends.append(max(b, blocked_ends[-1]) if blocked_ends else b)
        for cand in self.candidates(folded):
            t: TriggerMatch | None = cand
            while t is not None and t.start >= last:
                i = bisect_right(blocked_starts, t.start) - 1
                if (i >= 0 and t.start < blocked_ends[i]) or (i + 1 < len(blocked) and blocked_starts[i + 1] < t.end):
                    break
                # the word checks come last: they may cut a run of the text into words
                if not self.excluded(folded, t):
                    if aligned is None or aligned(t.start, t.end):
                        out.append(t)
                        last = t.end
                    break
                # an excluded word may overlap a word that runs past it, which the leftmost-
                # longest scan skipped (维权服务点: not 维权服务 but the place 服务点); a word cut
                # across at both ends is dropped with the words overlapping it
                across = self._word_across(folded, t)
                if across is None or (aligned is not None and not aligned(t.start, t.end)):
                    break
                t = across
        return out

    def _word_across(self, folded: str, t: TriggerMatch) -> TriggerMatch | None:
        """The trigger word that starts inside ``t`` and ends after it (a word inside ``t``
        is excluded with it: “金秋助学”既是… holds no 助学 either)."""
        if self._word_re is None:
            return None
        for a in range(t.start + 1, t.end):
            m = self._word_re.match(folded, a)
            if m is not None and m.end() > t.end:
                return TriggerMatch(m.start(), m.end(), self._by_word[m.group()])
        return None


_QUOTE_SPAN = re.compile(r"[“‘「『\"][^“”‘’「」『』\"\n]{1,40}[”’」』\"]")


def drop_quoted_names(folded: str, triggers: list[TriggerMatch]) -> list[TriggerMatch]:
    """A trigger inside a quoted name is not one when the quote names the next trigger:
    “网上安康课堂”知识竞赛 is a quiz, not a class; “技能大比武”活动 keeps its trigger."""
    spans = [m.span() for m in _QUOTE_SPAN.finditer(folded)]
    span_starts = [a for a, _ in spans]
    starts = {t.start for t in triggers}
    out = []
    for t in triggers:
        i = bisect_left(span_starts, t.start) - 1
        q = spans[i] if i >= 0 and t.end < spans[i][1] else None
        if q is not None and any(s0 in starts for s0 in range(q[1], q[1] + 3)):
            continue
        out.append(t)
    return out


def drop_run_ons(triggers: list[TriggerMatch]) -> list[TriggerMatch]:
    """A trigger directly followed by another is a modifier of the second (培训 in 培训班…)."""
    return [t for i, t in enumerate(triggers) if not (i + 1 < len(triggers) and triggers[i + 1].start == t.end)]

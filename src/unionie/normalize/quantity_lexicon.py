"""The quantity lexicon: ``data/quantities.yaml`` compiled into the patterns and word
tables :mod:`unionie.normalize.quantities` reads around a numeral.

Every word the reader uses comes from the data file; what the patterns here write
themselves is the numeral notation (digits, separators, 十百千万亿, 点) and punctuation.
"""
from __future__ import annotations

import re as regex  # every pattern here is plain: the stdlib engine is the faster one for them
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any, Iterable

from ..lexicons import alternation, bundled_yaml
from .numbers import ARABIC, CN_NUMERAL_CHARS, SCALE_CHARS

__all__ = ["QuantityLexicon", "lexicon"]
_CN = CN_NUMERAL_CHARS


def _num_pattern(some: str, not_scale: str) -> str:
    """Layer 1, numerals: Arabic (separators, decimals, a scale, a space before 万/亿: 18 万),
    Chinese, and approximate Chinese: the ``some`` characters (几, 数: ``numerals.some`` in
    the lexicon) are part of the run, so that 几十万 is read whole or not at all. A scale
    character followed by ``not_scale`` (the 分点 of 百分点) is no scale."""
    return (rf"(?:{ARABIC})(?:[{SCALE_CHARS}]{{1,3}}(?!{not_scale})| [万萬亿億]{{1,2}})?"
            rf"|[{_CN}{regex.escape(some)}]+(?:[点點][零〇一二两三四五六七八九]+[万萬亿億]?)?")


def _num_start(some: str) -> str:
    """The characters a numeral of :func:`_num_pattern` starts with: a digit (every branch of
    ``ARABIC`` starts with ``\\d``) or a Chinese numeral of its class."""
    return rf"[\d{_CN}{regex.escape(some)}]"


def _alt(words: Iterable[str]) -> str:
    return alternation(words)


def _strs(xs: Iterable[Any] | None) -> list[str]:
    return [str(x) for x in xs or []]


@dataclass
class QuantityLexicon:
    """Compiled patterns of one quantity lexicon (``data/quantities.yaml`` by default)."""

    money: dict[str, str]
    percent: list[str]
    counts: list[str]
    per_units: list[str]
    pre: list[tuple[str, str]]          # (word, qualifier), longest first
    pre_not_after: dict[str, str]
    mid: dict[str, str]
    post: dict[str, str]
    post_not_before: dict[str, str]     # 多 after a unit is not 多 before a measure word (多项)
    bare_prefixes: dict[str, str]
    rate_prefixes: dict[str, list[str]]
    rate_time_units: frozenset[str]     # the units of a time average (日均, 年均)
    rate_joiners: tuple[str, ...]       # 和, 及: figures joined to one with a 每 share it
    each: str                           # 每: a rate written before the figure (每人每年)
    fused_not_verbs: frozenset[str]     # 年底, 月内: a time word, not a rate fused to a verb
    currency_before: dict[str, str]
    generic_yuan: frozenset[str]
    national_currency: str              # 人民币: kept in the span before a figure, after 元
    national_yuan: str                  # 元 (the unit 人民币 may follow)
    ordinal_prefixes: frozenset[str]    # 第: a numeral after one is an ordinal
    articles: frozenset[str]            # 一 (一支队伍): not a figure alone
    article_figures: frozenset[str]     # 一: a figure before 个亿 or a range
    money_minor: dict[str, Decimal]
    money_noun_re: regex.Pattern[str] | None
    bare_idioms: dict[str, Decimal]
    ge_re: regex.Pattern[str]
    totals: tuple[str, ...]
    minor_re: regex.Pattern[str]
    num_re: regex.Pattern[str]
    num_start_re: regex.Pattern[str]    # a character a numeral of num_re can start with
    unit_re: regex.Pattern[str]
    range_re: regex.Pattern[str]
    mid_re: regex.Pattern[str]
    scale_re: regex.Pattern[str]
    per_re: regex.Pattern[str]
    per_unit_re: regex.Pattern[str]
    post_re: regex.Pattern[str]
    each_re: regex.Pattern[str]
    names_re: regex.Pattern[str] | None
    percent_words_re: regex.Pattern[str]
    cheng_re: regex.Pattern[str]
    fused_re: regex.Pattern[str]

    def __post_init__(self) -> None:
        # the qualifier words before a number, by word (the first listed wins) and by length
        self.pre_words: dict[str, str] = {}
        for w, k in self.pre:
            self.pre_words.setdefault(w, k)
        self.pre_lengths = sorted({len(w) for w in self.pre_words}, reverse=True)
        self.pre_last = frozenset(w[-1] for w in self.pre_words)
        # the rate words before money, longest first (每人每年 before 每人)
        self.rate_prefixes_longest_first = sorted(self.rate_prefixes.items(), key=lambda x: -len(x[0]))
        self.rate_prefix_re = regex.compile(_alt(self.rate_prefixes)) if self.rate_prefixes else None
        self.currency_longest_first = sorted(self.currency_before.items(), key=lambda x: -len(x[0]))
        self.currency_last = frozenset(w[-1] for w in self.currency_before)

    def currency_before_at(self, text: str, start: int) -> tuple[str, str] | None:
        """The currency word (人民币, 港币, 美金 ...) ending at ``start`` (a space between
        allowed) and the number of characters it takes, or None."""
        end = start - 1 if start > 0 and text[start - 1] == " " else start
        if end <= 0 or text[end - 1] not in self.currency_last:  # no currency word ends here
            return None
        for w, code in self.currency_longest_first:
            if text.endswith(w, 0, end):
                return code, text[end - len(w):start]
        return None

    def pre_before(self, text: str, start: int) -> tuple[str, str] | None:
        """The longest qualifier word ending at ``start`` and its qualifier, or None."""
        if start <= 0 or text[start - 1] not in self.pre_last:  # no word can end here
            return None
        words = self.pre_words
        for n in self.pre_lengths:
            if n <= start:
                k = words.get(text[start - n:start])
                if k is not None:
                    return text[start - n:start], k
        return None

    @classmethod
    def from_dict(cls, d: dict) -> "QuantityLexicon":
        return cls(**_words(d), **_patterns(d))


def _words(d: dict) -> dict[str, Any]:
    """The word tables of a lexicon."""
    q = d["qualifiers"]
    pre = [(w, k) for k, ws in q["pre"].items() for w in ws]
    pre.sort(key=lambda x: -len(x[0]))
    national, articles = d["national_currency"], d["articles"]
    return dict(
        money={str(k): str(v) for k, v in d["money"].items()},
        percent=_strs(d["percent"]), counts=_strs(d["counts"]), per_units=_strs(d["per_units"]),
        pre=pre,
        mid={w: k for k, ws in q["mid"].items() for w in ws},
        post={w: k for k, ws in q["post"].items() for w in ws},
        post_not_before={str(k): "".join(_strs(v)) for k, v in (d.get("post_not_before") or {}).items()},
        pre_not_after={w: "".join(map(str, v)) for k, v in (d.get("pre_not_after") or {}).items()
                       for w in str(k).split()},  # a key may name several words
        bare_prefixes={str(k): str(v) for k, v in d["bare_scale_prefixes"].items()},
        rate_prefixes={str(k): _strs(v) for k, v in d["rate_prefixes"].items()},
        rate_time_units=frozenset(_strs(d.get("rate_time_units"))),
        rate_joiners=tuple(_strs(d.get("rate_joiners"))),
        each=str(d["each"]),
        fused_not_verbs=frozenset("".join(_strs(d["fused_time"]["not_verbs"]))),
        currency_before={str(k): str(v) for k, v in (d.get("currency_before") or {}).items()},
        generic_yuan=frozenset(_strs(d.get("generic_yuan"))),
        national_currency=str(national["word"]), national_yuan=str(national["after"]),
        ordinal_prefixes=frozenset(_strs(d.get("ordinal_prefixes"))),
        articles=frozenset(_strs(articles["words"])), article_figures=frozenset(_strs(articles["figures"])),
        money_minor={str(k): Decimal(str(v)) for k, v in (d.get("money_minor") or {}).items()},
        bare_idioms={str(k): Decimal(str(v)) for k, v in (d.get("bare_scale_idioms") or {}).items()},
        totals=tuple(_strs(d.get("totals"))),
    )


def _patterns(d: dict) -> dict[str, Any]:
    """The compiled patterns of a lexicon."""
    not_after = {str(k): _strs(v) for k, v in (d.get("not_after") or {}).items()}
    units = sorted(set(map(str, d["money"])) | set(_strs(d["percent"])) | set(_strs(d["counts"])),
                   key=lambda w: (-len(w), w))
    parts = [regex.escape(u) + (f"(?!{_alt(not_after[u])})" if not_after.get(u) else "") for u in units]
    q = d["qualifiers"]
    pu = _alt(_strs(d["per_units"]))
    numerals = d["numerals"]
    some = "".join(_strs(numerals["some"]))
    num = _num_pattern(some, _alt(_strs(numerals["not_scale"])))
    names = _strs(d.get("names")) + _strs(d.get("idioms"))
    nouns = _strs(d.get("money_nouns"))
    minor = {str(k): Decimal(str(v)) for k, v in (d.get("money_minor") or {}).items()}
    digit = "0-9零〇一二两兩三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖"
    jiao = "".join(k for k, v in minor.items() if v == Decimal("0.1"))
    fen = "".join(k for k, v in minor.items() if v == Decimal("0.01"))
    guard = {str(k): _strs(v) for k, v in d["money_minor_not_before"].items()}
    ge, cheng, fused, each = d["ge"], d["percent_cheng"], d["fused_time"], _alt([str(d["each"])])
    return dict(
        money_noun_re=(regex.compile(rf"(?:{_alt(nouns)})(?:{_alt(_strs(d.get('money_noun_links')))})?$")
                       if nouns else None),
        ge_re=regex.compile(rf"{_alt([str(ge['word'])])}(?P<more>{_alt([str(ge['more'])])})?"
                            rf"(?P<scale>{_alt(_strs(ge['scales']))})"),
        minor_re=regex.compile(
            rf"(?:零?(?P<j>[{digit}])[{jiao}](?:零?(?P<f>[{digit}])[{fen}](?!{_alt(guard['after_jiao'])}))?"
            rf"|零?(?P<f2>[{digit}])[{fen}](?!{_alt(guard['alone'])}|[{digit}]))"),
        num_re=regex.compile(num),
        num_start_re=regex.compile(_num_start(some)),
        unit_re=regex.compile(r" ?(?P<unit>" + "|".join(parts) + ")"),
        range_re=regex.compile(rf" ?(?:{_alt(d.get('range_inclusive') or ['(含)'])})? ?"
                               rf"(?:{_alt(d['range_separators'])}) ?(?P<num>{num})"),
        # 余/多 after the numeral, past a space as the unit is (7200 余人: pasted from a web page)
        mid_re=regex.compile(rf" ?(?P<mid>{_alt(w for ws in q['mid'].values() for w in ws)})"),
        scale_re=regex.compile(rf"[{SCALE_CHARS}]{{1,3}}"),
        per_re=regex.compile(rf"(?:/\(?(?:{pu})(?:[·・.•/](?:{pu}))*\)?)+"),
        per_unit_re=regex.compile(pu),
        post_re=regex.compile(rf"(?:{_alt(w for ws in q['post'].values() for w in ws)})"),
        each_re=regex.compile(
            rf"{each}(?P<p1>{pu})(?:{each}?(?P<p2>{pu}))?"
            rf"(?P<gap>[^\d，,。；;：:！？!?、\s{_CN}/]{{0,10}})$"),
        names_re=regex.compile(_alt(names)) if names else None,
        percent_words_re=regex.compile(rf"{_alt(_strs(d['percent_words']))}(?P<num>{num})"),
        cheng_re=regex.compile(rf"{_alt([str(cheng['word'])])}(?![{''.join(_strs(cheng['not_before']))}])"),
        fused_re=regex.compile(
            rf"(?:^|[，,。；;：:\s、）)”])(?:{_alt(_strs(fused['one']))})?"
            rf"(?P<t>[{''.join(_strs(fused['units']))}])(?P<v>[\u4e00-\u9fff]{{1,2}})$"),
    )


@lru_cache(maxsize=1)
def lexicon() -> QuantityLexicon:
    """The bundled lexicon, loaded on first use and cached."""
    return QuantityLexicon.from_dict(bundled_yaml("quantities.yaml"))

"""Document structure: paragraphs, sentences, clauses and list segments.

Works on the folded text. A line break inside a sentence (PDF copies, scraped
pages) is *soft*: the line before it is body text that does not end a sentence,
so the sentence goes on in the next non-empty line. A line break after a
heading or after a sentence end is *hard* and closes the paragraph.
"""
from __future__ import annotations

from typing import NamedTuple

import re  # plain classes and words: the stdlib engine is the faster one here

__all__ = ["Clause", "segment", "list_segments"]

_TERMINAL = "。！？!?；;…"
_CLOSERS = "”’」』)）】》\"'"
_BODY_PUNCT = re.compile(r"[，,、；;：:。！？!?]")
# list markers: 一、 （一） 1. 1) 第一章 ①–⑳ ⑴–⒇ ⒈–⒛ 第一， and bullets
_LIST_MARKER = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+(?:[、)）]|[.．](?!\d))|第[一二三四五六七八九十\d]+[部章节条]"
    r"|第[一二三四五六七八九十]+[，,、]|[\u2460-\u249b]|[■●◆▲★☆◎○•·\-—*])")
_SENT_END = re.compile(r"[。！？!?；;]+[”’」』]?")
_INDENT = re.compile(r"[ \t\u3000]{2,}")
_SENT_PUNCT = re.compile(r"[。！？!?；;]")
_COMMA = re.compile(r"[，,]")
_CLAUSE_SEP = frozenset("，,：:…")
_OPEN = {"“": "”", "‘": "’", "「": "」", "『": "』", "《": "》", "(": ")", "（": "）", "【": "】"}
_MAX_QUOTE = 40  # a "quote" longer than this is speech; clause separators inside it count


class Clause(NamedTuple):
    """A clause ``[start, end)`` of the text, with the indices of its sentence and paragraph
    (a named tuple: a document has thousands, made in one pass)."""

    start: int
    end: int
    sentence: int
    paragraph: int
    heading: bool = False  #: the clause is in a heading, a menu or a title line


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Paragraph extents: hard line breaks close a paragraph, soft ones do not."""
    lines: list[tuple[int, int]] = []
    pos = 0
    while True:
        nl = text.find("\n", pos)
        if nl < 0:
            break
        lines.append((pos, nl))
        pos = nl + 1
    lines.append((pos, len(text)))
    contents = [text[a:b].strip() for a, b in lines]
    # the next non-empty line after each line (one backward pass: linear in the lines)
    following: list[int | None] = [None] * len(lines)
    nxt_i: int | None = None
    for i in range(len(lines) - 1, -1, -1):
        following[i] = nxt_i
        if contents[i]:
            nxt_i = i
    paras: list[tuple[int, int]] = []
    cur: tuple[int, int] | None = None
    for i, (a, b) in enumerate(lines):
        content = contents[i]
        if not content:
            continue
        if cur is None:
            cur = (a, b)
        else:
            cur = (cur[0], b)
        # is the break after this line soft?
        k = following[i]
        nxt = contents[k] if k is not None else None
        last = content[-1]
        body_like = bool(_BODY_PUNCT.search(content)) or len(content) >= 20
        # a short line opening with a list mark is a heading, unless it ends in a comma: the
        # sentence goes on (4．组织建设。新建基层工会21家，\n新发展会员1160名: a PDF's line)
        heading_like = bool(_LIST_MARKER.match(content)) and len(content) <= 30 and last not in "，,、"
        next_raw = text[lines[k][0]:lines[k][1]] if k is not None else ""
        indented = bool(_INDENT.match(next_raw))
        soft = (nxt is not None and last not in _TERMINAL and last not in "：:"
                and not (last in _CLOSERS and len(content) > 1 and content[-2] in _TERMINAL)
                and body_like and not heading_like and not indented and not _LIST_MARKER.match(nxt))
        if not soft:
            paras.append(cur)
            cur = None
    if cur is not None:
        paras.append(cur)
    return paras


_STOPS: dict[frozenset[str], "re.Pattern[str]"] = {}


def _stops(seps: frozenset[str]) -> "re.Pattern[str]":
    """A class of the separators and the quote openers: where the splitter has to look."""
    pat = _STOPS.get(seps)
    if pat is None:
        chars = "".join(sorted(seps | set(_OPEN)))
        pat = _STOPS[seps] = re.compile("[" + "".join(re.escape(c) for c in chars) + "]")
    return pat


_SEPARATORS: dict[frozenset[str], "re.Pattern[str]"] = {}


def _separators(seps: frozenset[str]) -> "re.Pattern[str]":
    """A class of the separators: whether a piece holds one is one search."""
    pat = _SEPARATORS.get(seps)
    if pat is None:
        pat = _SEPARATORS[seps] = re.compile("[" + "".join(re.escape(c) for c in sorted(seps)) + "]")
    return pat


def _split_outside_quotes(text: str, a: int, b: int, seps: frozenset[str]) -> list[tuple[int, int]]:
    """Split ``text[a:b]`` at separator characters that are not inside a short quote."""
    if _separators(seps).search(text, a, b) is None:
        return [(a, b)]
    out: list[tuple[int, int]] = []
    start = a
    search = _stops(seps).search
    n = len(text)
    i = a
    while True:
        m = search(text, i, b)
        if m is None:
            break
        i = m.start()
        ch = text[i]
        if ch in _OPEN:
            j = text.find(_OPEN[ch], i + 1, min(b, i + 1 + _MAX_QUOTE))
            if j != -1:
                i = j + 1
                continue
        elif not ((ch in ",:" and 0 < i < n - 1 and text[i - 1].isdigit()
                   and text[i + 1].isdigit())  # 3,200人 and 10:30 are not clause breaks
                  or (ch == "、" and 0 < i < n - 1 and text[i - 1] in _NUMERAL_CHARS
                      and text[i + 1] in _NUMERAL_CHARS)):  # 一、二、三等奖 is one item
            out.append((start, i))
            start = i + 1
        i += 1
    out.append((start, b))
    return out


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and (text[a].isspace()):
        a += 1
    while b > a and (text[b - 1].isspace()):
        b -= 1
    return a, b


_MENU = re.compile(r"(?:[|｜]|>|»).*(?:[|｜]|>|»)|(?:\s[|｜]\s)")
_MENU_MARK = re.compile(r"[|｜>»]")  # every match of _MENU holds one: a fast scan first


def _is_heading(text: str, a: int, b: int) -> bool:
    """A heading, a title or a line of web-page furniture: no sentence punctuation and short,
    or a menu line (首页 | 新闻 | …)."""
    content = text[a:b].strip()
    if _MENU_MARK.search(content) and _MENU.search(content):
        return True
    if _SENT_PUNCT.search(content):
        return False
    return len(content) <= 30 or (len(content) <= 40 and not _COMMA.search(content))


_make = tuple.__new__  # a Clause with every field, without the named tuple's Python __new__

MAX_CLAUSE = 400  #: a longer "clause" (a text without punctuation) is cut into pieces of this size


def _bounded(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Cut clauses longer than MAX_CLAUSE (a dump without punctuation), at a space or 、 when
    there is one near the limit, so that the work per clause stays bounded."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        while b - a > MAX_CLAUSE:
            cut = a + MAX_CLAUSE
            for j in range(cut, a + MAX_CLAUSE // 2, -1):
                if text[j - 1] in " 、\t\u3000":
                    cut = j
                    break
            out.append((a, cut))
            a = cut
        out.append((a, b))
    return out


def segment(text: str) -> list[Clause]:
    """Clauses of ``text`` in order, each tagged with its sentence and paragraph index."""
    clauses: list[Clause] = []
    sent_id = 0
    for p_id, (pa, pb) in enumerate(_paragraph_spans(text)):
        heading = _is_heading(text, pa, pb)
        # sentences
        s_start = pa
        sentences: list[tuple[int, int]] = []
        for m in _SENT_END.finditer(text, pa, pb):
            sentences.append((s_start, m.end()))
            s_start = m.end()
        if s_start < pb:
            sentences.append((s_start, pb))
        for sa, sb in sentences:
            made = False
            # a short sentence opening with a list marker is a heading: （二）劳动竞赛蓬勃开展。
            lead = text[sa:sb].strip()
            sent_heading = heading or (bool(_LIST_MARKER.match(lead)) and len(lead) <= 22)
            for ca, cb in _bounded(_split_outside_quotes(text, sa, sb, _CLAUSE_SEP), text):
                ca, cb = _trim(text, ca, cb)
                # drop the sentence-final punctuation from the clause
                while cb > ca and text[cb - 1] in _TERMINAL:
                    cb -= 1
                if cb > ca:
                    clauses.append(_make(Clause, (ca, cb, sent_id, p_id, sent_heading)))
                    made = True
            if made:
                sent_id += 1
    return clauses


_LIST_SEP = frozenset("、")
_NUMERAL_CHARS = frozenset("一二三四五六七八九十")
_FIGURE = r"(?:\d|[一二两三四五六七八九十]+[个名家位项])"  # 12名, 四名, 四十个
_JOIN = r"(?:以及|和|及)"
_AND_FIGURE = re.compile(rf"{_JOIN}(?={_FIGURE})")
_DIGIT = re.compile(_FIGURE)
# 大型招聘會4場及企業專場招聘會21場: 及 right after a figure, before an item with its own figure
_FIGURE_AND = re.compile(rf"(?<=\d)\s?[^\d\W]{{1,2}}?(?P<join>{_JOIN})(?=[^，,。；;、\d]{{1,16}}?\d)")


def list_segments(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """The items of a list inside a clause: ``text[a:b]`` split at 、 outside quotes and brackets."""
    out: list[tuple[int, int]] = []
    for s0, s1 in _split_outside_quotes(text, a, b, _LIST_SEP):
        # 12名因公感染非典职工和4名困难职工: 和 between two figured items is a list separator
        m = _AND_FIGURE.search(text, s0, s1)
        if m is not None and _DIGIT.search(text, s0, m.start()):
            out.extend([(s0, m.start()), (m.end(), s1)])
        elif (m2 := _FIGURE_AND.search(text, s0, s1)) is not None:
            out.extend([(s0, m2.start("join")), (m2.end(), s1)])
        else:
            out.append((s0, s1))
    return out

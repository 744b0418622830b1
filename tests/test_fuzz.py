"""Fuzz tests of ``unionie.extract`` (issue 7): any text, no crash, valid offsets, same JSON.

Hypothesis feeds arbitrary text (control characters, NUL, emoji, HTML fragments, full-width
digits, Traditional characters, ``\\r\\n``) and mutations of corpus/reports/*.txt (cut at
random points, characters swapped, lines joined, line breaks and fragments inserted). For
every input:

* ``unionie.extract`` returns (it never raises on a ``str`` without lone surrogates);
* every span -- quantities, dates, entities, event triggers and arguments, and the
  quantity/date inside an argument -- satisfies ``text[start:end] == span.text``, and event
  extents lie inside the text;
* quantities and dates come in text order and do not overlap (their documented contract);
* ``to_dict()`` is JSON (strict: no NaN) that encodes as UTF-8 and round-trips;
* the same input gives the same JSON, in two calls and in other processes with other hash
  seeds.

The example counts are modest so that the suite stays fast; the heavier runs are marked slow.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import unionie

ROOT = Path(__file__).resolve().parents[1]
REPORTS = sorted((ROOT / "corpus" / "reports").glob("*.txt"))
TEXTS = [p.read_text(encoding="utf-8") for p in REPORTS]

FRAGMENTS = [
    # HTML remnants
    "&nbsp;", "<br>", "<br/>", "<p>", "</p>", '<p class="x">', "<span style='a'>", "</div>",
    "<!-- 注释 -->", "&amp;", "&lt;", "&gt;", "&#12345;", "&#x4e00;", "&#0;", "&#xD800;", "&bogus;",
    "<", ">", "&", "<10万元>",
    # line ends, controls, odd spaces
    "\r\n", "\r", "\n", "\n\n", "\t", "\x00", "\x07", "\x1b", "\x85", "\u2028", "\u2029", "\u3000",
    "\u00a0", "\ufeff", "\u200b",
    # emoji and other scripts
    "😀", "👍🏽", "👨‍👩‍👧", "𠀀", "Ünïcödé", "русский", "عربي",
    # full-width digits and punctuation
    "１２３", "２０２３年", "８．９万元", "１５％", "（", "）", "：", "，", "。", "；", "、",
    # Simplified and Traditional report phrases
    "总工会", "總工會", "工會", "舉辦", "培訓", "萬元", "職工", "慰问", "慰問", "困难职工", "投入资金",
    "8.9万元", "95户", "120，300人", "百分之八十", "30余名", "1-2万元", "2019年5月", "去年", "五年来",
    "发布时间：2019-12-24", "“五一劳动奖章”", "《工人日报》", "主席张华表示", "通讯员 王颖",
    "开展", "技能竞赛", "送温暖", "金秋助学", "建会", "入会", "个", "名", "人次", "次",
]

any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)
fragment_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS),
                                   st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=4)),
                         max_size=60).map("".join)


@st.composite
def mutated_report(draw: Any, max_ops: int = 6) -> str:
    """A corpus report cut, shuffled, joined and broken at random places."""
    text = draw(st.sampled_from(TEXTS))
    for op in draw(st.lists(st.sampled_from(["cut", "swap", "join", "break", "insert", "delete",
                                             "concat"]), min_size=1, max_size=max_ops)):
        n = len(text)
        if op == "cut":  # keep a random slice
            a = draw(st.integers(0, n))
            text = text[a:draw(st.integers(a, n))]
        elif op == "swap" and n >= 2:  # swap characters at random
            chars = list(text)
            for _ in range(draw(st.integers(1, 20))):
                i, j = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
                chars[i], chars[j] = chars[j], chars[i]
            text = "".join(chars)
        elif op == "join":  # lines joined (all, or with a fragment between them)
            text = text.replace("\n", draw(st.sampled_from(["", " ", "<br>", "\r\n", "，"])))
        elif op == "break":  # line breaks inserted at random points
            for _ in range(draw(st.integers(1, 10))):
                i = draw(st.integers(0, len(text)))
                text = text[:i] + draw(st.sampled_from(["\n", "\r\n", "<br>", "\n\n", "\u2029"])) + text[i:]
        elif op == "insert":
            i = draw(st.integers(0, n))
            text = text[:i] + draw(fragment_text) + text[i:]
        elif op == "delete" and n:
            a = draw(st.integers(0, n - 1))
            text = text[:a] + text[a + draw(st.integers(1, 50)):]
        elif op == "concat":
            text = text + draw(st.sampled_from(["", "\n", "<p>"])) + draw(st.sampled_from(TEXTS))[:800]
    return text


# ------------------------------------------------------------------------------- the checks

def spans(doc: unionie.Document) -> Iterator[tuple[str, Any]]:
    """Every object with text/start/end in a document, with a name for messages."""
    for q in doc.quantities:
        yield "quantity", q
    for d in doc.dates:
        yield "date", d
    for e in doc.entities:
        yield "entity", e
    for i, ev in enumerate(doc.events):
        yield f"event {i} trigger", ev.trigger
        for a in ev.arguments:
            yield f"event {i} argument {a.role}", a
            if a.quantity is not None:
                yield f"event {i} argument {a.role} quantity", a.quantity
            if a.date is not None:
                yield f"event {i} argument {a.role} date", a.date


def to_json(doc: unionie.Document) -> str:
    return json.dumps(doc.to_dict(include_text=True), ensure_ascii=False, allow_nan=False)


def check(text: str) -> unionie.Document:
    doc = unionie.extract(text)
    assert doc.text == text
    n = len(text)
    for what, s in spans(doc):
        assert 0 <= s.start <= s.end <= n, (what, s)
        assert text[s.start:s.end] == s.text, (what, s, text[s.start:s.end])
    for ev in doc.events:
        assert 0 <= ev.start <= ev.end <= n, ev
        assert ev.trigger.end > ev.trigger.start, ev
    for items in (doc.quantities, doc.dates):
        for a, b in zip(items, items[1:]):
            assert a.end <= b.start, (a, b)  # in text order, non-overlapping
    for q in doc.quantities:
        assert q.value.is_finite() and (q.value_max is None or q.value_max.is_finite()), q
    dumped = to_json(doc)
    dumped.encode("utf-8")  # no lone surrogate slipped into the output
    back = json.loads(dumped)
    assert back["text"] == text
    assert set(back) == {"doc_id", "published", "events", "quantities", "entities", "dates", "text"}
    assert to_json(unionie.extract(text)) == dumped  # deterministic
    return doc


FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(any_text)
def test_arbitrary_text(text: str) -> None:
    check(text)


@FUZZ
@given(fragment_text)
def test_html_controls_emoji_fullwidth_traditional(text: str) -> None:
    check(text)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_report())
def test_mutated_reports(text: str) -> None:
    check(text)


@pytest.mark.slow
@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated_report(max_ops=12))
def test_mutated_reports_more(text: str) -> None:
    check(text)


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=600).filter(lambda t: not any("\ud800" <= c <= "\udfff" for c in t)),
                 st.lists(st.sampled_from(FRAGMENTS), max_size=200).map("".join)))
def test_arbitrary_text_more(text: str) -> None:
    check(text)


# ------------------------------------------------------------------------------- fixed inputs

@pytest.mark.parametrize("text", [
    "", " ", "\n", "\r\n", "\x00", "\x00" * 50, "\t \u3000\u00a0\ufeff\n", "&nbsp;", "<br>", "<p></p>",
    "&nbsp;" * 40, "<br>" * 40, "１２３４５６７８９０", "😀" * 30, "\u2028\u2029",
    "工會舉辦培訓，共１２期&nbsp;<br/>投入資金８．９萬元，慰問困難職工家庭９５戶。",
    "新区总工会投入资金8.9万元\x00，慰问困难职工家庭95户。",
    "新区总工会投入资金8.9<b>万元</b>，慰问困难职工<br>家庭95户。",
    "新区总工会投入资金8.9万元，\r\n慰问困难职工家庭95户。\r\n",
    "。" * 300, "，" * 300, "万" * 300, "1" * 300, "1.2.3.4.5万元", "９" * 100 + "万元",
    "发布时间：" * 50, "“" * 100, "《" * 100, "<" * 100 + ">" * 100, "&#" * 100,
])
def test_edge_texts(text: str) -> None:
    check(text)


def test_every_corpus_report() -> None:
    for text in TEXTS:
        check(text)


def test_empty_and_blank_give_an_empty_document() -> None:
    for text in ("", " ", "\n\n", "\t\u3000 \r\n", "\x00"):
        doc = unionie.extract(text, doc_id="blank", published="2020-01-01")
        assert doc.text == text and doc.doc_id == "blank" and doc.published == "2020-01-01"
        assert (doc.quantities, doc.dates, doc.entities, doc.events) == ((), (), (), ())


def test_html_remnants_keep_offsets_into_the_original() -> None:
    text = "<p>春节期间，新区总工会投入资金8.9万元&nbsp;，慰问困难职工家庭95户。</p>"
    doc = check(text)
    assert any(q.text == "8.9万元" for q in doc.quantities)
    assert [e.type for e in doc.events] == ["subsidy"]


_SUBPROCESS = r"""
import json, sys
import unionie
texts = json.loads(sys.stdin.read())
out = [json.dumps(unionie.extract(t).to_dict(include_text=True), ensure_ascii=False, allow_nan=False)
       for t in texts]
sys.stdout.write(json.dumps(out))
"""


def _deterministic_mutations() -> list[str]:
    out = list(TEXTS)
    for i, t in enumerate(TEXTS):
        out.append(t.replace("\n", ""))  # one line
        out.append(t[len(t) // 3: 2 * len(t) // 3])  # cut
        out.append(t.replace("\n", "<br>\r\n") + "&nbsp;" * (i + 1))
    return out


@pytest.mark.slow
def test_same_json_in_other_processes_and_hash_seeds() -> None:
    """No set or dict order that depends on PYTHONHASHSEED reaches the output.

    Two fresh processes with different hash seeds (run side by side) give the same JSON
    for the corpus reports and mutations of them.
    """
    texts = json.dumps(_deterministic_mutations())
    procs = []
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONIOENCODING": "utf-8"}
        procs.append(subprocess.Popen([sys.executable, "-c", _SUBPROCESS], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                      text=True, encoding="utf-8"))
    outs = []
    for p in procs:
        out, err = p.communicate(texts, timeout=600)
        assert p.returncode == 0, err[-3000:]
        outs.append(json.loads(out))
    one, other = outs
    assert len(one) == len(other) == len(_deterministic_mutations())
    diff = [i for i, (a, b) in enumerate(zip(one, other)) if a != b]
    assert not diff, f"texts {diff} give other JSON under another PYTHONHASHSEED"

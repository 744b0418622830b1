"""Very long documents (issue 7): a 20 MB dump on one line must go through.

* Fast: a text over spaCy's 1,000,000-character limit is accepted and its offsets are exact.
* Slow: the layers outside the event engine (fold, quantities, dates, the publication date)
  run on 20 MB single-line texts -- report sentences repeated without newlines, and the
  same without any punctuation -- and their results scale with the number of repeats.
* Slow: the whole pipeline on 1 MB single-line texts, results scaling with the repeats.
* The whole pipeline on 20 MB is written but not run: the event engine is quadratic in the
  number of mentions (see the reason below); drop the marker once it is linear.

No test asserts a time: they check that the work completes and that the results are
consistent (a repeated text gives repeated results).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import unionie
from unionie._jiebacut import JiebaCut
from unionie.normalize.dates import find_dates, find_published
from unionie.normalize.quantities import find_quantities
from unionie.normalize.text import fold

ROOT = Path(__file__).resolve().parents[1]
REPORT = (ROOT / "corpus" / "reports" / "hubei-wuhan-2019-news.txt").read_text(encoding="utf-8")
#: the report on one line, and the same without any punctuation or space
LINE = REPORT.replace("\n", "")
BARE = re.sub(r"[\W_]", "", LINE)
SUBSIDY = "春节期间，新区总工会投入资金8.9万元，慰问困难职工家庭95户。"
MB = 1_000_000


def _repeat(unit: str, size: int) -> tuple[str, int]:
    n = max(1, size // len(unit.encode("utf-8")))
    return unit * n, n


def _exact(text: str, doc: unionie.Document) -> None:
    spans = [*doc.quantities, *doc.dates, *doc.entities, *(e.trigger for e in doc.events),
             *(a for e in doc.events for a in e.arguments)]
    bad = [s for s in spans if text[s.start:s.end] != s.text]
    assert not bad, bad[:5]


def test_text_over_spacys_million_character_limit() -> None:
    text = "。" * 1_000_050 + SUBSIDY
    doc = unionie.extract(text)
    _exact(text, doc)
    assert [q.text for q in doc.quantities] == ["8.9万元", "95户"]
    assert doc.quantities[0].start == 1_000_050 + SUBSIDY.index("8.9")
    assert [e.type for e in doc.events] == ["subsidy"]


@pytest.mark.slow
@pytest.mark.parametrize("unit", [LINE, BARE], ids=["one-line", "no-punctuation"])
def test_normalizers_on_20_mb(unit: str) -> None:
    """fold, quantities, dates and the publication date: linear, and consistent on 20 MB."""
    text, n = _repeat(unit, 20 * MB)
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded[:len(unit)] == fold(unit)
    one_q = find_quantities(unit)
    qs = find_quantities(text, folded)
    # repeats only meet at their edges: all but a few quantities per repeat are the unit's
    assert n * len(one_q) * 0.98 <= len(qs) <= n * len(one_q) * 1.02
    assert all(text[q.start:q.end] == q.text for q in qs[:: max(1, len(qs) // 5000)])
    one_d = find_dates(fold(unit))
    ds = find_dates(folded)
    assert n * len(one_d) * 0.98 <= len(ds) <= n * len(one_d) * 1.02
    assert find_published(folded) == find_published(fold(unit))


@pytest.mark.slow
@pytest.mark.parametrize("unit", [LINE, BARE], ids=["one-line", "no-punctuation"])
def test_whole_pipeline_on_1_mb(unit: str) -> None:
    one = unionie.extract(unit)
    text, n = _repeat(unit, MB)
    doc = unionie.extract(text)
    _exact(text, doc)
    assert n * len(one.quantities) * 0.98 <= len(doc.quantities) <= n * len(one.quantities) * 1.02
    assert n * len(one.dates) * 0.98 <= len(doc.dates) <= n * len(one.dates) * 1.02
    _events_scale(unit, one, doc, n)


def _events_scale(unit: str, one: unionie.Document, doc: unionie.Document, n: int) -> None:
    if unit is BARE:
        # without punctuation the whole text is one clause, and mentions of one type in a
        # clause are one activity (the engine merges them): the count does not scale
        assert {e.type for e in doc.events} == {e.type for e in one.events}
    else:
        assert n * len(one.events) * 0.9 <= len(doc.events) <= n * len(one.events) * 1.1 + 5


@pytest.mark.slow
@pytest.mark.parametrize("unit", [LINE, BARE], ids=["one-line", "no-punctuation"])
def test_whole_pipeline_on_20_mb(unit: str) -> None:
    one = unionie.extract(unit)
    text, n = _repeat(unit, 20 * MB)
    doc = unionie.extract(text)
    _exact(text, doc)
    assert n * len(one.quantities) * 0.98 <= len(doc.quantities) <= n * len(one.quantities) * 1.02
    _events_scale(unit, one, doc, n)


@pytest.mark.parametrize("blank_every", [0, 1, 7], ids=["no-blank-lines", "every-other-blank", "some-blank"])
def test_many_short_lines_are_paragraphs_in_linear_time(blank_every: int) -> None:
    """200,000 lines: each line that ends a sentence closes its paragraph. Finding the next
    non-empty line once per line was quadratic in the lines (about 80 s per case before)."""
    from unionie.engine.segment import _paragraph_spans, segment

    lines = []
    for i in range(200_000):
        lines.append(f"举办培训班{i % 97 + 1}期。")
        if blank_every and i % blank_every == 0:
            lines.append("   ")
    text = "\n".join(lines)
    paras = _paragraph_spans(text)
    assert len(paras) == 200_000
    assert all(text[a:b].startswith("举办培训班") and text[a:b].endswith("期。") for a, b in paras[:1000])
    clauses = segment(text)
    assert len(clauses) == 200_000 and clauses[-1].paragraph == 199_999


#: one long run of Han characters full of triggers (no punctuation between the activities)
TRIGGER_RUN = "市总工会举办职工技能竞赛八场参赛职工两千人"


@pytest.mark.parametrize("unit", [TRIGGER_RUN, BARE], ids=["triggers-in-one-run", "no-punctuation"])
def test_work_per_character_does_not_grow_with_the_length(unit: str, monkeypatch) -> None:
    """Linear cost, counted rather than timed: the characters jieba's route goes over grow with
    the text. A word-start proof that ran the route over the whole rest of a long run for
    every trigger made them grow with the square of the repeats (10 per character for 20
    repeats of TRIGGER_RUN, 40 for 80); bench/long_doc.py measures the time."""
    routed = [0]
    route = JiebaCut._route

    def counting_route(self, s):  # the real route, counted
        routed[0] += len(s)
        return route(self, s)

    monkeypatch.setattr(JiebaCut, "_route", counting_route)
    work = []
    for repeats in (20, 80):
        routed[0] = 0
        text = unit * repeats
        unionie.extract(text)
        work.append(routed[0] / len(text))
    assert work[1] <= 1.5 * work[0] + 1, work

"""Dates: the corpus in corpus/dates/*.jsonl is the specification.

Every line of every file is one test, named ``<file>:<line>`` (``relative:7``):

* ``{"text", "published", "dates": [{"text", "value", "grain"}, ...]}`` — find_dates
  must give exactly these mentions, in this order (span text, value and grain);
* ``published.jsonl``: ``{"text", "expected"}`` — what find_published reads.

Then property tests (Hypothesis) for the invariants, and a speed check.

Run with ``PYTHONPATH=src pytest tests/test_dates.py``.
"""
from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import json
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus" / "dates"
SEEDS = ROOT / "corpus" / "reports"
GOLD_DIR = ROOT / "corpus" / "gold"


def _load_dates_module():
    """``unionie.normalize.dates``, even while the package ``__init__`` (written by
    others) cannot be imported: the package is then registered without running it."""
    try:
        return importlib.import_module("unionie.normalize.dates")
    except ImportError:
        for name in [m for m in sys.modules if m == "unionie" or m.startswith("unionie.")]:
            del sys.modules[name]
        pkg_dir = ROOT / "src" / "unionie"
        for name, path in (("unionie", pkg_dir), ("unionie.normalize", pkg_dir / "normalize")):
            spec = importlib.util.spec_from_file_location(
                name, path / "__init__.py", submodule_search_locations=[str(path)])
            sys.modules[name] = importlib.util.module_from_spec(spec)  # not executed
        return importlib.import_module("unionie.normalize.dates")


dates = _load_dates_module()
find_dates, find_published = dates.find_dates, dates.find_published

PUBLISHED = dt.date(2023, 5, 1)


# ---------------------------------------------------------------------------
# The corpus
# ---------------------------------------------------------------------------

def _corpus(kind: str) -> list:
    cases = []
    for path in sorted(CORPUS.glob("*.jsonl")):
        if (path.stem == "published") != (kind == "published"):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                cases.append(pytest.param(json.loads(line), id=f"{path.stem}:{n}"))
    return cases


def _as_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@pytest.mark.parametrize("case", _corpus("dates"))
def test_dates_corpus(case):
    text = case["text"]
    found = find_dates(text, _as_date(case["published"]))
    for d in found:
        assert text[d.start:d.end] == d.text
    got = [{"text": d.text, "value": d.value, "grain": d.grain} for d in found]
    assert got == case["dates"]


@pytest.mark.parametrize("case", _corpus("published"))
def test_published_corpus(case):
    assert find_published(case["text"]) == _as_date(case["expected"])


def test_corpus_size():
    assert len(_corpus("dates")) + len(_corpus("published")) >= 120


# ---------------------------------------------------------------------------
# The annotated reports: publication dates and the gold time arguments
# ---------------------------------------------------------------------------

#: Time arguments in the gold files that find_dates does not read, on purpose.
_UNSUPPORTED_TIMES = {"今（２９）日"}  # Taiwan news style: "today, the 29th"


def _gold() -> list:
    docs: dict[str, dict] = {}
    for path in (GOLD_DIR / "seeds.jsonl", GOLD_DIR / "gold.jsonl"):
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    doc = json.loads(line)
                    docs[doc["doc_id"]] = doc
    return [pytest.param(doc, id=doc_id) for doc_id, doc in sorted(docs.items())]


@pytest.mark.parametrize("doc", _gold())
def test_gold_published_and_time_arguments(doc):
    path = SEEDS / f"{doc['doc_id']}.txt"
    if not path.exists():
        pytest.skip(f"{path} missing")
    text = path.read_text(encoding="utf-8")
    published = find_published(text)
    assert published == _as_date(doc["published"])
    found = {(d.start, d.end, d.text) for d in find_dates(text, published)}
    missing = [arg["text"] for event in doc["events"] for arg in event["arguments"]
               if arg["role"] == "time" and arg["text"] not in _UNSUPPORTED_TIMES
               and (arg["start"], arg["end"], arg["text"]) not in found]
    assert missing == []


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------

_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

_PIECES = [
    "2018", "2022", "1999", "2019-05-05", "2019/5/5", "2019.5.5", "12", "7", "30", "0", "5",
    "年", "月", "日", "号", "底", "初", "前", "以来", "至今", "至", "-", "—", "/", ".", " ", "\n",
    "去年", "今年", "上年", "当年", "明年", "前年", "上半年", "下半年", "一季度", "前三季度", "第",
    "五年来", "近", "五", "十", "二〇二二", "十三五", "期间", "“", "”", "近年来", "春节", "五一",
    "元旦", "夏季", "个月", "个百分点", "，", "。", "新区总工会", "开展", "万元", "人次",
]
_text_like = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)
_published = st.one_of(st.none(), st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31)))


def _check_offsets(text: str, found) -> None:
    last_end = 0
    for d in found:
        assert 0 <= d.start < d.end <= len(text)
        assert text[d.start:d.end] == d.text
        assert d.start >= last_end  # in text order, non-overlapping
        last_end = d.end
        assert d.grain in {"year", "month", "day", "period"}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200), _published)
def test_offsets_valid_on_any_text(text, published):
    _check_offsets(text, find_dates(text, published))
    find_published(text)  # never raises


@settings(max_examples=500, deadline=None)
@given(_text_like, _published)
def test_offsets_valid_on_date_like_text(text, published):
    _check_offsets(text, find_dates(text, published))


@settings(max_examples=500, deadline=None)
@given(_text_like, _published)
def test_full_width_digits_read_like_half_width(text, published):
    half = [(d.start, d.end, d.value, d.grain) for d in find_dates(text, published)]
    full = [(d.start, d.end, d.value, d.grain) for d in find_dates(text.translate(_FULL_WIDTH), published)]
    assert full == half
    assert find_published(text.translate(_FULL_WIDTH)) == find_published(text)


@settings(max_examples=200, deadline=None)
@given(_text_like, _published)
def test_deterministic(text, published):
    assert find_dates(text, published) == find_dates(text, published)
    assert find_published(text) == find_published(text)


@settings(max_examples=300, deadline=None)
@given(_text_like)
def test_without_published_only_absolute_forms_resolve(text):
    """A value found without a publication date is the same value with any date."""
    alone = find_dates(text)
    with_date = find_dates(text, PUBLISHED)
    assert [(d.start, d.end) for d in alone] == [(d.start, d.end) for d in with_date]
    for a, b in zip(alone, with_date):
        if a.value is not None:
            assert a.value == b.value


@settings(max_examples=200, deadline=None)
@given(st.integers(1900, 2100), st.integers(1, 12), st.integers(1, 28))
def test_every_written_day_round_trips(y, m, d):
    iso = dt.date(y, m, d).isoformat()
    for text in (f"{y}年{m}月{d}日", iso, f"{y}/{m}/{d}", f"{y}.{m:02d}.{d:02d}",
                 f"{y}年{m}月{d}日".translate(_FULL_WIDTH)):
        found = find_dates(f"于{text}召开", None)
        assert [(x.text, x.value, x.grain) for x in found] == [(text, iso, "day")]


def test_spans_are_cut_from_the_surface_text() -> None:
    """Matching runs on the folded copy; ``surface`` gives the spans as written."""
    from unionie.normalize.text import fold

    text = "２０２３年１２月，市總工會舉辦培訓"
    folded = fold(text)
    assert folded != text
    found = find_dates(folded, None, surface=text)
    assert [(d.text, d.value) for d in found] == [("２０２３年１２月", "2023-12")]
    assert all(text[d.start:d.end] == d.text for d in found)

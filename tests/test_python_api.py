"""The Python API a notebook user works with: extract_many (order, processes, laziness),
to_dataframe levels that group and sum right away, and Document's HTML display."""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

import unionie
from unionie.io import to_dataframe

pd = pytest.importorskip("pandas")

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "corpus" / "reports"
PATHS = sorted(REPORTS.glob("*.txt"))
SUBSIDY = "春节期间，新区总工会投入资金8.9万元，慰问困难职工家庭95户。"


def _texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in PATHS]


class Recorder:
    """An input generator that counts how many items were pulled from it."""

    def __init__(self, items):
        self.items = list(items)
        self.pulled = 0

    def __iter__(self):
        for item in self.items:
            self.pulled += 1
            yield item


@pytest.fixture(scope="module")
def docs():
    return list(unionie.extract_many(iter(PATHS)))


def test_paths_keep_input_order_and_take_the_file_stem(docs):
    assert [d.doc_id for d in docs] == [p.stem for p in PATHS]
    assert [d.text for d in docs] == _texts()
    shuffled = PATHS[::-1]
    assert [d.doc_id for d in unionie.extract_many(p for p in shuffled)] == [p.stem for p in shuffled]


def test_texts_and_pairs_keep_input_order(docs):
    texts = _texts()
    from_texts = list(unionie.extract_many(t for t in texts))
    assert [d.text for d in from_texts] == texts
    assert all(d.doc_id is None for d in from_texts)
    pairs = ((f"doc-{i:02d}", t) for i, t in enumerate(texts))
    from_pairs = list(unionie.extract_many(pairs))
    assert [d.doc_id for d in from_pairs] == [f"doc-{i:02d}" for i in range(len(texts))]
    # the same text gives the same events whatever the input form
    for a, b, c in zip(docs, from_texts, from_pairs):
        assert a.events == b.events == c.events


def test_mixed_inputs_and_a_bad_item():
    out = list(unionie.extract_many([SUBSIDY, ("p", SUBSIDY), PATHS[0]]))
    assert [d.doc_id for d in out] == [None, "p", PATHS[0].stem]
    with pytest.raises(TypeError, match="texts, paths or"):
        list(unionie.extract_many([42]))


def test_two_processes_give_the_same_results_in_the_same_order(docs):
    pairs = [(p.stem, t) for p, t in zip(PATHS, _texts())]
    short = [(f"s{i}", SUBSIDY.replace("95", str(90 + i))) for i in range(6)]
    items = pairs[:7] + short + pairs[7:]
    one = [d.to_dict(include_text=True) for d in unionie.extract_many(items, n_process=1)]
    two = [d.to_dict(include_text=True) for d in unionie.extract_many(items, n_process=2, batch_size=2)]
    assert [d["doc_id"] for d in two] == [i for i, _ in items]
    assert one == two
    ids = {i for i, _ in short}
    # documents read from paths say where they came from ("source"); the rest is the same
    assert [{k: v for k, v in d.to_dict().items() if k != "source"} for d in docs] == [
        {k: v for k, v in d.items() if k != "text"} for d in one if d["doc_id"] not in ids]
    assert all(d.source["format"] == "txt" and d.source["path"] for d in docs)
    # workers send back plain Documents, not spaCy Docs
    back = next(unionie.extract_many(items[:2], n_process=2))
    assert type(back) is unionie.Document


def test_extract_many_is_lazy_with_one_process():
    source = Recorder(f"第{i}期，投入资金{i}万元，慰问困难职工{i}户。" for i in range(1, 200))
    it = unionie.extract_many(iter(source))
    assert source.pulled == 0  # nothing is read before the first result is asked for
    first = next(it)
    assert source.pulled == 1
    assert first.text.startswith("第1期")
    second = next(it)
    assert source.pulled == 2 and second.text.startswith("第2期")
    it.close()


def test_extract_many_is_lazy_with_two_processes():
    n = 400
    source = Recorder(f"今年举办技能大赛{i}场。" for i in range(n))
    it = unionie.extract_many(iter(source), n_process=2, batch_size=2)
    first = next(it)
    assert first.text == "今年举办技能大赛0场。"
    assert 1 <= source.pulled <= 4 * (2 * 2 * 4), source.pulled  # a window or so, not the whole input
    assert source.pulled < n
    it.close()  # stops the workers


def test_to_dataframe_events_group_and_sum(docs):
    df = to_dataframe(docs, level="events")
    assert len(df) == sum(len(d.events) for d in docs)
    for col in ("doc_id", "type", "trigger", "organizer", "time", "amount_cny", "person_count",
                "org_count", "count", "start", "end"):
        assert col in df.columns
    assert str(df.amount_cny.dtype) == "Float64" and str(df.start.dtype) == "Int64"
    money = df.groupby("type").amount_cny.sum()
    expected: dict[str, Decimal] = {}
    for d in docs:
        for e in d.events:
            for a in e.args("amount"):
                if a.quantity is not None and a.quantity.unit == "CNY" and not a.quantity.per:
                    expected[e.type] = expected.get(e.type, Decimal(0)) + a.quantity.value
    assert expected, "the corpus has subsidy money"
    for t, v in expected.items():
        assert money[t] == pytest.approx(float(v))
    per_doc = df.groupby("doc_id").size()
    assert per_doc.to_dict() == {d.doc_id: len(d.events) for d in docs if d.events}
    contests = df[df.type == "contest"].groupby("doc_id").size()
    assert contests.sum() == sum(len(d.events_of("contest")) for d in docs)
    # offsets point into the texts
    text = {d.doc_id: d.text for d in docs}
    row = df.iloc[0]
    assert text[row.doc_id][row.trigger_start:row.trigger_end] == row.trigger


def test_to_dataframe_arguments_and_quantities(docs):
    args = to_dataframe(docs, level="arguments")
    assert len(args) == sum(len(e.arguments) for d in docs for e in d.events)
    roles = args.groupby("role").size()
    assert roles["organizer"] > 0 and roles["amount"] > 0
    cny = args[(args.role == "amount") & (args.unit == "CNY")].value.sum()
    assert cny > 0
    qty = to_dataframe(docs, level="quantities")
    assert len(qty) == sum(len(d.quantities) for d in docs)
    by_unit = qty.groupby("unit").value.sum()
    want = sum(q.value for d in docs for q in d.quantities if q.unit == "CNY")
    assert by_unit["CNY"] == pytest.approx(float(want))
    assert qty.in_event.dtype == "boolean" and qty.in_event.any()
    assert set(to_dataframe(docs, level="documents").doc_id) == {d.doc_id for d in docs}


def test_document_repr_html_highlights_the_text():
    doc = unionie.extract(SUBSIDY, doc_id="seed")
    html = doc._repr_html_()
    assert html.startswith('<div class="unionie-doc">')
    assert "<script" not in html and "http://" not in html and "https://" not in html
    marks = re.findall(r'<mark class="([^"]*)"[^>]*>(.*?)</mark>', html)
    classes = " ".join(c for c, _ in marks)
    assert "trig" in classes and "arg" in classes and "qty" in classes
    marked_text = "".join(t for _, t in marks)
    for piece in ("慰问", "8.9万元", "95户", "新区总工会"):
        assert piece in marked_text or piece in html
    assert "subsidy" in html
    assert "8.9万元" in html  # the money column of the events table


def test_document_repr_html_escapes_the_text():
    html = unionie.extract("<b>职工</b> & 工会投入资金5万元慰问困难职工。", doc_id="x")._repr_html_()
    assert "<b>职工</b>" not in html
    assert "&lt;b&gt;" in html

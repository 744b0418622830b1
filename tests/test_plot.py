"""unionie.plot: real matplotlib (Agg) charts whose bars are the DataFrame's group sums."""
from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
pd = pytest.importorskip("pandas")
import matplotlib.pyplot as plt
from PIL import Image

import unionie
import unionie.plot as uplot
from unionie.io import to_dataframe
from unionie.render.pages import type_label

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "corpus" / "reports"


@pytest.fixture(scope="module")
def docs():
    paths = sorted(REPORTS.glob("*.txt"))
    out = list(unionie.extract_many(paths))
    # a document without events, and one without a doc_id or a publication date
    out.append(unionie.extract("今天天气很好。", doc_id="no-events"))
    out.append(unionie.extract("今年举办技能大赛12场，投入资金5万元慰问困难职工20户。"))
    return out


@pytest.fixture(scope="module")
def events(docs):
    return to_dataframe(docs, "events")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _png(ax, path: Path) -> Image.Image:
    ax.figure.savefig(path, dpi=60)
    img = Image.open(path)
    img.load()
    assert img.size[0] > 100 and img.size[1] > 100
    lo, hi = img.convert("L").getextrema()
    assert hi - lo > 100, "the chart is blank"
    return img


def _bar_values(ax, horizontal: bool) -> dict[str, float]:
    """label -> bar length, for a chart with one container."""
    assert len(ax.containers) == 1
    bars = ax.containers[0]
    axis = ax.get_yticklabels() if horizontal else ax.get_xticklabels()
    labels = [t.get_text() for t in axis]
    values = [b.get_width() if horizontal else b.get_height() for b in bars]
    assert len(labels) == len(values)
    return dict(zip(labels, values))


def test_money_by_type_bars_are_the_groupby_sums(docs, events, tmp_path):
    ax = uplot.money_by_type(docs)
    _png(ax, tmp_path / "money.png")
    expected = events.groupby("type").amount_cny.sum()
    expected = expected[expected > 0].sort_values(ascending=False)
    assert len(expected) >= 2
    got = _bar_values(ax, horizontal=True)
    assert list(got) == [type_label(t) for t in expected.index]  # largest first, top to bottom
    for t, v in expected.items():
        assert got[type_label(t)] == pytest.approx(float(v))
    assert ax.get_title().startswith("Money by event type")


def test_money_by_type_top(docs):
    ax = uplot.money_by_type(docs, top=2)
    assert len(ax.containers[0]) == 2


def test_events_by_type_bars_are_the_value_counts(docs, events, tmp_path):
    ax = uplot.events_by_type(docs)
    _png(ax, tmp_path / "types.png")
    counts = events["type"].value_counts()
    got = _bar_values(ax, horizontal=True)
    assert {k: int(v) for k, v in got.items()} == {type_label(t): int(n) for t, n in counts.items()}
    assert sum(got.values()) == len(events) == sum(len(d.events) for d in docs)
    heights = list(got.values())
    assert heights == sorted(heights, reverse=True)


def test_events_per_document_stacks_sum_to_each_documents_events(docs, events, tmp_path):
    ax = uplot.events_per_document(docs, top=None)
    _png(ax, tmp_path / "docs.png")
    names = [t.get_text() for t in ax.get_yticklabels()]
    n_per_doc = {(d.doc_id or f"document {i + 1}"): len(d.events) for i, d in enumerate(docs)}
    assert sorted(names) == sorted(n_per_doc)  # every document, with or without events
    totals = dict.fromkeys(names, 0.0)
    by_type = events.groupby(["doc_id", "type"]).size()
    labels = {type_label(t): t for t in events["type"].unique()}
    assert len(ax.containers) == len(labels)
    for container in ax.containers:
        t = labels[container.get_label()]
        for name, bar in zip(names, container):
            totals[name] += bar.get_width()
            if name in set(events.doc_id):
                assert bar.get_width() == by_type.get((name, t), 0)
    assert totals == pytest.approx({k: float(v) for k, v in n_per_doc.items()})
    assert totals["no-events"] == 0
    first = max(n_per_doc.values())
    assert totals[names[0]] == first  # most events on top (the y axis is inverted)
    assert ax.yaxis_inverted()


def test_events_per_document_top_keeps_the_largest(docs):
    ax = uplot.events_per_document(docs, top=3)
    assert len(ax.get_yticklabels()) == 3
    assert "3 of" in ax.get_title()


def _expected_years(docs) -> dict[str, int]:
    """Written independently of unionie.plot: first resolved time argument, else published."""
    counts: dict[str, int] = {}
    for d in docs:
        for ev in d.to_dict()["events"]:
            year = next((str(a["value"])[:4] for a in ev["arguments"]
                         if a["role"] == "time" and a.get("value") is not None), None)
            if year is None and d.published:
                year = d.published[:4]
            year = year or "unknown"
            counts[year] = counts.get(year, 0) + 1
    return counts


def test_events_per_year(docs, tmp_path):
    ax = uplot.events_per_year(docs)
    _png(ax, tmp_path / "years.png")
    years = [t.get_text() for t in ax.get_xticklabels()]
    expected = _expected_years(docs)
    assert sorted(years) == sorted(expected)
    known = [y for y in years if y != "unknown"]
    assert known == sorted(known) and all(len(y) == 4 and y.isdigit() for y in known)
    if "unknown" in years:
        assert years[-1] == "unknown"
    totals = dict.fromkeys(years, 0.0)
    for container in ax.containers:
        for y, bar in zip(years, container):
            totals[y] += bar.get_height()
    assert totals == pytest.approx({k: float(v) for k, v in expected.items()})


def test_event_years_uses_published_when_no_time():
    doc = {"doc_id": "a", "published": "2021-03-04", "events": [
        {"type": "contest", "trigger": {"text": "大赛", "start": 0, "end": 2}, "start": 0, "end": 2,
         "arguments": []},
        {"type": "contest", "trigger": {"text": "大赛", "start": 0, "end": 2}, "start": 0, "end": 2,
         "arguments": [{"role": "time", "text": "五年来", "start": 0, "end": 3, "value": "2016/2021"}]},
    ], "quantities": [], "entities": []}
    years = uplot.event_years([doc])
    assert list(years["year"]) == ["2021", "2016"]
    nopub = {**doc, "published": None}
    assert list(uplot.event_years([nopub])["year"]) == ["unknown", "2016"]


def test_dataframe_and_dict_inputs_give_the_same_bars(docs, events):
    dicts = [json.loads(json.dumps(d.to_dict())) for d in docs]  # as read from JSON Lines
    for fn in (uplot.money_by_type, uplot.events_by_type):
        a = _bar_values(fn(docs), True)
        b = _bar_values(fn(dicts), True)
        c = _bar_values(fn(events), True)
        assert a == pytest.approx(b) and a == pytest.approx(c)
    # a DataFrame has no documents without events, but the same stacks otherwise
    ax = uplot.events_per_document(events, top=None)
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert len(names) == events.doc_id.nunique(dropna=False)
    assert "(no doc_id)" in names  # the document extracted without a doc_id


def test_draws_on_the_given_axes_and_accepts_one_document(docs):
    _fig, axes = plt.subplots(2, 2)
    for fn, ax in zip((uplot.money_by_type, uplot.events_by_type, uplot.events_per_document,
                       uplot.events_per_year), axes.flat):
        assert fn(docs, ax=ax) is ax
    one = docs[-1]
    assert len(one.events) >= 2
    ax = uplot.events_by_type(one)
    assert sum(b.get_width() for b in ax.containers[0]) == len(one.events)


def test_generators_are_read_once(docs):
    ax = uplot.events_by_type(d for d in docs)
    assert sum(b.get_width() for b in ax.containers[0]) == sum(len(d.events) for d in docs)


def test_no_events_draws_an_empty_chart(tmp_path):
    for fn in (uplot.money_by_type, uplot.events_by_type, uplot.events_per_document,
               uplot.events_per_year):
        ax = fn([unionie.extract("今天天气很好。", doc_id="x")])
        assert not ax.containers
        assert any(t.get_text().startswith("no ") for t in ax.texts)
        ax.figure.savefig(tmp_path / "empty.png")
    ax = uplot.events_by_type([])
    assert any(t.get_text() == "no events" for t in ax.texts)


def test_chinese_labels_render_with_a_cjk_font(docs, tmp_path):
    font = uplot.cjk_font()
    if font is None:
        pytest.skip("no CJK font installed (apt-get install fonts-wqy-zenhei)")
    ax = uplot.events_by_type(docs)
    label = ax.get_yticklabels()[0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in label.get_text())
    assert font in label.get_fontfamily()
    assert font in ax.title.get_fontfamily()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ax.figure.savefig(tmp_path / "cjk.png", dpi=50)
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert not missing, missing[:3]
    assert matplotlib.rcParams["font.sans-serif"][0] != font  # global settings untouched


def test_bad_dataframe_is_explained():
    with pytest.raises(ValueError, match="type"):
        uplot.events_by_type(pd.DataFrame({"x": [1]}))


def test_importing_unionie_plot_loads_neither_matplotlib_nor_pandas():
    code = ("import sys, unionie.plot; "
            "print(sorted(m for m in ('matplotlib', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

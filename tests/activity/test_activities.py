"""The activity table on its own collection (corpus/activities/): joins and look-alikes kept
apart (expected.jsonl), organizer resolution (organizers.jsonl), totals, interfaces."""
from __future__ import annotations

import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

import unionie
from unionie.activity import DocContext, activities, summarize
from unionie.activity.summary import SummaryRow, format_summary
from unionie.cli import main

ROOT = Path(__file__).resolve().parents[2]
COLL = ROOT / "corpus" / "activities"
DOCS = COLL / "docs"


def _table(name: str) -> list[dict]:
    return [json.loads(line) for line in (COLL / name).read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def heldout_acts():
    return activities(list(unionie.extract_many(sorted((COLL / "heldout" / "docs").glob("*.txt")))))


@pytest.fixture(scope="module")
def docs():
    return list(unionie.extract_many(sorted(DOCS.glob("*.txt"))))


@pytest.fixture(scope="module")
def acts(docs):
    return activities(docs)


def _activity_of(acts, doc_id: str, phrase: str):
    """The activity of the first event of ``doc_id`` whose clause holds ``phrase`` (or, for
    ``=phrase``, is exactly it)."""
    exact = phrase.startswith("=")
    found = [a for a in acts for m in a.mentions if m.doc_id == doc_id
             and (m.text == phrase[1:] if exact else phrase in m.text)]
    assert found, f"no event of {doc_id} reads {phrase!r}"
    return found[0]


@pytest.mark.parametrize("row", _table("expected.jsonl"), ids=lambda r: r["id"])
def test_expected_grouping(acts, row):
    a = _activity_of(acts, *row["a"])
    b = _activity_of(acts, *row["b"])
    if row["relation"] == "same":
        assert a is b, row["why"]
        assert a.joins and all(j.why for j in a.joins)
    else:
        assert a is not b, row["why"]


@pytest.mark.parametrize("row", _table("heldout/expected.jsonl"), ids=lambda r: r["id"])
def test_heldout_grouping(heldout_acts, row):
    """A collection written after the rules were frozen (docs/activities.md, Measures)."""
    same = _activity_of(heldout_acts, *row["a"]) is _activity_of(heldout_acts, *row["b"])
    assert same == (row["relation"] == "same"), row["why"]


@pytest.mark.parametrize("row", _table("organizers.jsonl"), ids=lambda r: r["id"])
def test_organizer_resolution(row):
    text = unionie.io.read_text((DOCS / f"{row['doc']}.txt").resolve())
    o = DocContext(text).resolve(row["written"])
    assert (o.name, o.region, o.level) == (row["name"], row["region"], row["level"])
    assert o.resolved == (row["region"] is not None or row["level"] is not None)
    if not o.resolved:
        assert o.source.startswith("partial")


def test_mentions_point_at_extract_events(docs, acts):
    by_id = {d.doc_id: d for d in docs}
    n = 0
    for a in acts:
        for m in a.mentions:
            ev = by_id[m.doc_id].events[m.event]
            assert (ev.start, ev.end) == (m.start, m.end)
            assert by_id[m.doc_id].text[m.start:m.end] == m.text
            n += 1
    assert n == sum(len(d.events) for d in docs)


def test_repost_is_reported_as_near_duplicate(docs):
    dups = []
    activities(docs, near_dups=dups)
    pairs = {(d.original, d.copy) for d in dups}
    assert ("huaian-news-songwennuan", "huaian-news-songwennuan-repost") in pairs
    assert all("2023" not in d.copy or "2024" not in d.original for d in dups)


def test_year_from_title_beats_relative_time(acts):
    a = _activity_of(acts, "huaian-summary-2023", "投入资金735万元")
    assert a.year == 2023 and a.when.source.startswith("title")


def test_total_is_marked_and_not_added(acts):
    total = _activity_of(acts, "lianshui-summary-2024", "全年全县新建")
    assert total.is_total
    assert not _activity_of(acts, "huaian-news-orgbuilding", "58个").is_total


def test_parent_total_not_added_to_children(tmp_path):
    city = "淮安市总工会2024年工作总结\n\n2024年，全市各级工会共投入送温暖资金1000万元，慰问困难职工3万人。\n"
    county = "淮安市涟水县总工会2024年工作总结\n\n春节期间，县总工会投入送温暖资金86万元，慰问困难职工2100人。\n"
    docs = [unionie.extract(city, doc_id="city"), unionie.extract(county, doc_id="county")]
    acts = activities(docs)
    by_org = {r.key[0]: r for r in summarize(acts, ("organizer",))}
    assert by_org["淮安市总工会"].money_cny == 10_000_000
    assert by_org["涟水县总工会"].money_cny == 860_000
    (row,) = summarize(acts, ("year",))
    assert row.money_cny == 10_000_000  # not 10,860,000
    assert row.covered and "涟水县总工会" in row.covered[0]


def test_distinct_reports_keep_their_events(acts):
    # corpus reports are distinct: joining must not eat their events
    docs = list(unionie.extract_many(sorted((ROOT / "corpus" / "reports").glob("*.txt"))))
    n_events = sum(len(d.events) for d in docs)
    assert len(activities(docs)) >= 0.9 * n_events


def test_python_and_dataframe_interfaces(docs):
    assert unionie.activities is activities
    df = unionie.to_dataframe(docs, level="activities")
    assert len(df) == len(activities(docs))
    assert {"type", "organizer", "organizer_region", "organizer_level", "year", "is_total", "mentions",
            "joined", "figures"} <= set(df.columns)


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet", ".sqlite", ".duckdb", ".html"])
def test_cli_activities_formats(tmp_path, suffix):
    out = tmp_path / f"acts{suffix}"
    r = CliRunner().invoke(main, ["activities", str(DOCS), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert out.exists() and out.stat().st_size > 0
    if suffix == ".jsonl":
        recs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
        joined = [r for r in recs if len(r["mentions"]) > 1]
        assert joined and all(r["joined"] for r in joined)
        assert {"type", "organizer", "year", "figures", "is_total", "mentions"} <= set(recs[0])
        assert {"name", "region", "level"} <= set(recs[0]["organizer"])
        assert {"doc_id", "event", "start", "end", "text"} <= set(recs[0]["mentions"][0])
    if suffix == ".html":
        page = out.read_text(encoding="utf-8")
        assert page.startswith("<!DOCTYPE html>") and "淮安市总工会" in page
        assert "same name: 第二届新就业形态劳动者技能大赛" in page and "huaian-news-contest</b> event 1" in page
        assert "<script" not in page  # self-contained, nothing to run
    if suffix == ".sqlite":
        con = sqlite3.connect(out)
        n = con.execute("SELECT COUNT(*) FROM activities").fetchone()[0]
        m = con.execute("SELECT COUNT(*) FROM activity_mentions").fetchone()[0]
        con.close()
        assert 0 < n < m


def test_cli_summarize_and_plot(tmp_path):
    png = tmp_path / "totals.png"
    r = CliRunner().invoke(main, ["summarize", str(DOCS), "--by", "organizer,year,type", "--plot", str(png)])
    assert r.exit_code == 0, r.output
    assert "淮安市总工会" in r.output and "money_cny" in r.output and "7,350,000" in r.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    bad = CliRunner().invoke(main, ["summarize", str(DOCS), "--by", "colour"])
    assert bad.exit_code == 2


def test_format_summary_has_total_line(acts):
    text = format_summary(summarize(acts, ("type",)), ("type",))
    assert text.splitlines()[-1].startswith("total")


def test_format_summary_ties_in_unit_order():
    """Tied counts are listed by unit, so the table does not depend on the hash seed."""
    texts = {format_summary([SummaryRow(key=("x",), counts=dict(c))], ("organizer",))
             for c in ([("家", Decimal(3)), ("份", Decimal(3))], [("份", Decimal(3)), ("家", Decimal(3))])}
    assert len(texts) == 1 and "3 份; 3 家" in texts.pop()


def test_cli_activities_from_extract_jsonl(tmp_path):
    """`unionie extract --include-text` output is read as it is; a record without text is named."""
    jl = tmp_path / "events.jsonl"
    r = CliRunner().invoke(main, ["extract", str(DOCS), "-o", str(jl), "--include-text", "-q"])
    assert r.exit_code == 0, r.output
    out = tmp_path / "acts.jsonl"
    r = CliRunner().invoke(main, ["activities", str(jl), "-o", str(out), "-q"])
    assert r.exit_code == 0, r.output
    from_texts = tmp_path / "acts2.jsonl"
    CliRunner().invoke(main, ["activities", str(DOCS), "-o", str(from_texts), "-q"])
    assert out.read_text(encoding="utf-8") == from_texts.read_text(encoding="utf-8")
    bare = tmp_path / "bare.jsonl"
    bare.write_text(json.dumps({"doc_id": "x", "events": []}) + "\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["activities", str(bare), "-o", str(tmp_path / "a3.jsonl")])
    assert r.exit_code == 1 and "needs each document's text" in r.output


def test_empty_collection():
    assert activities([]) == []
    assert format_summary(summarize([]), ("organizer",)).splitlines()[-1].startswith("total")


def test_repeated_doc_ids_stay_two_documents():
    """Two folders may hold a file of the same name: doc_ids repeat, the documents do not merge."""
    a = unionie.extract("淮安市总工会2024年工作总结\n\n市总工会举办工会干部培训班12期，培训工会干部6200人次。\n", doc_id="same")
    b = unionie.extract("盐城市总工会2024年工作总结\n\n市总工会举办工会干部培训班12期，培训工会干部6200人次。\n", doc_id="same")
    acts = activities([a, b])
    assert len(acts) == 2
    assert {x.organizer.name for x in acts} == {"淮安市总工会", "盐城市总工会"}

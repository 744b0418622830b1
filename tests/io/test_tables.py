"""unionie.io.tables with real pandas and pyarrow: DataFrames, JSON Lines, CSV, Parquet."""
from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

pd = pytest.importorskip("pandas", reason='pandas is needed: pip install "unionie[data]"')

from iodocs import (  # noqa: E402
    SEED_CONTESTS,
    SEED_EVENTS,
    SEED_MONEY_BY_TYPE,
    SEED_SUBSIDY_MONEY,
    SYNTHETIC_SUBSIDY_MONEY,
    seed_docs,
    synthetic_documents,
)

from unionie.io.records import LEVELS  # noqa: E402
from unionie.io.tables import to_dataframe, write_csv, write_jsonl, write_parquet  # noqa: E402

ALL_LEVELS = list(LEVELS)


@pytest.fixture(scope="module")
def seeds():
    return seed_docs()


@pytest.fixture(scope="module")
def synthetic():
    return synthetic_documents()


@pytest.fixture(scope="module")
def events(seeds):
    return to_dataframe(seeds)


# ------------------------------------------------------------ answers on the seeds

def test_money_by_type_is_one_groupby(events):
    money = events.groupby("type").amount_cny.sum()
    for type_, total in SEED_MONEY_BY_TYPE.items():
        assert money[type_] == pytest.approx(total)
    assert money["contest"] == 0  # no amounts: sums to 0, the values themselves stay <NA>
    assert events.loc[events.type == "contest", "amount_cny"].isna().all()


def test_subsidy_money_per_organizer(events):
    sub = events[events.type == "subsidy"]
    per_org = sub.groupby("organizer", dropna=False).amount_cny.sum()
    got = {(None if pd.isna(k) else k): v for k, v in per_org.items() if v > 0}
    assert got == pytest.approx(SEED_SUBSIDY_MONEY)


def test_events_per_document_and_type(events):
    assert events.groupby("doc_id").size().to_dict() == SEED_EVENTS
    contests = events[events.type == "contest"].groupby("doc_id").size().to_dict()
    assert contests == SEED_CONTESTS


def test_event_columns_and_nullable_dtypes(events):
    assert list(events.columns)[:9] == ["doc_id", "event_index", "type", "trigger", "trigger_start",
                                        "trigger_end", "start", "end", "confidence"]
    for col in ("amount_cny", "rate_cny", "person_count", "org_count", "count", "items", "confidence"):
        assert str(events[col].dtype) == "Float64", col
    for col in ("event_index", "start", "end", "trigger_start"):
        assert str(events[col].dtype) == "Int64", col
    for col in ("doc_id", "type", "trigger", "organizer", "time", "name", "beneficiary"):
        assert str(events[col].dtype) == "string", col


@pytest.mark.parametrize("doc_id, event_index, column, expected", [
    ("zhenjiang-xinqu", 24, "person_count", 95.0),        # 95户 困难职工家庭
    ("zhenjiang-xinqu", 24, "person_count_unit", "户"),
    ("zhenjiang-xinqu", 24, "amount_cny", 89000.0),        # 8.9万元
    ("zhenjiang-xinqu", 24, "time", "春节期间"),
    ("zhenjiang-xinqu", 24, "organizer", "新区总工会"),
    ("zhenjiang-xinqu", 19, "rate_cny", 5000.0),           # 5000元/人/年, not an amount
    ("zhenjiang-xinqu", 0, "person_count", 2000.0),        # audience_count 2000余人次
    ("changzhou-xinbei", 40, "name", "区卫生计生工联会、孟河现代农业产业园工联会、西夏墅工具协会工联会、税务局工会"),
    ("changzhou-xinbei", 7, "count", 125.0),
    ("changzhou-xinbei", 28, "items", 1000.0),             # 近千个
    ("changzhou-xinbei", 18, "org_count", 10.0),
])
def test_flattened_event_values(events, doc_id, event_index, column, expected):
    row = events[(events.doc_id == doc_id) & (events.event_index == event_index)].iloc[0]
    assert row[column] == expected


def test_rate_is_not_counted_as_money(events):
    row = events[(events.doc_id == "zhenjiang-xinqu") & (events.event_index == 19)].iloc[0]
    assert pd.isna(row.amount_cny)


def test_arguments_level(seeds):
    args = to_dataframe(seeds, "arguments")
    assert len(args) == sum(len(e["arguments"]) for d in seeds for e in d["events"])
    rates = args[args.role == "rate"]
    assert set(rates[rates.unit == "CNY"].per) == {"人/年"}
    assert args[args.role == "organizer"].value.isna().all()
    money = args[(args.role == "amount") & (args.unit == "CNY")]
    assert money.groupby("type").value.sum()["subsidy"] == pytest.approx(5181000.0)
    # every argument row joins back to its event
    events = to_dataframe(seeds)
    joined = args.merge(events[["doc_id", "event_index", "type"]], on=["doc_id", "event_index"],
                        suffixes=("", "_ev"), validate="many_to_one")
    assert (joined.type == joined.type_ev).all()


def test_quantities_documents_entities_dates(seeds, synthetic):
    q = to_dataframe(seeds, "quantities")
    assert len(q) == sum(len(d["quantities"]) for d in seeds)
    assert q[q.unit == "CNY"].value.max() == 53380000.0
    assert q.in_event.any() and str(q.in_event.dtype) == "boolean"
    docs = to_dataframe(seeds, "documents")
    assert docs.set_index("doc_id").n_events.to_dict() == SEED_EVENTS
    assert docs.n_chars.notna().all()
    ents = to_dataframe(synthetic, "entities")
    assert set(ents.label) == {"ORG"}
    dates = to_dataframe(synthetic, "dates")
    assert "2021-05" in set(dates.value)


def test_documents_and_dicts_give_the_same_frame(synthetic):
    from_docs = to_dataframe(synthetic)
    from_dicts = to_dataframe([d.to_dict() for d in synthetic])
    pd.testing.assert_frame_equal(from_docs, from_dicts)


def test_synthetic_answers(synthetic):
    ev = to_dataframe(iter(synthetic))  # a generator works: read once
    money = ev[ev.type == "subsidy"].groupby("organizer").amount_cny.sum().to_dict()
    assert money == pytest.approx(SYNTHETIC_SUBSIDY_MONEY)
    assert set(ev.type) == {"subsidy", "contest", "training", "safety_inspection"}
    contest = ev[ev.type == "contest"].set_index("doc_id")
    assert contest.loc["synthetic-2021", "time_value"] == "2021-05"
    assert contest.loc["synthetic-2021", "person_count"] == 3000.0
    assert ev.confidence.notna().all() and ev.rule.str.startswith("test.").all()


def test_empty_input_keeps_columns_and_dtypes():
    for level in ALL_LEVELS:
        df = to_dataframe([], level)
        assert len(df) == 0 and list(df.columns) == [c for c, _ in LEVELS[level]]
    assert to_dataframe([]).groupby("type").amount_cny.sum().empty


def test_unknown_level_is_a_clear_error(seeds):
    from unionie.errors import InputError

    with pytest.raises(InputError, match="unknown level 'event'.*'events'"):
        to_dataframe(seeds, "event")


def test_bad_items_are_a_clear_error():
    from unionie.errors import InputError

    with pytest.raises(InputError, match="got str"):
        to_dataframe(["not a document"])


# ------------------------------------------------------------ files

def _restore_csv(path, level):
    """Read a CSV back with the level's dtypes (an empty field is <NA>)."""
    expected = to_dataframe([], level).dtypes.astype(str).to_dict()
    return pd.read_csv(path, dtype=expected, keep_default_na=False, na_values=[""])


def _blank_to_na(df):
    out = df.copy()
    for col in out.columns:
        if str(out[col].dtype) == "string":
            out[col] = out[col].mask(out[col] == "")
    return out


@pytest.mark.parametrize("level", ALL_LEVELS)
def test_parquet_round_trip(tmp_path, seeds, synthetic, level):
    pytest.importorskip("pyarrow", reason='pyarrow is needed: pip install "unionie[data]"')
    docs = seeds + [d.to_dict(include_text=True) for d in synthetic]
    path = tmp_path / f"{level}.parquet"
    n = write_parquet(iter(docs), path, level=level)
    expected = to_dataframe(docs, level)
    assert n == len(expected)
    back = pd.read_parquet(path)
    pd.testing.assert_frame_equal(back, expected)


def test_parquet_in_small_row_groups(tmp_path, seeds):
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "events.parquet"
    write_parquet(seeds, path, batch_rows=10)
    assert pq.ParquetFile(path).num_row_groups == 9  # 89 events
    pd.testing.assert_frame_equal(pd.read_parquet(path), to_dataframe(seeds))


@pytest.mark.parametrize("level", ALL_LEVELS)
def test_csv_round_trip(tmp_path, seeds, synthetic, level):
    docs = seeds + list(synthetic)
    path = tmp_path / f"{level}.csv"
    n = write_csv(docs, path, level=level)
    expected = _blank_to_na(to_dataframe(docs, level))
    assert n == len(expected)
    pd.testing.assert_frame_equal(_blank_to_na(_restore_csv(path, level)), expected)


def test_csv_answers_the_same_question(tmp_path, seeds):
    path = tmp_path / "events.csv"
    write_csv(seeds, path)
    df = pd.read_csv(path)  # plain read, no dtypes given
    assert df.groupby("type").amount_cny.sum()["subsidy"] == pytest.approx(5181000.0)


def test_csv_for_excel(tmp_path, seeds):
    path = tmp_path / "events.csv"
    write_csv(seeds, path, encoding="utf-8-sig")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "新区总工会".encode() in raw


def test_jsonl_round_trip(tmp_path, seeds, synthetic):
    path = tmp_path / "out.jsonl"
    docs = seeds + list(synthetic)
    assert write_jsonl(docs, path) == len(docs)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(docs)
    back = [json.loads(x) for x in lines]
    assert back[0]["events"] == seeds[0]["events"] and "text" not in back[0]
    assert back[2] == synthetic[0].to_dict()
    assert "新区总工会" in lines[1]  # UTF-8, not \\u escapes
    with_text = tmp_path / "text.jsonl"
    write_jsonl(synthetic, with_text, include_text=True)
    assert json.loads(with_text.read_text(encoding="utf-8").splitlines()[1])["text"] == synthetic[1].text


def test_jsonl_is_flushed_per_document(tmp_path, synthetic):
    path = tmp_path / "stream.jsonl"
    seen = []

    def produce():
        for doc in synthetic:
            # before yielding the next document, everything before it is on disk
            seen.append(len(path.read_text(encoding="utf-8").splitlines()) if path.exists() else 0)
            yield doc

    with open(path, "w", encoding="utf-8") as f:
        write_jsonl(produce(), f)
        assert not f.closed  # the caller's file stays open
    assert seen == [0, 1, 2]


def test_jsonl_to_binary_and_text_streams(synthetic):
    text = io.StringIO()
    write_jsonl(synthetic, text)
    binary = io.BytesIO()
    write_jsonl(synthetic, binary)
    assert binary.getvalue().decode("utf-8") == text.getvalue()
    assert not binary.closed


def test_missing_pandas_names_the_extra(monkeypatch, seeds):
    monkeypatch.setitem(sys.modules, "pandas", None)  # makes `import pandas` fail
    with pytest.raises(ImportError, match=r'pip install "unionie\[data\]"'):
        to_dataframe(seeds)


def test_importing_the_writers_imports_no_optional_dependency():
    code = ("import sys, unionie.io.tables, unionie.io.sql, unionie.render.report, unionie.render.display; "
            "print(sorted(m for m in ('pandas', 'pyarrow', 'duckdb', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

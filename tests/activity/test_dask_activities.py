"""The activity table on Dask equals the in-memory one (corpus/activities/, shuffled and
split into partitions, with reposts made across partitions), on the real Dask schedulers."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

import unionie
from unionie.activity import activities
from unionie.errors import InputError

db = pytest.importorskip("dask.bag")
dd = pytest.importorskip("dask.dataframe")
pd = pytest.importorskip("pandas")

from unionie.activity.dask import dask_activities  # noqa: E402

COLL = Path(__file__).resolve().parents[2] / "corpus" / "activities"


def _repost(text: str) -> str:
    """A portal's copy: another source line on top, ASCII commas for Chinese ones."""
    return "来源：某某新闻网 编辑：王某\n" + text.replace("，", ",")


@pytest.fixture(scope="module")
def texts() -> list[tuple[str, str]]:
    paths = sorted((COLL / "docs").glob("*.txt")) + sorted((COLL / "heldout" / "docs").glob("*.txt"))
    pairs = [(p.stem, p.read_text(encoding="utf-8")) for p in paths]
    by_id = dict(pairs)
    for doc_id in ("huaian-summary-2024", "xuzhou-news-sports", "lianshui-summary-2024"):
        pairs.append((doc_id + "-portal", _repost(by_id[doc_id])))
    random.Random(20).shuffle(pairs)
    return pairs


@pytest.fixture(scope="module")
def docs(texts):
    return list(unionie.extract_many(texts))


@pytest.fixture(scope="module")
def expected(docs):
    found: list = []
    acts = activities(docs, near_dups=found)
    return [a.to_dict() for a in acts], [d.to_dict() for d in found]


def _partition_of(n_docs: int, npartitions: int) -> list[int]:
    import dask

    parts = dask.compute(*db.from_sequence(range(n_docs), npartitions=npartitions).to_delayed(), scheduler="sync")
    return [k for k, part in enumerate(parts) for _ in part]


@pytest.mark.parametrize("scheduler,npartitions", [("sync", 5), ("threads", 7), ("sync", 1)])
def test_bag_of_documents_equals_in_memory(docs, expected, scheduler, npartitions):
    want, want_dups = expected
    found: list = []
    got = dask_activities(db.from_sequence(docs, npartitions=npartitions), near_dups=found, scheduler=scheduler)
    assert [a.to_dict() for a in got] == want
    assert [d.to_dict() for d in found] == want_dups


def test_the_collection_exercises_reposts_across_partitions(docs, expected):
    """The test above is only worth something if copies sit in other partitions than their
    originals and activities gather mentions from several partitions."""
    want, dups = expected
    part = _partition_of(len(docs), 5)
    pos = {d.doc_id: n for n, d in enumerate(docs)}
    assert len(dups) >= 3
    assert any(part[pos[d["original"]]] != part[pos[d["copy"]]] for d in dups)
    spread = [a for a in want if len({part[pos[m["doc_id"]]] for m in a["mentions"]}) > 1]
    assert len(spread) >= 5
    assert any(j["rule"] == "repost" for a in spread for j in a["joined"])


def test_schema_dicts_and_texts_are_read_too(texts, docs, expected):
    want, _ = expected
    dicts = [d.to_dict(include_text=True) for d in docs]
    got = dask_activities(db.from_sequence(dicts, npartitions=4), scheduler="sync")
    assert [a.to_dict() for a in got] == want
    got = dask_activities(db.from_sequence(texts, npartitions=3), scheduler="sync")  # extracted on the workers
    assert [a.to_dict() for a in got] == want


def test_dataframe_of_texts(texts, expected):
    want, _ = expected
    frame = pd.DataFrame({"doc_id": [i for i, _ in texts], "body": [t for _, t in texts]})
    got = dask_activities(dd.from_pandas(frame, npartitions=4), text_column="body", scheduler="sync")
    assert [a.to_dict() for a in got] == want


def test_documents_without_ids_get_the_in_memory_names(docs):
    bare = [{**d.to_dict(include_text=True), "doc_id": None} for d in docs[:8]]
    want = [a.to_dict() for a in activities(bare)]
    got = dask_activities(db.from_sequence(bare, npartitions=3), scheduler="sync")
    assert [a.to_dict() for a in got] == want
    assert {m["doc_id"] for a in want for m in a["mentions"]} <= {f"doc{n}" for n in range(8)}


def test_empty_bag_and_bad_input():
    assert dask_activities(db.from_sequence([], npartitions=1), scheduler="sync") == []
    with pytest.raises(InputError, match="dask.bag.Bag"):
        dask_activities([("a", "text")])
    frame = dd.from_pandas(pd.DataFrame({"doc_id": ["a"], "text": ["x"]}), npartitions=1)
    with pytest.raises(InputError, match="no column 'body'"):
        dask_activities(frame, text_column="body")

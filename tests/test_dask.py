"""unionie.dask on a real LocalCluster with two worker processes, against unionie.extract."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("dask.bag", reason='dask is needed: pip install "unionie[dask]"')
distributed = pytest.importorskip("dask.distributed", reason='pip install "unionie[dask]"')
pd = pytest.importorskip("pandas")

import dask.bag as db  # noqa: E402
import dask.dataframe as dd  # noqa: E402

import unionie  # noqa: E402
from unionie.dask import extract_bag, extract_dataframe  # noqa: E402
from unionie.errors import InputError, RuleError  # noqa: E402
from unionie.io.readers import read_text  # noqa: E402
from unionie.io.tables import to_dataframe  # noqa: E402

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
REPORTS = sorted((ROOT / "corpus" / "reports").glob("*.txt"))
EXAMPLE_PACK = ROOT / "examples" / "rules"


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0",
                                  silence_logs=50) as cluster, distributed.Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def pairs() -> list[tuple[str, str]]:
    return [(p.stem, read_text(p)) for p in REPORTS]


@pytest.fixture(scope="module")
def expected(pairs) -> list[dict]:
    return [unionie.extract(text, doc_id=doc_id).to_dict() for doc_id, text in pairs]


def _worker_loads(client) -> dict[str, dict[str, int]]:
    def loads() -> dict[str, int]:
        from unionie import core

        return {"bundled" if spec == core.ExtractorSpec() else repr(spec)[:40]: n
                for spec, n in core._BUILDS.items()}

    return client.run(loads)


def test_bag_of_pairs_gives_the_schema_dicts_of_extract(client, pairs, expected) -> None:
    bag = extract_bag(db.from_sequence(pairs, npartitions=7))
    assert bag.npartitions == 7
    assert bag.compute() == expected


def test_pipeline_is_loaded_once_per_worker_process(client, pairs) -> None:
    # seven partitions per run, several runs: each worker loaded the pipeline once
    extract_bag(db.from_sequence(pairs, npartitions=7)).compute()
    loads = _worker_loads(client)
    assert len(loads) == 2
    assert all(v.get("bundled", 0) <= 1 for v in loads.values())
    assert sum(v.get("bundled", 0) for v in loads.values()) >= 1


def test_bag_of_texts_and_records(client, pairs) -> None:
    text = "春节期间，新区总工会投入资金8.9万元，慰问困难职工家庭95户。"
    items = [text, {"doc_id": 7, "text": text}, ["x", "去年举办培训班12期。"]]
    got = extract_bag(db.from_sequence(items, npartitions=2), published="2019-05-05").compute()
    assert got == [unionie.extract(text, published="2019-05-05").to_dict(),
                   unionie.extract(text, doc_id="7", published="2019-05-05").to_dict(),
                   unionie.extract("去年举办培训班12期。", doc_id="x", published="2019-05-05").to_dict()]
    assert got[2]["events"][0]["arguments"][0]["value"] == "2018"  # 去年, resolved on the worker


def test_dataframe_one_row_per_event_with_declared_meta(client, pairs, expected) -> None:
    pdf = pd.DataFrame({"report": [t for _, t in pairs], "rid": [i for i, _ in pairs], "n": range(len(pairs))})
    ddf = dd.from_pandas(pdf, npartitions=3)
    out = extract_dataframe(ddf, text_column="report", id_column="rid")
    want = to_dataframe(expected, level="events")
    assert list(out.columns) == list(want.columns)
    assert dict(out._meta.dtypes.astype(str)) == dict(want.dtypes.astype(str))
    got = out.compute().reset_index(drop=True)
    assert len(got) == sum(len(d["events"]) for d in expected)
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    assert got["doc_id"].tolist() == want["doc_id"].tolist()


def test_user_rule_pack_is_shipped_to_the_workers(client, pairs, tmp_path) -> None:
    some = [p for p in pairs if p[0].startswith(("sichuan", "zhenjiang", "xinjiang", "beijing"))]
    pack = tmp_path / "pack"
    shutil.copytree(EXAMPLE_PACK, pack)
    bag = extract_bag(db.from_sequence(some, npartitions=2), rules=[pack])
    shutil.rmtree(pack)  # read on the client when the graph is built: the workers never need the file
    got = bag.compute()
    nlp = unionie.load(rules=[EXAMPLE_PACK])
    assert got == [unionie.extract(t, doc_id=i, nlp=nlp).to_dict() for i, t in some]
    assert any(e["type"] == "safety_production" for d in got for e in d["events"])


def test_bad_inputs_fail_before_anything_runs(tmp_path) -> None:
    ddf = dd.from_pandas(pd.DataFrame({"text": ["a"]}), npartitions=1)
    with pytest.raises(InputError, match="no column 'doc_id'"):
        extract_dataframe(ddf)
    bad = tmp_path / "bad.yaml"
    bad.write_text("type: x\nroles: [organizer]\ntriggers:\n  - id: x.a\n    patterns: ['(a+)+']\n",
                   encoding="utf-8")
    with pytest.raises(RuleError, match="nests quantifiers"):
        extract_bag(db.from_sequence(["a"]), rules=[bad])
    with pytest.raises(InputError, match="ISO date"):
        extract_bag(db.from_sequence(["a"]), published="May 2019")

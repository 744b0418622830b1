"""The core (``unionie.core``): one Extractor, built from a picklable spec, that every path runs.

Each row names what it checks; the spaCy components are adapters over the same stages, so
what they leave on a Doc is what the core gives.
"""
from __future__ import annotations

import datetime as _dt
import pickle
from pathlib import Path

import pytest
import spacy

import unionie
from unionie.core import DocRun, Extractor, ExtractorSpec, published_date, run_stages

ROOT = Path(__file__).resolve().parents[1]
PACK = ROOT / "examples" / "rules" / "safety_production.yaml"
SAFETY = "6月“安全生产月”期间，集团公司工会组织应急演练29场，参与职工4600余人次，查改各类隐患410余项。"
TEXTS = [SAFETY, "去年举办培训班12期，培训职工1500人次。", "春节期间，新区总工会投入资金8.9万元，慰问困难职工家庭95户。",
         (ROOT / "corpus" / "reports" / "zhenjiang-xinqu.txt").read_text(encoding="utf-8")]

PUBLISHED = [  # (given, the date it means)
    (None, None),
    ("2019-05-05", _dt.date(2019, 5, 5)),
    (" 2019-05-05\n", _dt.date(2019, 5, 5)),
    (_dt.date(2020, 1, 31), _dt.date(2020, 1, 31)),
    (_dt.datetime(2020, 1, 31, 23, 59), _dt.date(2020, 1, 31)),
]


@pytest.mark.parametrize("given,expected", PUBLISHED)
def test_published_is_parsed_into_a_date(given, expected) -> None:
    assert published_date(given) == expected
    assert type(published_date(given)) is type(expected)


@pytest.mark.parametrize("bad,error", [("5 May 2019", unionie.InputError), (20190505, TypeError)])
def test_a_bad_published_is_refused(bad, error) -> None:
    with pytest.raises(error):
        published_date(bad)


def test_an_extractor_pickles_as_its_spec_and_gives_the_same_documents() -> None:
    spec = ExtractorSpec.from_paths([PACK], user_words=["昱工心声"])
    ex = Extractor.from_spec(spec)
    assert Extractor.from_spec(spec) is ex  # built once per process
    data = pickle.dumps(ex)
    assert len(data) < 20_000  # the spec (rule text and words), not the compiled rules or a dictionary
    assert pickle.loads(data) is ex  # the same spec in the same process: the same extractor
    nlp = unionie.load(rules=[PACK], user_words=["昱工心声"])
    for text in TEXTS:
        assert ex.extract(text, doc_id="d") == unionie.extract(text, doc_id="d", nlp=nlp)
    assert any(e.type == "safety_production" for e in ex.extract(SAFETY).events)


def test_the_spec_of_a_pipeline_rebuilds_its_extractor() -> None:
    from unionie.pipeline.components import extractor_of

    nlp = unionie.load(rules=[PACK])
    core = extractor_of(nlp)
    assert core is not None and core.words is nlp.tokenizer
    rebuilt = Extractor(core.spec)  # what a spawned worker builds
    for text in TEXTS:
        assert rebuilt.extract(text) == core.extract(text)


def test_a_pipeline_with_another_component_has_no_core() -> None:
    from unionie.pipeline.components import extractor_of

    nlp = unionie.load()
    nlp.add_pipe("sentencizer")
    assert extractor_of(nlp) is None
    assert extractor_of(spacy.blank("zh")) is None


def test_the_components_leave_on_the_doc_what_the_core_gives() -> None:
    nlp = unionie.load()
    for text in TEXTS:
        run = DocRun.start(text, published_date("2021-03-01"))
        run_stages(run)
        doc = nlp.make_doc(text)
        doc._.published = "2021-03-01"  # a string given on the Doc is read once, into a date
        doc = nlp(doc)
        assert doc._.published == _dt.date(2021, 3, 1)
        assert (doc._.quantities, doc._.dates, doc._.entities) == (run.quantities, run.dates, run.entities)


def test_the_events_stage_runs_the_stages_before_it_that_did_not_run() -> None:
    ex = unionie.core.default_extractor()
    alone = DocRun.start(SAFETY)
    ex.events(alone)
    full = DocRun.start(SAFETY)
    run_stages(full)
    ex.events(full)
    assert alone == full and alone.quantities and alone.published is None  # the text states no date

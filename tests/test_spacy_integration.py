"""unionie inside spaCy, with real spaCy pipelines, real files and fresh processes.

* ``unionie.load()`` is a spaCy ``Language``; results are on ``doc._`` and ``doc.spans``.
* ``nlp.to_disk`` / ``spacy.load`` in a new process gives the same results and keeps the
  user rule packs, the user words and the lexicons, even once the original files are gone.
* In a process that never imports unionie, ``spacy.blank("zh")`` + ``nlp.add_pipe(...)``
  finds the components through the ``spacy_factories`` entry point.
* jieba's global tokenizer is never touched.
"""
from __future__ import annotations

import datetime
import json
import shutil
import subprocess
import sys
import textwrap
from importlib.metadata import entry_points
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import DocBin

import unionie
from unionie.io.readers import read_text
from unionie.tokenizer import UnionieTokenizer

ROOT = Path(__file__).resolve().parents[1]
REPORTS = sorted((ROOT / "corpus" / "reports").glob("*.txt"))
EXAMPLE_PACK = ROOT / "examples" / "rules"
PIPES = ["unionie_quantities", "unionie_dates", "unionie_entities", "unionie_events"]
SENTENCE = "春节期间，新区总工会投入资金8.9万元，慰问困难职工家庭95户。"
SAFETY = "6月“安全生产月”期间，集团公司工会组织应急演练29场，参与职工4600余人次，查改各类隐患410余项。"


def run_python(code: str, *args: str) -> str:
    """Run ``code`` in a fresh interpreter (cwd outside the repo); return its stdout."""
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code), *args], capture_output=True,
                          text=True, encoding="utf-8", cwd=Path(sys.executable).parent, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def run_python_many(*codes: str) -> list[str]:
    """Run several scripts in fresh interpreters at the same time; their stdouts."""
    procs = [subprocess.Popen([sys.executable, "-c", textwrap.dedent(c)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, encoding="utf-8",
                              cwd=Path(sys.executable).parent) for c in codes]
    outs = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err[-3000:]
        outs.append(out)
    return outs


def corpus_results(nlp: Language) -> dict[str, dict]:
    return {p.stem: unionie.extract(read_text(p), doc_id=p.stem, nlp=nlp).to_dict() for p in REPORTS}


# -- the Language unionie.load() returns ------------------------------------------------------
@pytest.fixture(scope="module")
def nlp() -> Language:
    return unionie.load()


def test_load_returns_a_spacy_language_with_the_four_components(nlp: Language) -> None:
    assert isinstance(nlp, Language)
    assert nlp.lang == "zh"
    assert nlp.pipe_names == PIPES
    assert isinstance(nlp.tokenizer, UnionieTokenizer)


def test_results_are_on_doc_extensions_and_span_groups(nlp: Language) -> None:
    doc = nlp(SENTENCE)
    assert [(e.type, e.trigger.text) for e in doc._.events] == [("subsidy", "慰问")]
    ev = doc._.events[0]
    roles = {a.role: a for a in ev.arguments}
    assert roles["amount"].quantity.value == 89000 and roles["amount"].quantity.unit == "CNY"
    assert roles["beneficiary_count"].quantity.value == 95
    assert [(q.text, q.unit) for q in doc._.quantities] == [("8.9万元", "CNY"), ("95户", "户")]
    assert [e.text for e in doc._.entities if e.label == "ORG"] == ["新区总工会"]
    spans = doc.spans["unionie_events"]
    assert [s.label_ for s in spans] == ["subsidy"]
    assert spans[0].start_char <= ev.start and ev.end <= spans[0].end_char
    assert [s.text for s in doc.spans["unionie_quantities"]] == ["8.9万元", "95户"]


def test_nlp_call_pipe_and_extract_agree(nlp: Language) -> None:
    texts = [read_text(p) for p in REPORTS[:3]]
    by_pipe = [[e.to_dict() for e in d._.events] for d in nlp.pipe(texts)]
    by_call = [[e.to_dict() for e in nlp(t)._.events] for t in texts]
    by_extract = [unionie.extract(t, nlp=nlp).to_dict()["events"] for t in texts]
    assert by_pipe == by_call == by_extract
    assert all(by_pipe)


def _values(doc) -> dict:
    return {k: list(getattr(doc._, k)) for k in ("events", "quantities", "dates", "entities")} | {
        "published": doc._.published, "spans": [(s.start, s.end, s.label_) for s in doc.spans["unionie_events"]]}


def test_docs_serialize_with_their_results(nlp: Language) -> None:
    texts = [SENTENCE, "发布时间：2019-05-05\n去年举办培训班12期，补贴5000元/人/年。"]
    docs = [nlp(t) for t in texts]
    back = list(DocBin(store_user_data=True, docs=docs).from_bytes(
        DocBin(store_user_data=True, docs=docs).to_bytes()).get_docs(nlp.vocab))
    assert [_values(d) for d in back] == [_values(d) for d in docs]
    assert back[1]._.published == datetime.date(2019, 5, 5)
    assert back[1]._.quantities[1].per == ("人", "年")


def test_nlp_pipe_with_worker_processes(nlp: Language) -> None:
    texts = [SENTENCE, read_text(REPORTS[0]), "去年举办培训班12期。"]
    assert [_values(d) for d in nlp.pipe(texts, n_process=2, batch_size=1)] == [_values(nlp(t)) for t in texts]


def test_the_components_are_exposed_by_entry_points() -> None:
    factories = {ep.name: ep.value for ep in entry_points(group="spacy_factories")}
    for name in PIPES:
        assert factories[name].startswith("unionie.pipeline.factories:")
    tokenizers = {ep.name for ep in entry_points(group="spacy_tokenizers")}
    assert "unionie.JiebaTokenizer.v1" in tokenizers


# -- to_disk / spacy.load -------------------------------------------------------------------
LOAD_SAVED = """
    import json, sys
    from pathlib import Path
    import spacy
    path, reports, probe = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
    nlp = spacy.load(path)  # finds unionie's tokenizer and components by entry point
    import unionie
    from unionie.io.readers import read_text
    out = {"pipe_names": nlp.pipe_names,
           "types": sorted(nlp.get_pipe("unionie_events").rules.types),
           "user_words": nlp.tokenizer.user_words,
           "probe": nlp.tokenizer.words(probe),
           "results": {Path(p).stem: unionie.extract(read_text(p), doc_id=Path(p).stem, nlp=nlp).to_dict()
                       for p in reports}}
    nlp.to_disk(path + "-again")  # a loaded pipeline saves its rules again
    again = spacy.load(path + "-again")
    out["types_again"] = sorted(again.get_pipe("unionie_events").rules.types)
    out["probe_again"] = again.tokenizer.words(probe)
    print(json.dumps(out, ensure_ascii=False))
"""
PROBE = "依托暖蜂驿站开通昱工心声意见箱"


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A pipeline with a user pack, user words and a lexicon file, saved; then the files are deleted."""
    tmp = tmp_path_factory.mktemp("saved")
    pack = tmp / "mypack"
    shutil.copytree(EXAMPLE_PACK, pack)
    lexicon = tmp / "mine.txt"
    lexicon.write_text("# my words\n暖蜂驿站 500 n\n", encoding="utf-8")
    nlp = unionie.load(rules=[pack], user_words=["昱工心声"], lexicon_paths=[lexicon])
    expected = corpus_results(nlp)
    probe = nlp.tokenizer.words(PROBE)
    path = tmp / "pipeline"
    nlp.to_disk(path)
    shutil.rmtree(pack)  # the saved pipeline must not need them any more
    lexicon.unlink()
    out = json.loads(run_python(LOAD_SAVED, str(path), json.dumps([str(p) for p in REPORTS]), PROBE))
    return {"path": path, "expected": expected, "probe": probe, "loaded": out}


def test_round_trip_gives_identical_results_on_the_corpus(saved: dict) -> None:
    loaded = saved["loaded"]
    assert loaded["pipe_names"] == PIPES
    assert set(loaded["results"]) == {p.stem for p in REPORTS}
    for doc_id, expected in saved["expected"].items():
        assert loaded["results"][doc_id] == expected, doc_id


def test_round_trip_keeps_the_user_rule_pack(saved: dict) -> None:
    assert "safety_production" in saved["loaded"]["types"]
    assert saved["loaded"]["types_again"] == saved["loaded"]["types"]
    assert [p.name for p in (saved["path"] / "unionie_events").iterdir()] == ["000_safety_production.yaml"]
    found = [e for d in saved["loaded"]["results"].values() for e in d["events"]
             if e["type"] == "safety_production"]
    assert found  # the pack's events come back from the saved pipeline


def test_round_trip_keeps_user_words_and_lexicons(saved: dict) -> None:
    assert saved["probe"] == ["依托", "暖蜂驿站", "开通", "昱工心声", "意见箱"]
    assert saved["loaded"]["probe"] == saved["probe"]
    assert saved["loaded"]["probe_again"] == saved["probe"]
    assert saved["loaded"]["user_words"] == ["昱工心声"]


def test_to_bytes_round_trip_keeps_rules_and_words(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(EXAMPLE_PACK, pack)
    nlp = unionie.load(rules=[pack], user_words=["昱工心声"])
    data = nlp.to_bytes()
    shutil.rmtree(pack)
    clone = spacy.blank("zh", config=nlp.config).from_bytes(data)
    assert "safety_production" in clone.get_pipe("unionie_events").rules.types
    assert [e.to_dict() for e in clone(SAFETY)._.events] == [e.to_dict() for e in nlp(SAFETY)._.events]
    assert clone.tokenizer.words(PROBE) == nlp.tokenizer.words(PROBE)


def test_a_users_pipeline_with_an_initialized_pack_loads_without_its_files(tmp_path: Path) -> None:
    """A pack given to ``initialize`` is saved with the pipeline; one given as the factory
    config's ``rules`` is part of the config, so spacy.load reads it again and names it when gone."""
    for how in ("initialize", "config"):
        pack = tmp_path / how / "pack"
        shutil.copytree(EXAMPLE_PACK, pack)
        nlp = spacy.blank("zh")
        if how == "initialize":
            nlp.add_pipe("unionie_events").initialize(rules=[str(pack)])
            assert nlp.config["components"]["unionie_events"]["rules"] == []
        else:
            nlp.add_pipe("unionie_events", config={"rules": [str(pack)]})
        expected = [e.to_dict() for e in nlp(SAFETY)._.events]
        assert "safety_production" in {e["type"] for e in expected}
        nlp.to_disk(tmp_path / how / "saved")
        shutil.rmtree(pack)
        if how == "initialize":
            loaded = spacy.load(tmp_path / how / "saved")
            assert [e.to_dict() for e in loaded(SAFETY)._.events] == expected
        else:
            with pytest.raises(unionie.RuleError, match="not found") as err:
                spacy.load(tmp_path / how / "saved")
            assert err.value.path == str(pack)


def test_a_missing_rule_pack_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(unionie.RuleError, match="not found") as err:
        unionie.load(rules=[tmp_path / "nowhere.yaml"])
    assert err.value.path == str(tmp_path / "nowhere.yaml")


# -- spaCy's own Chinese tokenizer, in a process that never imported unionie ------------------
BLANK_ZH = """
    import json, sys
    import spacy
    assert not any(m == "unionie" or m.startswith("unionie.") for m in sys.modules)
    text, report = sys.argv[1], open(sys.argv[2], encoding="utf-8").read()
    # this script never imports unionie: spaCy loads it through the spacy_factories entry point
    # (spaCy imports every installed factory package when it creates a Language)
    nlp = spacy.blank("zh")
    assert type(nlp.tokenizer).__name__ == "ChineseTokenizer" and nlp.tokenizer.segmenter == "char"
    nlp.add_pipe("unionie_events")
    four = spacy.blank("zh")
    for name in ["unionie_quantities", "unionie_dates", "unionie_entities", "unionie_events"]:
        four.add_pipe(name)
    def dump(doc):
        return {"tokens": len(doc), "events": [e.to_dict() for e in doc._.events],
                "quantities": [q.to_dict() for q in doc._.quantities],
                "dates": [d.to_dict() for d in doc._.dates],
                "entities": [e.to_dict() for e in doc._.entities],
                "spans": [s.label_ for s in doc.spans["unionie_events"]]}
    print(json.dumps({"alone": dump(nlp(text)), "four": dump(four(text)),
                      "report_alone": dump(nlp(report)), "report_four": dump(four(report))},
                     ensure_ascii=False))
"""


@pytest.fixture(scope="module")
def blank_zh() -> dict:
    return json.loads(run_python(BLANK_ZH, SENTENCE, str(REPORTS[0])))


def test_events_component_alone_on_spacys_character_tokenizer(blank_zh: dict) -> None:
    alone = blank_zh["alone"]
    assert alone["tokens"] == len(SENTENCE)  # one token per character
    expected = unionie.extract(SENTENCE).to_dict()
    assert alone["events"] == expected["events"]  # it filled quantities, dates and entities itself
    assert alone["quantities"] == expected["quantities"]
    assert alone["spans"] == ["subsidy"]


def test_four_components_in_order_on_spacys_character_tokenizer(blank_zh: dict) -> None:
    assert blank_zh["four"] == blank_zh["alone"]
    assert blank_zh["report_four"] == blank_zh["report_alone"]


def test_character_tokenizer_on_a_report(blank_zh: dict) -> None:
    report = blank_zh["report_alone"]
    expected = unionie.extract(read_text(REPORTS[0])).to_dict()
    assert report["quantities"] == expected["quantities"]  # offsets never depend on the tokens
    assert report["entities"] == expected["entities"]
    # events: the same rules; only the check that a trigger does not cut through jieba words
    # (建会 in 组建|会员) has nothing to check on single characters, so the two may differ a little
    mine = {(e["type"], e["trigger"]["start"]) for e in report["events"]}
    ref = {(e["type"], e["trigger"]["start"]) for e in expected["events"]}
    assert len(ref) >= 10
    assert len(mine & ref) >= 0.8 * len(ref)


# -- jieba's global tokenizer is private to the user ------------------------------------------
JIEBA_SAMPLES = [
    "关爱慰问困难职工家庭95户，开展金秋助学活动",
    "创建劳模创新工作室10个，组织环卫工人疗休养",
    "推选五一劳动奖章78名，新就业形态劳动者入会",
    "市总工会举办职工技能培训班12期",
]
JIEBA_ONLY = """
    import json, jieba
    jieba.setLogLevel(60)
    print(json.dumps({"cut": [jieba.lcut(x) for x in %r], "freq": len(jieba.dt.FREQ)}, ensure_ascii=False))
""" % (JIEBA_SAMPLES,)
JIEBA_AFTER_UNIONIE = """
    import json, jieba
    jieba.setLogLevel(60)
    samples = %r
    import unionie
    nlp = unionie.load(user_words=["昱工心声"])
    mine = [[t.text for t in nlp(x)] for x in samples]
    for x in samples:
        unionie.extract(x)
    untouched = not jieba.dt.initialized  # unionie never even loaded the global dictionary
    print(json.dumps({"cut": [jieba.lcut(x) for x in samples], "mine": mine, "untouched": untouched,
                      "freq": len(jieba.dt.FREQ), "tags": len(jieba.dt.user_word_tag_tab)},
                     ensure_ascii=False))
""" % (JIEBA_SAMPLES,)


def test_global_jieba_results_are_unchanged_after_unionie_loads() -> None:
    plain, after = (json.loads(out) for out in run_python_many(JIEBA_ONLY, JIEBA_AFTER_UNIONIE))
    assert after["untouched"]
    assert after["mine"] != after["cut"]  # unionie's private jieba does segment differently
    assert after["cut"] == plain["cut"]
    assert after["freq"] == plain["freq"]
    assert after["tags"] == 0

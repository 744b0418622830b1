"""The gold resolver: seeds reproduced, gold.jsonl not drifted, clear errors."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ANNOTATIONS = ROOT / "corpus" / "gold" / "annotations"
REPORTS = ROOT / "corpus" / "reports"
SEEDS = ROOT / "corpus" / "gold" / "seeds.jsonl"
GOLD = ROOT / "corpus" / "gold" / "gold.jsonl"
SEED_IDS = ["changzhou-xinbei", "zhenjiang-xinqu"]


def _load_gold_module():
    """``unionie.gold`` if the package imports, else the file loaded on its own
    (the module uses only the standard library and PyYAML)."""
    try:
        from unionie import gold  # type: ignore[import-not-found]
        return gold
    except Exception:  # noqa: BLE001 - package missing or not importable yet: load the file
        path = ROOT / "src" / "unionie" / "gold.py"
        spec = importlib.util.spec_from_file_location("_unionie_gold_standalone", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        return module


gold = _load_gold_module()


def _jsonl(path: Path) -> dict[str, dict]:
    docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {d["doc_id"]: d for d in docs}


def _resolve(doc_id: str) -> dict:
    ann = gold.load_annotation(ANNOTATIONS / f"{doc_id}.yaml")
    return gold.resolve_annotation(ann, gold.read_report(REPORTS / f"{doc_id}.txt"))


# ----------------------------------------------------------------- reproduction

@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_resolving_seed_annotation_reproduces_seeds_jsonl(doc_id):
    assert _resolve(doc_id) == _jsonl(SEEDS)[doc_id]


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_seed_lines_are_byte_identical(doc_id):
    lines = {json.loads(line)["doc_id"]: line + "\n"
             for line in SEEDS.read_text(encoding="utf-8").splitlines()}
    assert gold.dump_jsonl([_resolve(doc_id)]) == lines[doc_id]


def test_gold_jsonl_has_not_drifted():
    """corpus/gold/gold.jsonl is generated: regenerate it with
    ``python -m unionie.gold corpus/gold/annotations corpus/reports -o corpus/gold/gold.jsonl``."""
    docs = gold.resolve_corpus(ANNOTATIONS, REPORTS)
    assert [d["doc_id"] for d in docs] == sorted(p.stem for p in ANNOTATIONS.glob("*.yaml"))
    assert gold.dump_jsonl(docs) == GOLD.read_text(encoding="utf-8")


REAL = ROOT / "corpus" / "real"


def _shared() -> Path | None:
    """The project's read-only ``shared`` folder, from the main checkout or a worktree below it."""
    for up in ROOT.parents:
        if (up / "shared" / "gold" / "score.py").is_file():
            return up / "shared"
    return None


SHARED = _shared()


def test_real_gold_jsonl_has_not_drifted():
    """corpus/real/gold/gold.jsonl is the resolved form of its annotations:
    ``python -m unionie.gold corpus/real/gold/annotations corpus/real/reports -o corpus/real/gold/gold.jsonl``."""
    docs = gold.resolve_corpus(REAL / "gold" / "annotations", REAL / "reports")
    assert len(docs) == 41
    assert gold.dump_jsonl(docs) == (REAL / "gold" / "gold.jsonl").read_text(encoding="utf-8")


@pytest.mark.skipif(SHARED is None, reason="shared/ (realdev, seeds) is not beside this checkout")
@pytest.mark.parametrize(("annotations", "texts", "resolved"), [
    pytest.param("realdev/annotations", "realdev/texts", "realdev/gold.jsonl", id="realdev"),
    pytest.param("gold/annotations", "seeds", "gold/seeds.jsonl", id="seeds"),
])
def test_shared_gold_is_reproduced_byte_for_byte(annotations, texts, resolved):
    """The resolver gives the shared resolved gold exactly (line_starts included), so
    `unionie eval --corpus` scores what score.py scores."""
    docs = gold.resolve_corpus(SHARED / annotations, SHARED / texts)
    assert gold.dump_jsonl(docs) == (SHARED / resolved).read_text(encoding="utf-8")


@pytest.mark.skipif(SHARED is None, reason="shared/ (realdev, seeds) is not beside this checkout")
def test_bundled_copies_are_the_shared_files():
    for name in sorted(p.name for p in (SHARED / "realdev" / "texts").glob("*.txt")):
        assert (REAL / "reports" / name).read_bytes() == (SHARED / "realdev" / "texts" / name).read_bytes()
    for name in sorted(p.name for p in (SHARED / "realdev" / "annotations").glob("*.yaml")):
        assert ((REAL / "gold" / "annotations" / name).read_bytes()
                == (SHARED / "realdev" / "annotations" / name).read_bytes())
    for name in sorted(p.name for p in (SHARED / "seeds").glob("*.txt")):
        assert (REPORTS / name).read_bytes() == (SHARED / "seeds" / name).read_bytes()
    assert SEEDS.read_bytes() == (SHARED / "gold" / "seeds.jsonl").read_bytes()


def test_cli_writes_the_same_file(tmp_path):
    out = tmp_path / "gold.jsonl"
    assert gold.main([str(ANNOTATIONS), str(REPORTS), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == GOLD.read_text(encoding="utf-8")


def _spans(doc: dict):
    for q in doc["quantities"]:
        yield "quantity", q
    for q in doc["optional_quantities"]:
        yield "optional_quantity", q
    for e in doc["optional_events"]:
        yield "optional_event", e
    for e in doc["events"]:
        yield "trigger", e["trigger"]
        for a in e["arguments"]:
            yield "argument", a
        for a in e["optional_arguments"]:
            yield "optional_argument", a


@pytest.mark.parametrize("doc_id", sorted(_jsonl(GOLD)) if GOLD.exists() else [])
def test_every_gold_span_matches_its_text(doc_id):
    doc = _jsonl(GOLD)[doc_id]
    text = gold.read_report(REPORTS / f"{doc_id}.txt")
    bad = [(kind, s["text"], s["start"]) for kind, s in _spans(doc)
           if text[s["start"]:s["end"]] != s["text"]]
    assert not bad
    for e in doc["events"]:
        assert 0 <= e["start"] < e["end"] <= len(text)
    starts = [q["start"] for q in doc["quantities"]]
    assert starts == sorted(starts)


# ----------------------------------------------------------------- behaviour

TEXT = ("发布时间:2021-03-01\n"
        "去年,市总工会投入资金30万元,慰问困难职工120户;举办培训班5期。\n"
        "市总工会举办培训班5期。\n")


def _ann(**kw):
    base = {"doc_id": "toy", "published": None, "quantities": [], "events": []}
    base.update(kw)
    return base


def test_toy_resolution_rules():
    import datetime

    ann = _ann(
        published=datetime.date(2021, 3, 1),
        quantities=[["30万元", 300000.0, "CNY"], ["120户", 120, "户"], ["5期", 5, "期"],
                    ["5期", 5, "期", "exact"]],
        optional_quantities=["5期"],
        events=[{"type": "subsidy", "clause": "慰问困难职工120户", "trigger": "慰问",
                 "args": {"time": "去年", "organizer": "市总工会", "amount": "30万元",
                          "beneficiary": ["困难职工"], "beneficiary_count": "120户"},
                 "optional": ["30万元"]}],
        optional_events=[["training", "举办培训班5期"]],
    )
    doc = gold.resolve_annotation(ann, TEXT)
    assert doc["published"] == "2021-03-01"
    assert [q["start"] for q in doc["quantities"]] == [TEXT.index("30万元"), TEXT.index("120户"),
                                                       TEXT.index("5期"), TEXT.rindex("5期")]
    assert doc["quantities"][0]["value"] == 300000 and isinstance(doc["quantities"][0]["value"], int)
    assert len(doc["optional_quantities"]) == 2
    ev = doc["events"][0]
    args = {a["role"]: a for a in ev["arguments"]}
    assert args["time"]["start"] == TEXT.index("去年")  # before the clause, same line
    assert "value" not in args["time"]
    assert args["amount"]["value"] == 300000 and args["amount"]["unit"] == "CNY"
    assert args["beneficiary_count"]["qualifier"] == "exact"
    i = TEXT.index("30万元")  # optional arguments are plain spans, without quantity fields
    assert ev["optional_arguments"] == [{"text": "30万元", "start": i, "end": i + 4}]
    assert doc["optional_events"][0]["start"] == TEXT.index("举办培训班5期")


def test_line_starts_are_the_offsets_of_every_line():
    doc = gold.resolve_annotation(_ann(), TEXT)
    assert doc["line_starts"] == [0] + [i + 1 for i, c in enumerate(TEXT) if c == "\n"]
    assert all(TEXT[i - 1] == "\n" for i in doc["line_starts"][1:])
    assert gold.resolve_annotation(_ann(), "一行")["line_starts"] == [0]


@pytest.mark.parametrize(("arg", "fields"), [
    pytest.param("120户", True, id="the-quantity-itself"),
    pytest.param("困难职工120户", True, id="a-span-holding-one-quantity"),
    pytest.param("困难职工", False, id="a-span-holding-none"),
    pytest.param("30万元,慰问困难职工120户", False, id="a-span-holding-two"),
])
def test_an_argument_takes_the_fields_of_the_one_quantity_it_holds(arg, fields):
    ann = _ann(quantities=[["30万元", 300000, "CNY"], ["120户", 120, "户"]],
               events=[{"type": "subsidy", "clause": "投入资金30万元,慰问困难职工120户", "trigger": "慰问",
                        "args": {"beneficiary_count": arg}}])
    (a,) = gold.resolve_annotation(ann, TEXT)["events"][0]["arguments"]
    assert a["text"] == arg
    if fields:
        assert (a["value"], a["unit"], a["qualifier"], a["per"]) == (120, "户", "exact", [])
    else:
        assert "value" not in a


def _raises(ann, *needles):
    with pytest.raises(gold.GoldError) as info:
        gold.resolve_annotation(ann, TEXT)
    msg = str(info.value)
    for n in needles:
        assert n in msg, msg
    assert isinstance(info.value, ValueError)
    return msg


def test_error_clause_missing_names_doc_and_clause():
    ev = {"type": "training", "clause": "举办研修班3期", "trigger": "研修班"}
    msg = _raises(_ann(events=[ev]), "toy", "event 0", "举办研修班3期")
    assert "not found" in msg


def test_error_clause_not_unique_names_doc_and_clause():
    ev = {"type": "training", "clause": "举办培训班5期", "trigger": "培训班"}
    msg = _raises(_ann(events=[ev]), "toy", "event 0", "举办培训班5期")
    assert "not unique" in msg


def test_error_argument_missing_names_doc_clause_and_argument():
    ev = {"type": "subsidy", "clause": "慰问困难职工120户", "trigger": "慰问",
          "args": {"beneficiary": "困难群众"}}
    _raises(_ann(events=[ev]), "toy", "慰问困难职工120户", "beneficiary", "困难群众", "not found")


def test_error_argument_on_another_line_is_not_found():
    # 市总工会 occurs on the line above "举办培训班5期。" of line 3, not on line 3 before it
    ev = {"type": "training", "clause": "市总工会举办培训班5期", "trigger": "培训班",
          "args": {"time": "去年"}}
    _raises(_ann(events=[ev]), "toy", "市总工会举办培训班5期", "time", "去年")


def test_error_trigger_missing():
    ev = {"type": "subsidy", "clause": "慰问困难职工120户", "trigger": "帮扶"}
    _raises(_ann(events=[ev]), "toy", "慰问困难职工120户", "trigger", "帮扶")


def test_error_quantities_out_of_order():
    msg = _raises(_ann(quantities=[["120户", 120, "户"], ["30万元", 300000, "CNY"]]),
                  "toy", "quantity 1", "30万元")
    assert "text order" in msg


def test_error_quantity_argument_not_annotated_as_quantity():
    # only the first 5期 is listed: the second, read as an argument, would lose its value
    ev = {"type": "training", "clause": "市总工会举办培训班5期", "trigger": "培训班",
          "args": {"count": "5期"}}
    _raises(_ann(quantities=[["5期", 5, "期"]], events=[ev]),
            "toy", "市总工会举办培训班5期", "count", "not one of the annotated quantities")


def test_error_bad_qualifier():
    _raises(_ann(quantities=[["120户", 120, "户", "about"]]), "toy", "quantity 0", "qualifier")


def test_corpus_requires_doc_id_equal_to_file_stem(tmp_path):
    (tmp_path / "a.yaml").write_text("doc_id: b\nquantities: []\nevents: []\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    with pytest.raises(gold.GoldError, match="file stem"):
        gold.resolve_corpus(tmp_path, tmp_path)


def test_read_report_removes_bom(tmp_path):
    p = tmp_path / "r.txt"
    p.write_bytes("\ufeff工会".encode("utf-8"))
    assert gold.read_report(p) == "工会"

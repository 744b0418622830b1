"""unionie eval gives the figures of the reference scorer (shared/gold/score.py), on every
corpus part, and scores the parts apart; the 2026-12-06 conventions (an earlier line's time
or organizer unjudged, 其中-parts optional); clear errors on bad input."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import unionie
from unionie.evaluate import corpus_parts, format_scores, part_gold, read_jsonl, score

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


def _shared() -> Path | None:
    """The project's read-only ``shared`` folder (``../shared`` of the main checkout, also
    found from a worktree below it), or None when this checkout has none."""
    for up in ROOT.parents:
        if (up / "shared" / "gold" / "score.py").is_file():
            return up / "shared"
    return None


SHARED = _shared()
REFERENCE = SHARED / "gold" / "score.py" if SHARED else None
NO_SHARED = "the reference scorer lives in ../shared, which this checkout does not have"
PARTS = ["corpus", "heldout", "real"]


def _cli(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "unionie.cli", *args], capture_output=True, text=True,
                          check=check)


@pytest.fixture(scope="module")
def by_part(tmp_path_factory) -> tuple[dict, Path]:
    """`unionie eval --corpus corpus --by-part --json --save DIR`: the scores of every part
    and the gold and predictions they were computed from."""
    saved = tmp_path_factory.mktemp("scored")
    out = _cli("eval", "--corpus", str(CORPUS), "--by-part", "--json", "--save", str(saved)).stdout
    return json.loads(out), saved


# ------------------------------------------------------------- the same figures as score.py

_LINE = re.compile(r"^(quantity|event|typed_arg|role_arg) +P ([\d.]+) R ([\d.]+) F1 ([\d.]+) "
                   r"\(tp (\d+) fp (\d+) fn (\d+)\)$|^(qualifier|per) +accuracy on matched quantities (\d+)/(\d+)$",
                   re.M)


def _reference(gold: Path, pred: Path) -> dict[str, tuple[str, ...]]:
    out = subprocess.run([sys.executable, str(REFERENCE), str(gold), str(pred)],
                         capture_output=True, text=True, check=True).stdout
    figures = {}
    for m in _LINE.finditer(out):
        if m.group(1):
            figures[m.group(1)] = m.groups()[1:7]
        else:
            figures[m.group(8)] = m.groups()[8:10]
    figures["last"] = (out.strip().splitlines()[-1],)
    assert set(figures) == {"quantity", "event", "typed_arg", "role_arg", "qualifier", "per", "last"}, out
    return figures


def _ours(d: dict) -> dict[str, tuple[str, ...]]:
    """The same figures, printed with score.py's digits from `unionie eval --json`."""
    figures = {k: (f"{d[k]['p']:.3f}", f"{d[k]['r']:.3f}", f"{d[k]['f1']:.3f}",
                   str(d[k]["tp"]), str(d[k]["fp"]), str(d[k]["fn"]))
               for k in ("quantity", "event", "typed_arg", "role_arg")}
    for k in ("qualifier", "per"):
        figures[k] = (str(d[k]["correct"]), str(d[k]["matched"]))
    figures["last"] = (f"quantity_f1={d['quantity']['f1']:.3f} event_f1={d['event']['f1']:.3f} "
                       f"typed_arg_f1={d['typed_arg']['f1']:.3f} role_arg_f1={d['role_arg']['f1']:.3f}",)
    return figures


@pytest.mark.skipif(REFERENCE is None, reason=NO_SHARED)
@pytest.mark.parametrize("part", PARTS)
def test_every_figure_agrees_with_the_reference_scorer(by_part, part) -> None:
    """score.py on the very gold and predictions `unionie eval --corpus corpus --by-part` scored."""
    scores, saved = by_part
    assert _ours(scores["parts"][part]) == _reference(saved / part / "gold.jsonl", saved / part / "pred.jsonl")


@pytest.mark.skipif(REFERENCE is None, reason=NO_SHARED)
@pytest.mark.parametrize("part", PARTS)
def test_text_output_of_eval_files_is_the_reference_output(by_part, part) -> None:
    """`unionie eval GOLD PRED` prints score.py's lines, digit for digit."""
    _, saved = by_part
    gold, pred = saved / part / "gold.jsonl", saved / part / "pred.jsonl"
    ref = subprocess.run([sys.executable, str(REFERENCE), str(gold), str(pred)],
                         capture_output=True, text=True, check=True).stdout
    ours = _cli("eval", str(gold), str(pred)).stdout
    assert [m.group(0) for m in _LINE.finditer(ours)] == [m.group(0) for m in _LINE.finditer(ref)]
    assert ours.strip().splitlines()[-1] == ref.strip().splitlines()[-1]


@pytest.mark.skipif(REFERENCE is None, reason=NO_SHARED)
def test_realdev_as_shipped_scores_the_same(by_part) -> None:
    """The real part is shared/realdev: the gold `unionie eval` resolves from the YAML is
    realdev/gold.jsonl, and score.py with that file gives the figures of `unionie eval`."""
    scores, saved = by_part
    shipped = SHARED / "realdev" / "gold.jsonl"
    assert read_jsonl(saved / "real" / "gold.jsonl") == read_jsonl(shipped)
    assert _ours(scores["parts"]["real"]) == _reference(shipped, saved / "real" / "pred.jsonl")


# ------------------------------------------------------------- the conventions, on toy documents

#  line 0: "2023年工作总结" [0:9], the newline at 9; line 1: "县总工会举办技能竞赛5场。" [10:23]
TOY_TEXT = "2023年工作总结\n县总工会举办技能竞赛5场。"


def _toy_gold(line_starts: bool) -> dict:
    g = {"doc_id": "toy", "published": None, "quantities": [], "optional_quantities": [],
         "optional_events": [],
         "events": [{"type": "contest", "trigger": {"text": "技能竞赛", "start": 16, "end": 20},
                     "start": 10, "end": 22, "optional_arguments": [{"text": "5场", "start": 20, "end": 22}],
                     "arguments": [{"role": "organizer", "text": "县总工会", "start": 10, "end": 14}]}]}
    if line_starts:
        g["line_starts"] = [0, 10]
    return g


def _toy_pred(args: list[tuple[str, int, int]]) -> dict:
    return {"doc_id": "toy", "quantities": [],
            "events": [{"type": "contest", "trigger": {"text": "技能竞赛", "start": 16, "end": 20},
                        "arguments": [{"role": r, "text": TOY_TEXT[s:e], "start": s, "end": e}
                                      for r, s, e in args]}]}


# (predicted arguments, gold has line_starts) -> role_arg (tp, fp, fn)
CONVENTIONS = [
    pytest.param([("organizer", 10, 14)], True, (1, 0, 0), id="organizer-on-the-trigger-line-matches"),
    pytest.param([("organizer", 10, 14), ("time", 0, 5)], True, (1, 0, 0),
                 id="time-from-an-earlier-line-is-not-judged"),
    pytest.param([("organizer", 0, 4)], True, (0, 0, 1), id="organizer-from-an-earlier-line-is-not-judged"),
    pytest.param([("organizer", 10, 14), ("time", 0, 5)], False, (1, 1, 0),
                 id="without-line-starts-every-argument-is-judged"),
    pytest.param([("organizer", 10, 14), ("participants", 0, 4)], True, (1, 1, 0),
                 id="other-roles-from-an-earlier-line-are-judged"),
    pytest.param([("organizer", 10, 14), ("time", 14, 16)], True, (1, 1, 0),
                 id="a-wrong-time-on-the-trigger-line-is-judged"),
    pytest.param([("organizer", 10, 14), ("count", 20, 22)], True, (1, 0, 0),
                 id="a-qizhong-part-is-an-optional-figure"),
]


@pytest.mark.parametrize(("args", "line_starts", "expected"), CONVENTIONS)
def test_scoring_conventions(args, line_starts, expected, tmp_path) -> None:
    gold, pred = _toy_gold(line_starts), _toy_pred(args)
    ra = score([gold], [pred]).overall["role_arg"]
    assert (ra.tp, ra.fp, ra.fn) == expected
    if REFERENCE is not None:  # and score.py says the same
        (tmp_path / "g.jsonl").write_text(json.dumps(gold, ensure_ascii=False) + "\n", encoding="utf-8")
        (tmp_path / "p.jsonl").write_text(json.dumps(pred, ensure_ascii=False) + "\n", encoding="utf-8")
        ref = _reference(tmp_path / "g.jsonl", tmp_path / "p.jsonl")["role_arg"]
        assert tuple(int(x) for x in ref[3:]) == expected


def test_perfect_prediction_scores_one() -> None:
    for part in corpus_parts(CORPUS):
        gold = part_gold(part.path)
        s = score(gold, gold)
        for k in ("quantity", "event", "typed_arg", "role_arg"):
            assert s.overall[k].f1 == 1.0, (part.name, k)


def test_missing_document_counts_as_misses() -> None:
    gold = read_jsonl(CORPUS / "gold" / "seeds.jsonl")
    s = score(gold, gold[:1])
    assert s.missing_docs == [gold[1]["doc_id"]]
    assert s.overall["event"].fn == len(gold[1]["events"])


# ------------------------------------------------------------- parts, JSON shape

def test_the_corpus_parts_are_found() -> None:
    assert [(p.name, p.path) for p in corpus_parts(CORPUS)] == [
        ("corpus", CORPUS), ("heldout", CORPUS / "heldout"), ("real", CORPUS / "real")]
    assert [p.name for p in corpus_parts(CORPUS / "real")] == ["real"]


def test_by_part_json_has_a_stable_shape(by_part) -> None:
    scores, _ = by_part
    assert list(scores) == ["parts"]
    assert list(scores["parts"]) == PARTS
    docs = {"corpus": 14, "heldout": 4, "real": 41}
    for name, d in scores["parts"].items():
        assert d["documents"] == docs[name]
        assert {"path", "documents", "quantity", "event", "typed_arg", "role_arg", "qualifier", "per",
                "by_type", "missing_docs", "overall"} == set(d)
        assert set(d["event"]) == {"p", "r", "f1", "tp", "fp", "fn"}
        assert d["overall"]["event"] == d["event"]
        assert d["missing_docs"] == []
        for t, v in d["by_type"].items():
            assert set(v) == {"event", "typed_arg", "role_arg"}, t
        # the per-type counts add up to the overall ones
        assert sum(v["event"]["tp"] for v in d["by_type"].values()) == d["event"]["tp"]
        assert sum(v["role_arg"]["fn"] for v in d["by_type"].values()) == d["role_arg"]["fn"]


def test_seeds_and_heldout_stay_above_the_bar(by_part) -> None:
    """The development and held-out parts as a regression guard."""
    parts = by_part[0]["parts"]
    assert parts["corpus"]["quantity"]["f1"] >= 0.97
    assert parts["corpus"]["event"]["f1"] >= 0.80
    assert parts["corpus"]["typed_arg"]["f1"] >= 0.85
    assert parts["heldout"]["quantity"]["f1"] >= 0.93
    assert parts["heldout"]["event"]["f1"] >= 0.70
    assert parts["heldout"]["typed_arg"]["f1"] >= 0.75


@pytest.fixture()
def small_corpus(tmp_path) -> Path:
    """A corpus folder with its own part (one seed) and a part below it (one held-out report)."""
    root = tmp_path / "mini"
    for sub, src, doc in (("", CORPUS, "zhenjiang-xinqu"), ("later", CORPUS / "heldout", "heldout-fujian-news")):
        (root / sub / "reports").mkdir(parents=True, exist_ok=True)
        (root / sub / "gold" / "annotations").mkdir(parents=True, exist_ok=True)
        shutil.copy(src / "reports" / f"{doc}.txt", root / sub / "reports")
        shutil.copy(src / "gold" / "annotations" / f"{doc}.yaml", root / sub / "gold" / "annotations")
    return root


def test_corpus_scores_its_own_part_and_names_the_others(small_corpus) -> None:
    r = _cli("eval", "--corpus", str(small_corpus), "--json")
    d = json.loads(r.stdout)
    assert d["documents"] == 1  # the folder's own report only: parts are not pooled
    assert isinstance(d["event"]["f1"], float)
    assert "later" in r.stderr and "--by-part" in r.stderr
    r = _cli("eval", "--corpus", str(small_corpus), "--by-part")
    assert re.search(r"^mini +1 ", r.stdout, re.M) and re.search(r"^later +1 ", r.stdout, re.M)
    assert "== mini (" in r.stdout and "== later (" in r.stdout


def test_a_folder_of_parts_without_its_own_needs_by_part(small_corpus, tmp_path) -> None:
    outer = tmp_path / "outer"
    outer.mkdir()
    shutil.copytree(small_corpus / "later", outer / "a")
    r = _cli("eval", "--corpus", str(outer), check=False)
    assert r.returncode == 2 and "--by-part" in r.stderr and "Traceback" not in r.stderr
    r = _cli("eval", "--corpus", str(outer), "--by-part", "--markdown")
    assert r.returncode == 0
    assert "| a | 1 |" in r.stdout and "### a" in r.stdout and "| type | event F1 (tp/fp/fn)" in r.stdout


# ------------------------------------------------------------- bad input

BAD_LINES = [
    pytest.param('{"doc_id": "b", "events": [\n', r"not valid JSON", id="truncated-json"),
    pytest.param("[1, 2]\n", r"expected a JSON object", id="not-an-object"),
    pytest.param("\xff".encode("latin-1"), r"not UTF-8", id="not-utf8"),
]


@pytest.mark.parametrize(("line", "message"), BAD_LINES)
@pytest.mark.parametrize("which", ["gold", "pred"])
def test_a_malformed_line_is_named_with_file_and_line(tmp_path, line, message, which) -> None:
    good = (CORPUS / "gold" / "seeds.jsonl").read_bytes()
    bad = tmp_path / f"{which}.jsonl"
    bad.write_bytes(good + (line if isinstance(line, bytes) else line.encode("utf-8")))
    other = CORPUS / "gold" / "seeds.jsonl"
    args = [str(bad), str(other)] if which == "gold" else [str(other), str(bad)]
    r = _cli("eval", *args, check=False)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    assert re.search(rf"\[U102\] {re.escape(str(bad))}:3: {message}", r.stderr), r.stderr


def test_a_prediction_file_given_as_gold_is_named(tmp_path) -> None:
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps({"doc_id": "x", "events": []}) + "\n", encoding="utf-8")
    r = _cli("eval", str(pred), str(pred), check=False)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert f"{pred}:1: a gold document needs quantities" in r.stderr


def test_format_scores_has_the_reference_layout() -> None:
    gold = read_jsonl(CORPUS / "gold" / "seeds.jsonl")
    text = unionie.extract((CORPUS / "reports" / "zhenjiang-xinqu.txt").read_text(encoding="utf-8"),
                           doc_id="zhenjiang-xinqu").to_dict()
    out = format_scores(score(gold[1:], [text]))
    assert [m.group(1) or m.group(8) for m in _LINE.finditer(out)] == [
        "quantity", "qualifier", "per", "event", "typed_arg", "role_arg"]

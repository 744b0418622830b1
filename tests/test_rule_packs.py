"""User rule packs: the example pack adds an event type; malformed packs are refused.

Every malformed case is a row of a table: the YAML, then the line and the rule id the
RuleError must name. The same files go through ``unionie rules check`` (a subprocess).
"""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from spacy.language import Language

import unionie
from unionie.errors import RuleError
from unionie.io.readers import read_text
from unionie.rules.loader import check_paths, load_rule_file, load_rules

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_PACK = ROOT / "examples" / "rules"
EXAMPLE_FILE = EXAMPLE_PACK / "safety_production.yaml"
SICHUAN = ROOT / "corpus" / "reports" / "sichuan-enterprise-union.txt"
SAFETY = "6月“安全生产月”期间，集团公司工会组织应急演练29场，参与职工4600余人次，查改各类隐患410余项。"


def unionie_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The ``unionie`` console command, in a fresh process."""
    return subprocess.run([sys.executable, "-c", "from unionie.cli import run; run()", *args],
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


# -- the example pack -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def nlp() -> Language:
    return unionie.load(rules=[EXAMPLE_PACK])


def test_example_pack_loads() -> None:
    pack = load_rules([EXAMPLE_PACK])
    assert list(pack.types) == ["safety_production"]
    et = pack.types["safety_production"]
    assert {"organizer", "time", "hazard_count", "inspector_count"} <= set(et.roles)
    assert et.role_for("项", per=False) == "hazard_count"
    assert "事故案例警示教育" in pack.extra_words
    assert [t.id for t in et.triggers] == ["safety_production.campaign", "safety_production.hazard",
                                          "safety_production.inspector"]


def test_example_pack_adds_a_type_on_top_of_the_bundled_ones(nlp: Language) -> None:
    types = nlp.get_pipe("unionie_events").rules.types
    assert "safety_production" in types and "subsidy" in types and "training" in types


def test_the_pack_lexicon_and_triggers_go_to_the_tokenizer(nlp: Language) -> None:
    bundled = unionie.load()
    for word in ("事故案例警示教育", "群众安全监督员"):  # a lexicon word, a trigger word
        text = f"开展{word}活动"
        assert word in nlp.tokenizer.words(text)
        assert word not in bundled.tokenizer.words(text)


def _figures(events) -> dict[str, tuple]:
    """role -> (value, unit, qualifier) of the quantity arguments of ``events``."""
    return {a.role: (a.quantity.value, a.quantity.unit, a.quantity.qualifier)
            for e in events for a in e.arguments if a.quantity is not None}


def test_new_type_is_found_in_a_sentence(nlp: Language) -> None:
    events = [e for e in unionie.extract(SAFETY, nlp=nlp).events if e.type == "safety_production"]
    triggers = [e.trigger.text for e in events]
    assert triggers[:2] == ["安全生产月", "应急演练"]
    assert {e.rule for e in events} >= {"safety_production.campaign", "safety_production.hazard"}
    assert _figures(events) == {"count": (29, "场", "exact"), "participant_count": (4600, "人次", "over"),
                                "hazard_count": (410, "项", "over")}
    assert all(a.text == "6月" for e in events for a in e.arguments if a.role == "time")
    drill = events[1]
    assert {"count", "participant_count"} <= {a.role for a in drill.arguments}


def test_bundled_pipeline_does_not_know_the_new_type() -> None:
    assert not [e for e in unionie.extract(SAFETY).events if e.type == "safety_production"]


def test_new_type_is_found_in_a_report(nlp: Language) -> None:
    text = read_text(SICHUAN)
    doc = unionie.extract(text, doc_id=SICHUAN.stem, nlp=nlp)
    safety = [e for e in doc.events if e.type == "safety_production"]
    triggers = [e.trigger.text for e in safety]
    assert "安全生产月" in triggers and "群众安全监督员" in triggers
    figures = _figures(safety)
    assert figures["inspector_count"][:2] == (260, "名")
    assert figures["hazard_count"][:2] == (410, "项")
    for e in doc.to_dict()["events"]:  # SCHEMA: offsets index the input text
        assert text[e["trigger"]["start"]:e["trigger"]["end"]] == e["trigger"]["text"]


def test_a_pack_overrides_a_bundled_type(tmp_path: Path) -> None:
    (tmp_path / "honor.yaml").write_text(textwrap.dedent("""\
        type: honor
        description: only 表彰 counts as an honour in this team's reports
        roles: [organizer, time, honor, recipient, recipient_count]
        triggers:
          - id: team.honor
            words: [表彰]
        quantities:
          units: {recipient_count: [名, 人]}
        text_roles: {honor: honor}
        """), encoding="utf-8")
    mine = unionie.load(rules=[tmp_path])
    assert mine.get_pipe("unionie_events").rules.types["honor"].triggers[0].id == "team.honor"
    text = "评选劳动模范27名。表彰先进个人30名。"
    bundled = [e.trigger.text for e in unionie.extract(text).events if e.type == "honor"]
    assert "评选" in bundled
    ours = [(e.trigger.text, e.rule) for e in unionie.extract(text, nlp=mine).events if e.type == "honor"]
    assert ours == [("表彰", "team.honor")]


def test_rules_check_accepts_the_example_pack() -> None:
    res = unionie_cli("rules", "check", str(EXAMPLE_PACK))
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "ok: 1 event type(s): safety_production"


# -- malformed packs ------------------------------------------------------------------------
GOOD_TRIGGER = "triggers:\n  - id: safety.a\n    words: [安康杯]\n"

# id, YAML, line, rule id, a piece of the message
MALFORMED = [
    ("bad-yaml", "type: safety\nroles: [organizer, time\n" + GOOD_TRIGGER, 3, None, "bad YAML"),
    ("tab-indent", "type: safety\nroles: [organizer]\ntriggers:\n\t- id: x\n", 4, None, "bad YAML"),
    ("not-a-mapping", "- just\n- a list\n", 1, None, "mapping"),
    ("unknown-key", "type: safety\nroles: [organizer, time]\ntrigers:\n  - id: safety.a\n    words: [安康杯]\n",
     3, "safety", "unknown key(s): trigers"),
    ("unknown-trigger-key",
     "type: safety\nroles: [organizer]\n" + GOOD_TRIGGER + "  - id: safety.b\n    word: [安全月]\n",
     7, "safety.b", "unknown trigger key(s): word"),
    ("unknown-role-in-units",
     "type: safety\nroles: [organizer, time, count]\n" + GOOD_TRIGGER
     + "quantities:\n  units:\n    count: [场]\n    hazard_count: [项]\n",
     9, "safety", "unknown role 'hazard_count'"),
    ("unknown-role-in-text-roles",
     "type: safety\nroles: [organizer, time]\n" + GOOD_TRIGGER + "text_roles:\n  name: quoted\n",
     7, "safety", "unknown role 'name'"),
    ("unknown-money-role",
     "type: safety\nroles: [organizer, time]\n" + GOOD_TRIGGER + "quantities:\n  money: amount\n",
     7, "safety", "unknown role 'amount' for money"),
    ("unknown-text-role-kind",
     "type: safety\nroles: [organizer, time, name]\n" + GOOD_TRIGGER + "text_roles:\n  name: title\n",
     7, "safety", "unknown text-role kind 'title'"),
    ("invalid-regex",
     "type: safety\nroles: [organizer]\n" + GOOD_TRIGGER + "  - id: safety.b\n    patterns: ['安全(生产']\n",
     6, "safety.b", "invalid regex"),
    ("nested-quantifier",
     "type: safety\nroles: [organizer]\n" + GOOD_TRIGGER + "  - id: safety.b\n    patterns: ['(a+)+b']\n",
     6, "safety.b", "nests quantifiers"),
    ("nested-star",
     "type: safety\nroles: [organizer]\n" + GOOD_TRIGGER + "  - id: safety.b\n    patterns: ['(隐患\\w*)*排查']\n",
     6, "safety.b", "nests quantifiers"),
    ("missing-triggers", "type: safety\nroles: [organizer, time]\nquantities:\n  units: {count: [场]}\n",
     1, "safety", "`triggers` must be a non-empty list"),
    ("empty-triggers", "type: safety\nroles: [organizer, time]\ntriggers: []\n",
     3, "safety", "`triggers` must be a non-empty list"),
    ("trigger-without-words", "type: safety\nroles: [organizer]\ntriggers:\n  - id: safety.a\n    confidence: 0.8\n",
     4, "safety.a", "needs `words` or `patterns`"),
    ("bad-confidence", "type: safety\nroles: [organizer]\ntriggers:\n  - id: safety.a\n    words: [a]\n"
     "    confidence: 1.5\n", 4, "safety.a", "`confidence` must be a number in (0, 1]"),
    ("duplicate-trigger-id", "type: safety\nroles: [organizer]\n" + GOOD_TRIGGER
     + "  - id: safety.a\n    words: [安全月]\n", 6, "safety.a", "duplicate trigger id"),
    ("bad-type-name", "type: Safety Production\nroles: [organizer]\n" + GOOD_TRIGGER,
     1, None, "`type` must be a lowercase identifier"),
    ("no-roles", "type: safety\n" + GOOD_TRIGGER, 1, "safety", "`roles` must list"),
    ("list-role-not-a-text-role", "type: safety\nroles: [organizer, time, count]\nlist_role: count\n"
     + GOOD_TRIGGER, 3, "safety", "`list_role` 'count'"),
    ("requires-unknown-role", "type: safety\nroles: [organizer, time]\nrequires: [hazard_count]\n"
     + GOOD_TRIGGER, 3, "safety", "`requires` names unknown role 'hazard_count'"),
    ("trigger-requires-unknown-role", "type: safety\nroles: [organizer, time]\n" + GOOD_TRIGGER
     + "    requires: [hazard_count]\n", 4, "safety.a", "`requires` names unknown role 'hazard_count'"),
    ("bad-merge", "type: safety\nroles: [organizer]\nmerge: sometimes\n" + GOOD_TRIGGER,
     1, "safety", "`merge` must be"),
    ("pack-unknown-key", "name: p\nlexicons: [安康杯]\nevent_types:\n  - type: safety\n    roles: [organizer]\n"
     "    triggers:\n      - id: safety.a\n        words: [安康杯]\n", 2, None, "unknown key(s): lexicons"),
    ("pack-bad-second-type", "name: p\nevent_types:\n  - type: safety\n    roles: [organizer]\n"
     "    triggers:\n      - id: safety.a\n        words: [安康杯]\n  - type: other\n    roles: [organizer]\n"
     "    triggers:\n      - id: other.a\n        patterns: ['(x+)+']\n", 11, "other.a", "nests quantifiers"),
]


@pytest.mark.parametrize("yaml_text,line,rule_id,message", [c[1:] for c in MALFORMED],
                         ids=[c[0] for c in MALFORMED])
def test_malformed_pack_is_refused_naming_file_line_and_rule(tmp_path: Path, yaml_text: str, line: int,
                                                            rule_id: str | None, message: str) -> None:
    path = tmp_path / "pack.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(RuleError) as err:
        load_rule_file(path)
    e = err.value
    assert (e.path, e.line, e.rule_id) == (str(path), line, rule_id)
    assert message in str(e)
    assert str(e).startswith(f"[U201] {path}:{line}" + (f" (rule {rule_id})" if rule_id else "") + ": ")
    with pytest.raises(RuleError):  # unionie.load checks the pack too
        unionie.load(rules=[path])


@pytest.fixture(scope="module")
def bad_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the example pack and every malformed case as its own file."""
    folder = tmp_path_factory.mktemp("packs")
    (folder / "good.yaml").write_text(EXAMPLE_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    for case_id, yaml_text, *_ in MALFORMED:
        (folder / f"{case_id}.yaml").write_text(yaml_text, encoding="utf-8")
    return folder


def test_check_paths_reports_every_bad_file(bad_folder: Path) -> None:
    problems = check_paths([bad_folder])
    assert sorted(Path(p.path).stem for p in problems) == sorted(c[0] for c in MALFORMED)
    assert {Path(p.path).stem: (p.line, p.rule_id) for p in problems} == {c[0]: (c[2], c[3]) for c in MALFORMED}


def test_rules_check_cli_reports_problems_and_exits_2(bad_folder: Path) -> None:
    res = unionie_cli("rules", "check", str(bad_folder))
    assert res.returncode == 2
    assert res.stdout == ""
    lines = res.stderr.strip().splitlines()
    assert len(lines) == len(MALFORMED)
    for case_id, _, line, rule_id, message in MALFORMED:
        where = f"{bad_folder / case_id}.yaml:{line}" + (f" (rule {rule_id})" if rule_id else "")
        assert any(where in x and message in x for x in lines), (case_id, lines)


def test_rules_check_cli_on_a_missing_path_exits_2(tmp_path: Path) -> None:
    res = unionie_cli("rules", "check", str(tmp_path / "nowhere"))
    assert res.returncode == 2
    assert "nowhere" in res.stderr


# -- a pack's trigger word that a bundled type takes first -----------------------------------
SHADOW_SENTENCE = "市总工会举办安全培训12期。"


def _pack(type_name: str, words: str, confidence: float) -> str:
    return (f"type: {type_name}\nroles: [organizer, time, count, trainee_count]\ntriggers:\n"
            f"  - id: {type_name}.a\n    words: [{words}]\n    confidence: {confidence}\n"
            "quantities:\n  units:\n    count: [期]\n    trainee_count: [人次]\n")


# id, pack, the warning expected (None: none), the type of the event the sentence gives
SHADOWING = [
    ("lower-confidence", _pack("safety_training", "安全培训", 0.8),
     "trigger word '安全培训' is also a trigger of the bundled type training (rule training.class, "
     "confidence 0.85 >= 0.8)", "training"),
    ("equal-confidence", _pack("safety_training", "安全培训", 0.85),
     "(rule training.class, confidence 0.85 >= 0.85)", "training"),
    ("higher-confidence", _pack("safety_training", "安全培训", 0.9), None, "safety_training"),
    ("word-no-bundled-type-has", _pack("safety_training", "安全生产培训", 0.5), None, "training"),
    ("replaces-the-bundled-type", _pack("training", "安全培训", 0.5), None, "training"),
]


@pytest.mark.parametrize("yaml_text,warning,fires", [c[1:] for c in SHADOWING], ids=[c[0] for c in SHADOWING])
def test_rules_check_warns_about_a_trigger_word_a_bundled_type_takes(tmp_path: Path, yaml_text: str,
                                                                    warning: str | None, fires: str) -> None:
    path = tmp_path / "pack.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    res = unionie_cli("rules", "check", str(path))
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("ok: 1 event type(s)")
    if warning is None:
        assert "warning" not in res.stderr
    else:
        (line,) = res.stderr.strip().splitlines()
        assert line.startswith(f"warning: {path}:4 (rule ") and warning in line, line
    # the warning tells the truth: the shadowed rule never gives the event
    doc = unionie.extract(SHADOW_SENTENCE, nlp=unionie.load(rules=[path]))
    assert [e.type for e in doc.events] == [fires]


def test_rules_list_shows_each_rules_confidence_and_flags() -> None:
    from unionie.rules.loader import default_rules

    res = unionie_cli("rules", "list")
    assert res.returncode == 0, res.stderr
    for et in default_rules().types.values():
        for t in et.triggers:
            line = next(x for x in res.stdout.splitlines() if x.strip().startswith(f"{t.id} ("))
            assert f"(confidence {t.confidence:g}" in line
            assert ("detail" in line) == t.detail and ("needs_evidence" in line) == t.needs_evidence


def test_a_missing_rules_folder_is_reported_when_the_component_is_added(tmp_path: Path) -> None:
    import spacy

    nlp = spacy.blank("zh")
    with pytest.raises(RuleError, match="rule file or folder not found") as err:
        nlp.add_pipe("unionie_events", config={"rules": [str(tmp_path / "my_rules")]})
    assert err.value.path == str(tmp_path / "my_rules")


def test_a_packs_own_roles_reach_the_events_table_and_csv(nlp: Language, tmp_path: Path) -> None:
    import csv
    import json

    from unionie.io import to_dataframe, write_csv

    doc = unionie.extract(SAFETY, nlp=nlp)
    events = to_dataframe([doc])
    hazard = events[events.trigger == "查改各类隐患"]
    assert json.loads(hazard.other_roles.iloc[0]) == {"hazard_count": [410]}
    drill = events[events.trigger == "应急演练"]
    assert drill["count"].iloc[0] == 29 and drill.person_count.iloc[0] == 4600
    assert drill.other_roles.isna().iloc[0]  # its roles all have columns
    write_csv([doc], tmp_path / "events.csv")
    with open(tmp_path / "events.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [json.loads(r["other_roles"]) for r in rows if r["trigger"] == "查改各类隐患"] == [{"hazard_count": [410]}]


# -- one pack, five ways in: every path runs the same core ------------------------------------
FIVE_PATH_FILES = [ROOT / "corpus" / "reports" / n for n in
                   ("sichuan-enterprise-union.txt", "zhenjiang-xinqu.txt", "macau-traditional.txt")]


def _by_extract(nlp: Language, inputs: list[tuple[str, str]]) -> list[dict]:
    return [unionie.extract(text, doc_id=doc_id, nlp=nlp).to_dict() for doc_id, text in inputs]


def _by_extract_many(nlp: Language, inputs: list[tuple[str, str]]) -> list[dict]:
    return [d.to_dict() for d in unionie.extract_many(inputs, nlp=nlp, n_process=2, on_error="raise")]


def _by_cli(nlp: Language, inputs: list[tuple[str, str]], tmp: Path) -> list[dict]:
    import json

    folder = tmp / "texts"
    folder.mkdir()
    for doc_id, text in inputs:
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    out = tmp / "out.jsonl"
    res = unionie_cli("extract", str(folder), "--rules", str(EXAMPLE_FILE), "-j", "2", "-q", "-o", str(out))
    assert res.returncode == 0, res.stderr
    docs = {d["doc_id"]: d for d in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    return [{k: v for k, v in docs[doc_id].items() if k != "source"} for doc_id, _ in inputs]


def _by_components(nlp: Language, inputs: list[tuple[str, str]]) -> list[dict]:
    from unionie.api import _document

    # nlp(text): spaCy runs the four components on a Doc
    return [_document(nlp(text), doc_id, text).to_dict() for doc_id, text in inputs]


def _by_dask(nlp: Language, inputs: list[tuple[str, str]]) -> list[dict]:
    db = pytest.importorskip("dask.bag")
    from unionie.dask import extract_bag

    bag = extract_bag(db.from_sequence(inputs, npartitions=2), rules=[EXAMPLE_FILE])
    return bag.compute(scheduler="processes", num_workers=2)


FIVE_PATHS = [("extract", _by_extract), ("extract_many(nlp=..., n_process=2)", _by_extract_many),
              ("unionie extract --rules ... -j 2", _by_cli), ("the spaCy components", _by_components),
              ("Dask", _by_dask)]


@pytest.fixture(scope="module")
def five_path_inputs() -> list[tuple[str, str]]:
    return [("safety-sentence", SAFETY)] + [(p.stem, read_text(p)) for p in FIVE_PATH_FILES]


@pytest.mark.parametrize("name,path", FIVE_PATHS, ids=[n for n, _ in FIVE_PATHS])
def test_a_user_pack_gives_the_same_documents_on_every_path(name: str, path, tmp_path: Path,
                                                            five_path_inputs: list[tuple[str, str]]) -> None:
    nlp = unionie.load(rules=[EXAMPLE_FILE])
    expected = _by_extract(nlp, five_path_inputs)
    # the pack's own type is there, so agreeing means the pack reached this path
    assert sum(e["type"] == "safety_production" for d in expected for e in d["events"]) >= 4
    args = (nlp, five_path_inputs, tmp_path) if path is _by_cli else (nlp, five_path_inputs)
    assert path(*args) == expected, name

"""The real command line on corpus/reports: every output format opened with the real library
(pandas, pyarrow, sqlite3, duckdb), SQL questions answered, eval/explain/report, exit codes,
and (slow) 1,000 documents with --jobs 2 giving the same JSON Lines as --jobs 1.

Most tests run the click command in-process (CliRunner) so the pipeline is loaded once;
the exit-code and 1,000-document tests run the installed ``unionie`` console script.
"""
from __future__ import annotations

import json
import os
import random
import re
import sqlite3
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from unionie.cli import main
from unionie.io.sql import EXAMPLE_QUERIES

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
REPORTS = CORPUS / "reports"
STEMS = sorted(p.stem for p in REPORTS.glob("*.txt"))
SUBSIDY = "春节期间，新区总工会投入资金8.9万元，慰问困难职工家庭95户。"
FORMATS = {"jsonl": "out.jsonl", "csv": "events.csv", "parquet": "events.parquet",
           "sqlite": "reports.sqlite", "duckdb": "reports.duckdb"}

CONTESTS_PER_DOCUMENT = """
SELECT d.doc_id, COUNT(e.event_index) AS contests
FROM documents AS d
LEFT JOIN events AS e ON e.doc_id = d.doc_id AND e.type = 'contest'
GROUP BY d.doc_id
ORDER BY d.doc_id"""


def _cli() -> list[str]:
    exe = Path(sys.executable).with_name("unionie")
    return [str(exe)] if exe.exists() else [sys.executable, "-c", "from unionie.cli import run; run()"]


def invoke(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def run_cli(*args: str, input: str | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(_cli() + list(args), input=input, capture_output=True, text=True,
                          timeout=timeout, env=env, check=False)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> dict[str, Path]:
    """corpus/reports extracted once in every format (format named by --format or by extension)."""
    d = tmp_path_factory.mktemp("cli")
    paths = {}
    for fmt, name in FORMATS.items():
        args = ["extract", str(REPORTS), "-o", str(d / name)]
        if fmt in ("csv", "sqlite"):
            args += ["--format", fmt]  # the others by their extension
        r = invoke(*args)
        assert r.exit_code == 0, r.output
        assert f"{len(STEMS)} documents" in r.stderr and "0 errors" in r.stderr
        paths[fmt] = d / name
    return paths


@pytest.fixture(scope="module")
def records(out) -> list[dict]:
    return read_jsonl(out["jsonl"])


def _subsidy_money_per_organizer(records: list[dict]) -> dict[str, float]:
    """The answer computed from the JSON Lines by hand, for the SQL to match."""
    money: dict[str, float] = defaultdict(float)
    for doc in records:
        for ev in doc["events"]:
            if ev["type"] != "subsidy":
                continue
            org = next((a["text"] for a in ev["arguments"] if a["role"] == "organizer"), "(no organizer)")
            for a in ev["arguments"]:
                if a["role"] == "amount" and a.get("unit") == "CNY" and not a.get("per"):
                    money[org] += float(a["value"])
    return dict(money)


def _contests_per_document(records: list[dict]) -> dict[str, int]:
    return {doc["doc_id"]: sum(ev["type"] == "contest" for ev in doc["events"]) for doc in records}


# ---------------------------------------------------------------------------- help

@pytest.mark.parametrize("cmd", [[], ["extract"], ["report"], ["eval"], ["explain"], ["rules"],
                                 ["rules", "check"], ["rules", "list"]])
def test_help_everywhere(cmd):
    for flag in ("--help", "-h"):
        r = invoke(*cmd, flag)
        assert r.exit_code == 0
        assert r.stdout.startswith("Usage: ")
        assert len(r.stdout.splitlines()) > 4


def test_help_documents_exit_codes_and_formats():
    top = invoke("--help").stdout
    assert "Exit codes" in top and "usage error" in top
    for name in ("extract", "report", "eval", "explain", "rules"):
        assert re.search(rf"^  {name}\s+\S", top, re.MULTILINE), name
    ext = invoke("extract", "--help").stdout
    for word in ("jsonl", "csv", "parquet", "sqlite", "duckdb", "--jobs", "--published", "--encoding",
                 "--glob", "--include-text", "Exit codes"):
        assert word in ext
    rep = invoke("report", "--help").stdout
    for word in ("--from-jsonl", "--texts", "-o, --output", "Exit codes"):
        assert word in rep


def _commands(group, prefix=()):
    import click

    for name, cmd in group.commands.items():
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, prefix + (name,))
        else:
            yield prefix + (name,), cmd


def test_docs_cli_md_covers_every_command_and_option():
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for path, cmd in _commands(main):
        assert f"## unionie {' '.join(path)}" in doc, path
        for param in cmd.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--"):
                    assert f"`{opt}" in doc, (path, opt)
    for code in ("`0`", "`1`", "`2`"):
        assert code in doc


# ---------------------------------------------------------------------------- formats

def test_jsonl_output(records):
    assert [d["doc_id"] for d in records] == STEMS  # folders are read in a stable, sorted order
    assert sum(len(d["events"]) for d in records) > 100
    assert all("text" not in d for d in records)
    for d in records:
        text = (REPORTS / f"{d['doc_id']}.txt").read_text(encoding="utf-8")
        for ev in d["events"]:
            t = ev["trigger"]
            assert text[t["start"]:t["end"]] == t["text"]


def test_csv_opens_with_pandas(out, records):
    pd = pytest.importorskip("pandas")
    df = pd.read_csv(out["csv"])
    assert len(df) == sum(len(d["events"]) for d in records)
    assert {"doc_id", "type", "trigger", "organizer", "amount_cny", "person_count"} <= set(df.columns)
    want = Counter(ev["type"] for d in records for ev in d["events"])
    assert df.groupby("type").size().to_dict() == dict(want)


def test_parquet_opens_with_pyarrow_and_pandas(out, records):
    pq = pytest.importorskip("pyarrow.parquet")
    pd = pytest.importorskip("pandas")
    from unionie.io import to_dataframe

    table = pq.read_table(out["parquet"])
    assert table.num_rows == sum(len(d["events"]) for d in records)
    df = pd.read_parquet(out["parquet"])
    assert str(df.amount_cny.dtype) == "Float64"
    expected = to_dataframe(records).groupby("type").amount_cny.sum()
    got = df.groupby("type").amount_cny.sum()
    pd.testing.assert_series_equal(got, expected, check_dtype=False)


def test_parquet_arguments_level(tmp_path, records):
    pd = pytest.importorskip("pandas")
    r = invoke("extract", str(REPORTS), "-o", str(tmp_path / "sub" / "args.parquet"), "--level", "arguments",
               "-q")
    assert r.exit_code == 0 and r.stderr == ""
    df = pd.read_parquet(tmp_path / "sub" / "args.parquet")  # the parent folder was made
    assert len(df) == sum(len(ev["arguments"]) for d in records for ev in d["events"])
    assert set(df.role) >= {"organizer", "amount"}


def test_sqlite_answers_the_questions(out, records):
    con = sqlite3.connect(out["sqlite"])
    assert [r[0] for r in con.execute("SELECT doc_id FROM documents ORDER BY doc_id")] == STEMS
    n_events = con.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    assert n_events == sum(len(d["events"]) for d in records)
    money = {org: total for org, total, _ in con.execute(EXAMPLE_QUERIES["subsidy_money_per_organizer"])}
    want = _subsidy_money_per_organizer(records)
    assert money == pytest.approx(want)
    assert sum(money.values()) > 0 and len(money) >= 2
    contests = dict(con.execute(CONTESTS_PER_DOCUMENT).fetchall())
    assert contests == _contests_per_document(records)
    assert sum(contests.values()) > 0
    con.close()


def test_duckdb_answers_the_questions(out, records):
    duckdb = pytest.importorskip("duckdb")
    con = duckdb.connect(str(out["duckdb"]), read_only=True)
    money = {org: total for org, total, _ in con.execute(EXAMPLE_QUERIES["subsidy_money_per_organizer"]).fetchall()}
    assert money == pytest.approx(_subsidy_money_per_organizer(records))
    contests = dict(con.execute(CONTESTS_PER_DOCUMENT).fetchall())
    assert contests == _contests_per_document(records)
    years = con.execute(EXAMPLE_QUERIES["contests_per_year"]).fetchall()
    assert sum(n for _, n in years) == sum(contests.values())
    con.close()


def test_sql_appends_never_duplicate(out, records):
    r = invoke("extract", str(REPORTS / "zhenjiang-xinqu.txt"), str(REPORTS / "changzhou-xinbei.txt"),
               "-o", str(out["sqlite"]), "-q")
    assert r.exit_code == 0
    con = sqlite3.connect(out["sqlite"])
    assert con.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == len(STEMS)
    assert con.execute("SELECT COUNT(*) FROM events").fetchone()[0] == sum(len(d["events"]) for d in records)
    con.close()


def test_format_follows_more_extensions(tmp_path):
    duckdb = pytest.importorskip("duckdb")
    src = str(REPORTS / "zhenjiang-xinqu.txt")
    assert invoke("extract", src, "-o", str(tmp_path / "a.sqlite3"), "-q").exit_code == 0
    assert (tmp_path / "a.sqlite3").read_bytes()[:15] == b"SQLite format 3"
    assert invoke("extract", src, "-o", str(tmp_path / "a.ddb"), "-q").exit_code == 0
    con = duckdb.connect(str(tmp_path / "a.ddb"), read_only=True)
    assert con.execute("SELECT doc_id FROM documents").fetchall() == [("zhenjiang-xinqu",)]
    con.close()


def test_include_text_keeps_texts(tmp_path):
    src = REPORTS / "zhenjiang-xinqu.txt"
    r = invoke("extract", str(src), "--include-text", "-q")
    assert r.exit_code == 0
    (doc,) = [json.loads(line) for line in r.stdout.splitlines()]
    assert doc["text"] == src.read_text(encoding="utf-8")
    db = tmp_path / "t.sqlite"
    assert invoke("extract", str(src), "-o", str(db), "--include-text", "-q").exit_code == 0
    con = sqlite3.connect(db)
    stored, = con.execute("SELECT text FROM documents").fetchone()
    assert stored == doc["text"]
    con.close()
    r = invoke("extract", str(src), "-o", str(tmp_path / "x.csv"), "--include-text")
    assert r.exit_code == 2


def test_stdin(tmp_path):
    r = invoke("extract", "-", input=SUBSIDY)
    assert r.exit_code == 0
    (doc,) = [json.loads(line) for line in r.stdout.splitlines()]
    assert doc["doc_id"] == "stdin"
    assert [e["type"] for e in doc["events"]] == ["subsidy"]


# ---------------------------------------------------------------------------- eval, explain

def test_eval_corpus_prints_the_four_metrics():
    r = invoke("eval", "--corpus", str(CORPUS))
    assert r.exit_code == 0, r.output
    for metric in ("quantity", "event", "typed_arg", "role_arg"):
        m = re.search(rf"^{metric}\s+P ([\d.]+) R ([\d.]+) F1 ([\d.]+)", r.stdout, re.MULTILINE)
        assert m, (metric, r.stdout)
        assert all(0.0 <= float(x) <= 1.0 for x in m.groups())
    assert "subsidy" in r.stdout  # the per-type table


def test_explain_shows_the_subsidy_event():
    r = invoke("explain", SUBSIDY)
    assert r.exit_code == 0
    events = r.stdout.split("events (", 1)[1]
    assert re.search(r"subsidy trigger='慰问'", events)
    assert re.search(r"organizer: '新区总工会'", events)
    assert re.search(r"amount: '8\.9万元' = 89000(\.0)? CNY", events)
    assert re.search(r"beneficiary_count: '95户' = 95 户", events)


SAFETY = "6月“安全生产月”期间，集团公司工会组织应急演练29场，参与职工4600余人次，查改各类隐患410余项。"
SAFETY_PACK = ROOT / "examples" / "rules" / "safety_production.yaml"


def test_explain_with_a_rule_pack_shows_what_the_pack_fires():
    """rules.md: `unionie explain` shows the rule behind each event of a user's pack."""
    plain = invoke("explain", SAFETY)
    assert plain.exit_code == 0 and "safety_production" not in plain.stdout
    r = invoke("explain", SAFETY, "--rules", str(SAFETY_PACK))
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[0] == f"rules: bundled + {SAFETY_PACK} (types: safety_production)"
    events = r.stdout.split("events (", 1)[1]
    assert re.search(r"safety_production trigger='应急演练' .*<- safety_production\.hazard", events)
    assert re.search(r"count: '29场' = 29 场", events)
    assert re.search(r"safety_production trigger='查改各类隐患' .*<- safety_production\.hazard", events)
    assert re.search(r"hazard_count: '410余项' = 410 项", events)


def test_explain_with_a_malformed_pack_names_file_and_line(tmp_path):
    pack = tmp_path / "bad.yaml"
    pack.write_text("name: x\nevent_types:\n  - type: y\n    triggers: [1\n", encoding="utf-8")
    r = run_cli("explain", SAFETY, "--rules", str(pack))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert f"[U201] {pack}:" in r.stderr


# ---------------------------------------------------------------------------- report

def _marks(html: str) -> int:
    """Highlighted triggers in document texts (the legend's marks have no data-ev)."""
    return len(re.findall(r'<mark class="hl[^"]*\btrig\b[^"]*" data-ev="', html))


def test_report_from_texts(tmp_path):
    out = tmp_path / "r" / "report.html"
    r = invoke("report", str(REPORTS / "zhenjiang-xinqu.txt"), str(REPORTS / "changzhou-xinbei.txt"),
               "-o", str(out), "--title", "两份报告")
    assert r.exit_code == 0, r.output
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<title>两份报告</title>" in html
    assert html.count("<svg") >= 3 and 'id="events-table"' in html
    assert _marks(html) > 20
    assert "do not match the text" not in html
    assert not re.search(r'(src|href)="https?://', html)  # nothing fetched at view time
    assert "2 documents" in r.stderr


def test_report_from_jsonl_with_and_without_texts(tmp_path, out, records):
    with_texts = tmp_path / "with.html"
    r = invoke("report", "--from-jsonl", str(out["jsonl"]), "--texts", str(REPORTS), "-o", str(with_texts))
    assert r.exit_code == 0, r.output
    html = with_texts.read_text(encoding="utf-8")
    assert _marks(html) >= sum(len(d["events"]) for d in records) * 0.9
    assert "do not match the text" not in html and "No text in this record" not in html

    bare = tmp_path / "bare.html"
    r = invoke("report", str(out["jsonl"]), "-o", str(bare))  # *.jsonl is read as JSON Lines anyway
    assert r.exit_code == 0
    assert "had no text" in r.stderr
    html = bare.read_text(encoding="utf-8")
    assert _marks(html) == 0 and "No text in this record" in html
    assert html.count('<tr data-type="') == sum(len(d["events"]) for d in records)

    piped = tmp_path / "piped.html"
    lines = out["jsonl"].read_text(encoding="utf-8")
    r = invoke("report", "--from-jsonl", "-", "--texts", str(REPORTS), "-o", str(piped), input=lines)
    assert r.exit_code == 0
    assert _marks(piped.read_text(encoding="utf-8")) == _marks(html := with_texts.read_text(encoding="utf-8"))
    assert html


def test_report_counts_bad_lines_and_missing_texts_as_failures(tmp_path, out):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(out["jsonl"].read_text(encoding="utf-8") + "{oops\n[1, 2]\n", encoding="utf-8")
    r = invoke("report", str(bad), "-o", str(tmp_path / "r.html"))
    assert r.exit_code == 1
    assert "bad.jsonl:15" in r.stderr and "bad.jsonl:16" in r.stderr
    assert f"{len(STEMS)} documents" in r.stderr
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "a.jsonl").write_text(out["jsonl"].read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "a.jsonl.errors.jsonl").write_text('{"source": "x.txt", "error": "binary"}\n', encoding="utf-8")
    r = invoke("report", "--from-jsonl", str(folder), "-o", str(tmp_path / "f.html"))
    assert r.exit_code == 0, r.stderr  # the errors file next to the output is not read
    assert f"{len(STEMS)} documents" in r.stderr
    some = tmp_path / "some"
    some.mkdir()
    (some / "zhenjiang-xinqu.txt").write_text((REPORTS / "zhenjiang-xinqu.txt").read_text(encoding="utf-8"),
                                              encoding="utf-8")
    r = invoke("report", "--from-jsonl", str(out["jsonl"]), "--texts", str(some), "-o", str(tmp_path / "s.html"))
    assert r.exit_code == 1
    assert "no changzhou-xinbei.txt under" in r.stderr


def test_report_usage_errors(tmp_path, out):
    assert invoke("report", str(REPORTS)).exit_code == 2  # -o is required
    r = invoke("report", str(REPORTS / "zhenjiang-xinqu.txt"), str(out["jsonl"]), "-o", str(tmp_path / "x.html"))
    assert r.exit_code == 2 and "one kind" in r.stderr
    r = invoke("report", str(REPORTS), "--texts", str(REPORTS), "-o", str(tmp_path / "x.html"))
    assert r.exit_code == 2
    r = invoke("report", str(out["jsonl"]), "-o", str(out["jsonl"]))
    assert r.exit_code == 2 and out["jsonl"].read_text(encoding="utf-8").startswith("{")


# ---------------------------------------------------------------------------- exit codes (real process)

def test_exit_codes_of_the_installed_command(tmp_path):
    kept = tmp_path / "results.jsonl"
    kept.write_text('{"doc_id": "keep"}\n', encoding="utf-8")
    r = run_cli("extract", str(tmp_path / "no-such-folder"), "-o", str(kept))
    assert r.returncode == 2
    assert "no such file or directory" in r.stderr
    assert kept.read_text(encoding="utf-8") == '{"doc_id": "keep"}\n'  # not truncated by a typo

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(SUBSIDY, encoding="utf-8")
    (folder / "broken.txt").write_bytes(bytes(range(256)) * 8)
    db = tmp_path / "out.sqlite"
    r = run_cli("extract", str(folder), "-o", str(db))
    assert r.returncode == 1, r.stderr
    assert "broken.txt" in r.stderr and "1 error;" in r.stderr
    errors = read_jsonl(Path(f"{db}.errors.jsonl"))
    assert [Path(e["source"]).name for e in errors] == ["broken.txt"]
    con = sqlite3.connect(db)
    assert con.execute("SELECT doc_id FROM documents").fetchall() == [("good",)]
    con.close()



def test_usage_errors_exit_2(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(SUBSIDY, encoding="utf-8")
    r = invoke("extract", str(good), "--format", "xml")
    assert r.exit_code == 2 and "xml" in r.stderr
    r = invoke("extract", str(good), "--format", "parquet")
    assert r.exit_code == 2 and "needs -o" in r.stderr
    r = invoke("extract", str(good), "--published", "May 2019")
    assert r.exit_code == 2 and "ISO date" in r.stderr
    r = invoke("extract", str(good), "--jobs", "0")
    assert r.exit_code == 2
    assert invoke("nonsense").exit_code == 2


# ---------------------------------------------------------------------------- 1,000 documents

def _make_corpus(folder: Path, n: int = 1000, seed: int = 4) -> None:
    """Reports recombined from the paragraphs of corpus/reports (2 to 5 paragraphs each)."""
    paragraphs = [p.strip() for f in sorted(REPORTS.glob("*.txt"))
                  for p in f.read_text(encoding="utf-8").splitlines() if len(p.strip()) >= 8]
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    for i in range(n):
        parts = rng.sample(paragraphs, rng.randint(2, 5))
        if i % 7 == 0:
            parts.insert(0, f"发布时间：{2015 + i % 9}-0{1 + i % 9}-1{i % 10}")
        (folder / f"gen-{i:04d}.txt").write_text("\n".join(parts) + "\n", encoding="utf-8")


@pytest.mark.slow
def test_1000_documents_two_jobs_equal_one_job(tmp_path):
    folder = tmp_path / "many"
    _make_corpus(folder)
    one, two = tmp_path / "jobs1.jsonl", tmp_path / "jobs2.jsonl"
    r1 = run_cli("extract", str(folder), "-o", str(one), "--jobs", "1")
    assert r1.returncode == 0, r1.stderr
    r2 = run_cli("extract", str(folder), "-o", str(two), "--jobs", "2")
    assert r2.returncode == 0, r2.stderr
    assert "1000 documents" in r1.stderr and "1000 documents" in r2.stderr
    lines1 = one.read_text(encoding="utf-8").splitlines()
    lines2 = two.read_text(encoding="utf-8").splitlines()
    assert len(lines1) == len(lines2) == 1000

    def by_id(lines: list[str]) -> list[tuple[str, str]]:
        return sorted((json.loads(line)["doc_id"], line) for line in lines)

    assert by_id(lines1) == by_id(lines2)  # byte for byte, document by document
    assert lines1 == lines2  # and in the same (input) order
    assert sum(len(json.loads(line)["events"]) for line in lines1) > 1000


@pytest.mark.parametrize("command", ["extract", "activities", "summarize"])
@pytest.mark.parametrize(("value", "ok"), [(" 2019-05-05", True), ("2019-05-05", True), ("2019-13-01", False),
                                           ("May 2019", False)])
def test_published_is_read_as_the_api_reads_it(tmp_path, command, value, ok):
    """--published goes through unionie.core.published_date, the one parser the API uses."""
    good = tmp_path / "good.txt"
    good.write_text(SUBSIDY, encoding="utf-8")
    out = ["-o", str(tmp_path / "out.jsonl")] if command != "summarize" else []
    r = invoke(command, str(good), "--published", value, *out)
    if ok:
        assert r.exit_code == 0, r.stderr
    else:
        assert r.exit_code == 2 and "ISO date" in r.stderr and "--published" in r.stderr

"""Smoke test of the benchmark harness: it runs and records every measurement.

No timing is asserted (speed is never asserted in unit tests): the figures are
checked for presence and shape only.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))  # the harness lives in the checkout, not in the package

from harness import MEASUREMENTS, TARGETS, main  # noqa: E402


@pytest.mark.parametrize("clock", [[], ["--cpu"]], ids=["wall", "cpu"])
def test_stage_breakdown_runs_and_names_every_stage(clock: list[str]) -> None:
    """bench/stages.py (the table of docs/performance.md) times each stage inside extract."""
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "stages.py"), "--size-mb", "0.02", *clock],
                       check=False, capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert r.returncode == 0, r.stderr[-3000:]
    lines = r.stdout.splitlines()
    assert lines[0].startswith("unionie.extract over ")
    for stage in ("segmentation (jieba)", "events", "quantities", "entities", "dates: find_dates",
                  "dates: find_published", "fold", "the rest"):
        assert any(ln.strip().startswith(stage) for ln in lines[1:]), stage
    shares = [float(ln.rsplit(None, 1)[-1].rstrip("%")) for ln in lines[1:]]
    assert abs(sum(shares) - 100) < 1.5
    assert min(shares) >= 0  # a stage's time excludes the stages it calls, never counted twice


def test_ab_compares_two_checkouts_side_by_side() -> None:
    """bench/ab.py runs extract from two src folders at once (here the same one twice)."""
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "ab.py"), str(ROOT / "src"), "--rounds", "1",
                        "--size-mb", "0.02"], check=False, capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert r.returncode == 0, r.stderr[-3000:]
    lines = r.stdout.splitlines()
    assert [ln.split()[0] for ln in lines] == ["other", "this", "this"], lines
    assert "x jieba (cpu)" in lines[0] and lines[2].startswith("this / other extract CPU: best ")


def test_outputs_writes_one_line_per_text(tmp_path: Path) -> None:
    """bench/outputs.py (the byte-for-byte check of a speed change) writes every text's result."""
    corpus = tmp_path / "corpus"
    (corpus / "reports").mkdir(parents=True)
    (corpus / "reports" / "a.txt").write_text("2023年，市总工会举办培训班8期，培训职工1,200人次。", encoding="utf-8")
    rows = [{"text": "去年慰问困难职工36户。", "published": "2023-05-01"}, {"note": "no text"}]
    (corpus / "rows.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                                       encoding="utf-8")
    out = tmp_path / "out.txt"
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "outputs.py"), str(out), "--corpus", str(corpus),
                        "--bench-seeds"], check=False, capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert r.returncode == 0, r.stderr[-3000:]
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [ln.split("\t")[0] for ln in lines] == ["reports/a.txt", "rows.jsonl:1"]
    doc = json.loads(lines[0].split("\t")[2])
    assert [e["type"] for e in doc["events"]] == ["training"]
    assert json.loads(lines[1].split("\t")[2])["published"] == "2023-05-01"


@pytest.mark.slow
def test_quick_bench_writes_every_measurement(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--out", str(out)],
                       check=False, capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert r.returncode == 0, r.stderr[-3000:]
    rec = json.loads(out.read_text(encoding="utf-8"))
    for key in ("date", "machine", "packages", "corpus", "options", "measurements", "targets"):
        assert key in rec
    assert rec["machine"]["cpu"] and rec["machine"]["cores"] and rec["machine"]["python"]
    assert rec["packages"]["jieba"] and rec["packages"]["spacy"]
    assert rec["corpus"]["chars"] > 0 and rec["corpus"]["documents"] > 0
    m = rec["measurements"]
    assert set(m) == set(MEASUREMENTS)
    for name in ("jieba_lcut", "tokenizer", "extract", "extract_many_1", "extract_many_2", "cli_j1", "cli_j2"):
        assert "error" not in m[name], m[name]
        assert m[name]["seconds"] > 0 and m[name]["chars_per_s"] > 0 and "ratio_to_jieba" in m[name], name
    assert m["extract"]["reinitialized_between_documents"] is False
    assert "speedup_over_n_process_1" in m["extract_many_2"]
    assert m["extract_many_2"]["machine_probe"]["speedup"] > 0
    assert m["extract_many_2"]["workers_cpu_seconds"] > 0
    assert m["cli_j1"]["documents_written"] == rec["corpus"]["documents"]
    cold = m["cold_start"]
    assert cold["seconds"] > 0 and {"import", "load", "first_extract"} <= set(cold["runs"][0])
    small, large = (str(n) for n in m["rss"]["documents"])
    for path in ("extract_many", "cli"):
        block = m["rss"][path]
        assert block[small]["peak_rss_mib"] > 0 and block[large]["peak_rss_mib"] > 0, block
        assert block[large]["docs"] == int(large)
        assert block["ratio"] > 0
    for b, r_ in m["backends"].items():  # measured when installed, else skipped with a reason
        assert "skipped" in r_ or ("tokenizer_speedup" in r_ and r_["extract"]["seconds"] > 0), b
    assert "skipped" in m["jionlp"] or {"extract_money", "extract_time"} <= set(m["jionlp"])
    assert set(rec["targets"]) == set(TARGETS)
    assert all(t["value"] is not None for t in rec["targets"].values())
    assert "targets:" in r.stdout and "x jieba" in r.stdout


def test_bench_usage_errors_return_an_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--no-such-option"]) == 2
    assert main(["--help"]) == 0
    assert main(["--corpus", str(tmp_path / "missing"), "--out", str(tmp_path / "x.json")]) == 2
    assert not (tmp_path / "x.json").exists()


def test_unionie_bench_runs_the_checkouts_harness() -> None:
    """`unionie bench` (from a checkout) is the harness: its --help is the harness's."""
    from click.testing import CliRunner

    from unionie.cli import main as cli_main

    r = CliRunner().invoke(cli_main, ["bench", "--help"])
    assert r.exit_code == 0, r.output
    assert "usage: unionie bench" in r.output and "--size-mb" in r.output


def test_unionie_bench_outside_a_checkout_says_where_the_harness_is(tmp_path: Path) -> None:
    """From an install without the repository, the command names what is missing and what to run."""
    import click

    from unionie.cli.bench import load_harness

    with pytest.raises(click.ClickException, match=r"harness.py is missing.*python bench/run.py"):
        load_harness(tmp_path / "bench" / "harness.py")

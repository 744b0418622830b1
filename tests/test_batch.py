"""Batches through the real command line (issue 7): one bad file never stops a batch.

A folder holds good reports (copies of corpus/reports) next to one of each kind of awkward
file: GBK, GB18030, Big5, UTF-16 and UTF-8 with BOM, an empty file, HTML remnants and a
Traditional report (all good: they must be read and extracted), and binary junk, a PDF, a
file with invalid bytes, a broken symlink and an unreadable file (bad: each is named, with
the byte offset when it has one). ``unionie extract DIR -o out.jsonl`` runs as a subprocess:
exit code 1, every good document written, every bad one named on stderr and in
``out.jsonl.errors.jsonl``; 0 when all are good; 2 on usage errors. ``--resume`` after an
interrupted run writes every doc_id exactly once and leaves no broken line.
"""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import unionie
from unionie.cli import main

ROOT = Path(__file__).resolve().parents[1]
REPORTS = sorted((ROOT / "corpus" / "reports").glob("*.txt"))
TEXT = {p.stem: p.read_text(encoding="utf-8") for p in REPORTS}
SIMPLIFIED = "hubei-wuhan-2019-news"  # encodes in GB2312 too
TRADITIONAL = "taiwan-style-traditional-news"  # encodes in Big5
SUBSIDY = "春节期间，新区总工会投入资金8.9万元，慰问困难职工家庭95户。"


def _cli() -> list[str]:
    exe = Path(sys.executable).with_name("unionie")
    return [str(exe)] if exe.exists() else [sys.executable, "-c", "from unionie.cli import run; run()"]


def run_cli(*args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(_cli() + [str(a) for a in args], capture_output=True, text=True,
                          encoding="utf-8", timeout=timeout, env=env, check=False)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _without_id(d: dict) -> dict:
    return {k: v for k, v in d.items() if k not in ("doc_id", "source")}


def _invalid_utf8() -> tuple[bytes, int]:
    """A UTF-8 report with two stray bytes, and the offset of the first (past byte 100)."""
    raw = TEXT[SIMPLIFIED].encode("utf-8")
    cut = 100
    while raw[cut] & 0xC0 == 0x80:  # at a character boundary: the offset is the bad byte's own
        cut += 1
    return raw[:cut] + b"\xff\xfe" + raw[cut:], cut


BAD, BAD_BYTE_AT = _invalid_utf8()


def make_folder(folder: Path) -> tuple[set[str], dict[str, str]]:
    """Fill ``folder``; return the doc_ids that must be written and {bad file name: doc_id}."""
    folder.mkdir(parents=True)
    good: set[str] = set()
    for stem in sorted(TEXT)[:4]:
        (folder / f"{stem}.txt").write_text(TEXT[stem], encoding="utf-8")
        good.add(stem)
    text = TEXT[SIMPLIFIED]
    encoded = {
        "gbk": text.encode("gbk"),
        "gb18030": (text + "\n𠮷𠀀 壹万贰仟元").encode("gb18030"),  # four-byte GB18030 codes: not GBK
        "big5": TEXT[TRADITIONAL].encode("big5"),
        "utf16-bom": text.encode("utf-16"),  # with BOM
        "utf16be-bom": b"\xfe\xff" + text.encode("utf-16-be"),
        "utf8-bom": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "empty": b"",
        "html": ("<html><body><p>" + text.replace("\n", "<br/>\r\n").replace("　", "&nbsp;")
                 + "</p><!-- footer --></body></html>").encode("utf-8"),
        "traditional": TEXT["macau-traditional"].encode("utf-8"),
    }
    for name, data in encoded.items():
        (folder / f"{name}.txt").write_bytes(data)
        good.add(name)
    nested = folder / "x.txt"  # a folder named like a report: searched, never a failure
    nested.mkdir()
    (nested / "inside.txt").write_text(SUBSIDY, encoding="utf-8")
    good.add("inside")
    rng = random.Random(7)
    bad = {
        "junk.txt": bytes(rng.randrange(256) for _ in range(5000)),
        "scan.txt": b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(2000)),
        "invalid.txt": BAD,
        "zeros.txt": b"\x00" * 4096,
    }
    for name, data in bad.items():
        (folder / name).write_bytes(data)
    (folder / "dangling.txt").symlink_to(folder / "no-such-target.txt")
    bad["dangling.txt"] = b""
    (folder / "notes.csv").write_text("not a report: the default glob leaves it out", encoding="utf-8")
    return good, {name: Path(name).stem for name in bad}


# ------------------------------------------------------------------------------ the mixed folder

@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("batch") / "in"
    good, bad = make_folder(folder)
    return folder, good, bad


@pytest.mark.parametrize("jobs", ["1", pytest.param("2", marks=pytest.mark.slow)])
def test_bad_files_are_named_and_every_good_document_written(tmp_path, mixed, jobs):
    folder, good, bad = mixed
    out = tmp_path / "out.jsonl"
    r = run_cli("extract", folder, "-o", out, "-j", jobs)
    assert r.returncode == 1, r.stderr
    docs = read_jsonl(out)
    ids = [d["doc_id"] for d in docs]
    assert sorted(ids) == sorted(good)  # every good document, once; nothing from a bad file
    errors = read_jsonl(Path(f"{out}.errors.jsonl"))
    assert sorted(Path(e["source"]).name for e in errors) == sorted(bad)
    assert {e["doc_id"] for e in errors} == set(bad.values())
    for name in bad:
        assert any(line.startswith("unionie: error: ") and name in line for line in r.stderr.splitlines()), name
    assert f"{len(good)} documents" in r.stderr and f"{len(bad)} errors" in r.stderr
    by_name = {Path(e["source"]).name: e for e in errors}
    inv = by_name["invalid.txt"]
    assert inv["code"] == "U301" and inv["offset"] == BAD_BYTE_AT
    assert f"at byte {BAD_BYTE_AT}" in inv["error"] and "invalid.txt" in inv["error"]
    assert by_name["junk.txt"]["code"] == "U301" and "binary" in by_name["junk.txt"]["error"]
    # read as what it is (a PDF, by its signature), and named as a broken one
    assert by_name["scan.txt"]["code"] == "U302" and "(pdf)" in by_name["scan.txt"]["error"]
    assert by_name["dangling.txt"]["code"] == "U102" and "cannot read" in by_name["dangling.txt"]["error"]

    by_id = {d["doc_id"]: d for d in docs}
    reference = _without_id(unionie.extract(TEXT[SIMPLIFIED]).to_dict())
    for same in ("gbk", "utf16-bom", "utf16be-bom", "utf8-bom"):  # decoded to the very same text
        assert _without_id(by_id[same]) == reference, same
    assert by_id["gb18030"]["events"] == reference["events"]
    assert _without_id(by_id["big5"]) == _without_id(unionie.extract(TEXT[TRADITIONAL]).to_dict())
    assert by_id["big5"]["source"]["format"] == "txt" and by_id["html"]["source"]["format"] == "html"
    assert {k: v for k, v in by_id["empty"].items() if k != "source"} == {"doc_id": "empty", "published": None, "events": [], "quantities": [],
                              "entities": [], "dates": []}
    html_types = sorted(e["type"] for e in by_id["html"]["events"])
    assert html_types == sorted(e["type"] for e in reference["events"])
    assert len(by_id["traditional"]["events"]) >= 10
    assert by_id["inside"]["events"][0]["type"] == "subsidy"


def test_spans_of_awkward_files_are_exact_in_the_decoded_text(mixed):
    from unionie.io.readers import read_text

    folder, _, _ = mixed
    for name in ("gb18030", "big5", "utf16-bom", "html", "traditional"):
        text = read_text(folder / f"{name}.txt")
        doc = unionie.extract(text)
        spans = [*doc.quantities, *doc.dates, *doc.entities,
                 *(ev.trigger for ev in doc.events), *(a for ev in doc.events for a in ev.arguments)]
        assert spans and all(text[s.start:s.end] == s.text for s in spans), name


def test_unreadable_file(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(SUBSIDY, encoding="utf-8")
    locked = folder / "locked.txt"
    locked.write_text(SUBSIDY, encoding="utf-8")
    locked.chmod(0)
    try:
        try:
            locked.read_bytes()
            pytest.skip("running as root: a file without read permission is still readable")
        except PermissionError:
            pass
        out = tmp_path / "out.jsonl"
        r = run_cli("extract", folder, "-o", out)
        assert r.returncode == 1 and "locked.txt" in r.stderr
        assert [d["doc_id"] for d in read_jsonl(out)] == ["good"]
        (err,) = read_jsonl(Path(f"{out}.errors.jsonl"))
        assert err["doc_id"] == "locked" and err["code"] == "U102" and "ermission" in err["error"]
    finally:
        locked.chmod(0o644)


def test_all_good_exits_0_and_leaves_no_errors_file(tmp_path, mixed):
    folder = tmp_path / "in"
    folder.mkdir()
    for stem in sorted(TEXT)[:3]:
        (folder / f"{stem}.txt").write_text(TEXT[stem], encoding="utf-8")
    out = tmp_path / "out.jsonl"
    errors = Path(f"{out}.errors.jsonl")
    errors.write_text('{"source": "stale"}\n', encoding="utf-8")  # from an earlier run
    r = run_cli("extract", folder, "-o", out)
    assert r.returncode == 0, r.stderr
    assert "0 errors" in r.stderr and "error:" not in r.stderr
    assert [d["doc_id"] for d in read_jsonl(out)] == sorted(TEXT)[:3]
    assert not errors.exists()


def test_usage_errors_exit_2_and_leave_the_output_alone(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(SUBSIDY, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    out.write_text('{"doc_id": "keep"}\n', encoding="utf-8")
    cases = [
        ((tmp_path / "missing", "-o", out), "no such file or directory"),
        ((good, "--published", "2019-13-45", "-o", out), "ISO date"),
        ((good, tmp_path / "missing.txt", "-o", out), "missing.txt"),  # checked before anything runs
        ((good, "--published", "yesterday", "-o", out), "ISO date"),
        ((good, "--encoding", "no-such-codec", "-o", out), "no-such-codec"),
        ((good, "--jobs", "0", "-o", out), "--jobs"),
        ((), "Missing argument"),
    ]
    for k, (args, says) in enumerate(cases):
        if k < 2:  # the installed command, in a process of its own
            r = run_cli("extract", *args)
            code, stderr = r.returncode, r.stderr
        else:  # the same command in-process (quicker)
            res = CliRunner().invoke(main, ["extract", *map(str, args)])
            code, stderr = res.exit_code, res.stderr
        assert code == 2, (args, stderr)
        assert says in stderr, (args, stderr)
        assert "Traceback" not in stderr
        assert out.read_text(encoding="utf-8") == '{"doc_id": "keep"}\n'


def test_stdin_junk_is_named(tmp_path):
    r = CliRunner().invoke(main, ["extract", "-", "-o", str(tmp_path / "o.jsonl")],
                           input=b"\x00\x01\x02junk" * 100)
    assert r.exit_code == 1
    (err,) = read_jsonl(tmp_path / "o.jsonl.errors.jsonl")
    assert err["source"] == "<stdin>" and err["code"] == "U301"
    r = CliRunner().invoke(main, ["extract", "-", "--encoding", "utf-8"], input=b"ab\xffcd")
    assert r.exit_code == 1 and "<stdin>" in r.stderr and "at byte 2" in r.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_crash_inside_one_document_does_not_stop_the_batch(tmp_path, monkeypatch, jobs):
    """An unexpected exception while extracting one document (a bug) names that document."""
    import unionie.api

    real = unionie.api.extract

    def flaky(text, **kw):
        if "BOOM" in text:
            raise RuntimeError("simulated bug")
        return real(text, **kw)

    monkeypatch.setattr(unionie.api, "extract", flaky)
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(5):
        (folder / f"d{i}.txt").write_text(SUBSIDY + ("BOOM" if i == 2 else ""), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    r = CliRunner().invoke(main, ["extract", str(folder), "-o", str(out), "-j", jobs])
    assert r.exit_code == 1, r.output
    assert [d["doc_id"] for d in read_jsonl(out)] == ["d0", "d1", "d3", "d4"]
    (err,) = read_jsonl(Path(f"{out}.errors.jsonl"))
    assert err["doc_id"] == "d2" and Path(err["source"]).name == "d2.txt"
    assert err["code"] is None and "RuntimeError: simulated bug" in err["error"]
    assert "d2.txt" in r.stderr


# ------------------------------------------------------------------------------ --resume

def _check_once(out: Path, expected: list[str], reference: dict[str, str]) -> None:
    lines = out.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == ""  # ends with a newline: no half-written record
    docs = [json.loads(line) for line in lines[:-1]]  # every line is whole JSON
    ids = [d["doc_id"] for d in docs]
    assert sorted(ids) == sorted(expected) and len(set(ids)) == len(ids)
    for line, d in zip(lines, docs):
        assert line == reference[d["doc_id"]]  # the same record as an uninterrupted run


def test_resume_after_a_truncated_output(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for stem, text in TEXT.items():
        (folder / f"{stem}.txt").write_text(text, encoding="utf-8")
    rng = random.Random(3)
    (folder / "broken.txt").write_bytes(bytes(rng.randrange(256) for _ in range(600)))
    full = tmp_path / "full.jsonl"
    assert run_cli("extract", folder, "-o", full).returncode == 1
    reference = {json.loads(line)["doc_id"]: line for line in full.read_text(encoding="utf-8").splitlines()}
    assert sorted(reference) == sorted(TEXT)

    raw = full.read_bytes()
    newlines = [i for i, b in enumerate(raw) if b == 0x0A]
    # mid-line (in the middle of a multi-byte character, too), in the first line, just before
    # the last newline, nothing at all
    cuts = [newlines[4] + 1 + 37, newlines[7] + 1 + len('{"doc_id": "') + 1, newlines[0] // 2,
            newlines[-1], 0]
    for k, cut in enumerate(cuts):
        out = tmp_path / f"cut{cut}.jsonl"
        out.write_bytes(raw[:cut])  # an interrupted run: the last record half written
        if k == 0:  # the installed command
            r = run_cli("extract", folder, "-o", out, "--resume")
            code, stderr = r.returncode, r.stderr
        else:
            res = CliRunner().invoke(main, ["extract", str(folder), "-o", str(out), "--resume"])
            code, stderr = res.exit_code, res.stderr
        assert code == 1, stderr  # broken.txt is retried and named again
        assert "broken.txt" in stderr
        _check_once(out, sorted(TEXT), reference)
        (err,) = read_jsonl(Path(f"{out}.errors.jsonl"))
        assert err["doc_id"] == "broken"
    # resuming a finished run writes nothing new
    before = full.read_bytes()
    res = CliRunner().invoke(main, ["extract", str(folder), "-o", str(full), "--resume"])
    assert res.exit_code == 1 and "0 documents" in res.stderr
    assert f"skipped {len(TEXT)} documents already in {full} (--resume)" in res.stderr
    assert full.read_bytes() == before


@pytest.mark.slow
def test_resume_after_a_killed_run(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    names = []
    for k in range(3):
        for stem, text in TEXT.items():
            (folder / f"{k}-{stem}.txt").write_text(text, encoding="utf-8")
            names.append(f"{k}-{stem}")
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.Popen(_cli() + ["extract", str(folder), "-o", str(out)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        if out.exists() and out.read_bytes().count(b"\n") >= 5:
            break
        time.sleep(0.01)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)  # no clean-up at all
    proc.wait(timeout=60)
    r = run_cli("extract", folder, "-o", out, "--resume")
    assert r.returncode == 0, r.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    ids = [json.loads(line)["doc_id"] for line in lines]
    assert sorted(ids) == sorted(names)


# ------------------------------------------------------------------------------ 1,000 reports

def _variant(rng: random.Random, paragraphs: list[str]) -> str:
    parts = rng.sample(paragraphs, rng.randint(2, 6))
    if rng.random() < 0.2:
        parts = [p.replace("，", "<br>") for p in parts]
    if rng.random() < 0.2:
        parts.insert(0, f"发布时间：{rng.randint(2015, 2024)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}")
    return "\n".join(parts) + "\n"


@pytest.mark.slow
def test_1000_reports_with_50_bad_files_two_jobs(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    paragraphs = [p.strip() for t in TEXT.values() for p in t.splitlines() if len(p.strip()) >= 8]
    rng = random.Random(11)
    good, bad = [], []
    bad_at = set(rng.sample(range(1000), 50))
    for i in range(1000):
        name = f"r{i:04d}"
        sub = folder / f"part{i % 7}"  # nested folders
        sub.mkdir(exist_ok=True)
        path = sub / f"{name}.txt"
        if i in bad_at:
            kind = len(bad) % 4
            if kind == 0:
                path.write_bytes(bytes(rng.randrange(256) for _ in range(3000)))
            elif kind == 1:
                raw = _variant(rng, paragraphs).encode("utf-8")
                path.write_bytes(raw[:60] + b"\xc3\x28" + raw[60:])
            elif kind == 2:
                path.symlink_to(sub / "gone.txt")
            else:
                path.write_bytes(b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(500)))
            bad.append(name)
        else:
            text = _variant(rng, paragraphs)
            enc = ("utf-8", "gb18030", "utf-16", "utf-8-sig")[i % 4]
            path.write_bytes(text.encode(enc))
            good.append(name)
    out = tmp_path / "out.jsonl"
    r = run_cli("extract", folder, "-o", out, "-j", "2", timeout=1800)
    assert r.returncode == 1, r.stderr[-2000:]
    ids = [d["doc_id"] for d in read_jsonl(out)]
    assert sorted(ids) == sorted(good) and len(ids) == 950
    errors = read_jsonl(Path(f"{out}.errors.jsonl"))
    assert sorted(e["doc_id"] for e in errors) == sorted(bad)
    named = {line.split(": ")[2] for line in r.stderr.splitlines() if line.startswith("unionie: error: ")}
    assert sorted(Path(n).stem for n in named) == sorted(bad)
    assert "950 documents" in r.stderr and "50 errors" in r.stderr

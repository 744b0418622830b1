"""Batch runs: one user rule pack through every entry point, and the parallel runner
under stress (no hang, no orphan worker, Ctrl-C keeps what was written and resumes)."""
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

import unionie

ROOT = Path(__file__).resolve().parents[1]
REPORTS = sorted((ROOT / "corpus" / "reports").glob("*.txt"))
PACK = ROOT / "examples" / "rules" / "safety_production.yaml"
SAFETY = ["开展“安全生产月”活动，组织应急演练12场，排查隐患356处，参与职工2.1万人次。",
          "市总工会牵头开展安康杯竞赛，参赛企业86家，聘任群众安全监督员420名。"]


def _cli() -> list[str]:
    exe = Path(sys.executable).with_name("unionie")
    return [str(exe)] if exe.exists() else [sys.executable, "-c", "from unionie.cli import run; run()"]


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def pack_inputs(tmp_path_factory) -> tuple[Path, list[tuple[str, str]]]:
    """Reports with the pack's activities in them, as files and as (doc_id, text) pairs."""
    folder = tmp_path_factory.mktemp("pack_inputs")
    pairs = []
    for i, p in enumerate(REPORTS[:8]):
        text = p.read_text(encoding="utf-8") + "\n" + SAFETY[i % 2] + "\n"
        (folder / f"{p.stem}.txt").write_text(text, encoding="utf-8")
        pairs.append((p.stem, text))
    return folder, pairs


def test_a_user_pack_gives_the_same_events_through_every_entry_point(pack_inputs, tmp_path) -> None:
    folder, pairs = pack_inputs
    nlp = unionie.load(rules=[PACK])
    one = [unionie.extract(t, doc_id=i, nlp=nlp).to_dict() for i, t in pairs]
    assert sum(e["type"] == "safety_production" for d in one for e in d["events"]) >= len(pairs)
    # the batch runner with this process and one worker
    many = [d.to_dict() for d in unionie.extract_many(pairs, nlp=nlp, n_process=2, batch_size=2)]
    assert many == one
    # the spaCy components on a Doc
    for (i, t), want in zip(pairs, one):
        doc = nlp(t)
        assert [(e.type, e.start, e.end, e.arguments) for e in doc._.events] == \
            [(e.type, e.start, e.end, e.arguments) for e in unionie.extract(t, nlp=nlp).events]
    # the command line, two processes
    out = tmp_path / "out.jsonl"
    r = subprocess.run(_cli() + ["extract", str(folder), "--rules", str(PACK), "-j", "2", "-o", str(out)],
                       capture_output=True, text=True, timeout=600, check=False)
    assert r.returncode == 0, r.stderr[-2000:]
    by_id = {d["doc_id"]: d for d in _read_jsonl(out)}
    assert [by_id[d["doc_id"]]["events"] for d in one] == [d["events"] for d in one]
    # Dask, when installed
    db = pytest.importorskip("dask.bag")
    from unionie.dask import extract_bag

    got = extract_bag(db.from_sequence(pairs, npartitions=2), rules=[PACK]).compute(scheduler="synchronous")
    assert [d["events"] for d in got] == [d["events"] for d in one]


def test_cli_rules_that_do_not_exist_are_a_usage_error(tmp_path) -> None:
    r = subprocess.run(_cli() + ["extract", str(REPORTS[0]), "--rules", str(tmp_path / "nope.yaml"), "-j", "2"],
                       capture_output=True, text=True, timeout=300, check=False)
    assert r.returncode == 2 and "nope.yaml" in r.stderr


def test_extract_many_on_error_return_keeps_the_place_of_a_bad_text() -> None:
    texts = ["举办培训班3期，培训职工150人次。", "工会\udcff", "慰问困难职工家庭95户。"]
    for n in (1, 2):
        got = list(unionie.extract_many(texts, n_process=n, batch_size=2, on_error="return"))
        assert [type(g).__name__ for g in got] == ["Document", "ExtractionFailure", "Document"]
        assert got[1].code == "U102"


# -- the parallel runner under stress ------------------------------------------------------------
def _long_reports(folder: Path, n: int, seed: int = 5) -> list[str]:
    """``n`` reports of 3,000-9,000 characters, made of the corpus reports' paragraphs."""
    paragraphs = [p.strip() for r in REPORTS for p in r.read_text(encoding="utf-8").splitlines()
                  if len(p.strip()) >= 8]
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for i in range(n):
        parts: list[str] = []
        target = rng.randrange(3000, 9000)
        while sum(map(len, parts)) < target:
            parts.append(rng.choice(paragraphs))
        name = f"d{i:04d}"
        (folder / f"{name}.txt").write_text("\n".join(parts), encoding="utf-8")
        names.append(name)
    return names


def _children(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (Linux /proc)."""
    out = set()
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.add(int(d.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
def test_2000_long_reports_with_two_jobs_finish_with_every_document(tmp_path) -> None:
    """The run that used to hang near the end (both processes blocked sending on their
    pipe): every document written. The timeout is a hang detector, not a speed test."""
    names = _long_reports(tmp_path / "in", 2000)
    out = tmp_path / "out.jsonl"
    try:
        r = subprocess.run(_cli() + ["extract", str(tmp_path / "in"), "-j", "2", "-o", str(out)],
                           capture_output=True, text=True, timeout=1500, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail("unionie extract --jobs 2 hung on 2,000 long reports")
    assert r.returncode == 0, r.stderr[-2000:]
    ids = [d["doc_id"] for d in _read_jsonl(out)]
    assert sorted(ids) == names


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.slow
def test_a_parent_killed_with_sigkill_leaves_no_worker(tmp_path) -> None:
    _long_reports(tmp_path / "in", 300)
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen(_cli() + ["extract", str(tmp_path / "in"), "-j", "3", "-o", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        workers: set[int] = set()
        deadline = time.monotonic() + 120
        while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
            workers = _children(proc.pid)
            time.sleep(0.05)
        assert len(workers) == 2, "the workers did not start"
        while not out.exists() or out.stat().st_size == 0:  # in the middle of the run
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        gone_by = time.monotonic() + 5
        while any(_alive(w) for w in workers) and time.monotonic() < gone_by:
            time.sleep(0.05)
        assert not [w for w in workers if _alive(w)], "a worker outlived its parent"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.slow
def test_ctrl_c_keeps_what_was_written_and_resume_finishes_the_run(tmp_path) -> None:
    names = _long_reports(tmp_path / "in", 300, seed=8)
    out = tmp_path / "out.jsonl"
    cmd = _cli() + ["extract", str(tmp_path / "in"), "-j", "2", "-o", str(out)]
    # a terminal's Ctrl-C: SIGINT to the whole foreground process group
    # as started from a terminal: SIGINT handled (a suite run in the background of a
    # non-interactive shell inherits SIGINT ignored, and Python keeps an inherited SIG_IGN)
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # noqa: PLW1509
    try:
        deadline = time.monotonic() + 120
        while (not out.exists() or out.read_text(encoding="utf-8").count("\n") < 20):
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        workers = _children(proc.pid)
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, err[-2000:]
    assert "Traceback" not in err and "--resume" in err
    assert not [w for w in workers if _alive(w)]
    first = _read_jsonl(out)  # every line whole
    assert 20 <= len(first) < len(names)
    r = subprocess.run(cmd + ["--resume"], capture_output=True, text=True, timeout=900, check=False)
    assert r.returncode == 0, r.stderr[-2000:]
    ids = [d["doc_id"] for d in _read_jsonl(out)]
    assert sorted(ids) == names  # each document once


@pytest.mark.skipif(not hasattr(signal, "SIGUSR1"), reason="workers are asked to stop with SIGUSR1")
def test_an_interrupted_batch_asks_its_workers_to_stop_and_kills_none(monkeypatch) -> None:
    """Ctrl-C in the middle of a worker's chunk: the worker drops the chunk when asked and
    ends as a worker ends (exit code 0), long before the chunk would have finished and
    without being terminated (a worker terminated while it writes a result would leave the
    pool's reader waiting for the rest of the message for ever)."""
    import _thread
    import multiprocessing as mp
    import threading

    from unionie import parallel

    parent, real = os.getpid(), parallel.api.extract

    def slow_in_workers(*args, **kwargs):
        if os.getpid() != parent:
            time.sleep(120)  # much longer than STOP_GRACE: only a stop on request ends it early
        return real(*args, **kwargs)

    monkeypatch.setattr(parallel.api, "extract", slow_in_workers)  # forked workers inherit it
    monkeypatch.setattr(parallel, "STOP_GRACE", 5.0)
    workers: list = []

    def ctrl_c() -> None:
        workers.extend(mp.active_children())
        _thread.interrupt_main()

    timer = threading.Timer(2.0, ctrl_c)
    pairs = [("举办培训班3期，培训职工120人次。", str(i)) for i in range(200)]
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            for _ in parallel.parallel_map(iter(pairs), n_process=2, batch_size=2, start_method="fork"):
                pass
    finally:
        timer.cancel()
    assert len(workers) == 1
    assert [w.exitcode for w in workers] == [0]  # not -SIGTERM: it was asked, not killed


_INTERRUPTED_RUNS = """
import multiprocessing as mp, os, random, signal, sys, threading
from pathlib import Path
from unionie.parallel import parallel_map
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).glob("*.txt"))]
signal.signal(signal.SIGINT, signal.default_int_handler)
rng = random.Random(int(sys.argv[2]))
for i in range(int(sys.argv[3])):
    timer = threading.Timer(rng.uniform(0.2, 2.0), os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        for _ in parallel_map(((texts[k % len(texts)], str(k)) for k in range(10**7)), n_process=2):
            pass
    except KeyboardInterrupt:
        pass
    else:
        sys.exit("the run was not interrupted")
    if mp.active_children():
        sys.exit(f"workers left after run {i}: {mp.active_children()}")
    print(i, flush=True)
"""


@pytest.mark.slow
def test_ctrl_c_at_any_moment_of_a_parallel_batch_never_hangs(tmp_path) -> None:
    """Ctrl-C at forty random moments of forty two-process batches: each ends with
    KeyboardInterrupt and no worker left. Terminating a worker as it wrote a result hung the
    pool's shutdown about once in twenty. The timeout is a hang detector, not a speed test."""
    runs = 40
    try:
        r = subprocess.run([sys.executable, "-c", _INTERRUPTED_RUNS, str(ROOT / "corpus" / "real" / "reports"),
                            "16", str(runs)], capture_output=True, text=True, timeout=300, check=False)
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"a Ctrl-C'd parallel batch hung; runs done: {e.stdout!r}")
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.split() == [str(i) for i in range(runs)]

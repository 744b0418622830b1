#!/usr/bin/env python
"""Repeated parallel batch runs: ``python bench/batch_runs.py [--runs 8] [--docs 2000] [--jobs 2] [--out FILE]``.

Issue 16's acceptance run: ``unionie extract FOLDER --jobs 2`` over 2,000 reports of a few
thousand characters each, several times in a row, every run finishing with every document
written (the old pipe protocol hung near the end of most such runs). The reports are those of
the slow test in tests/test_batch_runs.py (corpus paragraphs drawn at random into 3,000-9,000
characters, seed 5), written once to a temporary folder.

Each run is a fresh ``unionie extract`` process with a hang detector (``--timeout`` seconds,
default 1,800: a run that takes longer is recorded as hung and killed). After each run the
script checks the output (every doc_id written once, no failure record) and that no process
the run started is left (its process group is empty). Nothing is asserted: it prints a line
per run and, with ``--out``, writes a JSON record.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from test_batch_runs import _long_reports  # noqa: E402  (the slow test's documents, one definition)


def _group_alive(pgid: int) -> list[int]:
    """Pids still in process group ``pgid`` (zombies excluded)."""
    alive = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            alive.append(int(d.name))
    return alive


def one_run(cli: list[str], folder: Path, out: Path, names: list[str], timeout: float) -> dict:
    out.unlink(missing_ok=True)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cli + ["extract", str(folder), "--jobs", str(ARGS.jobs), "-o", str(out), "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        _, err = proc.communicate(timeout=timeout)
        hung = False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        _, err = proc.communicate()
        hung = True
    seconds = time.perf_counter() - t0
    time.sleep(1.0)
    left = _group_alive(proc.pid)
    ids = []
    if out.exists():
        for line in out.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            ids.append(rec.get("doc_id"))
    return {"exit": proc.returncode, "hung": hung, "seconds": round(seconds, 1),
            "written": len(ids), "unique": len(set(ids)), "complete": sorted(ids) == names,
            "left_processes": left, "stderr_tail": err.decode("utf-8", "replace")[-300:]}


def kill_run(cli: list[str], folder: Path, out: Path, after: float) -> dict:
    """Start a run, ``kill -9`` its parent process after ``after`` seconds (and once a worker
    runs beside it), and time how long
    until no process of its group is left (the workers die with their parent)."""
    out.unlink(missing_ok=True)
    proc = subprocess.Popen(cli + ["extract", str(folder), "--jobs", str(ARGS.jobs), "-o", str(out), "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(after)
    t_wait = time.perf_counter()  # and until a worker runs beside the parent
    while len(_group_alive(proc.pid)) < 2 and proc.poll() is None and time.perf_counter() - t_wait < 120:
        time.sleep(0.02)
    before = _group_alive(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)
    t0 = time.perf_counter()
    proc.wait()
    while _group_alive(proc.pid) and time.perf_counter() - t0 < 30:
        time.sleep(0.05)
    left = _group_alive(proc.pid)
    for pid in left:  # do not leave them behind on this machine either
        os.kill(pid, signal.SIGKILL)
    return {"processes_before_kill": len(before), "seconds_until_none_left": round(time.perf_counter() - t0, 2),
            "left_after_30s": left}


def main() -> None:
    global ARGS
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=8)
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=1800.0)
    ap.add_argument("--kill-after", type=float, default=20.0,
                    help="then one run whose parent is killed with -9 after this many seconds, once a worker "
                         "runs (negative: no such run)")
    ap.add_argument("--out", type=Path)
    ARGS = ap.parse_args()
    exe = Path(sys.executable).with_name("unionie")
    cli = [str(exe)] if exe.exists() else [sys.executable, "-m", "unionie"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        names = _long_reports(folder, ARGS.docs)
        chars = sum(len((folder / f"{n}.txt").read_text(encoding="utf-8")) for n in names)
        print(f"{ARGS.docs} reports, {chars:,} characters; {ARGS.runs} runs of "
              f"unionie extract --jobs {ARGS.jobs}", flush=True)
        runs = []
        for i in range(ARGS.runs):
            r = one_run(cli, folder, Path(tmp) / "out.jsonl", names, ARGS.timeout)
            runs.append(r)
            print(f"run {i + 1}: exit {r['exit']}, {'HUNG' if r['hung'] else 'finished'} in {r['seconds']} s, "
                  f"{r['written']} written ({'all' if r['complete'] else 'NOT all'} documents), "
                  f"processes left: {len(r['left_processes'])}", flush=True)
        kill = None
        if ARGS.kill_after >= 0:
            kill = kill_run(cli, folder, Path(tmp) / "killed.jsonl", ARGS.kill_after)
            print(f"kill -9 of the parent after {ARGS.kill_after:g} s ({kill['processes_before_kill']} processes "
                  f"running): none left after {kill['seconds_until_none_left']} s"
                  if not kill["left_after_30s"] else f"kill -9: {len(kill['left_after_30s'])} processes LEFT", flush=True)
    ok = all(r["exit"] == 0 and r["complete"] and not r["hung"] and not r["left_processes"] for r in runs)
    print(f"{sum(r['complete'] for r in runs)}/{len(runs)} runs wrote every document; "
          f"{'all finished, nothing left behind' if ok else 'NOT all runs were clean'}")
    if ARGS.out:
        ARGS.out.write_text(json.dumps({
            "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
                       f"Python {platform.python_version()}",
            "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "docs": ARGS.docs, "characters": chars, "jobs": ARGS.jobs, "runs": runs, "all_clean": ok, "kill": kill,
        }, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


ARGS: argparse.Namespace

if __name__ == "__main__":
    main()

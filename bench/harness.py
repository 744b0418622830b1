"""The benchmark harness behind ``python bench/run.py`` and ``unionie bench`` (from a checkout).

It lives in the repository, not in the installed package: it reads ``corpus/reports``
and writes ``bench/results``. ``unionie bench`` imports it from the checkout it runs in.

It builds a corpus of at least ``--size-mb`` MB (UTF-8) of text by drawing the
paragraphs of ``corpus/reports/*.txt`` with a seeded random generator, and measures
in one run, on that same text:

* plain ``jieba.lcut`` (the global jieba, dictionary loaded before timing);
* the unionie tokenizer alone (``nlp.tokenizer(text)``, a spaCy ``Doc``);
* ``unionie.extract`` end to end;
* ``extract_many`` with ``n_process=1`` and ``n_process=2``;
* the CLI (``unionie extract DIR -o OUT -j 1`` and ``-j 2``) on a folder of the documents;
* cold start in a fresh process (import + load + first extract);
* peak RSS for N and 10 N short documents through ``extract_many`` and the CLI
  (fresh processes, ``ru_maxrss`` of the child from ``os.wait4``);
* the optional segmenter backends (``jieba_fast``, ``rjieba``) when installed;
* JioNLP's ``extract_money`` and ``extract_time`` when ``jionlp`` is importable.

In-process timings are repeated ``--repeats`` times, interleaved (one round runs
every measurement once), and the best wall-clock time of each is kept; ratios are
throughput ratios to plain ``jieba.lcut`` from the same run. CPU times are recorded
too (they are less disturbed by other processes on a busy machine). It prints a
table and writes a JSON record (machine, date, versions, every figure).
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as _dt
import io
import json
import os
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any, Callable

from harness_docs import build_corpus, iter_docs, load_paragraphs, write_docs
from harness_procs import Timing, children_cpu, cli_cmd, machine, spawn, spawn_rss, versions, vmhwm_kib
from harness_report import TARGETS, print_report, targets

__all__ = ["main", "build_corpus", "load_paragraphs", "iter_docs", "MEASUREMENTS", "TARGETS"]

#: The keys of ``record["measurements"]``; every run writes each of them (a skipped
#: one says why in ``"skipped"``).
MEASUREMENTS = ("jieba_lcut", "tokenizer", "extract", "extract_many_1", "extract_many_2", "cli_j1",
                "cli_j2", "cold_start", "rss", "backends", "jionlp")

_REPO = Path(__file__).resolve().parents[1]
_HERE = str(Path(__file__).resolve().parent)  # the folder a child process imports this module from


# -- the corpus --------------------------------------------------------------------------
def _default_corpus() -> Path:
    for cand in (_REPO / "corpus" / "reports", Path.cwd() / "corpus" / "reports"):
        if cand.is_dir():
            return cand
    return Path.cwd() / "corpus" / "reports"


def _default_out() -> Path:
    if (_REPO / "bench").is_dir():
        return _REPO / "bench" / "results" / "latest.json"
    return Path.cwd() / "unionie-bench.json"


# -- children (run in fresh processes) -----------------------------------------------------
_COLD = r"""
import json, sys, time
t0 = time.perf_counter()
import unionie
t1 = time.perf_counter()
from unionie.core import default_extractor
default_extractor()  # what unionie.extract runs: the core's extractor of the bundled rules
t2 = time.perf_counter()
d = unionie.extract(sys.argv[1])
t3 = time.perf_counter()
unionie.extract(sys.argv[1])
t4 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "first_extract": t3 - t2, "total": t3 - t0,
                  "second_extract": t4 - t3, "events": len(d.events)}))
"""

_EXTRACT_MANY = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from harness import _child_extract_many
sys.exit(_child_extract_many(sys.argv[2:]))
"""


def _child_extract_many(argv: list[str]) -> int:
    """Stream generated documents through extract_many, keep nothing, print counts and VmHWM."""
    corpus, n_docs, seed, n_process = argv[0], int(argv[1]), int(argv[2]), int(argv[3])
    from unionie.parallel import extract_many

    paras = load_paragraphs(corpus)
    docs = events = 0
    for d in extract_many(iter_docs(paras, seed=seed, n_docs=n_docs, paras_per_doc=(1, 3)), n_process=n_process):
        docs += 1
        events += len(d.events)
    print(json.dumps({"docs": docs, "events": events, "vmhwm_kib": vmhwm_kib()}))
    return 0


# -- the measurements --------------------------------------------------------------------------
def _busy(n: int) -> int:
    """Pure-Python CPU work: the probe of how much parallelism the machine gives right now."""
    x = 0
    for i in range(n):
        x += i * i
    return x


def _parallel_probe(n: int) -> tuple[float, float]:
    """Wall seconds of ``_busy(n)`` twice in this process, and once in each of two worker processes."""
    import multiprocessing as mp

    t0 = time.perf_counter()
    _busy(n)
    _busy(n)
    serial = time.perf_counter() - t0
    with mp.get_context().Pool(2) as pool:  # the start method extract_many uses
        pool.map(_busy, [1000, 1000])  # workers started before timing
        t0 = time.perf_counter()
        pool.map(_busy, [n, n], chunksize=1)
        parallel = time.perf_counter() - t0
    return serial, parallel


def _tokenize_all(tokenizer: Callable[[str], Any], docs: list[str]) -> int:
    return len([tokenizer(d) for d in docs])


def _extract_all(nlp: Any, docs: list[str]) -> int:
    from unionie.api import extract

    return len([extract(d, nlp=nlp) for d in docs])


def _backends(docs: list[str], tok: Any) -> dict[str, Any]:
    """The optional segmenter backends: a loaded pipeline each, or why it was skipped."""
    import unionie
    from unionie.api import extract
    from unionie.tokenizer import BACKENDS

    backends: dict[str, Any] = {}
    for b in BACKENDS[1:]:
        try:
            bnlp = unionie.load(backend=b)
        except ImportError as e:
            backends[b] = {"skipped": str(e)}
            continue
        extract(docs[0], nlp=bnlp)
        btok: Any = bnlp.tokenizer
        same = len([d for d in docs if btok.words(d) == tok.words(d)])
        backends[b] = {"nlp": bnlp, "same_tokens_as_jieba_docs": same}
    return backends


_MAIN_TIMINGS = ("jieba_lcut", "tokenizer", "extract", "extract_many_1", "extract_many_2")


def _in_process(docs: list[str], chars: int, repeats: int, say: Callable[[str], None],
                probe_n: int = 10_000_000) -> dict[str, Any]:
    import jieba

    import unionie
    from unionie.api import extract
    from unionie.core import default_extractor
    from unionie.parallel import extract_many

    jieba.setLogLevel(60)
    jieba.initialize()  # the global dictionary, loaded before timing
    tok: Any = unionie.load().tokenizer  # the spaCy tokenizer, measured alone
    extract(docs[0])  # loads the private jieba dictionary, the rules and OpenCC
    core = default_extractor()  # what extract(text) runs (unionie.api.runner(None))
    seg_before = core.words.jieba
    backends = _backends(docs, tok)

    timings: dict[str, Timing] = {name: Timing(chars) for name in _MAIN_TIMINGS}
    for b, info in backends.items():
        if "nlp" in info:
            timings[f"{b}.tokenizer"] = Timing(chars)
            timings[f"{b}.extract"] = Timing(chars)

    workers_cpu: list[float] = []
    probes: list[tuple[float, float]] = []

    def run_many(n: int) -> int:
        c0 = children_cpu()
        count = 0
        for _ in extract_many(docs, n_process=n):
            count += 1
        assert count == len(docs)
        if n > 1:
            workers_cpu.append(children_cpu() - c0)  # the pool's workers are reaped when it closes
        return count

    for r in range(repeats):
        say(f"  round {r + 1}/{repeats}")
        timings["jieba_lcut"].run(lambda: [jieba.lcut(d) for d in docs])
        timings["tokenizer"].run(lambda: [tok(d) for d in docs])
        timings["extract"].run(lambda: [extract(d) for d in docs])
        timings["extract_many_1"].run(lambda: run_many(1))
        timings["extract_many_2"].run(lambda: run_many(2))
        probes.append(_parallel_probe(probe_n))
        for b, info in backends.items():
            if "nlp" in info:
                timings[f"{b}.tokenizer"].run(partial(_tokenize_all, info["nlp"].tokenizer, docs))
                timings[f"{b}.extract"].run(partial(_extract_all, info["nlp"], docs))

    out = _main_record(timings, probes, workers_cpu)
    out["extract"]["reinitialized_between_documents"] = (default_extractor() is not core
                                                         or core.words.jieba is not seg_before)
    out["backends"] = _backends_record(timings, backends, len(docs))
    return out


def _main_record(timings: dict[str, Timing], probes: list[tuple[float, float]],
                 workers_cpu: list[float]) -> dict[str, Any]:
    """The records of the main in-process timings, with the machine probe and the workers' CPU."""
    jt = timings["jieba_lcut"]
    out = {name: timings[name].record(jt) for name in _MAIN_TIMINGS}
    out["extract_many_2"]["speedup_over_n_process_1"] = round(
        min(timings["extract_many_1"].walls) / min(timings["extract_many_2"].walls), 4)
    if probes:
        s1, s2 = min(p[0] for p in probes), min(p[1] for p in probes)
        out["extract_many_2"]["machine_probe"] = {
            "serial_seconds": round(s1, 4), "two_processes_seconds": round(s2, 4),
            "speedup": round(s1 / s2, 4), "runs": [[round(a, 3), round(b, 3)] for a, b in probes],
            "note": "a pure-Python loop run twice in one process vs once in each of two: the parallelism "
                    "the machine gave in this run (2.0 on two idle cores)"}
    if workers_cpu:
        w = min(workers_cpu)
        out["extract_many_2"]["workers_cpu_seconds"] = round(w, 4)
        out["extract_many_2"]["cpu_overhead_vs_n_process_1"] = round(
            (w + min(timings["extract_many_2"].cpus)) / min(timings["extract_many_1"].cpus), 4)
    out["extract_many_2"]["note"] = ("wall time including the worker pool start; cpu_seconds is the parent's "
                                     "alone, workers_cpu_seconds the workers' (best run); "
                                     "cpu_overhead_vs_n_process_1 = all CPU / CPU of n_process=1")
    return out


def _backends_record(timings: dict[str, Timing], backends: dict[str, Any], n_docs: int) -> dict[str, Any]:
    """Each optional backend's timings and speedups over jieba, or why it was skipped."""
    jt = timings["jieba_lcut"]
    bout: dict[str, Any] = {}
    for b, info in backends.items():
        if "nlp" not in info:
            bout[b] = info
            continue
        t_tok, t_ext = timings[f"{b}.tokenizer"], timings[f"{b}.extract"]
        bout[b] = {"tokenizer": t_tok.record(jt), "extract": t_ext.record(jt),
                   "tokenizer_speedup": round(min(timings["tokenizer"].walls) / min(t_tok.walls), 4),
                   "extract_speedup": round(min(timings["extract"].walls) / min(t_ext.walls), 4),
                   "same_tokens_as_jieba_docs": info["same_tokens_as_jieba_docs"], "docs": n_docs}
    return bout


def _jionlp(docs: list[str], chars: int, jieba_best: float) -> dict[str, Any]:
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            import jionlp  # it prints a banner on import
    except Exception as e:  # noqa: BLE001 - an optional package, skipped however it fails
        return {"skipped": f"jionlp not importable: {type(e).__name__}: {e}"}
    out: dict[str, Any] = {"version": getattr(jionlp, "__version__", None)}
    for name in ("extract_money", "extract_time"):
        fn = getattr(jionlp.ner, name, None) or getattr(jionlp, name, None)
        if fn is None:
            out[name] = {"skipped": f"jionlp has no {name}"}
            continue
        found = errors = 0
        t = Timing(chars)

        def go(fn: Callable[[str], Any] = fn) -> None:
            nonlocal found, errors
            for d in docs:
                try:
                    found += len(fn(d))
                except Exception:  # noqa: BLE001 - counted, not fatal
                    errors += 1

        # JioNLP prints tracebacks for some inputs (and a banner): keep the output readable
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            fn(docs[0])  # loads its dictionaries
            t.run(go)
        rec = t.record(None)
        rec["ratio_to_jieba"] = round(jieba_best / min(t.walls), 4)
        rec.update({"found": found, "errors": errors})
        out[name] = rec
    return out


def _cli(folder: Path, chars: int, jobs: int, repeats: int, jieba_best: float, tmp: Path) -> dict[str, Any]:
    runs = []
    rec: dict[str, Any] = {"command": " ".join(cli_cmd() + ["extract", "DIR", "-o", "OUT", "-j", str(jobs)])}
    for i in range(repeats):
        out = tmp / f"cli-j{jobs}-{i}.jsonl"
        r = spawn(cli_cmd() + ["extract", str(folder), "-o", str(out), "-j", str(jobs)])
        if r["returncode"] != 0:
            return {**rec, "error": f"exit {r['returncode']}: {r['stderr'][-2000:]}"}
        lines = sum(1 for _ in out.open(encoding="utf-8"))
        runs.append(r["wall"])
        rec["documents_written"] = lines
        out.unlink()
    best = min(runs)
    rec.update({"seconds": round(best, 4), "chars_per_s": round(chars / best), "runs": [round(w, 4) for w in runs],
                "ratio_to_jieba": round(jieba_best / best, 4),
                "note": "whole process: interpreter start, import, load, reading the files, writing JSON Lines"})
    return rec


def _cold_start(runs: int, text: str) -> dict[str, Any]:
    results = []
    walls = []
    for _ in range(runs):
        r = spawn([sys.executable, "-c", _COLD, text])
        if r["returncode"] != 0:
            return {"error": r["stderr"][-2000:]}
        results.append(json.loads(r["stdout"].strip().splitlines()[-1]))
        walls.append(r["wall"])
    totals = [x["total"] for x in results]
    return {"seconds": round(statistics.median(totals), 4), "best": round(min(totals), 4),
            "runs": [{k: (round(v, 4) if isinstance(v, float) else v) for k, v in x.items()} for x in results],
            "process_wall_seconds": [round(w, 3) for w in walls],
            "note": "seconds = median of import + load + first extract inside a fresh process; "
                    "process_wall_seconds adds the interpreter start"}


def _rss(corpus: Path, sizes: tuple[int, int], seed: int, tmp: Path, say: Callable[[str], None]) -> dict[str, Any]:
    out: dict[str, Any] = {"documents": list(sizes), "paragraphs_per_document": [1, 3]}
    em: dict[str, Any] = {}
    cli: dict[str, Any] = {}
    paras = load_paragraphs(corpus)
    for n in sizes:
        say(f"  extract_many, {n} documents")
        r = spawn_rss([sys.executable, "-c", _EXTRACT_MANY, _HERE, str(corpus), str(n), str(seed), "1"], tmp)
        if r["returncode"] != 0:
            em[str(n)] = {"error": r["stderr"][-2000:]}
        else:
            child = json.loads(r["stdout"].strip().splitlines()[-1])
            em[str(n)] = {"peak_rss_mib": round(r["maxrss_kib"] / 1024, 1) if r["maxrss_kib"] else None,
                          "vmhwm_mib": round(child["vmhwm_kib"] / 1024, 1) if child.get("vmhwm_kib") else None,
                          "docs": child["docs"], "seconds": round(r["wall"], 2)}
        folder = tmp / f"rss-{n}"
        write_docs(folder, iter_docs(paras, seed=seed, n_docs=n, paras_per_doc=(1, 3)))
        say(f"  CLI, {n} documents")
        res = tmp / f"rss-{n}.jsonl"
        r = spawn_rss(cli_cmd() + ["extract", str(folder), "-o", str(res), "-j", "1"], tmp)
        if r["returncode"] != 0:
            cli[str(n)] = {"error": r["stderr"][-2000:]}
        else:
            cli[str(n)] = {"peak_rss_mib": round(r["maxrss_kib"] / 1024, 1) if r["maxrss_kib"] else None,
                           "docs": sum(1 for _ in res.open(encoding="utf-8")), "seconds": round(r["wall"], 2)}
        res.unlink(missing_ok=True)
    small, large = (str(s) for s in sizes)
    for name, block in (("extract_many", em), ("cli", cli)):
        try:
            block["ratio"] = round(block[large]["peak_rss_mib"] / block[small]["peak_rss_mib"], 4)
        except (KeyError, TypeError, ZeroDivisionError):
            block["ratio"] = None
        out[name] = block
    out["note"] = ("peak_rss_mib: ru_maxrss of the measured process (os.wait4 in a small launcher process), "
                   "vmhwm_mib: VmHWM the process reports itself; n_process=1 / -j 1; the documents are "
                   "generated on the fly (extract_many) or written to a folder first (CLI)")
    return out


# -- main ------------------------------------------------------------------------------------------------
def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="unionie bench", description=(
        "Measure unionie's throughput against plain jieba, its scale-out, cold start and memory on "
        "the same text, and write a JSON record."))
    p.add_argument("--quick", action="store_true",
                   help="small sizes, one repeat (a smoke test; the figures mean little)")
    p.add_argument("--size-mb", type=float, default=None, help="corpus size in MB of UTF-8 (default 1, quick 0.05)")
    p.add_argument("--out", type=Path, default=None,
                   help="JSON record to write (default bench/results/latest.json in a checkout)")
    p.add_argument("--corpus", type=Path, default=None, help="folder of *.txt reports (default corpus/reports)")
    p.add_argument("--repeats", type=int, default=None, help="rounds of the in-process timings (default 5, quick 1)")
    p.add_argument("--seed", type=int, default=0, help="seed of the corpus generator")
    p.add_argument("--rss-docs", type=int, default=None,
                   help="the small document count of the memory test; the large one is 10 times it "
                        "(default 2000, quick 100)")
    p.add_argument("--check", action="store_true", help="exit 1 when a target of issue 6 does not hold")
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; 0 on success (1 with --check when a target misses, 2 on bad usage)."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as e:  # --help or a usage error
        return int(e.code or 0) if not isinstance(e.code, str) else 2
    quick = args.quick
    size_mb = args.size_mb if args.size_mb is not None else (0.05 if quick else 1.0)
    repeats = max(1, args.repeats if args.repeats is not None else (1 if quick else 5))
    rss_small = args.rss_docs if args.rss_docs is not None else (100 if quick else 2000)
    corpus = args.corpus or _default_corpus()
    out_path: Path = args.out or _default_out()
    if out_path.suffix.lower() != ".json":
        out_path = out_path / "latest.json"

    def say(msg: str) -> None:
        print(msg, flush=True)

    try:
        paras = load_paragraphs(corpus)
    except (FileNotFoundError, OSError) as e:
        print(f"unionie bench: cannot build the corpus from {corpus}: {e} (use --corpus FOLDER)", file=sys.stderr)
        return 2
    started = _dt.datetime.now().astimezone()
    docs = list(iter_docs(paras, seed=args.seed, min_chars=int(size_mb * 1_000_000)))
    chars = sum(len(d) for d in docs)
    nbytes = sum(len(d.encode("utf-8")) for d in docs)
    rec: dict[str, Any] = {
        "schema": 1, "date": started.isoformat(timespec="seconds"), "machine": machine(), "packages": versions(),
        "options": {"quick": quick, "size_mb": size_mb, "repeats": repeats, "seed": args.seed,
                    "rss_docs": [rss_small, rss_small * 10]},
        "corpus": {"source": str(corpus), "source_files": len(list(Path(corpus).glob("*.txt"))),
                   "paragraphs": len(paras), "documents": len(docs), "chars": chars, "bytes": nbytes,
                   "seed": args.seed, "paragraphs_per_document": [3, 12]},
        "command": "python bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:]),
    }
    say(f"unionie bench: {len(docs):,} documents, {chars:,} characters ({nbytes / 1e6:.2f} MB)")
    m: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="unionie-bench-") as tmpdir:
        tmp = Path(tmpdir)
        say("in-process timings (jieba.lcut, tokenizer, extract, extract_many 1 and 2, backends)")
        m.update(_in_process(docs, chars, repeats, say, probe_n=2_000_000 if quick else 10_000_000))
        jieba_best = m["jieba_lcut"]["seconds"]
        folder = tmp / "docs"
        write_docs(folder, docs)
        for jobs in (1, 2):
            say(f"CLI -j {jobs}")
            m[f"cli_j{jobs}"] = _cli(folder, chars, jobs, repeats, jieba_best, tmp)
        say("cold start")
        m["cold_start"] = _cold_start(1 if quick else 3, docs[0])
        say("peak RSS")
        m["rss"] = _rss(Path(corpus), (rss_small, rss_small * 10), args.seed, tmp, say)
        say("JioNLP (reference)")
        m["jionlp"] = _jionlp(docs, chars, jieba_best)
    rec["measurements"] = {k: m[k] for k in MEASUREMENTS}
    rec["targets"] = targets(rec["measurements"])
    try:
        rec["machine"]["load_average_at_end"] = list(os.getloadavg())
    except OSError:  # pragma: no cover
        pass
    rec["seconds_total"] = round((_dt.datetime.now().astimezone() - started).total_seconds(), 1)
    print_report(rec, say)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(rec, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    say(f"\nwritten to {out_path}")
    if args.check and any(t["holds"] is False for t in rec["targets"].values()):
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

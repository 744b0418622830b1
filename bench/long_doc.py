#!/usr/bin/env python
"""Cost of one long document: ``python bench/long_doc.py [--sizes 2 20] [--out FILE]``.

Issue 16 asks that one 20 MB single-line document cost at most 12x a 2 MB one through
``unionie.extract``. The documents are those of tests/test_long_documents.py: the report
``corpus/reports/hubei-wuhan-2019-news.txt`` on one line repeated to the size ("one-line"),
and the same with every punctuation mark and space removed, so that the whole text is one
clause and one jieba block ("no-punctuation"). Sizes are MB of UTF-8 (10^6 bytes).

Each (kind, size) runs in a fresh process (the pipeline loaded and warmed on a short text
first, not timed), so one run's memory does not weigh on the next. The figures are CPU
seconds of that process (user + system, ``time.process_time``) -- on a machine shared with
other work they move far less than wall-clock seconds, which are printed too -- and its
peak RSS. The ratio is CPU(largest) / CPU(smallest). Nothing here is asserted: the script
prints a table and, with ``--out``, writes a JSON record.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "corpus" / "reports" / "hubei-wuhan-2019-news.txt"
KINDS = ("one-line", "no-punctuation")


def build(kind: str, mb: float) -> str:
    line = REPORT.read_text(encoding="utf-8").replace("\n", "")
    unit = line if kind == "one-line" else re.sub(r"[\W_]", "", line)
    return unit * max(1, int(mb * 1_000_000) // len(unit.encode("utf-8")))


def _child(kind: str, mb: float) -> None:
    import unionie

    text = build(kind, mb)
    unionie.extract("春节期间，新区总工会投入资金8.9万元，慰问困难职工家庭95户。")  # load and warm up
    c0, w0 = time.process_time(), time.perf_counter()
    doc = unionie.extract(text)
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    bad = sum(text[q.start:q.end] != q.text for q in doc.quantities)
    print(json.dumps({"kind": kind, "mb": mb, "chars": len(text), "cpu_s": round(cpu, 2),
                      "wall_s": round(wall, 2), "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                      "events": len(doc.events), "quantities": len(doc.quantities), "offsets_wrong": bad}))


def _machine() -> dict[str, object]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "load_average": [round(x, 2) for x in load] if load else None}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=[2.0, 20.0], help="MB of each document")
    ap.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS))
    ap.add_argument("--out", help="also write the record as JSON here")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        _child(args.child[0], float(args.child[1]))
        return 0
    record: dict[str, object] = {"machine": _machine(), "runs": [], "ratios": {}}
    print(f"machine: {record['machine']}")
    for kind in args.kinds:
        runs = []
        for mb in args.sizes:
            r = subprocess.run([sys.executable, __file__, "--child", kind, str(mb)], capture_output=True,
                               text=True, check=True)
            run = json.loads(r.stdout.strip().splitlines()[-1])
            runs.append(run)
            print(f"{kind:>15} {mb:6.1f} MB  {run['chars']:>9,} chars  cpu {run['cpu_s']:7.2f} s  "
                  f"wall {run['wall_s']:7.2f} s  peak {run['peak_rss_mb']:5} MB  events {run['events']:>6}  "
                  f"offsets wrong {run['offsets_wrong']}", flush=True)
        ratio = runs[-1]["cpu_s"] / runs[0]["cpu_s"]
        size_ratio = args.sizes[-1] / args.sizes[0]
        record["ratios"][kind] = round(ratio, 2)  # type: ignore[index]
        record["runs"].extend(runs)  # type: ignore[union-attr]
        print(f"{kind:>15} {args.sizes[-1]:g} MB / {args.sizes[0]:g} MB: {ratio:.1f}x the CPU time "
              f"for {size_ratio:g}x the text (target: at most 12x for 20 MB / 2 MB)", flush=True)
    if args.out:
        Path(args.out).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

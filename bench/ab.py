"""Two checkouts' ``unionie.extract`` side by side, in CPU seconds, on a shared machine.

    python bench/ab.py OTHER_SRC [--rounds 7] [--size-mb 1.0] [--seed 0]

``OTHER_SRC`` is the ``src`` folder of another checkout (for instance
``git archive main src | tar -x -C /tmp/main``, then ``/tmp/main/src``). Two processes start
at the same time, one importing unionie from ``OTHER_SRC`` and one from this checkout, so that
both meet the same load from other jobs; each runs ``--rounds`` rounds of plain
``jieba.lcut`` then ``unionie.extract`` over the benchmark corpus (``harness.build_corpus``)
and times them with ``time.process_time``. Printed: the best and median round of each, the
CPU-time ratio to ``jieba.lcut`` of each, and this checkout's extract time over the other's.
On a busy machine differences of a few percent are within the noise: compare several runs.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def rounds(n: int, size_mb: float, seed: int) -> dict[str, list[float]]:
    """CPU seconds of ``n`` rounds of jieba.lcut ("J") and unionie.extract ("E"), interleaved."""
    import jieba

    import unionie
    from harness import build_corpus

    docs = build_corpus(HERE.parent / "corpus" / "reports", size_mb, seed)
    nlp = unionie.load()
    jieba.initialize()
    for d in docs[:100]:  # warm-up: the caches of both
        unionie.extract(d, nlp=nlp)
        jieba.lcut(d)
    out: dict[str, list[float]] = {"J": [], "E": []}
    for _ in range(n):
        t = time.process_time()
        for d in docs:
            jieba.lcut(d)
        out["J"].append(time.process_time() - t)
        t = time.process_time()
        for d in docs:
            unionie.extract(d, nlp=nlp)
        out["E"].append(time.process_time() - t)
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("other_src", nargs="?", type=Path)
    p.add_argument("--rounds", type=int, default=7)
    p.add_argument("--size-mb", type=float, default=1.0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        print(json.dumps(rounds(args.rounds, args.size_mb, args.seed)))
        return
    if args.other_src is None:
        p.error("give the src folder of the other checkout")
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", "--rounds", str(args.rounds),
           "--size-mb", str(args.size_mb), "--seed", str(args.seed)]
    here_src = HERE.parent / "src"
    procs = {}
    for name, src in (("other", args.other_src.resolve()), ("this", here_src)):
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(src), str(HERE)]))
        procs[name] = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                       text=True, cwd=str(HERE))
    res = {name: json.loads(proc.communicate()[0].strip().splitlines()[-1]) for name, proc in procs.items()}
    for name, d in res.items():
        j, e = d["J"], d["E"]
        print(f"{name:5s}  extract best {min(e):.3f} s, median {statistics.median(e):.3f} s;"
              f"  x jieba (cpu) best {min(j) / min(e):.3f}, median {statistics.median(j) / statistics.median(e):.3f}")
    a, b = res["this"]["E"], res["other"]["E"]
    print(f"this / other extract CPU: best {min(a) / min(b):.3f}, median {statistics.median(a) / statistics.median(b):.3f}")


if __name__ == "__main__":
    main()

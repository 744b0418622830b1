"""Where ``unionie.extract`` spends its time: each stage timed inside real extract calls.

    python bench/stages.py [--size-mb 1.0] [--seed 0] [--cpu]

Builds the benchmark corpus (``harness.build_corpus``, bench/harness.py), wraps the functions the
core's stages call with a timer, runs ``unionie.extract`` over every document
(one warm-up round, then the reported round) and prints each stage's seconds and share
of the total. A stage's time excludes the stages it calls (the events stage asks the
segmenter for the words around trigger words, and the proof that a word begins at a
trigger, ``JiebaCut.starts_word``, counts as segmentation). Wrapping adds a little time of its own;
the shares are what docs/performance.md quotes.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any, Callable

import unionie
import unionie.core as core
from harness import build_corpus

STAGES = {  # module attribute -> label
    "fold": "fold (width, HTML, Traditional detection)",
    "find_quantities": "quantities",
    "find_published": "dates: find_published",
    "find_dates": "dates: find_dates",
    "find_entities": "entities",
}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size-mb", type=float, default=1.0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--cpu", action="store_true",
                   help="time CPU seconds of this process (steadier on a shared machine) instead of wall seconds")
    args = p.parse_args()
    clock = time.process_time if args.cpu else time.perf_counter
    docs = build_corpus(Path(__file__).resolve().parents[1] / "corpus" / "reports", args.size_mb, args.seed)
    nlp = unionie.load()
    acc: dict[str, float] = {}
    inner: list[float] = [0.0]  # time spent in timed stages called by the running one

    def timed(label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def run(*a: Any, **k: Any) -> Any:
            inner.append(0.0)
            t = clock()
            try:
                return fn(*a, **k)
            finally:
                took = clock() - t
                nested = inner.pop()
                inner[-1] += took
                acc[label] = acc.get(label, 0.0) + took - nested
        return run

    for name, label in STAGES.items():
        setattr(core, name, timed(label, getattr(core, name)))
    # the look for spaces pasted around figures (a text with some runs on its compacted copy)
    core.Compaction.find = staticmethod(timed("spaces (Compaction.find)", core.Compaction.find))  # type: ignore[method-assign]
    for name in ("words", "_run_cut"):  # whole texts; the runs around trigger words
        setattr(nlp.tokenizer, name, timed("segmentation (jieba)", getattr(nlp.tokenizer, name)))
    nlp.tokenizer.jieba  # noqa: B018 - loads the dictionary: the proof of a word start is jieba's work too
    cut = nlp.tokenizer._jiebacut
    if cut is not None:
        cut.starts_word = timed("segmentation (jieba)", cut.starts_word)  # type: ignore[method-assign]
    ext = nlp.get_pipe("unionie_events").extractor
    ext.extract = timed("events", ext.extract)  # type: ignore[method-assign]
    for _ in range(2):  # a warm-up round, then the measured one
        acc.clear()
        t0 = clock()
        for d in docs:
            unionie.extract(d, nlp=nlp)
        total = clock() - t0
    chars = sum(map(len, docs))
    print(f"unionie.extract over {len(docs)} documents, {chars:,} characters: {total:.2f} s")
    for label, sec in sorted(acc.items(), key=lambda kv: -kv[1]):
        print(f"  {label:44s} {sec:6.3f} s  {sec / total:6.1%}")
    rest = total - sum(acc.values())
    print(f"  {'the rest (the Document, GC, calls)':44s} {rest:6.3f} s  {rest / total:6.1%}")


if __name__ == "__main__":
    main()

"""Every output of ``unionie.extract`` on the corpus, for byte-for-byte comparisons.

    python bench/outputs.py OUT [--bench-seeds 0 1 7]

A speed change must not change a result. Run this before and after the change (the same
file name twice, or two names) and compare the files with ``cmp``: one line per text, its
name, the ``repr`` of the :class:`unionie.Document` (every field, the rules that fired
included) and its ``to_dict()`` JSON. The texts are every ``.txt`` file of ``corpus/``
(reports, held-out and real reports, activity documents), every ``text`` of the
``.jsonl`` files there (the event, date and quantity corpora, with their ``published``
date when a row gives one), and the benchmark documents (``harness.build_corpus``: 1 MB of
corpus paragraphs for each seed, 2 MB for the second).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Iterator

import unionie
from harness import build_corpus

ROOT = Path(__file__).resolve().parents[1]


def texts(corpus: Path, seeds: list[int]) -> Iterator[tuple[str, str, str | None]]:
    """(name, text, published) of every text compared."""
    for p in sorted(corpus.rglob("*.txt")):
        yield str(p.relative_to(corpus)), p.read_text(encoding="utf-8"), None
    for p in sorted(corpus.rglob("*.jsonl")):
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines()):
            row = json.loads(line) if line.strip() else {}
            if isinstance(row, dict) and isinstance(row.get("text"), str):
                yield f"{p.relative_to(corpus)}:{i + 1}", row["text"], row.get("published")
    for k, seed in enumerate(seeds):
        for i, text in enumerate(build_corpus(corpus / "reports", 2.0 if k == 1 else 1.0, seed)):
            yield f"bench-seed{seed}:{i}", text, None


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out", type=Path)
    p.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    p.add_argument("--bench-seeds", type=int, nargs="*", default=[0, 1, 7])
    args = p.parse_args()
    nlp = unionie.load()
    n = 0
    with args.out.open("w", encoding="utf-8") as f:
        for name, text, published in texts(args.corpus, args.bench_seeds):
            try:
                doc = unionie.extract(text, nlp=nlp, published=published)
                line = repr(doc) + "\t" + json.dumps(doc.to_dict(), ensure_ascii=False, sort_keys=True)
            except Exception as e:  # noqa: BLE001 - an error is an output too
                line = "error " + repr(e)
            f.write(f"{name}\t{line}\n")
            n += 1
    print(f"{n} texts -> {args.out}")


if __name__ == "__main__":
    main()

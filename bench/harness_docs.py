"""The benchmark's documents: paragraphs of the bundled reports drawn with a seeded generator.

Part of the benchmark harness (bench/harness.py); also used by bench/stages.py.
"""
from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from unionie.io.readers import read_text

__all__ = ["load_paragraphs", "iter_docs", "build_corpus", "write_docs"]


def load_paragraphs(corpus: str | os.PathLike[str]) -> list[str]:
    """The non-blank lines of every ``*.txt`` in ``corpus`` (sorted by file name)."""
    paras: list[str] = []
    for f in sorted(Path(corpus).glob("*.txt")):
        for line in read_text(f).splitlines():
            if line.strip():
                paras.append(line.rstrip())
    if not paras:
        raise FileNotFoundError(f"no text in {corpus}/*.txt")
    return paras


def iter_docs(paragraphs: Sequence[str], *, seed: int, n_docs: int | None = None, min_chars: int = 0,
              paras_per_doc: tuple[int, int] = (3, 12)) -> Iterator[str]:
    """Documents of ``paras_per_doc`` random paragraphs each (seeded, so always the same).

    Stops after ``n_docs`` documents, or once ``min_chars`` UTF-8 bytes were produced.
    """
    rng = random.Random(seed)
    made = size = 0
    lo, hi = paras_per_doc
    while (n_docs is None or made < n_docs) and (n_docs is not None or size < min_chars):
        doc = "\n".join(rng.choice(paragraphs) for _ in range(rng.randint(lo, hi)))
        made += 1
        size += len(doc.encode("utf-8"))
        yield doc


def build_corpus(corpus: str | os.PathLike[str], size_mb: float, seed: int = 0) -> list[str]:
    """At least ``size_mb`` MB (10^6 bytes of UTF-8) of documents drawn from ``corpus``."""
    return list(iter_docs(load_paragraphs(corpus), seed=seed, min_chars=int(size_mb * 1_000_000)))


def write_docs(folder: Path, docs: Iterable[str]) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    for n, d in enumerate(docs, 1):
        (folder / f"doc{n:06d}.txt").write_text(d, encoding="utf-8")
    return n

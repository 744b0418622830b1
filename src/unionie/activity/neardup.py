"""Near-duplicate documents: reposts with another source line, other punctuation, a cut paragraph.

Found with `datasketch <https://pypi.org/project/datasketch/>`_'s MinHash LSH: each
document is a set of character 5-grams of its folded paragraphs (title, dateline and
source lines left out) with punctuation, spaces and Latin letters left out — only the
5-grams that hold a digit when there are at least 20 (a repost keeps its figures; a
look-alike written on the same template has other ones); LSH (threshold 0.5) proposes candidate
pairs in time near linear in the number of documents (a pairwise comparison would be
quadratic), and a pair is kept when the (MinHash-estimated) resemblance of the two sets is at least
0.6 or the smaller is at least 0.85 contained in the larger (a repost that cuts a
paragraph). datasketch was chosen over rapidfuzz for this step because rapidfuzz
compares two strings at a time, so finding the pairs among *n* documents with it is
quadratic; rapidfuzz is used afterwards, on the few pairs found, to align their sentences.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from ..normalize.text import fold

__all__ = ["NearDuplicate", "NearDuplicateFinder", "Sketch", "near_duplicates", "shingles", "sketch"]

_KEEP = re.compile(r"[\u4e00-\u9fff0-9]+")
_SOURCE_LINE = re.compile(r"来源|发布|编辑|作者|责任编辑|转载|浏览|点击")
_DIGIT = re.compile(r"[0-9]")
_MIN_FIGURE_GRAMS = 20
_K = 5
_NUM_PERM = 64
LSH_THRESHOLD = 0.5
MIN_JACCARD = 0.6
MIN_CONTAINMENT = 0.85
MIN_JACCARD_CONTAINED = 0.5


@dataclass(frozen=True, slots=True)
class NearDuplicate:
    """``copy`` is a near-duplicate of ``original`` (the earlier published, else the first given)."""

    original: str
    copy: str
    jaccard: float
    containment: float

    def to_dict(self) -> dict[str, Any]:
        return {"original": self.original, "copy": self.copy, "jaccard": round(self.jaccard, 3),
                "containment": round(self.containment, 3)}


def shingles(text: str) -> tuple[set[str], set[str]]:
    """The character 5-grams of the text's paragraphs — lines of 30 characters or more that
    are not a short dateline or source line (reposts change exactly those, and the title);
    the whole text when it has no such line — and those of them that hold a digit."""
    folded = fold(text)
    paras = [ln for ln in folded.split("\n")
             if len(ln.strip()) >= 30 and not (len(ln) < 100 and _SOURCE_LINE.search(ln))]
    if paras:
        folded = "\n".join(paras)
    body = "".join(_KEEP.findall(folded))
    grams = {body[i:i + _K] for i in range(max(len(body) - _K + 1, 1))} if body else set()
    return grams, {g for g in grams if _DIGIT.search(g)}


def _sketch(seed: Any, grams: set[str]) -> Any:
    mh = seed.copy()  # an empty sketch sharing the permutations (computed once)
    mh.update_batch([x.encode("utf-8") for x in grams])
    return mh


@dataclass(frozen=True, slots=True)
class Sketch:
    """What the finder keeps of a document: the sizes of its 5-gram sets and their MinHash
    sketches (``all`` is None for a text too short to compare, ``figures`` when it has fewer
    than 20 figure grams). Small and picklable: Dask workers compute it, the client adds it."""

    n_grams: int
    n_figures: int
    all: Any
    figures: Any


def sketch(text: str, seed: Any = None) -> Sketch:
    """The :class:`Sketch` of a text (``seed``: an empty ``MinHash`` to copy the permutations from)."""
    if seed is None:
        from datasketch import MinHash

        seed = MinHash(num_perm=_NUM_PERM)
    grams, figs = shingles(text)
    if len(grams) < 10:
        return Sketch(len(grams), len(figs), None, None)
    mh_fig = _sketch(seed, figs) if len(figs) >= _MIN_FIGURE_GRAMS else None
    return Sketch(len(grams), len(figs), _sketch(seed, grams), mh_fig)


class NearDuplicateFinder:
    """Finds near-duplicates as documents are added one by one (only sketches are kept).

    Two indexes: one of the 5-grams that hold a figure and one of all 5-grams. A document
    with at least 20 figure grams is looked up by its figures (a repost keeps its figures; a
    look-alike written on the same template has other ones, so templated collections do
    not make every pair a candidate); one with fewer (a short item, or a copy that cut the
    paragraphs with the figures) by all its grams."""

    def __init__(self) -> None:
        from datasketch import MinHash, MinHashLSH

        self.by_figures = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=_NUM_PERM)
        self.by_all = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=_NUM_PERM)
        self.seed = MinHash(num_perm=_NUM_PERM)
        self.sizes: dict[str, tuple[int, int]] = {}
        self.sketches: dict[str, tuple[Any, Any]] = {}
        self.order: dict[str, tuple[str, int]] = {}
        self.pairs: list[NearDuplicate] = []

    def add(self, key: str, text: str, published: str | None = None) -> list[NearDuplicate]:
        """Add a document; return the near-duplicate pairs it makes with those added before."""
        return self.add_sketch(key, sketch(text, self.seed), published)

    def add_sketch(self, key: str, sk: "Sketch", published: str | None = None) -> list[NearDuplicate]:
        """:meth:`add` with the document's :func:`sketch` computed elsewhere (on a Dask worker):
        adding the same sketches in the same order finds the same pairs."""
        if key in self.sizes:
            raise ValueError(f"document key {key!r} added twice")
        self.sizes[key] = (sk.n_grams, sk.n_figures)
        self.order[key] = (published or "9999", len(self.order))
        if sk.all is None:
            return []
        mh_all, mh_fig = sk.all, sk.figures
        use_figs = mh_fig is not None
        mh = mh_fig if use_figs else mh_all
        found = []
        for other in (self.by_figures if use_figs else self.by_all).query(mh):
            k = 1 if use_figs else 0
            mine, theirs = (sk.n_figures, self.sizes[other][1]) if use_figs else (sk.n_grams, self.sizes[other][0])
            jac = mh.jaccard(self.sketches[other][k])  # the MinHash estimate: the sets are not kept
            inter = jac * (mine + theirs) / (1 + jac)
            cont = min(inter / max(min(mine, theirs), 1), 1.0)
            if jac >= MIN_JACCARD or (cont >= MIN_CONTAINMENT and jac >= MIN_JACCARD_CONTAINED):
                a, b = sorted((other, key), key=lambda d: self.order[d])
                found.append(NearDuplicate(a, b, jac, cont))
        self.sketches[key] = (mh_all, mh_fig)
        self.by_all.insert(key, mh_all)
        if mh_fig is not None:
            self.by_figures.insert(key, mh_fig)
        self.pairs.extend(found)
        return found


def near_duplicates(texts: Iterable[tuple[str, str, str | None]]) -> list[NearDuplicate]:
    """Near-duplicate pairs among ``(doc_id, text, published)`` triples (distinct doc_ids)."""
    finder = NearDuplicateFinder()
    for doc_id, text, published in texts:
        finder.add(doc_id, text, published)
    return finder.pairs

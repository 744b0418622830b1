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
from typing import Any, Sequence

from ..normalize.text import fold

__all__ = ["NearDuplicate", "near_duplicates", "shingles"]

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


def near_duplicates(texts: Sequence[tuple[str, str, str | None]]) -> list[NearDuplicate]:
    """Near-duplicate pairs among ``(doc_id, text, published)`` triples.

    Two indexes: one of the 5-grams that hold a figure and one of all 5-grams. A document
    with at least 20 figure grams is looked up by its figures (a repost keeps its figures; a
    look-alike written on the same template has other ones, so templated collections do
    not make every pair a candidate); one with fewer (a short item, or a copy that cut the
    paragraphs with the figures) by all its grams."""
    from datasketch import MinHash, MinHashLSH

    by_figures = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=_NUM_PERM)
    by_all = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=_NUM_PERM)
    seed = MinHash(num_perm=_NUM_PERM)
    sizes: dict[str, tuple[int, int]] = {}
    sketches: dict[str, tuple[Any, Any]] = {}
    order: dict[str, tuple[str, int]] = {}
    out: list[NearDuplicate] = []
    for n, (doc_id, text, published) in enumerate(texts):
        if doc_id in sizes:
            continue
        grams, figs = shingles(text)
        sizes[doc_id] = (len(grams), len(figs))
        order[doc_id] = (published or "9999", n)
        if len(grams) < 10:
            continue
        mh_all = _sketch(seed, grams)
        mh_fig = _sketch(seed, figs) if len(figs) >= _MIN_FIGURE_GRAMS else None
        use_figs = mh_fig is not None
        cands = by_figures.query(mh_fig) if use_figs else by_all.query(mh_all)
        for other in cands:
            k = 1 if use_figs else 0
            mine, theirs = (len(figs), sizes[other][1]) if use_figs else (len(grams), sizes[other][0])
            jac = (mh_fig if use_figs else mh_all).jaccard(sketches[other][k])  # MinHash estimate
            inter = jac * (mine + theirs) / (1 + jac)
            cont = min(inter / max(min(mine, theirs), 1), 1.0)
            if jac >= MIN_JACCARD or (cont >= MIN_CONTAINMENT and jac >= MIN_JACCARD_CONTAINED):
                a, b = sorted((other, doc_id), key=lambda d: order[d])
                out.append(NearDuplicate(a, b, jac, cont))
        sketches[doc_id] = (mh_all, mh_fig)
        by_all.insert(doc_id, mh_all)
        if mh_fig is not None:
            by_figures.insert(doc_id, mh_fig)
    return out

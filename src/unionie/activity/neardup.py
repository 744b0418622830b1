"""Near-duplicate documents: reposts with another source line, other punctuation, a cut paragraph.

Found with `datasketch <https://pypi.org/project/datasketch/>`_'s MinHash LSH: each
document is a set of character 5-grams of its folded paragraphs (title, dateline and
source lines left out) with punctuation, spaces and Latin letters left out; LSH (threshold 0.5) proposes candidate
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


def shingles(text: str) -> set[str]:
    """Character 5-grams of the text's paragraphs: lines of 30 characters or more that are
    not a dateline or source line (reposts change exactly those, and the title); the whole
    text when it has no such line."""
    folded = fold(text)
    paras = [ln for ln in folded.split("\n") if len(ln.strip()) >= 30 and not _SOURCE_LINE.search(ln)]
    if paras:
        folded = "\n".join(paras)
    body = "".join(_KEEP.findall(folded))
    return {body[i:i + _K] for i in range(max(len(body) - _K + 1, 1))} if body else set()


def near_duplicates(texts: Sequence[tuple[str, str, str | None]]) -> list[NearDuplicate]:
    """Near-duplicate pairs among ``(doc_id, text, published)`` triples."""
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=_NUM_PERM)
    sizes: dict[str, int] = {}
    hashes: dict[str, Any] = {}
    order: dict[str, tuple[str, int]] = {}
    out: list[NearDuplicate] = []
    for n, (doc_id, text, published) in enumerate(texts):
        if doc_id in sizes:
            continue
        s = shingles(text)
        sizes[doc_id] = len(s)
        order[doc_id] = (published or "9999", n)
        if len(s) < 10:
            continue
        mh = MinHash(num_perm=_NUM_PERM)
        mh.update_batch([x.encode("utf-8") for x in s])
        hashes[doc_id] = mh
        for other in lsh.query(mh):
            jac = mh.jaccard(hashes[other])  # the MinHash estimate: the sets are not kept
            inter = jac * (len(s) + sizes[other]) / (1 + jac)
            cont = min(inter / min(len(s), sizes[other]), 1.0)
            if jac >= MIN_JACCARD or (cont >= MIN_CONTAINMENT and jac >= MIN_JACCARD_CONTAINED):
                a, b = sorted((other, doc_id), key=lambda d: order[d])
                out.append(NearDuplicate(a, b, jac, cont))
        lsh.insert(doc_id, mh)
    return out

"""Process-parallel extraction that streams: bounded windows of work, results in input order.

Workers load the pipeline once (in the pool initializer) and send back
:class:`~unionie.Document` objects — plain frozen dataclasses — never spaCy Docs.
"""
from __future__ import annotations

import datetime as _dt
import itertools
import multiprocessing as mp
from typing import Iterable, Iterator

from .document import Document

__all__ = ["parallel_map"]

_published: _dt.date | None = None


def _init(published: _dt.date | None) -> None:
    global _published
    _published = published
    from .api import _nlp

    _nlp()  # load the pipeline (and jieba's dictionary) once per worker


def _work(pair: tuple[str, str | None]) -> Document:
    from .api import extract

    text, doc_id = pair
    return extract(text, doc_id=doc_id, published=_published)


def parallel_map(pairs: Iterable[tuple[str, str | None]], *, n_process: int, batch_size: int = 32,
                 published: _dt.date | None = None, start_method: str | None = None) -> Iterator[Document]:
    """Extract ``(text, doc_id)`` pairs on ``n_process`` workers; yields in input order.

    Input is consumed in windows of ``n_process * batch_size * 4`` items, so memory
    stays flat however long the input is.
    """
    ctx = mp.get_context(start_method) if start_method else mp.get_context()
    window = max(1, n_process * batch_size * 4)
    chunk = max(1, batch_size // 4)
    it = iter(pairs)
    with ctx.Pool(n_process, initializer=_init, initargs=(published,)) as pool:
        while True:
            block = list(itertools.islice(it, window))
            if not block:
                break
            yield from pool.imap(_work, block, chunksize=chunk)

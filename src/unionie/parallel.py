"""Process-parallel extraction that streams: bounded windows of work, results in input order.

Workers load the pipeline once (in the pool initializer) and send back
:class:`~unionie.Document` objects — plain frozen dataclasses — never spaCy Docs.
"""
from __future__ import annotations

import collections
import dataclasses
import datetime as _dt
import gc
import itertools
import multiprocessing as mp
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from .document import Document

__all__ = ["parallel_map", "ExtractionFailure", "extract_or_failure"]


@dataclass(frozen=True)
class ExtractionFailure:
    """A document whose extraction raised: its doc_id and the error, as plain data."""

    doc_id: str | None
    error: str
    code: str | None = None  # the UnionieError code, None for an unexpected error (a bug)


def extract_or_failure(text: str, doc_id: str | None, published: _dt.date | None) -> Document | ExtractionFailure:
    """``unionie.extract``, with an exception turned into an :class:`ExtractionFailure`."""
    from .api import extract
    from .errors import RuleError, UnionieError

    try:
        return extract(text, doc_id=doc_id, published=published)
    except RuleError:  # the pipeline itself is broken: not one document's fault
        raise
    except UnionieError as e:
        return ExtractionFailure(doc_id, str(e), e.code)
    except Exception as e:  # noqa: BLE001 - one document must not stop a batch
        return ExtractionFailure(doc_id, f"internal error while extracting: {type(e).__name__}: {e}")

_published: _dt.date | None = None


def _init(published: _dt.date | None) -> None:
    global _published
    _published = published
    from .api import _nlp

    _nlp()  # load the pipeline (and jieba's dictionary) once per worker
    # the pipeline lives as long as the worker: keep the garbage collector from walking
    # its half a million dictionary entries again and again (and, after a fork, from
    # writing to the pages it shares with the parent)
    gc.freeze()


def _work(pair: tuple[str, str | None]) -> Document:
    from .api import extract

    text, doc_id = pair
    # the parent has the text: send back the results only (half the bytes to pickle)
    return dataclasses.replace(extract(text, doc_id=doc_id, published=_published), text="")


def _work_safe(pair: tuple[str, str | None]) -> Document | ExtractionFailure:
    text, doc_id = pair
    out = extract_or_failure(text, doc_id, _published)
    return dataclasses.replace(out, text="") if isinstance(out, Document) else out


def _with_text(result: Any, text: str) -> Any:
    return dataclasses.replace(result, text=text) if isinstance(result, Document) else result


def _work_chunk(pairs: list[tuple[str, str | None]], safe: bool) -> list[Any]:
    work = _work_safe if safe else _work
    return [work(p) for p in pairs]


def parallel_map(pairs: Iterable[tuple[str, str | None]], *, n_process: int, batch_size: int = 32,
                 published: _dt.date | None = None, start_method: str | None = None,
                 on_error: str = "raise") -> Iterator[Any]:
    """Extract ``(text, doc_id)`` pairs on ``n_process`` workers; yields in input order.

    The input is sent in chunks of ``batch_size // 2`` items, and at most
    ``8 * n_process`` chunks are out at a time: memory stays flat however long the input
    is, and the workers never wait for each other (a new chunk goes out as soon as the
    oldest comes back). With ``on_error="return"`` a document whose extraction raises is
    yielded as an :class:`ExtractionFailure` (in its place) and the others go on; with
    ``"raise"`` (the default) the error ends the iteration.
    """
    if on_error not in ("raise", "return"):
        raise ValueError(f"on_error must be 'raise' or 'return', got {on_error!r}")
    safe = on_error == "return"
    ctx = mp.get_context(start_method) if start_method else mp.get_context()
    chunk = max(1, batch_size // 2)
    in_flight = 8 * max(1, n_process)
    it = iter(pairs)
    if ctx.get_start_method() == "fork":
        # load the pipeline once here: forked workers share it instead of each loading its own
        from .api import _nlp

        _nlp()
    # the forked workers inherit the parent's objects frozen: their garbage collector
    # does not walk (and so copy) the pages of the pipeline they share with the parent
    thaw = ctx.get_start_method() == "fork" and gc.get_freeze_count() == 0  # not if the caller froze
    if thaw:
        gc.freeze()
    try:
        pool = ctx.Pool(n_process, initializer=_init, initargs=(published,))
    finally:
        if thaw:
            gc.unfreeze()  # the parent's collector is as it was
    with pool:
        pending: collections.deque[tuple[list[tuple[str, str | None]], Any]] = collections.deque()
        exhausted = False
        while True:
            while not exhausted and len(pending) < in_flight:
                block = list(itertools.islice(it, chunk))
                if not block:
                    exhausted = True
                    break
                pending.append((block, pool.apply_async(_work_chunk, (block, safe))))
            if not pending:
                break
            block, res = pending.popleft()
            for (text, _), result in zip(block, res.get()):
                yield _with_text(result, text)

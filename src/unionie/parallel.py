"""Process-parallel extraction that streams: bounded windows of work, results in input order.

The calling process extracts too, next to ``n_process - 1`` workers. Workers load the
pipeline once (in the pool initializer, or inherit it when forked) and send back
:class:`~unionie.Document` objects — plain frozen dataclasses — never spaCy Docs.
"""
from __future__ import annotations

import collections
import dataclasses
import datetime as _dt
import gc
import itertools
import multiprocessing as mp
import operator
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from .document import Argument, Date, Document, Entity, Event, Quantity, Span, fast_constructor

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


def _init() -> None:
    from .api import _nlp

    _nlp()  # load the pipeline (and jieba's dictionary) once per worker
    # the pipeline lives as long as the worker: keep the garbage collector from walking
    # its half a million dictionary entries again and again (and, after a fork, from
    # writing to the pages it shares with the parent)
    gc.freeze()


def _work_chunk(pairs: list[tuple[str, str | None]], safe: bool, published: _dt.date | None) -> list[Any]:
    """A worker's chunk: each result in the wire form of :func:`_encode` (an
    :class:`ExtractionFailure` as it is)."""
    from .api import extract

    out: list[Any] = []
    for text, doc_id in pairs:
        r = extract_or_failure(text, doc_id, published) if safe else extract(text, doc_id=doc_id,
                                                                             published=published)
        out.append(_encode(r) if isinstance(r, Document) else r)
    return out


# -- the wire form of a Document: nested tuples of plain values ---------------------------------
# Unpickling an object calls its class; the parent would build tens of thousands of frozen
# dataclasses per second through pickle. As tuples they unpickle in C, and the parent builds
# the objects with fast constructors. The text is not sent: the parent has it.
_ROW = {cls: operator.attrgetter(*(f.name for f in dataclasses.fields(cls)))
        for cls in (Quantity, Date, Entity)}
_MAKE = {cls: fast_constructor(cls) for cls in (Quantity, Date, Entity, Span, Argument, Event, Document)}


def _encode(doc: Document) -> tuple[Any, ...]:
    qrow, drow, erow = _ROW[Quantity], _ROW[Date], _ROW[Entity]
    q_index = {id(q): i for i, q in enumerate(doc.quantities)}
    d_index = {id(d): i for i, d in enumerate(doc.dates)}
    events = []
    for ev in doc.events:
        args = []
        for a in ev.arguments:
            q, d = a.quantity, a.date
            # a figure or date of the document is sent as its index (shared, as in the Document)
            qi = q_index.get(id(q), qrow(q)) if q is not None else None
            di = d_index.get(id(d), drow(d)) if d is not None else None
            args.append((a.role, a.text, a.start, a.end, qi, di))
        t = ev.trigger
        events.append((ev.type, (t.text, t.start, t.end), ev.start, ev.end, tuple(args), ev.confidence, ev.rule))
    return (doc.doc_id, doc.published, [qrow(q) for q in doc.quantities], [drow(d) for d in doc.dates],
            [erow(e) for e in doc.entities], events)


def _decode(wire: tuple[Any, ...], text: str) -> Document:
    doc_id, published, q_rows, d_rows, e_rows, ev_rows = wire
    mq, md, me, ms, ma, mev = (_MAKE[c] for c in (Quantity, Date, Entity, Span, Argument, Event))
    qs = tuple([mq(*r) for r in q_rows])
    ds = tuple([md(*r) for r in d_rows])
    events = []
    for typ, (tt, ts, te), start, end, args, conf, rule in ev_rows:
        arguments = tuple([ma(role, atext, a, b,
                              None if qi is None else qs[qi] if type(qi) is int else mq(*qi),
                              None if di is None else ds[di] if type(di) is int else md(*di))
                           for role, atext, a, b, qi, di in args])
        events.append(mev(typ, ms(tt, ts, te), start, end, arguments, conf, rule))
    return _MAKE[Document](text, doc_id, published, qs, ds, tuple([me(*r) for r in e_rows]), tuple(events))


def _with_text(result: Any, text: str) -> Any:
    return result if isinstance(result, ExtractionFailure) else _decode(result, text)


class _Chunk:
    """A chunk of the input in the window: sent to a worker (``remote``) or done here."""

    __slots__ = ("block", "remote", "results", "error")

    def __init__(self, block: list[tuple[str, str | None]], remote: Any = None) -> None:
        self.block = block
        self.remote = remote
        self.results: list[Any] = []
        self.error: BaseException | None = None

    def run_here(self, safe: bool, published: _dt.date | None) -> None:
        from .api import extract

        for text, doc_id in self.block:
            try:
                self.results.append(extract_or_failure(text, doc_id, published) if safe
                                    else extract(text, doc_id=doc_id, published=published))
            except Exception as e:  # raised where the chunk's turn comes, after the results before it
                self.error = e
                return

    def outputs(self) -> Iterator[Any]:
        if self.remote is not None:
            for (text, _), result in zip(self.block, self.remote.get()):  # get() raises a worker's error
                yield _with_text(result, text)
            return
        yield from self.results
        if self.error is not None:
            raise self.error


def parallel_map(pairs: Iterable[tuple[str, str | None]], *, n_process: int, batch_size: int = 32,
                 published: _dt.date | None = None, start_method: str | None = None,
                 on_error: str = "raise") -> Iterator[Any]:
    """Extract ``(text, doc_id)`` pairs in ``n_process`` processes; yields in input order.

    The calling process is one of them: it starts ``n_process - 1`` workers, keeps three
    chunks (of ``batch_size // 2`` items) queued for each, and extracts a chunk itself
    whenever the oldest chunk is not back yet, instead of waiting; once the input is
    done, it takes back the youngest queued chunks and does them itself. At most
    ``8 * n_process`` chunks are out at a time, so memory stays flat however long the
    input is. With ``on_error="return"`` a document whose extraction raises is yielded as
    an :class:`ExtractionFailure` (in its place) and the others go on; with ``"raise"``
    (the default) the error ends the iteration after the results before it.
    """
    if on_error not in ("raise", "return"):
        raise ValueError(f"on_error must be 'raise' or 'return', got {on_error!r}")
    if n_process < 2:
        raise ValueError(f"parallel_map needs n_process >= 2, got {n_process}")
    safe = on_error == "return"
    ctx = mp.get_context(start_method) if start_method else mp.get_context()
    size = max(1, batch_size // 2)
    workers = n_process - 1
    window_cap = 8 * n_process
    it = iter(pairs)

    def next_block() -> list[tuple[str, str | None]]:
        return list(itertools.islice(it, size))

    from .api import _nlp

    _nlp()  # this process extracts too (and forked workers share the loaded pipeline)
    # the forked workers inherit the parent's objects frozen: their garbage collector
    # does not walk (and so copy) the pages of the pipeline they share with the parent
    thaw = ctx.get_start_method() == "fork" and gc.get_freeze_count() == 0  # not if the caller froze
    if thaw:
        gc.freeze()
    try:
        pool = ctx.Pool(workers, initializer=_init)
    finally:
        if thaw:
            gc.unfreeze()  # the parent's collector is as it was
    with pool:
        window: collections.deque[_Chunk] = collections.deque()
        queued = 0  # chunks sent to the workers and not yet taken back
        exhausted = False
        while True:
            while not exhausted and queued < 3 * workers and len(window) < window_cap:
                block = next_block()
                if not block:
                    exhausted = True
                    break
                window.append(_Chunk(block, pool.apply_async(_work_chunk, (block, safe, published))))
                queued += 1
            if not window:
                break
            head = window[0]
            if head.remote is not None and not head.remote.ready() and not exhausted \
                    and len(window) < window_cap:
                block = next_block()  # the oldest chunk is not back: work instead of waiting
                if not block:
                    exhausted = True
                    continue
                here = _Chunk(block)
                here.run_here(safe, published)
                window.append(here)
                continue
            if head.remote is not None and exhausted and not head.remote.ready():
                # the input is done and the workers still have chunks queued: do the
                # youngest here (a worker has most likely not begun it; what it sends
                # back later is dropped), so that this process does not sit idle at the end
                late = next((c for c in reversed(window) if c is not head and c.remote is not None
                             and not c.remote.ready()), None)
                if late is not None:
                    late.remote = None
                    queued -= 1
                    late.run_here(safe, published)
                    continue
            window.popleft()
            if head.remote is not None:
                queued -= 1
            yield from head.outputs()

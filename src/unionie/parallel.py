"""Process-parallel extraction that streams: bounded windows of work, results in input order.

The calling process extracts too, next to ``n_process - 1`` worker processes it talks
to over pipes. Workers load the pipeline once (or inherit it when forked) and send back
their :class:`~unionie.Document` results as plain nested tuples (:func:`_encode`), never
spaCy Docs; the calling process rebuilds the Documents with the texts it kept.
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
    chunk = _Chunk(pairs)
    chunk.run_here(safe, published)
    if chunk.error is not None:
        raise chunk.error
    return [_encode(r) if isinstance(r, Document) else r for r in chunk.results]


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
    return _MAKE[Document](text, doc_id, published, qs, ds, tuple([me(*r) for r in e_rows]), tuple(events), None)


def _with_text(result: Any, text: str) -> Any:
    return result if isinstance(result, ExtractionFailure) else _decode(result, text)


class _Chunk:
    """A chunk of the input in the window: sent to a worker, or done in this process."""

    __slots__ = ("block", "done", "results", "wire", "error")

    def __init__(self, block: list[tuple[str, str | None]]) -> None:
        self.block = block
        self.done = False
        self.results: list[Any] = []  # done here: Documents
        self.wire: list[Any] | None = None  # done by a worker: its results in wire form
        self.error: BaseException | None = None

    def run_here(self, safe: bool, published: _dt.date | None) -> None:
        from .api import extract

        self.done = True
        for text, doc_id, *own in self.block:  # (text, doc_id[, the document's own date])
            pub = published if published is not None or not own else own[0]
            try:
                self.results.append(extract_or_failure(text, doc_id, pub) if safe
                                    else extract(text, doc_id=doc_id, published=pub))
            except Exception as e:  # raised where the chunk's turn comes, after the results before it
                self.error = e
                return

    def outputs(self) -> Iterator[Any]:
        if self.wire is not None:
            for (text, *_), result in zip(self.block, self.wire):
                yield _with_text(result, text)
        yield from self.results
        if self.error is not None:
            raise self.error


def _worker_main(conn: Any) -> None:
    """A worker: chunks in, results (or the chunk's error) out, until told to stop."""
    _init()
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):  # the parent is gone
            return
        if task is None:
            return
        try:
            reply: tuple[str, Any] = ("ok", _work_chunk(*task))
        except BaseException as e:  # noqa: BLE001 - sent back, raised in the parent in its place
            reply = ("error", e)
        try:
            conn.send(reply)
        except Exception as e:  # noqa: BLE001 - an error that does not pickle
            conn.send(("error", RuntimeError(f"{type(e).__name__} in a worker: {reply[1]!r}")))


class _Worker:
    """A worker process and the chunks sent to it, oldest first (it does them in order)."""

    def __init__(self, ctx: Any) -> None:
        self.conn, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_worker_main, args=(child,), daemon=True, name="unionie-worker")
        self.proc.start()
        child.close()
        self.sent: collections.deque[_Chunk] = collections.deque()
        self.taken_back: set[int] = set()  # ids of sent chunks this process did itself

    def send(self, chunk: _Chunk, safe: bool, published: _dt.date | None) -> None:
        self.conn.send((chunk.block, safe, published))
        self.sent.append(chunk)

    def receive(self) -> None:
        """Take one reply (blocks until there is one)."""
        try:
            status, value = self.conn.recv()
        except (EOFError, OSError):
            raise RuntimeError(f"a unionie worker process died (exit code {self.proc.exitcode})") from None
        chunk = self.sent.popleft()
        if id(chunk) in self.taken_back:  # done here meanwhile: the worker's copy is dropped
            self.taken_back.discard(id(chunk))
            return
        chunk.done = True
        if status == "ok":
            chunk.wire = value
        else:
            chunk.error = value

    def close(self) -> None:
        if self.sent:  # in the middle of a chunk nobody wants any more
            self.proc.terminate()
        else:
            try:
                self.conn.send(None)  # done: let it return
            except OSError:
                pass
        self.proc.join(timeout=5)
        if self.proc.is_alive():
            self.proc.terminate()
            self.proc.join()
        self.conn.close()


def parallel_map(pairs: Iterable[tuple[str, str | None]], *, n_process: int, batch_size: int = 32,
                 published: _dt.date | None = None, start_method: str | None = None,
                 on_error: str = "raise") -> Iterator[Any]:
    """Extract ``(text, doc_id)`` pairs in ``n_process`` processes; yields in input order.

    An item may also be a ``(text, doc_id, date)`` triple: the document's own publication
    date (read from its file), used when ``published`` is None.

    The calling process is one of them: it starts ``n_process - 1`` workers, keeps three
    chunks (of ``batch_size // 2`` items) sent to each, and extracts a chunk itself
    whenever the oldest chunk is not back yet, instead of waiting; once the input is
    done, it does the youngest chunks still queued at a worker itself. It talks to the
    workers over pipes, between chunks: no threads, so its own extraction is never
    interrupted. At most ``8 * n_process`` chunks are out at a time, so memory stays flat
    however long the input is. With ``on_error="return"`` a document whose extraction
    raises is yielded as an :class:`ExtractionFailure` (in its place) and the others go
    on; with ``"raise"`` (the default) the error ends the iteration after the results
    before it (a worker's chunk that fails is lost whole).
    """
    from multiprocessing.connection import wait

    if on_error not in ("raise", "return"):
        raise ValueError(f"on_error must be 'raise' or 'return', got {on_error!r}")
    if n_process < 2:
        raise ValueError(f"parallel_map needs n_process >= 2, got {n_process}")
    safe = on_error == "return"
    ctx = mp.get_context(start_method) if start_method else mp.get_context()
    size = max(1, batch_size // 2)
    window_cap = 8 * n_process
    it = iter(pairs)

    def next_block() -> list[tuple[str, str | None]]:
        return list(itertools.islice(it, size))

    from .api import _nlp

    _nlp()  # this process extracts too (and forked workers share the loaded pipeline)
    # the forked workers inherit the parent's objects frozen: their garbage collector
    # does not walk (and so copy) the pages of the pipeline they share with the parent
    thaw = ctx.get_start_method() == "fork" and gc.get_freeze_count() == 0  # not if the caller froze
    workers: list[_Worker] = []
    if thaw:
        gc.freeze()
    try:
        for _ in range(n_process - 1):
            workers.append(_Worker(ctx))
    finally:
        if thaw:
            gc.unfreeze()  # the parent's collector is as it was
    try:
        window: collections.deque[_Chunk] = collections.deque()
        exhausted = False
        while True:
            for w in workers:  # take what is back, without waiting
                while w.sent and w.conn.poll():
                    w.receive()
            for w in workers:  # keep every worker three chunks ahead (before any work here)
                while not exhausted and len(w.sent) - len(w.taken_back) < 3 and len(window) < window_cap:
                    block = next_block()
                    if not block:
                        exhausted = True
                        break
                    chunk = _Chunk(block)
                    w.send(chunk, safe, published)
                    window.append(chunk)
            if window and window[0].done:  # one chunk out, then feed the workers again
                yield from window.popleft().outputs()
                continue
            if not window:
                break  # the input is done and everything is out
            if not exhausted and len(window) < window_cap:
                block = next_block()  # the oldest chunk is not back: work instead of waiting
                if not block:
                    exhausted = True
                    continue
                here = _Chunk(block)
                here.run_here(safe, published)
                window.append(here)
                continue
            # the input is done: do the youngest chunk still queued at a worker here (the
            # worker has most likely not begun it), else wait for a worker
            late = None if not exhausted else next(
                (c for c in reversed(window) if not c.done and c is not window[0]), None)
            if late is not None:
                for w in workers:
                    if late in w.sent:
                        w.taken_back.add(id(late))
                late.run_here(safe, published)
                continue
            wait([w.conn for w in workers if w.sent])
    finally:
        for w in workers:
            w.close()

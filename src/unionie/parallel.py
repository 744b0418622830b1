"""Process-parallel extraction that streams: bounded windows of work, results in input order.

The calling process extracts too, next to ``n_process - 1`` worker processes of a
:class:`concurrent.futures.ProcessPoolExecutor` (the standard library's pool: its queues
are fed and drained by its own threads, so neither side can block the other by sending,
and a worker that dies breaks the pool instead of hanging it). Workers get the core
:class:`~unionie.core.Extractor` once (inherited when forked; when spawned, its
:class:`~unionie.core.ExtractorSpec` is pickled and they rebuild it) and send back their
:class:`~unionie.Document` results as plain nested tuples (:func:`unionie.document.to_wire`),
never spaCy Docs; the calling process rebuilds the Documents with the texts it kept.

Workers never outlive the calling process: on Linux each asks the kernel for SIGKILL when
its parent dies (``prctl(PR_SET_PDEATHSIG)``), elsewhere a thread watches the parent's
pid. They ignore SIGINT: Ctrl-C reaches the calling process, which stops them and raises
``KeyboardInterrupt`` after the results already yielded.

A worker is stopped by asking, not by killing it: a worker killed while it writes a result
leaves half a message in the pool's result pipe, and the pool's reader thread then waits
for the rest for ever (``shutdown`` with it). The calling process sends SIGUSR1: a worker
in the middle of a chunk abandons it at once (its reply is a small exception), a worker
between chunks abandons the next one it takes. Only a worker that has not answered after
:data:`STOP_GRACE` seconds (one call that does not return to Python, which cannot be a
write the reader thread is draining) is terminated.
"""
from __future__ import annotations

import collections
import contextlib
import ctypes
import datetime as _dt
import gc
import itertools
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from . import api
from .core import published_date
from .document import Document, from_wire, to_wire
from .errors import RuleError, UnionieError
from .io.collection import attach

__all__ = ["extract_many", "parallel_map", "ExtractionFailure", "extract_or_failure"]


@dataclass(frozen=True)
class ExtractionFailure:
    """A document whose extraction raised: its doc_id and the error, as plain data."""

    doc_id: str | None
    error: str
    code: str | None = None  # the UnionieError code, None for an unexpected error (a bug)


def extract_or_failure(text: str, doc_id: str | None, published: _dt.date | None,
                       nlp: Any = None) -> Document | ExtractionFailure:
    """``unionie.extract``, with an exception turned into an :class:`ExtractionFailure`."""
    try:
        return api.extract(text, doc_id=doc_id, published=published, nlp=nlp)
    except RuleError:  # the pipeline itself is broken: not one document's fault
        raise
    except UnionieError as e:
        return ExtractionFailure(doc_id, str(e), e.code)
    except Exception as e:  # noqa: BLE001 - one document must not stop a batch
        return ExtractionFailure(doc_id, f"internal error while extracting: {type(e).__name__}: {e}")


_worker_nlp: Any = None  #: what this worker process extracts with (set by _init)
STOP_GRACE = 10.0  #: seconds a worker asked to stop has before it is terminated
_STOP_SIGNAL = getattr(signal, "SIGUSR1", None)  #: how a worker is asked to stop (none on Windows)
_computing = False  #: this worker is inside a chunk's extraction (where stopping is safe)
_stopping = False  #: this worker was asked to stop


class _Stopped(BaseException):
    """The calling process asked this worker to stop (a BaseException: no ``except
    Exception`` of the extraction turns it into a failed document)."""


def _on_stop(signum: int, frame: Any) -> None:
    """SIGUSR1 in a worker: abandon the chunk now if inside one, else the next one."""
    global _stopping
    _stopping = True
    if _computing:
        raise _Stopped


def _die_with_parent(parent: int) -> None:
    """End this process when ``parent`` dies, however it dies (kill -9 included)."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(1, signal.SIGKILL, 0, 0, 0) == 0:  # PR_SET_PDEATHSIG = 1
                if os.getppid() != parent:  # it died before the request took effect
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass

    def watch() -> None:  # elsewhere: look at the parent's pid twice a second
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="unionie-parent-watch").start()


def _init(run: Any, parent: int) -> None:
    """A worker starts: tie its life to the parent's, leave Ctrl-C to the parent, and take
    what it extracts with: a core :class:`~unionie.core.Extractor` (rebuilt once from its
    spec when it was pickled) or a spaCy pipeline with components of its own."""
    global _worker_nlp
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if _STOP_SIGNAL is not None:
        signal.signal(_STOP_SIGNAL, _on_stop)
    _worker_nlp = run
    # the pipeline lives as long as the worker: keep the garbage collector from walking
    # its half a million dictionary entries again and again (and, after a fork, from
    # writing to the pages it shares with the parent)
    gc.freeze()


def _work_chunk(pairs: list[tuple[str, str | None]], safe: bool, published: _dt.date | None) -> list[Any]:
    """A worker's chunk: each result in the wire form of :func:`~unionie.document.to_wire` (an
    :class:`ExtractionFailure` as it is)."""
    global _computing
    chunk = _Chunk(pairs)
    _computing = True
    try:
        if _stopping:  # asked before this chunk began (checked after _computing is set: no gap)
            raise _Stopped
        chunk.run_here(safe, published, _worker_nlp)
    finally:
        _computing = False
    if chunk.error is not None:
        raise chunk.error
    return [to_wire(r) if isinstance(r, Document) else r for r in chunk.results]


def _run_chunk(pairs: list[tuple[str, str | None]], safe: bool, published: _dt.date | None) -> list[Any]:
    """What the pool runs (by name): :func:`_work_chunk`, looked up when it runs."""
    return _work_chunk(pairs, safe, published)


def _with_text(result: Any, text: str) -> Any:
    return result if isinstance(result, ExtractionFailure) else from_wire(result, text)


class _Chunk:
    """A chunk of the input in the window: sent to a worker, or done in this process."""

    __slots__ = ("block", "future", "results", "wire", "error")

    def __init__(self, block: list[tuple[str, str | None]]) -> None:
        self.block = block
        self.future: Future[list[Any]] | None = None  # sent to a worker
        self.results: list[Any] = []  # done here: Documents
        self.wire: list[Any] | None = None  # done by a worker: its results in wire form
        self.error: BaseException | None = None

    @property
    def done(self) -> bool:
        """Done here, or back from a worker and taken (:meth:`_Workers.collect`)."""
        return self.future is None

    def run_here(self, safe: bool, published: _dt.date | None, nlp: Any = None) -> None:
        for text, doc_id, *own in self.block:  # (text, doc_id[, the document's own date])
            pub = published if published is not None or not own else own[0]
            try:
                self.results.append(extract_or_failure(text, doc_id, pub, nlp) if safe
                                    else api.extract(text, doc_id=doc_id, published=pub, nlp=nlp))
            except Exception as e:  # raised where the chunk's turn comes, after the results before it
                self.error = e
                return

    def take_result(self, workers: "_Workers") -> None:
        """A worker's chunk is done: its results, or its error, or the pool's death."""
        assert self.future is not None
        try:
            self.wire = self.future.result()
        except BrokenProcessPool:
            raise RuntimeError(f"a unionie worker process died ({workers.deaths()}); "
                               "its documents were not extracted") from None
        except Exception as e:  # noqa: BLE001 - the chunk's error, raised in its turn
            self.error = e
        self.future = None

    def outputs(self) -> Iterator[Any]:
        if self.wire is not None:
            for (text, *_), result in zip(self.block, self.wire):
                yield _with_text(result, text)
        yield from self.results
        if self.error is not None:
            raise self.error


class _Context:
    """A multiprocessing context that remembers the processes it starts (the pool's
    workers), so that they can be stopped at once and their exit codes named."""

    def __init__(self, ctx: Any) -> None:
        self._ctx = ctx
        self.processes: list[Any] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ctx, name)

    def Process(self, *args: Any, **kwargs: Any) -> Any:  # noqa: N802 - the context's name
        p = self._ctx.Process(*args, **kwargs)
        self.processes.append(p)
        return p


class _Workers:
    """The pool of ``n`` worker processes and the chunks sent to it."""

    def __init__(self, n: int, ctx: Any, nlp: Any) -> None:
        self.ctx = _Context(ctx)
        # forked workers inherit the parent's objects frozen: their garbage collector does
        # not walk (and so copy) the pages of the pipeline they share with the parent
        self._thaw = ctx.get_start_method() == "fork" and gc.get_freeze_count() == 0  # not if the caller froze
        self.pool = ProcessPoolExecutor(max_workers=n, mp_context=self.ctx, initializer=_init,
                                        initargs=(nlp, os.getpid()))
        self.n = n
        self.sent: list[_Chunk] = []  # chunks at a worker, oldest first

    def submit(self, chunk: _Chunk, safe: bool, published: _dt.date | None) -> None:
        if self._thaw:  # the first submit starts the workers (all of them, when forking)
            gc.freeze()
        try:
            chunk.future = self.pool.submit(_run_chunk, chunk.block, safe, published)
        finally:
            if self._thaw:
                gc.unfreeze()  # the parent's collector is as it was
                self._thaw = False
        self.sent.append(chunk)

    def collect(self) -> None:
        """Take the results of the chunks that are back (without waiting)."""
        for c in [c for c in self.sent if c.future is not None and c.future.done()]:
            self.sent.remove(c)
            if not c.future.cancelled():  # type: ignore[union-attr]
                c.take_result(self)

    def take_back(self, chunk: _Chunk) -> bool:
        """Cancel a chunk no worker has begun (it is then done here)."""
        assert chunk.future is not None
        if chunk.future.cancel():
            self.sent.remove(chunk)
            chunk.future = None
            return True
        return False

    @staticmethod
    def wait(chunk: _Chunk, timeout: float | None = None) -> None:
        """Wait until ``chunk`` is back from its worker (or ``timeout`` seconds). One future
        at a time: ``concurrent.futures.wait`` takes the futures' locks in a loop, and a
        Ctrl-C landing between two of them would leave one held (and the pool's thread
        blocked on it for ever)."""
        if chunk.future is not None:
            try:
                chunk.future.exception(timeout)
            except (CancelledError, FutureTimeout):
                pass

    def deaths(self) -> str:
        """How the workers ended. The pool's thread may be reaping a dead worker at the same
        moment (then this process's own wait finds no child and the exit code comes a moment
        later): wait up to two seconds in all for the codes."""
        deadline = time.monotonic() + 2.0
        for p in self.ctx.processes:
            p.join(timeout=1)
            while p.exitcode is None and time.monotonic() < deadline:
                time.sleep(0.01)
        codes = [p.exitcode for p in self.ctx.processes if p.exitcode not in (None, 0, -signal.SIGTERM)]
        return f"exit code {codes[0]}" if codes else "killed"

    def close(self, finished: bool) -> None:
        """Shut the pool down: at once (the workers stopped) unless every chunk is back."""
        if not finished:
            self._stop()
        self.pool.shutdown(wait=True, cancel_futures=True)

    def _stop(self) -> None:
        """Cancel what no worker has taken, ask the workers to drop what they have, wait
        :data:`STOP_GRACE` seconds for their answers, and terminate a worker that gives none."""
        for c in self.sent:
            if c.future is not None:
                c.future.cancel()
        alive = [p for p in self.ctx.processes if p.pid is not None and p.exitcode is None]  # started, running
        if _STOP_SIGNAL is not None:
            for p in alive:
                with contextlib.suppress(OSError):  # it has just ended
                    os.kill(p.pid, _STOP_SIGNAL)
        deadline = time.monotonic() + STOP_GRACE
        for c in self.sent:
            self.wait(c, max(0.0, deadline - time.monotonic()))
        if any(c.future is not None and not c.future.done() for c in self.sent):
            for p in alive:  # the last resort: a worker stuck in one call
                if p.exitcode is None:
                    p.terminate()


def parallel_map(pairs: Iterable[tuple[str, str | None]], *, n_process: int, batch_size: int = 32,
                 published: _dt.date | None = None, start_method: str | None = None,
                 on_error: str = "raise", nlp: Any = None) -> Iterator[Any]:
    """Extract ``(text, doc_id)`` pairs in ``n_process`` processes; yields in input order.

    ``nlp`` is the pipeline (default: ``unionie.load()``'s). Unionie's own pipeline runs
    as its core :class:`~unionie.core.Extractor`, which the workers get once, by
    inheritance when forked, else as its :class:`~unionie.core.ExtractorSpec` (rule
    texts, words, options), from which they rebuild it; a pipeline with components of
    its own is sent as it is (pickled) and runs on spaCy Docs. The calling process is one of the ``n_process``: it
    starts ``n_process - 1`` workers, keeps three chunks (of ``batch_size // 2`` items)
    sent to each, and extracts a chunk itself whenever the oldest chunk is not back yet,
    instead of waiting; once the input is done, it takes back the youngest chunks no
    worker has begun and does them itself. At most ``8 * n_process`` chunks are out at a
    time, so memory stays flat however long the input is. With ``on_error="return"`` a
    document whose extraction raises is yielded as an :class:`ExtractionFailure` (in its
    place) and the others go on; with ``"raise"`` (the default) the error ends the
    iteration after the results before it (a worker's chunk that fails is lost whole).
    A worker that dies ends the iteration with a ``RuntimeError``; when the iteration
    ends early (an error, Ctrl-C, the generator closed) the workers are stopped at once.

    An item may also be a ``(text, doc_id, date)`` triple: the document's own publication
    date (read from its file), used when ``published`` is None.
    """
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

    # this process extracts too (forked workers share what it extracts with; spawned ones
    # get an Extractor as its spec, and rebuild it)
    here_nlp = api.runner(nlp)
    workers = _Workers(n_process - 1, ctx, here_nlp)
    finished = False
    try:
        window: collections.deque[_Chunk] = collections.deque()
        exhausted = False
        while True:
            workers.collect()
            while not exhausted and len(workers.sent) < 3 * workers.n and len(window) < window_cap:
                block = next_block()  # keep every worker three chunks ahead (before any work here)
                if not block:
                    exhausted = True
                    break
                chunk = _Chunk(block)
                workers.submit(chunk, safe, published)
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
                here.run_here(safe, published, here_nlp)
                window.append(here)
                continue
            # the input is done: do the youngest chunk no worker has begun here, else wait
            late = next((c for c in reversed(window) if not c.done and c is not window[0]
                         and workers.take_back(c)), None) if exhausted else None
            if late is not None:
                late.run_here(safe, published, here_nlp)
                continue
            workers.wait(window[0])
        finished = True
    finally:
        workers.close(finished)


def extract_many(items: Iterable[Any], *, nlp: Language | None = None, n_process: int = 1,
                 batch_size: int = 32, published: str | _dt.date | None = None,
                 on_error: str = "raise") -> Iterator[Any]:
    """Extract many documents lazily, in input order.

    ``items`` are texts, :class:`pathlib.Path` objects (any supported format, read as
    :func:`unionie.extract_file` reads them: doc_id = file stem, ``source`` set) or
    ``(doc_id, text)`` pairs. ``nlp`` is the pipeline (default:
    ``unionie.load()``; a pipeline with user rule packs, ``unionie.load(rules=...)``,
    works the same). With ``n_process > 1`` the work is shared by ``n_process``
    processes: this one and ``n_process - 1`` workers, which get the pipeline once (as
    the spec of its core extractor) and send back plain results (not spaCy Docs); see :func:`unionie.parallel.parallel_map`.
    Results come in input order; the corpus is never held in memory as a whole.
    ``on_error="raise"`` (default) ends the iteration at the first document whose
    extraction raises; ``"return"`` yields an
    :class:`~unionie.parallel.ExtractionFailure` in its place and goes on.
    """
    if on_error not in ("raise", "return"):
        raise ValueError(f"on_error must be 'raise' or 'return', got {on_error!r}")
    pub = published_date(published)
    read_as: collections.deque[Any] = collections.deque()  # what the reader found, for each item in flight

    def sourced(d: Any, src: Any) -> Any:
        return attach(d, src, pub) if src is not None and isinstance(d, Document) else d

    items_read = (api._read(it) for it in items)
    if n_process <= 1:
        run = api.runner(nlp)  # the core Extractor of the pipeline, found once
        for text, doc_id, *src in items_read:
            own = pub or (src[0].published if src else None)
            d = (extract_or_failure(text, doc_id, own, run) if on_error == "return"
                 else api.extract(text, doc_id=doc_id, published=own, nlp=run))
            yield sourced(d, src[0] if src else None)
        return

    def triples() -> Iterator[tuple[str, str | None, Any]]:
        for text, doc_id, *src in items_read:
            read_as.append(src[0] if src else None)
            yield text, doc_id, src[0].published if src else None

    for d in parallel_map(triples(), n_process=n_process, batch_size=batch_size, published=pub,
                          on_error=on_error, nlp=nlp):
        yield sourced(d, read_as.popleft())

"""The core every path runs: one :class:`Extractor`, no spaCy ``Language`` or ``Doc``.

An :class:`Extractor` is built from an :class:`ExtractorSpec` (the user rule packs as
loaded text, the tokenizer's words and lexicons, its options): a small frozen value
that pickles, so a worker process, a Dask worker or a saved pipeline rebuilds the
same extractor from it (:meth:`Extractor.from_spec`, cached per process).

One document runs through the stages in one order, on one :class:`DocRun` (the
per-document state; the extractor keeps nothing of a document on itself, so threads
may share it)::

    fold -> quantities -> dates (published found here when not given) -> entities -> events

A text with spaces pasted around its figures (培训 120 人次) runs the stages on its compacted
copy (:class:`~unionie.normalize.spaces.Compaction`: found once per :class:`DocRun`), and
every result is mapped back to the original text: each stage function does it, so the
core and the spaCy components, which call the stages one by one, give the same results.

:func:`unionie.extract`, :func:`unionie.extract_many` (and its worker processes), Dask
and the CLI call :meth:`Extractor.extract`; the spaCy components
(:mod:`unionie.pipeline.components`) are adapters that call the same stages
(:func:`run_stages`, :meth:`Extractor.events`) and set ``Doc`` extensions. A new stage
is a function here, added to :data:`STAGES` (and given a component of its own).
"""
from __future__ import annotations

import datetime as _dt
import functools
import os
import re
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from .document import Date, Document, Entity, Event, Quantity
from .engine.entities import find_entities
from .engine.events import EventExtractor
from .errors import InputError
from .normalize.dates import find_dates, find_published
from .normalize.quantities import find_quantities
from .normalize.spaces import Compaction, Moved
from .normalize.text import fold
from .rules.loader import RulePack, default_rules, load_rule_text, rule_files
from .rules.safe_yaml import read_rule_text
from .segmenter import Segmenter

__all__ = ["Extractor", "ExtractorSpec", "DocRun", "STAGES", "run_stages", "quantities_stage", "dates_stage",
           "entities_stage", "default_extractor", "published_date", "check_text", "read_rules", "rule_pack"]

PathLike = Any  # str | os.PathLike[str]


# -- input checks: the one place that parses ``published`` ---------------------------------------
def published_date(published: str | _dt.date | None) -> _dt.date | None:
    """``published`` as a ``date``: an ISO string (``2019-05-05``), a date (a datetime keeps
    its day) or None. The one parser of a publication date (api, components, batch, Dask)."""
    if published is None:
        return None
    if isinstance(published, _dt.datetime):  # a datetime is a date: keep the day only
        return published.date()
    if isinstance(published, _dt.date):
        return published
    if isinstance(published, str):
        try:
            return _dt.date.fromisoformat(published.strip())
        except ValueError:
            raise InputError(f"published must be an ISO date such as 2019-05-05, got {published!r}") from None
    raise TypeError(f"published must be a str, datetime.date or None, got {type(published).__name__}")


_SURROGATE = re.compile("[\ud800-\udfff]")


def check_text(text: Any, caller: str = "unionie.extract") -> None:
    """TypeError for anything but ``str`` (naming ``caller``); InputError for text that is
    not valid Unicode."""
    if not isinstance(text, str):
        hint = ("; decode it first, e.g. with unionie.io.readers.decode_bytes (encoding detection)"
                if isinstance(text, (bytes, bytearray, memoryview)) else "")
        raise TypeError(f"{caller} expects str, got {type(text).__name__}{hint}")
    m = _SURROGATE.search(text)
    if m is not None:  # e.g. text read with errors="surrogateescape": it cannot be tokenized or written
        raise InputError(f"text holds a lone surrogate U+{ord(m.group()):04X} at offset {m.start()}, "
                         "which is not valid Unicode (undecodable bytes?); decode the bytes with "
                         "unionie.io.readers.read_text or errors=\"replace\"")


# -- rule packs as text --------------------------------------------------------------------------
def read_rules(paths: Iterable[PathLike]) -> tuple[tuple[str, str], ...]:
    """``(path, YAML text)`` of the rule files of ``paths`` (files or folders, in
    :func:`~unionie.rules.loader.rule_files` order); a missing path or an unreadable file
    raises :class:`~unionie.RuleError`."""
    return tuple((str(f), read_rule_text(f)) for f in rule_files([str(p) for p in paths]))


def rule_pack(rules: Iterable[tuple[str, str]], use_bundled: bool = True) -> RulePack:
    """The bundled event types (``use_bundled``) with the user packs ``(name, text)`` on top
    (a later type replaces an earlier one of the same name); a bad pack raises RuleError."""
    rules = list(rules)
    pack = default_rules() if use_bundled else RulePack()
    if not rules:
        return pack
    user = RulePack()
    for name, text in rules:  # checked and compiled from the texts, in their order
        user = user.merged(load_rule_text(text, name))
    return pack.merged(user)


@dataclass(frozen=True)
class ExtractorSpec:
    """What an :class:`Extractor` is built from: plain, hashable, picklable values.

    ``rules`` are the user rule packs as ``(name, YAML text)`` in load order, on top of
    the bundled event types (``use_bundled``); ``user_words`` and ``lexicons`` (``(name,
    content)`` of ``word [freq] [tag]`` files) go to the segmenter, with ``hmm`` and
    ``backend`` (see :func:`unionie.load`). ``extra_words`` are the segmenter's domain
    words; ``None`` takes the rule pack's trigger words and lexicon, as ``unionie.load`` does.
    """

    rules: tuple[tuple[str, str], ...] = ()
    use_bundled: bool = True
    user_words: tuple[str, ...] = ()
    lexicons: tuple[tuple[str, str], ...] = ()
    hmm: bool = True
    backend: str = "jieba"
    extra_words: tuple[str, ...] | None = None

    @classmethod
    def from_paths(cls, rules: Iterable[PathLike] = (), *, user_words: Iterable[str] = (),
                   lexicon_paths: Iterable[PathLike] = (), hmm: bool = True,
                   backend: str = "jieba") -> "ExtractorSpec":
        """A spec from rule files or folders and lexicon files, read now (a missing rule
        path raises RuleError, a missing lexicon file InputError)."""
        lexicons = []
        for p in lexicon_paths:
            if not Path(p).is_file():
                raise InputError(f"lexicon file not found: {p}")
            lexicons.append((str(p), Path(p).read_text(encoding="utf-8")))
        return cls(rules=read_rules(rules), user_words=tuple(user_words), lexicons=tuple(lexicons), hmm=hmm,
                   backend=backend)

    @classmethod
    def checked(cls, rules: PathLike | Iterable[PathLike] = ()) -> "ExtractorSpec":
        """The spec of the user rule packs ``rules`` (a file or folder, or several), read and
        compiled now: a missing path or a malformed pack raises RuleError here (in Dask, on
        the client, before anything is submitted), not on a worker."""
        if isinstance(rules, (str, os.PathLike)):
            rules = [rules]
        spec = cls.from_paths(rules)
        rule_pack(spec.rules)
        return spec

    def segmenter(self, pack: RulePack) -> Segmenter:
        """The word segmenter of this spec (its jieba dictionary loads on first use)."""
        extra = self.extra_words
        if extra is None:
            extra = tuple(pack.trigger_words()) + tuple(pack.extra_words)  # words of the domain
        tok = Segmenter(user_words=self.user_words, hmm=self.hmm, extra_words=extra, backend=self.backend)
        tok._inline_lexicons = dict(self.lexicons)
        return tok


# -- one document's state and the stages -------------------------------------------------------
_UNSEEN: Any = object()  # a DocRun whose compaction has not been looked for


@dataclass(slots=True)
class DocRun:
    """One document on its way through the stages: its text, the folded copy, the
    publication date (given, else found by the dates stage) and each stage's results
    (None until the stage ran), all in offsets of ``text``."""

    text: str
    folded: str
    published: _dt.date | None = None
    quantities: list[Quantity] | None = None
    dates: list[Date] | None = None
    entities: list[Entity] | None = None
    events: list[Event] | None = None
    spaces: Compaction | None = _UNSEEN  #: the text without its pasted spaces (:meth:`compaction`)
    moved: Moved | None = None  #: on a compacted run, its objects moved from the original's (:meth:`compacted`)

    @classmethod
    def start(cls, text: str, published: _dt.date | None = None) -> "DocRun":
        return cls(text, fold(text), published)

    def compaction(self) -> Compaction | None:
        """The text without the spaces pasted around its figures, or None when it has none
        (looked for once)."""
        if self.spaces is _UNSEEN:
            self.spaces = Compaction.find(self.text, self.folded)
        return self.spaces

    def compacted(self, c: Compaction) -> "DocRun":
        """This run on the compacted text ``c``: its results so far moved onto it. The date
        the text states for itself, when the dates stage is still to find it, is read here, on
        the text as given: a dateline's fields are apart (工人日报 2023年02月08日, 2024-12-10 来源)."""
        published = self.published
        if published is None and self.dates is None:
            published = find_published(self.folded)
        moved: Moved = {}
        inner = DocRun(c.text, c.folded, published, c.compact(self.quantities, moved), c.compact(self.dates, moved),
                       c.compact(self.entities, moved), c.compact(self.events, moved), None)
        inner.moved = {id(copy): (copy, item) for item, copy in moved.values()}  # copies back to these objects
        return inner

    def restore(self, inner: "DocRun", c: Compaction) -> None:
        """Take the results of ``inner`` (this run on the compacted text ``c``), moved back: an
        object moved onto ``inner`` comes back as itself, and an object shared there (a figure
        of the document and the argument that holds it) is shared here."""
        if self.dates is None and inner.dates is not None:  # the dates stage ran: its publication date
            self.published = inner.published
        moved: Moved = dict(inner.moved or {})
        for name in _RESULTS:
            if getattr(self, name) is None:
                setattr(self, name, c.restore(getattr(inner, name), moved))

    def on_compacted(self, work: Callable[["DocRun", Compaction | None], None]) -> None:
        """``work(run, compaction)`` on this run, or, when the text has spaces to drop, on
        this run on the compacted text (:meth:`compacted`), whose results are then taken back
        (:meth:`restore`)."""
        c = self.compaction()
        if c is None:
            work(self, None)
            return
        inner = self.compacted(c)
        work(inner, c)
        self.restore(inner, c)

    def document(self, doc_id: str | None) -> Document:
        pub = self.published
        return Document(text=self.text, doc_id=doc_id, published=pub.isoformat() if pub else None,
                        quantities=tuple(self.quantities or ()), dates=tuple(self.dates or ()),
                        entities=tuple(self.entities or ()), events=tuple(self.events or ()))


_RESULTS = ("quantities", "dates", "entities", "events")


def _compacting(stage: Callable[[DocRun], None]) -> Callable[[DocRun], None]:
    """``stage`` run on the compacted text when ``run``'s has spaces to drop, its results
    moved back (see :meth:`DocRun.compaction`)."""
    @functools.wraps(stage)
    def run_stage(run: DocRun) -> None:
        run.on_compacted(lambda r, _c: stage(r))
    return run_stage


@_compacting
def quantities_stage(run: DocRun) -> None:
    """Figures with their units."""
    run.quantities = find_quantities(run.text, run.folded)


@_compacting
def dates_stage(run: DocRun) -> None:
    """Dates and periods, resolved against the publication date (the one the text states
    when none was given: it is kept on ``run``)."""
    if run.published is None:
        run.published = find_published(run.folded)
    run.dates = find_dates(run.folded, run.published, surface=run.text)


@_compacting
def entities_stage(run: DocRun) -> None:
    """ORG, GPE, PERSON, HONOR and WORK."""
    run.entities = find_entities(run.folded, run.text)


#: the stages before events, in order: (the DocRun field it fills, the function)
STAGES: tuple[tuple[str, Callable[[DocRun], None]], ...] = (
    ("quantities", quantities_stage), ("dates", dates_stage), ("entities", entities_stage))


def run_stages(run: DocRun) -> None:
    """The stages of :data:`STAGES` that have not run on ``run``, in order."""
    for name, stage in STAGES:
        if getattr(run, name) is None:
            stage(run)


# -- the extractor -----------------------------------------------------------------------------
_built_lock = threading.Lock()
_BUILT: dict[ExtractorSpec, "Extractor"] = {}  # spec -> its extractor, one per process
_BUILDS: Counter[ExtractorSpec] = Counter()  # spec -> times built in this process (1, unless cleared)


class Extractor:
    """Runs the stages on a text: ``extract(text, doc_id=, published=) -> Document``.

    ``Extractor.from_spec(spec)`` builds one (once per process and spec); pickling an
    extractor sends its spec, and the receiving process rebuilds it. ``engine`` and
    ``words`` (a segmenter with ``boundaries(text, folded)``) may be given instead of built from
    ``spec``: the extractor of a spaCy pipeline shares its components' rules and its
    tokenizer (:func:`unionie.pipeline.components.extractor_of`).
    """

    def __init__(self, spec: ExtractorSpec | None = None, *, engine: EventExtractor | None = None,
                 words: Any = None, spec_of: Callable[[], ExtractorSpec] | None = None) -> None:
        if engine is None:
            if spec is None:
                raise TypeError("Extractor needs a spec or an engine")
            engine = EventExtractor(rule_pack(spec.rules, spec.use_bundled))
        self.engine = engine
        self._spec = spec
        self._spec_of = spec_of
        self.words = words if words is not None or spec is None else spec.segmenter(engine.rules)

    @classmethod
    def from_spec(cls, spec: ExtractorSpec) -> "Extractor":
        """The extractor of ``spec``, built on first use in this process and kept."""
        ex = _BUILT.get(spec)
        if ex is None:
            with _built_lock:
                ex = _BUILT.get(spec)
                if ex is None:
                    ex = _BUILT[spec] = cls(spec)
                    _BUILDS[spec] += 1
        return ex

    @property
    def spec(self) -> ExtractorSpec:
        """What this extractor is built from (for one built around a pipeline: read from it now)."""
        if self._spec is None:
            if self._spec_of is None:
                raise TypeError("this Extractor was built from parts and has no spec")
            self._spec = self._spec_of()
        return self._spec

    @property
    def rules(self) -> RulePack:
        return self.engine.rules

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        if self._spec is None and self._spec_of is None:  # built from parts: sent as they are
            return (_from_parts, (self.engine, self.words))
        return (Extractor.from_spec, (self.spec,))

    def events(self, run: DocRun, aligned: Callable[[int, int], bool] | None = None) -> list[Event]:
        """The events stage (the stages before it run first where they have not):
        ``aligned(a, b)`` tells whether a word begins or ends at ``a`` or ``b`` of
        ``run.text`` (:meth:`unionie.tokenizer.WordBoundaries.either`); None checks no word
        ends. A text with spaces pasted around its figures runs every stage on its
        compacted copy, with the words of the original text."""
        run.on_compacted(lambda r, c: self._events(r, aligned if c is None else c.aligned(aligned)))
        assert run.events is not None
        return run.events

    def _events(self, run: DocRun, aligned: Callable[[int, int], bool] | None) -> None:
        run_stages(run)
        assert run.quantities is not None and run.dates is not None and run.entities is not None
        run.events = self.engine.extract(run.folded, run.text, run.quantities, run.dates, run.entities, aligned)

    def run(self, text: str, published: _dt.date | None = None) -> DocRun:
        """Every stage on ``text``; the text is cut into words only where a trigger
        word's ends must be checked."""
        run = DocRun.start(text, published)
        self.events(run, self.words.boundaries(text, run.folded).either if self.words is not None else None)
        return run

    def extract(self, text: str, *, doc_id: str | None = None,
                published: str | _dt.date | None = None) -> Document:
        """Quantities, dates, entities and events of one text (see :func:`unionie.extract`)."""
        if doc_id is not None and not isinstance(doc_id, str):
            raise TypeError(f"doc_id must be a str or None, got {type(doc_id).__name__}")
        check_text(text)
        return self.run(text, published_date(published)).document(doc_id)


def _from_parts(engine: EventExtractor, words: Any) -> Extractor:
    return Extractor(engine=engine, words=words)


def default_extractor() -> Extractor:
    """The extractor of the bundled rules and the default segmenter (``unionie.load()``'s)."""
    return Extractor.from_spec(ExtractorSpec())

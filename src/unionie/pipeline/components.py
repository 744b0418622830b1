"""unionie's spaCy components, one class each, chained in this order:

``unionie_quantities`` -> ``unionie_dates`` -> ``unionie_entities`` -> ``unionie_events``.

Each is an adapter over a stage of the core (:mod:`unionie.core`): it hands the stage
``doc.text`` (the folded copy is computed once and kept in ``doc.user_data``) and
the results of the earlier components, and writes the stage's results, as unionie value objects with exact
character offsets, to a ``Doc`` extension attribute, plus a ``doc.spans`` group of
token-aligned spans for displaCy and spaCy users. The components work on any
tokenization (unionie's jieba tokenizer or spaCy's default Chinese one): they
never depend on token boundaries for their offsets.
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterable

import srsly

from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc, SpanGroup

from ..core import (DocRun, Extractor, ExtractorSpec, dates_stage, default_extractor, entities_stage,
                    published_date, quantities_stage, read_rules, rule_pack)
from ..document import Argument, Date, Entity, Event, Quantity, Span
from ..engine.events import EventExtractor
from ..normalize.text import fold
from ..rules.loader import RulePack, rule_files
from ..tokenizer import UnionieTokenizer, WordBoundaries, doc_folded, doc_text

__all__ = ["QuantityComponent", "DateComponent", "EntityComponent", "EventComponent",
           "register_extensions", "folded_text", "extractor_of", "PIPES"]

_FOLDED = "unionie_folded"
#: the components of unionie's own pipeline, in order
PIPES = ("unionie_quantities", "unionie_dates", "unionie_entities", "unionie_events")
_SAVED_PREFIX = re.compile(r"^\d{3}_")  # the order prefix of saved rule files


def register_extensions() -> None:
    """Declare the ``Doc._`` attributes unionie writes (idempotent)."""
    for name, default in (("quantities", None), ("dates", None), ("entities", None), ("events", None),
                          ("published", None), ("doc_id", None)):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register_extensions()


# -- unionie's values inside Doc.to_bytes (DocBin, nlp.pipe(n_process=...)) ---------------
# spaCy serializes ``doc._`` values with srsly's msgpack, which knows neither dataclasses,
# Decimal nor dates. These hooks write unionie's value objects as tagged plain data and
# read them back: no pickle, so reading a DocBin never runs code.
_TAG = "__unionie__"
_VALUE_TYPES: dict[str, type] = {c.__name__: c for c in (Quantity, Date, Entity, Span, Argument, Event)}


def _msgpack_encode(obj: Any, chain: Any = None) -> Any:
    cls = type(obj)
    if _VALUE_TYPES.get(cls.__name__) is cls:
        return {_TAG: cls.__name__, "f": [getattr(obj, f.name) for f in dataclasses.fields(obj)]}
    if cls is Decimal:
        return {_TAG: "Decimal", "v": str(obj)}
    if cls is _dt.date:
        return {_TAG: "date", "v": obj.isoformat()}
    return obj if chain is None else chain(obj)


def _msgpack_decode(obj: Any, chain: Any = None) -> Any:
    tag = obj.get(_TAG) if isinstance(obj, dict) else None
    if tag is None:
        return obj if chain is None else chain(obj)
    if tag == "Decimal":
        return Decimal(obj["v"])
    if tag == "date":
        return _dt.date.fromisoformat(obj["v"])
    return _VALUE_TYPES[tag](*(tuple(v) if isinstance(v, list) else v for v in obj["f"]))


srsly.msgpack_encoders.register("unionie", func=_msgpack_encode)
srsly.msgpack_decoders.register("unionie", func=_msgpack_decode)


def folded_text(doc: Doc) -> str:
    """The length-preserving folded copy of ``doc.text`` (computed once per doc)."""
    f = doc.user_data.get(_FOLDED)
    if f is None:
        f = doc_folded(doc) or fold(doc_text(doc))
        doc.user_data[_FOLDED] = f
    return f


def _run_of(doc: Doc) -> DocRun:
    """The core's state of one document, from what the components have set on ``doc``."""
    return DocRun(doc_text(doc), folded_text(doc), published_date(doc._.published),
                  doc._.quantities, doc._.dates, doc._.entities)


def _span_group(doc: Doc, name: str, items: Iterable[Any], label_of: Any) -> None:
    spans = []
    for it in items:
        sp = doc.char_span(it.start, it.end, label=label_of(it), alignment_mode="expand")
        if sp is not None:
            spans.append(sp)
    doc.spans[name] = SpanGroup(doc, name=name, spans=spans)


#: how a stage's results are set on a Doc: its extension and its span group's labels
_LABELS: dict[str, Callable[[Any], str]] = {
    "quantities": lambda q: q.unit or "NUM", "dates": lambda d: "DATE",
    "entities": lambda e: e.label, "events": lambda e: e.type}


def _set(doc: Doc, run: DocRun, name: str) -> None:
    """Set the results of stage ``name`` (and the publication date) from ``run`` on ``doc``."""
    items = getattr(run, name)
    setattr(doc._, name, items)
    _span_group(doc, f"unionie_{name}", items, _LABELS[name])
    if doc._.published is None or name == "dates":
        doc._.published = run.published  # a date, however it was given


class QuantityComponent:
    """Finds every quantity: ``doc._.quantities`` and ``doc.spans["unionie_quantities"]``."""

    def __init__(self, nlp: Language, name: str = "unionie_quantities") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        run = _run_of(doc)
        quantities_stage(run)
        _set(doc, run, "quantities")
        return doc


class DateComponent:
    """Finds dates and periods, resolved against ``doc._.published`` (or the date the text states)."""

    def __init__(self, nlp: Language, name: str = "unionie_dates") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        run = _run_of(doc)
        dates_stage(run)
        _set(doc, run, "dates")
        return doc


class EntityComponent:
    """Finds ORG, GPE, PERSON, HONOR and WORK: ``doc._.entities`` and ``doc.spans["unionie_entities"]``."""

    def __init__(self, nlp: Language, name: str = "unionie_entities") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        run = _run_of(doc)
        entities_stage(run)
        _set(doc, run, "entities")
        return doc


class EventComponent:
    """Extracts typed events with the rule pack: ``doc._.events`` and ``doc.spans["unionie_events"]``.

    User packs (rule files or folders) load on top of the bundled event types
    (``use_bundled``), given in one of two places:

    * the factory config's ``rules``: read when the component is created, by ``add_pipe``
      and again by ``spacy.load`` (so the files must exist wherever the pipeline loads);
    * :meth:`initialize`'s ``rules`` (spaCy's initialization hook: ``nlp.initialize()``
      with ``[initialize.components.unionie_events]``, or a direct call, as
      :func:`unionie.load` does): read once; a saved pipeline does not read them again.

    The component's state is the text of its rule files: ``nlp.to_disk`` saves them in
    the component's folder and ``from_disk`` reads them back from there, so a pipeline
    whose packs came through :meth:`initialize` loads where the original files are gone.
    A missing path or a malformed pack raises RuleError where it is read. Used alone in
    a pipeline, it fills ``doc._.quantities``, ``doc._.dates`` and ``doc._.entities``
    itself when no earlier component did.
    """

    def __init__(self, nlp: Language, name: str = "unionie_events", rules: list[str] | None = None,
                 use_bundled: bool = True) -> None:
        self.name = name
        self.rule_paths = [str(p) for p in (rules or [])]
        self.use_bundled = use_bundled
        self._rule_texts: list[tuple[str, str]] = []  # (path, YAML text) of the loaded user rules
        self.rules: RulePack | None = None
        self.extractor: EventExtractor | None = None  #: the event engine of the rules
        self._core: Extractor | None = None  #: the core with a pipeline's tokenizer (:meth:`core`)
        self._on_docs: Extractor | None = None  #: the core without a segmenter, for Docs
        self._build()  # a missing rules path raises RuleError here, in nlp.add_pipe(...)

    def _build(self) -> None:
        # size capped, UTF-8 decoded, checked; a missing path or a bad pack raises RuleError
        self._set_pack(read_rules(self.rule_paths))

    def _set_pack(self, texts: tuple[tuple[str, str], ...]) -> None:
        if not texts and self.use_bundled:  # the bundled rules alone: the engine the core built once
            self.extractor = default_extractor().engine  # (an engine keeps nothing of a document)
            self.rules = self.extractor.rules
        else:
            self.rules = rule_pack(texts, self.use_bundled)
            self.extractor = EventExtractor(self.rules)
        self._rule_texts = list(texts)
        self._core = None
        self._on_docs = Extractor(engine=self.extractor)  # words from the Doc's tokens

    def initialize(self, get_examples: Callable[[], Iterable[Any]] | None = None, *,
                   nlp: Language | None = None, rules: Iterable[str] | None = None) -> None:
        """spaCy's initialization hook: load the user rule packs ``rules`` (files or folders,
        replacing the packs loaded so far; a missing path or a bad pack raises RuleError).
        They become the component's saved state, not part of its factory config, so a saved
        pipeline loads without the files (``[initialize]`` is not read by ``spacy.load``)."""
        if rules is not None:
            self.rule_paths = [str(p) for p in rules]
            self._build()

    def ensure_rules(self) -> RulePack:
        """The loaded rule pack (read when the component is created, and again by
        :meth:`initialize` and the loaders)."""
        assert self.rules is not None
        return self.rules

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in ("_core", "_on_docs")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._core = None
        self._on_docs = Extractor(engine=self.extractor) if self.extractor is not None else None

    def core(self, tokenizer: UnionieTokenizer) -> Extractor:
        """The core :class:`~unionie.core.Extractor` of this component's rules with
        ``tokenizer`` as its segmenter (kept while the tokenizer is the same); its spec,
        read when it is pickled, is this component's rule texts and the tokenizer's words."""
        if self._core is None or self._core.words is not tokenizer:
            assert self.extractor is not None
            self._core = Extractor(engine=self.extractor, words=tokenizer,
                                   spec_of=lambda: self.spec(tokenizer))
        return self._core

    def spec(self, tokenizer: UnionieTokenizer) -> ExtractorSpec:
        """The :class:`~unionie.core.ExtractorSpec` of this component with ``tokenizer``."""
        return ExtractorSpec(rules=tuple(self._rule_texts), use_bundled=self.use_bundled,
                             user_words=tuple(tokenizer.user_words),
                             lexicons=tuple(tokenizer._lexicon_texts().items()), hmm=tokenizer.hmm,
                             backend=tokenizer.backend, extra_words=tuple(tokenizer.extra_words))

    def __call__(self, doc: Doc) -> Doc:
        run = _run_of(doc)
        missing = [name for name in ("quantities", "dates", "entities") if getattr(run, name) is None]
        words = WordBoundaries.from_starts(run.text, doc.to_array(IDX).tolist() if len(doc) else ())
        assert self._on_docs is not None
        self._on_docs.events(run, words.either)  # runs the missing stages first
        for name in missing:  # used alone in a user's pipeline: their results go on the Doc too
            _set(doc, run, name)
        _set(doc, run, "events")
        return doc

    # -- serialization: the component's state is its rule files ---------------------------
    def _saved_texts(self) -> list[tuple[str, str]]:
        # all saved as .yaml: the index prefix alone then gives the load order (rule_files)
        return [(f"{i:03d}_{Path(_SAVED_PREFIX.sub('', name)).stem}.yaml", text)
                for i, (name, text) in enumerate(self._rule_texts)]

    def to_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> None:
        """Write the user rule files (``000_<name>.yaml`` ...) into ``path``."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for old in list(path.glob("*.yaml")) + list(path.glob("*.yml")):
            old.unlink()  # a folder saved before with other rules
        for name, text in self._saved_texts():
            (path / name).write_text(text, encoding="utf-8")

    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> "EventComponent":
        """Load the rule files saved by :meth:`to_disk` (replacing ``rules`` of the config)."""
        path = Path(path)
        files = rule_files([path]) if path.is_dir() else []
        self.rule_paths = [str(f) for f in files]
        self._build()
        return self

    def to_bytes(self, exclude: Iterable[str] = ()) -> bytes:
        return json.dumps({"use_bundled": self.use_bundled, "rules": self._saved_texts()},
                          ensure_ascii=False).encode("utf-8")

    def from_bytes(self, data: bytes, exclude: Iterable[str] = ()) -> "EventComponent":
        cfg = json.loads(data.decode("utf-8"))
        texts = tuple((str(n), str(t)) for n, t in cfg.get("rules", []))
        self.use_bundled = bool(cfg.get("use_bundled", self.use_bundled))
        self.rule_paths = []
        self._set_pack(texts)  # checked and compiled from the texts, in their saved order
        return self


def extractor_of(nlp: Language) -> Extractor | None:
    """The core extractor of ``nlp`` when ``nlp`` is unionie's pipeline and nothing else
    (unionie's tokenizer, then the four components, all enabled), else None: such a
    pipeline gives on a text what the core gives, without building a ``Doc``."""
    if type(nlp.tokenizer) is not UnionieTokenizer:
        return None
    procs = nlp.pipeline
    if tuple(name for name, _ in procs) != PIPES:
        return None
    for (_, proc), cls in zip(procs, (QuantityComponent, DateComponent, EntityComponent, EventComponent)):
        if type(proc) is not cls:
            return None
    return procs[-1][1].core(nlp.tokenizer)

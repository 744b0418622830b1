"""unionie's spaCy components, one class each, chained in this order:

``unionie_quantities`` -> ``unionie_dates`` -> ``unionie_entities`` -> ``unionie_events``.

Each reads ``doc.text`` (the folded copy is computed once and kept in
``doc.user_data``) and writes its results, as unionie value objects with exact
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
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

import srsly

from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc, SpanGroup

from ..document import Argument, Date, Entity, Event, Quantity, Span
from ..engine.entities import find_entities
from ..engine.events import EventExtractor
from ..normalize.dates import find_dates, find_published
from ..normalize.quantities import find_quantities
from ..normalize.text import fold
from ..rules.loader import RulePack, default_rules, load_rule_text, load_rules, rule_files
from ..rules.safe_yaml import read_rule_text
from ..tokenizer import WordBoundaries, doc_text

__all__ = ["QuantityComponent", "DateComponent", "EntityComponent", "EventComponent",
           "register_extensions", "folded_text", "published_and_dates", "analyze"]

_FOLDED = "unionie_folded"
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
        f = fold(doc_text(doc))
        doc.user_data[_FOLDED] = f
    return f


def _span_group(doc: Doc, name: str, items: Iterable[Any], label_of: Any) -> None:
    spans = []
    for it in items:
        sp = doc.char_span(it.start, it.end, label=label_of(it), alignment_mode="expand")
        if sp is not None:
            spans.append(sp)
    doc.spans[name] = SpanGroup(doc, name=name, spans=spans)


class QuantityComponent:
    """Finds every quantity: ``doc._.quantities`` and ``doc.spans["unionie_quantities"]``."""

    def __init__(self, nlp: Language, name: str = "unionie_quantities") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        qs: list[Quantity] = find_quantities(doc_text(doc), folded_text(doc))
        doc._.quantities = qs
        _span_group(doc, "unionie_quantities", qs, lambda q: q.unit or "NUM")
        return doc


class DateComponent:
    """Finds dates and periods, resolved against ``doc._.published`` (or the date the text states)."""

    def __init__(self, nlp: Language, name: str = "unionie_dates") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        pub, doc._.dates = published_and_dates(doc_text(doc), folded_text(doc), doc._.published)
        if doc._.published is None:
            doc._.published = pub
        _span_group(doc, "unionie_dates", doc._.dates, lambda d: "DATE")
        return doc


def published_and_dates(text: str, folded: str, published: _dt.date | str | None) -> tuple[_dt.date | None, list[Date]]:
    """The publication date (``published``, else the one the text states) and the dates
    of ``text`` resolved against it."""
    pub = _dt.date.fromisoformat(published) if isinstance(published, str) else published
    if pub is None:
        pub = find_published(folded)
    return pub, find_dates(folded, pub, surface=text)


class EntityComponent:
    """Finds ORG, GPE, PERSON, HONOR and WORK: ``doc._.entities`` and ``doc.spans["unionie_entities"]``."""

    def __init__(self, nlp: Language, name: str = "unionie_entities") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        ents: list[Entity] = find_entities(folded_text(doc), doc_text(doc))
        doc._.entities = ents
        _span_group(doc, "unionie_entities", ents, lambda e: e.label)
        return doc


class EventComponent:
    """Extracts typed events with the rule pack: ``doc._.events`` and ``doc.spans["unionie_events"]``.

    ``rules`` names extra rule files or folders (user packs) loaded on top of the
    bundled event types (``use_bundled``). The component's state is the text of
    those rule files: ``nlp.to_disk`` saves them in the component's folder and
    ``spacy.load`` reads them back from there, so a saved pipeline keeps its rules
    even when the original files are gone. Used alone in a pipeline, it fills
    ``doc._.quantities``, ``doc._.dates`` and ``doc._.entities`` itself when no
    earlier component did.
    """

    def __init__(self, nlp: Language, name: str = "unionie_events", rules: list[str] | None = None,
                 use_bundled: bool = True) -> None:
        self.name = name
        self.rule_paths = [str(p) for p in (rules or [])]
        self.use_bundled = use_bundled
        self._rule_texts: list[tuple[str, str]] = []  # (file name, YAML text) of the loaded user rules
        self.rules: RulePack | None = None
        self.extractor: EventExtractor | None = None
        if all(Path(p).exists() for p in self.rule_paths) or not _building_from_config():
            self._build()  # a missing rules path raises RuleError here, in nlp.add_pipe(...)
        # else: spacy.load of a saved pipeline whose original rule files are gone;
        # from_disk restores them, and a component used without it raises on first use

    def _build(self) -> None:
        files = rule_files(self.rule_paths)  # raises RuleError for a missing path
        texts = []
        for f in files:
            texts.append((f.name, read_rule_text(f)))  # size capped, UTF-8 decoded, else RuleError
        self._set_pack(load_rules(files), texts)

    def _set_pack(self, user: RulePack, texts: list[tuple[str, str]]) -> None:
        pack = default_rules() if self.use_bundled else RulePack()
        if texts:
            pack = pack.merged(user)
        self.rules = pack
        self.extractor = EventExtractor(pack)
        self._rule_texts = texts

    def ensure_rules(self) -> RulePack:
        """The loaded rule pack; loads the rule files now if that was deferred (raises RuleError)."""
        if self.rules is None:
            self._build()
        assert self.rules is not None
        return self.rules

    def __call__(self, doc: Doc) -> Doc:
        if self.extractor is None:
            self._build()
        assert self.extractor is not None
        folded = folded_text(doc)
        for attr, comp in (("quantities", QuantityComponent), ("dates", DateComponent),
                           ("entities", EntityComponent)):
            if getattr(doc._, attr) is None:  # used alone in a user's pipeline
                comp(None, name="")(doc)  # type: ignore[arg-type]
        text = doc_text(doc)
        words = WordBoundaries.from_starts(text, doc.to_array(IDX).tolist() if len(doc) else ())
        events: list[Event] = self.extractor.extract(folded, text, doc._.quantities, doc._.dates,
                                                     doc._.entities, words.either)
        doc._.events = events
        _span_group(doc, "unionie_events", events, lambda e: e.type)
        return doc

    # -- serialization: the component's state is its rule files ---------------------------
    def _saved_texts(self) -> list[tuple[str, str]]:
        self.ensure_rules()
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
        texts = [(str(n), str(t)) for n, t in cfg.get("rules", [])]
        self.use_bundled = bool(cfg.get("use_bundled", self.use_bundled))
        user = RulePack()
        for name, text in texts:  # checked and compiled from the texts, in their saved order
            user = user.merged(load_rule_text(text, name))
        self.rule_paths = []
        self._set_pack(user, texts)
        return self


def _building_from_config() -> bool:
    """Whether spaCy's ``Language.from_config`` is creating this component (``spacy.load``
    of a saved pipeline: its rule files come back in ``from_disk``, so paths of the
    config that no longer exist are not an error yet), rather than a user's ``add_pipe``."""
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == "from_config" and frame.f_globals.get("__name__") == "spacy.language":
            return True
        frame = frame.f_back
    return False


def analyze(text: str, published: _dt.date | None, events: EventComponent,
            words: WordBoundaries) -> tuple[_dt.date | None, list[Quantity], list[Date], list[Entity], list[Event]]:
    """What the four components find in ``text``, without a spaCy ``Doc``.

    The same functions in the same order as ``nlp(text)`` with unionie's pipeline, so the
    results are the same; ``words`` gives the tokenizer's word boundaries (found on demand
    by :meth:`~unionie.tokenizer.UnionieTokenizer.boundaries`). :func:`unionie.extract`
    takes this path for a pipeline that is exactly unionie's.
    """
    extractor = events.extractor
    if extractor is None:
        events._build()
        extractor = events.extractor
    assert extractor is not None
    folded = fold(text)
    qs: list[Quantity] = find_quantities(text, folded)
    pub, ds = published_and_dates(text, folded, published)
    ents: list[Entity] = find_entities(folded, text)
    return pub, qs, ds, ents, extractor.extract(folded, text, qs, ds, ents, words.either)

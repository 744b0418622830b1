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

import datetime as _dt
from pathlib import Path
from typing import Any, Iterable

from spacy.language import Language
from spacy.tokens import Doc, SpanGroup

from ..document import Date, Entity, Event, Quantity
from ..engine.entities import find_entities
from ..engine.events import EventExtractor
from ..normalize.dates import find_dates, find_published
from ..normalize.quantities import find_quantities
from ..normalize.text import fold
from ..rules.loader import RulePack, default_rules, load_rules

__all__ = ["QuantityComponent", "DateComponent", "EntityComponent", "EventComponent",
           "register_extensions", "folded_text"]

_FOLDED = "unionie_folded"


def register_extensions() -> None:
    """Declare the ``Doc._`` attributes unionie writes (idempotent)."""
    for name, default in (("quantities", None), ("dates", None), ("entities", None), ("events", None),
                          ("published", None), ("doc_id", None)):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register_extensions()


def folded_text(doc: Doc) -> str:
    """The length-preserving folded copy of ``doc.text`` (computed once per doc)."""
    f = doc.user_data.get(_FOLDED)
    if f is None:
        f = fold(doc.text)
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
        qs: list[Quantity] = find_quantities(doc.text, folded_text(doc))
        doc._.quantities = qs
        _span_group(doc, "unionie_quantities", qs, lambda q: q.unit or "NUM")
        return doc


class DateComponent:
    """Finds dates and periods, resolved against ``doc._.published`` (or the date the text states)."""

    def __init__(self, nlp: Language, name: str = "unionie_dates") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        folded = folded_text(doc)
        pub = doc._.published
        if isinstance(pub, str):
            pub = _dt.date.fromisoformat(pub)
        if pub is None:
            pub = find_published(folded)
            doc._.published = pub
        ds: list[Date] = find_dates(folded, pub)
        text = doc.text
        doc._.dates = [Date(text=text[d.start:d.end], start=d.start, end=d.end, value=d.value, grain=d.grain,
                            rule=d.rule) for d in ds]
        _span_group(doc, "unionie_dates", doc._.dates, lambda d: "DATE")
        return doc


class EntityComponent:
    """Finds ORG, GPE, PERSON, HONOR and WORK: ``doc._.entities`` and ``doc.spans["unionie_entities"]``."""

    def __init__(self, nlp: Language, name: str = "unionie_entities") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        ents: list[Entity] = find_entities(folded_text(doc), doc.text)
        doc._.entities = ents
        _span_group(doc, "unionie_entities", ents, lambda e: e.label)
        return doc


class EventComponent:
    """Extracts typed events with the rule pack: ``doc._.events`` and ``doc.spans["unionie_events"]``.

    ``rules`` names extra rule files or folders (user packs) loaded on top of the
    bundled event types; they are saved with the pipeline by ``nlp.to_disk``.
    """

    def __init__(self, nlp: Language, name: str = "unionie_events", rules: list[str] | None = None,
                 use_bundled: bool = True) -> None:
        self.name = name
        self.rule_paths = [str(p) for p in (rules or [])]
        self.use_bundled = use_bundled
        self._inline: dict[str, str] = {}
        self._build()

    def _build(self) -> None:
        pack = default_rules() if self.use_bundled else RulePack()
        if self.rule_paths:
            pack = pack.merged(load_rules(self.rule_paths))
        self.rules = pack
        self.extractor = EventExtractor(pack)

    def __call__(self, doc: Doc) -> Doc:
        folded = folded_text(doc)
        for attr, comp in (("quantities", QuantityComponent), ("dates", DateComponent),
                           ("entities", EntityComponent)):
            if getattr(doc._, attr) is None:  # used alone in a user's pipeline
                comp(None, name="")(doc)  # type: ignore[arg-type]
        token_starts = [t.idx for t in doc] if len(doc) > 1 else None
        events: list[Event] = self.extractor.extract(folded, doc.text, doc._.quantities, doc._.dates,
                                                     doc._.entities, token_starts)
        doc._.events = events
        _span_group(doc, "unionie_events", events, lambda e: e.type)
        return doc

    # the component's state is its rule files: saved with the pipeline
    def to_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for i, p in enumerate(self._rule_files()):
            (path / f"{i:03d}_{p.name}").write_text(p.read_text(encoding="utf-8"), encoding="utf-8")

    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> "EventComponent":
        path = Path(path)
        files = sorted(path.glob("*.y*ml")) if path.exists() else []
        self.rule_paths = [str(f) for f in files]
        self._build()
        return self

    def _rule_files(self) -> list[Path]:
        out: list[Path] = []
        for p in self.rule_paths:
            pth = Path(p)
            out.extend(sorted(pth.glob("*.y*ml")) if pth.is_dir() else [pth])
        return out

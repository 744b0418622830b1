"""The public entry points for one document: load, extract, explain (many documents:
:func:`unionie.parallel.extract_many`)."""
from __future__ import annotations

import datetime as _dt
import os
import threading
from pathlib import Path
from typing import Any, Iterable, Union

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .core import Extractor, check_text, default_extractor, published_date
from .document import Document
from .errors import InputError
from .io.collection import attach
from .io.sources import read as read_source
from .pipeline import factories  # noqa: F401 - registers the components with spaCy
from .pipeline.components import PIPES, extractor_of

__all__ = ["load", "extract", "extract_file", "explain", "read", "PathOrText"]

PathOrText = Union[str, "os.PathLike[str]"]
_lock = threading.Lock()
_default_nlp: Language | None = None


def load(rules: Iterable[str | os.PathLike[str]] = (), *, user_words: Iterable[str] = (),
         lexicon_paths: Iterable[str | os.PathLike[str]] = (), hmm: bool = True,
         backend: str = "jieba") -> Language:
    """A full unionie pipeline: the domain tokenizer and the four components.

    ``rules`` adds user rule packs (files or folders) on top of the bundled event
    types (a pack's type replaces a bundled type of the same name); ``user_words`` and
    ``lexicon_paths`` add words to the tokenizer. A malformed or missing pack raises
    :class:`~unionie.RuleError` naming the file, line and rule id. ``nlp.to_disk(path)``
    saves the rule files and lexicons with the pipeline; ``spacy.load(path)`` reads
    them back (see docs/spacy.md). ``backend`` picks the segmenter: ``"jieba"`` (default),
    ``"jieba_fast"`` or ``"rjieba"`` when installed (see docs/performance.md).
    """
    if isinstance(rules, (str, os.PathLike)):
        rules = [rules]
    if isinstance(lexicon_paths, (str, os.PathLike)):
        lexicon_paths = [lexicon_paths]
    if isinstance(user_words, str):
        user_words = [user_words]
    # absolute paths: the config of a saved pipeline then names the files unambiguously
    rule_list = [os.path.abspath(r) for r in rules]
    config = {"nlp": {"tokenizer": {"@tokenizers": "unionie.JiebaTokenizer.v1",
                                    "user_words": list(user_words),
                                    "lexicon_paths": [os.path.abspath(p) for p in lexicon_paths],
                                    "hmm": hmm, "backend": backend}},
              # where the packs came from; spacy.load does not read them again (the saved
              # pipeline has their text), nlp.initialize() would
              "initialize": {"components": {"unionie_events": {"rules": rule_list}}}}
    nlp = spacy.blank("zh", config=config)
    # spaCy refuses texts over 1,000,000 characters (a guard for its parser and NER, which
    # need ~1 GB per 100,000 characters); this pipeline has neither and works in memory
    # linear in the text, so a 20 MB report dump must go through
    nlp.max_length = 2**62
    for name in PIPES:
        nlp.add_pipe(name)
    events = nlp.get_pipe("unionie_events")
    if rule_list:
        events.initialize(nlp=nlp, rules=rule_list)  # a missing or bad pack raises RuleError here
    pack = events.ensure_rules()
    for p in nlp.tokenizer.lexicon_paths:
        if not Path(p).is_file():
            raise InputError(f"lexicon file not found: {p}")
    extra = list(pack.trigger_words()) + list(pack.extra_words)
    nlp.tokenizer.extra_words = extra  # trigger words are words of the domain
    return nlp


def _nlp() -> Language:
    global _default_nlp
    if _default_nlp is None:
        with _lock:
            if _default_nlp is None:
                _default_nlp = load()
    return _default_nlp


_check_published = published_date  # the one parser of a publication date (unionie.core)
_check_text = check_text


def _document(doc: Doc, doc_id: str | None, text: str | None = None) -> Document:
    pub = doc._.published
    return Document(text=doc.text if text is None else text, doc_id=doc_id, published=pub.isoformat() if pub else None,
                    quantities=tuple(doc._.quantities or ()), dates=tuple(doc._.dates or ()),
                    entities=tuple(doc._.entities or ()), events=tuple(doc._.events or ()))


def doc_from_text(text: str, *, published: str | _dt.date | None = None, nlp: Language | None = None) -> Doc:
    """Run the pipeline on one text and return the spaCy ``Doc``."""
    check_text(text)
    nlp = nlp or _nlp()
    doc = nlp.tokenizer(text)  # make_doc without spaCy's 1,000,000-character limit (see load)
    doc._.published = published_date(published)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def runner(nlp: Language | Extractor | None) -> Language | Extractor:
    """What extracts with ``nlp``: the core :class:`~unionie.core.Extractor` of unionie's own
    pipeline (or the default one, for None), else the spaCy pipeline itself (one with
    other components, or one disabled, runs on a ``Doc``)."""
    if nlp is None:
        return default_extractor()
    if isinstance(nlp, Extractor):
        return nlp
    return extractor_of(nlp) or nlp


def extract(text: str, *, doc_id: str | None = None, published: str | _dt.date | None = None,
            nlp: Language | None = None) -> Document:
    """Extract quantities, dates, entities and events from one report.

    ``published`` (ISO string or date) resolves relative dates (去年, 五年来); when
    omitted, the date the text itself states (发布时间:2019-05-05) is used. Returns a
    :class:`~unionie.Document`; ``.to_dict()`` gives the SCHEMA.md shape.

    ``nlp`` is the pipeline (default: ``unionie.load()``'s). For unionie's own pipeline
    the core runs the components' stages without building a spaCy ``Doc`` (see
    docs/architecture.md), and the text is cut into words only where a trigger word's
    ends must be checked: the results are those of ``nlp(text)``, faster. A pipeline with
    other components runs on a ``Doc``.
    """
    if doc_id is not None and not isinstance(doc_id, str):
        raise TypeError(f"doc_id must be a str or None, got {type(doc_id).__name__}")
    run = runner(nlp)
    if isinstance(run, Extractor):
        return run.extract(text, doc_id=doc_id, published=published)
    # a pipeline with other components: run them all on a spaCy Doc
    return _document(doc_from_text(text, published=published, nlp=run), doc_id, text)


def read(path: str | os.PathLike[str], *, encoding: str = "auto", use_file_date: bool = False) -> Any:
    """Read a report file of any supported format (.txt, .md, .html, .docx, .pdf, .doc):
    a :class:`unionie.io.sources.Source` with ``text``, ``format``, ``title``, ``published``
    and ``published_from``. See docs/formats.md for what each format keeps and drops."""
    return read_source(path, encoding=encoding, use_file_date=use_file_date)


def extract_file(path: str | os.PathLike[str], *, published: str | _dt.date | None = None,
                 encoding: str = "auto", use_file_date: bool = False, nlp: Language | None = None) -> Document:
    """Read a report file (:func:`read`) and extract it: doc_id is the file stem, the
    publication date is ``published`` if given, else the one the file states, else the one
    the text states; ``Document.source`` says where the text and the date came from."""
    src = read(path, encoding=encoding, use_file_date=use_file_date)
    pub = published_date(published)
    return attach(extract(src.text, doc_id=src.doc_id, published=pub or src.published, nlp=nlp), src, pub)


def _read(item: Any) -> tuple[str, str | None] | tuple[str, str | None, Any]:
    """A text and its doc_id from an input item (a text, a path, or a (doc_id, text) pair);
    for a path, also what :func:`read` found (a third item)."""
    if isinstance(item, tuple) and len(item) == 2:
        if not isinstance(item[1], str):  # str(b"...") would extract the bytes' repr
            raise TypeError(f"the text of ({item[0]!r}, text) must be str, got {type(item[1]).__name__}")
        return item[1], str(item[0])
    if isinstance(item, Path):
        src = read(item)
        return src.text, item.stem, src
    if isinstance(item, str):
        return item, None
    raise TypeError(f"extract_many takes texts, paths or (doc_id, text) pairs, got {type(item).__name__}")


def explain(text: str, *, published: str | _dt.date | None = None, nlp: Language | None = None) -> str:
    """A readable account of what unionie found in ``text`` and which rules fired.

    ``nlp`` is the pipeline (default: ``unionie.load()``); give ``unionie.load(rules=[PACK])``
    to see what a rule pack of your own fires."""
    check_text(text, "unionie.explain")
    doc = doc_from_text(text, published=published, nlp=nlp)
    d = _document(doc, None)
    lines = ["tokens: " + " | ".join(t.text.replace("\n", "\\n") for t in doc)]
    lines.append(f"published: {d.published}")
    lines.append(f"quantities ({len(d.quantities)}):")
    for q in d.quantities:
        lines.append(f"  {q.text!r} [{q.start}:{q.end}] value={q.value} unit={q.unit} "
                     f"qualifier={q.qualifier} value_max={q.value_max} per={list(q.per)}  <- {q.rule}")
    lines.append(f"dates ({len(d.dates)}):")
    for x in d.dates:
        lines.append(f"  {x.text!r} [{x.start}:{x.end}] value={x.value} grain={x.grain}  <- {x.rule}")
    lines.append(f"entities ({len(d.entities)}):")
    for e in d.entities:
        lines.append(f"  {e.label} {e.text!r} [{e.start}:{e.end}]  <- {e.rule}")
    lines.append(f"events ({len(d.events)}):")
    for ev in d.events:
        lines.append(f"  {ev.type} trigger={ev.trigger.text!r} [{ev.start}:{ev.end}] "
                     f"confidence={ev.confidence:.2f}  <- {ev.rule}")
        for a in ev.arguments:
            val = f" = {a.value}" if a.value is not None else ""
            unit = f" {a.quantity.unit}" if a.quantity is not None else ""
            lines.append(f"      {a.role}: {a.text!r}{val}{unit}")
    return "\n".join(lines)


"""All of unionie's spaCy registrations, in one place.

Components (also exposed through the ``spacy_factories`` entry point, so
``nlp.add_pipe("unionie_events")`` works after ``pip install unionie``):
``unionie_quantities``, ``unionie_dates``, ``unionie_entities``, ``unionie_events``.
Tokenizer: ``unionie.JiebaTokenizer.v1`` (in :mod:`unionie.tokenizer`).
"""
from __future__ import annotations

from spacy.language import Language

from ..tokenizer import create_tokenizer  # noqa: F401 - registers unionie.JiebaTokenizer.v1
from .components import DateComponent, EntityComponent, EventComponent, QuantityComponent

__all__ = ["make_quantities", "make_dates", "make_entities", "make_events"]


@Language.factory("unionie_quantities", assigns=["doc._.quantities", "doc.spans"],
                  default_config={})
def make_quantities(nlp: Language, name: str) -> QuantityComponent:
    return QuantityComponent(nlp, name)


@Language.factory("unionie_dates", assigns=["doc._.dates", "doc._.published", "doc.spans"],
                  default_config={})
def make_dates(nlp: Language, name: str) -> DateComponent:
    return DateComponent(nlp, name)


@Language.factory("unionie_entities", assigns=["doc._.entities", "doc.spans"], default_config={})
def make_entities(nlp: Language, name: str) -> EntityComponent:
    return EntityComponent(nlp, name)


@Language.factory("unionie_events", assigns=["doc._.events", "doc.spans"],
                  requires=["doc._.quantities", "doc._.dates", "doc._.entities"],
                  default_config={"rules": [], "use_bundled": True})
def make_events(nlp: Language, name: str, rules: list[str], use_bundled: bool) -> EventComponent:
    return EventComponent(nlp, name, rules=rules, use_bundled=use_bundled)

"""The activity table of a collection, in steps that also run apart (see :mod:`.dask`).

1. :func:`read_document` — each document's mentions (:func:`.join.build_mentions`) and
   near-duplicate :func:`~.neardup.sketch`;
2. the near-duplicate pairs, from the sketches added in collection order, and
   :func:`align_reposts` — each copy's events joined to its original's (rule ``repost``);
3. :func:`block_key` — candidates blocked by (type x organizer x year);
   :func:`join_block` compares only mentions of one block that share a figure or a name;
4. :func:`assemble` — one :class:`.join.Activity` per group, in the order of its first mention.

:func:`activities` runs them in one process; :func:`unionie.activity.dask.dask_activities`
runs steps 1 and 3 on Dask partitions and gets exactly the same table.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable

from ..document import Document
from .join import Activity, Join, Mention, _align_repost, _apart, _feature_keys, _Groups, _together, build_mentions
from .neardup import NearDuplicate, NearDuplicateFinder, Sketch, sketch
from .records import document_from_dict

__all__ = ["activities", "Collector", "read_document", "align_reposts", "block_key", "join_block", "assemble"]

#: a figure shared by more mentions than this in one block says nothing about identity
_MAX_POSTING = 200


def read_document(d: Any, n: int, seed: Any = None) -> tuple[Document, list[Mention], Sketch]:
    """Document ``d`` (a Document or a SCHEMA dict) at position ``n``: itself, its mentions, its sketch."""
    doc = _as_document(d, n)
    return doc, build_mentions(doc, n), sketch(doc.text, seed)


def align_reposts(groups: _Groups, pairs: list[NearDuplicate], names: dict[int, str]) -> None:
    """Join the events of each copy to its original's (pairs keyed by document position)."""
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(groups.mentions):
        by_doc[str(m.doc)].append(i)
    for dup in pairs:
        _align_repost(groups, by_doc, dup, names)  # type: ignore[arg-type]  # names[int(position)]


def block_key(m: Mention) -> tuple[str, str, str]:
    """The block of a mention: type x organizer x year (a partial organizer only within its document)."""
    org = m.organizer.key if m.organizer.resolved else f"?{m.doc}|{m.organizer.name}"
    return (m.type, org, m.when.key)


def join_block(groups: _Groups, members: list[int]) -> None:
    """Join the mentions of one block (indices into ``groups.mentions``, in collection order)."""
    if len(members) < 2:
        return
    mentions = groups.mentions
    postings: dict[str, list[int]] = defaultdict(list)
    for i in members:
        for k in dict.fromkeys(_feature_keys(mentions[i])):  # (not a set: the same order in every process)
            postings[k].append(i)
    seen: set[tuple[int, int]] = set()
    for ids in postings.values():
        if len(ids) > _MAX_POSTING:
            continue
        for x in range(len(ids)):
            for y in range(x + 1, len(ids)):
                i, j = ids[x], ids[y]
                if (i, j) in seen or groups.find(i) == groups.find(j):
                    continue
                seen.add((i, j))
                a, b = mentions[i], mentions[j]
                if _apart(a, b) is not None:
                    continue
                why = _together(a, b)
                if why is not None:
                    rule, text = why
                    if a.doc == b.doc:
                        text = "within one document: " + text
                    groups.join(i, j, rule, text)


def blocks_of(mentions: list[Mention], indices: Iterable[int] | None = None) -> dict[tuple[str, str, str], list[int]]:
    """The blocks of the mentions (all, or those at ``indices``), in the order of their first mention."""
    blocks: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for i in (range(len(mentions)) if indices is None else indices):
        blocks[block_key(mentions[i])].append(i)
    return blocks


def assemble(groups: Iterable[tuple[list[Mention], list[tuple[int, int, str, str]]]]) -> list[Activity]:
    """Activities from groups of mentions (each in collection order) and their joins (pairs of
    positions in that list), numbered in the order of their first mention."""
    ordered = sorted(groups, key=lambda g: (g[0][0].doc, g[0][0].event))
    out: list[Activity] = []
    for members, joins in ordered:
        act = Activity(f"A{len(out) + 1:05d}", list(members))
        act.joins = [Join(i, j, rule, why) for i, j, rule, why in joins]
        out.append(act)
    return out


def groups_of(groups: _Groups) -> list[tuple[list[Mention], list[tuple[int, int, str, str]]]]:
    """The groups of a union-find as (mentions, joins by position among them)."""
    out = []
    for root, idx in groups.members.items():
        idx = sorted(idx)
        pos = {k: n for n, k in enumerate(idx)}
        joins = [(pos[i], pos[j], rule, why) for i, j, rule, why in groups.joins.get(root, [])]
        out.append(([groups.mentions[k] for k in idx], joins))
    return out


class Collector:
    """Reads documents one at a time (only their mentions and sketches are kept) and gives
    the activity table at the end: :func:`activities`, and the HTML report's activities view
    (fed as the report streams its documents)."""

    def __init__(self) -> None:
        self.mentions: list[Mention] = []
        self.finder = NearDuplicateFinder()
        self.names: dict[int, str] = {}

    def add(self, d: Any, n: int | None = None) -> list[Mention]:
        """Read document ``d`` at position ``n`` (default: the next); return its mentions."""
        n = len(self.names) if n is None else n
        doc, ms, sk = read_document(d, n, self.finder.seed)
        self.names[n] = doc.doc_id or ""
        self.finder.add_sketch(str(n), sk, doc.published)  # keyed by position: doc_ids may repeat
        self.mentions.extend(ms)
        return ms

    def near_duplicates(self) -> list[NearDuplicate]:
        """The near-duplicate document pairs found, by doc_id."""
        return [NearDuplicate(self.names[int(d.original)], self.names[int(d.copy)], d.jaccard, d.containment)
                for d in self.finder.pairs]

    def activities(self) -> list[Activity]:
        """The activities of the documents added so far."""
        groups = _Groups(self.mentions)
        align_reposts(groups, self.finder.pairs, self.names)
        for members in blocks_of(self.mentions).values():
            join_block(groups, members)
        return assemble(groups_of(groups))


def activities(docs: Iterable[Any], *, near_dups: list[NearDuplicate] | None = None) -> list[Activity]:
    """One :class:`Activity` per real-world activity reported in ``docs``.

    ``docs`` are :class:`~unionie.Document` objects (or SCHEMA dicts holding ``text``).
    Activities come in the order of their first mention; their ``mentions`` in input
    order. ``near_dups`` (when given) receives the near-duplicate document pairs found.
    """
    collector = Collector()
    for d in docs:
        collector.add(d)
    if near_dups is not None:
        near_dups.extend(collector.near_duplicates())
    return collector.activities()


def _as_document(d: Any, n: int) -> Document:
    if isinstance(d, Document):
        if d.doc_id is None:
            return Document(text=d.text, doc_id=f"doc{n}", published=d.published, quantities=d.quantities,
                            dates=d.dates, entities=d.entities, events=d.events)
        return d
    if isinstance(d, dict):
        return document_from_dict(d, n)
    raise TypeError(f"activities() takes unionie Documents or SCHEMA dicts, got {type(d).__name__}")

"""The activity table of a partitioned collection, on Dask: the same table as in memory.

>>> import dask.bag as db                                               # doctest: +SKIP
>>> from unionie.activity.dask import dask_activities
>>> acts = dask_activities(db.from_sequence(docs, npartitions=64))       # doctest: +SKIP
>>> [a.to_dict() for a in acts] == [a.to_dict() for a in unionie.activities(docs)]  # doctest: +SKIP
True

:func:`dask_activities` takes a ``dask.bag.Bag`` of extracted documents (Documents or
SCHEMA dicts holding ``text``) or of texts (texts, ``(doc_id, text)`` pairs,
``{"doc_id", "text"}`` records: extracted on the workers as :func:`unionie.dask.extract_bag`
does), or a ``dask.dataframe.DataFrame`` with a text and an id column. It runs in four steps:

1. **read** (on the workers, per partition): each document's mentions and its
   near-duplicate sketch (:func:`.collect.read_document`); the result is persisted;
2. **near-duplicates** (on the client): only the sketches — two MinHash signatures and
   two sizes per document — are gathered and added in collection order, so a repost
   is found whichever partition holds it; then the mentions of the few documents in a
   near-duplicate pair are gathered and their events aligned (rule ``repost``);
3. **join** (on the workers): every mention is shuffled by its block key
   (type x organizer x year; blocks linked by a repost join travel together), so the
   candidates of a block meet in one partition and are joined there (:func:`.collect.join_block`);
4. **assemble** (on the client): the groups are numbered in the order of their first mention.

The result equals ``unionie.activities(docs)`` on the same documents in the same order
(the bag's order): ids, mentions, figures and joins.
"""
from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Iterable

from ..core import Extractor, ExtractorSpec, published_date
from ..dask import text_and_id
from ..document import Document
from ..errors import InputError
from ..parallel import extract_many
from .collect import _Groups, align_reposts, assemble, block_key, blocks_of, groups_of, join_block, read_document
from .join import Activity, Mention
from .neardup import _NUM_PERM, NearDuplicate, NearDuplicateFinder

__all__ = ["dask_activities"]

# A read record: (local index, named?, doc_id, published, sketch, mentions, organizer tokens).
# An organizer token (position, k) stands for one Organizer object of one document: after
# a repost alignment a copy's mention shares its original's object, and the joining tells
# "the same object" from "an equal one" (a partial organizer is compatible only with itself).


def _is_extracted(item: Any) -> bool:
    return isinstance(item, Document) or (isinstance(item, Mapping) and "events" in item)


def _documents(items: list[Any], published: _dt.date | None, spec: ExtractorSpec) -> list[Any]:
    """The partition's items as documents: texts extracted (by the core of ``spec``), documents kept, order kept."""
    todo = [k for k, item in enumerate(items) if not _is_extracted(item)]
    if not todo:
        return items
    pairs = [text_and_id(items[k]) for k in todo]
    inputs = [text if doc_id is None else (doc_id, text) for text, doc_id in pairs]
    out = list(items)
    for k, doc in zip(todo, extract_many(inputs, nlp=Extractor.from_spec(spec), published=published), strict=True):
        out[k] = doc
    return out


def _read_partition(items: Iterable[Any], published: _dt.date | None, spec: ExtractorSpec) -> list[tuple[Any, ...]]:
    from datasketch import MinHash

    seed = MinHash(num_perm=_NUM_PERM)
    out = []
    for k, d in enumerate(_documents(list(items), published, spec)):
        named = d.doc_id is not None if isinstance(d, Document) else bool(d.get("doc_id"))
        doc, ms, sk = read_document(d, k, seed)
        ids: dict[int, int] = {}
        tokens = [ids.setdefault(id(m.organizer), len(ids)) for m in ms]
        out.append((k, named, doc.doc_id, doc.published, sk, ms, tokens))
    return out


def _sketches(records: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return [(named, doc_id, pub, sk) for _, named, doc_id, pub, sk, _, _ in records]


def _placed(records: list[tuple[Any, ...]], offset: int, only: frozenset[int] | None = None
            ) -> list[tuple[Mention, tuple[int, int]]]:
    """The partition's mentions at their collection positions (copies), with organizer tokens."""
    out = []
    for k, named, _, _, _, ms, tokens in records:
        pos = offset + k
        if only is not None and pos not in only:
            continue
        for m, t in zip(ms, tokens, strict=True):
            out.append((replace(m, doc=pos, doc_id=m.doc_id if named else f"doc{pos}"), (pos, t)))
    return out


def _near_duplicates(sketches: list[list[tuple[Any, ...]]]) -> tuple[list[NearDuplicate], dict[int, str], list[int]]:
    """The near-duplicate pairs (keyed by position), the doc_ids and each partition's offset."""
    finder = NearDuplicateFinder()
    names: dict[int, str] = {}
    offsets = []
    pos = 0
    for part in sketches:
        offsets.append(pos)
        for named, doc_id, pub, sk in part:
            names[pos] = doc_id if named else f"doc{pos}"
            finder.add_sketch(str(pos), sk, pub)
            pos += 1
    return finder.pairs, names, offsets


def _reposts(placed: list[tuple[Mention, tuple[int, int]]], pairs: list[NearDuplicate],
             names: dict[int, str]) -> tuple[dict[tuple[int, int], tuple[Any, ...]], list[tuple[Any, ...]],
                                             dict[tuple[str, str, str], str]]:
    """Align the copies' events (as :func:`.collect.activities` does, on the documents of the
    pairs only): the mentions whose organizer or time changed, the repost groups and the
    shuffle keys of the blocks they link."""
    placed = sorted(placed, key=lambda p: (p[0].doc, p[0].event))
    ms = [m for m, _ in placed]
    token_of = {id(m.organizer): t for m, t in placed}
    before = [(m.organizer, m.when) for m in ms]
    groups = _Groups(ms)
    align_reposts(groups, pairs, names)
    key = [(m.doc, m.event) for m in ms]
    changed = {key[i]: (token_of[id(m.organizer)], m.organizer, m.when)
               for i, m in enumerate(ms) if m.organizer is not before[i][0] or m.when != before[i][1]}
    states = [(key[root], [key[i] for i in members], [(key[i], key[j], r, w) for i, j, r, w in groups.joins[root]])
              for root, members in groups.members.items() if len(members) > 1]
    blocks = {key[i]: block_key(m) for i, m in enumerate(ms)}
    return changed, states, _components(blocks, states)


def _components(block_of: dict[tuple[int, int], tuple[str, str, str]], states: list[tuple[Any, ...]]
                ) -> dict[tuple[str, str, str], str]:
    """Blocks linked by a repost group: each linked block's shuffle key (its component's first block)."""
    parent: dict[tuple[str, str, str], tuple[str, str, str]] = {}

    def find(b: tuple[str, str, str]) -> tuple[str, str, str]:
        while parent.get(b, b) != b:
            b = parent[b]
        return b

    linked = set()
    for _, members, _ in states:
        blocks = [block_of[k] for k in members]
        linked.update(blocks)
        for b in blocks[1:]:
            ra, rb = find(blocks[0]), find(b)
            if ra != rb:
                parent[rb] = ra
    return {b: repr(find(b)) for b in linked}


def _keyed(records: list[tuple[Any, ...]], offset: int, changed: dict[tuple[int, int], tuple[Any, ...]],
           shuffle_keys: dict[tuple[str, str, str], str]) -> list[tuple[str, Mention, tuple[int, int]]]:
    """The partition's mentions (copies' organizer and time aligned) keyed by their block's shuffle key."""
    out = []
    for m, token in _placed(records, offset):
        new = changed.get((m.doc, m.event))
        if new is not None:
            token, m.organizer, m.when = new
        b = block_key(m)
        out.append((shuffle_keys.get(b, repr(b)), m, token))
    return out


def _join_component(group: tuple[str, list[tuple[str, Mention, tuple[int, int]]]],
                    states: list[tuple[Any, ...]]) -> list[tuple[list[Mention], list[tuple[int, int, str, str]]]]:
    """Join the mentions of one shuffle key (a block, or blocks linked by reposts) as in memory."""
    items = sorted(group[1], key=lambda x: (x[1].doc, x[1].event))
    objects: dict[tuple[int, int], Any] = {}
    ms = []
    for _, m, token in items:  # one Organizer object per token again (pickling may have split them)
        m.organizer = objects.setdefault(token, m.organizer)
        ms.append(m)
    index = {(m.doc, m.event): i for i, m in enumerate(ms)}
    groups = _Groups(ms)
    for root, members, joins in states:  # the repost groups, as the alignment left them
        r = index.get(root)
        if r is None:
            continue
        groups.members[r] = [index[k] for k in members]
        for k in members:
            if index[k] != r:
                groups.parent[index[k]] = r
                del groups.members[index[k]]
        groups.joins[r] = [(index[a], index[b], rule, why) for a, b, rule, why in joins]
    for members in blocks_of(ms).values():
        join_block(groups, members)
    return groups_of(groups)


def _as_bag(collection: Any, text_column: str, id_column: str | None) -> Any:
    import dask.bag as db

    if isinstance(collection, db.Bag):
        return collection
    if hasattr(collection, "to_bag") and hasattr(collection, "columns"):
        missing = [c for c in (text_column, id_column) if c is not None and c not in collection.columns]
        if missing:
            raise InputError(f"dask_activities: no column {', '.join(map(repr, missing))} "
                             f"(columns: {', '.join(map(str, collection.columns))})")
        cols = [c for c in (id_column, text_column) if c is not None]
        return collection[cols].to_bag(index=False, format="dict").map(_record, text_column, id_column)
    raise InputError("dask_activities takes a dask.bag.Bag or a dask.dataframe.DataFrame, "
                     f"got {type(collection).__name__}")


def _record(row: Mapping[str, Any], text_column: str, id_column: str | None) -> dict[str, Any]:
    text = row[text_column]
    doc_id = row[id_column] if id_column is not None else None
    missing = doc_id is None or (isinstance(doc_id, float) and doc_id != doc_id)
    return {"doc_id": None if missing else str(doc_id), "text": text if isinstance(text, str) else ""}


def dask_activities(collection: Any, *, text_column: str = "text", id_column: str | None = "doc_id",
                    published: str | _dt.date | None = None, rules: Iterable[str | os.PathLike[str]] = (),
                    near_dups: list[NearDuplicate] | None = None, scheduler: Any = None) -> list[Activity]:
    """The activities of a Dask collection: equal to ``unionie.activities(docs)`` on its documents
    in collection order.

    ``collection`` is a ``dask.bag.Bag`` of Documents, SCHEMA dicts with ``text``, texts,
    ``(doc_id, text)`` pairs or ``{"doc_id", "text"}`` records, or a ``dask.dataframe.DataFrame``
    with ``text_column`` and ``id_column``. Texts are extracted on the workers (``published``
    and ``rules`` as in :func:`unionie.dask.extract_bag`). ``near_dups`` (when given) receives
    the near-duplicate document pairs found. ``scheduler`` is passed to every ``compute``
    (None: Dask's current default). Computes: the result is a list, like ``unionie.activities``.
    """
    import dask
    from dask import delayed
    import dask.bag as db

    bag = _as_bag(collection, text_column, id_column)
    pub, payload = published_date(published), ExtractorSpec.checked(rules)
    read = list(dask.persist(*[delayed(_read_partition)(p, pub, payload) for p in bag.to_delayed()],
                             scheduler=scheduler))
    sketches = dask.compute(*[delayed(_sketches)(r) for r in read], scheduler=scheduler)
    pairs, names, offsets = _near_duplicates(list(sketches))
    involved = frozenset(int(x) for d in pairs for x in (d.original, d.copy))
    placed: list[tuple[Mention, tuple[int, int]]] = []
    if involved:
        for part in dask.compute(*[delayed(_placed)(r, o, involved) for r, o in zip(read, offsets)],
                                 scheduler=scheduler):
            placed.extend(part)
    changed, states, shuffle_keys = _reposts(placed, pairs, names)
    keyed = db.from_delayed([delayed(_keyed)(r, o, changed, shuffle_keys) for r, o in zip(read, offsets)])
    grouped = keyed.groupby(_shuffle_key, shuffle="tasks").map(_join_component, states=states).flatten()
    groups = grouped.compute(scheduler=scheduler)
    if near_dups is not None:
        near_dups.extend(NearDuplicate(names[int(d.original)], names[int(d.copy)], d.jaccard, d.containment)
                         for d in pairs)
    return assemble(groups)


def _shuffle_key(item: tuple[str, Mention, tuple[int, int]]) -> str:
    return item[0]

"""unionie on Dask: extract a corpus that does not fit one machine.

>>> import dask.bag as db                                              # doctest: +SKIP
>>> from unionie.dask import extract_bag, extract_dataframe
>>> docs = extract_bag(db.from_sequence(pairs, npartitions=64))        # doctest: +SKIP
>>> docs.map(lambda d: len(d["events"])).sum().compute()              # doctest: +SKIP

* :func:`extract_bag` maps a ``dask.bag.Bag`` of texts, ``(doc_id, text)`` pairs or
  ``{"doc_id": ..., "text": ...}`` records to a bag of SCHEMA dicts (exactly what
  ``unionie.extract(text, doc_id=...).to_dict()`` gives).
* :func:`extract_dataframe` maps a ``dask.dataframe.DataFrame`` with a text column
  (and an id column) to a table with one row per event, the columns of
  ``unionie.io.tables.to_dataframe(docs, level="events")`` (other levels on request);
  the ``meta`` is declared, so nothing is computed to build the graph.

The partitions carry the core's :class:`~unionie.core.ExtractorSpec` (user rule packs
``rules=[...]`` read and checked on the client, as text, so the rule files need not
exist on the cluster's machines). Each worker *process* builds the
:class:`~unionie.core.Extractor` once, on its first partition
(:meth:`~unionie.core.Extractor.from_spec` keeps it); later partitions and tasks reuse
it. Workers send back plain dicts and pandas frames, never spaCy objects. Needs ``pip install "unionie[dask]"``.
"""
from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Mapping
from typing import Any, Iterable

from .core import Extractor, ExtractorSpec, published_date
from .errors import InputError
from .io.records import check_level
from .io.tables import to_dataframe
from .parallel import extract_many

__all__ = ["extract_bag", "extract_dataframe"]

# The partitions get the core's spec, its rule packs read and checked on the client
# (ExtractorSpec.checked), and ``published`` parsed once there (published_date); a worker
# process builds the extractor on its first partition and keeps it (Extractor.from_spec).


# -- bags -----------------------------------------------------------------------------------
def text_and_id(item: Any) -> tuple[str, str | None]:
    """(text, doc_id) of a bag item: a text, a (doc_id, text) pair or a {"doc_id", "text"} record."""
    if isinstance(item, str):
        return item, None
    if isinstance(item, (tuple, list)) and len(item) == 2:
        doc_id, text = item
    elif isinstance(item, Mapping) and "text" in item:
        doc_id, text = item.get("doc_id"), item["text"]
    else:
        raise InputError("unionie.dask.extract_bag takes texts, (doc_id, text) pairs or "
                         f"{{'doc_id': ..., 'text': ...}} records, got {type(item).__name__}")
    if not isinstance(text, str):
        raise InputError(f"the text of {doc_id!r} is {type(text).__name__}, not str")
    return text, (None if doc_id is None else str(doc_id))


def _extract_partition(items: Iterable[Any], published: _dt.date | None,
                       spec: ExtractorSpec) -> list[dict[str, Any]]:
    pairs = (text_and_id(item) for item in items)
    inputs = (text if doc_id is None else (doc_id, text) for text, doc_id in pairs)
    return [d.to_dict() for d in extract_many(inputs, nlp=Extractor.from_spec(spec), published=published)]


def extract_bag(bag: Any, *, published: str | _dt.date | None = None,
                rules: Iterable[str | os.PathLike[str]] = ()) -> Any:
    """A ``dask.bag.Bag`` of SCHEMA dicts, one per item of ``bag``, in the same order.

    Items are texts (``doc_id`` is then ``None``), ``(doc_id, text)`` pairs or
    mappings with ``text`` and ``doc_id``. ``published`` (ISO string or date)
    resolves relative dates when a text does not state its date. ``rules`` adds user
    rule packs (files or folders), read and checked here. Lazy: nothing runs until
    ``.compute()`` / ``.to_textfiles()``.
    """
    pub = published_date(published)
    return bag.map_partitions(_extract_partition, published=pub, spec=ExtractorSpec.checked(rules))


# -- data frames ----------------------------------------------------------------------------
def _empty(level: str) -> Any:
    return to_dataframe([], level=level)


def _frame_partition(pdf: Any, text_column: str, id_column: str | None, published: _dt.date | None,
                     spec: ExtractorSpec, level: str) -> Any:
    import pandas as pd

    nlp = Extractor.from_spec(spec)
    texts = pdf[text_column].tolist()
    ids = pdf[id_column].tolist() if id_column is not None else [None] * len(texts)

    def inputs() -> Iterable[Any]:
        for text, doc_id in zip(texts, ids):
            if not isinstance(text, str):  # a missing text (None, NaN, <NA>) has no events
                text = ""
            yield text if doc_id is None or pd.isna(doc_id) else (str(doc_id), text)

    return to_dataframe(extract_many(inputs(), nlp=nlp, published=published), level=level)


def extract_dataframe(ddf: Any, text_column: str = "text", id_column: str | None = "doc_id", *,
                      published: str | _dt.date | None = None,
                      rules: Iterable[str | os.PathLike[str]] = (), level: str = "events") -> Any:
    """A ``dask.dataframe.DataFrame`` of the events in the documents of ``ddf``.

    ``ddf[text_column]`` holds the texts and ``ddf[id_column]`` their ids (turned
    into strings; ``id_column=None`` leaves ``doc_id`` empty). The result has one row
    per event (``level="events"``; also ``"arguments"``, ``"quantities"``,
    ``"entities"``, ``"dates"``, ``"documents"``) and exactly the columns and nullable
    dtypes of :func:`unionie.io.tables.to_dataframe`, declared as ``meta``. Each
    partition's rows keep document order; the index restarts at 0 in every partition.
    """
    check_level(level)
    missing = [c for c in (text_column, id_column) if c is not None and c not in ddf.columns]
    if missing:
        raise InputError(f"extract_dataframe: no column {', '.join(map(repr, missing))} "
                         f"(columns: {', '.join(map(str, ddf.columns))})")
    pub = published_date(published)
    return ddf.map_partitions(_frame_partition, text_column=text_column, id_column=id_column, published=pub,
                              spec=ExtractorSpec.checked(rules), level=level, meta=_empty(level))

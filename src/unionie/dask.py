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

Each worker *process* loads the pipeline once, on its first partition, and keeps it
in a module-level cache; later partitions and tasks reuse it. Workers send back plain
dicts and pandas frames, never spaCy objects. User rule packs (``rules=[...]``) are
read and checked on the client and shipped to the workers as text, so the rule files
need not exist on the cluster's machines. Needs ``pip install "unionie[dask]"``.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Iterable

from .errors import InputError

__all__ = ["extract_bag", "extract_dataframe"]

# -- the per-process pipeline cache ------------------------------------------------------
_lock = threading.Lock()
_PIPELINES: dict[str, Any] = {}  # rules digest -> Language, one per worker process
_LOADS: dict[str, int] = {}  # rules digest -> times loaded in this process (1, unless the cache is cleared)


def _pipeline(rules: bytes) -> Any:
    """The pipeline for a rules payload, loaded on first use in this process and kept."""
    key = hashlib.sha1(rules).hexdigest() if rules else "bundled"
    nlp = _PIPELINES.get(key)
    if nlp is None:
        with _lock:
            nlp = _PIPELINES.get(key)
            if nlp is None:
                nlp = _load(rules)
                _PIPELINES[key] = nlp
                _LOADS[key] = _LOADS.get(key, 0) + 1
    return nlp


def _load(rules: bytes) -> Any:
    from .api import _nlp, load

    if not rules:
        return _nlp()  # the process-wide default pipeline of unionie.extract
    files = json.loads(rules.decode("utf-8"))
    with tempfile.TemporaryDirectory(prefix="unionie-rules-") as tmp:
        for name, text in files:
            (Path(tmp) / name).write_text(text, encoding="utf-8")
        return load(rules=[tmp])  # the rules are compiled and held in memory; the folder can go


def _rules_payload(rules: Iterable[Any]) -> bytes:
    """Read and check rule files on the client; their texts, in load order, as bytes."""
    from .rules.loader import load_rules, rule_files

    if isinstance(rules, (str, os.PathLike)):
        rules = [rules]
    files = rule_files([str(r) for r in rules])
    if not files:
        return b""
    load_rules(files)  # a malformed pack raises RuleError here, before anything is submitted
    texts = [(f"{i:03d}_{f.stem}.yaml", f.read_text(encoding="utf-8")) for i, f in enumerate(files)]
    return json.dumps(texts, ensure_ascii=False).encode("utf-8")


def _published(published: str | _dt.date | None) -> _dt.date | None:
    """``published`` parsed once, on the client (the partitions get the date)."""
    from .api import _check_published

    return _check_published(published)


# -- bags -----------------------------------------------------------------------------------
def _pair(item: Any) -> tuple[str, str | None]:
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


def _extract_partition(items: Iterable[Any], published: _dt.date | None, rules: bytes) -> list[dict[str, Any]]:
    from .parallel import extract_many

    pairs = (_pair(item) for item in items)
    inputs = (text if doc_id is None else (doc_id, text) for text, doc_id in pairs)
    return [d.to_dict() for d in extract_many(inputs, nlp=_pipeline(rules), published=published)]


def extract_bag(bag: Any, *, published: str | _dt.date | None = None,
                rules: Iterable[str | os.PathLike[str]] = ()) -> Any:
    """A ``dask.bag.Bag`` of SCHEMA dicts, one per item of ``bag``, in the same order.

    Items are texts (``doc_id`` is then ``None``), ``(doc_id, text)`` pairs or
    mappings with ``text`` and ``doc_id``. ``published`` (ISO string or date)
    resolves relative dates when a text does not state its date. ``rules`` adds user
    rule packs (files or folders), read and checked here. Lazy: nothing runs until
    ``.compute()`` / ``.to_textfiles()``.
    """
    pub = _published(published)
    payload = _rules_payload(rules)
    return bag.map_partitions(_extract_partition, published=pub, rules=payload)


# -- data frames ----------------------------------------------------------------------------
def _empty(level: str) -> Any:
    from .io.tables import to_dataframe

    return to_dataframe([], level=level)


def _frame_partition(pdf: Any, text_column: str, id_column: str | None, published: _dt.date | None,
                     rules: bytes, level: str) -> Any:
    import pandas as pd

    from .parallel import extract_many
    from .io.tables import to_dataframe

    nlp = _pipeline(rules)
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
    from .io.records import check_level

    check_level(level)
    missing = [c for c in (text_column, id_column) if c is not None and c not in ddf.columns]
    if missing:
        raise InputError(f"extract_dataframe: no column {', '.join(map(repr, missing))} "
                         f"(columns: {', '.join(map(str, ddf.columns))})")
    pub = _published(published)
    payload = _rules_payload(rules)
    return ddf.map_partitions(_frame_partition, text_column=text_column, id_column=id_column, published=pub,
                              rules=payload, level=level, meta=_empty(level))

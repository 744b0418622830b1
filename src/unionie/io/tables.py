"""Tables from extracted documents: pandas DataFrames, JSON Lines, CSV and Parquet.

Every function takes an iterable of :class:`~unionie.document.Document` objects or
SCHEMA dicts (the JSON objects ``unionie extract`` writes) and reads it once, so a
generator of documents is never held in memory by the writers.

Levels (one row per ...):

``events``
    event. ``doc_id, event_index, type, trigger, trigger_start, trigger_end, start,
    end, confidence, rule`` plus flattened arguments: ``organizer``, ``time``,
    ``name``, ``beneficiary`` (all texts of that role, joined with ``、``),
    ``time_value`` (the first time argument's resolved date), ``amount_cny`` (sum of
    the CNY ``amount`` arguments that are not rates; a figure with 余/多 counts as
    its stated value, a range as its low end), ``rate_cny`` (the first CNY argument
    with a ``per``, e.g. 5000元/人/年), ``person_count`` and ``person_count_unit``
    (the first of beneficiary_count, participant_count, trainee_count,
    recipient_count, audience_count, visitor_count), ``org_count``, ``count``,
    ``items`` (first value of that role), ``n_arguments``, and ``other_roles``: JSON
    of the arguments whose role has no column of its own (a rule pack's roles,
    ``honor``, ``org_kind`` …), ``{"hazard_count": [410], "honor": ["劳动模范"]}`` —
    the value of a figure, else the text; ``None`` when there is none.
``arguments``
    argument: ``doc_id, event_index, arg_index, type, role, text, start, end,
    value`` (number, for quantity arguments), ``date_value`` (ISO, for time
    arguments), ``unit, qualifier, value_max, per`` (``"人/年"``).
``quantities``
    quantity: ``doc_id, q_index, text, start, end, value, unit, qualifier,
    value_max, per, in_event`` (whether an event uses it as an argument).
``entities``
    entity: ``doc_id, e_index, text, start, end, label``.
``dates``
    date: ``doc_id, d_index, text, start, end, value, grain``.
``documents``
    document: ``doc_id, published, n_events, n_quantities, n_entities, n_chars,
    amount_cny, source``.
``activities``
    activity, each counted once across the documents (:func:`unionie.activities`,
    docs/activities.md): ``activity_id, type, organizer, organizer_region,
    organizer_code, organizer_level, organizer_resolved, organizer_source, year, month,
    period, time_source, name, is_total, amount_cny, n_mentions, n_documents`` and
    ``figures, mentions, joined`` as JSON text. Only for :func:`to_dataframe`.

DataFrame columns use pandas' nullable dtypes (``string``, ``Int64``, ``Float64``,
``boolean``), so ``df.groupby("type").amount_cny.sum()`` works directly and a
missing figure is ``<NA>``, never a silent 0.
"""
from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable
from decimal import Decimal
from typing import IO, Any, Callable

from .records import LEVELS, check_level, iter_dicts, require, rows

__all__ = ["to_dataframe", "write_jsonl", "write_csv", "write_parquet"]

#: levels that layers above io add (``unionie.activity`` adds ``"activities"`` when imported,
#: as ``import unionie`` does): level name -> function from documents to a DataFrame
EXTRA_LEVELS: dict[str, Callable[[Any], Any]] = {}

_PANDAS_DTYPE = {"str": "string", "int": "Int64", "float": "Float64", "bool": "boolean"}
_PARQUET_BATCH_ROWS = 50_000



def _arrow_type(pa: Any, kind: str) -> Any:
    return {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}[kind]


def _empty_frame(pd: Any, level: str) -> Any:
    return pd.DataFrame({name: pd.array([], dtype=_PANDAS_DTYPE[kind]) for name, kind in LEVELS[level]})


def _frame(pd: Any, level: str, columns: dict[str, list[Any]]) -> Any:
    return pd.DataFrame(
        {name: pd.array(columns[name], dtype=_PANDAS_DTYPE[kind]) for name, kind in LEVELS[level]}
    )


def to_dataframe(docs: Iterable[Any], level: str = "events") -> Any:
    """One ``pandas.DataFrame`` of all documents at ``level``.

    ``level`` is ``"events"`` (default), ``"arguments"``, ``"quantities"``,
    ``"entities"``, ``"dates"``, ``"documents"`` or ``"activities"`` (each activity
    once across the documents, :func:`unionie.activities`; the documents need their
    text); see the module docstring and docs/activities.md for the columns. Needs
    pandas (``pip install "unionie[data]"``).

    >>> df = to_dataframe(docs)                       # doctest: +SKIP
    >>> df.groupby("type").amount_cny.sum()           # doctest: +SKIP
    """
    if level in EXTRA_LEVELS:  # "activities": one row per activity (docs/activities.md)
        return EXTRA_LEVELS[level](docs)
    spec = check_level(level)
    pd = require("pandas", "data", "unionie.io.tables.to_dataframe")
    columns: dict[str, list[Any]] = {name: [] for name, _ in spec}
    for doc in iter_dicts(docs):
        for row in rows(level, doc):
            for name, _ in spec:
                columns[name].append(row[name])
    return _frame(pd, level, columns)


def _open_text(path_or_file: Any, encoding: str) -> tuple[IO[str], bool]:
    """A text stream for a path or a file object, and whether we opened (and must close) it."""
    if isinstance(path_or_file, (str, os.PathLike)):
        return open(path_or_file, "w", encoding=encoding, newline=""), True
    if isinstance(path_or_file, io.TextIOBase) or (
        hasattr(path_or_file, "write") and "b" not in getattr(path_or_file, "mode", "w")
        and not isinstance(path_or_file, (io.RawIOBase, io.BufferedIOBase))
    ):
        return path_or_file, False
    # a binary file object
    return io.TextIOWrapper(path_or_file, encoding=encoding, newline="", write_through=True), False


def write_jsonl(docs: Iterable[Any], path_or_file: Any, *, include_text: bool = False,
                encoding: str = "utf-8") -> int:
    """Write one SCHEMA JSON object per line; return the number of documents written.

    ``path_or_file`` is a path or an open text or binary file. Each line is written
    and flushed as soon as its document arrives, so a reader (``tail -f``, a
    downstream process) sees every finished document, and a crash loses at most the
    document being extracted. Chinese is written as UTF-8, not ``\\u`` escapes.
    ``include_text=True`` keeps each document's ``text`` in its object.
    """
    out, owned = _open_text(path_or_file, encoding)
    n = 0
    try:
        for doc in iter_dicts(docs):
            obj = dict(doc)
            if not include_text:
                obj.pop("text", None)
            out.write(json.dumps(obj, ensure_ascii=False, default=_json_default))
            out.write("\n")
            out.flush()
            n += 1
    finally:
        if owned:
            out.close()
        elif isinstance(out, io.TextIOWrapper) and out is not path_or_file:
            out.detach()  # leave the caller's binary file open
    return n


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def write_csv(docs: Iterable[Any], path_or_file: Any, level: str = "events", *,
              encoding: str = "utf-8") -> int:
    """Write the ``level`` table as CSV with a header; return the number of rows.

    Streams row by row with the standard library (no pandas needed). Missing values
    are empty fields. Use ``encoding="utf-8-sig"`` for a file that Excel opens with
    the Chinese intact. Read it back with ``pandas.read_csv(path)``.
    """
    spec = check_level(level)
    out, owned = _open_text(path_or_file, encoding)
    names = [name for name, _ in spec]
    n = 0
    try:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(names)
        for doc in iter_dicts(docs):
            for row in rows(level, doc):
                writer.writerow(["" if row[c] is None else row[c] for c in names])
                n += 1
            out.flush()
    finally:
        if owned:
            out.close()
        elif isinstance(out, io.TextIOWrapper) and out is not path_or_file:
            out.detach()
    return n


def arrow_schema(level: str) -> Any:
    """The pyarrow schema of ``level``, with pandas metadata so that
    ``pandas.read_parquet`` gives back the nullable dtypes of :func:`to_dataframe`."""
    check_level(level)
    pa = require("pyarrow", "data", "unionie.io.tables.write_parquet")
    try:
        import pandas as pd  # optional: only for the pandas metadata
    except ImportError:  # pragma: no cover - pyarrow without pandas
        return pa.schema([(name, _arrow_type(pa, kind)) for name, kind in LEVELS[level]])
    return pa.Schema.from_pandas(_empty_frame(pd, level), preserve_index=False)


def write_parquet(docs: Iterable[Any], path: Any, level: str = "events", *,
                  batch_rows: int = _PARQUET_BATCH_ROWS, compression: str = "zstd") -> int:
    """Write the ``level`` table as Parquet; return the number of rows.

    Rows are written in row groups of at most ``batch_rows`` as documents stream in.
    Column types are fixed per level (a level with no rows still has its schema).
    ``pandas.read_parquet(path)`` returns the same dtypes as :func:`to_dataframe`.
    Needs pyarrow (``pip install "unionie[data]"``).
    """
    spec = check_level(level)
    pa = require("pyarrow", "data", "unionie.io.tables.write_parquet")
    pq = require("pyarrow.parquet", "data", "unionie.io.tables.write_parquet")
    schema = arrow_schema(level)
    names = [name for name, _ in spec]
    n = 0
    buffer: dict[str, list[Any]] = {name: [] for name in names}
    buffered = 0

    def flush(writer: Any) -> None:
        nonlocal buffer, buffered
        writer.write_table(pa.Table.from_pydict(buffer, schema=schema))
        buffer = {name: [] for name in names}
        buffered = 0

    with pq.ParquetWriter(path, schema, compression=compression) as writer:
        for doc in iter_dicts(docs):
            for row in rows(level, doc):
                for name in names:
                    buffer[name].append(row[name])
                buffered += 1
                n += 1
                if buffered >= batch_rows:
                    flush(writer)
        if buffered or n == 0:
            flush(writer)
    return n

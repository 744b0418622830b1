"""Extracted documents into a SQL database (SQLite or DuckDB) as normalized tables.

Tables (see docs/database.md for every column)::

    documents  (doc_id PK)
    events     (doc_id, event_index) PK       -> documents
    arguments  (doc_id, event_index, arg_index) PK -> events
    quantities (doc_id, q_index) PK           -> documents
    entities   (doc_id, e_index) PK           -> documents
    dates      (doc_id, d_index) PK           -> documents

Writing is append-only and idempotent per document: a document whose ``doc_id`` is
already in ``documents`` (or earlier in the same call) is skipped whole, so loading
the same file twice never duplicates a row. To replace a document, delete its rows
first (children before ``documents``). SQLite comes with Python; DuckDB needs
``pip install "unionie[sql]"`` (duckdb, plus pyarrow, through which DuckDB loads
rows ~30x faster than through bound parameters; without pyarrow it still works).

The columns ``start`` and ``end`` are SQL keywords: quote them (``"end"``) in queries.
"""
from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import suppress
from itertools import islice
from typing import Any

from ..errors import InputError, OutputError
from .records import LEVELS, iter_dicts, require, rows

__all__ = ["to_sql", "check_database_file", "EXAMPLE_QUERIES", "SCHEMA_VERSION", "TABLES"]

SCHEMA_VERSION = 1

_SQLITE_SUFFIXES = {".sqlite", ".sqlite3", ".db"}
_DUCKDB_SUFFIXES = {".duckdb", ".ddb"}
_DOCS_PER_BATCH = 200
_DUCKDB_ROWS_PER_INSERT = 200

_TYPES = {
    "sqlite": {"str": "TEXT", "int": "INTEGER", "float": "REAL", "bool": "INTEGER"},
    "duckdb": {"str": "VARCHAR", "int": "BIGINT", "float": "DOUBLE", "bool": "BOOLEAN"},
}


def _cols(level: str, *names: str) -> list[tuple[str, str]]:
    kinds = dict(LEVELS[level])
    return [(n, kinds[n]) for n in names]


# table -> (level it is read from, columns, primary key, foreign key)
TABLES: dict[str, tuple[str, list[tuple[str, str]], tuple[str, ...], str | None]] = {
    "documents": (
        "documents",
        _cols("documents", "doc_id", "published", "n_events", "n_quantities", "n_entities",
              "n_chars", "source") + [("text", "str")],
        ("doc_id",), None,
    ),
    "events": (
        "events",
        _cols("events", "doc_id", "event_index", "type", "trigger", "trigger_start",
              "trigger_end", "start", "end", "confidence", "rule"),
        ("doc_id", "event_index"), "FOREIGN KEY (doc_id) REFERENCES documents (doc_id)",
    ),
    "arguments": (
        "arguments",
        _cols("arguments", "doc_id", "event_index", "arg_index", "role", "text", "start", "end",
              "value", "date_value", "unit", "qualifier", "value_max", "per"),
        ("doc_id", "event_index", "arg_index"),
        "FOREIGN KEY (doc_id, event_index) REFERENCES events (doc_id, event_index)",
    ),
    "quantities": (
        "quantities", list(LEVELS["quantities"]), ("doc_id", "q_index"),
        "FOREIGN KEY (doc_id) REFERENCES documents (doc_id)",
    ),
    "entities": (
        "entities", list(LEVELS["entities"]), ("doc_id", "e_index"),
        "FOREIGN KEY (doc_id) REFERENCES documents (doc_id)",
    ),
    "dates": (
        "dates", list(LEVELS["dates"]), ("doc_id", "d_index"),
        "FOREIGN KEY (doc_id) REFERENCES documents (doc_id)",
    ),
}

_INDEXES = [
    ("events_type", "events", "type"),
    ("arguments_role", "arguments", "role"),
]

#: The example queries of docs/database.md; they run unchanged on SQLite and DuckDB.
EXAMPLE_QUERIES: dict[str, str] = {
    "subsidy_money_per_organizer": """\
SELECT COALESCE(
         (SELECT o.text FROM arguments AS o
           WHERE o.doc_id = e.doc_id AND o.event_index = e.event_index
             AND o.role = 'organizer'
           ORDER BY o.arg_index LIMIT 1),
         '(no organizer)') AS organizer,
       SUM(a.value) AS total_cny,
       COUNT(DISTINCT e.doc_id || '#' || CAST(e.event_index AS VARCHAR)) AS events
FROM events AS e
JOIN arguments AS a
  ON a.doc_id = e.doc_id AND a.event_index = e.event_index
WHERE e.type = 'subsidy'
  AND a.role = 'amount' AND a.unit = 'CNY' AND a.per = ''
GROUP BY 1
ORDER BY total_cny DESC""",
    "contests_per_year": """\
SELECT COALESCE(
         (SELECT SUBSTR(t.date_value, 1, 4) FROM arguments AS t
           WHERE t.doc_id = e.doc_id AND t.event_index = e.event_index
             AND t.role = 'time' AND t.date_value IS NOT NULL
           ORDER BY t.arg_index LIMIT 1),
         SUBSTR(d.published, 1, 4)) AS year,
       COUNT(*) AS contests
FROM events AS e
JOIN documents AS d ON d.doc_id = e.doc_id
WHERE e.type = 'contest'
GROUP BY 1
ORDER BY 1 NULLS LAST""",
    "contests_per_document": """\
SELECT d.doc_id, COUNT(e.event_index) AS contests
FROM documents AS d
LEFT JOIN events AS e ON e.doc_id = d.doc_id AND e.type = 'contest'
GROUP BY d.doc_id
ORDER BY d.doc_id""",
}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _ddl(kind: str) -> list[str]:
    types = _TYPES[kind]
    out = []
    for table, (_, cols, pk, fk) in TABLES.items():
        parts = [f"{_q(n)} {types[k]}" + (" NOT NULL" if n in pk else "") for n, k in cols]
        parts.append("PRIMARY KEY (" + ", ".join(_q(c) for c in pk) + ")")
        if fk:
            parts.append(fk)
        out.append(f"CREATE TABLE IF NOT EXISTS {table} (\n  " + ",\n  ".join(parts) + "\n)")
    for name, table, col in _INDEXES:
        out.append(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({_q(col)})")
    return out


def _detect_kind(target: Any, kind: str | None) -> str:
    if kind is not None:
        if kind not in _TYPES:
            raise InputError(f"unknown database kind {kind!r}; use 'sqlite' or 'duckdb'")
        return kind
    if isinstance(target, sqlite3.Connection):
        return "sqlite"
    if "duckdb" in type(target).__module__ or "DuckDB" in type(target).__name__:
        return "duckdb"
    if isinstance(target, (str, os.PathLike)):
        suffix = os.path.splitext(os.fspath(target))[1].lower()
        if suffix in _SQLITE_SUFFIXES:
            return "sqlite"
        if suffix in _DUCKDB_SUFFIXES:
            return "duckdb"
        raise InputError(
            f"cannot tell the database kind of {os.fspath(target)!r} from its suffix; "
            "use a .sqlite/.db or .duckdb file name, or pass kind='sqlite' or kind='duckdb'"
        )
    raise InputError(
        f"expected a sqlite3 or duckdb connection or a file path, got {type(target).__name__}"
    )


#: the first bytes of a database file: SQLite's 16-byte header string; DuckDB's magic
#: "DUCK" after the 8-byte checksum of its main header
_SQLITE_MAGIC = b"SQLite format 3\x00"
_DUCKDB_MAGIC, _DUCKDB_MAGIC_AT = b"DUCK", 8
_KIND_NAMES = {"sqlite": "SQLite", "duckdb": "DuckDB"}
#: DuckDB may otherwise install (download) or load an extension when it meets a file or a
#: function it does not know (a SQLite file opened as DuckDB fetches sqlite_scanner)
DUCKDB_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


def _what_file(head: bytes) -> str:
    if head.startswith(_SQLITE_MAGIC):
        return "it is a SQLite database"
    if head[_DUCKDB_MAGIC_AT:_DUCKDB_MAGIC_AT + len(_DUCKDB_MAGIC)] == _DUCKDB_MAGIC:
        return "it is a DuckDB database"
    if not head:
        return "it is empty"
    text = head.decode("utf-8", "ignore")
    if text and sum(c.isprintable() or c.isspace() for c in text) >= 0.95 * len(text):
        return "it is a text file"
    return "it is another kind of file"


def check_database_file(path: str | os.PathLike[str], kind: str) -> None:
    """Raise :class:`~unionie.errors.OutputError` (U309) unless ``path`` is missing or a
    ``kind`` (``"sqlite"``/``"duckdb"``) database, judged by its first bytes only.

    The file is never opened by a database library before this check, so a text file, a
    document or the other kind of database at the output path is refused untouched (SQLite
    would otherwise fail midway, DuckDB try to load an extension). An empty file is a new
    SQLite database (as for SQLite itself) but not a DuckDB one.
    """
    p = os.fspath(path)
    if not os.path.lexists(p):
        return  # a new database (or ":memory:")
    name = _KIND_NAMES.get(kind, kind)
    if os.path.isdir(p):
        raise OutputError(f"{p} is a directory, not a {name} database file; choose a file name", path=p)
    try:
        with open(p, "rb") as f:
            head = f.read(64)
    except OSError as e:
        raise OutputError(f"cannot read {p} to check it is a {name} database: {e.strerror or e}", path=p) from None
    if kind == "sqlite" and (not head or head.startswith(_SQLITE_MAGIC)):
        return
    if kind == "duckdb" and head[_DUCKDB_MAGIC_AT:_DUCKDB_MAGIC_AT + len(_DUCKDB_MAGIC)] == _DUCKDB_MAGIC:
        return
    raise OutputError(f"{p} exists and is not a {name} database ({_what_file(head)}); unionie appends only "
                      "to a database of the kind the file name says and leaves any other file untouched: "
                      "choose another output name, or move the file away", path=p)


def _connect(target: Any, kind: str) -> tuple[Any, bool]:
    if not isinstance(target, (str, os.PathLike)):
        return target, False
    check_database_file(target, kind)  # before any library opens (and could change) the file
    if kind == "sqlite":
        return sqlite3.connect(os.fspath(target)), True
    duckdb = require("duckdb", "sql", "unionie.io.sql.to_sql with DuckDB")
    return duckdb.connect(os.fspath(target), config=dict(DUCKDB_CONFIG)), True


def _optional_pyarrow() -> Any:
    try:
        import pyarrow
    except ImportError:
        return None
    return pyarrow


def _batches(it: Iterable[Mapping[str, Any]], n: int) -> Iterator[list[Mapping[str, Any]]]:
    it = iter(it)
    while batch := list(islice(it, n)):
        yield batch


def _table_rows(table: str, doc: Mapping[str, Any], include_text: bool) -> Iterator[tuple[Any, ...]]:
    level, cols, _, _ = TABLES[table]
    for row in rows(level, doc):
        if table == "documents":
            text = doc.get("text")
            row = {**row, "text": text if include_text and isinstance(text, str) else None}
        yield tuple(row[n] for n, _ in cols)


def _insert(con: Any, kind: str, table: str, values: list[tuple[Any, ...]], pa: Any = None) -> None:
    if not values:
        return
    cols = TABLES[table][1]
    names = ", ".join(_q(n) for n, _ in cols)
    if kind == "sqlite":
        con.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' for _ in cols)})", values)
        return
    if pa is not None:
        # DuckDB binds parameters slowly; an Arrow batch is ~30x faster.
        arrow_types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}
        schema = pa.schema([(n, arrow_types[k]) for n, k in cols])
        batch = pa.Table.from_arrays(
            [pa.array([row[i] for row in values], type=schema.field(i).type) for i in range(len(cols))],
            schema=schema)
        view = f"_unionie_{table}_batch"
        con.register(view, batch)
        try:
            con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {view}")
        finally:
            con.unregister(view)
        return
    one = "(" + ", ".join("?" for _ in cols) + ")"
    for i in range(0, len(values), _DUCKDB_ROWS_PER_INSERT):
        chunk = values[i:i + _DUCKDB_ROWS_PER_INSERT]
        con.execute(f"INSERT INTO {table} ({names}) VALUES " + ", ".join([one] * len(chunk)),
                    [v for row in chunk for v in row])


def _existing(con: Any, ids: list[str]) -> set[str]:
    if not ids:
        return set()
    found: set[str] = set()
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        cur = con.execute(
            "SELECT doc_id FROM documents WHERE doc_id IN (" + ", ".join("?" for _ in chunk) + ")",
            chunk,
        )
        found.update(r[0] for r in cur.fetchall())
    return found


def to_sql(docs: Iterable[Any], connection_or_path: Any, *, kind: str | None = None,
           include_text: bool = False) -> int:
    """Append documents to the normalized tables; return how many were written.

    ``connection_or_path`` is an open ``sqlite3`` or ``duckdb`` connection (left open,
    committed after each batch) or a file path (``.sqlite``/``.sqlite3``/``.db`` for
    SQLite, ``.duckdb``/``.ddb`` for DuckDB; opened and closed here). ``kind``
    (``"sqlite"`` or ``"duckdb"``) overrides the guess. Tables and indexes are created
    when missing.

    Documents whose ``doc_id`` is already stored, or repeated in ``docs``, are
    skipped (never duplicated, never updated); the return value counts only the new
    ones. Every document needs a ``doc_id``. ``include_text=True`` also stores each
    document's text in ``documents.text``. A file at the path that is not a database of
    that kind (a text file, the other kind) raises :class:`~unionie.errors.OutputError`
    (U309) before anything opens it, and stays untouched.
    """
    kind = _detect_kind(connection_or_path, kind)
    con, owned = _connect(connection_or_path, kind)
    pa = _optional_pyarrow() if kind == "duckdb" else None
    written = 0
    try:
        if kind == "duckdb":
            con.execute("BEGIN TRANSACTION")
        for stmt in _ddl(kind):
            con.execute(stmt)
        con.commit()
        seen: set[str] = set()
        for batch in _batches(iter_dicts(docs), _DOCS_PER_BATCH):
            fresh = []
            for doc in batch:
                doc_id = doc.get("doc_id")
                if doc_id is None or doc_id == "":
                    raise InputError(
                        "to_sql needs a doc_id on every document (it is the primary key); "
                        "pass doc_id= when extracting"
                    )
                doc_id = str(doc_id)
                if doc_id not in seen:
                    seen.add(doc_id)
                    fresh.append(doc)
            stored = _existing(con, [str(d.get("doc_id")) for d in fresh])
            fresh = [d for d in fresh if str(d.get("doc_id")) not in stored]
            if not fresh:
                continue
            try:
                if kind == "duckdb":
                    con.execute("BEGIN TRANSACTION")
                for table in TABLES:  # parents before children
                    _insert(con, kind, table,
                            [r for d in fresh for r in _table_rows(table, d, include_text)], pa)
                con.commit()
            except BaseException:
                with suppress(Exception):
                    con.rollback()
                raise
            written += len(fresh)
    finally:
        if owned:
            con.close()
    return written

"""The activity table written as JSON Lines, CSV, Parquet, SQLite or DuckDB, and as a DataFrame."""
from __future__ import annotations

import csv
import json
import sqlite3
from typing import Any, Iterable

from ..io.records import require
from .html import write_activities_html
from .join import Activity

__all__ = ["COLUMNS", "MENTION_COLUMNS", "activity_rows", "mention_rows", "to_frame", "write_activities"]

#: (column, kind) of the flat activity table (CSV, Parquet, SQL, DataFrame)
COLUMNS = [
    ("activity_id", "str"), ("type", "str"), ("organizer", "str"), ("organizer_region", "str"),
    ("organizer_code", "str"), ("organizer_level", "str"), ("organizer_resolved", "bool"),
    ("organizer_source", "str"), ("year", "int"), ("month", "int"), ("period", "str"),
    ("time_source", "str"), ("name", "str"), ("is_total", "bool"), ("amount_cny", "float"),
    ("n_mentions", "int"), ("n_documents", "int"), ("figures", "str"), ("mentions", "str"),
    ("joined", "str"),
]
MENTION_COLUMNS = [("activity_id", "str"), ("doc_id", "str"), ("event", "int"), ("start", "int"),
                   ("end", "int"), ("text", "str"), ("is_total", "bool")]


def activity_rows(acts: Iterable[Activity]) -> Iterable[dict[str, Any]]:
    for a in acts:
        d = a.to_dict()
        o = d["organizer"]
        money = a.money()
        yield {"activity_id": a.id, "type": a.type, "organizer": o["name"], "organizer_region": o["region"],
               "organizer_code": o["code"], "organizer_level": o["level"], "organizer_resolved": o["resolved"],
               "organizer_source": o["source"], "year": d["year"], "month": d["month"], "period": d["period"],
               "time_source": d["time_source"], "name": d["name"], "is_total": d["is_total"],
               "amount_cny": None if money is None else float(money), "n_mentions": len(a.mentions),
               "n_documents": len({m.doc_id for m in a.mentions}),
               "figures": json.dumps(d["figures"], ensure_ascii=False),
               "mentions": json.dumps(d["mentions"], ensure_ascii=False),
               "joined": json.dumps(d["joined"], ensure_ascii=False)}


def mention_rows(acts: Iterable[Activity]) -> Iterable[dict[str, Any]]:
    for a in acts:
        for m in a.mentions:
            yield {"activity_id": a.id, "doc_id": m.doc_id, "event": m.event, "start": m.start, "end": m.end,
                   "text": m.text, "is_total": m.is_total}


_PD = {"str": "string", "int": "Int64", "float": "Float64", "bool": "boolean"}


def to_frame(acts: Iterable[Activity]) -> Any:
    """The activity table as a pandas DataFrame (nullable dtypes, as ``to_dataframe``)."""
    pd = require("pandas", "data", "to_dataframe(level='activities')")
    rows = list(activity_rows(acts))
    return pd.DataFrame({c: pd.array([r[c] for r in rows], dtype=_PD[k]) for c, k in COLUMNS})


def _sql(acts: list[Activity], path: str, kind: str) -> None:
    if kind == "sqlite":
        con: Any = sqlite3.connect(path)
        types = {"str": "TEXT", "int": "INTEGER", "float": "REAL", "bool": "INTEGER"}
    else:
        con = require("duckdb", "sql", "unionie activities with DuckDB").connect(path)
        types = {"str": "VARCHAR", "int": "BIGINT", "float": "DOUBLE", "bool": "BOOLEAN"}
    try:
        for table, cols, rows in (("activities", COLUMNS, list(activity_rows(acts))),
                                  ("activity_mentions", MENTION_COLUMNS, list(mention_rows(acts)))):
            con.execute(f"DROP TABLE IF EXISTS {table}")
            con.execute(f"CREATE TABLE {table} (" + ", ".join(f'"{c}" {types[k]}' for c, k in cols) + ")")
            if rows:
                con.executemany(f"INSERT INTO {table} VALUES (" + ", ".join("?" for _ in cols) + ")",
                                [tuple(r[c] for c, _ in cols) for r in rows])
        con.commit()
    finally:
        con.close()


def write_activities(acts: list[Activity], path: str, fmt: str) -> int:
    """Write the activities to ``path`` in ``fmt`` (jsonl, csv, parquet, sqlite, duckdb, html); the number written.

    SQL output replaces the tables ``activities`` and ``activity_mentions`` (the table is a
    view of the whole collection: it is rebuilt, not appended to)."""
    if fmt == "jsonl":
        with open(path, "w", encoding="utf-8") as f:
            for a in acts:
                f.write(json.dumps(a.to_dict(), ensure_ascii=False) + "\n")
    elif fmt == "csv":
        with open(path, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow([c for c, _ in COLUMNS])
            for r in activity_rows(acts):
                w.writerow(["" if r[c] is None else r[c] for c, _ in COLUMNS])
    elif fmt == "parquet":
        to_frame(acts).to_parquet(path, index=False)
    elif fmt in ("sqlite", "duckdb"):
        _sql(acts, path, fmt)
    elif fmt == "html":
        write_activities_html(acts, path)
    else:
        raise ValueError(f"unknown output format {fmt!r}")
    return len(acts)

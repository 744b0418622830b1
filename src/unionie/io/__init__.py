"""Readers and writers: encodings in, JSON Lines / CSV / Parquet / SQLite / DuckDB out.

The HTML report is rendering: :func:`unionie.render.write_report` (``unionie.write_report``).

Importing this package loads none of pandas, pyarrow or duckdb; they are imported
by the functions that need them (extras ``unionie[data]`` and ``unionie[sql]``).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from .readers import decode_bytes, iter_paths, read_text
from .sql import to_sql
from .tables import to_dataframe, write_csv, write_jsonl, write_parquet

__all__ = ["read_text", "decode_bytes", "iter_paths", "to_dataframe", "write_jsonl", "write_csv",
           "write_parquet", "to_sql", "write"]


def write(docs: Iterable[Any], path: str | Path, *, fmt: str, level: str = "events") -> int:
    """Write documents to ``path`` in ``fmt`` (jsonl, csv, parquet, sqlite, duckdb)."""
    if fmt == "jsonl":
        return write_jsonl(docs, path)
    if fmt == "csv":
        return write_csv(docs, path, level=level)
    if fmt == "parquet":
        return write_parquet(docs, path, level=level)
    if fmt in ("sqlite", "duckdb"):
        return to_sql(docs, path, kind=fmt)
    raise ValueError(f"unknown output format {fmt!r}")

"""What the commands of ``unionie`` share: exit codes, the failure record, option checks,
the input walk, the user's pipeline and the progress bar."""
from __future__ import annotations

import codecs
import datetime as _dt
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Iterator

import click

from ..api import load
from ..core import published_date
from ..errors import InputError, RuleError, UnionieError
from ..io.collection import Unread, iter_sources
from ..io.fetch import is_url
from ..io.sources import DEFAULT_GLOB

__all__ = ["EXIT_OK", "EXIT_SOME_FAILED", "EXIT_USAGE", "DEFAULT_GLOB", "FORMAT_BY_SUFFIX", "JSONL_SUFFIXES",
           "Failure", "parse_published", "check_paths", "check_encoding", "inputs", "count", "pipeline",
           "progress"]

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2

#: Output format implied by the output file's extension (else JSON Lines).
FORMAT_BY_SUFFIX = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet",
                    ".pq": "parquet", ".sqlite": "sqlite", ".sqlite3": "sqlite", ".db": "sqlite",
                    ".duckdb": "duckdb", ".ddb": "duckdb"}
JSONL_SUFFIXES = (".jsonl", ".ndjson")


class Failure:
    """An input that failed: named on stderr and as one line of the errors file."""

    def __init__(self, source: str, error: str, *, doc_id: str | None = None, code: str | None = None,
                 offset: int | None = None) -> None:
        self.source, self.error = source, error
        self.doc_id, self.code, self.offset = doc_id, code, offset

    @classmethod
    def of(cls, source: str, exc: BaseException, doc_id: str | None = None) -> "Failure":
        code = exc.code if isinstance(exc, UnionieError) else None
        return cls(source, str(exc), doc_id=doc_id, code=code, offset=getattr(exc, "offset", None))

    def record(self) -> dict[str, Any]:
        """The errors-file line (docs/errors.md): source, doc_id, code, error[, offset]."""
        rec: dict[str, Any] = {"source": self.source, "doc_id": self.doc_id, "code": self.code,
                               "error": self.error}
        if self.offset is not None:
            rec["offset"] = self.offset
        return rec


def parse_published(ctx: click.Context, param: click.Parameter | None, value: str | None) -> _dt.date | None:
    """The ``--published`` callback: an ISO date (read by :func:`unionie.core.published_date`,
    the one parser of a publication date), or a usage error."""
    try:
        return published_date(value)
    except InputError:
        raise click.BadParameter(f"{value!r} is not an ISO date such as 2019-05-05",
                                 param_hint=None if param is not None else "--published") from None


def check_paths(paths: tuple[str, ...]) -> None:
    """A usage error for a missing input, before any output file is opened (or truncated)."""
    for p in paths:
        if p != "-" and not is_url(p) and not Path(p).exists():
            raise click.UsageError(f"no such file or directory: {p}")


def check_encoding(encoding: str) -> None:
    """A usage error (exit 2) for an encoding name Python does not know."""
    if encoding == "auto":
        return
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise click.BadParameter(f"unknown encoding {encoding!r}", param_hint="--encoding") from None


def inputs(paths: tuple[str, ...], glob: str, encoding: str, skip: set[str],
           sources: dict[str, str] | None = None, read_as: dict[str, Any] | None = None,
           file_dates: bool = False, skipped: list[str] | None = None) -> Iterator[Any]:
    """Yield (text, doc_id, date the file states) triples or Failure objects, lazily, in a
    stable order: files of every format, folders, URLs and - (``unionie.io.collection.iter_sources``).

    ``sources`` (when given) maps each yielded doc_id to the file it came from, ``read_as``
    to its ``unionie.io.sources.Source``; ``skipped`` (when given) receives the doc_ids left
    out because they are in ``skip``.
    """
    for item in iter_sources(paths, glob=glob, encoding=encoding, skip=skip, use_file_date=file_dates,
                             skipped=skipped,
                             stdin=sys.stdin.buffer if "-" in paths else None):
        if isinstance(item, Unread):
            yield Failure.of(item.source, item.error, item.doc_id)
            continue
        doc_id, src = item
        if sources is not None:
            sources[doc_id] = str(src.path)
        if read_as is not None:
            read_as[doc_id] = src
        yield (src.text, doc_id, src.published)


def count(n: int, noun: str) -> str:
    """``1 document``, ``2 documents``, ``0 errors``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def by_type(counts: Counter[str]) -> str:
    """``meeting 2, subsidy 1`` (or ``none``)."""
    return ", ".join(f"{t} {n}" for t, n in sorted(counts.items())) or "none"


def pipeline(rules: tuple[str, ...]) -> Any:
    """The pipeline with the user rule packs of ``--rules`` (None: the default one); a
    missing or malformed pack is a usage error naming it (exit 2)."""
    if not rules:
        return None
    try:
        return load(rules=list(rules))
    except RuleError as e:
        raise click.UsageError(str(e)) from None


def progress(total: int | None) -> Any:
    """A tqdm bar on stderr when it is a terminal, else None."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", file=sys.stderr, dynamic_ncols=True)

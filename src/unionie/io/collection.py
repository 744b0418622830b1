"""Reading a collection: files of every format, folders, URLs and standard input, lazily
and in a stable order (:func:`iter_sources`, what the command line reads), and the
provenance a document gets from its file (:func:`attach`). One file is read by
:mod:`unionie.io.sources`; a URL is fetched by :mod:`unionie.io.fetch`."""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DuplicateIdError, UnionieError
from .fetch import fetch, is_url, url_doc_id
from .readers import iter_paths
from .sources import DEFAULT_GLOB, Source, read, read_bytes

__all__ = ["iter_sources", "attach", "published_from", "duplicate_stems", "Unread"]


def published_from(argument: Any, src: Source, found: Any) -> str:
    """Where a document's ``published`` came from: ``argument`` (``--published`` /
    ``published=``, which wins), the file itself (``src.published_from``), ``text`` (the
    extractor read a 发布时间 line in the text), else ``none``."""
    if argument is not None:
        return "argument"
    if src.published is not None:
        return src.published_from
    return "text" if found else "none"


def duplicate_stems(files: list[Any]) -> dict[Any, str]:
    """Files that share a stem (so a doc_id) with another: each mapped to the error naming
    all of them. ``"-"`` (stdin) is left out."""
    by_stem: dict[str, list[Any]] = {}
    for f in files:
        if f != "-":
            by_stem.setdefault(Path(f).stem, []).append(f)
    out: dict[Any, str] = {}
    for stem, group in by_stem.items():
        if len(group) > 1:
            names = ", ".join(os.fspath(g) for g in group)
            for g in group:
                out[g] = f"{len(group)} files have the doc_id {stem!r} (their stem): {names}; rename all but one"
    return out


def attach(doc: Any, src: Source, argument: Any = None) -> Any:
    """``doc`` (a :class:`~unionie.Document`) with its ``source`` set from ``src``."""
    return dataclasses.replace(doc, source=src.provenance(published_from(argument, src, doc.published)))


@dataclass(frozen=True)
class Unread:
    """An input that could not be read: its name, the doc_id it would have had, the error."""

    source: str
    doc_id: str | None
    error: BaseException


def iter_sources(paths: Any, *, glob: str = DEFAULT_GLOB, encoding: str = "auto", skip: Any = (),
                 use_file_date: bool = False, stdin: Any = None, skipped: list[str] | None = None) -> Any:
    """Read files, folders (recursively, files matching ``glob``), URLs and ``"-"`` (the
    bytes of ``stdin``), lazily, in a stable order: yields ``(doc_id, Source)`` for each
    document read and :class:`Unread` for each that is not (two files with one stem are
    both Unread). doc_ids in ``skip`` are passed over (and appended to ``skipped`` when
    given). This is what the command line reads.

    :raises InputError: a path does not exist (before anything is yielded).
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    files: list[Any] = []
    for p in paths:
        if p == "-" or is_url(p):
            files.append(p)
        else:
            files.extend(iter_paths([p], glob=glob))
    clash = duplicate_stems([f for f in files if not is_url(f)])
    return _sources(files, clash, encoding, set(skip), use_file_date, stdin, skipped)


def _sources(files: list[Any], clash: dict[Any, str], encoding: str, skip: set[str], use_file_date: bool,
             stdin: Any, skipped: list[str] | None = None) -> Any:
    for f in files:
        if f == "-":
            name, doc_id = "<stdin>", "stdin"
        elif is_url(f):
            name, doc_id = f, url_doc_id(f)
        else:
            name, doc_id = str(f), Path(f).stem
        if doc_id in skip:
            if skipped is not None:
                skipped.append(doc_id)
            continue
        if f in clash:
            yield Unread(name, doc_id, DuplicateIdError(clash[f]))
            continue
        try:
            if f == "-":
                src = read_bytes(stdin.read() if stdin is not None else b"", name, encoding=encoding,
                                 use_file_date=use_file_date)
            elif is_url(f):
                src = fetch(f, encoding=encoding)
            else:
                src = read(f, encoding=encoding, use_file_date=use_file_date)
        except (UnionieError, OSError, UnicodeDecodeError, LookupError) as e:
            yield Unread(name, doc_id, e)
            continue
        yield doc_id, src

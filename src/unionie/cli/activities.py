"""``unionie activities`` and ``unionie summarize``: the activities of a collection, and their totals
(both read report texts or ``unionie extract --include-text`` JSON Lines, :func:`_documents`)."""
from __future__ import annotations

import datetime as _dt
import json
import sys
from pathlib import Path
from typing import Any, Iterator

import click

from ..activity.collect import activities
from ..activity.records import document_from_dict
from ..activity.summary import KEYS, format_summary, plot_summary, summarize
from ..activity.writers import write_activities
from ..errors import InputError
from ..io.collection import Unread, attach, iter_sources
from ..io.sources import DEFAULT_GLOB
from ..parallel import ExtractionFailure, extract_or_failure, parallel_map
from . import common as ucli

__all__ = ["activities_cmd", "summarize_cmd"]


def _documents(paths: tuple[str, ...], glob: str, encoding: str, published: _dt.date | None, jobs: int,
               failures: list[Any]) -> Iterator[Any]:
    """Documents from report texts (extracted here) or from ``unionie extract --include-text`` JSON Lines."""
    jsonl = [p for p in paths if p.lower().endswith((".jsonl", ".ndjson"))]
    texts = tuple(p for p in paths if p not in jsonl)
    for p in jsonl:
        for n, line in enumerate(Path(p).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                yield document_from_dict(json.loads(line), n)
            except Exception as e:  # noqa: BLE001 - a bad record is named and skipped
                failures.append(ucli.Failure.of(f"{p}:{n}", e))
                click.echo(f"unionie: error: {p}:{n}: {e}", err=True)
    if not texts:
        return

    read_as: dict[str, Any] = {}  # doc_id -> what the reader found (format, title, date)

    def triples() -> Iterator[tuple[str, str | None, Any]]:
        try:
            for item in iter_sources(texts, glob=glob, encoding=encoding):
                if isinstance(item, Unread):
                    failures.append(ucli.Failure.of(item.source, item.error, item.doc_id))
                    click.echo(f"unionie: error: {item.source}: {item.error}", err=True)
                    continue
                doc_id, src = item
                read_as[doc_id] = src
                yield src.text, doc_id, src.published
        except InputError as e:
            raise click.UsageError(str(e)) from None

    results: Iterator[Any]
    if jobs > 1:
        results = parallel_map(triples(), n_process=jobs, published=published, on_error="return")
    else:
        results = (extract_or_failure(text, doc_id, published or own) for text, doc_id, own in triples())
    for r in results:
        if isinstance(r, ExtractionFailure):
            failures.append(ucli.Failure(str(r.doc_id), r.error, doc_id=r.doc_id, code=r.code))
            click.echo(f"unionie: error: {r.doc_id}: {r.error}", err=True)
            continue
        src = read_as.pop(str(r.doc_id), None)
        yield attach(r, src, published) if src is not None else r


_common = [
    click.option("--jobs", "-j", type=click.IntRange(1, 256), default=1, show_default=True,
                 help="Processes that extract (this one and N-1 workers)."),
    click.option("--published", default=None, help="Publication date (ISO) when the texts do not state one."),
    click.option("--encoding", default="auto", show_default=True, help="Input encoding, or auto-detect."),
    click.option("--glob", "glob", default=DEFAULT_GLOB, show_default=True,
                 help="Files to read in folders (every supported format, as for extract)."),
]


def _with_common(f: Any) -> Any:
    for opt in reversed(_common):
        f = opt(f)
    return f


def _prepare(paths: tuple[str, ...], encoding: str, published: str | None) -> _dt.date | None:
    ucli.check_paths(paths)
    ucli.check_encoding(encoding)
    return ucli.parse_published(click.get_current_context(), None, published)


@click.command("activities", short_help="Count each activity once across a collection.")
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="Output file: .jsonl, .csv, .parquet, .sqlite/.db, .duckdb, .html.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet", "sqlite", "duckdb", "html"]),
              default=None, help="Output format (default: from the output's extension, else jsonl).")
@_with_common
@click.option("--quiet", "-q", is_flag=True, help="No summary on stderr.")
def activities_cmd(paths: tuple[str, ...], output: str, fmt: str | None, jobs: int, published: str | None,
                   encoding: str, glob: str, quiet: bool) -> None:
    """Join the events of report texts (files, folders) or of `unionie extract --include-text`
    JSON Lines into activities, each reported activity once, with its mentions and why they
    were joined; near-duplicate documents (reposts) are named on stderr.

    \b
    Examples:
      unionie activities corpus/reports -o activities.jsonl
      unionie activities reports/ news/ -o activities.duckdb
      unionie activities reports/ -o activities.html   # a page to look at
    """
    pub = _prepare(paths, encoding, published)
    if fmt is None:
        suffix = Path(output).suffix.lower()
        fmt = "html" if suffix in (".html", ".htm") else ucli.FORMAT_BY_SUFFIX.get(suffix, "jsonl")
    failures: list[Any] = []
    dups: list[Any] = []
    seen = {"documents": 0, "events": 0}

    def counted() -> Iterator[Any]:  # documents stream through: only their mentions are kept
        for d in _documents(paths, glob, encoding, pub, jobs, failures):
            seen["documents"] += 1
            seen["events"] += len(d.events)
            yield d

    try:
        acts = activities(counted(), near_dups=dups)
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        write_activities(acts, output, fmt)
    except ImportError as e:  # an optional dependency (cpca, datasketch, pyarrow, duckdb) is missing
        click.echo(f"unionie: error: {e}", err=True)
        sys.exit(ucli.EXIT_USAGE)
    if not quiet:
        for d in dups:
            click.echo(f"unionie: near-duplicate: {d.copy} repeats {d.original} "
                       f"(resemblance {d.jaccard:.2f}, containment {d.containment:.2f})", err=True)
        click.echo(f"unionie: {seen['documents']} documents, {seen['events']} events, {len(acts)} activities, "
                   f"{len(dups)} near-duplicate documents, {len(failures)} errors; written to {output}",
                   err=True)
    sys.exit(ucli.EXIT_SOME_FAILED if failures else ucli.EXIT_OK)

@click.command("summarize", short_help="Totals of the activities by organizer, year, type.")
@click.argument("paths", nargs=-1, required=True)
@click.option("--by", "by", default="organizer,year,type", show_default=True,
              help="Group by these, comma-separated: organizer, year, type, level, region.")
@click.option("--plot", "plot", type=click.Path(dir_okay=False), default=None,
              help="Also draw money and activity counts per group to this PNG file.")
@click.option("--json", "as_json", is_flag=True, help="Print the rows as JSON Lines.")
@_with_common
def summarize_cmd(paths: tuple[str, ...], by: str, plot: str | None, as_json: bool, jobs: int,
                  published: str | None, encoding: str, glob: str) -> None:
    """Print totals of the activity table: activities, mentions, money in CNY and counts by
    unit per group. A total (全年共…) is not added to its parts, nor a parent union's total
    to its children's (docs/activities.md).

    \b
    Examples:
      unionie summarize corpus/reports
      unionie summarize corpus/reports --by year,type --plot totals.png
    """
    keys = tuple(k.strip() for k in by.split(",") if k.strip())
    bad = [k for k in keys if k not in KEYS]
    if bad or not keys:
        raise click.BadParameter(f"use some of {', '.join(KEYS)}", param_hint="--by")
    pub = _prepare(paths, encoding, published)
    failures: list[Any] = []
    try:
        acts = activities(_documents(paths, glob, encoding, pub, jobs, failures))
    except ImportError as e:
        click.echo(f"unionie: error: {e}", err=True)
        sys.exit(ucli.EXIT_USAGE)
    rows = summarize(acts, keys)
    if as_json:
        for r in rows:
            click.echo(json.dumps(r.to_dict(keys), ensure_ascii=False))
    else:
        click.echo(format_summary(rows, keys))
    if plot:
        try:
            plot_summary(rows, keys, plot)
        except ImportError as e:
            click.echo(f"unionie: error: {e}", err=True)
            sys.exit(ucli.EXIT_USAGE)
    sys.exit(ucli.EXIT_SOME_FAILED if failures else ucli.EXIT_OK)

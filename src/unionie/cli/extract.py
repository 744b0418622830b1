"""``unionie extract``: files, folders, URLs or stdin → JSON Lines, CSV, Parquet, SQLite, DuckDB."""
from __future__ import annotations

import datetime as _dt
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Iterator, TextIO

import click

from .. import io as uio
from ..errors import InputError, OutputError
from ..io.collection import attach
from ..io.sql import check_database_file
from ..parallel import ExtractionFailure, extract_or_failure, parallel_map
from .common import (DEFAULT_GLOB, EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, FORMAT_BY_SUFFIX, Failure, by_type,
                     check_encoding, check_paths, count, inputs, parse_published, pipeline, progress)

__all__ = ["extract"]


@click.command(short_help="Extract events to JSON Lines, CSV, Parquet, SQLite or DuckDB.")
@click.argument("paths", nargs=-1, required=False)
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False), default=None,
              help="Output file (default: standard output, JSON Lines).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet", "sqlite", "duckdb"]),
              default=None, help="Output format (default: from the output's extension, else jsonl).")
@click.option("--level", type=click.Choice(["events", "arguments", "quantities", "entities", "dates",
                                           "documents"]),
              default="events", show_default=True, help="Table written by --format csv/parquet.")
@click.option("--jobs", "-j", type=click.IntRange(1, 256), default=1, show_default=True,
              help="Processes that extract (this one and N-1 workers).")
@click.option("--published", callback=parse_published, default=None,
              help="Publication date (ISO) for relative dates, when the texts do not state one.")
@click.option("--encoding", default="auto", show_default=True, help="Input encoding, or auto-detect.")
@click.option("--glob", "glob", default=None,
              help="Files to read in folders  [default: every supported format, " + DEFAULT_GLOB + "]")
@click.option("--urls", "urls_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="A file of URLs to fetch and read, one a line (# comments).")
@click.option("--file-dates", is_flag=True,
              help="Take a Word or PDF file's created date as its publication date when nothing else gives one.")
@click.option("--resume", is_flag=True, help="Skip doc_ids already in the JSON Lines output.")
@click.option("--errors-file", type=click.Path(dir_okay=False), default=None,
              help="Where failed inputs are listed (default: OUTPUT.errors.jsonl).")
@click.option("--include-text", is_flag=True,
              help="Keep each document's text: a \"text\" key in JSON Lines (so `unionie report "
                   "--from-jsonl` can highlight it), documents.text in sqlite/duckdb.")
@click.option("--rules", "rules", multiple=True, type=click.Path(),
              help="A user rule pack (a YAML file or a folder of them) on top of the bundled "
                   "event types; repeatable. Works with --jobs.")
@click.option("--quiet", "-q", is_flag=True, help="No summary on stderr.")
@click.option("--verbose", "-v", is_flag=True, help="A line per document on stderr (events by type).")
def extract(paths: tuple[str, ...], output: str | None, fmt: str | None, level: str, jobs: int,
            published: _dt.date | None, encoding: str, glob: str | None, resume: bool, errors_file: str | None,
            quiet: bool, verbose: bool, include_text: bool = False, file_dates: bool = False,
            urls_file: str | None = None, rules: tuple[str, ...] = ()) -> None:
    """Extract events from files, folders (recursive), URLs or - (standard input).

    One SCHEMA.md object per document (doc_id = file stem), written as each
    document finishes. Text, Markdown, web pages, Word files and PDFs are read
    (docs/formats.md); each document's "source" says where it came from. A file that cannot be read is reported and skipped.
    --format csv/parquet write one table (--level); sqlite/duckdb write the
    normalized tables of docs/database.md and append without duplicating a
    doc_id already stored. The format follows the output's extension (.jsonl
    .csv .parquet .sqlite .sqlite3 .db .duckdb .ddb) unless --format is given.

    \b
    Examples:
      unionie extract corpus/reports -o events.jsonl
      unionie extract corpus/reports -o events.parquet --jobs 2
      unionie extract corpus/reports -o reports.duckdb
      unionie extract reports/ --rules my_rules.yaml -j 2 -o events.jsonl
      cat report.txt | unionie extract -

    Exit codes: 0 ok, 1 some inputs failed (named on stderr and in the errors
    file; the others are written), 2 usage error.
    """
    paths = _with_urls(paths, urls_file)
    fmt = _output_format(output, fmt, resume, include_text)
    check_paths(paths)
    check_encoding(encoding)
    nlp = pipeline(rules)
    if output and fmt in ("sqlite", "duckdb"):
        _check_database(output, fmt)
    try:
        skip = _done_ids(Path(output)) if (resume and output) else set()
    except OSError as e:
        raise click.UsageError(f"cannot read {output}: {e}") from None
    err_path = errors_file or (f"{output}.errors.jsonl" if output else None)
    if err_path:
        Path(err_path).unlink(missing_ok=True)  # a stale list from an earlier run would mislead
    run = _Run(err_path, verbose)
    skipped: list[str] = []  # inputs left out by --resume

    def docs() -> Iterator[Any]:
        return _documents(run, paths, glob or DEFAULT_GLOB, encoding, skip, skipped, file_dates, jobs,
                          published, nlp)

    written = _write(run, docs, output, fmt, level, resume, include_text)
    if not quiet:
        click.echo(_extract_summary(run.n_docs, run.counts, len(run.failures), output,
                                    skipped if resume else None, written), err=True)
    sys.exit(EXIT_SOME_FAILED if run.failures else EXIT_OK)


def _with_urls(paths: tuple[str, ...], urls_file: str | None) -> tuple[str, ...]:
    """The PATHs and the URLs of ``--urls FILE``; a usage error when there is none."""
    if urls_file:
        lines = Path(urls_file).read_text(encoding="utf-8-sig").splitlines()
        paths = tuple(paths) + tuple(u.strip() for u in lines if u.strip() and not u.lstrip().startswith("#"))
    if not paths:
        raise click.UsageError("Missing argument 'PATHS...': give files, folders, URLs or -, or --urls FILE")
    return paths


def _output_format(output: str | None, fmt: str | None, resume: bool, include_text: bool) -> str:
    """The output format (``--format``, else the output's extension, else jsonl), checked
    against the options that need one."""
    if fmt is None:
        ext = Path(output).suffix.lower() if output else ""
        fmt = FORMAT_BY_SUFFIX.get(ext, "jsonl")
    if fmt != "jsonl" and not output:
        raise click.UsageError(f"--format {fmt} needs -o OUTPUT")
    if resume and fmt != "jsonl":
        raise click.UsageError("--resume works with JSON Lines output")
    if include_text and fmt in ("csv", "parquet"):
        raise click.UsageError("--include-text works with jsonl, sqlite and duckdb output")
    return fmt


class _Run:
    """One run's bookkeeping: the failures (on stderr and in the errors file, opened at
    the first one), the documents and events counted, the progress bar."""

    def __init__(self, err_path: str | None, verbose: bool) -> None:
        self.err_path, self.verbose = err_path, verbose
        self.failures: list[Failure] = []
        self.err_out: list[TextIO] = []
        self.counts: Counter[str] = Counter()
        self.n_docs = 0
        self.bar = progress(None)

    def fail(self, f: Failure) -> None:
        """Name a failed input on stderr and in the errors file, at once (an interrupted run keeps it)."""
        self.failures.append(f)
        click.echo(f"unionie: error: {f.source}: {f.error}", err=True)
        if self.err_path:
            if not self.err_out:
                Path(self.err_path).parent.mkdir(parents=True, exist_ok=True)
                self.err_out.append(open(self.err_path, "w", encoding="utf-8"))
            self.err_out[0].write(json.dumps(f.record(), ensure_ascii=False) + "\n")
            self.err_out[0].flush()

    def counted(self, it: Iterator[Any]) -> Iterator[Any]:
        for d in it:
            self.n_docs += 1
            self.counts.update(e.type for e in d.events)
            if self.verbose:
                kinds = Counter(e.type for e in d.events)
                detail = ", ".join(f"{t} {n}" for t, n in sorted(kinds.items()))
                click.echo(f"{d.doc_id}: {len(d.events)} events ({detail}), {len(d.quantities)} quantities",
                           err=True)
            if self.bar is not None:
                self.bar.update(1)
            yield d

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        for ef in self.err_out:
            ef.close()


def _documents(run: _Run, paths: tuple[str, ...], glob: str, encoding: str, skip: set[str],
               skipped: list[str], file_dates: bool, jobs: int, published: _dt.date | None,
               nlp: Any) -> Iterator[Any]:
    """The extracted documents, in input order; an input that cannot be read, or whose
    extraction raises, is named and skipped (the batch goes on)."""
    sources: dict[str, str] = {}  # doc_id -> file, while the document is being extracted
    read_as: dict[str, Any] = {}  # doc_id -> what the reader found (format, title, date)

    def pairs() -> Iterator[tuple[str, str | None, Any]]:
        try:
            for item in inputs(paths, glob, encoding, skip, sources, read_as, file_dates, skipped):
                if isinstance(item, Failure):
                    run.fail(item)
                    continue
                yield item
        except InputError as e:
            raise click.UsageError(str(e)) from None

    if jobs > 1:
        results: Iterator[Any] = parallel_map(pairs(), n_process=jobs, published=published, on_error="return",
                                              nlp=nlp)
    else:
        results = (extract_or_failure(text, doc_id, published or own, nlp) for text, doc_id, own in pairs())
    for r in results:
        source = sources.pop(str(r.doc_id), str(r.doc_id))
        src = read_as.pop(str(r.doc_id), None)
        if isinstance(r, ExtractionFailure):
            run.fail(Failure(source, r.error, doc_id=r.doc_id, code=r.code))
            continue
        yield attach(r, src, published) if src is not None else r


def _write(run: _Run, docs: Callable[[], Iterator[Any]], output: str | None, fmt: str, level: str,
           resume: bool, include_text: bool) -> int | None:
    """Write the documents as they come; the documents a database output took (it skips
    doc_ids it has), else None. Ctrl-C leaves the documents written so far complete."""
    written: int | None = None
    try:
        if fmt == "jsonl":
            _write_jsonl(run.counted(docs()), output, resume, include_text)
        else:
            assert output is not None
            Path(output).parent.mkdir(parents=True, exist_ok=True)
            try:
                if fmt in ("sqlite", "duckdb"):
                    written = uio.to_sql(run.counted(docs()), output, kind=fmt, include_text=include_text)
                else:
                    uio.write(run.counted(docs()), output, fmt=fmt, level=level)
            except (ImportError, OutputError) as e:  # an optional dependency is missing; a wrong file at -o
                click.echo(f"unionie: error: {e}", err=True)
                sys.exit(EXIT_USAGE)
    except KeyboardInterrupt:
        click.echo("unionie: interrupted; the documents written so far are complete"
                   + ("; run again with --resume to go on" if output and fmt == "jsonl" else ""), err=True)
        sys.exit(130)
    finally:
        run.close()
    return written


def _write_jsonl(docs: Iterator[Any], output: str | None, resume: bool, include_text: bool) -> None:
    """One JSON object a line, flushed as each document finishes, to ``output`` or stdout."""
    out: TextIO
    close = False
    if output:
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        out = open(output, "a" if resume else "w", encoding="utf-8")
        close = True
    else:
        out = sys.stdout
    try:
        for d in docs:
            out.write(json.dumps(d.to_dict(include_text=include_text), ensure_ascii=False) + "\n")
            out.flush()
    finally:
        if close:
            out.close()


def _check_database(output: str, fmt: str) -> None:
    """Exit 2 unless the file at ``output`` is missing or a ``fmt`` database (it stays untouched)."""
    try:
        check_database_file(output, fmt)
    except OutputError as e:
        click.echo(f"unionie: error: {e}", err=True)
        sys.exit(EXIT_USAGE)


def _done_ids(out: Path) -> set[str]:
    """doc_ids already in a JSON Lines output; a trailing half-written line is cut off."""
    if not out.exists():
        return set()
    raw = out.read_bytes()
    if raw and not raw.endswith(b"\n"):
        cut = raw.rfind(b"\n") + 1
        with open(out, "r+b") as f:
            f.truncate(cut)
        raw = raw[:cut]
    ids = set()
    for line in raw.decode("utf-8", errors="replace").splitlines():
        if line.strip():
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(rec, dict) and rec.get("doc_id") is not None:
                ids.add(str(rec["doc_id"]))
    return ids


def _extract_summary(n_docs: int, counts: Counter[str], n_errors: int, output: str | None,
                     skipped: list[str] | None, written: int | None = None) -> str:
    """The last line of `unionie extract`; with --resume, how many inputs were already done;
    into a database (``written`` = the documents it took), how many it already had."""
    line = (f"unionie: {count(n_docs, 'document')}, {count(sum(counts.values()), 'event')} "
            f"({by_type(counts)}), {count(n_errors, 'error')}")
    if skipped is not None:
        line += f"; skipped {count(len(skipped), 'document')} already in {output} (--resume)"
    if written is not None and written < n_docs:  # a database keeps the documents it has
        return line + f"; {written} written, {n_docs - written} skipped (already in {output})"
    return line + (f"; written to {output}" if output else "")

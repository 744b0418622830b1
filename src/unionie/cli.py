"""The ``unionie`` command line.

Exit codes: 0 everything succeeded; 1 some inputs failed (they are named on stderr
and in the errors file, every other document is written); 2 usage error (bad
option, missing path, unreadable rule pack).
"""
from __future__ import annotations

import datetime as _dt
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Iterator, TextIO

import click

from . import __version__
from .errors import InputError, OutputError, RuleError, UnionieError

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
_DEFAULT_GLOB = "*.{txt,text,md,markdown,html,htm,xhtml,shtml,docx,pdf,doc}"  # = io.sources.DEFAULT_GLOB


class _Failure:
    """An input that failed: named on stderr and as one line of the errors file."""

    def __init__(self, source: str, error: str, *, doc_id: str | None = None, code: str | None = None,
                 offset: int | None = None) -> None:
        self.source, self.error = source, error
        self.doc_id, self.code, self.offset = doc_id, code, offset

    @classmethod
    def of(cls, source: str, exc: BaseException, doc_id: str | None = None) -> "_Failure":
        code = exc.code if isinstance(exc, UnionieError) else None
        return cls(source, str(exc), doc_id=doc_id, code=code, offset=getattr(exc, "offset", None))

    def record(self) -> dict[str, Any]:
        """The errors-file line (docs/errors.md): source, doc_id, code, error[, offset]."""
        rec: dict[str, Any] = {"source": self.source, "doc_id": self.doc_id, "code": self.code,
                               "error": self.error}
        if self.offset is not None:
            rec["offset"] = self.offset
        return rec


def _published(ctx: click.Context, param: click.Parameter, value: str | None) -> _dt.date | None:
    if value is None:
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO date such as 2019-05-05") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="unionie")
def main() -> None:
    """unionie: typed, normalized events from Chinese trade-union work reports.

    \b
    Examples:
      unionie extract corpus/reports -o events.jsonl       # one JSON object per report
      unionie extract corpus/reports -o reports.duckdb     # SQL tables (docs/database.md)
      unionie report corpus/reports -o report.html         # a page to look at
      unionie explain "新区总工会投入资金8.9万元，慰问困难职工家庭95户。"
      unionie eval --corpus corpus                         # precision, recall, F1

    Run `unionie COMMAND --help` for a command's options; docs/cli.md has them all.

    \b
    Exit codes:
      0  everything succeeded
      1  some inputs failed (named on stderr; every other document is written)
      2  usage error (bad option, missing path, unreadable rule pack)
    """


# -- extract ---------------------------------------------------------------------------
#: Output format implied by the output file's extension (else JSON Lines).
FORMAT_BY_SUFFIX = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet",
                    ".pq": "parquet", ".sqlite": "sqlite", ".sqlite3": "sqlite", ".db": "sqlite",
                    ".duckdb": "duckdb", ".ddb": "duckdb"}


def _check_paths(paths: tuple[str, ...]) -> None:
    """A usage error for a missing input, before any output file is opened (or truncated)."""
    from .io.fetch import is_url

    for p in paths:
        if p != "-" and not is_url(p) and not Path(p).exists():
            raise click.UsageError(f"no such file or directory: {p}")


def _inputs(paths: tuple[str, ...], glob: str, encoding: str, skip: set[str],
            sources: dict[str, str] | None = None, read_as: dict[str, Any] | None = None,
            file_dates: bool = False, skipped: list[str] | None = None) -> Iterator[Any]:
    """Yield (text, doc_id, date the file states) triples or _Failure objects, lazily, in a
    stable order: files of every format, folders, URLs and - (``unionie.io.collection.iter_sources``).

    ``sources`` (when given) maps each yielded doc_id to the file it came from, ``read_as``
    to its ``unionie.io.sources.Source``; ``skipped`` (when given) receives the doc_ids left
    out because they are in ``skip``.
    """
    from .io.collection import Unread, iter_sources

    for item in iter_sources(paths, glob=glob, encoding=encoding, skip=skip, use_file_date=file_dates,
                             skipped=skipped,
                             stdin=sys.stdin.buffer if "-" in paths else None):
        if isinstance(item, Unread):
            yield _Failure.of(item.source, item.error, item.doc_id)
            continue
        doc_id, src = item
        if sources is not None:
            sources[doc_id] = str(src.path)
        if read_as is not None:
            read_as[doc_id] = src
        yield (src.text, doc_id, src.published)


def _count(n: int, noun: str) -> str:
    """``1 document``, ``2 documents``, ``0 errors``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _extract_summary(n_docs: int, counts: Counter[str], n_errors: int, output: str | None,
                     skipped: list[str] | None, written: int | None = None) -> str:
    """The last line of `unionie extract`; with --resume, how many inputs were already done;
    into a database (``written`` = the documents it took), how many it already had."""
    by_type = ", ".join(f"{t} {n}" for t, n in sorted(counts.items())) or "none"
    line = (f"unionie: {_count(n_docs, 'document')}, {_count(sum(counts.values()), 'event')} ({by_type}), "
            f"{_count(n_errors, 'error')}")
    if skipped is not None:
        line += f"; skipped {_count(len(skipped), 'document')} already in {output} (--resume)"
    if written is not None and written < n_docs:  # a database keeps the documents it has
        return line + f"; {written} written, {n_docs - written} skipped (already in {output})"
    return line + (f"; written to {output}" if output else "")


def _check_encoding(encoding: str) -> None:
    """A usage error (exit 2) for an encoding name Python does not know."""
    if encoding == "auto":
        return
    import codecs

    try:
        codecs.lookup(encoding)
    except LookupError:
        raise click.BadParameter(f"unknown encoding {encoding!r}", param_hint="--encoding") from None


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


def _pipeline(rules: tuple[str, ...]) -> Any:
    """The pipeline with the user rule packs of ``--rules`` (None: the default one); a
    missing or malformed pack is a usage error naming it (exit 2)."""
    if not rules:
        return None
    from .api import load
    from .errors import RuleError

    try:
        return load(rules=list(rules))
    except RuleError as e:
        raise click.UsageError(str(e)) from None


def _progress(total: int | None) -> Any:
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", file=sys.stderr, dynamic_ncols=True)


@main.command(short_help="Extract events to JSON Lines, CSV, Parquet, SQLite or DuckDB.")
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
@click.option("--published", callback=_published, default=None,
              help="Publication date (ISO) for relative dates, when the texts do not state one.")
@click.option("--encoding", default="auto", show_default=True, help="Input encoding, or auto-detect.")
@click.option("--glob", "glob", default=None,
              help="Files to read in folders  [default: every supported format, " + _DEFAULT_GLOB + "]")
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
    from .io.collection import attach
    from .parallel import ExtractionFailure, extract_or_failure, parallel_map

    if urls_file:
        lines = Path(urls_file).read_text(encoding="utf-8-sig").splitlines()
        paths = tuple(paths) + tuple(u.strip() for u in lines if u.strip() and not u.lstrip().startswith("#"))
    if not paths:
        raise click.UsageError("Missing argument 'PATHS...': give files, folders, URLs or -, or --urls FILE")
    if fmt is None:
        ext = Path(output).suffix.lower() if output else ""
        fmt = FORMAT_BY_SUFFIX.get(ext, "jsonl")
    if fmt != "jsonl" and not output:
        raise click.UsageError(f"--format {fmt} needs -o OUTPUT")
    if resume and fmt != "jsonl":
        raise click.UsageError("--resume works with JSON Lines output")
    if include_text and fmt in ("csv", "parquet"):
        raise click.UsageError("--include-text works with jsonl, sqlite and duckdb output")
    _check_paths(paths)
    _check_encoding(encoding)
    nlp = _pipeline(rules)
    if output and fmt in ("sqlite", "duckdb"):
        _check_database(output, fmt)
    try:
        skip = _done_ids(Path(output)) if (resume and output) else set()
    except OSError as e:
        raise click.UsageError(f"cannot read {output}: {e}") from None
    failures: list[_Failure] = []
    err_path = errors_file or (f"{output}.errors.jsonl" if output else None)
    err_out: list[TextIO] = []  # the errors file, opened at the first failure
    if err_path:
        Path(err_path).unlink(missing_ok=True)  # a stale list from an earlier run would mislead
    sources: dict[str, str] = {}  # doc_id -> file, while the document is being extracted
    skipped: list[str] = []  # inputs left out by --resume
    read_as: dict[str, Any] = {}  # doc_id -> what the reader found (format, title, date)
    glob = glob or _DEFAULT_GLOB

    def fail(f: _Failure) -> None:
        """Name a failed input on stderr and in the errors file, at once (an interrupted run keeps it)."""
        failures.append(f)
        click.echo(f"unionie: error: {f.source}: {f.error}", err=True)
        if err_path:
            if not err_out:
                Path(err_path).parent.mkdir(parents=True, exist_ok=True)
                err_out.append(open(err_path, "w", encoding="utf-8"))
            err_out[0].write(json.dumps(f.record(), ensure_ascii=False) + "\n")
            err_out[0].flush()

    def pairs() -> Iterator[tuple[str, str | None, Any]]:
        try:
            for item in _inputs(paths, glob, encoding, skip, sources, read_as, file_dates, skipped):
                if isinstance(item, _Failure):
                    fail(item)
                    continue
                yield item
        except InputError as e:
            raise click.UsageError(str(e)) from None

    def docs() -> Iterator[Any]:
        # a document whose extraction raises is named and skipped; the batch goes on
        if jobs > 1:
            results: Iterator[Any] = parallel_map(pairs(), n_process=jobs, published=published, on_error="return",
                                                  nlp=nlp)
        else:
            results = (extract_or_failure(text, doc_id, published or own, nlp) for text, doc_id, own in pairs())
        for r in results:
            source = sources.pop(str(r.doc_id), str(r.doc_id))
            src = read_as.pop(str(r.doc_id), None)
            if isinstance(r, ExtractionFailure):
                fail(_Failure(source, r.error, doc_id=r.doc_id, code=r.code))
                continue
            yield attach(r, src, published) if src is not None else r

    counts: Counter[str] = Counter()
    n_docs = 0
    written: int | None = None  # documents a database output took (it skips doc_ids it has)
    bar = _progress(None)

    def counted(it: Iterator[Any]) -> Iterator[Any]:
        nonlocal n_docs
        for d in it:
            n_docs += 1
            counts.update(e.type for e in d.events)
            if verbose:
                kinds = Counter(e.type for e in d.events)
                detail = ", ".join(f"{t} {n}" for t, n in sorted(kinds.items()))
                click.echo(f"{d.doc_id}: {len(d.events)} events ({detail}), {len(d.quantities)} quantities",
                           err=True)
            if bar is not None:
                bar.update(1)
            yield d

    try:
        if fmt == "jsonl":
            out: TextIO
            close = False
            if output:
                Path(output).parent.mkdir(parents=True, exist_ok=True)
                out = open(output, "a" if resume else "w", encoding="utf-8")
                close = True
            else:
                out = sys.stdout
            try:
                for d in counted(docs()):
                    out.write(json.dumps(d.to_dict(include_text=include_text), ensure_ascii=False) + "\n")
                    out.flush()
            finally:
                if close:
                    out.close()
        else:
            from . import io as uio

            assert output is not None
            Path(output).parent.mkdir(parents=True, exist_ok=True)
            try:
                if fmt in ("sqlite", "duckdb"):
                    written = uio.to_sql(counted(docs()), output, kind=fmt, include_text=include_text)
                else:
                    uio.write(counted(docs()), output, fmt=fmt, level=level)
            except (ImportError, OutputError) as e:  # an optional dependency is missing; a wrong file at -o
                click.echo(f"unionie: error: {e}", err=True)
                sys.exit(EXIT_USAGE)
    except KeyboardInterrupt:
        click.echo("unionie: interrupted; the documents written so far are complete"
                   + ("; run again with --resume to go on" if output and fmt == "jsonl" else ""), err=True)
        sys.exit(130)
    finally:
        if bar is not None:
            bar.close()
        for ef in err_out:
            ef.close()
    if not quiet:
        click.echo(_extract_summary(n_docs, counts, len(failures), output, skipped if resume else None,
                                    written), err=True)
    sys.exit(EXIT_SOME_FAILED if failures else EXIT_OK)


def _check_database(output: str, fmt: str) -> None:
    """Exit 2 unless the file at ``output`` is missing or a ``fmt`` database (it stays untouched)."""
    from .io.sql import check_database_file

    try:
        check_database_file(output, fmt)
    except OutputError as e:
        click.echo(f"unionie: error: {e}", err=True)
        sys.exit(EXIT_USAGE)


# -- report ------------------------------------------------------------------------------
_JSONL_SUFFIXES = (".jsonl", ".ndjson")


def _jsonl_records(paths: tuple[str, ...], glob: str, failures: list[_Failure]) -> Iterator[dict[str, Any]]:
    """SCHEMA dicts from JSON Lines files, folders of them, or - (stdin), lazily, in order.

    A line that is not a document (a JSON object with ``events``) is a failure (named
    ``FILE:LINE``) and skipped. In folders, errors files (``*.errors.jsonl``) are left out.
    """
    from .io.readers import iter_paths

    def lines(path: str) -> Iterator[tuple[int, str]]:
        if path == "-":
            yield from enumerate(sys.stdin, 1)
            return
        with open(path, encoding="utf-8-sig") as f:
            yield from enumerate(f, 1)

    files: list[str] = []
    for p in paths:
        if p == "-" or not Path(p).is_dir():
            files.append(p)
        else:
            files.extend(str(f) for f in iter_paths([p], glob=glob) if not f.name.endswith(".errors.jsonl"))
    for path in files:
        name = "<stdin>" if path == "-" else path
        try:
            for lineno, line in lines(path):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as e:
                    rec, why = None, f"not JSON ({e.msg})"
                else:
                    why = "not a document (a JSON object with \"events\", as `unionie extract` writes)"
                if not isinstance(rec, dict) or "events" not in rec:
                    failures.append(_Failure(f"{name}:{lineno}", why))
                    click.echo(f"unionie: error: {name}:{lineno}: {why}", err=True)
                    continue
                yield rec
        except (OSError, UnicodeDecodeError) as e:
            failures.append(_Failure(name, str(e)))
            click.echo(f"unionie: error: {name}: {e}", err=True)


class _TextFinder:
    """Finds the text of a JSON Lines record: its own ``text``, else DOC_ID.txt under the
    --texts folders, else its ``source`` when that is a readable file."""

    def __init__(self, folders: tuple[str, ...], encoding: str) -> None:
        self.folders, self.encoding = folders, encoding
        self._index: dict[str, Path] | None = None

    def _find(self, doc_id: str) -> Path | None:
        if self._index is None:
            from .io.readers import iter_paths

            self._index = {}
            for f in iter_paths(list(self.folders), glob="*.txt") if self.folders else ():
                self._index.setdefault(f.stem, f)
        return self._index.get(doc_id)

    def __call__(self, rec: dict[str, Any]) -> tuple[str | None, str | None]:
        """(text, error): the text when found, and why not when it was looked for and not read."""
        from .io.readers import read_text

        if isinstance(rec.get("text"), str):
            return rec["text"], None
        path: Path | None = None
        if self.folders and rec.get("doc_id") not in (None, ""):
            path = self._find(str(rec["doc_id"]))
            if path is None:
                return None, f"no {rec['doc_id']}.txt under {', '.join(self.folders)}"
        elif isinstance(rec.get("source"), str) and Path(rec["source"]).is_file():
            path = Path(rec["source"])
        if path is None:
            return None, None
        try:
            return read_text(path, encoding=self.encoding), None
        except (UnionieError, OSError) as e:
            return None, f"{path}: {e}"


@main.command(short_help="Write a self-contained HTML report (charts, events, texts).")
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The HTML file to write (one self-contained page).")
@click.option("--from-jsonl", is_flag=True,
              help="PATHs are JSON Lines output of `unionie extract` (files, folders of *.jsonl, "
                   "or - for stdin) instead of report texts. Files named *.jsonl are read so anyway.")
@click.option("--texts", "texts", multiple=True, type=click.Path(exists=True, file_okay=False),
              help="With JSON Lines input: a folder holding the report texts as DOC_ID.txt (searched "
                   "recursively; repeatable), for records saved without their text.")
@click.option("--title", default="unionie report", show_default=True, help="Title of the page.")
@click.option("--open-documents", type=click.IntRange(0), default=10, show_default=True,
              help="How many documents are shown unfolded (the others are one click away).")
@click.option("--jobs", "-j", type=click.IntRange(1, 256), default=1, show_default=True,
              help="Processes that extract text input (this one and N-1 workers).")
@click.option("--published", callback=_published, default=None,
              help="Publication date (ISO) for relative dates, when the texts do not state one.")
@click.option("--encoding", default="auto", show_default=True, help="Text encoding, or auto-detect.")
@click.option("--glob", "glob", default=None,
              help="Files to read in folders  [default: every supported format, or *.jsonl with --from-jsonl]")
@click.option("--rules", "rules", multiple=True, type=click.Path(),
              help="A user rule pack (a YAML file or a folder of them) for text input; repeatable.")
@click.option("--quiet", "-q", is_flag=True, help="No summary on stderr.")
def report(paths: tuple[str, ...], output: str, from_jsonl: bool, texts: tuple[str, ...], title: str,
           open_documents: int, jobs: int, published: _dt.date | None, encoding: str,
           glob: str | None, quiet: bool, rules: tuple[str, ...] = ()) -> None:
    """Write one self-contained HTML report of report texts or of extracted JSON Lines.

    The page has summary figures and charts (events by type, money by type,
    events per document), a sortable and filterable table of every event, and
    each document's text with its events, arguments, quantities and entities
    highlighted. It needs nothing from the network when opened.

    From texts (files, folders, - for stdin) the documents are extracted first.
    From JSON Lines (--from-jsonl) the text of a record is its "text" key
    (`unionie extract --include-text`), else DOC_ID.txt in a --texts folder,
    else its "source" file; a record without text still has its events in the
    table and charts.

    \b
    Examples:
      unionie report corpus/reports -o report.html
      unionie extract corpus/reports -o out.jsonl
      unionie report --from-jsonl out.jsonl --texts corpus/reports -o report.html
      unionie extract corpus/reports | unionie report --from-jsonl - -o report.html

    Exit codes: 0 ok, 1 some inputs failed (named on stderr; the report has the
    others), 2 usage error.
    """
    from .render.report import write_report

    files = [p for p in paths if p != "-" and not Path(p).is_dir()]
    jsonl = from_jsonl or bool(files and all(p.lower().endswith(_JSONL_SUFFIXES) for p in files)
                                and len(files) == len(paths))
    if not jsonl and any(p.lower().endswith(_JSONL_SUFFIXES) for p in files):
        raise click.UsageError("some PATHs are JSON Lines and some are texts: give one kind "
                               "(--from-jsonl for extract output)")
    if texts and not jsonl:
        raise click.UsageError("--texts goes with JSON Lines input (--from-jsonl)")
    if Path(output).suffix.lower() in _JSONL_SUFFIXES or Path(output).resolve() in {
            Path(p).resolve() for p in files}:
        raise click.UsageError(f"refusing to write the HTML report over {output}")
    _check_paths(paths)
    _check_encoding(encoding)
    glob = glob or ("*.jsonl" if jsonl else _DEFAULT_GLOB)
    failures: list[_Failure] = []
    n_docs = n_events = no_text = 0

    def from_texts() -> Iterator[Any]:
        from .api import extract as extract_one
        from .io.collection import attach
        from .parallel import parallel_map

        read_as: dict[str, Any] = {}

        def pairs() -> Iterator[tuple[str, str | None, Any]]:
            try:
                for item in _inputs(paths, glob, encoding, set(), None, read_as):
                    if isinstance(item, _Failure):
                        failures.append(item)
                        click.echo(f"unionie: error: {item.source}: {item.error}", err=True)
                        continue
                    yield item
            except InputError as e:
                raise click.UsageError(str(e)) from None

        nlp = _pipeline(rules)

        def with_source(d: Any) -> Any:
            src = read_as.pop(str(d.doc_id), None)
            return attach(d, src, published) if src is not None else d

        if jobs > 1:
            yield from map(with_source, parallel_map(pairs(), n_process=jobs, published=published,
                                                       nlp=nlp))
        else:
            for text, doc_id, own in pairs():
                yield with_source(extract_one(text, doc_id=doc_id, published=published or own, nlp=nlp))

    def from_records() -> Iterator[Any]:
        nonlocal no_text
        find = _TextFinder(texts, encoding)
        try:
            for rec in _jsonl_records(paths, glob, failures):
                text, error = find(rec)
                if error:
                    failures.append(_Failure(str(rec.get("doc_id")), error))
                    click.echo(f"unionie: error: text of {rec.get('doc_id')}: {error}", err=True)
                if text is None:
                    no_text += 1
                    yield rec
                else:
                    yield {**rec, "text": text}
        except InputError as e:
            raise click.UsageError(str(e)) from None

    def counted(docs: Iterator[Any]) -> Iterator[Any]:
        nonlocal n_docs, n_events
        for d in docs:
            n_docs += 1
            n_events += len(d.events) if hasattr(d, "events") else len(d.get("events") or ())
            yield d

    Path(output).parent.mkdir(parents=True, exist_ok=True)
    write_report(counted(from_records() if jsonl else from_texts()), output, title=title,
                 open_documents=open_documents)
    if not quiet:
        click.echo(f"unionie: report of {_count(n_docs, 'document')}, {_count(n_events, 'event')}, "
                   f"{_count(len(failures), 'error')}; written to {output}", err=True)
        if no_text:
            click.echo(f"unionie: {no_text} record(s) had no text, so their text is not shown: "
                       "pass --texts FOLDER, or extract with --include-text", err=True)
    sys.exit(EXIT_SOME_FAILED if failures else EXIT_OK)


# -- eval --------------------------------------------------------------------------------
@main.command("eval", short_help="Score extraction against gold annotations.")
@click.argument("gold", required=False, type=click.Path(exists=True))
@click.argument("pred", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("--corpus", type=click.Path(exists=True, file_okay=False), default=None,
              help="A corpus part (reports/ and gold/): extract and score in one go.")
@click.option("--by-part", is_flag=True,
              help="Score the corpus folder and every part below it (heldout/, real/, ...) apart.")
@click.option("--errors", "n_errors", type=int, default=0, help="List the first N errors of each kind.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--markdown", is_flag=True, help="Print the scores as Markdown tables (docs/evaluation.md).")
@click.option("--save", "save_dir", type=click.Path(file_okay=False), default=None,
              help="With --corpus: write each part's gold.jsonl and pred.jsonl to SAVE/<part>/.")
@click.option("--no-per-type", is_flag=True, help="Leave out the per-type table.")
def eval_cmd(gold: str | None, pred: str | None, corpus: str | None, by_part: bool, n_errors: int,
             as_json: bool, markdown: bool, save_dir: str | None, no_per_type: bool) -> None:
    """Score predictions (JSON Lines) against gold, or a corpus with --corpus.

    GOLD is a resolved gold JSON Lines file (or a corpus folder); PRED is the output
    of `unionie extract`. Figures follow ANNOTATION.md: quantity, event, typed_arg and
    role_arg precision, recall and F1, overall and per event type.

    --corpus DIR scores DIR's own reports/ against its gold/ only; the parts below it
    (corpus/heldout, corpus/real) are named on stderr and scored, each apart, with --by-part.
    Parts are never pooled.

    \b
    Examples:
      unionie eval --corpus corpus --by-part
      unionie eval --corpus corpus/real --errors 5
      unionie eval gold.jsonl out.jsonl --json | jq .event
    """
    from .errors import InputError
    from .gold import GoldError

    if corpus is None and gold and Path(gold).is_dir():
        corpus = gold
    if as_json and markdown:
        raise click.UsageError("give --json or --markdown, not both")
    try:
        if corpus is not None:
            _eval_corpus(Path(corpus), by_part, n_errors, as_json, markdown, save_dir, no_per_type)
        else:
            if not gold or not pred:
                raise click.UsageError("give GOLD and PRED files, or --corpus FOLDER")
            if by_part or save_dir:
                raise click.UsageError("--by-part and --save go with --corpus")
            _eval_files(gold, pred, n_errors, as_json, markdown, no_per_type)
    except (InputError, GoldError) as exc:
        click.echo(f"unionie: {exc}", err=True)
        sys.exit(EXIT_USAGE)


def _eval_files(gold: str, pred: str, n_errors: int, as_json: bool, markdown: bool, no_per_type: bool) -> None:
    """`unionie eval GOLD PRED`: score a prediction file against a gold file."""
    from .evaluate import CorpusPart, PartResult, format_markdown, format_scores, read_gold, read_jsonl, score

    gold_docs, pred_docs = read_gold(gold), read_jsonl(pred)
    s = score(gold_docs, pred_docs)
    if as_json:
        click.echo(json.dumps(s.as_dict(), ensure_ascii=False, indent=2))
    elif markdown:
        click.echo(format_markdown([PartResult(CorpusPart(Path(gold).stem, Path(gold)), gold_docs, pred_docs, s)]))
    else:
        click.echo(format_scores(s, errors=n_errors, per_type=not no_per_type))


def _eval_corpus(corpus: Path, by_part: bool, n_errors: int, as_json: bool, markdown: bool,
                 save_dir: str | None, no_per_type: bool) -> None:
    """`unionie eval --corpus DIR [--by-part]`: extract and score one part, or every part apart."""
    from .evaluate import (corpus_parts, evaluate_part, format_markdown, format_parts, format_scores,
                           parts_as_dict)

    parts = corpus_parts(corpus)
    if not parts:
        raise click.UsageError(f"{corpus} holds no corpus part (a folder with reports/ and "
                               f"gold/annotations/ or gold/gold.jsonl)")
    own = parts[0] if parts[0].path == corpus else None
    if not by_part:
        if own is None:
            raise click.UsageError(f"{corpus} has no reports/ and gold/ of its own; it holds the parts "
                                   f"{', '.join(p.name for p in parts)}: give --by-part, or --corpus "
                                   f"{(corpus / parts[0].name).as_posix()}")
        others = [p.name for p in parts if p is not own]
        if others:
            click.echo(f"unionie: scoring {corpus.as_posix()}/reports only; the parts below it "
                       f"({', '.join(others)}) are scored apart with --by-part", err=True)
        parts = [own]
    results = [evaluate_part(p) for p in parts]
    if save_dir:
        _save_parts(Path(save_dir), results)
    if as_json:
        out = parts_as_dict(results) if by_part else results[0].scores.as_dict()
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    elif markdown:
        click.echo(format_markdown(results))
    elif by_part:
        click.echo(format_parts(results, errors=n_errors, per_type=not no_per_type))
    else:
        click.echo(format_scores(results[0].scores, errors=n_errors, per_type=not no_per_type))


def _save_parts(folder: Path, results: list[Any]) -> None:
    """Write SAVE/<part>/gold.jsonl and pred.jsonl: what was scored, for score.py or --errors."""
    from .gold import dump_jsonl

    for r in results:
        d = folder / r.part.name
        d.mkdir(parents=True, exist_ok=True)
        (d / "gold.jsonl").write_text(dump_jsonl(r.gold), encoding="utf-8", newline="\n")
        (d / "pred.jsonl").write_text(dump_jsonl(r.pred), encoding="utf-8", newline="\n")


# -- explain -----------------------------------------------------------------------------
@main.command(short_help="Show what unionie finds in one text, and which rules fired.")
@click.argument("text", required=False)
@click.option("--file", "file_", type=click.Path(exists=True, dir_okay=False), help="Explain a file.")
@click.option("--published", callback=_published, default=None, help="Publication date (ISO).")
@click.option("--rules", "rule_paths", multiple=True, type=click.Path(exists=True),
              help="A rule pack (file or folder) on top of the bundled rules; repeatable.")
def explain(text: str | None, file_: str | None, published: _dt.date | None, rule_paths: tuple[str, ...]) -> None:
    """Show the tokens, quantities, dates, entities and events of TEXT (or --file, or stdin).

    Each finding names the rule that produced it; events list their arguments
    with normalized values (8.9万元 = 89000 CNY).

    \b
    Examples:
      unionie explain "春节期间，新区总工会投入资金8.9万元，慰问困难职工家庭95户。"
      unionie explain --file corpus/reports/zhenjiang-xinqu.txt --published 2023-01-10
      echo "举办技能大赛12场" | unionie explain -
      unionie explain "组织应急演练29场" --rules examples/rules/safety_production.yaml
    """
    from .api import explain as explain_text

    if file_:
        from .io.readers import read_text

        text = read_text(file_)
    elif text is None or text == "-":
        text = sys.stdin.read()
    click.echo(explain_text(text, published=published, nlp=_explain_pipeline(rule_paths)))


def _explain_pipeline(rule_paths: tuple[str, ...]) -> Any:
    """The pipeline for `explain --rules`: the bundled rules plus the packs (None: the default);
    the first line of the output names the packs and the event types they define."""
    if not rule_paths:
        return None
    from .api import load
    from .rules.loader import load_rules

    try:
        nlp = load(rules=list(rule_paths))
        types = sorted(load_rules(rule_paths).types)
    except RuleError as exc:
        click.echo(f"unionie: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(f"rules: bundled + {', '.join(rule_paths)} (types: {', '.join(types)})")
    return nlp


# -- rules -------------------------------------------------------------------------------
@main.group()
def rules() -> None:
    """Work with rule packs."""


@rules.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
def rules_check(paths: tuple[str, ...]) -> None:
    """Check rule files or folders; print each problem with file, line and rule id.

    Also warns (on stderr; the exit code stays 0) about a trigger word that a bundled
    type with a higher or equal confidence takes first, so the pack's rule never fires on it.

    Exit codes: 0 the packs load, 2 some problem was found.
    """
    from .rules.loader import check_paths, load_rules, shadowed_triggers

    problems = check_paths(paths)
    for p in problems:
        click.echo(f"{p}", err=True)
    if problems:
        sys.exit(EXIT_USAGE)
    pack = load_rules(paths)
    for w in shadowed_triggers(pack):
        click.echo(f"warning: {w}", err=True)
    click.echo(f"ok: {len(pack.types)} event type(s): {', '.join(sorted(pack.types))}")


@rules.command("list")
def rules_list() -> None:
    """List the bundled event types and their trigger rules, with each rule's confidence."""
    from .rules.loader import default_rules

    for name, et in sorted(default_rules().types.items()):
        click.echo(f"{name}: {et.description}")
        for t in et.triggers:
            click.echo(_trigger_line(t))


def _trigger_line(t: Any) -> str:
    """One trigger rule in `unionie rules list`: id, confidence, flags, first words."""
    flags = "".join(f", {f}" for f, on in (("detail", t.detail), ("needs_evidence", t.needs_evidence),
                                           ("noun", t.noun)) if on)
    words = "、".join(t.words[:8]) + ("…" if len(t.words) > 8 else "")
    if t.patterns:
        words += (" " if words else "") + f"(+{len(t.patterns)} pattern{'s' if len(t.patterns) > 1 else ''})"
    return f"    {t.id} (confidence {t.confidence:g}{flags}): {words}"


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
              add_help_option=False)  # --help goes to the harness, which lists its options
@click.pass_context
def bench(ctx: click.Context) -> None:
    """Run the benchmark harness (same as `python bench/run.py`; `unionie bench --help` for options).

    Measures plain jieba, the tokenizer, extract, extract_many with 1 and 2 processes, the CLI,
    cold start and peak memory on a corpus built from corpus/reports, and writes a JSON record.
    """
    from ._bench import main as bench_main

    sys.exit(bench_main(list(ctx.args)))


__import__("unionie.activity.cli", fromlist=["register"]).register(main)  # activities, summarize


def run() -> None:  # pragma: no cover - console entry
    try:
        main(standalone_mode=True)
    except RuleError as e:
        click.echo(f"unionie: {e}", err=True)
        sys.exit(EXIT_USAGE)


if __name__ == "__main__":  # pragma: no cover
    main()



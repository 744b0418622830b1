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
from .errors import InputError, RuleError, UnionieError

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


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
    for p in paths:
        if p != "-" and not Path(p).exists():
            raise click.UsageError(f"no such file or directory: {p}")


def _inputs(paths: tuple[str, ...], glob: str, encoding: str, skip: set[str],
            sources: dict[str, str] | None = None) -> Iterator[Any]:
    """Yield (text, doc_id) pairs or _Failure objects, lazily, in a stable order.

    ``sources`` (when given) maps each yielded doc_id to the file it came from.
    """
    from .io.readers import _decode_as, decode_bytes, iter_paths, read_text

    files: list[str | Path] = []
    for p in paths:
        if p == "-":
            files.append("-")
        else:
            files.extend(iter_paths([p], glob=glob))
    for f in files:
        if f == "-":
            data = sys.stdin.buffer.read()
            try:
                text = decode_bytes(data, "<stdin>") if encoding == "auto" else _decode_as(data, encoding, "<stdin>")
            except (UnionieError, UnicodeDecodeError, LookupError) as e:
                yield _Failure.of("<stdin>", e, "stdin")
                continue
            if "stdin" not in skip:
                if sources is not None:
                    sources["stdin"] = "<stdin>"
                yield (text, "stdin")
            continue
        doc_id = Path(f).stem
        if doc_id in skip:
            continue
        try:
            text = read_text(f, encoding=encoding)
        except (UnionieError, OSError) as e:
            yield _Failure.of(str(f), e, doc_id)
            continue
        if sources is not None:
            sources[doc_id] = str(f)
        yield (text, doc_id)


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


def _progress(total: int | None) -> Any:
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", file=sys.stderr, dynamic_ncols=True)


@main.command(short_help="Extract events to JSON Lines, CSV, Parquet, SQLite or DuckDB.")
@click.argument("paths", nargs=-1, required=True)
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
@click.option("--glob", "glob", default="*.txt", show_default=True, help="Files to read in folders.")
@click.option("--resume", is_flag=True, help="Skip doc_ids already in the JSON Lines output.")
@click.option("--errors-file", type=click.Path(dir_okay=False), default=None,
              help="Where failed inputs are listed (default: OUTPUT.errors.jsonl).")
@click.option("--include-text", is_flag=True,
              help="Keep each document's text: a \"text\" key in JSON Lines (so `unionie report "
                   "--from-jsonl` can highlight it), documents.text in sqlite/duckdb.")
@click.option("--quiet", "-q", is_flag=True, help="No summary on stderr.")
@click.option("--verbose", "-v", is_flag=True, help="A line per document on stderr (events by type).")
def extract(paths: tuple[str, ...], output: str | None, fmt: str | None, level: str, jobs: int,
            published: _dt.date | None, encoding: str, glob: str, resume: bool, errors_file: str | None,
            quiet: bool, verbose: bool, include_text: bool = False) -> None:
    """Extract events from files, folders (recursive) or - (standard input).

    One SCHEMA.md object per document (doc_id = file stem), written as each
    document finishes. A file that cannot be read is reported and skipped.
    --format csv/parquet write one table (--level); sqlite/duckdb write the
    normalized tables of docs/database.md and append without duplicating a
    doc_id already stored. The format follows the output's extension (.jsonl
    .csv .parquet .sqlite .sqlite3 .db .duckdb .ddb) unless --format is given.

    \b
    Examples:
      unionie extract corpus/reports -o events.jsonl
      unionie extract corpus/reports -o events.parquet --jobs 2
      unionie extract corpus/reports -o reports.duckdb
      cat report.txt | unionie extract -

    Exit codes: 0 ok, 1 some inputs failed (named on stderr and in the errors
    file; the others are written), 2 usage error.
    """
    from .parallel import ExtractionFailure, extract_or_failure, parallel_map

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

    def pairs() -> Iterator[tuple[str, str | None]]:
        try:
            for item in _inputs(paths, glob, encoding, skip, sources):
                if isinstance(item, _Failure):
                    fail(item)
                    continue
                yield item
        except InputError as e:
            raise click.UsageError(str(e)) from None

    def docs() -> Iterator[Any]:
        # a document whose extraction raises is named and skipped; the batch goes on
        if jobs > 1:
            results: Iterator[Any] = parallel_map(pairs(), n_process=jobs, published=published, on_error="return")
        else:
            results = (extract_or_failure(text, doc_id, published) for text, doc_id in pairs())
        for r in results:
            source = sources.pop(str(r.doc_id), str(r.doc_id))
            if isinstance(r, ExtractionFailure):
                fail(_Failure(source, r.error, doc_id=r.doc_id, code=r.code))
                continue
            yield r

    counts: Counter[str] = Counter()
    n_docs = 0
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
                    uio.to_sql(counted(docs()), output, kind=fmt, include_text=include_text)
                else:
                    uio.write(counted(docs()), output, fmt=fmt, level=level)
            except ImportError as e:  # an optional dependency (pyarrow, duckdb) is missing
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
        by_type = ", ".join(f"{t} {n}" for t, n in sorted(counts.items())) or "none"
        click.echo(f"unionie: {n_docs} documents, {sum(counts.values())} events ({by_type}), "
                   f"{len(failures)} errors" + (f"; written to {output}" if output else ""), err=True)
    sys.exit(EXIT_SOME_FAILED if failures else EXIT_OK)


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
              help="Files to read in folders  [default: *.txt, or *.jsonl with --from-jsonl]")
@click.option("--quiet", "-q", is_flag=True, help="No summary on stderr.")
def report(paths: tuple[str, ...], output: str, from_jsonl: bool, texts: tuple[str, ...], title: str,
           open_documents: int, jobs: int, published: _dt.date | None, encoding: str,
           glob: str | None, quiet: bool) -> None:
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
    from .io.report import write_report

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
    glob = glob or ("*.jsonl" if jsonl else "*.txt")
    failures: list[_Failure] = []
    n_docs = n_events = no_text = 0

    def from_texts() -> Iterator[Any]:
        from .api import extract as extract_one
        from .parallel import parallel_map

        def pairs() -> Iterator[tuple[str, str | None]]:
            try:
                for item in _inputs(paths, glob, encoding, set()):
                    if isinstance(item, _Failure):
                        failures.append(item)
                        click.echo(f"unionie: error: {item.source}: {item.error}", err=True)
                        continue
                    yield item
            except InputError as e:
                raise click.UsageError(str(e)) from None

        if jobs > 1:
            yield from parallel_map(pairs(), n_process=jobs, published=published)
        else:
            for text, doc_id in pairs():
                yield extract_one(text, doc_id=doc_id, published=published)

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
        click.echo(f"unionie: report of {n_docs} documents, {n_events} events, {len(failures)} errors; "
                   f"written to {output}", err=True)
        if no_text:
            click.echo(f"unionie: {no_text} record(s) had no text, so their text is not shown: "
                       "pass --texts FOLDER, or extract with --include-text", err=True)
    sys.exit(EXIT_SOME_FAILED if failures else EXIT_OK)


# -- eval --------------------------------------------------------------------------------
@main.command("eval", short_help="Score extraction against gold annotations.")
@click.argument("gold", required=False, type=click.Path(exists=True))
@click.argument("pred", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("--corpus", type=click.Path(exists=True, file_okay=False), default=None,
              help="A corpus folder (reports/ and gold/annotations/): extract and score in one go.")
@click.option("--errors", "n_errors", type=int, default=0, help="List the first N errors of each kind.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--no-per-type", is_flag=True, help="Leave out the per-type table.")
def eval_cmd(gold: str | None, pred: str | None, corpus: str | None, n_errors: int, as_json: bool,
             no_per_type: bool) -> None:
    """Score predictions (JSON Lines) against gold, or a whole corpus with --corpus.

    GOLD is a resolved gold JSON Lines file (or a corpus folder); PRED is the output
    of `unionie extract`. Figures follow ANNOTATION.md: quantity, event, typed_arg and
    role_arg precision, recall and F1, overall and per event type.

    \b
    Examples:
      unionie eval --corpus corpus
      unionie eval gold.jsonl out.jsonl --errors 5
    """
    from .evaluate import format_scores, read_jsonl, score

    if corpus is None and gold and Path(gold).is_dir():
        corpus = gold
    if corpus is not None:
        gold_docs = _corpus_gold(Path(corpus))
        from .api import extract as extract_one

        pred_docs = []
        reports = Path(corpus) / "reports"
        for g in gold_docs:
            from .io.readers import read_text

            text = read_text(reports / f"{g['doc_id']}.txt")
            pred_docs.append(extract_one(text, doc_id=g["doc_id"],
                                         published=g.get("published") or None).to_dict())
    else:
        if not gold or not pred:
            raise click.UsageError("give GOLD and PRED files, or --corpus FOLDER")
        gold_docs, pred_docs = read_jsonl(gold), read_jsonl(pred)
    s = score(gold_docs, pred_docs)
    if as_json:
        click.echo(json.dumps(s.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_scores(s, errors=n_errors, per_type=not no_per_type))


def _corpus_gold(corpus: Path) -> list[dict[str, Any]]:
    from .gold import resolve_corpus

    ann = corpus / "gold" / "annotations"
    if not ann.is_dir():
        raise click.UsageError(f"{corpus} has no gold/annotations folder")
    return resolve_corpus(ann, corpus / "reports")


# -- explain -----------------------------------------------------------------------------
@main.command(short_help="Show what unionie finds in one text, and which rules fired.")
@click.argument("text", required=False)
@click.option("--file", "file_", type=click.Path(exists=True, dir_okay=False), help="Explain a file.")
@click.option("--published", callback=_published, default=None, help="Publication date (ISO).")
def explain(text: str | None, file_: str | None, published: _dt.date | None) -> None:
    """Show the tokens, quantities, dates, entities and events of TEXT (or --file, or stdin).

    Each finding names the rule that produced it; events list their arguments
    with normalized values (8.9万元 = 89000 CNY).

    \b
    Examples:
      unionie explain "春节期间，新区总工会投入资金8.9万元，慰问困难职工家庭95户。"
      unionie explain --file corpus/reports/zhenjiang-xinqu.txt --published 2023-01-10
      echo "举办技能大赛12场" | unionie explain -
    """
    from .api import explain as explain_text

    if file_:
        from .io.readers import read_text

        text = read_text(file_)
    elif text is None or text == "-":
        text = sys.stdin.read()
    click.echo(explain_text(text, published=published))


# -- rules -------------------------------------------------------------------------------
@main.group()
def rules() -> None:
    """Work with rule packs."""


@rules.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
def rules_check(paths: tuple[str, ...]) -> None:
    """Check rule files or folders; print each problem with file, line and rule id.

    Exit codes: 0 the packs load, 2 some problem was found.
    """
    from .rules.loader import check_paths, load_rules

    problems = check_paths(paths)
    for p in problems:
        click.echo(f"{p}", err=True)
    if problems:
        sys.exit(EXIT_USAGE)
    pack = load_rules(paths)
    click.echo(f"ok: {len(pack.types)} event type(s): {', '.join(sorted(pack.types))}")


@rules.command("list")
def rules_list() -> None:
    """List the bundled event types and their trigger rules."""
    from .rules.loader import default_rules

    for name, et in sorted(default_rules().types.items()):
        click.echo(f"{name}: {et.description}")
        for t in et.triggers:
            words = "、".join(t.words[:8]) + ("…" if len(t.words) > 8 else "")
            click.echo(f"    {t.id}: {words}")


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
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



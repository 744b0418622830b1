"""``unionie report``: one self-contained HTML page of report texts or extracted JSON Lines."""
from __future__ import annotations

import datetime as _dt
import json
import sys
from pathlib import Path
from typing import Any, Iterator

import click

from ..activity.html import ReportActivities
from ..api import extract as extract_one
from ..errors import InputError, UnionieError
from ..io.collection import attach
from ..io.readers import iter_paths, read_text
from ..parallel import parallel_map
from ..render.report import write_report
from .common import (DEFAULT_GLOB, EXIT_OK, EXIT_SOME_FAILED, JSONL_SUFFIXES, Failure, check_encoding,
                     check_paths, count, inputs, parse_published, pipeline)

__all__ = ["report"]


@click.command(short_help="Write a self-contained HTML report (charts, events, texts).")
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
@click.option("--published", callback=parse_published, default=None,
              help="Publication date (ISO) for relative dates, when the texts do not state one.")
@click.option("--encoding", default="auto", show_default=True, help="Text encoding, or auto-detect.")
@click.option("--glob", "glob", default=None,
              help="Files to read in folders  [default: every supported format, or *.jsonl with --from-jsonl]")
@click.option("--rules", "rules", multiple=True, type=click.Path(),
              help="A user rule pack (a YAML file or a folder of them) for text input; repeatable.")
@click.option("--activities/--no-activities", "with_activities", default=True, show_default=True,
              help="An activities view: each activity counted once, its mentions linked to their clauses.")
@click.option("--quiet", "-q", is_flag=True, help="No summary on stderr.")
def report(paths: tuple[str, ...], output: str, from_jsonl: bool, texts: tuple[str, ...], title: str,
           open_documents: int, jobs: int, published: _dt.date | None, encoding: str,
           glob: str | None, quiet: bool, rules: tuple[str, ...] = (), with_activities: bool = True) -> None:
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
    jsonl = _is_jsonl(paths, output, from_jsonl, texts)
    check_paths(paths)
    check_encoding(encoding)
    glob = glob or ("*.jsonl" if jsonl else DEFAULT_GLOB)
    failures: list[Failure] = []
    seen = {"docs": 0, "events": 0, "no_text": 0}

    def counted(docs: Iterator[Any]) -> Iterator[Any]:
        for d in docs:
            seen["docs"] += 1
            seen["events"] += len(d.events) if hasattr(d, "events") else len(d.get("events") or ())
            yield d

    docs = (_from_records(paths, glob, texts, encoding, failures, seen) if jsonl
            else _from_texts(paths, glob, encoding, jobs, published, rules, failures))
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    write_report(counted(docs), output, title=title, open_documents=open_documents,
                 activities=_activity_view() if with_activities else None)
    if not quiet:
        click.echo(f"unionie: report of {count(seen['docs'], 'document')}, {count(seen['events'], 'event')}, "
                   f"{count(len(failures), 'error')}; written to {output}", err=True)
        if seen["no_text"]:
            click.echo(f"unionie: {seen['no_text']} record(s) had no text, so their text is not shown: "
                       "pass --texts FOLDER, or extract with --include-text", err=True)
    sys.exit(EXIT_SOME_FAILED if failures else EXIT_OK)


def _activity_view() -> Any:
    """The report's activities view, or None (with a note) without ``unionie[activities]``."""
    try:
        return ReportActivities()
    except ImportError as e:  # datasketch, rapidfuzz
        click.echo(f'unionie: no activities view ({e}); pip install "unionie[activities]"', err=True)
        return None


def _is_jsonl(paths: tuple[str, ...], output: str, from_jsonl: bool, texts: tuple[str, ...]) -> bool:
    """Whether the PATHs are JSON Lines (else texts); a usage error for a mix, --texts with
    texts, or an output that would overwrite an input."""
    files = [p for p in paths if p != "-" and not Path(p).is_dir()]
    jsonl = from_jsonl or bool(files and all(p.lower().endswith(JSONL_SUFFIXES) for p in files)
                                and len(files) == len(paths))
    if not jsonl and any(p.lower().endswith(JSONL_SUFFIXES) for p in files):
        raise click.UsageError("some PATHs are JSON Lines and some are texts: give one kind "
                               "(--from-jsonl for extract output)")
    if texts and not jsonl:
        raise click.UsageError("--texts goes with JSON Lines input (--from-jsonl)")
    if Path(output).suffix.lower() in JSONL_SUFFIXES or Path(output).resolve() in {
            Path(p).resolve() for p in files}:
        raise click.UsageError(f"refusing to write the HTML report over {output}")
    return jsonl


def _from_texts(paths: tuple[str, ...], glob: str, encoding: str, jobs: int, published: _dt.date | None,
                rules: tuple[str, ...], failures: list[Failure]) -> Iterator[Any]:
    """The documents of report texts, extracted here (an unreadable input is named and skipped)."""
    read_as: dict[str, Any] = {}

    def pairs() -> Iterator[tuple[str, str | None, Any]]:
        try:
            for item in inputs(paths, glob, encoding, set(), None, read_as):
                if isinstance(item, Failure):
                    failures.append(item)
                    click.echo(f"unionie: error: {item.source}: {item.error}", err=True)
                    continue
                yield item
        except InputError as e:
            raise click.UsageError(str(e)) from None

    nlp = pipeline(rules)

    def with_source(d: Any) -> Any:
        src = read_as.pop(str(d.doc_id), None)
        return attach(d, src, published) if src is not None else d

    if jobs > 1:
        yield from map(with_source, parallel_map(pairs(), n_process=jobs, published=published,
                                                   nlp=nlp))
    else:
        for text, doc_id, own in pairs():
            yield with_source(extract_one(text, doc_id=doc_id, published=published or own, nlp=nlp))


def _from_records(paths: tuple[str, ...], glob: str, texts: tuple[str, ...], encoding: str,
                  failures: list[Failure], seen: dict[str, int]) -> Iterator[Any]:
    """The records of JSON Lines, each with its text when one is found (``seen["no_text"]``
    counts the others)."""
    find = _TextFinder(texts, encoding)
    try:
        for rec in _jsonl_records(paths, glob, failures):
            text, error = find(rec)
            if error:
                failures.append(Failure(str(rec.get("doc_id")), error))
                click.echo(f"unionie: error: text of {rec.get('doc_id')}: {error}", err=True)
            if text is None:
                seen["no_text"] += 1
                yield rec
            else:
                yield {**rec, "text": text}
    except InputError as e:
        raise click.UsageError(str(e)) from None


def _jsonl_records(paths: tuple[str, ...], glob: str, failures: list[Failure]) -> Iterator[dict[str, Any]]:
    """SCHEMA dicts from JSON Lines files, folders of them, or - (stdin), lazily, in order.

    A line that is not a document (a JSON object with ``events``) is a failure (named
    ``FILE:LINE``) and skipped. In folders, errors files (``*.errors.jsonl``) are left out.
    """
    files: list[str] = []
    for p in paths:
        if p == "-" or not Path(p).is_dir():
            files.append(p)
        else:
            files.extend(str(f) for f in iter_paths([p], glob=glob) if not f.name.endswith(".errors.jsonl"))
    for path in files:
        name = "<stdin>" if path == "-" else path
        try:
            for lineno, line in _lines(path):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as e:
                    rec, why = None, f"not JSON ({e.msg})"
                else:
                    why = "not a document (a JSON object with \"events\", as `unionie extract` writes)"
                if not isinstance(rec, dict) or "events" not in rec:
                    failures.append(Failure(f"{name}:{lineno}", why))
                    click.echo(f"unionie: error: {name}:{lineno}: {why}", err=True)
                    continue
                yield rec
        except (OSError, UnicodeDecodeError) as e:
            failures.append(Failure(name, str(e)))
            click.echo(f"unionie: error: {name}: {e}", err=True)


def _lines(path: str) -> Iterator[tuple[int, str]]:
    """(line number, line) of a file, or of stdin for -."""
    if path == "-":
        yield from enumerate(sys.stdin, 1)
        return
    with open(path, encoding="utf-8-sig") as f:
        yield from enumerate(f, 1)


class _TextFinder:
    """Finds the text of a JSON Lines record: its own ``text``, else DOC_ID.txt under the
    --texts folders, else its ``source`` when that is a readable file."""

    def __init__(self, folders: tuple[str, ...], encoding: str) -> None:
        self.folders, self.encoding = folders, encoding
        self._index: dict[str, Path] | None = None

    def _find(self, doc_id: str) -> Path | None:
        if self._index is None:
            self._index = {}
            for f in iter_paths(list(self.folders), glob="*.txt") if self.folders else ():
                self._index.setdefault(f.stem, f)
        return self._index.get(doc_id)

    def __call__(self, rec: dict[str, Any]) -> tuple[str | None, str | None]:
        """(text, error): the text when found, and why not when it was looked for and not read."""
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

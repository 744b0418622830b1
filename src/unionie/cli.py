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
    def __init__(self, source: str, error: str) -> None:
        self.source, self.error = source, error


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
    """unionie: typed, normalized events from Chinese trade-union work reports."""


# -- extract ---------------------------------------------------------------------------
def _inputs(paths: tuple[str, ...], glob: str, encoding: str, skip: set[str]) -> Iterator[Any]:
    """Yield (text, doc_id) pairs or _Failure objects, lazily, in a stable order."""
    from .io.readers import decode_bytes, iter_paths, read_text

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
                text = decode_bytes(data, "<stdin>") if encoding == "auto" else data.decode(encoding)
            except (UnionieError, UnicodeDecodeError, LookupError) as e:
                yield _Failure("<stdin>", str(e))
                continue
            if "stdin" not in skip:
                yield (text, "stdin")
            continue
        doc_id = Path(f).stem
        if doc_id in skip:
            continue
        try:
            yield (read_text(f, encoding=encoding), doc_id)
        except (UnionieError, OSError) as e:
            yield _Failure(str(f), str(e))


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
    for line in raw.decode("utf-8").splitlines():
        if line.strip():
            try:
                ids.add(str(json.loads(line).get("doc_id")))
            except json.JSONDecodeError:
                continue
    return ids


def _progress(total: int | None) -> Any:
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", file=sys.stderr, dynamic_ncols=True)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False), default=None,
              help="Output file (default: standard output, JSON Lines).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet", "sqlite", "duckdb"]),
              default=None, help="Output format (default: from the output's extension, else jsonl).")
@click.option("--level", type=click.Choice(["events", "arguments", "quantities", "entities", "documents"]),
              default="events", show_default=True, help="Table written by --format csv/parquet.")
@click.option("--jobs", "-j", type=click.IntRange(1, 256), default=1, show_default=True,
              help="Worker processes.")
@click.option("--published", callback=_published, default=None,
              help="Publication date (ISO) for relative dates, when the texts do not state one.")
@click.option("--encoding", default="auto", show_default=True, help="Input encoding, or auto-detect.")
@click.option("--glob", "glob", default="*.txt", show_default=True, help="Files to read in folders.")
@click.option("--resume", is_flag=True, help="Skip doc_ids already in the JSON Lines output.")
@click.option("--errors-file", type=click.Path(dir_okay=False), default=None,
              help="Where failed inputs are listed (default: OUTPUT.errors.jsonl).")
@click.option("--quiet", "-q", is_flag=True, help="No summary on stderr.")
@click.option("--verbose", "-v", is_flag=True, help="A line per document on stderr (events by type).")
def extract(paths: tuple[str, ...], output: str | None, fmt: str | None, level: str, jobs: int,
            published: _dt.date | None, encoding: str, glob: str, resume: bool, errors_file: str | None,
            quiet: bool, verbose: bool) -> None:
    """Extract events from files, folders (recursive) or - (standard input).

    One SCHEMA.md object per document (doc_id = file stem), written as each
    document finishes. A file that cannot be read is reported and skipped.
    """
    from .api import extract as extract_one
    from .parallel import parallel_map

    if fmt is None:
        ext = Path(output).suffix.lower() if output else ""
        fmt = {".csv": "csv", ".parquet": "parquet", ".sqlite": "sqlite", ".db": "sqlite",
               ".duckdb": "duckdb"}.get(ext, "jsonl")
    if fmt != "jsonl" and not output:
        raise click.UsageError(f"--format {fmt} needs -o OUTPUT")
    if resume and fmt != "jsonl":
        raise click.UsageError("--resume works with JSON Lines output")
    try:
        skip = _done_ids(Path(output)) if (resume and output) else set()
    except OSError as e:
        raise click.UsageError(f"cannot read {output}: {e}") from None
    failures: list[_Failure] = []
    err_path = errors_file or (f"{output}.errors.jsonl" if output else None)

    def pairs() -> Iterator[tuple[str, str | None]]:
        try:
            for item in _inputs(paths, glob, encoding, skip):
                if isinstance(item, _Failure):
                    failures.append(item)
                    click.echo(f"unionie: error: {item.source}: {item.error}", err=True)
                    continue
                yield item
        except InputError as e:
            raise click.UsageError(str(e)) from None

    def docs() -> Iterator[Any]:
        if jobs > 1:
            yield from parallel_map(pairs(), n_process=jobs, published=published)
        else:
            for text, doc_id in pairs():
                yield extract_one(text, doc_id=doc_id, published=published)

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
                    out.write(json.dumps(d.to_dict(), ensure_ascii=False) + "\n")
                    out.flush()
            finally:
                if close:
                    out.close()
        else:
            from . import io as uio

            assert output is not None
            uio.write(counted(docs()), output, fmt=fmt, level=level)
    finally:
        if bar is not None:
            bar.close()
    if err_path and failures:
        with open(err_path, "w", encoding="utf-8") as ef:
            for f in failures:
                ef.write(json.dumps({"source": f.source, "error": f.error}, ensure_ascii=False) + "\n")
    if not quiet:
        by_type = ", ".join(f"{t} {n}" for t, n in sorted(counts.items())) or "none"
        click.echo(f"unionie: {n_docs} documents, {sum(counts.values())} events ({by_type}), "
                   f"{len(failures)} errors" + (f"; written to {output}" if output else ""), err=True)
    sys.exit(EXIT_SOME_FAILED if failures else EXIT_OK)


# -- eval --------------------------------------------------------------------------------
@main.command("eval")
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
@main.command()
@click.argument("text", required=False)
@click.option("--file", "file_", type=click.Path(exists=True, dir_okay=False), help="Explain a file.")
@click.option("--published", callback=_published, default=None, help="Publication date (ISO).")
def explain(text: str | None, file_: str | None, published: _dt.date | None) -> None:
    """Show the tokens, quantities, dates, entities and events of TEXT (or --file, or stdin)."""
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
    """Check rule files or folders; print each problem with file, line and rule id."""
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


def run() -> None:  # pragma: no cover - console entry
    try:
        main(standalone_mode=True)
    except RuleError as e:
        click.echo(f"unionie: {e}", err=True)
        sys.exit(EXIT_USAGE)


if __name__ == "__main__":  # pragma: no cover
    main()



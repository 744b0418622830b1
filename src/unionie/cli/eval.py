"""``unionie eval``: score predictions against gold, or extract and score corpus parts."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from ..errors import InputError
from ..evaluate import (CorpusPart, PartResult, corpus_parts, evaluate_part, format_markdown, format_parts,
                        format_scores, parts_as_dict, read_gold, read_jsonl, score)
from ..gold import GoldError, dump_jsonl
from .common import EXIT_USAGE

__all__ = ["eval_cmd"]


@click.command("eval", short_help="Score extraction against gold annotations.")
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
    for r in results:
        d = folder / r.part.name
        d.mkdir(parents=True, exist_ok=True)
        (d / "gold.jsonl").write_text(dump_jsonl(r.gold), encoding="utf-8", newline="\n")
        (d / "pred.jsonl").write_text(dump_jsonl(r.pred), encoding="utf-8", newline="\n")

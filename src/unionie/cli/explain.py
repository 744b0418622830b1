"""``unionie explain``: what unionie finds in one text, and which rules fired."""
from __future__ import annotations

import datetime as _dt
import sys
from typing import Any

import click

from ..api import explain as explain_text, load
from ..errors import RuleError
from ..io.readers import read_text
from ..rules.loader import load_rules
from .common import EXIT_USAGE, parse_published

__all__ = ["explain"]


@click.command(short_help="Show what unionie finds in one text, and which rules fired.")
@click.argument("text", required=False)
@click.option("--file", "file_", type=click.Path(exists=True, dir_okay=False), help="Explain a file.")
@click.option("--published", callback=parse_published, default=None, help="Publication date (ISO).")
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
    if file_:
        text = read_text(file_)
    elif text is None or text == "-":
        text = sys.stdin.read()
    click.echo(explain_text(text, published=published, nlp=_explain_pipeline(rule_paths)))


def _explain_pipeline(rule_paths: tuple[str, ...]) -> Any:
    """The pipeline for `explain --rules`: the bundled rules plus the packs (None: the default);
    the first line of the output names the packs and the event types they define."""
    if not rule_paths:
        return None
    try:
        nlp = load(rules=list(rule_paths))
        types = sorted(load_rules(rule_paths).types)
    except RuleError as exc:
        click.echo(f"unionie: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(f"rules: bundled + {', '.join(rule_paths)} (types: {', '.join(types)})")
    return nlp

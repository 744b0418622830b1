"""The ``unionie`` command line: one module per command, what they share in :mod:`.common`.

Exit codes: 0 everything succeeded; 1 some inputs failed (they are named on stderr
and in the errors file, every other document is written); 2 usage error (bad
option, missing path, unreadable rule pack).
"""
from __future__ import annotations

import sys

import click

from .. import __version__
from ..errors import RuleError
from .activities import activities_cmd, summarize_cmd
from .bench import bench
from .common import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE
from .eval import eval_cmd
from .explain import explain
from .extract import extract
from .report import report
from .rules import rules

__all__ = ["main", "run", "EXIT_OK", "EXIT_SOME_FAILED", "EXIT_USAGE"]


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


for _command in (extract, report, eval_cmd, explain, rules, bench, activities_cmd, summarize_cmd):
    main.add_command(_command)


def run() -> None:  # pragma: no cover - console entry
    try:
        main(standalone_mode=True)
    except RuleError as e:
        click.echo(f"unionie: {e}", err=True)
        sys.exit(EXIT_USAGE)

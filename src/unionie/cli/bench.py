"""``unionie bench``: the benchmark harness of a source checkout (bench/harness.py).

The harness is not part of the installed package: it reads ``corpus/reports`` and writes
``bench/results``, which only a checkout has. Run from a checkout (an editable install),
this command imports it; elsewhere it says so and exits 2.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import click

from .common import EXIT_USAGE

__all__ = ["bench"]

#: Where the harness is when unionie runs from its repository (src/unionie/cli/bench.py).
HARNESS = Path(__file__).resolve().parents[3] / "bench" / "harness.py"


def load_harness(path: Path = HARNESS) -> ModuleType:
    """The checkout's ``bench/harness.py`` as a module; a ClickException when there is none."""
    if not path.is_file():
        raise click.ClickException(
            f"unionie bench runs the benchmark harness of a source checkout ({path} is missing): "
            "clone the repository, install it with `pip install -e .` and run `python bench/run.py`")
    sys.path.insert(0, str(path.parent))  # the harness's child processes import it from there too
    spec = importlib.util.spec_from_file_location("harness", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["harness"] = module
    spec.loader.exec_module(module)
    return module


@click.command(short_help="Run the benchmark harness of a checkout (python bench/run.py).",
               context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
               add_help_option=False)  # --help goes to the harness, which lists its options
@click.pass_context
def bench(ctx: click.Context) -> None:
    """Run the benchmark harness of a checkout (same as `python bench/run.py`; `unionie bench --help` for options).

    Measures plain jieba, the tokenizer, extract, extract_many with 1 and 2 processes, the CLI,
    cold start and peak memory on a corpus built from corpus/reports, and writes a JSON record.
    """
    try:
        harness = load_harness()
    except click.ClickException as e:
        click.echo(f"unionie: error: {e.message}", err=True)
        sys.exit(EXIT_USAGE)
    sys.exit(harness.main(list(ctx.args)))

"""``unionie rules check`` and ``unionie rules list``: rule packs checked and listed."""
from __future__ import annotations

import sys
from typing import Any

import click

from ..rules.loader import check_paths, default_rules, load_rules, shadowed_triggers
from .common import EXIT_USAGE

__all__ = ["rules"]


@click.group()
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
    for name, et in sorted(default_rules().types.items()):
        click.echo(f"{name}: {et.description}")
        for t in et.triggers:
            click.echo(_trigger_line(t))


def _trigger_line(t: Any) -> str:
    """One trigger rule in `unionie rules list`: id, confidence, flags, first words."""
    flags = "".join(f", {f}" for f, on in (("detail", t.detail), ("needs_evidence", t.needs_evidence),
                                           ("noun", t.noun), ("part", t.part)) if on)
    words = "、".join(t.words[:8]) + ("…" if len(t.words) > 8 else "")
    if t.patterns:
        words += (" " if words else "") + f"(+{len(t.patterns)} pattern{'s' if len(t.patterns) > 1 else ''})"
    return f"    {t.id} (confidence {t.confidence:g}{flags}): {words}"

"""Shared lexicon helpers: loading bundled YAML data and building word alternations."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any, Iterable

import regex
import yaml

__all__ = ["bundled_yaml", "alternation", "word_regex", "boundary_regex", "grow_left"]


@lru_cache(maxsize=None)
def bundled_yaml(name: str) -> Any:
    """A YAML data file of the package (``data/<name>``), parsed once."""
    text = resources.files("unionie").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first (so 人次 wins over 人)."""
    uniq = sorted({str(w) for w in words if str(w)}, key=lambda w: (-len(w), w))
    return "|".join(regex.escape(w) for w in uniq)


def word_regex(words: Iterable[str]) -> regex.Pattern[str]:
    return regex.compile(alternation(words) or r"(?!x)x")


_HAN = regex.compile(r"[\p{Han}A-Za-z0-9·]")


def boundary_regex(words: Iterable[str]) -> regex.Pattern[str]:
    """A pattern that matches one of ``words`` ending exactly at ``endpos`` (use with search)."""
    return regex.compile(f"(?:{alternation(words) or '(?!x)x'})$")


def grow_left(text: str, start: int, stop_at: int, boundary: regex.Pattern[str], max_grow: int) -> int:
    """Grow a phrase whose head starts at ``start`` leftwards over Chinese characters.

    Stops at ``stop_at``, at a character that is not Han/Latin, after ``max_grow``
    characters, or where the text before the current position ends with a boundary
    word (``boundary`` from :func:`boundary_regex`). Returns the new start.
    """
    j = start
    lo = max(stop_at, start - max_grow)
    while j > lo:
        ch = text[j - 1]
        if not _HAN.match(ch) or ch.isdigit():
            break
        if boundary.search(text, max(0, j - 8), j) is not None:
            break
        j -= 1
    return j

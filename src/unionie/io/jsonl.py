"""JSON Lines documents read with line-numbered errors: predictions and resolved gold
(``unionie eval``, :mod:`unionie.evaluate`)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import InputError

__all__ = ["read_jsonl", "read_gold"]


def _numbered_jsonl(path: str | Path) -> list[tuple[int, dict[str, Any]]]:
    """(line number, object) for every non-blank line of a JSON Lines file; see :func:`read_jsonl`."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    out = []
    for n, bline in enumerate(raw.split(b"\n"), 1):
        try:
            line = bline.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}:{n}: not UTF-8 ({exc.reason} at byte {exc.start} of the line)") from None
        if not line.strip():
            continue
        try:
            d = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{n}: not valid JSON: {exc.msg} (column {exc.pos + 1})") from None
        if not isinstance(d, dict):
            raise InputError(f"{path}:{n}: expected a JSON object (one document), got {type(d).__name__}")
        out.append((n, d))
    return out


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """Documents from a JSON Lines file (UTF-8, a leading BOM allowed; blank lines skipped).

    :raises InputError: (U102) the file cannot be read, or a line is not UTF-8 or not a
        JSON object; the message names the file and the line number.
    """
    return [d for _, d in _numbered_jsonl(path)]


_GOLD_KEYS = ("doc_id", "events", "quantities")


def read_gold(path: str | Path) -> list[dict[str, Any]]:
    """Resolved gold documents from a JSON Lines file (:func:`read_jsonl`), each checked
    to have ``doc_id``, ``events`` and ``quantities``.

    :raises InputError: (U102) as :func:`read_jsonl`, or a line lacks one of those keys.
    """
    docs = _numbered_jsonl(path)
    for n, d in docs:
        missing = [k for k in _GOLD_KEYS if k not in d]
        if missing:
            raise InputError(f"{path}:{n}: a gold document needs {', '.join(missing)} "
                             f"(is this a prediction file? give GOLD first, then PRED)")
    return [d for _, d in docs]

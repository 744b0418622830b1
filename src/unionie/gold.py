"""Resolve compact gold annotations (YAML) into the scored, offset-bearing form.

A person writes gold in the compact form of ``corpus/gold/annotations/<doc_id>.yaml``
(conventions: the shared ``gold/ANNOTATION.md``); evaluation reads the resolved form, one JSON
object per document, in the SCHEMA.md shape with character offsets
(``corpus/gold/seeds.jsonl``, ``corpus/gold/gold.jsonl``). This module turns the
first into the second, and fails loudly when an annotation does not fit its text.

Location rules (reproducing ``seeds.jsonl`` exactly):

- **Quantities** are listed in text order and found sequentially: each one is
  searched from the end of the previous match. An entry is
  ``[text, value, unit, qualifier?, value_max?, per?]`` with defaults ``exact``,
  ``None`` and ``[]``; integral float values are written as ``int``.
- **optional_quantities** are plain strings; every (non-overlapping) occurrence
  of each in the text becomes ``{text, start, end}``, in the order listed, then
  in text order.
- An event's **clause** must occur exactly once in the text (overlapping
  occurrences count); it gives the event's ``start``/``end``.
- The **trigger** and each **argument** are looked for inside the clause (first
  occurrence); failing that, before the clause on the same line (the nearest
  occurrence that ends at or before the clause start). Lines are split on
  ``\\n`` only.
- An argument whose located span is the span of an annotated quantity carries
  the quantity fields ``value, unit, qualifier, value_max, per``; so does an argument
  whose span holds exactly one annotated quantity and more (``8个变电站`` takes the
  fields of ``8个``). Time
  arguments carry no resolved date ``value`` in the gold (the seeds give none).
  An argument located on text that equals a listed quantity's text but is not
  that quantity's span (nor an optional quantity) is an error: the quantity
  list is probably missing a mention.
- A list-valued argument gives one argument per item, in list order;
  arguments keep the order in which the YAML ``args`` mapping lists them.
- ``optional:`` items are located like arguments and become
  ``optional_arguments`` of plain ``{text, start, end}`` (no quantity fields,
  no role).
- **optional_events** ``[type, text]`` are located at the first occurrence of
  ``text``; unlike clauses they are not required to be unique (the seeds do not
  require it), so write enough context to hit the intended mention.
- ``line_starts`` lists the offset of every line start (0, then one after each
  ``\\n``); the scorer needs it to tell a time or organizer read on an earlier line.
- ``published`` is written as an ISO string (YAML parses ``2019-05-05`` into a
  ``date``); ``null`` stays ``None``.

Deviations of ``seeds.jsonl`` from the rules as stated in the brief: none found
beyond the details made explicit above (first occurrence inside the clause,
optional arguments without quantity fields, time arguments without ``value``,
optional events not required to be unique).

Only the standard library and PyYAML are used, so that this module can be
loaded on its own (``importlib``) while the rest of the package is built.

CLI::

    python -m unionie.gold corpus/gold/annotations corpus/reports -o corpus/gold/gold.jsonl
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "GoldError",
    "dump_jsonl",
    "load_annotation",
    "main",
    "read_report",
    "resolve_annotation",
    "resolve_corpus",
]

_QUALIFIERS = ("exact", "over", "under", "approx", "range")
_QUANTITY_FIELDS = ("value", "unit", "qualifier", "value_max", "per")


class GoldError(ValueError):
    """An annotation does not fit its text (a span missing, not unique, malformed).

    The message names the document, the event (index and clause) or the quantity,
    and what was not found or not unique.
    """


# --------------------------------------------------------------------------- helpers

def _number(x: Any) -> int | float | None:
    """A YAML number as the plain JSON number: ``int`` when integral, else ``float``."""
    if x is None:
        return None
    if isinstance(x, bool):
        raise TypeError(f"not a number: {x!r}")
    if isinstance(x, int):
        return x
    if isinstance(x, float):
        return int(x) if x.is_integer() else x
    if isinstance(x, str):
        f = float(x)
        return int(f) if f.is_integer() else f
    raise TypeError(f"not a number: {x!r}")


def _find_all(text: str, sub: str, overlapping: bool = False) -> list[int]:
    """Start offsets of ``sub`` in ``text``."""
    out: list[int] = []
    i = text.find(sub)
    while i != -1:
        out.append(i)
        i = text.find(sub, i + (1 if overlapping else len(sub)))
    return out


def _line_start(text: str, pos: int) -> int:
    """Offset of the first character of the line that holds ``pos``."""
    return text.rfind("\n", 0, pos) + 1


def _span(text: str, start: int, sub: str) -> dict[str, Any]:
    return {"text": sub, "start": start, "end": start + len(sub)}


def _iso(published: Any) -> str | None:
    if published is None:
        return None
    if isinstance(published, (_dt.date, _dt.datetime)):
        return published.isoformat()[:10]
    return str(published)


class _Doc:
    """The text of one document and the helpers that locate spans in it."""

    def __init__(self, doc_id: str, text: str) -> None:
        self.doc_id = doc_id
        self.text = text

    def error(self, where: str, what: str) -> GoldError:
        return GoldError(f"{self.doc_id}: {where}: {what}")

    def locate_near(self, sub: str, c0: int, c1: int) -> int | None:
        """``sub`` inside ``text[c0:c1]`` (first), else the nearest before ``c0`` on its line."""
        if not sub:
            return None
        i = self.text.find(sub, c0, c1)
        if i != -1:
            return i
        i = self.text.rfind(sub, _line_start(self.text, c0), c0)
        return i if i != -1 else None


# --------------------------------------------------------------------------- parts

def _resolve_quantities(doc: _Doc, entries: Sequence[Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    pos = 0
    for k, q in enumerate(entries or []):
        where = f"quantity {k} {q!r}"
        if not isinstance(q, (list, tuple)) or len(q) < 3 or len(q) > 6:
            raise doc.error(where, "expected [text, value, unit, qualifier?, value_max?, per?]")
        qtext = str(q[0])
        qualifier = q[3] if len(q) > 3 and q[3] is not None else "exact"
        if qualifier not in _QUALIFIERS:
            raise doc.error(where, f"unknown qualifier {qualifier!r} (one of {', '.join(_QUALIFIERS)})")
        per = q[5] if len(q) > 5 and q[5] is not None else []
        if not isinstance(per, (list, tuple)):
            raise doc.error(where, "per must be a list")
        try:
            value = _number(q[1])
            value_max = _number(q[4]) if len(q) > 4 else None
        except (TypeError, ValueError) as exc:
            raise doc.error(where, str(exc)) from None
        if qualifier == "range" and value_max is None:
            raise doc.error(where, "a range needs value_max")
        i = doc.text.find(qtext, pos)
        if i == -1:
            hint = " (it occurs earlier: quantities must be listed in text order)" \
                if qtext in doc.text else ""
            raise doc.error(where, f"text {qtext!r} not found after offset {pos}{hint}")
        pos = i + len(qtext)
        item = _span(doc.text, i, qtext)
        item.update({"value": value, "unit": "" if q[2] is None else str(q[2]),
                     "qualifier": qualifier, "value_max": value_max,
                     "per": [str(p) for p in per]})
        out.append(item)
    return out


def _resolve_optional_quantities(doc: _Doc, entries: Iterable[Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for s in entries or []:
        s = str(s)
        starts = _find_all(doc.text, s)
        if not starts:
            raise doc.error(f"optional quantity {s!r}", "not found in the text")
        out.extend(_span(doc.text, i, s) for i in starts)
    return out


def _resolve_event(doc: _Doc, k: int, ev: dict[str, Any],
                   quantities_at: dict[tuple[int, int], dict[str, Any]],
                   quantity_texts: set[str], optional_spans: list[tuple[int, int]]) -> dict[str, Any]:
    if not isinstance(ev, dict):
        raise doc.error(f"event {k}", f"expected a mapping, got {ev!r}")
    clause = ev.get("clause")
    where = f"event {k} ({ev.get('type')}) clause {clause!r}"
    if not clause or not ev.get("type") or not ev.get("trigger"):
        raise doc.error(where, "an event needs type, clause and trigger")
    unknown = set(ev) - {"type", "clause", "trigger", "args", "optional"}
    if unknown:
        raise doc.error(where, f"unknown keys {sorted(unknown)}")
    clause = str(clause)
    starts = _find_all(doc.text, clause, overlapping=True)
    if not starts:
        raise doc.error(where, "clause not found in the text")
    if len(starts) > 1:
        raise doc.error(where, f"clause not unique: found at offsets {starts}")
    c0, c1 = starts[0], starts[0] + len(clause)

    def locate(sub: Any, what: str) -> dict[str, Any]:
        sub = str(sub)
        i = doc.locate_near(sub, c0, c1)
        if i is None:
            raise doc.error(where, f"{what} {sub!r} not found in the clause "
                                   f"nor before it on the same line")
        return _span(doc.text, i, sub)

    trigger = locate(ev["trigger"], "trigger")
    arguments: list[dict[str, Any]] = []
    args = ev.get("args") or {}
    if not isinstance(args, dict):
        raise doc.error(where, "args must be a mapping role: text (or list of texts)")
    for role, value in args.items():
        items = value if isinstance(value, list) else [value]
        for item in items:
            if item is None or item == "":
                raise doc.error(where, f"argument {role!r} is empty")
            span = locate(item, f"argument {role}:")
            arg: dict[str, Any] = {"role": str(role), **span}
            q = quantities_at.get((span["start"], span["end"])) or _sole_quantity_in(span, quantities_at)
            if q is not None:
                for f in _QUANTITY_FIELDS:
                    arg[f] = q[f] if f != "per" else list(q[f])
            elif span["text"] in quantity_texts and not any(
                    o0 < span["end"] and span["start"] < o1 for o0, o1 in optional_spans):
                raise doc.error(where, f"argument {role}: {span['text']!r} located at "
                                       f"{span['start']} is not one of the annotated quantities "
                                       f"(a quantity of that text is listed elsewhere)")
            arguments.append(arg)
    optional = ev.get("optional") or []
    if not isinstance(optional, list):
        optional = [optional]
    optional_arguments = [locate(o, "optional argument") for o in optional]
    return {
        "type": str(ev["type"]),
        "trigger": trigger,
        "start": c0,
        "end": c1,
        "arguments": arguments,
        "optional_arguments": optional_arguments,
    }


def _sole_quantity_in(span: dict[str, Any],
                      quantities_at: dict[tuple[int, int], dict[str, Any]]) -> dict[str, Any] | None:
    """The one annotated quantity inside an argument span that is longer than it
    (``8个变电站`` holds ``8个``), else ``None`` (none, or more than one)."""
    inside = [q for (q0, q1), q in quantities_at.items()
              if span["start"] <= q0 and q1 <= span["end"]]
    return inside[0] if len(inside) == 1 else None


def _line_starts(text: str) -> list[int]:
    """Offsets at which the lines of ``text`` begin (split on ``\\n``): 0, then after each newline."""
    return [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]


def _resolve_optional_events(doc: _Doc, entries: Iterable[Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for k, e in enumerate(entries or []):
        if not isinstance(e, (list, tuple)) or len(e) != 2:
            raise doc.error(f"optional event {k} {e!r}", "expected [type, text]")
        type_, s = str(e[0]), str(e[1])
        i = doc.text.find(s)
        if i == -1:
            raise doc.error(f"optional event {k} ({type_}) {s!r}", "text not found")
        out.append({"type": type_, **_span(doc.text, i, s)})
    return out


# --------------------------------------------------------------------------- API

def resolve_annotation(ann: dict[str, Any], text: str) -> dict[str, Any]:
    """Resolve one compact annotation against its text.

    Returns the dict written as one line of ``gold.jsonl``: ``doc_id``,
    ``published``, ``events``, ``quantities``, ``optional_quantities``,
    ``optional_events``, ``line_starts`` (the offsets at which lines begin: the
    scorer uses them to leave unjudged a time or organizer taken from an earlier line). Raises :class:`GoldError` naming the document and the
    event or quantity when a span cannot be found or a clause is not unique.
    """
    if not isinstance(ann, dict) or "doc_id" not in ann:
        raise GoldError(f"annotation without doc_id: {str(ann)[:80]!r}")
    doc = _Doc(str(ann["doc_id"]), text)
    unknown = set(ann) - {"doc_id", "published", "quantities", "optional_quantities",
                          "events", "optional_events"}
    if unknown:
        raise doc.error("annotation", f"unknown keys {sorted(unknown)}")
    quantities = _resolve_quantities(doc, ann.get("quantities") or [])
    optional_quantities = _resolve_optional_quantities(doc, ann.get("optional_quantities") or [])
    quantities_at = {(q["start"], q["end"]): q for q in quantities}
    quantity_texts = {q["text"] for q in quantities}
    optional_spans = [(o["start"], o["end"]) for o in optional_quantities]
    events = [_resolve_event(doc, k, ev, quantities_at, quantity_texts, optional_spans)
              for k, ev in enumerate(ann.get("events") or [])]
    return {
        "doc_id": doc.doc_id,
        "published": _iso(ann.get("published")),
        "events": events,
        "quantities": quantities,
        "optional_quantities": optional_quantities,
        "optional_events": _resolve_optional_events(doc, ann.get("optional_events") or []),
        "line_starts": _line_starts(text),
    }


def read_report(path: str | Path) -> str:
    """A report as ``str``: UTF-8, a leading BOM removed, newlines kept as they are."""
    data = Path(path).read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.decode("utf-8")


def load_annotation(path: str | Path) -> dict[str, Any]:
    """Read one annotation YAML file; its ``doc_id`` must be the file stem."""
    path = Path(path)
    with path.open(encoding="utf-8") as fh:
        ann = yaml.safe_load(fh)
    if not isinstance(ann, dict):
        raise GoldError(f"{path}: not a mapping")
    if str(ann.get("doc_id")) != path.stem:
        raise GoldError(f"{path}: doc_id {ann.get('doc_id')!r} is not the file stem {path.stem!r}")
    return ann


def resolve_corpus(annotations_dir: str | Path, reports_dir: str | Path) -> list[dict[str, Any]]:
    """Resolve every ``<doc_id>.yaml`` of ``annotations_dir`` against
    ``<reports_dir>/<doc_id>.txt``; documents in ``doc_id`` order."""
    out: list[dict[str, Any]] = []
    for path in sorted(Path(annotations_dir).glob("*.yaml"), key=lambda p: p.stem):
        ann = load_annotation(path)
        report = Path(reports_dir) / f"{path.stem}.txt"
        if not report.is_file():
            raise GoldError(f"{path.stem}: report {report} not found")
        out.append(resolve_annotation(ann, read_report(report)))
    return out


def dump_jsonl(docs: Iterable[dict[str, Any]]) -> str:
    """The resolved documents as JSON Lines (UTF-8 text, one line each, final newline)."""
    return "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m unionie.gold ANNOTATIONS_DIR REPORTS_DIR [-o OUT.jsonl]``."""
    p = argparse.ArgumentParser(prog="python -m unionie.gold",
                                description="Resolve compact gold annotations into gold JSONL.")
    p.add_argument("annotations_dir")
    p.add_argument("reports_dir")
    p.add_argument("-o", "--output", help="output file (default: stdout)")
    ns = p.parse_args(argv)
    try:
        docs = resolve_corpus(ns.annotations_dir, ns.reports_dir)
    except GoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    out = dump_jsonl(docs)
    if ns.output:
        Path(ns.output).write_text(out, encoding="utf-8", newline="\n")
        n_ev = sum(len(d["events"]) for d in docs)
        n_q = sum(len(d["quantities"]) for d in docs)
        print(f"{len(docs)} documents, {n_ev} events, {n_q} quantities -> {ns.output}",
              file=sys.stderr)
    else:
        sys.stdout.write(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Flat records from SCHEMA-shaped documents: the one place the writers read documents.

Every writer (tables, CSV, Parquet, SQL, HTML report) takes an iterable of
:class:`~unionie.document.Document` objects or SCHEMA dicts, turns each into a dict
with :func:`as_dict`, and reads rows from it with :func:`rows`. A *level* is a list
of ``(column, kind)`` pairs; ``kind`` is one of ``str``, ``int``, ``float``,
``bool`` and decides the pandas, Arrow and SQL column types, so a column has the
same type whatever the writer.

Pure standard library: nothing here imports pandas, pyarrow or duckdb.
"""
from __future__ import annotations

import importlib
import json
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from ..errors import InputError

__all__ = [
    "LEVELS",
    "PERSON_COUNT_ROLES",
    "as_dict",
    "iter_dicts",
    "rows",
    "require",
    "check_level",
]

#: Roles whose first value fills the ``person_count`` column, in priority order.
PERSON_COUNT_ROLES = (
    "beneficiary_count",
    "participant_count",
    "trainee_count",
    "recipient_count",
    "audience_count",
    "visitor_count",
)

#: Text roles flattened into the events level (all texts of the role, joined).
_TEXT_ROLES = ("organizer", "time", "name", "beneficiary")
_JOIN = "、"

#: Roles with a column of their own in the events level; every other role (a rule
#: pack's own ``hazard_count``, ``honor``, ``org_kind`` …) goes to ``other_roles``.
COLUMN_ROLES = frozenset(_TEXT_ROLES + PERSON_COUNT_ROLES + ("amount", "rate", "org_count", "count", "items"))

Columns = list[tuple[str, str]]

LEVELS: dict[str, Columns] = {
    "events": [
        ("doc_id", "str"), ("event_index", "int"), ("type", "str"),
        ("trigger", "str"), ("trigger_start", "int"), ("trigger_end", "int"),
        ("start", "int"), ("end", "int"), ("confidence", "float"), ("rule", "str"),
        ("organizer", "str"), ("time", "str"), ("time_value", "str"),
        ("name", "str"), ("beneficiary", "str"),
        ("amount_cny", "float"), ("rate_cny", "float"),
        ("person_count", "float"), ("person_count_unit", "str"),
        ("org_count", "float"), ("count", "float"), ("items", "float"),
        ("n_arguments", "int"), ("other_roles", "str"),
    ],
    "arguments": [
        ("doc_id", "str"), ("event_index", "int"), ("arg_index", "int"), ("type", "str"),
        ("role", "str"), ("text", "str"), ("start", "int"), ("end", "int"),
        ("value", "float"), ("date_value", "str"), ("unit", "str"), ("qualifier", "str"),
        ("value_max", "float"), ("per", "str"),
    ],
    "quantities": [
        ("doc_id", "str"), ("q_index", "int"), ("text", "str"), ("start", "int"), ("end", "int"),
        ("value", "float"), ("unit", "str"), ("qualifier", "str"), ("value_max", "float"),
        ("per", "str"), ("in_event", "bool"),
    ],
    "entities": [
        ("doc_id", "str"), ("e_index", "int"), ("text", "str"), ("start", "int"), ("end", "int"),
        ("label", "str"),
    ],
    "dates": [
        ("doc_id", "str"), ("d_index", "int"), ("text", "str"), ("start", "int"), ("end", "int"),
        ("value", "str"), ("grain", "str"),
    ],
    "documents": [
        ("doc_id", "str"), ("published", "str"), ("n_events", "int"), ("n_quantities", "int"),
        ("n_entities", "int"), ("n_chars", "int"), ("amount_cny", "float"), ("source", "str"),
        ("title", "str"), ("format", "str"), ("published_from", "str"),
    ],
}


def check_level(level: str) -> Columns:
    """The columns of ``level``; an :class:`InputError` naming the valid levels otherwise."""
    try:
        return LEVELS[level]
    except KeyError:
        raise InputError(
            f"unknown level {level!r}; use one of {', '.join(repr(k) for k in LEVELS)}"
        ) from None


def require(module: str, extra: str, feature: str) -> Any:
    """Import an optional dependency, or fail with the ``pip install`` line that brings it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        top = module.split(".")[0]
        raise ImportError(
            f"{feature} needs the optional dependency {top!r}, which is not installed; "
            f'install it with: pip install "unionie[{extra}]"'
        ) from exc


def as_dict(doc: Any) -> Mapping[str, Any]:
    """A SCHEMA dict (with ``text`` when known) for a Document or a dict."""
    if hasattr(doc, "to_dict"):
        return doc.to_dict(include_text=True)
    if isinstance(doc, Mapping):
        return doc
    raise InputError(
        f"expected a unionie Document or a SCHEMA dict, got {type(doc).__name__}"
        + ("; to read a JSON Lines file, parse each line with json.loads first"
           if isinstance(doc, (str, bytes)) else "")
    )


def iter_dicts(docs: Any) -> Iterator[Mapping[str, Any]]:
    """Stream SCHEMA dicts from an iterable of documents (or from one document)."""
    if hasattr(docs, "to_dict") or isinstance(docs, Mapping):
        docs = (docs,)
    elif isinstance(docs, (str, bytes)) or not isinstance(docs, Iterable):
        raise InputError(
            f"expected an iterable of Documents or SCHEMA dicts, got {type(docs).__name__}"
        )
    for doc in docs:
        yield as_dict(doc)


# ---------------------------------------------------------------- value helpers

def _num(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float, Decimal)):
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _is_quantity(arg: Mapping[str, Any]) -> bool:
    return "unit" in arg


def _per(item: Mapping[str, Any]) -> str | None:
    if not _is_quantity(item):
        return None
    return "/".join(str(p) for p in (item.get("per") or ()))


def _span(item: Mapping[str, Any] | None) -> tuple[str | None, int | None, int | None]:
    if not item:
        return None, None, None
    return item.get("text"), item.get("start"), item.get("end")


def _money(args: Iterable[Mapping[str, Any]]) -> float | None:
    """Sum of CNY amounts (not rates) among ``amount`` arguments, or None when there is none."""
    total = None
    for a in args:
        if a.get("role") == "amount" and a.get("unit") == "CNY" and not a.get("per"):
            v = _num(a.get("value"))
            if v is not None:
                total = (total or 0.0) + v
    return total


def event_money(event: Mapping[str, Any]) -> float | None:
    return _money(event.get("arguments") or ())


# ---------------------------------------------------------------- rows per level

def _event_row(doc_id: Any, i: int, ev: Mapping[str, Any]) -> dict[str, Any]:
    args = list(ev.get("arguments") or ())
    trig_text, trig_start, trig_end = _span(ev.get("trigger"))
    by_role: dict[str, list[Mapping[str, Any]]] = {}
    for a in args:
        by_role.setdefault(a.get("role", ""), []).append(a)

    row: dict[str, Any] = {
        "doc_id": doc_id, "event_index": i, "type": ev.get("type"),
        "trigger": trig_text, "trigger_start": trig_start, "trigger_end": trig_end,
        "start": ev.get("start"), "end": ev.get("end"),
        "confidence": _num(ev.get("confidence")), "rule": ev.get("rule") or None,
    }
    for role in _TEXT_ROLES:
        texts: list[str] = []
        for a in by_role.get(role, ()):
            t = a.get("text")
            if t and t not in texts:
                texts.append(t)
        row[role] = _JOIN.join(texts) if texts else None
    times = by_role.get("time", ())
    row["time_value"] = next((str(a["value"]) for a in times if a.get("value") is not None), None)

    row["amount_cny"] = _money(args)
    rate = next((a for a in args if a.get("unit") == "CNY" and a.get("per")), None)
    row["rate_cny"] = _num(rate.get("value")) if rate else None

    row["person_count"] = row["person_count_unit"] = None
    for role in PERSON_COUNT_ROLES:
        first = next((a for a in by_role.get(role, ()) if _num(a.get("value")) is not None), None)
        if first is not None:
            row["person_count"] = _num(first.get("value"))
            row["person_count_unit"] = first.get("unit")
            break
    for col in ("org_count", "count", "items"):
        row[col] = next((_num(a.get("value")) for a in by_role.get(col, ())
                         if _num(a.get("value")) is not None), None)
    row["n_arguments"] = len(args)
    row["other_roles"] = _other_roles(args)
    return row


def _other_roles(args: list[Mapping[str, Any]]) -> str | None:
    """JSON of the arguments whose role has no column: ``{"hazard_count": [410],
    "honor": ["劳动模范"]}`` (the value of a figure, else the text), in text order."""
    out: dict[str, list[Any]] = {}
    for a in args:
        role = a.get("role") or ""
        if role in COLUMN_ROLES:
            continue
        value = _num(a.get("value")) if _is_quantity(a) else None
        if value is not None and float(value).is_integer():
            value = int(value)
        out.setdefault(role, []).append(a.get("text") if value is None else value)
    return json.dumps(out, ensure_ascii=False) if out else None


def _argument_rows(doc_id: Any, i: int, ev: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    for j, a in enumerate(ev.get("arguments") or ()):
        quantity = _is_quantity(a)
        value = a.get("value")
        yield {
            "doc_id": doc_id, "event_index": i, "arg_index": j, "type": ev.get("type"),
            "role": a.get("role"), "text": a.get("text"), "start": a.get("start"), "end": a.get("end"),
            "value": _num(value) if quantity else None,
            "date_value": None if quantity or value is None else str(value),
            "unit": a.get("unit") if quantity else None,
            "qualifier": a.get("qualifier") if quantity else None,
            "value_max": _num(a.get("value_max")) if quantity else None,
            "per": _per(a),
        }


def rows(level: str, doc: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """The rows of one SCHEMA dict at ``level`` (see :data:`LEVELS`)."""
    check_level(level)
    doc_id = doc.get("doc_id")
    doc_id = None if doc_id is None else str(doc_id)
    events = doc.get("events") or ()
    if level == "events":
        for i, ev in enumerate(events):
            yield _event_row(doc_id, i, ev)
    elif level == "arguments":
        for i, ev in enumerate(events):
            yield from _argument_rows(doc_id, i, ev)
    elif level == "quantities":
        used = {(a.get("start"), a.get("end")) for ev in events
                for a in (ev.get("arguments") or ()) if _is_quantity(a)}
        for k, q in enumerate(doc.get("quantities") or ()):
            yield {
                "doc_id": doc_id, "q_index": k, "text": q.get("text"),
                "start": q.get("start"), "end": q.get("end"), "value": _num(q.get("value")),
                "unit": q.get("unit"), "qualifier": q.get("qualifier"),
                "value_max": _num(q.get("value_max")), "per": _per(q) or "",
                "in_event": (q.get("start"), q.get("end")) in used,
            }
    elif level == "entities":
        for k, e in enumerate(doc.get("entities") or ()):
            yield {"doc_id": doc_id, "e_index": k, "text": e.get("text"),
                   "start": e.get("start"), "end": e.get("end"), "label": e.get("label")}
    elif level == "dates":
        for k, d in enumerate(doc.get("dates") or ()):
            yield {"doc_id": doc_id, "d_index": k, "text": d.get("text"),
                   "start": d.get("start"), "end": d.get("end"),
                   "value": None if d.get("value") is None else str(d.get("value")),
                   "grain": d.get("grain")}
    else:  # documents
        text = doc.get("text")
        money = [m for m in (event_money(ev) for ev in events) if m is not None]
        yield {
            "doc_id": doc_id,
            "published": None if doc.get("published") is None else str(doc.get("published")),
            "n_events": len(events), "n_quantities": len(doc.get("quantities") or ()),
            "n_entities": len(doc.get("entities") or ()),
            "n_chars": len(text) if isinstance(text, str) else None,
            "amount_cny": sum(money) if money else None,
            **_source_columns(doc.get("source")),
        }


def _source_columns(source: Any) -> dict[str, Any]:
    """The documents row's source (the file's path), title, format and published_from,
    from a document's ``source`` object (or a bare path, as older records have it)."""
    if isinstance(source, Mapping):
        return {"source": source.get("path"), "title": source.get("title"), "format": source.get("format"),
                "published_from": source.get("published_from")}
    return {"source": None if source is None else str(source), "title": None, "format": None,
            "published_from": None}

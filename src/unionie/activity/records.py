"""Documents rebuilt from SCHEMA dicts (the JSON objects ``unionie extract --include-text`` writes)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping

from ..document import Argument, Date, Document, Event, Quantity, Span
from ..errors import InputError

__all__ = ["document_from_dict"]


def _dec(v: Any) -> Decimal | None:
    return None if v is None else Decimal(str(v))


def _argument(a: Mapping[str, Any]) -> Argument:
    q = d = None
    if "unit" in a:
        q = Quantity(a["text"], a["start"], a["end"], _dec(a.get("value")) or Decimal(0), a["unit"],
                     a.get("qualifier") or "exact", _dec(a.get("value_max")), tuple(a.get("per") or ()))
    elif a.get("role") == "time":
        d = Date(a["text"], a["start"], a["end"], a.get("value"), "")
    return Argument(a["role"], a["text"], a["start"], a["end"], q, d)


def document_from_dict(rec: Mapping[str, Any], n: int = 0) -> Document:
    """A :class:`~unionie.Document` (events only) from a SCHEMA dict that holds its ``text``."""
    text = rec.get("text")
    if not isinstance(text, str):
        raise InputError(f"document {rec.get('doc_id') or n}: the activity table needs each document's "
                         "text (extract with --include-text, or pass Document objects)")
    events = []
    for ev in rec.get("events") or ():
        t = ev.get("trigger") or {}
        events.append(Event(ev["type"], Span(t.get("text", ""), t.get("start", ev["start"]), t.get("end", ev["start"])),
                            ev["start"], ev["end"], tuple(_argument(a) for a in ev.get("arguments") or ()),
                            ev.get("confidence", 0.5), ev.get("rule", "")))
    return Document(text=text, doc_id=str(rec.get("doc_id") or f"doc{n}"), published=rec.get("published"),
                    events=tuple(events))

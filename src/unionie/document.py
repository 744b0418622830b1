"""The output contract (SCHEMA.md) as frozen, typed value objects.

Every object has ``to_dict()`` giving exactly the JSON shape of SCHEMA.md: the one
serialization of a document. Beside it, :func:`to_wire` / :func:`from_wire` give the
plain nested tuples worker processes send back (``extract_many(n_process=...)``).
Money and every other value is kept as :class:`decimal.Decimal` inside and turned
into a plain ``int`` (when integral) or ``float`` only at the JSON edge.
"""
from __future__ import annotations

import operator
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any, Literal

__all__ = [
    "Quantity",
    "Date",
    "Entity",
    "Span",
    "Argument",
    "Event",
    "Document",
    "json_number",
]

Qualifier = Literal["exact", "over", "under", "approx", "range"]
Grain = Literal["year", "month", "day", "period", "season", "quarter", "half"]


def json_number(value: Decimal | int | float | None) -> int | float | None:
    """A Decimal as the plain JSON number: ``int`` when integral, else ``float``."""
    if value is None:
        return None
    if isinstance(value, bool):  # pragma: no cover - defensive
        return int(value)
    if isinstance(value, int):
        return value
    d = Decimal(value) if not isinstance(value, Decimal) else value
    if d == d.to_integral_value():
        return int(d)
    return float(d)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with its unit, as found in the text.

    ``value`` and ``value_max`` are exact :class:`~decimal.Decimal` values, already
    scaled (2.2万 is 22000). ``unit`` is ``"CNY"`` for money, ``"%"`` for percentages,
    else the measure word as written. ``per`` holds the denominators of a rate.
    """

    text: str
    start: int
    end: int
    value: Decimal
    unit: str
    qualifier: Qualifier = "exact"
    value_max: Decimal | None = None
    per: tuple[str, ...] = ()
    rule: str = ""

    @property
    def is_money(self) -> bool:
        return self.unit == "CNY"

    @property
    def is_rate(self) -> bool:
        return bool(self.per)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "value": json_number(self.value),
            "unit": self.unit,
            "qualifier": self.qualifier,
            "value_max": json_number(self.value_max),
            "per": list(self.per),
        }


@dataclass(frozen=True, slots=True)
class Date:
    """A date or period. ``value`` is ISO at ``grain`` (``2018-07``), an ISO interval
    (``2014/2019``) for periods, or ``None`` when a relative date cannot be resolved."""

    text: str
    start: int
    end: int
    value: str | None
    grain: str
    rule: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end,
                "value": self.value, "grain": self.grain}


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity: ``ORG``, ``GPE``, ``PERSON``, ``HONOR`` or ``WORK``."""

    text: str
    start: int
    end: int
    label: str
    rule: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end, "label": self.label}


@dataclass(frozen=True, slots=True)
class Span:
    """A plain piece of text with its offsets (used for triggers)."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class Argument:
    """An event argument. Quantity-valued arguments carry ``quantity``; time
    arguments carry ``date``; text arguments carry neither."""

    role: str
    text: str
    start: int
    end: int
    quantity: Quantity | None = None
    date: Date | None = None

    @property
    def value(self) -> Decimal | str | None:
        if self.quantity is not None:
            return self.quantity.value
        if self.date is not None:
            return self.date.value
        return None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"role": self.role, "text": self.text, "start": self.start, "end": self.end}
        if self.quantity is not None:
            q = self.quantity.to_dict()
            for k in ("value", "unit", "qualifier", "value_max", "per"):
                d[k] = q[k]
        elif self.date is not None:
            d["value"] = self.date.value
        return d


@dataclass(frozen=True, slots=True)
class Event:
    """One reported activity: its type, trigger, clause extent and arguments."""

    type: str
    trigger: Span
    start: int
    end: int
    arguments: tuple[Argument, ...] = ()
    confidence: float = 0.5
    rule: str = ""

    def args(self, role: str) -> list[Argument]:
        """The arguments with this role, in text order."""
        return [a for a in self.arguments if a.role == role]

    def arg(self, role: str) -> Argument | None:
        """The first argument with this role, or None."""
        for a in self.arguments:
            if a.role == role:
                return a
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "trigger": self.trigger.to_dict(),
            "start": self.start,
            "end": self.end,
            "arguments": [a.to_dict() for a in self.arguments],
            "confidence": round(self.confidence, 3),
            "rule": self.rule,
        }


@dataclass(frozen=True, slots=True)
class Document:
    """The result of extracting one text."""

    text: str
    doc_id: str | None = None
    published: str | None = None
    quantities: tuple[Quantity, ...] = ()
    dates: tuple[Date, ...] = ()
    entities: tuple[Entity, ...] = ()
    events: tuple[Event, ...] = field(default=())
    #: Where the text came from, for documents read from files (docs/schema.md): path,
    #: format, title, published_from; None for a text given as such.
    source: dict[str, Any] | None = field(default=None, hash=False)

    def events_of(self, type_: str) -> list[Event]:
        return [e for e in self.events if e.type == type_]

    def to_dict(self, *, include_text: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {
            "doc_id": self.doc_id,
            "published": self.published,
            "events": [e.to_dict() for e in self.events],
            "quantities": [q.to_dict() for q in self.quantities],
            "entities": [e.to_dict() for e in self.entities],
            "dates": [x.to_dict() for x in self.dates],
        }
        if self.source is not None:
            d["source"] = dict(self.source)
        if include_text:
            d["text"] = self.text
        return d


def _compact_pickling(cls: type) -> None:
    """Pickle ``cls`` as its class and a tuple of its field values.

    The default for slotted dataclasses calls ``dataclasses.fields()`` for every object
    both ways; batches of Documents that users send between processes (Dask, their own
    multiprocessing) are made of thousands of these objects, and this halves their cost.
    (``extract_many(n_process=...)`` sends its own plainer form: :func:`to_wire`.)
    """
    getter = operator.attrgetter(*(f.name for f in fields(cls)))

    def __reduce__(self: Any) -> tuple[type, tuple[Any, ...]]:
        return cls, getter(self)

    cls.__reduce__ = __reduce__  # type: ignore[attr-defined]


for _cls in (Quantity, Date, Entity, Span, Argument, Event, Document):
    _compact_pickling(_cls)
del _cls


def fast_constructor(cls: type) -> Any:
    """``make(*values)`` building ``cls`` from all its field values, in field order, without
    ``__init__``: it sets the slots directly (about twice as fast as a frozen dataclass's
    ``__init__``, which goes through ``object.__setattr__``). For decoding trusted data that
    holds every field, such as the results worker processes send back."""
    names = [f.name for f in fields(cls)]
    env: dict[str, Any] = {"new": object.__new__, "cls": cls}
    body = []
    for i, name in enumerate(names):
        env[f"set{i}"] = cls.__dict__[name].__set__  # the slot's member descriptor
        body.append(f"    set{i}(o, v{i})")
    args = ", ".join(f"v{i}" for i in range(len(names)))
    src = f"def make({args}):\n    o = new(cls)\n" + "\n".join(body) + "\n    return o\n"
    exec(src, env)  # noqa: S102 - generated from the class's own field names, as dataclasses does
    return env["make"]



# -- the wire form of a Document: nested tuples of plain values ---------------------------------
# Unpickling an object calls its class; the parent would build tens of thousands of frozen
# dataclasses per second through pickle. As tuples they unpickle in C, and the parent builds
# the objects with fast constructors. The text is not sent: the parent has it.
_ROW = {cls: operator.attrgetter(*(f.name for f in fields(cls))) for cls in (Quantity, Date, Entity)}
_MAKE = {cls: fast_constructor(cls) for cls in (Quantity, Date, Entity, Span, Argument, Event, Document)}


def to_wire(doc: Document) -> tuple[Any, ...]:
    """``doc`` as nested tuples of plain values, without its text and source (:func:`from_wire`)."""
    qrow, drow, erow = _ROW[Quantity], _ROW[Date], _ROW[Entity]
    q_index = {id(q): i for i, q in enumerate(doc.quantities)}
    d_index = {id(d): i for i, d in enumerate(doc.dates)}
    events = []
    for ev in doc.events:
        args = []
        for a in ev.arguments:
            q, d = a.quantity, a.date
            # a figure or date of the document is sent as its index (shared, as in the Document)
            qi = q_index.get(id(q), qrow(q)) if q is not None else None
            di = d_index.get(id(d), drow(d)) if d is not None else None
            args.append((a.role, a.text, a.start, a.end, qi, di))
        t = ev.trigger
        events.append((ev.type, (t.text, t.start, t.end), ev.start, ev.end, tuple(args), ev.confidence, ev.rule))
    return (doc.doc_id, doc.published, [qrow(q) for q in doc.quantities], [drow(d) for d in doc.dates],
            [erow(e) for e in doc.entities], events)


def from_wire(wire: tuple[Any, ...], text: str) -> Document:
    """The :class:`Document` of :func:`to_wire`'s ``wire`` and its ``text`` (trusted data)."""
    doc_id, published, q_rows, d_rows, e_rows, ev_rows = wire
    mq, md, me, ms, ma, mev = (_MAKE[c] for c in (Quantity, Date, Entity, Span, Argument, Event))
    qs = tuple([mq(*r) for r in q_rows])
    ds = tuple([md(*r) for r in d_rows])
    events = []
    for typ, (tt, ts, te), start, end, args, conf, rule in ev_rows:
        arguments = tuple([ma(role, atext, a, b,
                              None if qi is None else qs[qi] if type(qi) is int else mq(*qi),
                              None if di is None else ds[di] if type(di) is int else md(*di))
                           for role, atext, a, b, qi, di in args])
        events.append(mev(typ, ms(tt, ts, te), start, end, arguments, conf, rule))
    return _MAKE[Document](text, doc_id, published, qs, ds, tuple([me(*r) for r in e_rows]), tuple(events), None)

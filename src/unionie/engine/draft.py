"""An event being built, and the one function that gives a figure its role."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ..document import Argument, Event, Quantity, Span, fast_constructor
from ..normalize.text import fold
from ..rules.loader import EventType
from .segment import Clause
from .triggers import TriggerMatch

__all__ = ["Draft", "quantity_role", "unit_key", "qarg", "ARGUMENT", "EVENT", "SPAN",
           "TIME", "ORGANIZER", "NAME"]

# the value objects with every field given in order: made thousands of times per second
ARGUMENT, EVENT, SPAN = (fast_constructor(c) for c in (Argument, Event, Span))

#: the roles the engine fills itself (every other role is named by the rule pack)
TIME, ORGANIZER, NAME = "time", "organizer", "name"


def unit_key(q: Quantity) -> str:
    """Roles are looked up by the Simplified measure word (個 -> 个)."""
    return q.unit if q.unit in ("CNY", "%") else _simplified(q.unit)


@lru_cache(maxsize=512)
def _simplified(unit: str) -> str:
    return fold(unit, traditional=True)


def quantity_role(etype: EventType, q: Quantity) -> str | None:
    """The role a figure takes in an event of ``etype`` (by its unit and per-unit), or None."""
    return etype.role_for(unit_key(q), bool(q.per))


def qarg(role: str, q: Quantity, text: str) -> Argument:
    """The argument of a figure in ``role``."""
    return ARGUMENT(role, text[q.start:q.end], q.start, q.end, q, None)


_GOODS = "goods"  #: the text-role kind of gifts given: a role that counts several goods


@dataclass(slots=True)  # thousands per text, probes included: no __dict__ each
class Draft:
    """An event being built."""

    etype: EventType
    trigger: TriggerMatch
    start: int
    end: int
    clause: Clause
    segment: tuple[int, int]
    args: list[Argument] = field(default_factory=list)
    in_clause_date: bool = False
    continued: bool = False
    strong: bool = False  #: named by a trigger that needs no further evidence

    roles: set[str] = field(default_factory=set)
    role_units: set[tuple[str, str]] = field(default_factory=set)

    def has(self, role: str) -> bool:
        return role in self.roles

    def free(self, role: str, q: Quantity) -> bool:
        """The role can take this figure: no figure of the same unit fills it yet
        (参赛队伍42支、选手200余名 are both participant counts)."""
        if self.etype.text_roles.get(role) == _GOODS:
            return True  # 400件凉茶、1500公斤绿豆、440公斤红糖: each figure counts goods of its own
        return (role, unit_key(q)) not in self.role_units

    def add(self, arg: Argument) -> None:
        self.args.append(arg)
        self.roles.add(arg.role)
        if arg.quantity is not None:
            self.role_units.add((arg.role, unit_key(arg.quantity)))

    def set_args(self, args: list[Argument]) -> None:
        """Replace the arguments (some dropped or changed), and the roles they fill with them."""
        self.args = args
        self.roles = {a.role for a in args}
        self.role_units = {(a.role, unit_key(a.quantity)) for a in args if a.quantity is not None}

    def role_of(self, q: Quantity) -> str | None:
        """The role ``q`` takes in this event (:func:`quantity_role`)."""
        return quantity_role(self.etype, q)

    def texts_of(self, folded: str, role: str) -> set[str]:
        """The (folded) texts of the arguments in ``role``."""
        return {folded[a.start:a.end] for a in self.args if a.role == role}

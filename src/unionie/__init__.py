"""unionie: typed, normalized events from Chinese trade-union work reports."""
from __future__ import annotations

from .document import Argument, Date, Document, Entity, Event, Quantity, Span
from .errors import DecodeError, InputError, QuantityParseError, RuleError, UnionieError
from .normalize.quantities import parse_quantity

__version__ = "0.1.0"

__all__ = [
    "Argument", "Date", "Document", "Entity", "Event", "Quantity", "Span",
    "UnionieError", "InputError", "DecodeError", "QuantityParseError", "RuleError",
    "parse_quantity",
    "__version__",
]

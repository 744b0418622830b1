"""unionie: typed, normalized events from Chinese trade-union work reports.

>>> import unionie
>>> doc = unionie.extract("春节期间，新区总工会投入资金8.9万元，慰问困难职工家庭95户。")
>>> [(e.type, e.trigger.text) for e in doc.events]
[('subsidy', '慰问')]
"""
from __future__ import annotations

from .activity import activities
from .api import explain, extract, extract_file, load, read
from .document import Argument, Date, Document, Entity, Event, Quantity, Span
from .errors import DecodeError, InputError, OutputError, QuantityParseError, RuleError, UnionieError
from .io import to_dataframe, to_sql
from .normalize.quantities import parse_quantity
from .parallel import extract_many
from .render import write_report  # also gives Document its notebook view (_repr_html_)

__version__ = "0.1.0"

__all__ = [
    "extract", "extract_file", "extract_many", "explain", "load", "read", "parse_quantity",
    "activities",
    "to_dataframe", "to_sql", "write_report",
    "Document", "Event", "Argument", "Quantity", "Date", "Entity", "Span",
    "UnionieError", "InputError", "DecodeError", "QuantityParseError", "RuleError",
    "OutputError", "__version__",
]

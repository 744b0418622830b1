"""The errors unionie raises. All derive from :class:`UnionieError`.

Each error has a stable code (``U1xx`` input, ``U2xx`` rules, ``U3xx`` I/O) so
that docs/errors.md and log searches can name it.
"""
from __future__ import annotations

__all__ = [
    "UnionieError",
    "QuantityParseError",
    "RuleError",
    "InputError",
    "DecodeError",
    "OutputError",
    "FormatError",
    "NoTextLayerError",
    "EncryptedError",
    "ConverterError",
    "MissingExtraError",
    "DuplicateIdError",
    "FetchError",
]


class UnionieError(Exception):
    """Base class of every error unionie raises on purpose."""

    code = "U000"

    def __str__(self) -> str:  # pragma: no cover - trivial
        msg = super().__str__()
        return f"[{self.code}] {msg}"


class QuantityParseError(UnionieError, ValueError):
    """A single expression given to :func:`unionie.parse_quantity` is not a quantity."""

    code = "U101"


class InputError(UnionieError, ValueError):
    """An input document cannot be processed (wrong value, unreadable file)."""

    code = "U102"


class DecodeError(InputError):
    """A file's bytes could not be decoded; names the file and the byte offset."""

    code = "U301"

    def __init__(self, path: str, offset: int | None, encoding: str | None, reason: str = ""):
        self.path = path
        self.offset = offset
        self.encoding = encoding
        where = f" at byte {offset}" if offset is not None else ""
        enc = f" as {encoding}" if encoding else ""
        super().__init__(f"cannot decode {path}{enc}{where}{': ' + reason if reason else ''}")


class RuleError(UnionieError, ValueError):
    """A rule pack is malformed. Names the file, the line and the rule id."""

    code = "U201"

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 rule_id: str | None = None):
        self.path = path
        self.line = line
        self.rule_id = rule_id
        where = ""
        if path:
            where = path + (f":{line}" if line else "")
        if rule_id:
            where += f" (rule {rule_id})" if where else f"rule {rule_id}"
        super().__init__(f"{where}: {message}" if where else message)


class OutputError(UnionieError, ValueError):
    """An output cannot be written as asked, e.g. a file at the output path that is not a
    database of the kind its name says; names the file. The file is left untouched."""

    code = "U309"

    def __init__(self, message: str, *, path: str | None = None):
        self.path = path
        super().__init__(message)


class FormatError(InputError):
    """A document file (HTML, Word, PDF, .doc) cannot be read: names the file, its format
    and the reason (truncated, corrupt, no text layer, locked, no converter). Subclasses
    give each kind its own code (docs/errors.md, docs/formats.md)."""

    code = "U302"

    def __init__(self, path: str, fmt: str, reason: str, hint: str = ""):
        self.path, self.format, self.reason, self.hint = path, fmt, reason, hint
        super().__init__(f"cannot read {path} ({fmt}): {reason}" + (f"; {hint}" if hint else ""))


class NoTextLayerError(FormatError):
    """A PDF whose pages hold no text (a scan): it needs OCR first."""

    code = "U303"


class EncryptedError(FormatError):
    """A password-protected PDF (or Word file)."""

    code = "U304"


class ConverterError(FormatError):
    """A legacy format (.doc) and no converter installed to read it, or the converter failed."""

    code = "U305"


class MissingExtraError(InputError):
    """A reader's optional dependency is not installed; names the extra to install."""

    code = "U306"


class DuplicateIdError(InputError):
    """Two input files have one stem, so one doc_id: names both."""

    code = "U307"


class FetchError(InputError):
    """A URL could not be fetched (timeout, connection or HTTP error)."""

    code = "U308"

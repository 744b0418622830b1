"""What every reader returns (:class:`Source`) and the helpers the readers share: the one
module below :mod:`unionie.io.sources` and the format readers (so that they do not import
each other in a circle)."""
from __future__ import annotations

import datetime as _dt
import importlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import MissingExtraError

__all__ = ["Source", "require", "parse_date"]


@dataclass(frozen=True)
class Source:
    """A document as read from a file: its text and what the file says about itself.

    ``published`` is the publication date the file itself states (a web page's meta tag,
    JSON-LD or dateline), with ``published_from`` naming which; ``file_date`` is a date
    from the file's metadata (Word's created date, a PDF's CreationDate), which is *not*
    a publication date and is used only when asked (``use_file_date``).
    """

    text: str
    format: str
    path: str | None = None
    title: str | None = None
    published: _dt.date | None = None
    published_from: str = "none"
    file_date: _dt.date | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def doc_id(self) -> str | None:
        """The file stem (``None`` for bytes read without a name)."""
        return Path(self.path).stem if self.path else None

    def provenance(self, published_from: str | None = None) -> dict[str, Any]:
        """The ``source`` object of the output (docs/schema.md)."""
        return {"path": self.path, "format": self.format, "title": self.title,
                "published_from": published_from or self.published_from}


def require(module: str, feature: str) -> Any:
    """Import a reader's library, or fail naming the extra that installs it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError(
            f"{feature} needs the optional dependency {module.split('.')[0]!r}, which is not installed; "
            'install it with: pip install "unionie[formats]"') from exc


# -- shared helpers for the readers ---------------------------------------------------------
_DATE = re.compile(r"((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")


def parse_date(value: str | None) -> _dt.date | None:
    """The first plausible calendar date in ``value`` (ISO, 2021年3月5日, 2021/3/5, 2021.3.5),
    or a unix timestamp; None when there is none."""
    if not value:
        return None
    m = _DATE.search(value)
    if m:
        try:
            return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    if re.fullmatch(r"\s*1\d{9}\s*", value):  # a unix timestamp (2001..2033)
        return _dt.datetime.fromtimestamp(int(value), tz=_dt.timezone(_dt.timedelta(hours=8))).date()
    return None

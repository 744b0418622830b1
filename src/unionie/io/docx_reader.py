"""Word files (.docx), with python-docx.

Kept: the body's paragraphs in document order, each paragraph's runs (and hyperlinks)
joined into one line; tables in their place, read row by row, one clause per row (the
cells of a row joined by "，", the row ended by "。", cells repeated by a merge read once),
so that 单位 | 户数 | 金额 never glues two figures together. Dropped: page headers and
footers (python-docx keeps them apart from the body), footnotes, comments, empty
paragraphs. The title is the core property ``title``, else the first paragraph styled
Title or Heading 1; the created date is a file date, not a publication date.
"""
from __future__ import annotations

import io
import zipfile
from typing import Any

from ..errors import EncryptedError, FormatError
from .source import Source, require

__all__ = ["read_docx"]

_END = "。！？；：.!?;:"


def read_docx(data: bytes, name: str = "<docx>") -> Source:
    """Read a .docx file's bytes into a :class:`~unionie.io.sources.Source`."""
    docx = require("docx", "reading Word files")
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # Office keeps an encrypted .docx in an OLE box
        raise EncryptedError(name, "docx", "the Word file is password-protected",
                             "open it in Word and save it without a password")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            bad = z.testzip()
            if bad is not None:
                raise FormatError(name, "docx", f"truncated or corrupt: the part {bad} fails its checksum")
            if "word/document.xml" not in z.namelist():
                raise FormatError(name, "docx", "a ZIP file without word/document.xml, not a Word document")
        d = docx.Document(io.BytesIO(data))
    except FormatError:
        raise
    except zipfile.BadZipFile as exc:
        raise FormatError(name, "docx", f"truncated or corrupt: not a complete ZIP archive ({exc})") from exc
    except Exception as exc:  # noqa: BLE001 - python-docx and lxml raise many kinds
        raise FormatError(name, "docx", f"corrupt: {type(exc).__name__}: {exc}") from exc
    lines: list[str] = []
    title: str | None = None
    for block in d.iter_inner_content():
        if hasattr(block, "rows"):
            lines.extend(_table_rows(block))
            continue
        text = block.text.strip()
        if not text:
            continue
        style = (block.style.name if block.style is not None else "") or ""
        if title is None and style in ("Title", "Heading 1", "标题", "标题 1"):
            title = text
        lines.append(text)
    props = d.core_properties
    title = (props.title or "").strip() or title
    created = props.created.date() if props.created is not None else None
    text = "\n".join(lines) + ("\n" if lines else "")
    return Source(text=text, format="docx", path=name, title=title, file_date=created)


def _table_rows(table: Any) -> list[str]:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell appears once per grid column it spans
                continue
            seen.add(id(cell._tc))
            inner = "，".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
            nested = [r for t in cell.tables for r in _table_rows(t)]
            if inner:
                cells.append(inner.rstrip("。；;，,"))
            cells.extend(n.rstrip("。") for n in nested)
        if cells:
            line = "，".join(cells)
            rows.append(line if line[-1] in _END else line + "。")
    return rows

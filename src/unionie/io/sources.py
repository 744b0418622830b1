"""Reading reports where users keep them: text, Markdown, web pages, Word files, PDFs.

One small interface: :func:`read` takes a path (or bytes and a name) and returns a
:class:`Source`: the document text that extraction reads (spans index it) and what the
file says about itself (format, title, publication date and where that date came from).
The format is found by content first (a PDF, ZIP/Word or OLE signature; markup that is
HTML), then by extension. Each format has its own module:

=========  ============================  ==========================================
format     module                        library
=========  ============================  ==========================================
txt, md    :mod:`unionie.io.readers`     charset-normalizer (encoding detection)
html       :mod:`unionie.io.html_reader`  trafilatura (main text) + htmldate (date)
docx       :mod:`unionie.io.docx_reader`  python-docx
pdf        :mod:`unionie.io.pdf_reader`   pypdf (text layer)
doc        :mod:`unionie.io.doc_reader`   antiword, catdoc or LibreOffice, when installed
=========  ============================  ==========================================

docs/formats.md says what each reader keeps and drops, and the error for each
unreadable kind.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from ..errors import FormatError, InputError
from .doc_reader import read_doc
from .docx_reader import read_docx
from .html_reader import read_html
from .pdf_reader import read_pdf
from .readers import _decode_as, decode_bytes
from .source import Source, parse_date, require  # noqa: F401 - the readers' shared pieces, re-exported

__all__ = ["Source", "read", "read_bytes", "sniff_format", "SUPPORTED_SUFFIXES", "DEFAULT_GLOB",
           "PUBLISHED_FROM"]

#: File name suffixes read in folders by default, and the format each implies.
SUFFIX_FORMAT = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html",
                 ".htm": "html", ".xhtml": "html", ".shtml": "html", ".docx": "docx", ".pdf": "pdf",
                 ".doc": "doc"}
SUPPORTED_SUFFIXES = tuple(SUFFIX_FORMAT)
#: The default ``--glob`` of ``unionie extract``: every supported format.
DEFAULT_GLOB = "*.{" + ",".join(s.lstrip(".") for s in SUPPORTED_SUFFIXES) + "}"
#: Where a document's publication date came from (``source.published_from``).
PUBLISHED_FROM = ("meta", "json-ld", "dateline", "text", "argument", "file-metadata", "none")

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta)\b",
                         re.IGNORECASE | re.DOTALL)


def sniff_format(data: bytes, name: str = "") -> str:
    """The format of ``data``: by content first, then by the suffix of ``name``."""
    suffix = Path(name).suffix.lower()
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx" if (suffix != ".zip") else "zip"
    if data.startswith(_OLE):
        return "doc"
    if data.lstrip()[:5] == b"{\\rtf":
        return "rtf"
    by_suffix = SUFFIX_FORMAT.get(suffix)
    if by_suffix in ("txt", "md") or by_suffix is None:
        head = data[:2048]
        for bom in (b"\xef\xbb\xbf",):
            head = head[len(bom):] if head.startswith(bom) else head
        if _HTML_START.match(head):
            return "html"
        return by_suffix or "txt"
    return by_suffix


def read(path: str | os.PathLike[str], *, encoding: str = "auto", use_file_date: bool = False) -> Source:
    """Read one report file of any supported format (see the module docstring).

    :raises InputError: the file cannot be read (missing, no permission).
    :raises DecodeError: a text or HTML file whose bytes do not decode.
    :raises FormatError: a Word file or PDF that cannot be read, with the reason
        (:class:`~unionie.errors.NoTextLayerError` for a scan,
        :class:`~unionie.errors.EncryptedError` for a locked PDF,
        :class:`~unionie.errors.ConverterError` for a .doc without a converter).
    :raises MissingExtraError: the reader's library is not installed (names the extra).
    """
    name = os.fspath(path)
    try:
        data = Path(name).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {name}: {exc.strerror or exc}") from exc
    return read_bytes(data, name, encoding=encoding, use_file_date=use_file_date)


def read_bytes(data: bytes, name: str = "<bytes>", *, encoding: str = "auto", fmt: str | None = None,
               use_file_date: bool = False) -> Source:
    """:func:`read` for bytes already in memory; ``name`` is used in errors and for its
    suffix; ``fmt`` forces a format (``txt``, ``md``, ``html``, ``docx``, ``pdf``, ``doc``)."""
    fmt = fmt or sniff_format(data, name)
    if fmt in ("txt", "md"):
        text = decode_bytes(data, name) if encoding == "auto" else _decode_as(data, encoding, name)
        src = Source(text=text, format=fmt, path=name)
    elif fmt == "html":
        src = read_html(data, name, encoding=encoding)
    elif fmt == "docx":
        src = read_docx(data, name)
    elif fmt == "pdf":
        src = read_pdf(data, name)
    elif fmt == "doc":
        src = read_doc(data, name)
    elif fmt == "rtf":
        raise FormatError(name, "rtf", "an RTF file, which unionie does not read",
                          "save it as .docx or convert it: libreoffice --headless --convert-to docx FILE")
    else:
        raise FormatError(name, fmt, "a ZIP archive, not a report", "unpack it and read the files inside")
    if not use_file_date and src.published_from == "file-metadata":  # pragma: no cover - readers never set it
        src = Source(**{**src.__dict__, "published": None, "published_from": "none"})
    if use_file_date and src.published is None and src.file_date is not None:
        src = Source(**{**src.__dict__, "published": src.file_date, "published_from": "file-metadata"})
    return src

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

import datetime as _dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import FormatError, InputError, MissingExtraError

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
        from .readers import _decode_as, decode_bytes

        text = decode_bytes(data, name) if encoding == "auto" else _decode_as(data, encoding, name)
        src = Source(text=text, format=fmt, path=name)
    elif fmt == "html":
        from .html_reader import read_html

        src = read_html(data, name, encoding=encoding)
    elif fmt == "docx":
        from .docx_reader import read_docx

        src = read_docx(data, name)
    elif fmt == "pdf":
        from .pdf_reader import read_pdf

        src = read_pdf(data, name)
    elif fmt == "doc":
        from .doc_reader import read_doc

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


def require(module: str, feature: str) -> Any:
    """Import a reader's library, or fail naming the extra that installs it."""
    import importlib

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


def published_from(argument: Any, src: Source, found: Any) -> str:
    """Where a document's ``published`` came from: ``argument`` (``--published`` /
    ``published=``, which wins), the file itself (``src.published_from``), ``text`` (the
    extractor read a 发布时间 line in the text), else ``none``."""
    if argument is not None:
        return "argument"
    if src.published is not None:
        return src.published_from
    return "text" if found else "none"


def duplicate_stems(files: list[Any]) -> dict[Any, str]:
    """Files that share a stem (so a doc_id) with another: each mapped to the error naming
    all of them. ``"-"`` (stdin) is left out."""
    by_stem: dict[str, list[Any]] = {}
    for f in files:
        if f != "-":
            by_stem.setdefault(Path(f).stem, []).append(f)
    out: dict[Any, str] = {}
    for stem, group in by_stem.items():
        if len(group) > 1:
            names = ", ".join(os.fspath(g) for g in group)
            for g in group:
                out[g] = f"{len(group)} files have the doc_id {stem!r} (their stem): {names}; rename all but one"
    return out


def attach(doc: Any, src: Source, argument: Any = None) -> Any:
    """``doc`` (a :class:`~unionie.Document`) with its ``source`` set from ``src``."""
    import dataclasses

    return dataclasses.replace(doc, source=src.provenance(published_from(argument, src, doc.published)))


@dataclass(frozen=True)
class Unread:
    """An input that could not be read: its name, the doc_id it would have had, the error."""

    source: str
    doc_id: str | None
    error: BaseException


def iter_sources(paths: Any, *, glob: str = DEFAULT_GLOB, encoding: str = "auto", skip: Any = (),
                 use_file_date: bool = False, stdin: Any = None, skipped: list[str] | None = None) -> Any:
    """Read files, folders (recursively, files matching ``glob``), URLs and ``"-"`` (the
    bytes of ``stdin``), lazily, in a stable order: yields ``(doc_id, Source)`` for each
    document read and :class:`Unread` for each that is not (two files with one stem are
    both Unread). doc_ids in ``skip`` are passed over (and appended to ``skipped`` when
    given). This is what the command line reads.

    :raises InputError: a path does not exist (before anything is yielded).
    """
    from .fetch import is_url
    from .readers import iter_paths

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    files: list[Any] = []
    for p in paths:
        if p == "-" or is_url(p):
            files.append(p)
        else:
            files.extend(iter_paths([p], glob=glob))
    clash = duplicate_stems([f for f in files if not is_url(f)])
    return _sources(files, clash, encoding, set(skip), use_file_date, stdin, skipped)


def _sources(files: list[Any], clash: dict[Any, str], encoding: str, skip: set[str], use_file_date: bool,
             stdin: Any, skipped: list[str] | None = None) -> Any:
    from ..errors import DuplicateIdError, UnionieError
    from .fetch import fetch, is_url, url_doc_id

    for f in files:
        if f == "-":
            name, doc_id = "<stdin>", "stdin"
        elif is_url(f):
            name, doc_id = f, url_doc_id(f)
        else:
            name, doc_id = str(f), Path(f).stem
        if doc_id in skip:
            if skipped is not None:
                skipped.append(doc_id)
            continue
        if f in clash:
            yield Unread(name, doc_id, DuplicateIdError(clash[f]))
            continue
        try:
            if f == "-":
                src = read_bytes(stdin.read() if stdin is not None else b"", name, encoding=encoding,
                                 use_file_date=use_file_date)
            elif is_url(f):
                src = fetch(f, encoding=encoding)
            else:
                src = read(f, encoding=encoding, use_file_date=use_file_date)
        except (UnionieError, OSError, UnicodeDecodeError, LookupError) as e:
            yield Unread(name, doc_id, e)
            continue
        yield doc_id, src

"""PDFs with a text layer, with pypdf.

pypdf (pure Python, maintained, reads encrypted files and reports them as such) gives
each piece of text with its position; lines are rebuilt from the positions and rejoined
into paragraphs: a line that is indented starts a paragraph; where paragraphs are not
indented, a line that stops well short of the text width ends one; the lines of a paragraph are joined without a space (Chinese),
or with one between two Latin letters, so a figure broken across lines (``2`` / ``个``,
``1750余人`` / ``。``) is one figure again. Dropped: page numbers at the top or bottom of
a page (``— 3 —``, ``- 3 -``, ``第3页``, ``第3页 共9页``, ``3/9``, ``3``) and running
headers and footers (a first or last line that comes back, digits aside, on at least two
pages and half of them).

Errors: a PDF whose pages hold no text is a scan (:class:`NoTextLayerError`, run OCR);
a PDF that needs a password (:class:`EncryptedError`); a truncated or corrupt file
(:class:`FormatError`). The document information's CreationDate is a file date, not a
publication date.
"""
from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from typing import Any

from ..errors import EncryptedError, FormatError, NoTextLayerError
from .source import Source, parse_date, require

__all__ = ["read_pdf", "PAGE_NUMBER"]

#: A line that is only a page number.
PAGE_NUMBER = re.compile(r"^\s*(?:[—–\-－~～·•]*\s*\d{1,4}\s*[—–\-－~～·•]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
                         r"|\d{1,4}\s*/\s*\d{1,4}|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)\s*$")
_WIDE = re.compile(r"[\u1100-\uffff]")


class _Line:
    __slots__ = ("page", "x", "y", "size", "text")

    def __init__(self, page: int, x: float, y: float, size: float, text: str) -> None:
        self.page, self.x, self.y, self.size, self.text = page, x, y, size, text

    @property
    def width(self) -> float:
        """The line's width estimated from its characters (CJK full, Latin half)."""
        wide = len(_WIDE.findall(self.text))
        return (wide + 0.5 * (len(self.text) - wide)) * self.size


def read_pdf(data: bytes, name: str = "<pdf>") -> Source:
    """Read a PDF's bytes into a :class:`~unionie.io.sources.Source`."""
    pypdf = require("pypdf", "reading PDFs")
    if b"%%EOF" not in data[-2048:]:
        raise FormatError(name, "pdf", "truncated: the file does not end with %%EOF",
                          "download or copy it again")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception as exc:  # noqa: BLE001 - e.g. AES without the cryptography package
                raise EncryptedError(name, "pdf", f"the PDF is encrypted and cannot be opened ({exc})") from exc
            if not ok:
                raise EncryptedError(name, "pdf", "the PDF is password-protected",
                                     "save an unlocked copy (e.g. qpdf --decrypt --password=PW in.pdf out.pdf)")
        lines = [ln for i, page in enumerate(reader.pages) for ln in _page_lines(page, i)]
        n_pages = len(reader.pages)
        info = reader.metadata
    except (EncryptedError, FormatError):
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on a broken file
        raise FormatError(name, "pdf", f"corrupt: {type(exc).__name__}: {exc}") from exc
    if not any(ln.text.strip() for ln in lines):
        raise NoTextLayerError(name, "pdf", f"no text layer on any of its {n_pages} page(s) (a scan?)",
                               "run OCR first, e.g. ocrmypdf -l chi_sim FILE out.pdf, and read out.pdf")
    body = _drop_furniture(lines)
    text = "\n".join(_paragraphs(body))
    title = None
    created = None
    if info is not None:
        t = (info.get("/Title") or "").strip()
        title = t if t and t.lower() not in ("untitled", "无标题") else None
        created = parse_date(_pdf_date(info.get("/CreationDate")))
    return Source(text=text + ("\n" if text else ""), format="pdf", path=name, title=title, file_date=created)


def _pdf_date(raw: Any) -> str | None:
    m = re.match(r"D:(\d{4})(\d{2})(\d{2})", str(raw or ""))
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else None


def _page_lines(page: Any, index: int) -> list[_Line]:
    """The page's lines, top to bottom, from the positions of its text pieces."""
    pieces: list[tuple[float, float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = (abs(tm[3] * cm[3]) or 1.0) if tm[3] else 1.0
        for k, part in enumerate(text.split("\n")):  # a piece may hold several lines
            if part.strip():
                pieces.append((x, y - k * size * scale * 1.2, size * scale, part))

    plain = page.extract_text(visitor_text=visit)
    if not pieces:
        return [_Line(index, 0.0, 0.0, 12.0, ln) for ln in (plain or "").splitlines() if ln.strip()]
    rows: dict[int, list[tuple[float, float, float, str]]] = {}
    for p in pieces:
        rows.setdefault(round(p[1] / 2), []).append(p)
    lines = []
    for key in sorted(rows, reverse=True):
        row = sorted(rows[key])
        text = "".join(p[3] for p in row).rstrip()
        lines.append(_Line(index, row[0][0], row[0][1], max(p[2] for p in row), text))
    return lines


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _drop_furniture(lines: list[_Line]) -> list[_Line]:
    """Without page numbers and running headers/footers (first or last lines of pages)."""
    pages: dict[int, list[_Line]] = {}
    for ln in lines:
        pages.setdefault(ln.page, []).append(ln)
    edges: Counter[str] = Counter()
    for pl in pages.values():
        edges.update({_key(ln.text) for ln in (pl[:2] + pl[-2:])})
    n = len(pages)
    repeated = {k for k, c in edges.items() if n >= 2 and c >= 2 and c >= n / 2}
    kept = []
    for pl in pages.values():
        ends = {id(x) for x in pl[:2] + pl[-2:]}
        for ln in pl:
            if id(ln) in ends and (PAGE_NUMBER.match(ln.text) or _key(ln.text) in repeated):
                continue
            kept.append(ln)
    return kept


def _paragraphs(lines: list[_Line]) -> list[str]:
    """Lines rejoined into paragraphs (see the module docstring)."""
    if not lines:
        return []
    sizes = [ln.size for ln in lines]
    size = statistics.median(sizes) or 12.0
    xs = Counter(round(ln.x) for ln in lines)  # the left margin: the leftmost x of several lines
    left = min((x for x, c in xs.items() if c >= max(2, 0.03 * len(lines))), default=min(xs))
    widths = sorted(ln.width for ln in lines)
    full = widths[int(0.9 * (len(widths) - 1))]
    paras: list[str] = []
    cur = ""
    prev: _Line | None = None
    # where paragraphs are indented, the indent says where one starts; a line at the
    # margin after a short line ending a sentence is a head; elsewhere a short line ends one
    indented = sum(1 for ln in lines if ln.x > left + 0.8 * size) >= 0.05 * len(lines)
    for ln in lines:
        text = ln.text.strip()
        if prev is None or ln.x > left + 0.8 * size or ln.x < left - 0.8 * size:
            new = True
        elif indented:
            new = prev.width < 0.85 * full and prev.text.rstrip()[-1:] in "。！？：；!?:;"
        else:
            new = prev.width < 0.75 * full
        if new and not _continues(cur, text):
            if cur:
                paras.append(cur)
            cur = text
        else:
            cur = _join(cur, text)
        prev = ln
    if cur:
        paras.append(cur)
    return paras


def _continues(cur: str, text: str) -> bool:
    """A line that cannot start a paragraph: closing punctuation or a measure word after a
    figure cut at the line's end (``2`` / ``个``, ``1750余人`` / ``。``)."""
    if not cur:
        return False
    if text[:1] in "。，、；：！？）》”’%％":
        return True
    return bool(re.search(r"[\d.]$", cur) and re.match(r"[个人名家户元万亿千百次场项期所批%％余多]", text))


def _join(cur: str, text: str) -> str:
    if not cur:
        return text
    if re.search(r"[A-Za-z]$", cur) and re.match(r"[A-Za-z]", text):
        return cur + " " + text
    return cur + text

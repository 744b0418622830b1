"""Reading report files whose encoding is not known.

Chinese reports arrive as UTF-8 (with or without BOM), UTF-16 from Windows
tools, GBK/GB18030 from older mainland systems and Big5 from Taiwan and Hong
Kong. :func:`read_text` works out which, or raises :class:`DecodeError` naming
the file and the offset of the first byte that does not decode.
:func:`iter_paths` expands files and folders into a sorted list of files.
"""
from __future__ import annotations

import codecs
import functools
import os
import re
from pathlib import Path
from typing import Iterable, Iterator

from unionie.errors import DecodeError, InputError

__all__ = ["read_text", "decode_bytes", "iter_paths"]

# Longest BOMs first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: Signatures of binary formats often found next to reports.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "ZIP (docx, xlsx, ...)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE (doc, xls, ...)"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"\x1f\x8b", "gzip"),
    (b"\x7fELF", "ELF"),
    (b"Rar!\x1a\x07", "RAR"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
)

_SNIFF = 8192
#: Share of NUL or other C0 control bytes (not tab, newlines, form feed, escape)
#: in the first 8 KiB above which a file without a BOM is binary, unless it is
#: BOM-less UTF-16.
_BINARY_SHARE = 0.03
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in b"\t\n\v\f\r\x1b")
#: Share of the non-ASCII characters that must be common Chinese characters or
#: punctuation for a GB18030 or Big5 reading to be believed.
_CHINESE_SHARE = 0.8
#: Bytes looked at when scoring a legacy Chinese reading.
_SCORE_SAMPLE = 65536


def read_text(path: str | os.PathLike[str], encoding: str = "auto") -> str:
    """Read a text file and return its contents as ``str``.

    With ``encoding="auto"`` (the default) the encoding is found in this order:

    1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE), removed from the
       result;
    2. a file with many NUL or control bytes is binary and raises
       :class:`DecodeError` (reason ``"binary file"``), unless its NULs fall on
       every other byte and it decodes as BOM-less UTF-16; so do files starting
       with a PDF, ZIP/docx, OLE/doc, image or archive signature;
    3. strict UTF-8;
    4. GB18030 (a superset of GBK and GB2312) or Big5 (cp950, then Big5-HKSCS)
       when the bytes decode and at least 80% of the non-ASCII characters are
       common Chinese characters (GB2312 level 1 for GB18030, Big5 level 1 for
       Big5) or CJK punctuation; the better-scoring one wins, GB18030 on a tie;
    5. a file that is UTF-8, GB18030 or Big5 with a few bad bytes raises
       :class:`DecodeError` at the first of them rather than being guessed;
    6. charset-normalizer's best guess, if it decodes strictly.

    An explicit ``encoding`` (any name Python's codecs know) is used as given,
    BOM included. An empty file gives ``""``.

    :raises InputError: the file cannot be read, or the encoding is unknown.
    :raises DecodeError: the bytes cannot be decoded; ``offset`` is the first
        bad byte (counted from the start of the file, BOM included).
    """
    name = os.fspath(path)
    try:
        data = Path(name).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {name}: {exc.strerror or exc}") from exc
    if encoding != "auto":
        return _decode_as(data, encoding, name)
    return decode_bytes(data, name)


def decode_bytes(data: bytes, name: str = "<bytes>") -> str:
    """Decode ``data`` as :func:`read_text` does with ``encoding="auto"``.

    ``name`` is the file name given in errors (stdin can pass ``"<stdin>"``).
    """
    if not data:
        return ""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc)
            except UnicodeDecodeError as exc:
                raise DecodeError(name, exc.start + len(bom), enc, exc.reason) from exc
    utf16 = _sniff_binary(data, name)
    if utf16 is not None:
        return utf16
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    legacy, decodes = _decode_chinese(data)
    if legacy is not None:
        return legacy
    suspects: tuple[tuple[str, str | None], ...] = (("utf-8", None),)
    if not decodes:  # a file one legacy encoding reads cleanly is not damaged in another
        suspects += (("gb18030", "gb"), ("cp950", "big5"))
    for enc, family in suspects:
        damaged = _damaged(data, enc, family)
        if damaged is not None:
            raise DecodeError(name, damaged.start, enc, damaged.reason) from damaged
    guessed = _guess(data)
    if guessed is not None:
        return guessed
    raise DecodeError(
        name, utf8_error.start, "utf-8",
        f"{utf8_error.reason}; not GB18030 or Big5 either, and no other encoding fits",
    ) from utf8_error


def _decode_as(data: bytes, encoding: str, name: str) -> str:
    try:
        codecs.lookup(encoding)
    except LookupError as exc:
        raise InputError(f"unknown encoding {encoding!r} for {name}") from exc
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeError(name, exc.start, encoding, exc.reason) from exc


def _sniff_binary(data: bytes, name: str) -> str | None:
    """Raise for binary data; return the text if it is BOM-less UTF-16."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise DecodeError(name, 0, None, f"binary file ({kind})")
    head = data[:_SNIFF]
    nuls = head.count(0)
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if controls <= max(1, _BINARY_SHARE * len(head)):
        return None
    if nuls:
        even = head[0::2].count(0)
        for enc, on_odd in (("utf-16-le", True), ("utf-16-be", False)):
            on_side = nuls - even if on_odd else even
            if on_side >= 0.95 * nuls and len(data) % 2 == 0:
                try:
                    text = data.decode(enc)
                except UnicodeDecodeError:
                    continue
                sample = text[:_SNIFF // 2]
                odd = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\f\v\x1b")
                if odd <= _BINARY_SHARE * len(sample):
                    return text
    offset = head.index(0) if nuls else next(i for i, b in enumerate(head) if b in _CONTROL_BYTES)
    raise DecodeError(name, offset, None, "binary file")


def _decode_chinese(data: bytes) -> tuple[str | None, bool]:
    """GB18030 or Big5, whichever decodes and reads as common Chinese.

    Also tells whether any of them decoded strictly at all.
    """
    best: tuple[float, str] | None = None
    decodes = False
    for family, encodings in (("gb", ("gb18030",)), ("big5", ("cp950", "big5hkscs"))):
        text = _first_strict(data, encodings)
        if text is None:
            continue
        decodes = True
        score = _chinese_score(text[:_SCORE_SAMPLE], family)
        if score >= _CHINESE_SHARE and (best is None or score > best[0]):
            best = (score, text)
    return (best[1] if best else None), decodes


def _first_strict(data: bytes, encodings: tuple[str, ...]) -> str | None:
    for enc in encodings:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            pass
    return None


def _chinese_score(text: str, family: str) -> float:
    """Share of non-ASCII characters that are common Chinese text characters."""
    common = 0
    total = 0
    for ch in text:
        if ch < "\x80":
            continue
        total += 1
        if _is_punct(ch) or _is_common(ch, family):
            common += 1
    return common / total if total else 0.0


def _is_punct(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x3000 <= cp <= 0x303F  # CJK symbols and punctuation
        or 0xFF01 <= cp <= 0xFF5E  # full-width ASCII
        or 0x2010 <= cp <= 0x2027  # dashes, quotes, ellipsis
        or 0x2460 <= cp <= 0x24FF  # ①②③
        or cp in (0x00B7, 0x00D7, 0x00F7, 0x00B0, 0x20AC, 0xFFE5)  # · × ÷ ° € ￥
    )


@functools.lru_cache(maxsize=16384)
def _is_common(ch: str, family: str) -> bool:
    """Whether ``ch`` is a level-1 (most frequent) character of GB2312 or Big5."""
    try:
        if family == "gb":
            if "\U00020000" <= ch <= "\U0003134f":  # rare ideographs: GB18030 four-byte codes
                return True
            raw = ch.encode("gb2312")
            return len(raw) == 2 and 0xB0 <= raw[0] <= 0xD7
        raw = ch.encode("cp950")
        return len(raw) == 2 and 0xA440 <= (raw[0] << 8 | raw[1]) <= 0xC67E
    except UnicodeEncodeError:
        return False


def _damaged(data: bytes, enc: str, family: str | None) -> UnicodeDecodeError | None:
    """The first error of a file that is ``enc`` with a few bad bytes, else None.

    A few is at most 2% of its non-ASCII characters (at least 8, since one bad
    byte can put a multibyte decoder out of step for a character or two); for the
    legacy encodings the rest must also read as common Chinese.
    """
    text = data.decode(enc, errors="replace")
    bad = text.count("\ufffd")
    non_ascii = len(text) - len(text.encode("ascii", "ignore")) - bad
    if non_ascii < 2 or bad > max(8, non_ascii // 50):
        return None
    if family is not None:
        sample = text[:_SCORE_SAMPLE].replace("\ufffd", "")
        if _chinese_score(sample, family) < _CHINESE_SHARE:
            return None
    try:
        data.decode(enc)
    except UnicodeDecodeError as exc:
        return exc
    return None  # pragma: no cover - only called after a strict decode failed


def _guess(data: bytes) -> str | None:
    """charset-normalizer's best guess, kept only if it decodes strictly."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - charset-normalizer is a dependency
        return None
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        return None
    try:
        return data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def iter_paths(paths: Iterable[str | os.PathLike[str]], glob: str = "*.txt") -> Iterator[Path]:
    """Expand files and folders into the files to read.

    A file is yielded as given, whatever its name; a folder yields every file
    below it (recursively) whose name matches ``glob`` (``{a,b}`` alternatives allowed,
    as in ``*.{txt,html}``), sorted by their path
    parts so the order is the same on every machine; a broken symlink among them is
    yielded too (reading it raises :class:`InputError`), a folder named like a file
    (``x.txt/``) is searched, not yielded. ``"-"`` (stdin) is not
    handled here. A single path may be passed instead of an iterable.

    All paths are checked before anything is yielded.

    :raises InputError: a path does not exist.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    given = [Path(p) for p in paths]
    for p in given:
        if not p.exists():
            raise InputError(f"no such file or directory: {os.fspath(p)}")
    return _expand(given, glob)


def _braces(glob: str) -> list[str]:
    """``*.{txt,html}`` -> ``["*.txt", "*.html"]`` (one level of braces, as shells do)."""
    m = re.search(r"\{([^{}]*)\}", glob)
    if m is None:
        return [glob]
    return [g for alt in m.group(1).split(",") for g in _braces(glob[:m.start()] + alt + glob[m.end():])]


def _expand(given: list[Path], glob: str) -> Iterator[Path]:
    for p in given:
        if p.is_dir():
            # regular files, and broken symlinks too: reading one fails and names it, where
            # skipping it would lose a report without a word (folders and FIFOs are left out)
            found = [f for g in _braces(glob) for f in p.rglob(g)
                     if f.is_file() or (f.is_symlink() and not f.exists())]
            found = list(dict.fromkeys(found))  # a file matched by two alternatives, once
            found.sort(key=lambda f: f.relative_to(p).parts)
            yield from found
        else:
            yield p

"""Fetching reports from the web: ``unionie extract https://…`` and ``--urls FILE``.

Standard library only (urllib). Each fetch has a timeout, sends a user agent that names
unionie, waits a polite delay between two requests to the same host, and keeps what it
fetched in a local cache (``$UNIONIE_CACHE``, else ``~/.cache/unionie/pages``), so a second
run reads the cache and asks the site nothing. The bytes are then read like a file
(:func:`unionie.io.sources.read_bytes`): a page, or a PDF or Word file served by URL. A
page that cannot be fetched raises :class:`~unionie.errors.FetchError` (U308), which the
command line reports as an error record like any unreadable file.
"""
from __future__ import annotations

import hashlib
import os
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from ..errors import FetchError
from .sources import Source, read_bytes

__all__ = ["fetch", "is_url", "url_doc_id", "USER_AGENT", "TIMEOUT", "DELAY"]

USER_AGENT = "unionie/0.1 (reads trade-union work reports; polite: 1 request per second per host)"
TIMEOUT = 30.0
DELAY = 1.0
_MAX_BYTES = 50 * 2**20
_last: dict[str, float] = {}
_lock = threading.Lock()


def is_url(s: object) -> bool:
    return isinstance(s, str) and bool(re.match(r"https?://", s, re.IGNORECASE))


def url_doc_id(url: str) -> str:
    """The doc_id of a URL: the stem of its last path segment, else its host."""
    parts = urllib.parse.urlsplit(url)
    last = parts.path.rstrip("/").rsplit("/", 1)[-1]
    stem = Path(urllib.parse.unquote(last)).stem if last else ""
    return stem or parts.hostname or "page"


def cache_dir() -> Path:
    return Path(os.environ.get("UNIONIE_CACHE") or Path.home() / ".cache" / "unionie" / "pages")


def fetch(url: str, *, timeout: float = TIMEOUT, delay: float = DELAY, cache: Path | str | None = None,
          use_cache: bool = True, encoding: str = "auto") -> Source:
    """Fetch ``url`` (or take it from the cache) and read it as its content says.

    :raises FetchError: timeout, connection error, HTTP error, a response over 50 MB.
    """
    folder = Path(cache) if cache is not None else cache_dir()
    key = hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]
    cached = folder / f"{key}.bin"
    if use_cache and cached.is_file():
        data, ctype = cached.read_bytes(), (folder / f"{key}.type").read_text(encoding="utf-8") \
            if (folder / f"{key}.type").is_file() else ""
    else:
        data, ctype = _get(url, timeout, delay)
        if use_cache:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = folder / f"{key}.part"
            tmp.write_bytes(data)
            (folder / f"{key}.type").write_text(ctype, encoding="utf-8")
            tmp.replace(cached)
    name = url_doc_id(url) + _suffix(ctype, url)
    src = read_bytes(data, name, encoding=encoding)
    return Source(**{**src.__dict__, "path": url})


def _suffix(ctype: str, url: str) -> str:
    ctype = ctype.split(";")[0].strip().lower()
    by_type = {"text/html": ".html", "application/xhtml+xml": ".html", "application/pdf": ".pdf",
               "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
               "application/msword": ".doc", "text/plain": ".txt", "text/markdown": ".md"}
    return by_type.get(ctype) or Path(urllib.parse.urlsplit(url).path).suffix or ".html"


def _get(url: str, timeout: float, delay: float) -> tuple[bytes, str]:
    host = urllib.parse.urlsplit(url).netloc.lower()
    with _lock:  # one request at a time per host, ``delay`` seconds apart
        wait = _last.get(host, 0.0) + delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        try:
            req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept-Language": "zh-CN,zh;q=0.9"})
            with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - http(s) only (is_url)
                data = resp.read(_MAX_BYTES + 1)
                ctype = resp.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            raise FetchError(f"cannot fetch {url}: HTTP {exc.code} {exc.reason}") from exc
        except urllib.error.URLError as exc:
            raise FetchError(f"cannot fetch {url}: {exc.reason}") from exc
        except (TimeoutError, OSError) as exc:
            raise FetchError(f"cannot fetch {url}: {type(exc).__name__}: {exc or 'timed out'}") from exc
        finally:
            _last[host] = time.monotonic()
    if len(data) > _MAX_BYTES:
        raise FetchError(f"cannot fetch {url}: larger than {_MAX_BYTES // 2**20} MB")
    return data, ctype

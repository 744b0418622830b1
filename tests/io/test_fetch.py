"""Fetching reports by URL (unionie.io.fetch), against a server on 127.0.0.1 only."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

pytest.importorskip("trafilatura")

from unionie.errors import FetchError  # noqa: E402
from unionie.io.fetch import USER_AGENT, fetch, url_doc_id  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
import formats_fixtures as F  # noqa: E402


class _Site:
    """A small site on the loopback address: /report.html, /slow.html, anything else 404."""

    def __init__(self) -> None:
        self.page = F.gov_page(F.load_report("zhenjiang-xinqu")).encode("utf-8")
        self.hits: list[tuple[str, str, float]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                site.hits.append((self.path, self.headers.get("User-Agent", ""), time.monotonic()))
                if self.path == "/slow.html":
                    time.sleep(2)
                if self.path in ("/report.html", "/slow.html"):
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.end_headers()
                    try:
                        self.wfile.write(site.page)
                    except BrokenPipeError:  # the client gave up (the timeout test)
                        pass
                else:
                    self.send_error(404, "Not Found")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def site():
    s = _Site()
    yield s
    s.close()


def test_cli_fetches_pages_and_names_the_one_that_fails(tmp_path, site):
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# reports\n{site.url}/report.html\n{site.url}/missing.html\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "UNIONIE_CACHE": str(tmp_path / "cache")}
    run = subprocess.run([sys.executable, "-m", "unionie", "extract", "--urls", str(urls), "-o", str(out), "-q"],
                         capture_output=True, text=True, env=env, check=False)
    assert run.returncode == 1, run.stderr
    [doc] = [json.loads(ln) for ln in out.read_text(encoding="utf-8").splitlines()]
    assert doc["doc_id"] == "report" and doc["published"] == "2021-03-05"
    assert doc["source"]["path"] == f"{site.url}/report.html"
    assert doc["source"]["format"] == "html" and doc["source"]["published_from"] == "dateline"
    assert doc["events"]
    [err] = [json.loads(ln) for ln in Path(f"{out}.errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert err["code"] == "U308" and err["source"] == f"{site.url}/missing.html" and "HTTP 404" in err["error"]
    assert {ua for _, ua, _ in site.hits} == {USER_AGENT}
    (first, second) = [t for _, _, t in site.hits]
    assert second - first >= 0.9  # the polite delay between two requests to one host


def test_cache_is_read_without_asking_the_site(tmp_path, site):
    url = f"{site.url}/report.html"
    one = fetch(url, cache=tmp_path, delay=0)
    site.close()
    two = fetch(url, cache=tmp_path, delay=0)  # the server is gone: from the cache
    assert one == two and len(site.hits) == 1


def test_timeout_is_an_error_naming_the_url(tmp_path, site):
    with pytest.raises(FetchError, match=r"cannot fetch http://127\.0\.0\.1:\d+/slow\.html"):
        fetch(f"{site.url}/slow.html", cache=tmp_path, delay=0, timeout=0.5)


@pytest.mark.parametrize("url, doc_id", [
    ("http://127.0.0.1/a/b/report-2021.html", "report-2021"),
    ("http://127.0.0.1/a/b/", "b"),
    ("http://127.0.0.1/", "127.0.0.1"),
    ("http://127.0.0.1/%E5%B7%A5%E4%BC%9A.pdf", "工会"),
])
def test_url_doc_id(url, doc_id):
    assert url_doc_id(url) == doc_id

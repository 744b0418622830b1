"""unionie.render.report and unionie.render.display: a self-contained HTML file whose marks sit
exactly on the extracted spans."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from iodocs import SYNTHETIC_TYPES, seed_docs, synthetic_documents

from unionie.render.display import document_html
from unionie.render.pages import css_name, fmt_cny
from unionie.render.report import write_report


class _TextMarks(HTMLParser):
    """Rebuilds the text of every ``div.doc-text`` and the mark classes on each character."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.classes: list[list[frozenset[str]]] = []
        self._depth = 0          # div nesting inside the current doc-text
        self._mark: frozenset[str] | None = None
        self.anchors: dict[str, tuple[int, int]] = {}   # id -> (doc number, offset)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "div" and "doc-text" in (a.get("class") or "").split():
            self.texts.append("")
            self.classes.append([])
            self._depth = 1
        elif self._depth:
            if tag == "div":
                self._depth += 1
            elif tag == "mark":
                self._mark = frozenset((a.get("class") or "").split())
            elif tag == "a" and a.get("id"):
                self.anchors[a["id"]] = (len(self.texts) - 1, len(self.texts[-1]))
            else:
                raise AssertionError(f"unexpected <{tag}> inside the document text")

    def handle_endtag(self, tag):
        if not self._depth:
            return
        if tag == "mark":
            self._mark = None
        elif tag == "div":
            self._depth -= 1

    def handle_data(self, data):
        if self._depth:
            self.texts[-1] += data
            self.classes[-1].extend([self._mark or frozenset()] * len(data))


@pytest.fixture(scope="module")
def docs():
    return seed_docs() + synthetic_documents()


@pytest.fixture(scope="module")
def report(tmp_path_factory, docs):
    path = tmp_path_factory.mktemp("report") / "report.html"
    assert write_report(iter(docs), path, title="Seeds & <synthetic>") == path
    return path.read_text(encoding="utf-8")


def _as_dict(d):
    return d.to_dict(include_text=True) if hasattr(d, "to_dict") else d


def test_self_contained(report):
    assert report.startswith("<!DOCTYPE html>")
    refs = re.findall(r"""(?:src|href|xlink:href|action)\s*=\s*["']?\s*([^"'\s>]*)""", report, re.I)
    assert refs, "the report should have in-page links"
    assert all(r.startswith("#") for r in refs), [r for r in refs if not r.startswith("#")]
    assert not re.search(r"https?://", report), "no URL of any kind: nothing to fetch at view time"
    assert not re.search(r"@import|url\(|<link\b|<iframe\b|<img\b", report, re.I)
    assert report.count("<script>") == 1  # our one inline script, no <script src>


def test_every_event_type_is_present(report, docs):
    types = {e["type"] for d in docs for e in _as_dict(d)["events"]}
    assert SYNTHETIC_TYPES <= types
    for t in types:
        assert f'data-type="{t}"' in report       # table rows, for the filter
        assert f'<option value="{t}">' in report  # the type drop-down
        assert f"t-{css_name(t)}" in report       # highlight class and legend


def test_charts_are_inline_svg(report):
    assert report.count('<svg class="chart"') == 3
    for title in ("Events by type", "Money by event type (CNY)", "Events per document"):
        assert f'aria-label="{title}"' in report
    assert fmt_cny(53380000.0) in report  # the employment_service money bar label


def test_one_table_row_per_event(report, docs):
    n_events = sum(len(_as_dict(d)["events"]) for d in docs)
    tbody = report.split('<table class="events" id="events-table">', 1)[1].split("</table>", 1)[0]
    assert tbody.count("<tr data-type=") == n_events


def test_text_is_escaped_and_complete(report, docs):
    assert "<script>alert" not in report and "&lt;script&gt;alert(&#x27;x&#x27;)" in report
    assert "<b>不加粗</b>" not in report
    assert "Seeds &amp; &lt;synthetic&gt;" in report
    parser = _TextMarks()
    parser.feed(report)
    assert parser.texts == [_as_dict(d)["text"] for d in docs]


def test_marks_sit_exactly_on_the_spans(report, docs):
    parser = _TextMarks()
    parser.feed(report)
    for n, d in enumerate(map(_as_dict, docs)):
        classes = parser.classes[n]
        for i, ev in enumerate(d["events"]):
            trig = ev["trigger"]
            for k in range(trig["start"], trig["end"]):
                assert {"trig", f"t-{css_name(ev['type'])}"} <= classes[k], (d["doc_id"], i)
            assert parser.anchors[f"d{n}-e{i}"] == (n, trig["start"])
            for a in ev["arguments"]:
                for k in range(a["start"], a["end"]):
                    assert {"arg", f"r-{css_name(a['role'])}"} <= classes[k], (d["doc_id"], i, a)
        for q in d["quantities"]:
            assert all("qty" in classes[k] for k in range(q["start"], q["end"]))
        for e in d.get("entities") or ():
            assert all("ent" in classes[k] for k in range(e["start"], e["end"]))
        # and nothing else is marked
        covered = set()
        for ev in d["events"]:
            for s in [ev["trigger"], *ev["arguments"]]:
                covered.update(range(s["start"], s["end"]))
        for s in [*d["quantities"], *(d.get("entities") or ())]:
            covered.update(range(s["start"], s["end"]))
        assert {k for k, c in enumerate(classes) if c} == covered


def test_legend_names_roles(report):
    legend = report.split('<div class="legend">', 1)[1].split("</div>", 1)[0]
    for role in ("organizer", "amount", "rate", "beneficiary_count", "time"):
        assert f"r-{role}" in legend


def test_spans_that_miss_the_text_are_reported_not_drawn(tmp_path):
    d = seed_docs()[1]
    d["events"][0]["trigger"] = dict(d["events"][0]["trigger"], start=0, end=4)  # wrong offsets
    html = write_report([d], tmp_path / "r.html").read_text(encoding="utf-8")
    assert "1 span(s) do not match the text" in html


def test_records_without_text_still_report(tmp_path):
    html = write_report(seed_docs(with_text=False), tmp_path / "r.html").read_text(encoding="utf-8")
    assert "No text in this record" in html
    assert html.count("<tr data-type=") == 89


def test_empty_input(tmp_path):
    html = write_report([], tmp_path / "r.html").read_text(encoding="utf-8")
    assert "0 events" in html and "no events" in html


def test_document_html_for_notebooks():
    doc = synthetic_documents()[0]
    html = doc._repr_html_()  # Document._repr_html_ -> unionie.render.display.document_html
    assert html == document_html(doc)
    assert html.startswith('<div class="unionie-doc"><style>') and html.endswith("</div>")
    assert "http" not in html and "<script" not in html
    for e in doc.events:
        assert f"t-{css_name(e.type)}" in html
    parser = _TextMarks()
    parser.feed(html)
    assert parser.texts == [doc.text]
    assert {"trig", "t-subsidy"} <= parser.classes[0][doc.events[0].trigger.start]


def test_document_html_from_a_dict_without_text():
    html = document_html(seed_docs(with_text=False)[0])
    assert "No text in this record" in html and "changzhou-xinbei" in html

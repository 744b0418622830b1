"""A one-file HTML report of extracted documents.

:func:`write_report` writes a single self-contained HTML file: inline CSS, inline
SVG charts and a little inline JavaScript, nothing fetched at view time, so the
file can be mailed, archived or opened offline. It has

* summary figures and three charts: events by type, money (CNY ``amount``
  arguments) by event type, and events per document stacked by type;
* a table of all events: click a column header to sort (again to reverse), type
  in the box to filter by any text, pick a type in the drop-down; a trigger links
  to its place in the text;
* every document's text with triggers (background by event type), arguments
  (underline by role), quantities (highlighter stripe) and entities (dotted
  overline) marked, a legend, layer switches, and tooltips giving each mark's
  role and value. Hovering a mark outlines the other parts of its event.

Documents are read once and streamed to temporary files, so a long generator of
documents is never held in memory. Records without ``text`` still get their rows
and chart counts, and a note instead of highlighted text.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any, Mapping, Protocol

from .pages import (
    bar_chart,
    base_css,
    color_css,
    css_name,
    esc,
    fmt_cny,
    fmt_num,
    highlight_document,
    legend_html,
    skipped_warning,
    stacked_bar_chart,
    type_color,
    type_label,
)
from ..io.records import iter_dicts, rows

__all__ = ["write_report"]

_SPOOL = 16 * 1024 * 1024

_PAGE_CSS = """
:root { --fg: #222; --muted: #666; --line: #e3e3e3; --bg: #fafafa; }
* { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, "Noto Sans CJK SC", "WenQuanYi Zen Hei", "PingFang SC",
  "Microsoft YaHei", sans-serif; color: var(--fg); background: var(--bg); }
header, main { max-width: 1240px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 18px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
nav a { margin-right: 14px; color: #1f5fa8; text-decoration: none; font-size: 14px; }
.muted { color: var(--muted); font-size: 13px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 14px 0; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 16px; min-width: 130px; }
.card .big { font-size: 22px; font-weight: 700; }
.card .lbl { color: var(--muted); font-size: 12px; }
.charts { display: flex; flex-wrap: wrap; gap: 14px; }
.charts figure { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px; }
svg.chart text { font-family: inherit; fill: #333; }
svg.chart text.chart-title { fill: #111; }
.controls { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin-bottom: 8px; }
.controls input[type=search] { padding: 5px 8px; width: 260px; font: inherit; }
.controls select { padding: 4px; font: inherit; }
.table-wrap { max-height: 70vh; overflow: auto; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
table.events { border-collapse: collapse; width: 100%; font-size: 13px; }
table.events th { position: sticky; top: 0; background: #f0f2f5; z-index: 1; text-align: left; padding: 0; }
table.events th button { all: unset; cursor: pointer; display: block; padding: 6px 8px; font-weight: 600; width: 100%; }
table.events th button::after { content: " \\2195"; color: #aaa; }
table.events th[aria-sort=ascending] button::after { content: " \\2191"; color: #222; }
table.events th[aria-sort=descending] button::after { content: " \\2193"; color: #222; }
table.events td { border-top: 1px solid #eee; padding: 4px 8px; vertical-align: top; }
table.events td.doc { white-space: nowrap; max-width: 220px; overflow: hidden; text-overflow: ellipsis; }
table.events td.num { text-align: right; white-space: nowrap; }
table.events tr:hover td { background: #f7f9fc; }
table.events td.args { max-width: 420px; color: #444; }
.sw { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; }
details.doc { background: #fff; border: 1px solid var(--line); border-radius: 6px; margin: 10px 0; }
details.doc > summary { cursor: pointer; padding: 8px 12px; font-size: 15px; }
details.doc .doc-text { padding: 4px 16px 14px; }
.clause:target { background: #fff3b0; outline: 2px solid #f0b400; }
table.activities ol, table.activities ul { margin: 0; padding-left: 1.2em; }
.warn { color: #a15c00; font-size: 13px; padding: 0 16px; }
.layers { font-size: 13px; margin: 4px 0; }
.layers label { margin-right: 12px; }
a.anc { scroll-margin-top: 80px; }
body.hide-trig mark.trig { background: transparent !important; font-weight: inherit; }
body.hide-arg mark.arg { border-bottom-color: transparent !important; }
body.hide-qty mark.qty { box-shadow: none; }
body.hide-ent mark.ent { text-decoration: none; }
footer { max-width: 1240px; margin: 30px auto; padding: 0 20px; color: var(--muted); font-size: 12px; }
"""

_SCRIPT = r"""
(function () {
  var table = document.getElementById('events-table');
  if (table) {
    var tbody = table.tBodies[0];
    var rows = Array.prototype.slice.call(tbody.rows);
    var box = document.getElementById('ev-filter');
    var sel = document.getElementById('ev-type');
    var count = document.getElementById('ev-count');
    var sortCol = -1, dir = 1;
    function cellValue(row, col) {
      var c = row.cells[col];
      return c.hasAttribute('data-v') ? c.getAttribute('data-v') : c.textContent;
    }
    Array.prototype.forEach.call(table.querySelectorAll('th button'), function (b) {
      b.addEventListener('click', function () {
        var col = +b.getAttribute('data-col'), num = b.getAttribute('data-num') === '1';
        dir = sortCol === col ? -dir : 1;
        sortCol = col;
        var sorted = rows.slice().sort(function (r1, r2) {
          var a = cellValue(r1, col), c = cellValue(r2, col);
          if (num) {
            a = a === '' ? NaN : +a; c = c === '' ? NaN : +c;
            if (isNaN(a) && isNaN(c)) return 0;
            if (isNaN(a)) return 1;
            if (isNaN(c)) return -1;
            return (a - c) * dir;
          }
          if (a === '' && c !== '') return 1;
          if (c === '' && a !== '') return -1;
          return a.localeCompare(c, 'zh') * dir;
        });
        sorted.forEach(function (r) { tbody.appendChild(r); });
        Array.prototype.forEach.call(table.querySelectorAll('th'), function (th) {
          th.removeAttribute('aria-sort');
        });
        b.parentNode.setAttribute('aria-sort', dir > 0 ? 'ascending' : 'descending');
      });
    });
    function applyFilter() {
      var text = box.value.trim().toLowerCase(), type = sel.value, shown = 0;
      rows.forEach(function (r) {
        var ok = (!type || r.getAttribute('data-type') === type) &&
                 (!text || r.textContent.toLowerCase().indexOf(text) >= 0);
        r.hidden = !ok;
        if (ok) shown++;
      });
      count.textContent = shown + ' of ' + rows.length + ' events shown';
    }
    box.addEventListener('input', applyFilter);
    sel.addEventListener('change', applyFilter);
    applyFilter();
  }
  Array.prototype.forEach.call(document.querySelectorAll('input[data-layer]'), function (cb) {
    cb.addEventListener('change', function () {
      document.body.classList.toggle('hide-' + cb.getAttribute('data-layer'), !cb.checked);
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll('.doc-text'), function (text) {
    text.addEventListener('mouseover', function (e) {
      Array.prototype.forEach.call(text.querySelectorAll('mark.focus'), function (m) {
        m.classList.remove('focus');
      });
      var m = e.target.closest ? e.target.closest('mark[data-ev]') : null;
      if (!m) return;
      var evs = m.getAttribute('data-ev').split(' ');
      Array.prototype.forEach.call(text.querySelectorAll('mark[data-ev]'), function (x) {
        if (x.getAttribute('data-ev').split(' ').some(function (v) { return evs.indexOf(v) >= 0; }))
          x.classList.add('focus');
      });
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll('a.goto'), function (a) {
    a.addEventListener('click', function () {
      var t = document.getElementById(a.getAttribute('href').slice(1));
      var d = t && t.closest ? t.closest('details') : null;
      if (d) d.open = true;
    });
  });
})();
"""

# (header, numeric?) of the events table, in column order
_COLUMNS = [("document", False), ("#", True), ("type", False), ("trigger", False),
            ("organizer", False), ("time", False), ("money", True), ("people", True),
            ("arguments", False), ("confidence", True)]


def _args_cell(ev: Any) -> str:
    parts = []
    for a in ev.get("arguments") or ():
        parts.append(f"<b>{esc(a.get('role'))}</b> {esc(a.get('text'))}")
    return "; ".join(parts)


def _num_attr(value: Any) -> str:
    return "" if value is None else repr(float(value))


def _event_row(n: int, ev: Any, row: dict[str, Any]) -> str:
    t = str(row["type"])
    people = row["person_count"]
    people_txt = "" if people is None else f"{fmt_num(people)} {row['person_count_unit'] or ''}".strip()
    conf = row["confidence"]
    return (
        f'<tr data-type="{esc(t)}">'
        f'<td class="doc" title="{esc(row["doc_id"])}">{esc(row["doc_id"])}</td>'
        f'<td class="num" data-v="{row["event_index"]}">{row["event_index"]}</td>'
        f'<td data-v="{esc(t)}"><span class="sw t-{css_name(t)}"></span>{esc(type_label(t))}</td>'
        f'<td><a class="goto" href="#d{n}-e{row["event_index"]}">{esc(row["trigger"])}</a></td>'
        f'<td>{esc(row["organizer"])}</td>'
        f'<td data-v="{esc(row["time_value"] or row["time"] or "")}">{esc(row["time"])}</td>'
        f'<td class="num" data-v="{_num_attr(row["amount_cny"])}">{esc(fmt_cny(row["amount_cny"]))}</td>'
        f'<td class="num" data-v="{_num_attr(people)}">{esc(people_txt)}</td>'
        f'<td class="args">{_args_cell(ev)}</td>'
        f'<td class="num" data-v="{_num_attr(conf)}">{"" if conf is None else f"{conf:.2f}"}</td>'
        "</tr>\n"
    )


class ActivityView(Protocol):
    """A view of the report's activities (:class:`unionie.activity.html.ReportActivities`):
    fed every document as it is streamed, it writes its section at the end, linking to
    ``#d<n>-c<event>`` (each event's clause in document ``n``)."""

    def add(self, d: Mapping[str, Any], n: int) -> None: ...

    def html(self) -> str: ...


def write_report(docs: Iterable[Any], path: str | os.PathLike[str], *,
                 title: str = "unionie report", open_documents: int = 10,
                 max_chart_documents: int = 30, activities: ActivityView | None = None) -> Path:
    """Write one self-contained HTML report of ``docs`` to ``path``; return the path.

    ``docs`` are :class:`~unionie.document.Document` objects or SCHEMA dicts (give
    dicts a ``"text"`` to see the highlighted text). The first ``open_documents``
    documents are expanded; the chart of events per document shows the
    ``max_chart_documents`` documents with most events. ``activities`` (e.g.
    ``unionie.activity.html.ReportActivities()``) adds an activities view.
    """
    path = Path(path)
    by_type: Counter[str] = Counter()
    money_by_type: dict[str, float] = {}
    per_doc: list[tuple[str, Counter[str]]] = []
    all_roles: set[str] = set()
    all_labels: set[str] = set()
    n_docs = n_events = n_quantities = 0
    total_money = 0.0
    any_quantity = False

    with tempfile.SpooledTemporaryFile(_SPOOL, mode="w+", encoding="utf-8") as table, \
            tempfile.SpooledTemporaryFile(_SPOOL, mode="w+", encoding="utf-8") as sections:
        for n, d in enumerate(iter_dicts(docs)):
            n_docs += 1
            doc_id = d.get("doc_id")
            name = str(doc_id) if doc_id not in (None, "") else f"document {n + 1}"
            events = list(d.get("events") or ())
            hl = _highlight(d, n, activities)
            all_labels |= hl.labels
            counts: Counter[str] = Counter()
            doc_money = 0.0
            for ev, row in zip(events, rows("events", d), strict=True):
                t = str(row["type"])
                counts[t] += 1
                all_roles.update(str(a.get("role")) for a in (ev.get("arguments") or ()))
                if row["amount_cny"] is not None:
                    money_by_type[t] = money_by_type.get(t, 0.0) + row["amount_cny"]
                    doc_money += row["amount_cny"]
                table.write(_event_row(n, ev, {**row, "doc_id": name}))
            by_type.update(counts)
            per_doc.append((name, counts))
            n_events += len(events)
            nq = len(d.get("quantities") or ())
            n_quantities += nq
            any_quantity = any_quantity or nq > 0
            total_money += doc_money
            _write_section(sections, n, name, d, events, nq, doc_money, hl, n < open_documents)

        types_by_count = [t for t, _ in by_type.most_common()]
        with open(path, "w", encoding="utf-8", newline="\n") as out:
            _write_head(out, title, types_by_count, all_roles, all_labels)
            out.write(f'<header><h1>{esc(title)}</h1>'
                      '<p class="muted">Generated by unionie. This file is self-contained: '
                      'it works offline.</p>'
                      '<nav><a href="#summary">Summary</a><a href="#events">Events</a>'
                      + ('<a href="#activities">Activities</a>' if activities is not None else "")
                      + '<a href="#documents">Documents</a></nav></header>\n<main>\n')
            out.write(_summary(n_docs, n_events, n_quantities, total_money, len(by_type)))
            out.write(_charts(by_type, money_by_type, per_doc, max_chart_documents))
            out.write(_table_head(types_by_count, n_events))
            table.seek(0)
            shutil.copyfileobj(table, out)
            out.write("</tbody></table></div></section>\n")
            if activities is not None:
                out.write(activities.html())
            out.write('<section id="documents"><h2>Documents</h2>')
            out.write(legend_html(types_by_count, all_roles, all_labels, quantities=any_quantity))
            out.write('<div class="layers">Show: '
                      + "".join(f'<label><input type="checkbox" data-layer="{k}" checked> {v}</label>'
                                for k, v in (("trig", "triggers"), ("arg", "arguments"),
                                             ("qty", "quantities"), ("ent", "entities")))
                      + "</div>\n")
            sections.seek(0)
            shutil.copyfileobj(sections, out)
            out.write("</section>\n</main>\n<footer>unionie · typed events from trade-union work "
                      "reports · offsets are exact character positions in each text</footer>\n")
            out.write(f"<script>{_SCRIPT}</script>\n</body>\n</html>\n")
    return path


def _highlight(d: Mapping[str, Any], n: int, activities: ActivityView | None) -> Any:
    """Document ``n`` highlighted (its clauses link targets when there is an activities view, which reads it)."""
    if activities is None:
        return highlight_document(d, anchor_prefix=f"d{n}-e")
    activities.add(d, n)
    return highlight_document(d, anchor_prefix=f"d{n}-e", clause_prefix=f"d{n}-c")


def _write_head(out: IO[str], title: str, types: list[str], roles: set[str], labels: set[str]) -> None:
    out.write('<!DOCTYPE html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n'
              '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
              f"<title>{esc(title)}</title>\n<style>{_PAGE_CSS}{base_css()}"
              f"{color_css(types, roles, labels)}</style>\n</head>\n<body>\n")


def _summary(n_docs: int, n_events: int, n_quantities: int, money: float, n_types: int) -> str:
    cards = [(fmt_num(n_docs), "documents"), (fmt_num(n_events), "events"),
             (fmt_num(n_types), "event types"), (fmt_num(n_quantities), "quantities"),
             (fmt_cny(money) or "0元", "money in events (CNY amounts)")]
    return ('<section id="summary"><h2>Summary</h2><div class="cards">'
            + "".join(f'<div class="card"><div class="big">{esc(v)}</div><div class="lbl">{esc(lbl)}</div></div>'
                      for v, lbl in cards)
            + "</div>")


def _charts(by_type: Counter[str], money: dict[str, float],
            per_doc: list[tuple[str, Counter[str]]], max_docs: int) -> str:
    types = [t for t, _ in by_type.most_common()]
    c1 = bar_chart([(type_label(t), float(by_type[t]), type_color(t), fmt_num(by_type[t])) for t in types],
                   title="Events by type", empty="no events")
    money_items = sorted(((t, v) for t, v in money.items() if v > 0), key=lambda x: -x[1])
    c2 = bar_chart([(type_label(t), v, type_color(t), fmt_cny(v)) for t, v in money_items],
                   title="Money by event type (CNY)", empty="no CNY amounts")
    ranked = sorted(per_doc, key=lambda x: -sum(x[1].values()))
    shown = ranked[:max_docs]
    note = f"the {len(shown)} of {len(per_doc)} documents with most events" if len(per_doc) > len(shown) else ""
    c3 = stacked_bar_chart(
        [(name, [(type_label(t), float(c[t]), type_color(t)) for t in types if c[t]]) for name, c in shown],
        title="Events per document", note=note)
    return ('<div class="charts">'
            + "".join(f'<figure id="chart-{k}">{svg}</figure>'
                      for k, svg in (("types", c1), ("money", c2), ("documents", c3)))
            + "</div></section>\n")


def _table_head(types: list[str], n_events: int) -> str:
    options = "".join(f'<option value="{esc(t)}">{esc(type_label(t))}</option>' for t in types)
    heads = "".join(f'<th><button type="button" data-col="{k}" data-num="{1 if num else 0}">{esc(h)}</button></th>'
                    for k, (h, num) in enumerate(_COLUMNS))
    return ('<section id="events"><h2>Events</h2><div class="controls">'
            '<input type="search" id="ev-filter" placeholder="Filter events: any text…" '
            'aria-label="filter events">'
            f'<select id="ev-type" aria-label="event type"><option value="">all types</option>{options}</select>'
            f'<span id="ev-count" class="muted">{n_events} events</span>'
            '<span class="muted">Click a column header to sort.</span></div>'
            f'<div class="table-wrap"><table class="events" id="events-table"><thead><tr>{heads}</tr></thead><tbody>\n')


def _write_section(out: IO[str], n: int, name: str, d: Any, events: list[Any], nq: int,
                   money: float, hl: Any, is_open: bool) -> None:
    meta = []
    src = d.get("source")
    if isinstance(src, dict):  # a document read from a file: its title, file and format
        if src.get("title"):
            meta.append(f"<i>{esc(src['title'])}</i>")
        if src.get("path"):
            meta.append(f"{esc(src['path'])} ({esc(src.get('format'))})")
    if d.get("published"):
        how = src.get("published_from") if isinstance(src, dict) else None
        meta.append(f"published {esc(d.get('published'))}" + (f" ({esc(how)})" if how else ""))
    meta.append(f"{len(events)} events")
    meta.append(f"{nq} quantities")
    if money:
        meta.append(esc(fmt_cny(money)))
    out.write(f'<details class="doc" id="doc-{n}"{" open" if is_open else ""}>'
              f'<summary><b>{esc(name)}</b> <span class="muted">· {" · ".join(meta)}</span></summary>')
    if isinstance(d.get("text"), str):
        out.write(f'<div class="doc-text">{hl.html}</div>')
    else:
        out.write('<p class="warn">No text in this record: pass Documents, or dicts with a '
                  '"text" key, to see the highlighted text.</p>')
    out.write(skipped_warning(hl.skipped))
    out.write("</details>\n")

"""The activity table as one self-contained HTML page (``unionie activities -o FILE.html``),
and as the activities view of ``unionie report`` (:class:`ReportActivities`).

One row per activity — type, organizer (name, region, level), year, figures, whether it is
a total — and, folded under it, every mention (document, event index, offsets, the clause
it was read from) and the reason for each join. No script, style inline: it opens anywhere.
"""
from __future__ import annotations

import html
from typing import Any, Iterable, Mapping

from .collect import Collector
from .join import Activity

__all__ = ["write_activities_html", "ReportActivities"]

_STYLE = """
body{font-family:"Noto Sans CJK SC","WenQuanYi Zen Hei",sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.35em .5em;
text-align:left;vertical-align:top;font-size:14px}th{background:#f4f4f4;position:sticky;top:0}
details summary{cursor:pointer;color:#2c7fb8}.m{margin:.3em 0;padding:.3em .5em;background:#fafafa;
border-left:3px solid #2c7fb8}.j{color:#666;font-size:13px}.tot{color:#c0392b;font-weight:bold}
.partial{color:#999}
"""


def _figures(a: Activity) -> str:
    parts = []
    for role, figs in a.figures.items():
        parts.append(f"{html.escape(role)}: " + "、".join(html.escape(f.text) for f in figs))
    return "<br>".join(parts)


def write_activities_html(acts: Iterable[Activity], path: str, *, title: str = "unionie activities") -> int:
    """Write the page; return the number of activities."""
    rows = []
    n = 0
    for a in acts:
        n += 1
        o = a.organizer
        org = html.escape(o.name or "(unknown)")
        if not o.resolved:
            org = f'<span class="partial" title="{html.escape(o.source)}">{org} (partial)</span>'
        where = html.escape(" · ".join(x for x in (o.region or "", o.level or "") if x))
        year = a.year if a.year is not None else (a.when.period or "")
        mentions = "".join(
            f'<div class="m" id="{html.escape(a.id)}-{k}"><b>{html.escape(m.doc_id)}</b> event {m.event} '
            f'[{m.start}:{m.end}]<br>{html.escape(m.text)}</div>' for k, m in enumerate(a.mentions))
        joins = "".join(
            f'<div class="j">#{j.a} + #{j.b} — {html.escape(j.rule)}: {html.escape(j.why)}</div>' for j in a.joins)
        rows.append(
            f"<tr><td>{html.escape(a.id)}</td><td>{html.escape(a.type)}</td><td>{org}<br><small>{where}</small></td>"
            f"<td>{year}</td><td>{_figures(a)}</td><td>{'<span class=tot>total</span>' if a.is_total else ''}</td>"
            f"<td><details><summary>{len(a.mentions)} mention(s)</summary>{mentions}{joins}</details></td></tr>")
    page = (f"<!DOCTYPE html><html lang=zh><head><meta charset=utf-8><title>{html.escape(title)}</title>"
            f"<style>{_STYLE}</style></head><body><h1>{html.escape(title)}</h1>"
            f"<p>{n} activities. Each row is one activity; open its mentions to see every sentence "
            "it was read from and why they were joined.</p>"
            "<table><thead><tr><th>id</th><th>type</th><th>organizer</th><th>year</th><th>figures</th>"
            "<th></th><th>mentions</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></body></html>")
    with open(path, "w", encoding="utf-8") as f:
        f.write(page)
    return n


class ReportActivities:
    """The activities view of ``unionie report`` (:func:`unionie.render.report.write_report`'s
    ``activities``): fed each document as the report streams it (only mentions and
    near-duplicate sketches are kept), it writes one row per activity — type, organizer,
    year, figures, whether it is a total — whose mentions link to their clauses in the
    report's documents (``#d<n>-c<event>``: the report wraps each event's clause in a span
    with that id)."""

    def __init__(self) -> None:
        self.collector = Collector()

    def add(self, d: Mapping[str, Any], n: int) -> None:
        """Read document number ``n`` of the report (a record without text has no mentions)."""
        if isinstance(d.get("text"), str):
            self.collector.add(dict(d), n)

    def html(self) -> str:
        """The ``<section id="activities">`` of the report."""
        acts = self.collector.activities()
        n_mentions = sum(len(a.mentions) for a in acts)
        rows = "".join(_report_row(a) for a in acts)
        return ('<section id="activities"><h2>Activities</h2>'
                f'<p class="muted">{len(acts)} activities from {n_mentions} event mentions: the events that '
                "report one real-world activity (a news item and the later summary, a repost) are one row. "
                "Each mention links to its clause in the documents below.</p>"
                '<div class="table-wrap"><table class="activities" id="activities-table"><thead><tr>'
                "<th>id</th><th>type</th><th>organizer</th><th>year</th><th>figures</th><th>total</th>"
                f"<th>mentions</th></tr></thead><tbody>{rows}</tbody></table></div></section>\n")


def _report_row(a: Activity) -> str:
    o = a.organizer
    org = html.escape(o.name or "(unknown)") + ("" if o.resolved else ' <span class="muted">(partial)</span>')
    where = html.escape(" · ".join(x for x in (o.region or "", o.level or "") if x))
    year = a.year if a.year is not None else html.escape(a.when.period or "")
    mentions = "".join(
        f'<li><span class="muted">{html.escape(m.doc_id)} · event {m.event}</span> '
        f'<a class="goto mention" href="#d{m.doc}-c{m.event}">{html.escape(m.text)}</a></li>'
        for m in a.mentions)
    joins = "".join(f'<li class="muted">{html.escape(j.why)}</li>' for j in a.joins)
    return (f'<tr id="act-{html.escape(a.id)}" data-type="{html.escape(a.type)}"><td>{html.escape(a.id)}</td>'
            f"<td>{html.escape(a.type)}</td><td>{org}<br><small>{where}</small></td><td>{year}</td>"
            f"<td>{_figures(a)}</td><td>{'total' if a.is_total else ''}</td>"
            f'<td><ol class="mentions">{mentions}</ol>'
            + (f'<ul class="joins">{joins}</ul>' if joins else "") + "</td></tr>")

"""Notebook display of an extracted document (``Document._repr_html_``).

:func:`document_html` gives one self-contained HTML fragment: a header, a legend,
the text with every event trigger, argument, quantity and entity highlighted
(hover a mark for its role and value), and a compact table of the events. It
needs no JavaScript and loads nothing from the network. The same highlighting is
used by :func:`unionie.render.report.write_report`.
"""
from __future__ import annotations

import zlib
from typing import Any

from ..document import Document
from .pages import (
    base_css,
    color_css,
    css_name,
    esc,
    fmt_cny,
    highlight_document,
    legend_html,
    skipped_warning,
    type_label,
)
from ..io.records import as_dict, event_money

__all__ = ["document_html"]

_SCOPE = ".unionie-doc"

_FRAGMENT_CSS = f"""
{_SCOPE} {{ font-family: system-ui, "Noto Sans CJK SC", "WenQuanYi Zen Hei", "PingFang SC",
  "Microsoft YaHei", sans-serif; color: #222; max-width: 60em; }}
{_SCOPE} .doc-head {{ font-weight: 600; margin: 4px 0; }}
{_SCOPE} .doc-meta {{ color: #666; font-weight: 400; font-size: 13px; }}
{_SCOPE} .doc-text {{ max-height: 32em; overflow: auto; border: 1px solid #e3e3e3;
  padding: 8px 12px; border-radius: 4px; background: #fff; }}
{_SCOPE} .warn {{ color: #a15c00; font-size: 13px; }}
{_SCOPE} table.ev {{ border-collapse: collapse; font-size: 13px; margin-top: 8px; }}
{_SCOPE} table.ev th, {_SCOPE} table.ev td {{ border-bottom: 1px solid #eee; padding: 2px 8px;
  text-align: left; vertical-align: top; }}
{_SCOPE} .sw {{ display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; }}
"""


def _args_summary(ev: Any) -> str:
    parts = []
    for a in ev.get("arguments") or ():
        parts.append(f"<b>{esc(a.get('role'))}</b> {esc(a.get('text'))}")
    return "; ".join(parts)


def document_html(doc: Any, *, max_events: int = 200) -> str:
    """An HTML fragment showing one document (a Document or a SCHEMA dict with ``text``)."""
    d = as_dict(doc)
    doc_key = zlib.crc32(str(d.get("doc_id")).encode("utf-8"))
    hl = highlight_document(d, anchor_prefix=f"ud-{doc_key:08x}-e")
    events = list(d.get("events") or ())
    types = {str(e.get("type")) for e in events}
    roles = {str(a.get("role")) for e in events for a in (e.get("arguments") or ())}
    meta = [f"{len(events)} events", f"{len(d.get('quantities') or ())} quantities"]
    if d.get("published"):
        meta.insert(0, f"published {esc(d.get('published'))}")
    parts = [
        f'<div class="unionie-doc"><style>{base_css(_SCOPE)}{color_css(types, roles, hl.labels, _SCOPE)}'
        f"{_FRAGMENT_CSS}</style>",
        f'<div class="doc-head">{esc(d.get("doc_id") or "(no doc_id)")} '
        f'<span class="doc-meta">· {" · ".join(meta)}</span></div>',
        legend_html(types, roles, hl.labels, quantities=bool(d.get("quantities"))),
    ]
    if isinstance(d.get("text"), str):
        parts.append(f'<div class="doc-text">{hl.html}</div>')
    else:
        parts.append('<p class="warn">No text in this record, so nothing to highlight: '
                     'pass a Document, or a dict with a "text" key.</p>')
    if hl.skipped:
        parts.append(skipped_warning(hl.skipped))
    if events:
        rows = []
        for i, ev in enumerate(events[:max_events]):
            t = str(ev.get("type"))
            money = event_money(ev)
            rows.append(
                f'<tr><td>{i}</td><td><span class="sw t-{css_name(t)}"></span>{esc(type_label(t))}</td>'
                f'<td>{esc((ev.get("trigger") or {}).get("text"))}</td>'
                f'<td>{esc(fmt_cny(money))}</td><td>{_args_summary(ev)}</td></tr>'
            )
        more = (f'<tr><td colspan="5">… {len(events) - max_events} more events</td></tr>'
                if len(events) > max_events else "")
        parts.append('<table class="ev"><thead><tr><th>#</th><th>type</th><th>trigger</th>'
                     '<th>money</th><th>arguments</th></tr></thead><tbody>'
                     + "".join(rows) + more + "</tbody></table>")
    parts.append("</div>")
    return "".join(parts)


def _repr_html_(doc: Document) -> str:
    """A notebook shows a :class:`~unionie.Document` as :func:`document_html` draws it."""
    return document_html(doc)


# the value objects know no rendering: the view is attached here (unionie imports this module)
Document._repr_html_ = _repr_html_  # type: ignore[attr-defined]

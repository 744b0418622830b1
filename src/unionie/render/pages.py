"""HTML building blocks shared by the report (``unionie.render.report``) and notebook
display (``unionie.render.display``): colors, highlighted text, legend, SVG bar charts.

Pure standard library, no network: everything is inline HTML, CSS and SVG.
Offsets are Python ``str`` indices, exactly as in SCHEMA.md; a span whose
``text[start:end]`` differs from its ``text`` is not drawn and is counted instead.
"""
from __future__ import annotations

import html
import re
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "TYPE_LABELS",
    "type_color",
    "type_label",
    "role_color",
    "entity_color",
    "css_name",
    "esc",
    "fmt_cny",
    "fmt_num",
    "Highlighted",
    "highlight_document",
    "legend_html",
    "base_css",
    "color_css",
    "bar_chart",
    "stacked_bar_chart",
]

#: Chinese names of the SCHEMA event types, shown next to the type id.
TYPE_LABELS = {
    "subsidy": "帮扶救助",
    "contest": "劳动竞赛",
    "training": "培训",
    "organization_building": "组织建设",
    "honor": "评选表彰",
    "publicity": "宣传教育",
    "rights_protection": "维权",
    "employment_service": "就业服务",
    "cultural_sports": "文体活动",
    "member_service": "会员服务",
}

_TYPE_COLORS = {
    "subsidy": "#d62728",
    "contest": "#1f77b4",
    "training": "#9467bd",
    "organization_building": "#2ca02c",
    "honor": "#ff7f0e",
    "publicity": "#17becf",
    "rights_protection": "#8c564b",
    "employment_service": "#bcbd22",
    "cultural_sports": "#e377c2",
    "member_service": "#7f7f7f",
}
_EXTRA_COLORS = ["#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd",
                 "#e6550d", "#31a354", "#756bb1", "#636363", "#a55194", "#6b6ecf"]

_ROLE_COLORS = {
    "organizer": "#2c3e50",
    "time": "#8e44ad",
    "name": "#2980b9", "honor": "#2980b9", "org_kind": "#2980b9",
    "beneficiary": "#27ae60", "participants": "#27ae60", "trainees": "#27ae60",
    "recipient": "#27ae60",
    "amount": "#c0392b", "rate": "#c0392b",
    "items": "#16a085",
}
_COUNT_COLOR = "#e67e22"
_ENTITY_COLORS = {"ORG": "#34495e", "GPE": "#2e86de", "PERSON": "#b33771",
                  "HONOR": "#f39c12", "WORK": "#6d214f"}
QUANTITY_COLOR = "#ffd43b"


def _hashed(name: str, palette: Sequence[str]) -> str:
    return palette[zlib.crc32(name.encode("utf-8")) % len(palette)]


def type_color(type_: str) -> str:
    return _TYPE_COLORS.get(type_) or _hashed(type_, _EXTRA_COLORS)


def role_color(role: str) -> str:
    if role in _ROLE_COLORS:
        return _ROLE_COLORS[role]
    if role == "count" or role.endswith("_count"):
        return _COUNT_COLOR
    return _hashed(role, _EXTRA_COLORS)


def entity_color(label: str) -> str:
    return _ENTITY_COLORS.get(label) or _hashed(label, _EXTRA_COLORS)


def css_name(name: Any) -> str:
    """A CSS-class-safe, stable version of a type, role or label name."""
    s = str(name)
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", s)
    if safe != s or not safe:
        safe = f"{safe}_{zlib.crc32(s.encode('utf-8')):08x}"
    return safe


def esc(value: Any) -> str:
    return "" if value is None else html.escape(str(value), quote=True)


def type_label(type_: str) -> str:
    zh = TYPE_LABELS.get(type_)
    return f"{type_} {zh}" if zh else str(type_)


def fmt_num(value: Any) -> str:
    if value is None:
        return ""
    v = float(value)
    return f"{int(v):,}" if v == int(v) else f"{v:,.2f}"


def fmt_cny(value: float | None) -> str:
    """Money for people: 4500000 -> 450万元, 123456789 -> 1.23亿元."""
    if value is None:
        return ""
    v = float(value)
    if abs(v) >= 1e8:
        return f"{v / 1e8:,.2f}".rstrip("0").rstrip(".") + "亿元"
    if abs(v) >= 1e4:
        return f"{v / 1e4:,.2f}".rstrip("0").rstrip(".") + "万元"
    return f"{v:,.2f}".rstrip("0").rstrip(".") + "元"


# ------------------------------------------------------------------ highlighting

@dataclass
class _Span:
    start: int
    end: int
    classes: tuple[str, ...]
    title: str
    events: tuple[int, ...] = ()


@dataclass
class Highlighted:
    """A document's text as HTML with its marks, and what was (not) drawn."""

    html: str
    types: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    labels: set[str] = field(default_factory=set)
    n_quantities: int = 0
    skipped: list[str] = field(default_factory=list)


def _valid(text: str, item: Mapping[str, Any]) -> bool:
    s, e, t = item.get("start"), item.get("end"), item.get("text")
    return (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)
            and (t is None or text[s:e] == t))


def _describe_value(a: Mapping[str, Any]) -> str:
    if "unit" in a and a.get("value") is not None:
        unit = a.get("unit") or ""
        per = "/".join(a.get("per") or ())
        q = a.get("qualifier") or "exact"
        v = fmt_num(a.get("value"))
        if a.get("value_max") is not None:
            v += "–" + fmt_num(a.get("value_max"))
        return f" = {v} {unit}{'/' + per if per else ''}{'' if q == 'exact' else ' (' + q + ')'}"
    if a.get("value") is not None:
        return f" = {a.get('value')}"
    return ""


def highlight_document(doc: Mapping[str, Any], *, anchor_prefix: str = "e",
                       entities: bool = True, clause_prefix: str | None = None) -> Highlighted:
    """The document's ``text`` with triggers, arguments, quantities (and entities)
    wrapped in ``<mark>`` elements.

    Spans may overlap or nest; the text is cut at every span boundary and each
    piece becomes one ``<mark class="hl ...">`` carrying the classes of every span
    covering it: ``trig t-<type>`` (event trigger), ``arg r-<role>`` (argument),
    ``qty`` (quantity), ``ent l-<label>`` (entity), with a ``title`` tooltip and
    ``data-ev`` (the indices of the events it belongs to). An empty
    ``<a id="<anchor_prefix><event_index>">`` sits before each event's trigger.
    With ``clause_prefix``, each event's clause (``text[start:end]``) is wrapped in
    ``<span class="clause" id="<clause_prefix><event_index>">`` (a link target: the
    activities view links its mentions there); a clause that crosses another one
    gets an empty ``<a class="anc clause">`` at its start instead.
    """
    text = doc.get("text")
    out = Highlighted(html="")
    if not isinstance(text, str):
        return out
    spans, anchors = _spans(doc, text, out, entities)
    clauses, opens = _clauses(text, doc.get("events") or ()) if clause_prefix is not None else ({}, {})
    out.html = _marked(text, spans, anchors, anchor_prefix, clauses, opens, clause_prefix or "")
    return out


def _spans(doc: Mapping[str, Any], text: str, out: Highlighted,
           entities: bool) -> tuple[list[_Span], dict[int, list[int]]]:
    """The marks of a document's text (what is drawn and skipped noted in ``out``), and the
    events whose trigger starts at each offset."""
    spans: list[_Span] = []
    anchors: dict[int, list[int]] = {}
    for i, ev in enumerate(doc.get("events") or ()):
        type_ = str(ev.get("type"))
        trig = ev.get("trigger") or {}
        if _valid(text, trig):
            out.types.add(type_)
            spans.append(_Span(trig["start"], trig["end"], ("trig", "t-" + css_name(type_)),
                               f"{type_label(type_)} · trigger of event #{i}", (i,)))
            anchors.setdefault(trig["start"], []).append(i)
        else:
            out.skipped.append(f"event #{i} trigger {trig.get('text')!r}")
        for a in ev.get("arguments") or ():
            role = str(a.get("role"))
            if _valid(text, a):
                out.roles.add(role)
                spans.append(_Span(a["start"], a["end"], ("arg", "r-" + css_name(role)),
                                   f"{role} of {type_} #{i}{_describe_value(a)}", (i,)))
            else:
                out.skipped.append(f"event #{i} {role} {a.get('text')!r}")
    for q in doc.get("quantities") or ():
        if _valid(text, q):
            out.n_quantities += 1
            spans.append(_Span(q["start"], q["end"], ("qty",), f"quantity{_describe_value(q)}"))
        else:
            out.skipped.append(f"quantity {q.get('text')!r}")
    if entities:
        for ent in doc.get("entities") or ():
            label = str(ent.get("label"))
            if _valid(text, ent):
                out.labels.add(label)
                spans.append(_Span(ent["start"], ent["end"], ("ent", "l-" + css_name(label)),
                                   f"entity {label}"))
            else:
                out.skipped.append(f"entity {ent.get('text')!r}")
    return spans, anchors


def _marked(text: str, spans: list[_Span], anchors: dict[int, list[int]], anchor_prefix: str,
            clauses: dict[int, tuple[int, int | None]], opens: dict[int, list[int]], clause_prefix: str) -> str:
    """The text as HTML: cut at every span boundary, each piece one ``<mark>`` with the
    classes, titles and events of the spans covering it; an anchor before each trigger;
    each clause of ``clauses`` wrapped in its span (or opened by an anchor)."""
    bounds = sorted({0, len(text), *anchors, *(s.start for s in spans), *(s.end for s in spans),
                     *(c[0] for c in clauses.values()), *(c[1] for c in clauses.values() if c[1] is not None)})
    open_ends: list[int] = []
    starts: dict[int, list[int]] = {}
    for k, s in enumerate(spans):
        starts.setdefault(s.start, []).append(k)
    active: dict[int, _Span] = {}
    parts: list[str] = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        for k in list(active):
            if active[k].end <= a:
                del active[k]
        for k in starts.get(a, ()):
            active[k] = spans[k]
        parts.append(_clause_tags(a, opens, clauses, open_ends, clause_prefix))
        for i in anchors.get(a, ()):
            parts.append(f'<a class="anc" id="{esc(anchor_prefix)}{i}"></a>')
        piece = esc(text[a:b])
        parts.append(_mark(piece, active) if active else piece)
    parts.extend("</span>" for _ in open_ends)
    return "".join(parts)


def _mark(piece: str, active: dict[int, _Span]) -> str:
    """One piece of text under the spans covering it: a ``<mark>`` with all their classes."""
    classes: list[str] = ["hl"]
    titles: list[str] = []
    evs: list[int] = []
    for s in sorted(active.values(), key=lambda s: (s.start, -s.end)):
        classes.extend(c for c in s.classes if c not in classes)
        if s.title not in titles:
            titles.append(s.title)
        evs.extend(e for e in s.events if e not in evs)
    ev_attr = f' data-ev="{" ".join(map(str, evs))}"' if evs else ""
    return f'<mark class="{" ".join(classes)}"{ev_attr} title="{esc(chr(10).join(titles))}">{piece}</mark>'


def _clause_tags(a: int, opens: dict[int, list[int]], clauses: dict[int, tuple[int, int | None]],
                 open_ends: list[int], prefix: str) -> str:
    """The clause tags at offset ``a``: close those ending there, open those starting there."""
    tags = []
    while open_ends and open_ends[-1] <= a:
        open_ends.pop()
        tags.append("</span>")
    for i in opens.get(a, ()):
        end = clauses[i][1]
        cid = esc(f"{prefix}{i}")
        if end is None:
            tags.append(f'<a class="anc clause" id="{cid}"></a>')
        else:
            tags.append(f'<span class="clause" id="{cid}">')
            open_ends.append(end)
    return "".join(tags)


def _clauses(text: str, events: Any) -> tuple[dict[int, tuple[int, int | None]], dict[int, list[int]]]:
    """Each event's clause as (start, end), nested or apart (a clause crossing one taken
    before it, in text order and outer first, keeps only its start: (start, None)), and
    the events whose clause opens at each offset, in that order."""
    spans = [(i, ev.get("start"), ev.get("end")) for i, ev in enumerate(events)]
    ok = sorted(((i, s, e) for i, s, e in spans if isinstance(s, int) and isinstance(e, int)
                 and 0 <= s < e <= len(text)), key=lambda x: (x[1], -x[2], x[0]))
    out: dict[int, tuple[int, int | None]] = {}
    opens: dict[int, list[int]] = {}
    stack: list[int] = []  # the ends of the taken clauses still open
    for i, s, e in ok:
        opens.setdefault(s, []).append(i)
        while stack and stack[-1] <= s:
            stack.pop()
        if stack and e > stack[-1]:
            out[i] = (s, None)
            continue
        out[i] = (s, e)
        stack.append(e)
    return out, opens


# ------------------------------------------------------------------ CSS and legend

def base_css(scope: str = "") -> str:
    """Layout-independent styles of highlighted text, scoped under ``scope``."""
    s = (scope + " ") if scope else ""
    return f"""
{s}.doc-text {{ white-space: pre-wrap; line-height: 1.9; font-size: 15px; overflow-wrap: anywhere; }}
{s}mark.hl {{ background: transparent; color: inherit; padding: 0; }}
{s}mark.trig {{ font-weight: 700; border-radius: 2px; }}
{s}mark.arg {{ border-bottom: 2px solid #888; }}
{s}mark.qty {{ box-shadow: inset 0 -0.5em 0 {QUANTITY_COLOR}99; }}
{s}mark.ent {{ text-decoration-line: overline; text-decoration-style: dotted; text-decoration-thickness: 2px; }}
{s}mark.hl.focus {{ outline: 2px solid #222; outline-offset: 1px; }}
{s}.legend {{ display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 6px 0 10px; font-size: 13px; }}
{s}.legend .lg-group {{ display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: center; }}
{s}.legend .lg-head {{ color: #555; font-weight: 600; }}
{s}.legend mark {{ padding: 0 3px; }}
"""


def color_css(types: Iterable[str], roles: Iterable[str], labels: Iterable[str] = (),
              scope: str = "") -> str:
    """Per-type, per-role and per-label colors for the names that occur."""
    s = (scope + " ") if scope else ""
    lines = []
    for t in sorted(set(types)):
        c = type_color(t)
        lines.append(f"{s}mark.trig.t-{css_name(t)} {{ background: {c}44; }}")
        lines.append(f"{s}.sw.t-{css_name(t)} {{ background: {c}; }}")
    for r in sorted(set(roles)):
        lines.append(f"{s}mark.arg.r-{css_name(r)} {{ border-bottom-color: {role_color(r)}; }}")
    for lab in sorted(set(labels)):
        lines.append(f"{s}mark.ent.l-{css_name(lab)} {{ text-decoration-color: {entity_color(lab)}; }}")
    return "\n".join(lines) + "\n"


def legend_html(types: Iterable[str], roles: Iterable[str], labels: Iterable[str] = (),
                quantities: bool = True) -> str:
    groups = []
    ts = sorted(set(types))
    if ts:
        items = "".join(f'<mark class="hl trig t-{css_name(t)}">{esc(type_label(t))}</mark>' for t in ts)
        groups.append(f'<span class="lg-group"><span class="lg-head">Triggers:</span>{items}</span>')
    rs = sorted(set(roles))
    if rs:
        items = "".join(f'<mark class="hl arg r-{css_name(r)}">{esc(r)}</mark>' for r in rs)
        groups.append(f'<span class="lg-group"><span class="lg-head">Arguments:</span>{items}</span>')
    if quantities:
        groups.append('<span class="lg-group"><span class="lg-head">Quantities:</span>'
                      '<mark class="hl qty">2.2万余元</mark></span>')
    ls = sorted(set(labels))
    if ls:
        items = "".join(f'<mark class="hl ent l-{css_name(x)}">{esc(x)}</mark>' for x in ls)
        groups.append(f'<span class="lg-group"><span class="lg-head">Entities:</span>{items}</span>')
    return '<div class="legend">' + "".join(groups) + "</div>"


# ------------------------------------------------------------------ SVG charts

def _text_width(s: str, size: float = 12.0) -> float:
    return sum(size if ord(ch) > 0x2E80 else size * 0.6 for ch in s)


def _clip(s: str, max_px: float, size: float = 12.0) -> str:
    if _text_width(s, size) <= max_px:
        return s
    out = ""
    for ch in s:
        if _text_width(out + ch + "…", size) > max_px:
            break
        out += ch
    return out + "…"


def bar_chart(items: Sequence[tuple[str, float, str, str]], *, title: str,
              width: int = 460, bar: int = 20, gap: int = 6, empty: str = "no data") -> str:
    """A horizontal bar chart as inline SVG.

    ``items`` are ``(label, value, color, value_label)``; bars are drawn in the given
    order, scaled to the largest value.
    """
    label_w = min(190.0, max([_text_width(lbl) for lbl, *_ in items] + [40.0]) + 12)
    value_w = max([_text_width(v) for *_, v in items] + [30.0]) + 10
    plot_w = max(60.0, width - label_w - value_w - 8)
    top = 28
    height = top + max(1, len(items)) * (bar + gap) + 6
    parts = [f'<svg class="chart" role="img" aria-label="{esc(title)}" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}">',
             f'<text class="chart-title" x="0" y="16" font-size="14" font-weight="600">{esc(title)}</text>']
    vmax = max([v for _, v, _, _ in items] + [0.0])
    if not items or vmax <= 0:
        parts.append(f'<text x="{label_w:.0f}" y="{top + 14}" font-size="12" fill="#777">{esc(empty)}</text>')
    for k, (label, value, color, value_label) in enumerate(items):
        y = top + k * (bar + gap)
        w = 0.0 if vmax <= 0 else max(1.0, plot_w * value / vmax) if value > 0 else 0.0
        parts.append(
            f'<text x="{label_w - 8:.0f}" y="{y + bar * 0.72:.1f}" font-size="12" text-anchor="end">'
            f'{esc(_clip(label, label_w - 12))}<title>{esc(label)}</title></text>'
            f'<rect class="bar" x="{label_w:.0f}" y="{y}" width="{w:.1f}" height="{bar}" '
            f'fill="{color}" rx="2"><title>{esc(label)}: {esc(value_label)}</title></rect>'
            f'<text x="{label_w + w + 5:.1f}" y="{y + bar * 0.72:.1f}" font-size="12" '
            f'fill="#333">{esc(value_label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def stacked_bar_chart(rows: Sequence[tuple[str, Sequence[tuple[str, float, str]]]], *, title: str,
                      width: int = 460, bar: int = 18, gap: int = 5, note: str = "") -> str:
    """Horizontal stacked bars as inline SVG: ``rows`` are ``(label, [(part, value, color)])``."""
    totals = [sum(v for _, v, _ in parts) for _, parts in rows]
    label_w = min(190.0, max([_text_width(lbl) for lbl, _ in rows] + [40.0]) + 12)
    value_w = max([_text_width(fmt_num(t)) for t in totals] + [20.0]) + 10
    plot_w = max(60.0, width - label_w - value_w - 8)
    top = 28
    height = top + max(1, len(rows)) * (bar + gap) + (20 if note else 6)
    vmax = max(totals + [0.0])
    out = [f'<svg class="chart" role="img" aria-label="{esc(title)}" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}">',
           f'<text class="chart-title" x="0" y="16" font-size="14" font-weight="600">{esc(title)}</text>']
    if not rows or vmax <= 0:
        out.append(f'<text x="{label_w:.0f}" y="{top + 14}" font-size="12" fill="#777">no events</text>')
    for k, ((label, parts), total) in enumerate(zip(rows, totals, strict=True)):
        y = top + k * (bar + gap)
        out.append(f'<text x="{label_w - 8:.0f}" y="{y + bar * 0.72:.1f}" font-size="12" '
                   f'text-anchor="end">{esc(_clip(label, label_w - 12))}<title>{esc(label)}</title></text>')
        x = label_w
        for part, value, color in parts:
            if value <= 0 or vmax <= 0:
                continue
            w = plot_w * value / vmax
            out.append(f'<rect class="bar" x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar}" '
                       f'fill="{color}"><title>{esc(label)} · {esc(part)}: {fmt_num(value)}</title></rect>')
            x += w
        out.append(f'<text x="{x + 5:.1f}" y="{y + bar * 0.72:.1f}" font-size="12" fill="#333">'
                   f'{fmt_num(total)}</text>')
    if note:
        out.append(f'<text x="0" y="{height - 5}" font-size="11" fill="#777">{esc(note)}</text>')
    out.append("</svg>")
    return "".join(out)


def skipped_warning(skipped: list[str]) -> str:
    """A warning paragraph for spans that do not match the text ("" when there are none)."""
    if not skipped:
        return ""
    more = " …" if len(skipped) > 5 else ""
    return (f'<p class="warn">{len(skipped)} span(s) do not match the text and are not '
            f'highlighted: {esc(", ".join(skipped[:5]))}{more}</p>')

"""Totals of the activity table that do not double count.

``summarize(acts, by=("organizer", "year", "type"))`` gives one row per group with the
number of activities and mentions, money in CNY and counts by unit. Two rules keep a
figure from being counted twice:

- **a total is not added to its parts.** Within one organizer, year and type, an
  activity whose clause is an aggregate (全年共发放…, 累计…: ``is_total``) already holds
  the activities it sums: the group's figure is the larger of the largest total and the
  sum of the other activities, never total + parts;
- **a parent's total is not added to its children's.** When groups hold several
  organizers (``--by year,type``), an organizer whose region lies inside the region of
  another organizer of the group that reports a total for that year and type (全市各级工会
  共投入…, by 淮安市总工会, covers 涟水县总工会) is left out of the sum and counted as
  ``covered``.
"""
from __future__ import annotations

import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable, Sequence

from ..io.records import require
from ..render.plot import cjk_font, quiet_font_notices
from .join import Activity

__all__ = ["summarize", "SummaryRow", "format_summary", "plot_summary", "KEYS"]

KEYS = ("organizer", "year", "type", "level", "region")


@dataclass
class SummaryRow:
    key: tuple[Any, ...]
    activities: int = 0
    mentions: int = 0
    money_cny: Decimal | None = None
    counts: dict[str, Decimal] = field(default_factory=dict)
    totals: int = 0
    covered: list[str] = field(default_factory=list)

    def to_dict(self, by: Sequence[str]) -> dict[str, Any]:
        d: dict[str, Any] = dict(zip(by, self.key))
        d.update({"activities": self.activities, "mentions": self.mentions,
                  "money_cny": None if self.money_cny is None else float(self.money_cny),
                  "counts": {u: float(v) for u, v in self.counts.items()}, "totals": self.totals,
                  "covered": self.covered})
        return d


def _key_of(a: Activity, name: str) -> Any:
    o = a.organizer
    if name == "organizer":
        return o.name or "(unknown)"
    if name == "year":
        return a.year if a.year is not None else (a.when.period or "?")
    if name == "type":
        return a.type
    if name == "level":
        return o.level or "?"
    if name == "region":
        return o.region or "?"
    raise ValueError(f"cannot summarize by {name!r}; use {', '.join(KEYS)}")


def _figures(acts: list[Activity]) -> tuple[Decimal | None, dict[str, Decimal], int]:
    """Money and counts of one organizer's activities of one year and type: totals not added
    to their parts."""
    money_tot = [m for a in acts if a.is_total and (m := a.money()) is not None]
    money_parts = [m for a in acts if not a.is_total and (m := a.money()) is not None]
    money: Decimal | None = None
    if money_tot or money_parts:
        money = max([max(money_tot, default=Decimal(0)), sum(money_parts, Decimal(0))])
    counts: dict[str, Decimal] = {}
    units = {u for a in acts for u in a.counts()}
    for u in units:
        tot = [a.counts()[u] for a in acts if a.is_total and u in a.counts()]
        parts = [a.counts()[u] for a in acts if not a.is_total and u in a.counts()]
        counts[u] = max([max(tot, default=Decimal(0)), sum(parts, Decimal(0))])
    return money, counts, sum(1 for a in acts if a.is_total)


def _inside(child: Activity, parent: Activity) -> bool:
    """Whether ``child``'s organizer lies inside ``parent``'s region (涟水县总工会 in 淮安市)."""
    c, p = child.organizer, parent.organizer
    if c.name == p.name or not c.resolved or not p.resolved:
        return False
    if c.code and p.code and c.code != p.code:
        width = 2 if p.code.endswith("0000") else 4 if p.code.endswith("00") else 6
        return c.code[:width] == p.code[:width] and len(c.code.rstrip("0")) > len(p.code.rstrip("0"))
    # the same code, or none: a part of the region the gazetteer lacks (柳河镇 below its county)
    return bool(c.region and p.region and c.region != p.region and c.region.startswith(p.region))


def summarize(acts: Iterable[Activity], by: Sequence[str] = ("organizer", "year", "type")) -> list[SummaryRow]:
    """Rows of totals grouped by ``by`` (any of organizer, year, type, level, region)."""
    acts = list(acts)
    for k in by:
        if k not in KEYS:
            raise ValueError(f"cannot summarize by {k!r}; use {', '.join(KEYS)}")
    groups: dict[tuple[Any, ...], list[Activity]] = defaultdict(list)
    for a in acts:
        groups[tuple(_key_of(a, k) for k in by)].append(a)
    rows = []
    for key, members in groups.items():
        row = SummaryRow(key, activities=len(members), mentions=sum(len(a.mentions) for a in members))
        # per organizer, year and type first; then across organizers, leaving out the covered ones
        sub: dict[tuple[Any, ...], list[Activity]] = defaultdict(list)
        for a in members:
            sub[(a.organizer.key if a.organizer.resolved else f"?{id(a)}", _key_of(a, "year"), a.type)].append(a)
        parents = [a for a in members if a.is_total and a.organizer.resolved]
        for (org, year, type_), part in sub.items():
            covering = next((p for p in parents if _key_of(p, "year") == year and p.type == type_
                             and _inside(part[0], p)), None)
            if covering is not None:
                row.covered.append(f"{part[0].organizer.name} {year} {type_} (in {covering.organizer.name}'s total)")
                continue
            money, counts, n_tot = _figures(part)
            row.totals += n_tot
            if money is not None:
                row.money_cny = (row.money_cny or Decimal(0)) + money
            for u, v in counts.items():
                row.counts[u] = row.counts.get(u, Decimal(0)) + v
        rows.append(row)
    rows.sort(key=lambda r: tuple(str(x) for x in r.key))
    return rows


def _fmt_num(v: Decimal) -> str:
    return f"{v:,.0f}" if v == v.to_integral_value() else f"{v:,.2f}"


def format_summary(rows: list[SummaryRow], by: Sequence[str]) -> str:
    """A plain-text table (the output of ``unionie summarize``)."""
    head = list(by) + ["activities", "mentions", "money_cny", "counts"]
    body = []
    for r in rows:
        counts = "; ".join(f"{_fmt_num(v)} {u}" for u, v in sorted(r.counts.items(), key=lambda x: (-x[1], x[0]))[:4])
        body.append([str(x) for x in r.key] + [str(r.activities), str(r.mentions),
                                               "" if r.money_cny is None else _fmt_num(r.money_cny), counts])
    n_acts = sum(r.activities for r in rows)
    n_ment = sum(r.mentions for r in rows)
    money = sum((r.money_cny for r in rows if r.money_cny is not None), Decimal(0))
    body.append(["total"] + [""] * (len(by) - 1) + [str(n_acts), str(n_ment), _fmt_num(money), ""])

    def width(s: str) -> int:
        return sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in s)

    widths = [max(width(row[i]) for row in [head] + body) for i in range(len(head))]
    lines = []
    for n, row in enumerate([head] + body):
        cells = []
        for i, cell in enumerate(row):
            pad = widths[i] - width(cell)
            cells.append(" " * pad + cell if head[i] in ("activities", "mentions", "money_cny") else cell + " " * pad)
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    covered = [c for r in rows for c in r.covered]
    if covered:
        lines.append("")
        lines.append("not added (inside a parent union's total): " + "; ".join(covered))
    return "\n".join(lines)


def plot_summary(rows: list[SummaryRow], by: Sequence[str], path: str, *, top: int = 20) -> None:
    """A horizontal bar chart of money (CNY) per group, with activity counts, saved to ``path``."""
    require("matplotlib", "data", "unionie summarize --plot")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = sorted(rows, key=lambda r: (r.money_cny or 0, r.activities), reverse=True)[:top][::-1]
    labels = [" · ".join(str(x) for x in r.key) for r in rows]
    font = cjk_font()
    if font:
        quiet_font_notices(font)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, max(3, 0.4 * len(rows) + 1.5)), sharey=True)
    ax1.barh(labels, [float(r.money_cny or 0) / 1e4 for r in rows], color="#c0392b")
    ax1.set_xlabel("money (万元 CNY)")
    ax2.barh(labels, [r.activities for r in rows], color="#2c7fb8")
    ax2.set_xlabel("activities")
    fig.suptitle("unionie summarize --by " + ",".join(by))
    if font:
        for t in ax1.get_yticklabels() + [ax1.xaxis.label, ax2.xaxis.label]:
            t.set_fontfamily([font, "DejaVu Sans"])
    with warnings.catch_warnings():  # without a CJK font the labels show boxes (see unionie.plot)
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        fig.tight_layout()
        fig.savefig(path, dpi=110)
    plt.close(fig)

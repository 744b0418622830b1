"""Summary charts of extracted documents with matplotlib.

>>> import unionie, unionie.plot                              # doctest: +SKIP
>>> docs = list(unionie.extract_many(paths))                   # doctest: +SKIP
>>> unionie.plot.money_by_type(docs)                           # doctest: +SKIP

Every function takes the documents in any of the forms the writers take —
:class:`~unionie.Document` objects, SCHEMA dicts (the JSON objects of
``unionie extract``), one document alone — or the events DataFrame of
``unionie.io.to_dataframe(docs)`` (level ``"events"``). It draws on ``ax`` when one
is given, else on a new figure, and returns the :class:`matplotlib.axes.Axes`, so
the chart can be adjusted or saved (``ax.figure.savefig("money.png")``).

The figures are the ones of the events table (see :mod:`unionie.io.tables`):
money is ``amount_cny`` (CNY ``amount`` arguments that are not rates), an event's
year is the start year of its first resolved ``time`` argument, else its
document's publication year.

Chinese labels (帮扶救助, organizer names, file names) are drawn with a CJK font
when one is installed (Noto Sans/Serif CJK, Source Han, WenQuanYi, SimHei,
Microsoft YaHei, PingFang; on Debian ``apt-get install fonts-wqy-zenhei``); the
font is set on the texts of these charts only, never in matplotlib's global
settings. Without one, the charts are drawn all the same and the Chinese
characters show as boxes.

matplotlib and pandas are imported when a function is first called
(``pip install "unionie[data]"``); importing this module loads neither.
"""
from __future__ import annotations

import functools
import logging
import os
import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..io.records import iter_dicts, require
from ..io.tables import to_dataframe
from .pages import fmt_cny, type_color, type_label

__all__ = ["cjk_font", "event_years", "events_by_type", "events_per_document", "events_per_year",
           "money_by_type"]

#: CJK fonts looked for, best first (family names as matplotlib knows them).
_CJK_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
    "Noto Sans CJK JP", "Noto Sans CJK TC", "Noto Serif CJK SC", "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei", "Droid Sans Fallback", "SimHei", "Microsoft YaHei", "PingFang SC",
    "Hiragino Sans GB", "Heiti SC", "Sarasa Gothic SC", "AR PL UMing CN", "AR PL UKai CN",
)
#: Font files installed by the usual packages, added to matplotlib's list when its
#: font cache predates their installation.
_CJK_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
_YEAR = re.compile(r"^\d{4}")
_UNKNOWN_YEAR = "unknown"


def _mpl() -> tuple[Any, Any]:
    require("matplotlib", "data", "unionie.plot")
    import matplotlib.pyplot as plt
    from matplotlib import ticker

    return plt, ticker


@functools.lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The family name of the CJK font the charts use, or None when none is installed."""
    require("matplotlib", "data", "unionie.plot")
    from matplotlib import font_manager

    def installed() -> set[str]:
        return {f.name for f in font_manager.fontManager.ttflist}

    names = installed()
    for family in _CJK_FAMILIES:
        if family in names:
            return family
    for path in _CJK_FILES:  # installed after matplotlib built its font cache
        if os.path.exists(path):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):  # pragma: no cover - broken font file
                continue
    names = installed()
    return next((family for family in _CJK_FAMILIES if family in names), None)


@functools.lru_cache(maxsize=1)
def quiet_font_notices(family: str) -> None:
    """Silence matplotlib's notice that ``family`` lacks the exact weight asked for
    (once per process; :func:`unionie.activity.summary.plot_summary` uses it too)."""
    logging.getLogger("matplotlib.font_manager").addFilter(_QuietWeight(family))


class _QuietWeight:
    """Drops matplotlib's notice that the CJK font has no exact ``normal`` weight
    (WenQuanYi Zen Hei is ``medium``): the nearest weight is what we want."""

    def __init__(self, family: str) -> None:
        self.family = family

    def filter(self, record: Any) -> bool:
        msg = str(record.msg)
        return not (msg.startswith("findfont: Failed to find font weight")
                    and self.family in str(record.args))


def _families() -> list[str] | None:
    """A font list with glyph fallback: Latin from the default font, Chinese from the CJK one."""
    cjk = cjk_font()
    if cjk is None:
        return None
    import matplotlib

    quiet_font_notices(cjk)
    first = [f for f in matplotlib.rcParams["font.sans-serif"][:1] if f != cjk]
    return [*first, cjk]


def _apply_font(ax: Any) -> None:
    fam = _families()
    if fam is None:
        return
    for text in (ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label,
                 *ax.texts):
        text.set_fontfamily(fam)
    try:
        ax.tick_params(labelfontfamily=fam)  # matplotlib >= 3.8: kept when ticks are redrawn
    except (TypeError, ValueError, AttributeError):  # pragma: no cover - older matplotlib
        for lbl in ax.get_xticklabels() + ax.get_yticklabels():
            lbl.set_fontfamily(fam)
    legend = ax.get_legend()
    if legend is not None:
        for text in legend.get_texts():
            text.set_fontfamily(fam)
        legend.get_title().set_fontfamily(fam)


# ------------------------------------------------------------------------- data

def _is_frame(obj: Any) -> bool:
    return type(obj).__name__ == "DataFrame" and hasattr(obj, "columns")


def _tables(docs: Any) -> tuple[Any, Any | None]:
    """The events DataFrame and, for documents, a (doc_id, published) DataFrame in input order."""
    pd = require("pandas", "data", "unionie.plot")
    if _is_frame(docs):
        if "type" not in docs.columns:
            raise ValueError("unionie.plot takes documents or the events DataFrame of "
                             "unionie.io.to_dataframe(docs); this DataFrame has no 'type' column")
        return docs, None
    light: list[dict[str, Any]] = []
    published: list[Any] = []
    if hasattr(docs, "to_dict") or isinstance(docs, Mapping):
        docs = [docs]
    for n, d in enumerate(iter_dicts(docs)):
        doc_id = d.get("doc_id")
        name = str(doc_id) if doc_id not in (None, "") else f"document {n + 1}"
        light.append({"doc_id": name, "events": d.get("events") or ()})
        pub = d.get("published")
        published.append(None if pub is None else str(pub))
    events = to_dataframe(light, "events")
    documents = pd.DataFrame({"doc_id": pd.array([x["doc_id"] for x in light], dtype="string"),
                              "published": pd.array(published, dtype="string")})
    return events, documents


def _type_order(events: Any) -> list[str]:
    """Event types, most frequent first (ties by name), as used for colours and stacking."""
    counts = events["type"].astype("string").fillna("(none)").value_counts()
    return sorted(counts.index, key=lambda t: (-int(counts[t]), str(t)))


def _new_axes(ax: Any, n_rows: int, horizontal: bool = True) -> Any:
    if ax is not None:
        return ax
    plt, _ = _mpl()
    size = (8, max(2.8, 0.38 * n_rows + 1.4)) if horizontal else (max(6.0, 0.6 * n_rows + 3), 4.2)
    _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def _empty(ax: Any, message: str, title: str) -> Any:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="#777")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title)
    _apply_font(ax)
    return ax


def _money_tick(value: float, _pos: Any = None) -> str:
    if value == 0:
        return "0"
    return fmt_cny(value).removesuffix("元") or "0"


# ------------------------------------------------------------------------- charts

def money_by_type(docs: Iterable[Any] | Any, ax: Any = None, *, top: int | None = None) -> Any:
    """Horizontal bars: the money (CNY ``amount`` arguments, rates left out) of each event type.

    The bar of a type is ``events.groupby("type").amount_cny.sum()`` for the events
    DataFrame; types without any CNY amount have no bar. Largest first; ``top``
    keeps only that many types. Each bar is labelled with its sum (89万元).
    """
    events, _ = _tables(docs)
    _, ticker = _mpl()
    title = "Money by event type (CNY)"
    sums = events.groupby("type")["amount_cny"].sum(min_count=1).dropna()
    sums = sums[sums > 0].astype(float).sort_values(ascending=False, kind="stable")
    if top is not None:
        sums = sums.head(top)
    ax = _new_axes(ax, len(sums))
    if sums.empty:
        return _empty(ax, "no CNY amounts", title)
    types = [str(t) for t in sums.index]
    _type_bars(ax, types, list(sums.to_numpy()), [fmt_cny(v) for v in sums.to_numpy()], "CNY (元)", 0.15, title)
    ax.xaxis.set_major_formatter(ticker.FuncFormatter(_money_tick))
    return ax


def events_by_type(docs: Iterable[Any] | Any, ax: Any = None) -> Any:
    """Horizontal bars: how many events of each type (``events.type.value_counts()``), most first."""
    events, _ = _tables(docs)
    title = "Events by type"
    types = _type_order(events)
    ax = _new_axes(ax, len(types))
    if not types:
        return _empty(ax, "no events", title)
    counts = events["type"].astype("string").fillna("(none)").value_counts()
    values = [int(counts[t]) for t in types]
    _type_bars(ax, types, values, None, "events", 0.1, title)
    return ax


def _type_bars(ax: Any, types: list[str], values: list[Any], labels: list[str] | None, xlabel: str,
               margin: float, title: str) -> None:
    """Horizontal bars, one per event type in its colour, largest on top, labelled."""
    bars = ax.barh([type_label(t) for t in types], values, color=[type_color(t) for t in types])
    ax.bar_label(bars, labels=labels, padding=3, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.margins(x=margin)
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    _apply_font(ax)


def _stacked(ax: Any, categories: list[str], table: Any, types: list[str], horizontal: bool) -> None:
    """One bar per category, stacked by type in ``types`` order; one container per type."""
    import numpy as np

    base = np.zeros(len(categories))
    for t in types:
        values = table[t].to_numpy(dtype=float) if t in table.columns else np.zeros(len(categories))
        if horizontal:
            ax.barh(categories, values, left=base, color=type_color(t), label=type_label(t))
        else:
            ax.bar(categories, values, bottom=base, color=type_color(t), label=type_label(t))
        base = base + values


def events_per_document(docs: Iterable[Any] | Any, ax: Any = None, *, top: int | None = 30) -> Any:
    """Stacked horizontal bars: the events of each document, by type.

    Documents with most events first (ties in input order); documents without
    events are listed with an empty bar when documents (not a DataFrame) are
    given. ``top`` keeps that many documents (None: all). The bars of one type
    form one container (``ax.containers``), labelled with the type.
    """
    events, documents = _tables(docs)
    title = "Events per document"
    types = _type_order(events)
    events = events.assign(type=events["type"].astype("string").fillna("(none)"),
                           doc_id=events["doc_id"].astype("string").fillna("(no doc_id)"))
    table = events.groupby(["doc_id", "type"], sort=False).size().unstack(fill_value=0)
    order = list(documents["doc_id"]) if documents is not None else list(dict.fromkeys(events["doc_id"]))
    order = list(dict.fromkeys(str(d) for d in order))
    table.index = table.index.astype(str)
    table = table.reindex(order, fill_value=0)
    totals = table.sum(axis=1) if len(table.columns) else table.index.to_series().map(lambda _: 0)
    ranked = sorted(range(len(order)), key=lambda i: (-int(totals.iloc[i]), i))
    if top is not None:
        ranked = ranked[:top]
    shown = [order[i] for i in ranked]
    ax = _new_axes(ax, len(shown))
    if not shown:
        return _empty(ax, "no documents", title)
    if not types:
        return _empty(ax, "no events", title)
    _stacked(ax, shown, table.loc[shown], types, horizontal=True)
    ax.invert_yaxis()
    ax.set_xlabel("events")
    if top is not None and len(order) > len(shown):
        ax.set_title(f"{title} (the {len(shown)} of {len(order)} with most events)")
    else:
        ax.set_title(title)
    _legend_and_frame(ax)
    return ax


def _legend_and_frame(ax: Any) -> None:
    """The legend of the event types beside a stacked chart, an open frame and the CJK font."""
    ax.legend(title="type", fontsize=8, title_fontsize=9, loc="upper left", frameon=False,
              bbox_to_anchor=(1.0, 1.0))
    ax.spines[["top", "right"]].set_visible(False)
    _apply_font(ax)


def event_years(docs: Iterable[Any] | Any) -> Any:
    """The events DataFrame with a ``year`` column (``"2023"``, or ``"unknown"``).

    The year is the start year of the event's first resolved ``time`` argument
    (``time_value`` 2018-07 or 2014/2019), else its document's publication year
    (from the documents, or a ``published`` column of a DataFrame).
    """
    events, documents = _tables(docs)
    pd = require("pandas", "data", "unionie.plot")
    time_year = events["time_value"].astype("string").str.extract(r"^(\d{4})", expand=False)
    if documents is not None:
        pub_by_doc = dict(zip(documents["doc_id"].astype(str), documents["published"]))
        published = events["doc_id"].astype(str).map(pub_by_doc)
    elif "published" in events.columns:
        published = events["published"]
    else:
        published = pd.Series([None] * len(events), index=events.index)
    pub_year = pd.Series(published, index=events.index).astype("string").str.extract(
        r"^(\d{4})", expand=False)
    year = time_year.fillna(pub_year).fillna(_UNKNOWN_YEAR)
    return events.assign(year=year.astype("string"))


def events_per_year(docs: Iterable[Any] | Any, ax: Any = None) -> Any:
    """Stacked bars: events per year, by type (see :func:`event_years` for the year).

    Years in order, with events of no known year in a last bar, ``unknown``. The
    bars of one type form one container (``ax.containers``), labelled with the type.
    """
    events = event_years(docs)
    title = "Events per year"
    types = _type_order(events)
    years = sorted({str(y) for y in events["year"]}, key=lambda y: (y == _UNKNOWN_YEAR, y))
    ax = _new_axes(ax, len(years), horizontal=False)
    if not years:
        return _empty(ax, "no events", title)
    table = (events.assign(type=events["type"].astype("string").fillna("(none)"))
             .groupby(["year", "type"]).size().unstack(fill_value=0))
    table.index = table.index.astype(str)
    table = table.reindex(years, fill_value=0)
    _stacked(ax, years, table, types, horizontal=False)
    ax.set_ylabel("events")
    ax.set_title(title)
    _legend_and_frame(ax)
    return ax


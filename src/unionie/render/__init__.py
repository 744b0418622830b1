"""Rendering: extracted documents as HTML and charts.

* :mod:`unionie.render.pages` - the HTML pieces (colors, highlighted text, legend, SVG bars);
* :mod:`unionie.render.report` - :func:`write_report`, the self-contained HTML report;
* :mod:`unionie.render.display` - a :class:`~unionie.document.Document` in a notebook;
* :mod:`unionie.render.plot` - matplotlib charts (also importable as ``unionie.plot``).

The value objects import no rendering: importing this package attaches the notebook
view, ``Document._repr_html_`` (``import unionie`` does it).
"""
from __future__ import annotations

from .display import document_html
from .report import write_report

__all__ = ["document_html", "write_report"]

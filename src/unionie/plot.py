"""``unionie.plot``: the charts of :mod:`unionie.render.plot`, under the name the docs use.

>>> import unionie, unionie.plot                              # doctest: +SKIP
>>> unionie.plot.money_by_type(docs)                           # doctest: +SKIP
"""
from __future__ import annotations

from .render.plot import *  # noqa: F401,F403 - the public charts
from .render.plot import __all__  # noqa: F401

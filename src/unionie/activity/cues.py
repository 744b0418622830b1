"""The cue lists of ``data/activities.yaml``, read once."""
from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import yaml

__all__ = ["cues"]


@functools.lru_cache(maxsize=1)
def cues() -> dict[str, Any]:
    text = resources.files("unionie").joinpath("data/activities.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    data["unit_of"] = {u: fam for fam, units in data["unit_families"].items() for u in units}
    return data

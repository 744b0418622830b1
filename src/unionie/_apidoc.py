"""Write docs/api.md from the docstrings of the public API: ``python -m unionie._apidoc``."""
from __future__ import annotations

import inspect
import sys

import unionie

HEADER = """# Python API reference

Everything public is importable from `unionie` (its `__all__`); the package is typed
(`py.typed`). Modules whose names start with `_` are private. This page is generated from
the docstrings (`python -m unionie._apidoc > docs/api.md`); a test checks that it lists
every public name. Submodules users import directly: `unionie.plot` (charts),
`unionie.dask` (Dask), `unionie.io` (readers and writers), `unionie.evaluate` (scoring),
`unionie.rules.loader` (rule packs), `unionie.activity` (the activity table, docs/activities.md).
"""


def render() -> str:
    out = [HEADER]
    for name in unionie.__all__:
        if name.startswith("__"):
            continue
        obj = getattr(unionie, name)
        kind = "class" if inspect.isclass(obj) else "function"
        try:
            sig = str(inspect.signature(obj)) if kind == "function" else ""
        except (TypeError, ValueError):  # pragma: no cover
            sig = ""
        out.append(f"## `unionie.{name}{sig}`\n")
        out.append(f"*{kind}*\n")
        doc = inspect.getdoc(obj) or ""
        out.append(doc + "\n")
        if kind == "class":
            for attr, member in inspect.getmembers(obj):
                if attr.startswith("_") or not (inspect.isfunction(member) or isinstance(member, property)):
                    continue
                mdoc = inspect.getdoc(member) or ""
                first = mdoc.splitlines()[0] if mdoc else ""
                out.append(f"- `{attr}`" + (f": {first}" if first else ""))
            out.append("")
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":  # pragma: no cover
    sys.stdout.write(render())

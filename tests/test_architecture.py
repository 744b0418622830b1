"""The layers of docs/architecture.md hold: every import of src/unionie runs down (or
stays in its layer), there is no import cycle, and private modules stay in their package."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
DOC = ROOT / "docs" / "architecture.md"


def _layers() -> list[tuple[str, list[str]]]:
    block = re.search(r"```layers\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert block, "docs/architecture.md has no ```layers block"
    out = []
    for line in block.group(1).strip().splitlines():
        name, mods = line.split(":", 1)
        out.append((name.strip(), mods.split()))
    return out


def _modules() -> dict[str, Path]:
    out = {}
    for f in sorted((SRC / "unionie").rglob("*.py")):
        parts = list(f.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = f
    return out


MODULES = _modules()


def _layer_of(module: str, layers: list[tuple[str, list[str]]]) -> int | None:
    for i, (_, patterns) in enumerate(layers):
        for p in patterns:
            if module == p or (p.endswith(".*") and module.startswith(p[:-1])):
                return i
    return None


def _imports(module: str) -> set[str]:
    """The unionie modules ``module`` imports anywhere in its file."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("unionie"):
                continue
            for alias in node.names:  # from . import display: a module, if there is one
                sub = f"{target}.{alias.name}"
                out.add(sub if sub in MODULES else target)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("unionie"))
    out.discard(module)
    return {m for m in out if m in MODULES}


def test_every_module_has_a_layer() -> None:
    layers = _layers()
    assert [m for m in MODULES if _layer_of(m, layers) is None] == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_run_down_the_layers(module: str) -> None:
    layers = _layers()
    mine = _layer_of(module, layers)
    assert mine is not None
    up = {m: layers[_layer_of(m, layers)][0] for m in _imports(module)  # type: ignore[index]
          if (_layer_of(m, layers) or 0) > mine}
    assert up == {}, f"{module} ({layers[mine][0]}) imports from higher layers: {up}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_private_modules_stay_in_their_package(module: str) -> None:
    package = module if MODULES[module].name == "__init__.py" else module.rsplit(".", 1)[0]
    foreign = [m for m in _imports(module) if m.rsplit(".", 1)[-1].startswith("_")
               and m.rsplit(".", 1)[0] != package]
    assert foreign == []


def test_no_import_cycle() -> None:
    graph = {m: _imports(m) for m in MODULES}
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        path.append(m)
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                return path[path.index(n):] + [n]
            if n not in state:
                cycle = visit(n)
                if cycle:
                    return cycle
        state[m] = 2
        path.pop()
        return None

    for m in sorted(graph):
        if m not in state:
            cycle = visit(m)
            assert cycle is None, " -> ".join(cycle)


def _imports_spacy(module: str) -> bool:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    return any((isinstance(n, ast.ImportFrom) and (n.module or "").split(".")[0] == "spacy" and not n.level)
               or (isinstance(n, ast.Import) and any(a.name.split(".")[0] == "spacy" for a in n.names))
               for n in ast.walk(tree))


def test_the_core_runs_without_spacy() -> None:
    """The core and every unionie module it reaches import no spaCy (the adapters in
    ``pipeline/`` and the spaCy tokenizer do)."""
    seen, todo = set(), ["unionie.core"]
    while todo:
        m = todo.pop()
        if m in seen:
            continue
        seen.add(m)
        todo.extend(i for i in _imports(m) if i != "unionie")  # the package's __init__ is the surface
    assert "unionie.segmenter" in seen and "unionie.tokenizer" not in seen
    assert [m for m in sorted(seen) if _imports_spacy(m)] == []

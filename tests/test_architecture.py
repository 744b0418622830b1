"""The layers of docs/architecture.md hold: every import of src/unionie runs down (or
stays in its layer), there is no import cycle, and private modules stay in their package."""
from __future__ import annotations

import ast
import re
import sys
from pathlib import Path
from typing import Callable

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


# -- imports at the top of files; private names stay in their package ----------------------------
#: Imports inside functions that must stay there, each with its reason: ``(module, imported
#: top-level name)``. A function-level import of a unionie module or of the standard library
#: is a fault (it hides a dependency, or an import cycle, from the layer checks above and from
#: the reader); only third-party libraries may be imported where they are used (the optional
#: ones, or cn2an, whose import takes ~0.5 s and which only rare numerals need).
DEFERRED_ALLOWED: dict[tuple[str, str], str] = {}


def _target(module: str, node: ast.ImportFrom) -> str:
    """The absolute module an ``ImportFrom`` of ``module`` names."""
    if not node.level:
        return node.module or ""
    package = module if MODULES[module].name == "__init__.py" else module.rsplit(".", 1)[0]
    base = package.split(".")[:len(package.split(".")) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _function_level_imports(module: str) -> list[tuple[int, str]]:
    """(line, absolute module) of every import inside a function (or method) of ``module``."""
    out: list[tuple[int, str]] = []

    def walk(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if in_function and isinstance(child, ast.ImportFrom):
                out.append((child.lineno, _target(module, child)))
            elif in_function and isinstance(child, ast.Import):
                out.extend((child.lineno, a.name) for a in child.names)
            walk(child, inside)

    walk(ast.parse(MODULES[module].read_text(encoding="utf-8")), False)
    return out


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_are_at_the_top_of_files(module: str) -> None:
    """unionie's own modules and the standard library are imported at the top of a file; a
    function may import only a third-party library (an optional dependency, mostly)."""
    inside = [(line, target) for line, target in _function_level_imports(module)
              if (target.split(".")[0] == "unionie" or target.split(".")[0] in sys.stdlib_module_names)
              and (module, target.split(".")[0]) not in DEFERRED_ALLOWED]
    assert inside == [], f"{module}: imports inside functions (line, module): {inside}"


def _private_uses(tree: ast.AST, module_of: Callable[[ast.ImportFrom], str]) -> list[tuple[int, str, str]]:
    """(line, unionie module, private name) of every private name a file takes from a unionie
    module: ``from m import _x``, and ``m._x`` on a name bound to a unionie module by an import."""
    out: list[tuple[int, str, str]] = []
    bound: dict[str, str] = {}  # local name -> the unionie module it names
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            target = module_of(node)
            if target.split(".")[0] != "unionie":
                continue
            for a in node.names:
                if a.name.startswith("_") and not a.name.startswith("__"):
                    out.append((node.lineno, target, a.name))
                if f"{target}.{a.name}" in MODULES:
                    bound[a.asname or a.name] = f"{target}.{a.name}"
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] == "unionie":
                    bound[a.asname or a.name.split(".")[0]] = a.name if a.asname else "unionie"
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in bound
                and node.attr.startswith("_") and not node.attr.startswith("__")):
            out.append((node.lineno, bound[node.value.id], node.attr))
    return out


def _package_of(module: str) -> str:
    return module if module in MODULES and MODULES[module].name == "__init__.py" else module.rsplit(".", 1)[0]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_private_names_stay_in_their_package(module: str) -> None:
    """A private name (``_x``) of a unionie module is used only inside that module's package."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    foreign = [u for u in _private_uses(tree, lambda n: _target(module, n))
               if _package_of(u[1]) != _package_of(module)]
    assert foreign == [], f"{module} uses private names of other packages (line, module, name): {foreign}"


@pytest.mark.parametrize("path", sorted((ROOT / "bench").glob("*.py")), ids=lambda p: p.name)
def test_the_benchmark_uses_no_private_name_of_unionie(path: Path) -> None:
    """bench/ measures what users run, through the public API and the core: no private name."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    trees = [tree]
    for node in ast.walk(tree):  # the scripts its child processes run, held in strings
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "unionie" in node.value:
            try:
                trees.append(ast.parse(node.value))
            except SyntaxError:  # a docstring or a message, not a script
                continue
    uses = [u for t in trees for u in _private_uses(t, lambda n: n.module or "")]
    assert uses == [], f"{path.name} uses private names of unionie (line, module, name): {uses}"

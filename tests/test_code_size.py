"""Issue 15's size limits: no source file of src/unionie or bench/ over 500 lines, no function
or method over 80 lines (from its ``def`` line to its last line, decorators not counted)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "unionie"
BENCH = ROOT / "bench"
MAX_FILE_LINES = 500
MAX_FUNCTION_LINES = 80

# Names allowed over the limits (none: every file and function of src/unionie and bench/ fits). A name
# put here must still be over (an entry that fits fails), so the list can only shrink.
ALLOWED: set[str] = set()


def _sources() -> list[Path]:
    return sorted(SRC.rglob("*.py")) + sorted(BENCH.glob("*.py"))


def _too_long() -> list[tuple[str, int]]:
    """(name, lines) of every file and function over its limit; a function is
    ``path:qualified.name``."""
    out: list[tuple[str, int]] = []
    for path in _sources():
        rel = path.relative_to(ROOT).as_posix()
        source = path.read_text(encoding="utf-8")
        n_lines = len(source.splitlines())
        if n_lines > MAX_FILE_LINES:
            out.append((rel, n_lines))
        out += [(f"{rel}:{name}", n) for name, n in _functions(ast.parse(source), "")
                if n > MAX_FUNCTION_LINES]
    return out


def _functions(node: ast.AST, prefix: str) -> list[tuple[str, int]]:
    """(qualified name, lines) of every function and method under ``node``, nested ones too."""
    out: list[tuple[str, int]] = []
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
            name = prefix + child.name
            out.append((name, (child.end_lineno or child.lineno) - child.lineno + 1))
            out += _functions(child, name + ".")
        elif isinstance(child, ast.ClassDef):
            out += _functions(child, prefix + child.name + ".")
        else:
            out += _functions(child, prefix)
    return out


def test_no_file_over_500_lines_and_no_function_over_80() -> None:
    over = [f"{name} ({n} lines)" for name, n in _too_long() if name not in ALLOWED]
    assert over == [], "over the limits (files 500 lines, functions 80):\n" + "\n".join(over)


def test_the_allow_list_names_only_what_is_still_over() -> None:
    still = {name for name, _ in _too_long()}
    assert sorted(ALLOWED - still) == [], "these fit now: take them out of ALLOWED"


@pytest.mark.parametrize(("source", "expected"), [
    ("def f():\n" + "    x = 1\n" * 80, [("f", 81)]),
    ("class C:\n    @property\n    def p(self):\n        return 1\n", [("C.p", 2)]),
    ("def f():\n    def g():\n        pass\n    return g\n", [("f", 4), ("f.g", 2)]),
    ("if True:\n    async def h():\n        pass\n", [("h", 2)]),
])
def test_functions_are_counted_from_def_to_their_last_line(source: str, expected: list[tuple[str, int]]) -> None:
    assert _functions(ast.parse(source), "") == expected

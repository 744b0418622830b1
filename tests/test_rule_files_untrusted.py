"""Rule files are untrusted input (issue 16): hostile YAML is refused early, as U201.

Each hostile file is a row of a table: what it holds, the line the RuleError must name and a
piece of its message. Every row is checked three ways on a real file: the loader
(``load_rule_file``), the pipeline (``unionie.load(rules=...)``) and ``unionie rules check``
(click's CliRunner, exit code 2). A few rows also run the installed command in a fresh
process under a timeout (a hang detector, not a timed assertion), and the alias bomb is
checked not to allocate memory (tracemalloc).
"""
from __future__ import annotations

import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import unionie
from unionie.cli import main
from unionie.errors import RuleError
from unionie.rules.loader import load_rule_file
from unionie.rules.safe_yaml import MAX_BYTES, MAX_DEPTH, load_yaml

GOOD = "type: safety\nroles: [organizer, time]\ntriggers:\n  - id: safety.drill\n    words: [应急演练]\n"


def _bomb(levels: int = 9, indent: str = "  ") -> str:
    """A "billion laughs" mapping: 9 levels of 9 aliases each = 9**9 strings when expanded."""
    lines = [f"{indent}l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels + 1):
        lines.append(f"{indent}l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


# (id, file content (str: UTF-8 text, bytes: as is), line named, piece of the message)
HOSTILE = [
    ("alias-bomb-in-description", GOOD + "description:\n" + _bomb(), 7, "YAML anchor &l0 is not allowed"),
    ("alias-bomb-first", "description:\n" + _bomb() + GOOD, 2, "YAML anchor &l0 is not allowed"),
    ("alias-bomb-in-a-trigger-key",
     "type: safety\nroles: [organizer]\ntriggers:\n  - id: safety.drill\n    words: [应急演练]\n"
     "    not_followed_by:\n" + _bomb(indent="      "), 7, "YAML anchor &l0 is not allowed"),
    ("alias-bomb-in-an-unknown-key", "x_defs:\n" + _bomb() + GOOD, 2, "YAML anchor &l0"),
    ("one-alias-of-a-word-list",
     "type: safety\nroles: [organizer]\nnot_followed_by: &nf [基地]\ntriggers:\n"
     "  - id: safety.drill\n    words: [应急演练]\n    not_preceded_by: *nf\n", 3, "YAML anchor &nf"),
    ("merge-key", "base: &b {confidence: 0.9}\n" + GOOD + "    <<: *b\n", 1, "YAML anchor &b"),
    ("alias-without-anchor", GOOD + "description: *nowhere\n", 6, "alias *nowhere"),
    ("flow-nesting-100000-deep", GOOD + "description: " + "[" * 100_000 + "]" * 100_000 + "\n", 6,
     f"nested more than {MAX_DEPTH} levels deep"),
    ("block-nesting-40-deep", GOOD + "description:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 41))
     + "  " * 41 + "end\n", 6 + MAX_DEPTH, f"nested more than {MAX_DEPTH} levels deep"),
    ("gbk-bytes", ("type: safety\nroles: [organizer]\ndescription: 安全生产\n"
                   "triggers:\n  - words: [应急演练]\n").encode("gbk"), 3, "not UTF-8: byte 0xb0 at byte 45 (column 14)"),
    ("latin-1-in-a-word", (GOOD.replace("应急演练", "Sécurité")).encode("latin-1"), 5, "not UTF-8: byte 0xe9"),
    ("utf-16", GOOD.encode("utf-16"), 1, "not UTF-8: byte 0xff at byte 0"),
    ("python-object-tag", GOOD + "description: !!python/object/apply:os.system ['echo pwned']\n", 6,
     "could not determine a constructor"),
    ("custom-tag", GOOD + "description: !include other.yaml\n", 6, "could not determine a constructor"),
]


def _write(tmp_path: Path, content: str | bytes, name: str = "pack.yaml") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize("content,line,message", [c[1:] for c in HOSTILE], ids=[c[0] for c in HOSTILE])
def test_hostile_rule_file_is_u201_with_file_and_line(tmp_path: Path, content: str | bytes, line: int,
                                                      message: str) -> None:
    path = _write(tmp_path, content)
    with pytest.raises(RuleError) as e:
        load_rule_file(path)
    assert e.value.path == str(path) and e.value.line == line, str(e.value)
    assert message in str(e.value) and str(e.value).startswith(f"[U201] {path}:{line}: ")
    with pytest.raises(RuleError) as e2:
        unionie.load(rules=[path])
    assert str(e2.value) == str(e.value)
    r = CliRunner().invoke(main, ["rules", "check", str(path)])
    assert r.exit_code == 2, r.output
    assert f"{path}:{line}" in r.stderr and message in r.stderr
    assert "Traceback" not in r.output


@pytest.mark.parametrize("case", ["alias-bomb-in-description", "alias-bomb-in-a-trigger-key", "gbk-bytes"])
def test_installed_command_refuses_it_in_a_fresh_process(tmp_path: Path, case: str) -> None:
    content, line, message = next(c[1:] for c in HOSTILE if c[0] == case)
    path = _write(tmp_path, content)
    r = subprocess.run([sys.executable, "-c", "from unionie.cli import run; run()", "rules", "check", str(path)],
                       capture_output=True, text=True, encoding="utf-8", timeout=120)  # a hang fails here
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith(f"[U201] {path}:{line}: ") and message in r.stderr
    assert "Traceback" not in r.stderr


def test_the_alias_bomb_allocates_nothing(tmp_path: Path) -> None:
    """Refused from the parser's events, before a node is built: far under 10 MB traced."""
    path = _write(tmp_path, GOOD + "description:\n" + _bomb(levels=12))
    tracemalloc.start()
    try:
        with pytest.raises(RuleError, match="YAML anchor"):
            load_rule_file(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 10_000_000


def test_a_50_mb_rule_file_is_refused_by_its_size_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as f:
        f.write(GOOD.encode("utf-8"))
        f.truncate(50_000_000)  # sparse: the size is there, the bytes need not be read
    tracemalloc.start()
    try:
        with pytest.raises(RuleError) as e:
            load_rule_file(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(e.value) == (f"[U201] {path}: rule file is 50,000,000 bytes; the limit is {MAX_BYTES:,} "
                            "(split the pack into several files)")
    assert peak < 5_000_000
    r = CliRunner().invoke(main, ["rules", "check", str(path)])
    assert r.exit_code == 2 and "rule file is 50,000,000 bytes" in r.stderr


def test_a_file_just_under_the_limit_loads(tmp_path: Path) -> None:
    words = ", ".join(f"词{i}" for i in range(40_000))  # a long lexicon: ~350 KB
    path = _write(tmp_path, GOOD + f"    not_followed_by: [{words}]\n")
    assert 300_000 < path.stat().st_size < MAX_BYTES
    et = load_rule_file(path).types["safety"]
    assert len(et.triggers[0].not_followed_by) == 40_000


def test_nesting_up_to_the_limit_loads(tmp_path: Path) -> None:
    # description holds a mapping nested to the limit (the file's top mapping is level 1)
    nested = "".join("  " * i + f"k{i}:\n" for i in range(1, MAX_DEPTH)) + "  " * MAX_DEPTH + "end\n"
    path = _write(tmp_path, GOOD + "description:\n" + nested)
    assert load_rule_file(path).types["safety"].triggers[0].words == ("应急演练",)


def test_a_utf8_bom_is_fine(tmp_path: Path) -> None:
    path = _write(tmp_path, "\ufeff".encode("utf-8") + GOOD.encode("utf-8"))
    assert list(load_rule_file(path).types) == ["safety"]
    assert unionie.extract("组织应急演练29场。", nlp=unionie.load(rules=[path])).events[0].type == "safety"


@pytest.mark.parametrize("kind", ["path", "bytes", "text"])
def test_load_yaml_takes_a_path_bytes_or_text(tmp_path: Path, kind: str) -> None:
    path = _write(tmp_path, GOOD)
    source = {"path": path, "bytes": GOOD.encode("utf-8"), "text": GOOD}[kind]
    data = load_yaml(source)
    assert data["type"] == "safety" and data["triggers"][0]["words"] == ["应急演练"]
    assert type(data) is dict  # plain data, never an object a tag asked for
    with pytest.raises(RuleError, match=r"^\[U201\] x\.yaml:1: YAML anchor &a"):
        load_yaml({"path": _write(tmp_path, "a: &a 1\n", "x.yaml"), "bytes": b"a: &a 1\n",
                   "text": "a: &a 1\n"}[kind], path="x.yaml")


def test_load_yaml_accepts_only_safe_loaders() -> None:
    with pytest.raises(TypeError):
        load_yaml("a: 1", loader=yaml.UnsafeLoader)  # type: ignore[arg-type]

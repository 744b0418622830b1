"""A wrong file at the output path is refused untouched (issue 16); database runs count
what they skip.

Each wrong file is a row of a table: what is already at the output path and the name it
has. ``unionie extract ... -o NAME`` must exit 2 with a U309 line naming the file, no
traceback, and leave the file byte for byte as it was; ``unionie.to_sql`` must raise
:class:`unionie.OutputError` the same way. Real files, real SQLite and DuckDB, the real CLI
(click's CliRunner, and the installed command in a fresh process for two rows).
"""
from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import unionie
from unionie.cli import main
from unionie.io.sql import DUCKDB_CONFIG, _connect, check_database_file

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "corpus" / "reports"
ONE = REPORTS / "zhenjiang-xinqu.txt"


def _sqlite_file(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (x TEXT)")
    con.execute("INSERT INTO notes VALUES ('mine')")
    con.commit()
    con.close()


def _duckdb_file(path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE notes (x VARCHAR)")
    con.execute("INSERT INTO notes VALUES ('mine')")
    con.close()


def _make(kind: str, path: Path) -> None:
    if kind == "text":
        path.write_text("昨天的会议纪要\nminutes of yesterday's meeting\n", encoding="utf-8")
    elif kind == "pdf":
        path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\nendobj\n" + bytes(range(256)))
    elif kind == "short":
        path.write_bytes(b"DUCK")  # the magic alone, at the wrong place
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "sqlite":
        _sqlite_file(path)
    elif kind == "duckdb":
        _duckdb_file(path)
    elif kind == "directory":
        path.mkdir()
        (path / "keep.txt").write_text("x", encoding="utf-8")
    else:  # pragma: no cover
        raise AssertionError(kind)


def _snapshot(path: Path) -> object:
    if path.is_dir():
        return sorted((p.name, p.read_bytes()) for p in path.iterdir())
    return path.read_bytes()


# (id, what is at the path, file name, what the message says it is)
WRONG = [
    ("text-named-sqlite", "text", "out.sqlite", "exists and is not a SQLite database (it is a text file)"),
    ("text-named-db", "text", "out.db", "exists and is not a SQLite database (it is a text file)"),
    ("pdf-named-sqlite3", "pdf", "out.sqlite3", "exists and is not a SQLite database (it is another kind of file)"),
    ("duckdb-named-sqlite", "duckdb", "out.sqlite", "exists and is not a SQLite database (it is a DuckDB database)"),
    ("sqlite-named-duckdb", "sqlite", "out.duckdb", "exists and is not a DuckDB database (it is a SQLite database)"),
    ("sqlite-named-ddb", "sqlite", "out.ddb", "exists and is not a DuckDB database (it is a SQLite database)"),
    ("text-named-duckdb", "text", "out.duckdb", "exists and is not a DuckDB database (it is a text file)"),
    ("four-bytes-named-duckdb", "short", "out.duckdb", "exists and is not a DuckDB database (it is a text file)"),
    ("empty-named-duckdb", "empty", "out.duckdb", "exists and is not a DuckDB database (it is empty)"),
]


@pytest.mark.parametrize("what,name,says", [w[1:] for w in WRONG], ids=[w[0] for w in WRONG])
def test_wrong_file_at_the_output_is_refused_untouched(tmp_path: Path, what: str, name: str, says: str) -> None:
    path = tmp_path / name
    _make(what, path)
    before = _snapshot(path)
    r = CliRunner().invoke(main, ["extract", str(ONE), "-o", str(path)])
    assert r.exit_code == 2, r.output
    assert r.stderr.startswith(f"unionie: error: [U309] {path} {says}") and r.stderr.count("\n") == 1
    assert "Traceback" not in r.output and isinstance(r.exception, SystemExit)
    assert _snapshot(path) == before
    assert not Path(f"{path}.errors.jsonl").exists() and sorted(tmp_path.iterdir()) == [path]
    with pytest.raises(unionie.OutputError) as e:
        unionie.to_sql([unionie.extract("慰问困难职工家庭95户。", doc_id="a")], path)
    assert e.value.path == str(path) and says in str(e.value) and str(e.value).startswith("[U309] ")
    assert _snapshot(path) == before


@pytest.mark.parametrize("what,name", [("sqlite", "out.duckdb"), ("text", "out.sqlite")])
def test_installed_command_exits_2_without_a_traceback(tmp_path: Path, what: str, name: str) -> None:
    path = tmp_path / name
    _make(what, path)
    before = path.read_bytes()
    r = subprocess.run([sys.executable, "-c", "from unionie.cli import run; run()", "extract", str(ONE),
                        "-o", str(path)], capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith(f"unionie: error: [U309] {path} exists and is not a ")
    assert "Traceback" not in r.stderr and r.stdout == ""
    assert path.read_bytes() == before


@pytest.mark.parametrize("kind,name", [("sqlite", "out.sqlite"), ("duckdb", "out.duckdb")])
def test_a_database_of_the_right_kind_is_appended_to(tmp_path: Path, kind: str, name: str) -> None:
    """The user's own tables stay; unionie's are added next to them."""
    path = tmp_path / name
    _make(kind, path)
    r = CliRunner().invoke(main, ["extract", str(ONE), "-o", str(path)])
    assert r.exit_code == 0, r.output
    if kind == "sqlite":
        con = sqlite3.connect(path)
    else:
        import duckdb

        con = duckdb.connect(str(path), read_only=True)
    assert con.execute("SELECT x FROM notes").fetchall() == [("mine",)]
    assert con.execute("SELECT doc_id FROM documents").fetchall() == [(ONE.stem,)]
    con.close()


def test_a_directory_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "out.sqlite"
    _make("directory", path)
    before = _snapshot(path)
    with pytest.raises(unionie.OutputError, match=r"^\[U309\] .*out\.sqlite is a directory, not a SQLite database"):
        unionie.to_sql([unionie.extract("慰问困难职工家庭95户。", doc_id="a")], path)
    r = CliRunner().invoke(main, ["extract", str(ONE), "-o", str(path)])  # click's own check
    assert r.exit_code == 2 and "is a directory" in r.stderr
    assert _snapshot(path) == before


def test_an_empty_file_is_a_new_sqlite_database(tmp_path: Path) -> None:
    path = tmp_path / "out.sqlite"
    path.write_bytes(b"")
    r = CliRunner().invoke(main, ["extract", str(ONE), "-o", str(path)])
    assert r.exit_code == 0, r.output
    assert path.read_bytes()[:16] == b"SQLite format 3\x00"


def test_check_database_file_passes_missing_and_matching_files(tmp_path: Path) -> None:
    check_database_file(tmp_path / "new.sqlite", "sqlite")
    check_database_file(tmp_path / "new.duckdb", "duckdb")
    _sqlite_file(tmp_path / "a.sqlite")
    _duckdb_file(tmp_path / "a.duckdb")
    check_database_file(tmp_path / "a.sqlite", "sqlite")
    check_database_file(tmp_path / "a.duckdb", "duckdb")
    with pytest.raises(unionie.OutputError):
        check_database_file(tmp_path / "a.duckdb", "sqlite")


def test_duckdb_never_installs_or_loads_extensions(tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    con, owned = _connect(tmp_path / "x.duckdb", "duckdb")
    try:
        settings = con.execute("SELECT current_setting('autoinstall_known_extensions'), "
                               "current_setting('autoload_known_extensions')").fetchone()
    finally:
        con.close()
    assert owned and settings == (False, False)
    assert DUCKDB_CONFIG == {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


@pytest.mark.parametrize("name", ["out.sqlite", "out.duckdb"])
def test_the_summary_counts_written_and_skipped_apart(tmp_path: Path, name: str) -> None:
    if name.endswith(".duckdb"):
        pytest.importorskip("duckdb")
    path = tmp_path / name
    first = [str(REPORTS / "zhenjiang-xinqu.txt"), str(REPORTS / "changzhou-xinbei.txt")]
    r = CliRunner().invoke(main, ["extract", *first, "-o", str(path)])
    assert r.exit_code == 0 and "2 documents" in r.stderr and f"0 errors; written to {path}\n" in r.stderr
    r = CliRunner().invoke(main, ["extract", *first, str(REPORTS / "macau-traditional.txt"), "-o", str(path)])
    assert r.exit_code == 0, r.output
    assert r.stderr.startswith("unionie: 3 documents, ")
    assert r.stderr.endswith(f"0 errors; 1 written, 2 skipped (already in {path})\n")
    r = CliRunner().invoke(main, ["extract", *first, "-o", str(path)])
    assert r.stderr.endswith(f"0 errors; 0 written, 2 skipped (already in {path})\n")
    assert unionie.to_sql([unionie.extract("慰问困难职工家庭95户。", doc_id="zhenjiang-xinqu")], path) == 0

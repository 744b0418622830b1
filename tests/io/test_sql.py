"""unionie.io.sql on real SQLite and DuckDB files: schema, keys, answers, idempotent appends."""
from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest
from iodocs import (
    SEED_CONTESTS,
    SEED_EVENTS,
    SEED_SUBSIDY_MONEY,
    SYNTHETIC_CONTESTS,
    SYNTHETIC_SUBSIDY_MONEY,
    seed_docs,
    synthetic_documents,
)

from unionie.errors import InputError
from unionie.io.sql import EXAMPLE_QUERIES, TABLES, to_sql

DOCS_MD = Path(__file__).resolve().parents[2] / "docs" / "database.md"

KINDS = ["sqlite", "duckdb"]


def _connect(path: Path, kind: str):
    if kind == "sqlite":
        return sqlite3.connect(path)
    duckdb = pytest.importorskip("duckdb", reason='duckdb is needed: pip install "unionie[sql]"')
    return duckdb.connect(str(path))


@pytest.fixture(params=KINDS)
def kind(request):
    if request.param == "duckdb":
        pytest.importorskip("duckdb", reason='duckdb is needed: pip install "unionie[sql]"')
    return request.param


@pytest.fixture
def db(tmp_path, kind):
    """A database file holding the seeds and the synthetic documents."""
    path = tmp_path / ("corpus.sqlite" if kind == "sqlite" else "corpus.duckdb")
    assert to_sql(seed_docs(), path) == 2
    assert to_sql(synthetic_documents(), path) == 3
    return path


def _counts(con) -> dict[str, int]:
    return {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}


def test_total_subsidy_money_per_organizer(db, kind):
    con = _connect(db, kind)
    try:
        rows = con.execute(EXAMPLE_QUERIES["subsidy_money_per_organizer"]).fetchall()
    finally:
        con.close()
    got = {org: total for org, total, _ in rows}
    expected = {("(no organizer)" if k is None else k): v for k, v in SEED_SUBSIDY_MONEY.items()}
    for org, money in SYNTHETIC_SUBSIDY_MONEY.items():
        expected[org] = expected.get(org, 0.0) + money
    assert got == pytest.approx(expected)
    assert [r[0] for r in rows][0] == "市总工会"  # ordered by money, largest first


def test_contests_per_document(db, kind):
    con = _connect(db, kind)
    try:
        rows = dict(con.execute(EXAMPLE_QUERIES["contests_per_document"]).fetchall())
    finally:
        con.close()
    assert rows == {**SEED_CONTESTS, **SYNTHETIC_CONTESTS}


def test_contests_per_year(db, kind):
    con = _connect(db, kind)
    try:
        rows = con.execute(EXAMPLE_QUERIES["contests_per_year"]).fetchall()
    finally:
        con.close()
    # the time argument's year when resolved, else the publication year, else NULL (last)
    assert rows == [("2019", 8), ("2021", 1), ("2022", 1), (None, 12)]


def test_appending_the_same_documents_again_duplicates_nothing(db, kind):
    con = _connect(db, kind)
    before = _counts(con)
    con.close()
    assert to_sql(seed_docs(), db) == 0
    assert to_sql(synthetic_documents() + seed_docs(), db) == 0
    con = _connect(db, kind)
    try:
        assert _counts(con) == before
        assert before["documents"] == 5
        assert before["events"] == sum(SEED_EVENTS.values()) + 7
    finally:
        con.close()


def test_repeated_ids_in_one_call_are_written_once(tmp_path, kind):
    path = tmp_path / ("x.db" if kind == "sqlite" else "x.ddb")
    docs = seed_docs()
    assert to_sql(iter(docs + docs + docs[:1]), path) == 2
    con = _connect(path, kind)
    try:
        assert _counts(con)["events"] == sum(SEED_EVENTS.values())
    finally:
        con.close()


def test_a_new_document_among_stored_ones_is_added(db, kind):
    extra = dict(seed_docs()[0], doc_id="changzhou-xinbei-copy")
    assert to_sql(seed_docs() + [extra], db) == 1
    con = _connect(db, kind)
    try:
        n = con.execute("SELECT n_events FROM documents WHERE doc_id = 'changzhou-xinbei-copy'").fetchone()
        assert n == (55,)
    finally:
        con.close()


def test_keys_join(db, kind):
    con = _connect(db, kind)
    try:
        orphans = con.execute(
            "SELECT COUNT(*) FROM arguments AS a LEFT JOIN events AS e "
            "ON e.doc_id = a.doc_id AND e.event_index = a.event_index WHERE e.type IS NULL"
        ).fetchone()[0]
        assert orphans == 0
        for child in ("events", "quantities", "entities", "dates"):
            n = con.execute(f"SELECT COUNT(*) FROM {child} AS c LEFT JOIN documents AS d "
                            "ON d.doc_id = c.doc_id WHERE d.doc_id IS NULL").fetchone()[0]
            assert n == 0, child
        # n_events agrees with the events table
        bad = con.execute(
            "SELECT d.doc_id FROM documents AS d LEFT JOIN events AS e ON e.doc_id = d.doc_id "
            "GROUP BY d.doc_id, d.n_events HAVING COUNT(e.event_index) <> d.n_events").fetchall()
        assert bad == []
        if kind == "sqlite":
            violation = sqlite3.IntegrityError
        else:
            import duckdb

            violation = duckdb.ConstraintException
        with pytest.raises(violation):  # the primary key holds
            con.execute("INSERT INTO events (doc_id, event_index, type) VALUES ('zhenjiang-xinqu', 0, 'x')")
    finally:
        con.close()


def test_offsets_and_values_survive(db, kind):
    con = _connect(db, kind)
    try:
        row = con.execute(
            'SELECT text, "start", "end", value, unit, qualifier, value_max, per FROM arguments '
            "WHERE doc_id = 'synthetic-2021' AND role = 'amount' AND qualifier = 'range'").fetchone()
        assert row == ("3至5万元", row[1], row[1] + 5, 30000.0, "CNY", "range", 50000.0, "")
        text = synthetic_documents()[0].text
        assert text[row[1]:row[2]] == "3至5万元"
        rate = con.execute("SELECT per FROM arguments WHERE role = 'rate' AND doc_id = 'synthetic-2021'").fetchone()
        assert rate == ("人/年",)
        date = con.execute("SELECT date_value FROM arguments WHERE role = 'time' "
                           "AND doc_id = 'synthetic-2021' ORDER BY event_index").fetchall()
        assert date == [("2021",), ("2021-05",)]
    finally:
        con.close()


def test_open_connections_stay_open(tmp_path, kind):
    if kind == "sqlite":
        con = sqlite3.connect(tmp_path / "c.sqlite")
    else:
        import duckdb

        con = duckdb.connect(str(tmp_path / "c.duckdb"))
    try:
        assert to_sql(seed_docs(), con) == 2
        assert to_sql(seed_docs(), con) == 0
        assert con.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 89
    finally:
        con.close()


def test_in_memory_connections(kind):
    if kind == "sqlite":
        con = sqlite3.connect(":memory:")
    else:
        import duckdb

        con = duckdb.connect()
    assert to_sql(synthetic_documents(), con, include_text=True) == 3
    text = con.execute("SELECT text FROM documents WHERE doc_id = 'synthetic-empty'").fetchone()[0]
    assert text == synthetic_documents()[2].text
    # docs/database.md: the stored text gives back every argument by its offsets
    bad = con.execute(
        'SELECT COUNT(*) FROM arguments AS a JOIN documents AS d ON d.doc_id = a.doc_id '
        'WHERE SUBSTR(d.text, a."start" + 1, a."end" - a."start") <> a.text').fetchone()[0]
    total = con.execute("SELECT COUNT(*) FROM arguments").fetchone()[0]
    assert bad == 0 and total == 20
    con.close()


def test_kind_from_suffix_or_argument(tmp_path):
    with pytest.raises(InputError, match="pass kind="):
        to_sql(seed_docs(), tmp_path / "corpus.data")
    assert to_sql(seed_docs(), tmp_path / "corpus.data", kind="sqlite") == 2
    sqlite3.connect(tmp_path / "corpus.data").execute("SELECT 1 FROM events").fetchone()


def test_doc_id_is_required(tmp_path):
    doc = dict(seed_docs()[0], doc_id=None)
    with pytest.raises(InputError, match="doc_id"):
        to_sql([doc], tmp_path / "x.sqlite")


def test_docs_show_the_example_queries():
    text = DOCS_MD.read_text(encoding="utf-8")
    for name, sql in EXAMPLE_QUERIES.items():
        assert sql in text, f"docs/database.md lost the {name} query"
    for table, (_, cols, _, _) in TABLES.items():
        assert f"### {table}" in text
        for col, _ in cols:
            assert f"`{col}`" in text, (table, col)


def test_duckdb_without_pyarrow_gives_the_same_tables(tmp_path, monkeypatch):
    duckdb = pytest.importorskip("duckdb")
    fast = tmp_path / "fast.duckdb"
    to_sql(seed_docs() + synthetic_documents(), fast)
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # `import pyarrow` now fails
    slow = tmp_path / "slow.duckdb"
    assert to_sql(seed_docs() + synthetic_documents(), slow) == 5
    a, b = duckdb.connect(str(fast)), duckdb.connect(str(slow))
    try:
        for table in TABLES:
            q = f"SELECT * FROM {table} ORDER BY ALL"
            assert a.execute(q).fetchall() == b.execute(q).fetchall(), table
    finally:
        a.close()
        b.close()

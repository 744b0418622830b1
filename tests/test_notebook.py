"""docs/example.ipynb runs from top to bottom in a real Jupyter kernel of this interpreter
and shows what it promises: tables, four charts, a highlighted document, Parquet and
DuckDB files, and SQL answers equal to the pandas ones."""
from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("duckdb")
pytest.importorskip("matplotlib")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "docs" / "example.ipynb"
KERNEL = "unionie-test-python"

# About 10 s on 2 cores (a kernel start, the pipeline, the charts): not marked slow.


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The notebook executed in a copy of docs/ beside the corpus, with a kernel that is
    explicitly this interpreter (sys.executable), not whatever 'python3' a kernelspec names."""
    work = tmp_path_factory.mktemp("nb")
    (work / "corpus").symlink_to(ROOT / "corpus", target_is_directory=True)
    (work / "docs").mkdir()
    shutil.copy(NOTEBOOK, work / "docs" / "example.ipynb")
    spec_dir = work / "jupyter" / "kernels" / KERNEL
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "unionie tests", "language": "python",
    }), encoding="utf-8")
    mp = pytest.MonkeyPatch()
    mp.setenv("JUPYTER_PATH", str(work / "jupyter"))
    mp.delenv("MPLBACKEND", raising=False)  # the notebook's %matplotlib inline decides
    try:
        nb = nbformat.read(work / "docs" / "example.ipynb", as_version=4)
        client = nbclient.NotebookClient(nb, kernel_name=KERNEL, timeout=300,
                                         resources={"metadata": {"path": str(work / "docs")}})
        client.execute()  # raises CellExecutionError on the first failing cell
    finally:
        mp.undo()
    return nb, work / "docs"


def _outputs(nb, kind: str | None = None):
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if kind is None or out.get("output_type") == kind:
                yield cell, out


def test_runs_without_errors_and_is_stored_clean(executed):
    nb, cwd = executed
    assert sorted(p.name for p in cwd.iterdir()) == ["example.ipynb"]  # nothing left in docs/
    assert not list(_outputs(nb, "error"))
    assert all(c.get("execution_count") for c in nb.cells if c.cell_type == "code")
    stored = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(stored)
    assert stored.metadata.kernelspec.language == "python"
    streams = "".join(o.get("text", "") for _, o in _outputs(nb, "stream") if o.get("name") == "stderr")
    assert "Traceback" not in streams
    assert "Glyph" not in streams  # Chinese labels had a font (or no warning was shown)


def test_extracts_the_corpus(executed):
    nb, _ = executed
    text = "".join(o.get("text", "") for _, o in _outputs(nb, "stream"))
    n_reports = len(list((ROOT / "corpus" / "reports").glob("*.txt")))
    assert f"{n_reports} reports in corpus/reports" in text
    assert f"{n_reports} documents," in text
    assert "subsidy 慰问" in text and "= 89000" in text


def test_shows_tables_charts_and_a_highlighted_document(executed):
    nb, _ = executed
    html = [o["data"]["text/html"] for _, o in _outputs(nb) if "text/html" in o.get("data", {})]
    tables = [h for h in html if "<table" in h and "dataframe" in h]
    assert len(tables) >= 6  # events, by type, money by organizer, contests, SQL results
    docs = [h for h in html if h.startswith('<div class="unionie-doc">')]
    assert len(docs) == 2  # the one sentence and the biggest report
    assert all('<mark class="hl' in h for h in docs)
    assert "8.9万元" in docs[0] and "慰问" in docs[0]
    pngs = [o for _, o in _outputs(nb) if "image/png" in o.get("data", {})]
    assert len(pngs) == 3  # events+money side by side, per document, per year
    assert all(len(o["data"]["image/png"]) > 10_000 for o in pngs)


def test_writes_parquet_and_duckdb_and_sql_agrees_with_pandas(executed):
    nb, cwd = executed
    text = "".join(o.get("text", "") for _, o in _outputs(nb, "stream"))
    assert "read back equal: True" in text
    assert text.count("same as pandas: True") == 2
    import duckdb
    import pandas as pd

    out = cwd.parent / "out" / "notebook"  # under the repository's git-ignored out/
    events = pd.read_parquet(out / "events.parquet")
    con = duckdb.connect(str(out / "reports.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT COUNT(*) FROM events").fetchone()[0] == len(events)
        n_docs = con.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    finally:
        con.close()
    assert n_docs == len(list((ROOT / "corpus" / "reports").glob("*.txt")))
    assert events.doc_id.nunique() <= n_docs
    assert os.path.getsize(out / "events.parquet") > 1000

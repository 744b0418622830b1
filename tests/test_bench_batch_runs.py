"""Smoke test of bench/batch_runs.py (issue 16's acceptance run): a short run records every
run's exit, completeness and leftover processes, and the kill -9 check. No timing asserted."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_batch_runs_records_each_run_and_the_kill(tmp_path: Path) -> None:
    out = tmp_path / "runs.json"
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "batch_runs.py"), "--runs", "2", "--docs", "120",
                        "--kill-after", "0", "--out", str(out)],
                       check=False, capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert r.returncode == 0, r.stderr[-3000:]
    rec = json.loads(out.read_text(encoding="utf-8"))
    assert rec["docs"] == 120 and len(rec["runs"]) == 2
    for run in rec["runs"]:
        assert run["exit"] == 0 and run["complete"] and run["written"] == run["unique"] == 120
        assert run["left_processes"] == []
    assert rec["kill"]["processes_before_kill"] >= 2  # killed mid-run: the parent and its worker
    assert rec["kill"]["left_after_30s"] == []
    assert rec["all_clean"] is True
    assert "2/2 runs wrote every document" in r.stdout

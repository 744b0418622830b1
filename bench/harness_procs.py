"""The machine and the processes the benchmark harness measures (bench/harness.py).

What the machine is (CPU, cores, load, package versions), best-of-N wall and CPU timings,
and child processes run with their peak RSS taken by ``os.wait4``.
"""
from __future__ import annotations

import gc
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Callable

__all__ = ["machine", "versions", "Timing", "spawn", "spawn_rss", "cli_cmd", "vmhwm_kib", "children_cpu"]


# -- the machine ---------------------------------------------------------------------------
def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for name in ("unionie", "jieba", "spacy", "regex", "opencc", "cn2an", "jieba_fast", "rjieba", "jionlp"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


def machine() -> dict[str, Any]:
    usable: int | None
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        usable = os.cpu_count()
    try:
        load = list(os.getloadavg())
    except OSError:  # pragma: no cover
        load = None
    return {"cpu": cpu_model(), "cores": os.cpu_count(), "usable_cores": usable,
            "platform": platform.platform(), "python": platform.python_version(),
            "implementation": platform.python_implementation(), "load_average_at_start": load}


# -- timing helpers ------------------------------------------------------------------------------
class Timing:
    """Best-of-N wall and CPU times of one measurement."""

    def __init__(self, chars: int) -> None:
        self.chars = chars
        self.walls: list[float] = []
        self.cpus: list[float] = []
        self.info: dict[str, Any] = {}

    def run(self, fn: Callable[[], Any]) -> Any:
        gc.collect()
        w0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        self.walls.append(time.perf_counter() - w0)
        self.cpus.append(time.process_time() - c0)
        return out

    def record(self, jieba: "Timing | None") -> dict[str, Any]:
        best, cpu = min(self.walls), min(self.cpus)
        rec: dict[str, Any] = {"seconds": round(best, 4), "cpu_seconds": round(cpu, 4),
                               "chars_per_s": round(self.chars / best), "runs": [round(w, 4) for w in self.walls]}
        if jieba is not None:
            rec["ratio_to_jieba"] = round(min(jieba.walls) / best, 4)
            rec["ratio_to_jieba_cpu"] = round(min(jieba.cpus) / cpu, 4) if cpu > 0 else None
        rec.update(self.info)
        return rec


def spawn(cmd: list[str], *, cwd: str | None = None, timeout: float = 3600) -> dict[str, Any]:
    """Run ``cmd``; return its exit code, wall time, peak RSS (KiB, via wait4), stdout and stderr."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=cwd)
        maxrss: int | None = None
        if hasattr(os, "wait4"):
            deadline = t0 + timeout
            while True:
                pid, status, ru = os.wait4(p.pid, os.WNOHANG)
                if pid:
                    break
                if time.perf_counter() > deadline:
                    p.kill()
                    _, status, ru = os.wait4(p.pid, 0)
                    break
                time.sleep(0.01)
            p.returncode = os.waitstatus_to_exitcode(status)
            maxrss = int(ru.ru_maxrss)  # KiB on Linux: the child and the descendants it waited for
        else:  # pragma: no cover - not POSIX
            p.wait(timeout)
        wall = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        return {"returncode": p.returncode, "wall": wall, "maxrss_kib": maxrss,
                "stdout": out.read().decode("utf-8", "replace"), "stderr": err.read().decode("utf-8", "replace")}


# ru_maxrss of a child counts the memory of the process it was forked from (Linux keeps
# the pre-exec high-water mark), so a child of this big process would report at least
# this process's size. Measured commands are therefore started by a small launcher,
# which waits for them with wait4 and writes their rusage to a file.
LAUNCH = r"""
import json, os, subprocess, sys, time
cmd, report = json.loads(sys.argv[1]), sys.argv[2]
t0 = time.perf_counter()
p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
_, status, ru = os.wait4(p.pid, 0)
with open(report, "w") as f:
    json.dump({"returncode": os.waitstatus_to_exitcode(status), "maxrss_kib": ru.ru_maxrss,
               "wall": time.perf_counter() - t0}, f)
"""


def spawn_rss(cmd: list[str], tmp: Path) -> dict[str, Any]:
    """Run ``cmd`` through the launcher: exit code, wall time and peak RSS (KiB) of ``cmd`` itself."""
    report = tmp / "launch.json"
    r = spawn([sys.executable, "-c", LAUNCH, json.dumps(cmd), str(report)])
    if r["returncode"] != 0 or not report.exists():
        return {**r, "maxrss_kib": None, "returncode": r["returncode"] or 1}
    inner = json.loads(report.read_text())
    report.unlink()
    return {**r, **inner}


def cli_cmd() -> list[str]:
    script = Path(sys.executable).parent / ("unionie.exe" if os.name == "nt" else "unionie")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from unionie.cli import run; run()"]


def vmhwm_kib() -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:  # pragma: no cover - not Linux
        pass
    return None


def children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime

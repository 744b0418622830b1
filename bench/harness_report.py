"""The targets of issue 6 and the printed report of the benchmark harness (bench/harness.py)."""
from __future__ import annotations

from typing import Any, Callable, Sequence

__all__ = ["TARGETS", "targets", "print_report"]

TARGETS = {
    "extract_vs_jieba": ("unionie.extract throughput / jieba.lcut throughput", ">=", 0.7),
    "extract_many_2_vs_1": ("extract_many n_process=2 / n_process=1 throughput", ">=", 1.7),
    "rss_extract_many": ("peak RSS, extract_many: large / small document count", "<=", 1.2),
    "rss_cli": ("peak RSS, CLI: large / small document count", "<=", 1.2),
    "cold_start_s": ("import + load + first extract, seconds (median)", "<", 2.0),
}


def targets(m: dict[str, Any]) -> dict[str, Any]:
    def value(path: Sequence[str]) -> Any:
        cur: Any = m
        for p in path:
            if not isinstance(cur, dict) or p not in cur:
                return None
            cur = cur[p]
        return cur

    vals = {"extract_vs_jieba": value(("extract", "ratio_to_jieba")),
            "extract_many_2_vs_1": value(("extract_many_2", "speedup_over_n_process_1")),
            "rss_extract_many": value(("rss", "extract_many", "ratio")),
            "rss_cli": value(("rss", "cli", "ratio")),
            "cold_start_s": value(("cold_start", "seconds"))}
    out = {}
    for key, (what, op, limit) in TARGETS.items():
        v = vals[key]
        holds = None if v is None else (v >= limit if op == ">=" else v <= limit if op == "<=" else v < limit)
        out[key] = {"what": what, "value": v, "target": f"{op} {limit}", "holds": holds}
    return out


# -- output ----------------------------------------------------------------------------------------
def fmt_rate(x: float | None) -> str:
    return f"{x:>12,.0f}" if x is not None else " " * 12


def print_report(rec: dict[str, Any], say: Callable[[str], None]) -> None:
    m = rec["measurements"]
    c = rec["corpus"]
    mc = rec["machine"]
    say("")
    say(f"unionie bench  {rec['date']}  {mc['cpu']}, {mc['cores']} cores, Python {mc['python']}")
    say(f"corpus: {c['documents']:,} documents, {c['chars']:,} characters, {c['bytes'] / 1e6:.2f} MB UTF-8 "
        f"(paragraphs of {c['source_files']} reports, seed {c['seed']}); best of {rec['options']['repeats']}")
    say("")
    say(f"{'measurement':<34}{'seconds':>9}{'chars/s':>13}{'x jieba':>9}{'x jieba (cpu)':>15}")

    def row(label: str, r: dict[str, Any] | None) -> None:
        if not r or "seconds" not in r:
            why = (r or {}).get("skipped") or (r or {}).get("error") or "not measured"
            say(f"{label:<34}  skipped: {str(why).splitlines()[0][:90]}")
            return
        rc = r.get("ratio_to_jieba_cpu")
        say(f"{label:<34}{r['seconds']:>9.2f}{fmt_rate(r.get('chars_per_s'))}"
            f"{r.get('ratio_to_jieba', float('nan')):>9.3f}" + (f"{rc:>15.3f}" if rc is not None else ""))

    row("jieba.lcut (global)", m["jieba_lcut"])
    row("unionie tokenizer", m["tokenizer"])
    row("unionie.extract", m["extract"])
    row("extract_many n_process=1", m["extract_many_1"])
    row("extract_many n_process=2", m["extract_many_2"])
    e2 = m["extract_many_2"]
    if "workers_cpu_seconds" in e2:
        say(f"{'':<6}speedup over n_process=1 x{e2['speedup_over_n_process_1']:.2f}; CPU: workers "
            f"{e2['workers_cpu_seconds']:.2f} s + parent {e2['cpu_seconds']:.2f} s = "
            f"x{e2['cpu_overhead_vs_n_process_1']:.2f} the CPU of n_process=1")
    if "machine_probe" in e2:
        say(f"{'':<6}the machine gave x{e2['machine_probe']['speedup']:.2f} to two CPU-bound processes in this run "
            f"(a plain Python loop; 2.00 on two idle cores)")
    row("CLI -j 1 (whole process)", m["cli_j1"])
    row("CLI -j 2 (whole process)", m["cli_j2"])
    for b, r in m["backends"].items():
        if "tokenizer" in r:
            row(f"{b} tokenizer", r["tokenizer"])
            row(f"{b} extract", r["extract"])
            say(f"{'':<6}{b}: tokenizer x{r['tokenizer_speedup']:.2f}, extract x{r['extract_speedup']:.2f} "
                f"over the jieba backend; same tokens as jieba on {r['same_tokens_as_jieba_docs']}/{r['docs']} docs")
        else:
            row(f"{b} backend", r)
    j = m["jionlp"]
    if "skipped" in j:
        row("JioNLP", j)
    else:
        row("JioNLP extract_money", j.get("extract_money"))
        row("JioNLP extract_time", j.get("extract_time"))
    cs = m["cold_start"]
    if "seconds" in cs:
        r0 = cs["runs"][0]
        say(f"cold start: {cs['seconds']:.2f} s median (best {cs['best']:.2f}; import {r0['import']:.2f} + load "
            f"{r0['load']:.2f} + first extract {r0['first_extract']:.2f}); whole process "
            f"{', '.join(f'{w:.2f}' for w in cs['process_wall_seconds'])} s")
    else:
        say(f"cold start: error {cs.get('error', '')[:200]}")
    rss = m["rss"]
    for name in ("extract_many", "cli"):
        blk = rss[name]
        parts = [f"{n} docs {blk[str(n)].get('peak_rss_mib')} MiB" for n in rss["documents"] if str(n) in blk]
        say(f"peak RSS {name}: " + ", ".join(parts) + f"  (ratio {blk.get('ratio')})")
    say("")
    say("targets:")
    for t in rec["targets"].values():
        mark = {True: "holds", False: "DOES NOT HOLD", None: "not measured"}[t["holds"]]
        say(f"  {t['what']}: {t['value']} (target {t['target']}): {mark}")

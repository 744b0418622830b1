#!/usr/bin/env python
"""Benchmark and quality measures of the activity table (docs/activities.md).

    python bench/activities.py scale   [--base 100] [--factor 10] [--rounds 3]
    python bench/activities.py quality

``scale`` builds a synthetic collection of ``base`` and ``base * factor`` documents (for
every union of the gazetteer picked, a year-end summary and news items that report some of
its activities again, with figures drawn at random), extracts them once, and times
``unionie.activities`` alone on each size (best of ``rounds``), with the peak memory it
allocates (tracemalloc) per document. The target: ``factor`` x the documents in at most
1.2 x ``factor`` the time, and peak memory per document flat.

``quality`` measures, on real texts (corpus/reports, corpus/heldout/reports and the
development reports under /work/shared/realdev/texts when present): activities as a share
of event mentions on distinct reports; reposts made of every third report (another source
line, ASCII commas, quotes and brackets, the last paragraph cut) — how many more activities they add and
how many of a repost's events join its original's; and the joins and look-alikes of
corpus/activities/expected.jsonl and of corpus/activities/heldout/expected.jsonl (a
collection written after the rules were frozen).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
import tracemalloc
from pathlib import Path

import unionie
from unionie.activity import activities
from unionie.activity.gazetteer import gazetteer

ROOT = Path(__file__).resolve().parents[1]

SUMMARY = """{city}总工会{year}年工作总结
发布时间：{next}-01-15

{year}年，市总工会在市委和省总工会的领导下，各项工作取得新成效。
一、帮扶工作。春节期间，市总工会开展“工会送温暖”活动，投入资金{money}万元，走访慰问困难职工{people}人。
二、技能竞赛。市总工会举办第{ed}届职工技能大赛，参赛选手{contestants}人。
三、教育培训。市总工会举办工会干部培训班{classes}期，培训工会干部{trainees}人次。
四、组织建设。市总工会新建基层工会组织{orgs}个，发展会员{members}人。
"""
NEWS_SUBSIDY = """{city}总工会“送温暖”活动圆满结束
发布时间：{year}-02-20　来源：{city}日报

本报讯 {year}年春节期间，{city}总工会开展“工会送温暖”活动，投入资金{money}万元，走访慰问困难职工{people}人。
"""
NEWS_CONTEST = """{city}举办第{ed}届职工技能大赛
发布时间：{year}-06-12　来源：{city}总工会

6月10日，{city}总工会举办第{ed}届职工技能大赛，参赛选手{contestants}人。
"""


def synthetic(n_docs: int, seed: int = 7) -> list[tuple[str, str]]:
    """``n_docs`` (doc_id, text) pairs: per city and year a summary and two news items."""
    rnd = random.Random(seed)
    cities = sorted(p.name for p in gazetteer().by_code.values() if p.rank == 1 and p.name.endswith("市"))
    out: list[tuple[str, str]] = []
    k = 0
    while len(out) < n_docs:
        city = cities[k % len(cities)]
        year = 2018 + (k // len(cities)) % 7
        k += 1
        f = dict(city=city, year=year, next=year + 1, money=rnd.randint(50, 900), people=rnd.randint(200, 30000),
                 ed=rnd.randint(2, 9), contestants=rnd.randint(80, 900), classes=rnd.randint(3, 40),
                 trainees=rnd.randint(300, 9000), orgs=rnd.randint(10, 200), members=rnd.randint(500, 9000))
        for name, tpl in (("summary", SUMMARY), ("news-subsidy", NEWS_SUBSIDY), ("news-contest", NEWS_CONTEST)):
            out.append((f"{city}-{year}-{name}", tpl.format(**f)))
    return out[:n_docs]


def scale(base: int, factor: int, rounds: int) -> dict:
    big = synthetic(base * factor)
    docs_big = list(unionie.extract_many(big))
    activities(docs_big[: max(base // 2, 1)])  # warm up: the gazetteer and the cue tables load once
    result = {}
    for n in (base, base * factor):
        docs = docs_big[:n]
        best = float("inf")
        for _ in range(rounds):
            t = time.perf_counter()
            acts = activities(docs)
            best = min(best, time.perf_counter() - t)
        tracemalloc.start()
        activities(docs)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        result[n] = {"documents": n, "events": sum(len(d.events) for d in docs), "activities": len(acts),
                     "seconds": round(best, 3), "peak_kib_per_document": round(peak / 1024 / n, 1)}
    small, large = result[base], result[base * factor]
    return {"sizes": list(result.values()), "time_ratio": round(large["seconds"] / small["seconds"], 2),
            "memory_per_document_ratio": round(large["peak_kib_per_document"] / small["peak_kib_per_document"], 2)}


def _real_texts() -> list[tuple[str, str]]:
    from unionie.io import read_text

    folders = [ROOT / "corpus" / "reports", ROOT / "corpus" / "heldout" / "reports",
               Path("/work/shared/realdev/texts")]
    out = []
    for folder in folders:
        for p in sorted(folder.glob("*.txt")) if folder.is_dir() else ():
            out.append((p.stem, read_text(p)))
    return out


_PUNCT = str.maketrans({"，": ",", "“": '"', "”": '"', "：": ":", "；": ";", "（": "(", "）": ")"})


def repost(text: str) -> str:
    """Another portal's copy: its own source line, ASCII commas, quotes, colons and brackets
    (。 kept), the last paragraph cut."""
    lines = text.split("\n")
    paras = [i for i, ln in enumerate(lines) if len(ln.strip()) >= 30]
    if len(paras) >= 3:
        del lines[paras[-1]]
    return "来源：转载自职工之家网　编辑：网络部\n" + "\n".join(lines).translate(_PUNCT)


def quality() -> dict:
    texts = _real_texts()
    docs = list(unionie.extract_many(texts))
    n_events = sum(len(d.events) for d in docs)
    base = activities(docs)
    copies = [(f"{doc_id}-repost", repost(t)) for doc_id, t in texts[::3]]
    copy_docs = list(unionie.extract_many(copies))
    dups: list = []
    both = activities(docs + copy_docs, near_dups=dups)
    originals = {c[0]: c[0][: -len("-repost")] for c in copies}
    joined = total = 0
    for a in both:
        ids = {m.doc_id for m in a.mentions}
        for m in a.mentions:
            if m.doc_id in originals:
                total += 1
                joined += originals[m.doc_id] in ids
    def grouping(folder: Path) -> dict:
        rows = [json.loads(x) for x in (folder / "expected.jsonl").read_text(encoding="utf-8").splitlines() if x]
        acts = activities(list(unionie.extract_many(sorted((folder / "docs").glob("*.txt")))))

        def of(doc_id: str, phrase: str):
            exact = phrase.startswith("=")
            return next(a for a in acts for m in a.mentions if m.doc_id == doc_id
                        and (m.text == phrase[1:] if exact else phrase in m.text))

        same = [r for r in rows if r["relation"] == "same"]
        apart = [r for r in rows if r["relation"] == "apart"]
        return {"same_pairs": len(same), "joined": sum(of(*r["a"]) is of(*r["b"]) for r in same),
                "look_alikes": len(apart), "merged": sum(of(*r["a"]) is of(*r["b"]) for r in apart)}

    return {
        "distinct_reports": {"documents": len(docs), "event_mentions": n_events, "activities": len(base),
                             "activities_per_mention": round(len(base) / n_events, 3)},
        "reposts": {"reposts": len(copies), "near_duplicates_found": len(dups),
                    "activities_reports": len(base), "activities_with_reposts": len(both),
                    "added": round(len(both) / len(base) - 1, 4),
                    "repost_mentions": total, "joined_to_original": joined,
                    "joined_share": round(joined / total, 4) if total else None},
        "collection": grouping(ROOT / "corpus/activities"),
        "heldout_collection": grouping(ROOT / "corpus/activities/heldout"),
    }


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=["scale", "quality"])
    ap.add_argument("--base", type=int, default=100)
    ap.add_argument("--factor", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    res = scale(args.base, args.factor, args.rounds) if args.what == "scale" else quality()
    print(json.dumps(res, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Scoring predictions against gold, by the definitions of ANNOTATION.md.

The same figures as the reference scorer (``shared/gold/score.py``), micro-averaged
over documents, overall and per event type:

- **quantity**: gold quantities vs predicted ``quantities``: spans overlap, same value
  and unit (qualifier and ``per`` are reported as accuracy over the matched ones);
- **event**: same type, and the predicted trigger overlaps the gold trigger or lies
  inside the gold clause; one-to-one, greedy in gold order;
- **typed_arg**: quantity-valued arguments (not ``time``): same event type, spans
  overlap, same value and unit;
- **role_arg**: every argument: same event type and role, spans overlap.

Optional gold (optional_quantities, optional_events, optional_arguments) counts
neither for nor against a prediction that hits it.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

__all__ = ["PRF", "Scores", "score", "read_jsonl", "format_scores"]

METRICS = ("quantity", "event", "typed_arg", "role_arg")


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"p": round(self.p, 4), "r": round(self.r, 4), "f1": round(self.f1, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}

    def __str__(self) -> str:
        return f"P {self.p:.3f} R {self.r:.3f} F1 {self.f1:.3f} (tp {self.tp} fp {self.fp} fn {self.fn})"


@dataclass
class Scores:
    overall: dict[str, PRF] = field(default_factory=lambda: defaultdict(PRF))
    by_type: dict[str, dict[str, PRF]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(PRF)))
    qualifier: list[int] = field(default_factory=lambda: [0, 0])
    per: list[int] = field(default_factory=lambda: [0, 0])
    errors: dict[str, list[tuple[Any, ...]]] = field(default_factory=lambda: defaultdict(list))
    missing_docs: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "overall": {k: self.overall[k].as_dict() for k in METRICS},
            "by_type": {t: {k: v[k].as_dict() for k in ("event", "typed_arg", "role_arg")}
                        for t, v in sorted(self.by_type.items())},
            "qualifier_accuracy": [self.qualifier[0], self.qualifier[1]],
            "per_accuracy": [self.per[0], self.per[1]],
            "missing_docs": self.missing_docs,
        }


def _overlap(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


def _same_value(a: Any, b: Any) -> bool:
    try:
        x, y = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return abs(x - y) <= 1e-6 * max(1.0, abs(x), abs(y))


def _num(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _match(gold: list[Any], pred: list[Any], ok: Callable[[Any, Any], bool]) -> tuple[list, list, list]:
    used: set[int] = set()
    pairs, miss = [], []
    for g in gold:
        for j, p in enumerate(pred):
            if j not in used and ok(g, p):
                used.add(j)
                pairs.append((g, p))
                break
        else:
            miss.append(g)
    extra = [p for j, p in enumerate(pred) if j not in used]
    return pairs, miss, extra


def _score_doc(g: Mapping[str, Any], p: Mapping[str, Any], s: Scores) -> None:
    doc_id = g["doc_id"]
    opt_q = g.get("optional_quantities", [])

    def is_opt_q(x: Mapping[str, Any]) -> bool:
        return any(_overlap(x["start"], x["end"], o["start"], o["end"]) for o in opt_q)

    gq = [q for q in g["quantities"] if not is_opt_q(q)]
    pq = [q for q in p.get("quantities", []) if _num(q.get("value"))]

    def q_ok(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
        return (_overlap(a["start"], a["end"], b["start"], b["end"]) and _same_value(a["value"], b["value"])
                and (a["unit"] or "").strip() == (b.get("unit") or "").strip())

    pairs, miss, extra = _match(gq, pq, q_ok)
    extra = [x for x in extra if not is_opt_q(x)]
    s.overall["quantity"].add(len(pairs), len(extra), len(miss))
    for a, b in pairs:
        ok_q = a.get("qualifier", "exact") == b.get("qualifier", "exact")
        s.qualifier[0] += ok_q
        s.qualifier[1] += 1
        if not ok_q:
            s.errors["qualifier"].append((doc_id, a["text"], a.get("qualifier"), b.get("qualifier")))
        ok_p = list(a.get("per") or []) == list(b.get("per") or [])
        s.per[0] += ok_p
        s.per[1] += 1
        if not ok_p:
            s.errors["per"].append((doc_id, a["text"], a.get("per"), b.get("per")))
    s.errors["quantity"] += [("miss", doc_id, x["text"], x["value"], x["unit"]) for x in miss]
    s.errors["quantity"] += [("extra", doc_id, x.get("text"), x.get("value"), x.get("unit")) for x in extra]

    ge, pe = list(g["events"]), list(p.get("events", []))

    def ev_ok(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
        if a["type"] != b.get("type"):
            return False
        bt = b.get("trigger") or {}
        b0, b1 = bt.get("start", -1), bt.get("end", -1)
        return (_overlap(a["trigger"]["start"], a["trigger"]["end"], b0, b1)
                or (a["start"] <= b0 and b1 <= a["end"]))

    pairs_e, miss_e, extra_e = _match(ge, pe, ev_ok)

    def is_opt_e(b: Mapping[str, Any]) -> bool:
        bt = b.get("trigger") or {}
        return any(o["type"] == b.get("type") and _overlap(o["start"], o["end"], bt.get("start", -1),
                                                          bt.get("end", -1))
                   for o in g.get("optional_events", []))

    ignored = [b for b in extra_e if is_opt_e(b)]
    extra_e = [b for b in extra_e if not is_opt_e(b)]
    s.overall["event"].add(len(pairs_e), len(extra_e), len(miss_e))
    for a, _ in pairs_e:
        s.by_type[a["type"]]["event"].add(1, 0, 0)
    for a in miss_e:
        s.by_type[a["type"]]["event"].add(0, 0, 1)
        clause = a.get("clause") or ""
        s.errors["event"].append(("miss", doc_id, a["type"], a["trigger"]["text"], clause))
    for b in extra_e:
        s.by_type[b.get("type", "?")]["event"].add(0, 1, 0)
        s.errors["event"].append(("extra", doc_id, b.get("type"), (b.get("trigger") or {}).get("text"), ""))

    ign = {id(b) for b in ignored}

    def gold_args(typed: bool) -> list[tuple[Mapping[str, Any], Mapping[str, Any]]]:
        out = []
        for e in ge:
            for a in e["arguments"]:
                if typed and (not _num(a.get("value")) or a["role"] == "time"):
                    continue
                out.append((e, a))
        return out

    def pred_args(typed: bool) -> list[tuple[Mapping[str, Any], Mapping[str, Any]]]:
        out = []
        for e in pe:
            if id(e) in ign:
                continue
            for a in e.get("arguments", []):
                if "start" not in a:
                    continue
                if typed and (not _num(a.get("value")) or a.get("role") == "time"):
                    continue
                out.append((e, a))
        return out

    for typed, key in ((True, "typed_arg"), (False, "role_arg")):
        def opt_arg(e_pred: Mapping[str, Any], a: Mapping[str, Any]) -> bool:
            if typed and is_opt_q(a):
                return True
            return any(e["type"] == e_pred.get("type") and any(
                _overlap(o["start"], o["end"], a["start"], a["end"]) for o in e.get("optional_arguments", []))
                for e in ge)

        if typed:
            def ok(x: Any, y: Any) -> bool:
                (ge_, a), (pe_, b) = x, y
                return (ge_["type"] == pe_.get("type") and _overlap(a["start"], a["end"], b["start"], b["end"])
                        and _same_value(a["value"], b.get("value"))
                        and (a["unit"] or "").strip() == (b.get("unit") or "").strip())
        else:
            def ok(x: Any, y: Any) -> bool:
                (ge_, a), (pe_, b) = x, y
                return (ge_["type"] == pe_.get("type") and a["role"] == b.get("role")
                        and _overlap(a["start"], a["end"], b["start"], b["end"]))
        pairs_a, miss_a, extra_a = _match(gold_args(typed), pred_args(typed), ok)
        extra_a = [(e, a) for e, a in extra_a if not opt_arg(e, a)]
        s.overall[key].add(len(pairs_a), len(extra_a), len(miss_a))
        for (e, _), _p in pairs_a:
            s.by_type[e["type"]][key].add(1, 0, 0)
        for e, a in miss_a:
            s.by_type[e["type"]][key].add(0, 0, 1)
            s.errors[key].append(("miss", doc_id, e["type"], a["role"], a["text"]))
        for e, a in extra_a:
            s.by_type[e.get("type", "?")][key].add(0, 1, 0)
            s.errors[key].append(("extra", doc_id, e.get("type"), a.get("role"), a.get("text")))


def score(gold: Iterable[Mapping[str, Any]], pred: Iterable[Mapping[str, Any]]) -> Scores:
    """Score predicted documents (SCHEMA dicts) against gold documents (resolved gold dicts)."""
    by_id = {str(d.get("doc_id")): d for d in pred}
    s = Scores()
    for g in gold:
        p = by_id.get(str(g["doc_id"]))
        if p is None:
            s.missing_docs.append(str(g["doc_id"]))
            p = {"events": [], "quantities": []}
        _score_doc(g, p, s)
    return s


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """Documents from a JSON Lines file (blank lines skipped)."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                out.append(json.loads(line))
    return out


def format_scores(s: Scores, *, errors: int = 0, per_type: bool = True) -> str:
    """The scores as text, in the layout of the reference scorer plus a per-type table."""
    lines = []
    for k in ("quantity", "qualifier", "per", "event", "typed_arg", "role_arg"):
        if k == "qualifier":
            lines.append(f"{k:10s} accuracy on matched quantities {s.qualifier[0]}/{s.qualifier[1]}")
        elif k == "per":
            lines.append(f"{k:10s} accuracy on matched quantities {s.per[0]}/{s.per[1]}")
        else:
            lines.append(f"{k:10s} {s.overall[k]}")
    if per_type and s.by_type:
        lines.append("")
        lines.append(f"{'type':22s} {'event F1':>9s} {'(tp/fp/fn)':>12s} {'typed F1':>9s} {'role F1':>8s}")
        for t in sorted(s.by_type):
            v = s.by_type[t]
            e = v["event"]
            lines.append(f"{t:22s} {e.f1:9.3f} {f'{e.tp}/{e.fp}/{e.fn}':>12s} {v['typed_arg'].f1:9.3f} "
                         f"{v['role_arg'].f1:8.3f}")
    if errors:
        for k, rows in s.errors.items():
            lines.append(f"--- {k} errors (first {errors} of {len(rows)})")
            for r in rows[:errors]:
                lines.append("    " + " ".join(str(x) for x in r))
    if s.missing_docs:
        lines.append(f"documents with no prediction: {len(s.missing_docs)}")
    lines.append(f"quantity_f1={s.overall['quantity'].f1:.3f} event_f1={s.overall['event'].f1:.3f} "
                 f"typed_arg_f1={s.overall['typed_arg'].f1:.3f} role_arg_f1={s.overall['role_arg'].f1:.3f}")
    return "\n".join(lines)
